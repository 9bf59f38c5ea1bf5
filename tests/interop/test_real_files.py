"""Acceptance on real REFI-QDA exports (tests/data/refi, MIT: see its README)."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.interop.positions import on_word_boundary
from accord.interop.qdpx_reader import read_qdpx
from tests.support import REFI_DATA

REFI = REFI_DATA

# From the folder's README table: users, codes, text sources, codings.
EXPECTED = {
    "nvivo-mac-12.7-oltas.qdpx": (2, 152, 2, 297),
    "nvivo-win-12.6-oltas.qdpx": (2, 60, 1, 97),
    "nvivo-win-12.6-oltas0517.qdpx": (2, 152, 2, 303),
}


def _file(name: str) -> Path:
    path = REFI / name
    return path


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_nvivo_file_imports_with_readme_counts(name: str) -> None:
    exchange, report = read_qdpx(_file(name))
    users, codes, sources, codings = EXPECTED[name]
    assert report.counts["users"] == users
    assert report.counts["codes"] == codes
    assert report.counts["documents"] == sources
    assert report.counts["codings"] == codings
    assert not report.skipped

    texts = {d.guid: d.text for d in exchange.documents}
    on_boundaries = 0
    for coding in exchange.codings:
        text = texts[coding.document_guid]
        assert 0 <= coding.start < coding.end <= len(text)
        on_boundaries += on_word_boundary(text, coding.start) and on_word_boundary(text, coding.end)
    assert on_boundaries / len(exchange.codings) >= 0.95
    # NVivo counts UTF-16 units: emoji count double, so code points would misplace codings.
    assert {check.interpretation for check in report.positions} <= {"utf16", "utf16-crlf"}
    assert all(check.boundary_rate >= 0.95 for check in report.positions)


def test_nvivo_windows_counts_crlf_and_coding_user_wins() -> None:
    exchange, report = read_qdpx(_file("nvivo-win-12.6-oltas.qdpx"))
    assert [check.interpretation for check in report.positions] == ["utf16-crlf"]
    # The selections were re-stamped by the importing user; the codings kept the coder.
    names = {u.guid: u.name for u in exchange.users}
    assert {names[c.user_guid] for c in exchange.codings} == {"floriansipos"}


def test_nvivo_mac_has_no_crlf() -> None:
    _, report = read_qdpx(_file("nvivo-mac-12.7-oltas.qdpx"))
    assert [check.interpretation for check in report.positions] == ["utf16"]


def test_atlas_ti_file_imports_codebook_and_reports_missing_sources() -> None:
    exchange, report = read_qdpx(_file("atlasti-8.4-testproject.qdpx"))
    assert report.counts["users"] == 3
    assert report.counts["codes"] == 14
    assert report.counts["documents"] == 0
    skipped_sources = [s for s in report.skipped if s.kind == "source"]
    # Six text sources, two PDFs' text representations and three video transcripts have
    # their text files missing; a picture and a recording without transcript have no text.
    assert len(skipped_sources) == 13
    assert sum("missing from the archive" in s.reason for s in skipped_sources) == 11
    assert sum("with no text Accord can code" in s.reason for s in skipped_sources) == 2
    reasons = {s.name: s.reason for s in skipped_sources}
    assert (
        reasons["Jeanine's Breakfast.m4a"] == "it is an audio source with no text Accord can code"
    )
    assert reasons["cornflakes-n-milk.jpg"] == "it is a picture source with no text Accord can code"
    # Every coding in the file is accounted for, and all 16 are lost.
    assert (report.codings_in_file, report.codings_lost) == (16, 16)
    assert report.summary().startswith("LOST: 16 of the 16 codings")
    assert {s.kind for s in report.skipped} >= {"sets", "graphs", "links", "selection"}
    assert [m.title for m in exchange.memos] == ["Research Plan", "My favorite Coke ad"]
