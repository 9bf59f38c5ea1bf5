from __future__ import annotations

import pytest

from accord.interop.errors import FormatError
from accord.interop.qdpx_reader import read_qdpx
from tests.interop.builders import (
    ALICE,
    BOB,
    CATEGORY,
    CODE_A,
    CODE_B,
    CODEBOOK,
    SOURCE,
    USERS,
    make_qdpx,
    project,
    sel_guid,
    selection,
)

TEXT = "Interviewer: Hvordan var det?\r\nP07: Jeg skammet meg 😀 litt.\r\n"
VAR = "dddddddd-0000-4000-8000-000000000001"
NOTE = "eeeeeeee-0000-4000-8000-000000000001"
CASE = "ffffffff-0000-4000-8000-000000000001"


def _source(selections: str, path: str = f"internal://{SOURCE}.txt", extra: str = "") -> str:
    return (
        f'<Sources><TextSource guid="{SOURCE}" name="Interview 7" plainTextPath="{path}">'
        f"{selections}{extra}</TextSource></Sources>"
    )


def _positions(word: str) -> tuple[int, int]:
    start = TEXT.index(word)  # raw code points, CRLF counted 2: the source has no emoji before
    return start, start + len(word)


def test_reads_users_codebook_source_and_codings() -> None:
    start, end = _positions("skammet")
    body = USERS + CODEBOOK + _source(selection(sel_guid(1), start, end))
    files = {f"Sources/{SOURCE}.txt": b"\xef\xbb\xbf" + TEXT.encode()}
    exchange, report = read_qdpx(make_qdpx(project(body), files, qde_name="Study.qde"))
    assert [u.name for u in exchange.users] == ["Alice", "Bob"]
    assert [(c.name, c.parent_guid, c.codable) for c in exchange.codes] == [
        ("Help-seeking", None, False),
        ("Shame", CATEGORY, True),
        ("Trust", None, True),
    ]
    assert exchange.codes[0].color == "#FF0000"
    assert exchange.codes[0].description == "Category"
    (document,) = exchange.documents
    assert "\r" not in document.text and not document.text.startswith("\ufeff")
    (coding,) = exchange.codings
    assert document.text[coding.start : coding.end] == "skammet"
    assert (coding.code_guid, coding.user_guid) == (CODE_A, ALICE)
    assert report.counts == {"users": 2, "codes": 3, "documents": 1, "codings": 1, "memos": 0}


def test_coding_user_wins_over_selection_user() -> None:
    start, end = _positions("litt")
    sel = selection(sel_guid(1), start, end, selection_user=ALICE, coding_user=BOB)
    body = USERS + CODEBOOK + _source(sel)
    exchange, _ = read_qdpx(make_qdpx(project(body), {f"sources/{SOURCE}.txt": TEXT.encode()}))
    assert exchange.codings[0].user_guid == BOB


def test_missing_source_file_is_skipped_with_its_selections() -> None:
    body = USERS + CODEBOOK + _source(selection(sel_guid(1), 0, 5))
    exchange, report = read_qdpx(make_qdpx(project(body), {"sources/.root": b""}))
    assert exchange.documents == [] and exchange.codings == []
    reasons = {(s.kind, s.reason) for s in report.skipped}
    assert ("source", f"its text file {SOURCE}.txt is missing from the archive") in reasons
    assert any(kind == "selection" for kind, _ in reasons)


def test_non_text_sources_are_skipped_with_reason() -> None:
    body = (
        USERS
        + CODEBOOK
        + '<Sources><PictureSource guid="12345678-0000-4000-8000-000000000009" name="photo.jpg"'
        ' path="internal://x.jpg"/></Sources>'
        + '<Sets><Set guid="12345678-0000-4000-8000-00000000000a" name="s"/></Sets>'
    )
    _, report = read_qdpx(make_qdpx(project(body)))
    kinds = {item.kind: item.reason for item in report.skipped}
    assert "picture" in kinds["source"]
    assert "sets" in kinds


def test_variables_cases_and_notes() -> None:
    start, end = _positions("Hvordan")
    variables = (
        f'<Variables><Variable guid="{VAR}" name="Gender" typeOfVariable="Text"/></Variables>'
    )
    cases = (
        f'<Cases><Case guid="{CASE}" name="P07"><VariableValue><VariableRef targetGUID="{VAR}"/>'
        f"<TextValue>female</TextValue></VariableValue>"
        f'<SourceRef targetGUID="{SOURCE}"/></Case></Cases>'
    )
    sel = selection(sel_guid(1), start, end).replace(
        "</Coding>", f'<NoteRef targetGUID="{NOTE}"/></Coding>'
    )
    notes = (
        f'<Notes><Note guid="{NOTE}" name="Why" creatingUser="{BOB}">'
        "<PlainTextContent>Interviewer leads here.</PlainTextContent></Note>"
        '<Note guid="eeeeeeee-0000-4000-8000-000000000002" name="Plan">'
        "<PlainTextContent>Project plan</PlainTextContent></Note></Notes>"
    )
    body = USERS + CODEBOOK + variables + cases + _source(sel) + notes
    exchange, _ = read_qdpx(make_qdpx(project(body), {f"sources/{SOURCE}.txt": TEXT.encode()}))
    assert exchange.documents[0].attributes == {"case": "P07", "Gender": "female"}
    by_title = {m.title: m for m in exchange.memos}
    assert by_title["Why"].target_kind == "coding"
    assert by_title["Why"].target_guid == exchange.codings[0].guid
    assert by_title["Why"].author_guid == BOB
    assert by_title["Plan"].target_kind == "project"


def test_selection_description_becomes_coding_memo() -> None:
    start, end = _positions("litt")
    sel = selection(sel_guid(1), start, end).replace(
        "<Coding", "<Description>Hedging?</Description><Coding", 1
    )
    body = USERS + CODEBOOK + _source(sel)
    exchange, _ = read_qdpx(make_qdpx(project(body), {f"sources/{SOURCE}.txt": TEXT.encode()}))
    assert exchange.codings[0].memo == "Hedging?"


def test_coding_of_unknown_code_is_skipped() -> None:
    sel = selection(sel_guid(1), 0, 11, code="99999999-0000-4000-8000-000000000000")
    body = USERS + CODEBOOK + _source(sel)
    exchange, report = read_qdpx(make_qdpx(project(body), {f"sources/{SOURCE}.txt": TEXT.encode()}))
    assert exchange.codings == []
    assert "not in the codebook" in report.skipped[0].reason


def test_selection_past_the_end_is_a_lost_coding_and_the_rest_comes_in() -> None:
    start, end = _positions("skammet")
    body = (
        USERS
        + CODEBOOK
        + _source(selection(sel_guid(1), start, end) + selection(sel_guid(2), 3, 10_000))
    )
    exchange, report = read_qdpx(make_qdpx(project(body), {f"sources/{SOURCE}.txt": TEXT.encode()}))
    # The source and its selection that fits come in, placed as without the bad one.
    (document,) = exchange.documents
    (coding,) = exchange.codings
    assert document.text[coding.start : coding.end] == "skammet"
    assert report.partial and report.codings_lost == 1 and report.codings_in_file == 2
    (skipped,) = [s for s in report.skipped if s.kind == "selection"]
    assert skipped.guid == sel_guid(2)
    assert "runs to 10000, past the end of its text" in skipped.reason
    lines = report.loss_lines()
    assert lines[0].startswith("LOST: 1 of the 2 codings in the file do not come in.")
    assert any("Interview 7" in line and "past the end" in line for line in lines[1:])


def test_a_source_whose_every_selection_runs_past_the_end_still_comes_in() -> None:
    body = USERS + CODEBOOK + _source(selection(sel_guid(1), 3, 10_000))
    exchange, report = read_qdpx(make_qdpx(project(body), {f"sources/{SOURCE}.txt": TEXT.encode()}))
    assert [d.title for d in exchange.documents] == ["Interview 7"]
    assert exchange.codings == [] and report.codings_lost == 1


def test_a_selection_that_fits_only_one_counting_is_not_lost() -> None:
    # The end is the text's length with CRLF and the emoji counted double: it fits.
    units = len(TEXT) + TEXT.count("😀")
    body = USERS + CODEBOOK + _source(selection(sel_guid(1), 0, units))
    exchange, report = read_qdpx(make_qdpx(project(body), {f"sources/{SOURCE}.txt": TEXT.encode()}))
    assert not report.partial and len(exchange.codings) == 1


def test_non_numeric_position_refused() -> None:
    body = USERS + CODEBOOK + _source(selection(sel_guid(1), 3, 10).replace('"10"', '"ten"'))
    with pytest.raises(FormatError, match="not a number"):
        read_qdpx(make_qdpx(project(body), {f"sources/{SOURCE}.txt": TEXT.encode()}))


def test_inline_text_and_utf16_text_file() -> None:
    inline = (
        f'<Sources><TextSource guid="{SOURCE}" name="Inline">'
        "<PlainTextContent>Short text.</PlainTextContent>"
        f"{selection(sel_guid(1), 0, 5)}</TextSource></Sources>"
    )
    exchange, _ = read_qdpx(make_qdpx(project(USERS + CODEBOOK + inline)))
    assert exchange.documents[0].text == "Short text."
    utf16 = TEXT.encode("utf-16")
    body = USERS + CODEBOOK + _source("")
    exchange, _ = read_qdpx(make_qdpx(project(body), {f"sources/{SOURCE}.txt": utf16}))
    assert exchange.documents[0].text == TEXT.replace("\r\n", "\n")


def test_no_project_file() -> None:
    with pytest.raises(FormatError, match=r"no \.qde file"):
        read_qdpx(make_qdpx(project(""), qde_name="nested/project.qde"))


def test_unlisted_user_becomes_placeholder() -> None:
    stranger = "33333333-3333-4333-8333-333333333333"
    body = USERS + CODEBOOK + _source(selection(sel_guid(1), 0, 11, coding_user=stranger))
    exchange, report = read_qdpx(make_qdpx(project(body), {f"sources/{SOURCE}.txt": TEXT.encode()}))
    assert exchange.codings[0].user_guid == stranger
    assert stranger in {u.guid for u in exchange.users}
    assert report.warnings
    assert CODE_B  # the codebook keeps unused codes too


def test_duplicate_source_guid_refused() -> None:
    text_source = _source("")[len("<Sources>") : -len("</Sources>")]
    body = USERS + CODEBOOK + f"<Sources>{text_source}{text_source}</Sources>"
    with pytest.raises(FormatError, match="share the guid"):
        read_qdpx(make_qdpx(project(body), {f"sources/{SOURCE}.txt": TEXT.encode()}))


def test_report_summary_reads_well() -> None:
    start, end = _positions("skammet")
    body = (
        USERS
        + CODEBOOK
        + _source(selection(sel_guid(1), start, end))
        + ('<Sets><Set guid="12345678-0000-4000-8000-00000000000a" name="s"/></Sets>')
    )
    _, report = read_qdpx(make_qdpx(project(body), {f"sources/{SOURCE}.txt": TEXT.encode()}))
    summary = report.summary()
    assert summary.startswith("Imported: 2 users, 3 codes, 1 document, 1 coding, 0 memos.")
    assert "Positions in 'Interview 7' read as codepoints-crlf: 1 of 1" in summary
    assert "Skipped sets" in summary
