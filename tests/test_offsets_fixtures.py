"""The offset fixtures the web UI's Vitest suite reads (tests/data/offsets/*.json) agree
with Python: a browser selection given in UTF-16 units, snapped to grapheme clusters and
converted to code points, covers exactly the characters `text[start:end]` returns, which
is how the API, the database and every export read a coding."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "data" / "offsets"


def _load() -> list[tuple[str, dict[str, Any]]]:
    return [
        (p.stem, json.loads(p.read_text(encoding="utf-8"))) for p in sorted(FIXTURES.glob("*.json"))
    ]


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@pytest.mark.parametrize(("name", "fixture"), _load(), ids=[n for n, _ in _load()])
def test_python_reads_the_span_the_browser_selected(name: str, fixture: dict[str, Any]) -> None:
    text = fixture["text"]
    assert fixture["cases"], name
    for case in fixture["cases"]:
        start, end = case["codePoints"]
        assert text[start:end] == case["covers"], case["why"]
        start16, end16 = case["utf16"]
        assert (_utf16(text[:start]), _utf16(text[:end])) == (start16, end16), case["why"]
        # The raw selection lies within the span it snaps to, and touches both ends'
        # clusters: snapping widens, never moves.
        sel_start, sel_end = case["selection16"]
        assert start16 <= sel_start < sel_end <= end16, case["why"]


def test_the_fixtures_cover_what_breaks_offsets() -> None:
    texts = "".join(f["text"] for _, f in _load())
    assert any(ord(ch) > 0xFFFF for ch in texts), "an emoji outside the BMP"
    assert "\u200d" in texts, "a ZWJ sequence"
    assert any(0x1F1E6 <= ord(ch) <= 0x1F1FF for ch in texts), "a flag"
    assert any(unicodedata.combining(ch) for ch in texts), "a combining mark"
    assert any(ch in texts for ch in "æøåÆØÅ"), "æøå"
    assert "\r" not in texts, "texts are stored with LF line ends"
    raw = [c for _, f in _load() for c in f["cases"] if c["selection16"] != c["utf16"]]
    assert len(raw) >= 5, "selections that split a cluster and must be widened"
