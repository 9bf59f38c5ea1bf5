"""Reading REFI-QDA selection positions, whichever way the exporting program counted.

The REFI spec counts Unicode code points. NVivo counts UTF-16 code units (an emoji outside
the Basic Multilingual Plane counts 2) and, on Windows, counts CRLF as two. Other tools
count line ends as LF. Rather than trust a program's name, each source is checked: every
candidate counting is tried, the ones under which a selection runs past the text are
ruled out, and of the rest the one whose selections land on word boundaries wins. Only
then are positions converted to Accord's code points on the normalised (LF) text.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from heapq import merge

from accord.documents.text import normalize_text
from accord.interop.errors import FormatError

_NON_BMP = re.compile("[\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Interpretation:
    name: str
    label: str
    utf16: bool
    crlf: bool


CODEPOINTS = Interpretation("codepoints", "Unicode code points (REFI spec)", False, False)
CODEPOINTS_CRLF = Interpretation("codepoints-crlf", "code points, CRLF counted as 2", False, True)
UTF16 = Interpretation("utf16", "UTF-16 code units", True, False)
UTF16_CRLF = Interpretation("utf16-crlf", "UTF-16 code units, CRLF counted as 2", True, True)

#: The spec first: when counts cannot be told apart, the standard's reading is reported.
INTERPRETATIONS = (CODEPOINTS, CODEPOINTS_CRLF, UTF16, UTF16_CRLF)
BY_NAME = {i.name: i for i in INTERPRETATIONS}


class CountingScheme:
    """Maps offsets counted one way onto code points of the normalised text.

    ``extras`` are the normalised indices of characters that count as two units under
    this scheme (a non-BMP character in UTF-16, a newline that was CRLF in the file).
    """

    def __init__(self, length: int, extras: list[int]) -> None:
        self.length = length
        self.extras = extras
        # Unit offset at which the k-th double-width character starts.
        self._starts = [e + k for k, e in enumerate(extras)]

    @property
    def units(self) -> int:
        return self.length + len(self.extras)

    def to_units(self, index: int) -> int:
        return index + bisect_left(self.extras, index)

    def from_units(self, unit: int, *, round_up: bool) -> tuple[int, bool]:
        """Code-point index for ``unit``, and whether ``unit`` fell between characters.

        A unit inside a double-width character (between the halves of a surrogate pair,
        or between CR and LF) is rounded outward: down for a start, up for an end.
        """
        before = bisect_right(self._starts, unit - 2)
        index = unit - before
        inside = before < len(self._starts) and self._starts[before] == unit - 1
        if inside and not round_up:
            index -= 1
        return index, not inside


def _crlf_extras(raw: str) -> list[int]:
    extras: list[int] = []
    at = raw.find("\r\n")
    while at >= 0:
        extras.append(at - len(extras))  # each earlier CRLF shortens the text by one
        at = raw.find("\r\n", at + 2)
    return extras


def scheme_for(raw: str, normalised: str, interpretation: Interpretation) -> CountingScheme:
    extras: list[int] = []
    if interpretation.crlf:
        extras = _crlf_extras(raw)
    if interpretation.utf16:
        wide = [m.start() for m in _NON_BMP.finditer(normalised)]
        extras = list(merge(extras, wide)) if extras else wide
    return CountingScheme(len(normalised), extras)


def utf16_offset(text: str, index: int) -> int:
    """UTF-16 code-unit offset of code-point ``index`` in ``text`` (what browsers count)."""
    return index + len(_NON_BMP.findall(text, 0, index))


def _is_word_char(char: str) -> bool:
    # Combining marks belong to the letter before them: cutting between is mid-word.
    return char.isalnum() or char == "_" or unicodedata.category(char).startswith("M")


def on_word_boundary(text: str, index: int) -> bool:
    if index <= 0 or index >= len(text):
        return True
    return not (_is_word_char(text[index - 1]) and _is_word_char(text[index]))


@dataclass(frozen=True)
class RawSelection:
    """A selection as written in the file, before its positions are understood."""

    guid: str
    name: str
    start: int
    end: int


@dataclass
class ResolvedPositions:
    interpretation: Interpretation
    #: Code-point (start, end) on the normalised text, in the order selections were given.
    spans: list[tuple[int, int]]
    on_word_boundaries: int
    ambiguous: bool


def _describe(selection: RawSelection) -> str:
    label = f"{selection.name!r} ({selection.guid})" if selection.name else selection.guid
    return f"selection {label} at {selection.start}–{selection.end}"


def units_however_counted(raw_text: str) -> int:
    """The length of ``raw_text`` in the counting that makes it longest: a selection
    ending past this runs past the end of its text however positions are counted."""
    normalised = normalize_text(raw_text)
    return max(scheme_for(raw_text, normalised, i).units for i in INTERPRETATIONS)


def past_the_end(selection: RawSelection, units: int) -> str:
    """Why ``selection`` cannot be placed in a text ``units`` long (its
    :func:`units_however_counted`), as a reason for the import report."""
    return (
        f"it runs to {selection.end}, past the end of its text ({units} characters however "
        "they are counted), and Accord will not guess where its codings belong"
    )


def resolve_positions(
    raw_text: str,
    selections: Sequence[RawSelection],
    source_name: str,
    prefer: Sequence[Interpretation] = (),
) -> ResolvedPositions:
    """Choose how ``selections`` count positions in ``raw_text`` and convert them.

    ``raw_text`` is the decoded source text with its BOM removed but line ends as stored,
    because CRLF-counting programs counted those. ``prefer`` orders interpretations that
    score equally (for example NVivo's own convention for an NVivo file). Raises
    :class:`FormatError` when no interpretation fits every selection inside the text.
    """
    for selection in selections:
        if selection.start < 0 or selection.end < selection.start:
            raise FormatError(
                f"The {_describe(selection)} in source {source_name!r} ends before it "
                "starts; the file is damaged."
            )
    normalised = normalize_text(raw_text)
    order = list(dict.fromkeys([*prefer, *INTERPRETATIONS]))
    best: tuple[int, Interpretation, CountingScheme] | None = None
    scores: list[tuple[int, list[int]]] = []
    widest = 0
    for interpretation in order:
        scheme = scheme_for(raw_text, normalised, interpretation)
        widest = max(widest, scheme.units)
        if any(s.end > scheme.units for s in selections):
            continue
        hits = 0
        for selection in selections:
            start, exact_start = scheme.from_units(selection.start, round_up=False)
            end, exact_end = scheme.from_units(selection.end, round_up=True)
            if (
                exact_start
                and exact_end
                and on_word_boundary(normalised, start)
                and on_word_boundary(normalised, end)
            ):
                hits += 1
        scores.append((hits, scheme.extras))
        if best is None or hits > best[0]:
            best = (hits, interpretation, scheme)
    if best is None:
        worst = max(selections, key=lambda s: s.end)
        raise FormatError(
            f"The {_describe(worst)} in source {source_name!r} runs past the end of its "
            f"text ({widest} characters however they are counted). Accord will not guess "
            "where the coding belongs; the text file may be missing part of the source."
        )
    hits, interpretation, scheme = best
    # Name the simplest counting that gives these offsets: an NVivo-preferred "utf16-crlf"
    # on a text without CRLF is really plain UTF-16, and so on.
    if interpretation.crlf and "\r\n" not in raw_text:
        interpretation = UTF16 if interpretation.utf16 else CODEPOINTS
    if interpretation.utf16 and not _NON_BMP.search(normalised):
        interpretation = CODEPOINTS_CRLF if interpretation.crlf else CODEPOINTS
    ambiguous = any(h == hits and extras != scheme.extras for h, extras in scores)
    spans = [
        (
            scheme.from_units(s.start, round_up=False)[0],
            scheme.from_units(s.end, round_up=True)[0],
        )
        for s in selections
    ]
    return ResolvedPositions(interpretation, spans, hits, ambiguous)


def preference_for_origin(origin: str | None) -> tuple[Interpretation, ...]:
    """Interpretations to try first, from the exporting program's name.

    This only breaks ties; the text itself decides whenever it can.
    """
    text = (origin or "").lower()
    if "positions=utf16" in text:
        return (UTF16,)
    if "nvivo" in text:
        return (UTF16_CRLF, UTF16)
    return ()
