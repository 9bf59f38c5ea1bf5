from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest

from accord.interop.errors import ExportError
from accord.interop.limits import DEFAULT_LIMITS
from accord.interop.model import ExchangeProject
from accord.interop.positions import utf16_offset
from accord.interop.qdpx_reader import read_qdpx
from accord.interop.qdpx_writer import PositionUnit, project_xml, write_qdpx
from accord.interop.safe_zip import open_zip
from tests.interop.sample import CONSENSUS, TEXT_1, sample_project
from tests.support import REFI_DATA

XSD = REFI_DATA / "Project.xsd"
NS = "{urn:QDA-XML:project:1.0}"


@pytest.fixture(scope="module")
def schema() -> Any:
    import xmlschema

    return xmlschema.XMLSchema(str(XSD))


def _codings(project: ExchangeProject) -> dict[str, set[tuple[object, ...]]]:
    layers: dict[str, set[tuple[object, ...]]] = {}
    for c in project.codings:
        layers.setdefault(c.user_guid, set()).add(
            (c.guid, c.document_guid, c.code_guid, c.start, c.end, c.memo)
        )
    return layers


@pytest.mark.parametrize("positions", ["codepoints", "utf16"])
def test_round_trip_keeps_codebook_documents_codings_and_memos(positions: PositionUnit) -> None:
    original = sample_project()
    exchange, report = read_qdpx(write_qdpx(original, positions=positions))
    assert exchange.name == original.name
    assert exchange.description == original.description
    assert exchange.codes == original.codes
    assert [(d.guid, d.title, d.text, d.attributes) for d in exchange.documents] == [
        (d.guid, d.title, d.text, d.attributes) for d in original.documents
    ]
    assert _codings(exchange) == _codings(original)
    assert [(u.guid, u.name) for u in exchange.users] == [(u.guid, u.name) for u in original.users]
    key = lambda m: (m.guid, m.text, m.target_kind, m.target_guid, m.title, m.author_guid)  # noqa: E731
    assert sorted(map(key, exchange.memos)) == sorted(map(key, original.memos))
    assert {p.interpretation for p in report.positions} == {positions}
    assert not report.skipped and not report.warnings


@pytest.mark.parametrize("positions", ["codepoints", "utf16"])
def test_export_validates_against_the_refi_schema(schema: Any, positions: PositionUnit) -> None:
    schema.validate(project_xml(sample_project(), positions).decode())


def test_schema_check_is_real(schema: Any) -> None:
    assert not schema.is_valid('<Project xmlns="urn:QDA-XML:project:1.0"><Sets/></Project>')


def test_empty_project_is_valid_and_has_no_empty_sets(schema: Any) -> None:
    xml = project_xml(ExchangeProject("Empty"))
    schema.validate(xml.decode())
    assert b"<Sets" not in xml


def test_each_layer_is_attributed_on_selection_and_coding() -> None:
    root = ET.fromstring(project_xml(sample_project()))
    names = {u.get("guid"): u.get("name") for u in root.iter(NS + "User")}
    seen = set()
    for selection in root.iter(NS + "PlainTextSelection"):
        coding = selection.find(NS + "Coding")
        assert coding is not None
        assert selection.get("creatingUser") == coding.get("creatingUser")
        seen.add(names[coding.get("creatingUser")])
    assert seen == {"Alice Berg", "Bjørn Dahl", "Consensus"}
    codes = {c.get("name"): c for c in root.iter(NS + "Code")}
    assert codes["Barriers"].get("isCodable") == "false"
    assert codes["Shame"] in list(codes["Barriers"])


def test_utf16_option_writes_nvivo_positions() -> None:
    project = sample_project()
    consensus = next(c for c in project.codings if c.user_guid == CONSENSUS)
    root = ET.fromstring(project_xml(project, "utf16"))
    selection = next(
        s
        for s in root.iter(NS + "PlainTextSelection")
        if s.find(NS + "Coding").get("guid") == consensus.guid  # type: ignore[union-attr]
    )
    assert int(selection.get("startPosition", "")) == utf16_offset(TEXT_1, consensus.start)
    assert int(selection.get("startPosition", "")) == consensus.start + 1  # one emoji before


def test_exports_are_byte_for_byte_stable() -> None:
    assert write_qdpx(sample_project()) == write_qdpx(sample_project())


def test_archive_layout() -> None:
    project = sample_project()
    with open_zip(write_qdpx(project), DEFAULT_LIMITS) as archive:
        names = set(archive.names)
        assert names == {"project.qde"} | {f"sources/{d.guid}.txt" for d in project.documents}
        text = archive.read(f"sources/{project.documents[0].guid}.txt")
    assert text.decode("utf-8") == project.documents[0].text
    assert b"internal://" + project.documents[0].guid.encode() + b".txt" in project_xml(project)


def test_inconsistent_projects_are_refused() -> None:
    project = sample_project()
    project.codings[0].end = 10_000
    with pytest.raises(ExportError, match="outside the text"):
        write_qdpx(project)
    project = sample_project()
    project.codings[0].code_guid = "missing"
    with pytest.raises(ExportError, match="missing from the export"):
        write_qdpx(project)
    with pytest.raises(ExportError):
        write_qdpx(sample_project(), positions="bytes")  # type: ignore[arg-type]


def test_non_guid_ids_get_derived_guids(schema: Any) -> None:
    project = sample_project()
    project.documents[0].guid = "doc-1"
    for coding in project.codings:
        if coding.document_guid != project.documents[1].guid:
            coding.document_guid = "doc-1"
    for memo in project.memos:
        if memo.target_kind == "document":
            memo.target_guid = "doc-1"
    schema.validate(project_xml(project).decode())


def test_emails_can_be_left_out() -> None:
    exchange, _ = read_qdpx(write_qdpx(sample_project(), include_emails=False))
    assert all(u.email is None for u in exchange.users)
    assert b"@example.org" not in project_xml(sample_project(), include_emails=False)
