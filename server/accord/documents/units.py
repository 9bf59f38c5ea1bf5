"""Splitting a transcript into units for unit-based agreement.

Three kinds, each a list of code-point ranges into the stored (LF-normalised) text:

- paragraphs: runs of text separated by one or more blank lines;
- speaker turns: a line that starts with a speaker label (``Interviewer:``, ``I:``,
  ``P07:``, ``Dr. Hansen:``) opens a turn, which runs until the next labelled line. A
  ``Name:`` prefix is a label only where it behaves like one (the rule the subtitle
  reader uses, :mod:`accord.interop.speaker_labels`): it is short and reads as a name
  (``My rule: never lie.`` does not), and either the document's turns are labelled (it
  opens with a label, or some label opens several lines) or it is numbered like another
  label (``P01:`` beside ``P02:``). Any other line belongs to the turn before it;
- sentences: split at ., ! or ? (and …) followed by space, never across a line break,
  and not after common abbreviations such as "Dr." or "e.g.".

Every range is trimmed of surrounding white space, so a unit never starts or ends on a
blank.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from accord.interop.speaker_labels import MIN_CUES, number_shape, reads_as_name

PARAGRAPH = "PARAGRAPH"
SPEAKER_TURN = "SPEAKER_TURN"
SENTENCE = "SENTENCE"


@dataclass(frozen=True)
class Unit:
    kind: str
    ordinal: int
    start: int
    end: int
    speaker: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


# A label is one to four words of letters, digits, dots, apostrophes or hyphens, the
# first starting with a letter, then a colon and a space (or the line's end). A clock
# time such as "10:30" starts with a digit and is not a label; "http://" has no space.
SPEAKER_LABEL = re.compile(
    r"^[ \t]*(?P<label>[^\W\d_][\w.'’-]*(?:[ \t][\w.'’-]+){0,3}?)[ \t]*:(?=[ \t]|$)",
    re.MULTILINE,
)
_LABEL_MAX = 40

_ABBREVIATIONS = frozenset(
    [
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "st",
        "nr",
        "no",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "ca",
        "jf",
        "bl.a",
        "f.eks",
        "mv",
        "osv",
        "dvs",
        "fig",
        "approx",
    ]
)
_SENTENCE_END = re.compile(r"(?:[.!?…]+)[\"'”’)\]]*(?=\s)")


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def paragraphs(text: str) -> list[Unit]:
    units: list[Unit] = []
    pos = 0
    for match in re.finditer(r"\n[ \t]*\n\s*", text):
        span = _trimmed(text, pos, match.start())
        if span:
            units.append(Unit(PARAGRAPH, len(units), *span))
        pos = match.end()
    span = _trimmed(text, pos, len(text))
    if span:
        units.append(Unit(PARAGRAPH, len(units), *span))
    return units


def speaker_labels(text: str) -> list[tuple[int, str]]:
    """(line start, label) for every line that opens a turn."""
    found = []
    for match in SPEAKER_LABEL.finditer(text):
        label = match.group("label").strip()
        if len(label) <= _LABEL_MAX and reads_as_name(label):
            found.append((match.start(), label))
    if not found:
        return []
    accepted = behaving_labels(
        [label for _, label in found], opens_text=not text[: found[0][0]].strip()
    )
    return [(start, label) for start, label in found if label in accepted]


def behaving_labels(labels: list[str], *, opens_text: bool) -> frozenset[str]:
    """Which of the name-like ``labels`` (one entry per line they open, in order) behave
    like speaker labels: all of them in a labelled transcript (the text opens with a
    label, or a label opens several lines); otherwise only labels numbered alike."""
    counts = Counter(labels)
    if opens_text or any(n >= MIN_CUES for n in counts.values()):
        return frozenset(counts)
    shapes = Counter(shape for shape in map(number_shape, counts) if shape is not None)
    return frozenset(
        label for label in counts if shapes.get(number_shape(label) or "", 0) >= MIN_CUES
    )


def speaker_turns(text: str) -> list[Unit]:
    labels = speaker_labels(text)
    units: list[Unit] = []
    for i, (start, label) in enumerate(labels):
        end = labels[i + 1][0] if i + 1 < len(labels) else len(text)
        span = _trimmed(text, start, end)
        if span:
            units.append(Unit(SPEAKER_TURN, len(units), *span, speaker=label))
    return units


def _is_abbreviation(text: str, stop: int) -> bool:
    """True when the full stop at ``stop`` ends a known abbreviation or an initial."""
    begin = stop
    while begin > 0 and (text[begin - 1].isalpha() or text[begin - 1] == "."):
        begin -= 1
    word = text[begin:stop].lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def sentences(text: str) -> list[Unit]:
    units: list[Unit] = []
    line_start = 0
    for line in text.split("\n"):
        line_end = line_start + len(line)
        pos = line_start
        for match in _SENTENCE_END.finditer(text, line_start, line_end):
            if text[match.start()] == "." and _is_abbreviation(text, match.start()):
                continue
            span = _trimmed(text, pos, match.end())
            if span:
                units.append(Unit(SENTENCE, len(units), *span))
            pos = match.end()
        span = _trimmed(text, pos, line_end)
        if span:
            units.append(Unit(SENTENCE, len(units), *span))
        line_start = line_end + 1
    return units


def compute_units(text: str) -> list[Unit]:
    return [*paragraphs(text), *speaker_turns(text), *sentences(text)]
