"""Issue #14's fixtures, written from the REFI-QDA standard, through the reader and writer:
each is schema-valid, imports with the expected codings per coder and text per selection,
accounts for every coding in the file, and round-trips through export and import."""

from __future__ import annotations

from typing import Any

import pytest

from accord.interop.model import ExchangeProject, ImportReport
from accord.interop.qdpx_reader import read_qdpx
from accord.interop.qdpx_writer import project_xml, write_qdpx
from tests.interop import standard_fixtures as fx
from tests.support import REFI_DATA


@pytest.fixture(scope="module")
def schema() -> Any:
    import xmlschema

    return xmlschema.XMLSchema(str(REFI_DATA / "Project.xsd"))


def per_coder(project: ExchangeProject) -> dict[str, list[tuple[str, str]]]:
    names = {u.guid: u.name for u in project.users}
    codes = {c.guid: c.name for c in project.codes}
    texts = {d.guid: d.text for d in project.documents}
    found: dict[str, list[tuple[str, str]]] = {}
    for c in project.codings:
        found.setdefault(names[c.user_guid], []).append(
            (codes[c.code_guid], texts[c.document_guid][c.start : c.end])
        )
    return {name: sorted(items) for name, items in found.items()}


def memo_kinds(project: ExchangeProject) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for memo in project.memos:
        kinds[memo.target_kind] = kinds.get(memo.target_kind, 0) + 1
    return kinds


def _read(fixture: fx.Fixture) -> tuple[ExchangeProject, ImportReport]:
    return read_qdpx(fixture.archive)


@pytest.mark.parametrize("point", sorted(fx.FIXTURES))
def test_fixture_is_valid_refi(point: str, schema: Any) -> None:
    schema.validate(fx.FIXTURES[point]().qde)


@pytest.mark.parametrize("point", sorted(fx.FIXTURES))
def test_fixture_imports_as_expected(point: str) -> None:
    fixture = fx.FIXTURES[point]()
    project, report = _read(fixture)
    expected = fixture.expected
    assert [d.title for d in project.documents] == expected.documents
    assert per_coder(project) == expected.codings
    assert [u.name for u in project.users] == expected.users
    assert report.codings_lost == expected.lost
    # Every coding in the file either came in or is counted as lost.
    assert report.codings_in_file == len(project.codings) + report.codings_lost
    assert report.partial == (expected.lost > 0)
    if report.partial:
        assert report.summary().startswith(f"LOST: {expected.lost} of the")
    assert memo_kinds(project) == expected.memos


@pytest.mark.parametrize("point", sorted(fx.FIXTURES))
def test_fixture_round_trips_and_its_export_is_valid(point: str, schema: Any) -> None:
    first, _ = _read(fx.FIXTURES[point]())
    schema.validate(project_xml(first).decode())
    again, report = read_qdpx(write_qdpx(first))
    assert [(c.guid, c.name, c.color, c.parent_guid) for c in again.codes] == [
        (c.guid, c.name, c.color, c.parent_guid) for c in first.codes
    ]
    assert [(d.guid, d.title, d.text, d.attributes) for d in again.documents] == [
        (d.guid, d.title, d.text, d.attributes) for d in first.documents
    ]
    assert per_coder(again) == per_coder(first)
    assert [(u.guid, u.name, u.email, u.consensus) for u in again.users] == [
        (u.guid, u.name, u.email, u.consensus) for u in first.users
    ]
    key = lambda m: (m.text, m.target_kind, m.target_guid, m.author_guid)  # noqa: E731
    assert sorted(map(key, again.memos)) == sorted(map(key, first.memos))
    assert {
        name: again.variable_types.get(name) for d in again.documents for name in d.attributes
    } == {name: first.variable_types.get(name) for d in first.documents for name in d.attributes}
    assert not report.partial


def test_1_empty_source_is_skipped_by_name_with_the_reason() -> None:
    _, report = _read(fx.empty_source())
    (skipped,) = [s for s in report.skipped if s.kind == "source"]
    assert skipped.name == "Blank memo page"
    assert "empty" in skipped.reason


def test_3_braced_guids_lose_nothing_and_attribute_the_note() -> None:
    project, report = _read(fx.braced_guids())
    assert not report.warnings  # no "Unknown user"
    assert {u.guid for u in project.users} == {fx.ALICE, fx.BOB}
    assert project.documents[0].guid == fx.DOC_1
    (note,) = project.memos
    shame = next(c for c in project.codings if c.code_guid == fx.CODE_A)
    assert (note.target_kind, note.target_guid, note.author_guid) == ("coding", shame.guid, fx.BOB)


def test_4_only_paths_outside_the_archive_are_refused() -> None:
    _, report = _read(fx.outside_path())
    (source,) = [s for s in report.skipped if s.kind == "source"]
    assert source.name == "Interview 2"
    assert "outside the archive" in source.reason
    lines = report.summary().splitlines()
    assert lines[0] == "LOST: 1 of the 3 codings in the file do not come in."
    assert "Interview 2" in lines[1] and "outside the archive" in lines[1]


@pytest.mark.parametrize(
    "path",
    ["../doc.txt", "/etc/doc.txt", "file:///home/ane/doc.txt", "relative://doc.txt", "C:doc.txt"],
)
def test_4_paths_that_leave_the_archive_are_refused(path: str) -> None:
    fixture = fx.relative_paths()
    qde = fixture.qde.replace(f'plainTextPath="{fx.DOC_1}.txt"', f'plainTextPath="{path}"')
    _, report = read_qdpx(fx.make_qdpx(qde, fixture.files))
    assert report.codings_lost == 2
    assert any("outside the archive" in s.reason for s in report.skipped)


def test_5_cases_keep_every_value_with_its_type() -> None:
    project, report = _read(fx.two_cases())
    assert {d.title: d.attributes for d in project.documents} == fx.CASE_ATTRIBUTES
    for document in project.documents:
        for name, value in document.attributes.items():
            assert type(value) is type(fx.CASE_ATTRIBUTES[document.title][name])
    assert any("2 cases (P1, P2)" in w for w in report.warnings)
    xml = project_xml(project).decode()
    for name, kind in fx.CASE_TYPES.items():
        assert f'name="{name}" typeOfVariable="{kind}"' in xml


def test_6_notes_and_descriptions_become_coding_memos() -> None:
    project, _ = _read(fx.coding_notes())
    by_code = {c.code_guid: c for c in project.codings}
    shame, relief = by_code[fx.CODE_A], by_code[fx.CODE_B]
    assert shame.memo == "Strong word for a first answer."
    targets = {m.title: (m.target_kind, m.target_guid) for m in project.memos}
    assert targets == {
        "Shame or guilt": ("coding", shame.guid),
        "Relief": ("coding", relief.guid),
    }


def test_8_only_accords_mark_makes_a_consensus_layer() -> None:
    project, _ = _read(fx.user_named_consensus())
    assert not any(u.consensus for u in project.users)
    marked = fx.user_named_consensus().qde.replace(
        'name="Consensus"/>', 'name="Consensus" id="accord:consensus"/>'
    )
    project, _ = read_qdpx(fx.make_qdpx(marked, fx.user_named_consensus().files))
    assert [u.name for u in project.users if u.consensus] == ["Consensus"]


def test_9_three_digit_colours_expand() -> None:
    project, _ = _read(fx.short_colours())
    assert [c.color for c in project.codes] == ["#FF00AA", "#AABBCC"]


def test_12_and_14_media_texts_come_in_and_the_rest_is_said_well() -> None:
    project, report = _read(fx.media_texts())
    assert [d.text for d in project.documents] == [fx.PDF_TEXT, fx.AUDIO_TEXT, fx.VIDEO_TEXT]
    assert project.documents[0].guid == fx.PDF
    reasons = {s.name: s.reason for s in report.skipped if s.kind == "source"}
    assert reasons == {"ward.jpg": "it is a picture source with no text Accord can code"}
    lines = report.loss_lines()
    assert lines[0] == "LOST: 2 of the 5 codings in the file do not come in."
    assert any("page areas in a PDF source 'Annual report.pdf'" in line for line in lines)
    assert any("time spans in an audio source 'Interview 5.m4a'" in line for line in lines)
    assert " a audio" not in report.summary()


def test_4_url_encoded_paths_resolve_and_unreadable_texts_cost_only_their_source() -> None:
    fixture = fx.relative_paths()
    qde = fixture.qde.replace(
        f'plainTextPath="{fx.DOC_1}.txt"', 'plainTextPath="Interview%201.txt"'
    )
    files = {
        "sources/Interview 1.txt": fx.TEXT_1.encode(),
        f"sources/{fx.DOC_2}.txt": "P2: Hvem ringte? Æ.".encode("cp1252"),
    }
    project, report = read_qdpx(fx.make_qdpx(qde, files))
    assert [d.title for d in project.documents] == ["Interview 1"]
    (skipped,) = [s for s in report.skipped if s.kind == "source"]
    assert skipped.name == "Interview 2"
    assert "neither UTF-8 nor UTF-16" in skipped.reason
    assert report.codings_lost == 1 and len(project.codings) == 2
