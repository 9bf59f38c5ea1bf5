from __future__ import annotations

import pytest

from accord.interop.errors import FormatError
from accord.interop.positions import (
    CODEPOINTS,
    CODEPOINTS_CRLF,
    UTF16,
    UTF16_CRLF,
    RawSelection,
    on_word_boundary,
    resolve_positions,
    scheme_for,
    utf16_offset,
)

RAW = "Ida: Jeg 😀 følte skam.\r\nDr. Ås: Hvorfor 🙂 det?\r\nIda: Fordi æøå.\r\n"
TEXT = RAW.replace("\r\n", "\n")
WORDS = ["skam", "Hvorfor", "det", "Fordi", "æøå"]


def _units(word: str, utf16: bool, crlf: bool) -> tuple[int, int]:
    index = TEXT.index(word)
    scheme = scheme_for(
        RAW,
        TEXT,
        next(
            i
            for i in (CODEPOINTS, CODEPOINTS_CRLF, UTF16, UTF16_CRLF)
            if (i.utf16, i.crlf) == (utf16, crlf)
        ),
    )
    return scheme.to_units(index), scheme.to_units(index + len(word))


@pytest.mark.parametrize(
    ("utf16", "crlf", "name"),
    [
        (False, False, "codepoints"),
        (False, True, "codepoints-crlf"),
        (True, False, "utf16"),
        (True, True, "utf16-crlf"),
    ],
)
def test_each_counting_is_detected_and_converted(utf16: bool, crlf: bool, name: str) -> None:
    selections = [
        RawSelection(f"g{n}", word, *_units(word, utf16, crlf)) for n, word in enumerate(WORDS)
    ]
    resolved = resolve_positions(RAW, selections, "interview 1")
    assert resolved.interpretation.name == name
    assert [TEXT[s:e] for s, e in resolved.spans] == WORDS
    assert resolved.on_word_boundaries == len(WORDS)


def test_identical_counts_report_the_spec() -> None:
    text = "Plain words here.\nAnd more."
    resolved = resolve_positions(text, [RawSelection("g", "", 6, 11)], "doc")
    assert resolved.interpretation is CODEPOINTS
    assert resolved.spans == [(6, 11)]


def test_preference_breaks_ties_only() -> None:
    text = "ab 😀 cd 😀 ef"
    # Whole-text selection fits every counting equally: the preference decides.
    whole = [RawSelection("g", "", 0, 3)]
    assert resolve_positions(text, whole, "d", prefer=(UTF16,)).interpretation is UTF16
    assert resolve_positions(text, whole, "d").interpretation is CODEPOINTS


def test_selection_past_the_end_under_every_counting_is_refused() -> None:
    selections = [RawSelection("ok", "", 0, 3), RawSelection("9f1c", "late quote", 5, 500)]
    with pytest.raises(FormatError) as caught:
        resolve_positions(RAW, selections, "interview 1")
    message = str(caught.value)
    assert "interview 1" in message
    assert "late quote" in message and "9f1c" in message
    assert "past the end" in message


def test_counting_that_would_overrun_is_ruled_out() -> None:
    # The end fits only when emoji and CRLF count double: the importer must not pick
    # code points just because they are the spec.
    units = len(RAW) + RAW.count("😀") + RAW.count("🙂")
    resolved = resolve_positions(RAW, [RawSelection("g", "", 0, units)], "doc")
    assert resolved.interpretation is UTF16_CRLF
    assert resolved.spans == [(0, len(TEXT))]


def test_reversed_selection_refused() -> None:
    with pytest.raises(FormatError, match="ends before it starts"):
        resolve_positions(RAW, [RawSelection("g", "", 9, 3)], "doc")


def test_positions_inside_a_surrogate_pair_round_outward() -> None:
    text = "a😀b"
    scheme = scheme_for(text, text, UTF16)
    assert scheme.from_units(2, round_up=False) == (1, False)
    assert scheme.from_units(2, round_up=True) == (2, False)
    assert scheme.from_units(3, round_up=False) == (2, True)


def test_word_boundaries_respect_combining_marks() -> None:
    text = "Ås e\u0301te"  # "ét" written with a combining accent
    assert on_word_boundary(text, 0)
    assert on_word_boundary(text, 2)
    assert not on_word_boundary(text, 4)  # between e and its accent
    assert on_word_boundary(text, len(text))


def test_utf16_offset() -> None:
    assert utf16_offset("a😀b", 2) == 3
    assert utf16_offset("æøå", 3) == 3
