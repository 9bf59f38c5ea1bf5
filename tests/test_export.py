"""Exports from the real database: REFI-QDA valid against the XSD, a round trip through
import, stable GUIDs, the exact CSV header, JSON, and refusals for coders and strangers,
through the service and through the exportUrl download route."""

from __future__ import annotations

import csv
import io
import json
import secrets
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg
import pytest

from accord.config import Settings
from accord.errors import Forbidden, NotFound
from accord.exchange import exporting, importing
from accord.interop import read_qdc, stable_guid, write_qdpx
from accord.users import service as users
from accord.users.model import User
from tests.interop.sample import sample_project
from tests.support import REFI_DATA, Api, Person

XSD = REFI_DATA / "Project.xsd"
NS = "{urn:QDA-XML:project:1.0}"


@dataclass
class Study:
    project_id: UUID
    lead: Person
    coder: Person
    viewer: Person
    stranger: Person


async def _user(pool: asyncpg.Pool, person: Person) -> User:
    async with pool.acquire() as conn:
        return await users.user_by_email(conn, person.email)


@pytest.fixture(scope="module")
async def study(app_client: Any, pool: asyncpg.Pool, settings: Settings) -> Study:
    """The sample project (two coders' layers and a consensus layer) imported by a lead."""
    api = Api(app_client, pool)
    lead, coder, viewer, stranger = [
        await api.person(n) for n in ("lead", "coder", "viewer", "stranger")
    ]
    async with pool.acquire() as conn, conn.transaction():
        outcome = await importing.import_file(
            conn, settings, await _user(pool, lead), write_qdpx(sample_project()), "s.qdpx"
        )
    pid = str(outcome.project_id)
    await api.add_member(lead, pid, coder, "CODER")
    await api.add_member(lead, pid, viewer, "VIEWER")
    return Study(outcome.project_id, lead, coder, viewer, stranger)


async def _export(
    pool: asyncpg.Pool, who: Person, project_id: UUID, fmt: str, **options: Any
) -> exporting.Export:
    async with pool.acquire() as conn:
        return await exporting.export_project(
            conn, await _user(pool, who), project_id, fmt, **options
        )


def _qde(content: bytes) -> ET.Element:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return ET.fromstring(archive.read("project.qde"))


async def test_qdpx_validates_against_the_refi_schema(study: Study, pool: asyncpg.Pool) -> None:
    import xmlschema

    schema = xmlschema.XMLSchema(str(XSD))
    for positions in ("codepoints", "utf16"):
        export = await _export(pool, study.lead, study.project_id, "qdpx", positions=positions)
        with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
            schema.validate(archive.read("project.qde").decode())
    assert export.filename == "peer-support-study.qdpx"


async def test_layers_are_attributed_to_their_users_and_consensus(
    study: Study, pool: asyncpg.Pool
) -> None:
    root = _qde((await _export(pool, study.lead, study.project_id, "qdpx")).content)
    names = {u.get("guid"): u.get("name") for u in root.iter(NS + "User")}
    # Every member is a user of the file, coded or not: the lead (who also wrote the notes
    # that had no author in the file), the coder and the viewer added after the import.
    assert sorted(names.values()) == [
        "Alice Berg",
        "Bjørn Dahl",
        "Coder",
        "Consensus",
        "Lead",
        "Viewer",
    ]
    ids = {u.get("name"): u.get("id") for u in root.iter(NS + "User")}
    # Alice and Bjørn became placeholder accounts: their made-up addresses stay out, and
    # the addresses the imported file gave them (by which their people claim them) go back.
    assert ids["Alice Berg"] == "alice@example.org" and ids["Bjørn Dahl"] == "bjorn@example.org"
    assert ids["Lead"] == study.lead.email and ids["Consensus"] == "accord:consensus"
    by_user: dict[str, int] = {}
    for selection in root.iter(NS + "PlainTextSelection"):
        coding = selection.find(NS + "Coding")
        assert coding is not None
        assert coding.get("creatingUser") == selection.get("creatingUser")
        name = names[selection.get("creatingUser")]
        by_user[name] = by_user.get(name, 0) + 1
    assert by_user == {"Alice Berg": 3, "Bjørn Dahl": 2, "Consensus": 2}
    categories = [c.get("name") for c in root.iter(NS + "Code") if c.get("isCodable") == "false"]
    assert categories == ["Barriers", "Facilitators"]


async def test_guids_are_stable_across_exports(study: Study, pool: asyncpg.Pool) -> None:
    first = await _export(pool, study.lead, study.project_id, "qdpx")
    second = await _export(pool, study.viewer, study.project_id, "qdpx")
    assert first.content == second.content
    async with pool.acquire() as conn:
        code_ids = await conn.fetch("SELECT id FROM codes WHERE project_id = $1", study.project_id)
    guids = {c.get("guid") for c in _qde(first.content).iter(NS + "Code")}
    assert guids == {stable_guid("code", r["id"]) for r in code_ids}


async def test_utf16_positions_count_emoji_twice(study: Study, pool: asyncpg.Pool) -> None:
    def spans(content: bytes) -> list[tuple[int, int]]:
        return [
            (int(s.get("startPosition", 0)), int(s.get("endPosition", 0)))
            for s in _qde(content).iter(NS + "PlainTextSelection")
        ]

    points = spans((await _export(pool, study.lead, study.project_id, "qdpx")).content)
    units = spans(
        (await _export(pool, study.lead, study.project_id, "qdpx", positions="utf16")).content
    )
    assert len(points) == len(units)
    assert any(u != p for u, p in zip(units, points, strict=True))
    assert all(u[0] >= p[0] for u, p in zip(units, points, strict=True))


async def _layers(pool: asyncpg.Pool, project_id: UUID) -> dict[str, list[tuple[Any, ...]]]:
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT coalesce(u.name, 'consensus') AS layer, d.title, k.name, c.start_offset, "
            "c.end_offset, c.memo FROM codings c JOIN documents d ON d.id = c.document_id "
            "JOIN codes k ON k.id = c.code_id LEFT JOIN users u ON u.id = c.coder_id "
            "WHERE c.project_id = $1",
            project_id,
        )
    out: dict[str, list[tuple[Any, ...]]] = {}
    for r in rows:
        out.setdefault(r["layer"], []).append(tuple(r)[1:])
    return {k: sorted(v) for k, v in out.items()}


async def _codebook(pool: asyncpg.Pool, project_id: UUID) -> list[tuple[Any, ...]]:
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT k.name, p.name AS parent, k.codable, k.color, k.definition FROM codes k "
            "LEFT JOIN codes p ON p.id = k.parent_id WHERE k.project_id = $1",
            project_id,
        )
    return sorted((tuple(r) for r in rows), key=str)


async def _documents(pool: asyncpg.Pool, project_id: UUID) -> list[tuple[Any, ...]]:
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT title, body, attributes FROM documents WHERE project_id = $1 ORDER BY seq",
            project_id,
        )
    return [(r["title"], r["body"], r["attributes"]) for r in rows]


async def test_round_trip_keeps_codebook_documents_and_layers(
    study: Study, pool: asyncpg.Pool, settings: Settings
) -> None:
    export = await _export(pool, study.lead, study.project_id, "qdpx")
    async with pool.acquire() as conn, conn.transaction():
        again = await importing.import_file(
            conn, settings, await _user(pool, study.lead), export.content, export.filename
        )
    assert await _codebook(pool, again.project_id) == await _codebook(pool, study.project_id)
    assert await _documents(pool, again.project_id) == await _documents(pool, study.project_id)
    layers = await _layers(pool, again.project_id)
    assert layers == await _layers(pool, study.project_id)
    # The file's users became placeholder accounts in the first import, and the same
    # accounts again on the way back in (the importer shares the project with them).
    assert set(layers) == {"Alice Berg", "Bjørn Dahl", "consensus"}
    assert again.report.counts["placeholder accounts"] == 0
    # Known by the GUIDs the export gave them, no made-up address needed.
    assert {a.how for a in again.report.accounts} == {"export"}
    async with pool.acquire() as conn:
        memos = await conn.fetch(
            "SELECT target_type, count(*) AS n FROM memos WHERE project_id = $1 "
            "GROUP BY target_type",
            again.project_id,
        )
        members = [
            {
                r["user_id"]
                for r in await conn.fetch(
                    "SELECT user_id FROM project_members WHERE project_id = $1", pid
                )
            }
            for pid in (study.project_id, again.project_id)
        ]
    # The note on a coding stays on the coding, not on its document.
    assert {r["target_type"]: r["n"] for r in memos} == {
        "PROJECT": 1,
        "DOCUMENT": 1,
        "CODE": 1,
        "CODING": 1,
    }
    # Every member came back, the coder and the viewer with no codings included.
    assert members[0] == members[1]


async def test_qdc_export_reads_back_as_the_codebook(study: Study, pool: asyncpg.Pool) -> None:
    export = await _export(pool, study.lead, study.project_id, "qdc")
    codes, _report = read_qdc(export.content)
    assert [(c.name, c.codable) for c in codes] == [
        (c.name, c.codable) for c in sample_project().codes
    ]


async def test_csv_header_is_exact_and_rows_cover_every_layer(
    study: Study, pool: asyncpg.Pool
) -> None:
    export = await _export(pool, study.viewer, study.project_id, "csv")
    text = export.content.decode()
    assert (
        text.splitlines()[0]
        == "document,document_id,coder,round,code,code_path,start,end,text,memo"
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 7
    async with pool.acquire() as conn:
        coders = await conn.fetch(
            "SELECT u.email, u.claim_email FROM project_members m JOIN users u "
            "ON u.id = m.user_id WHERE m.project_id = $1 AND u.password_hash IS NULL",
            study.project_id,
        )
    # The coders are the file's placeholders: named by the address the file gave them,
    # never by their made-up one.
    assert {r["coder"] for r in rows} == {c["claim_email"] for c in coders} | {"consensus"}
    assert len(coders) == 2 and all(c["claim_email"] for c in coders)
    assert "imported.accord.invalid" not in text
    async with pool.acquire() as conn:
        bodies = {
            str(r["id"]): r["body"]
            for r in await conn.fetch(
                "SELECT id, body FROM documents WHERE project_id = $1", study.project_id
            )
        }
    for r in rows:
        assert bodies[r["document_id"]][int(r["start"]) : int(r["end"])] == r["text"]
        assert r["code_path"].endswith(r["code"])
        assert r["round"] == "Main"
    shame = next(r for r in rows if r["memo"] == "emoji kept inside")
    assert shame["code_path"] == "Barriers > Shame"


async def test_json_export_holds_the_whole_project(study: Study, pool: asyncpg.Pool) -> None:
    data = json.loads((await _export(pool, study.lead, study.project_id, "json")).content)
    assert data["project"]["name"] == "Peer support study"
    assert len(data["codes"]) == 6
    assert len(data["documents"]) == 2
    assert len(data["codings"]) == 7
    assert {c["layer"] for c in data["codings"]} == {"CODER", "CONSENSUS"}
    assert {m["role"] for m in data["members"]} == {"LEAD", "CODER", "VIEWER"}


async def test_decision_log_exports(study: Study, pool: asyncpg.Pool) -> None:
    md = await _export(pool, study.lead, study.project_id, "decisions-md")
    assert "Peer support study" in md.content.decode()
    log = await _export(pool, study.viewer, study.project_id, "decisions-csv")
    assert log.media_type.startswith("text/csv")


@pytest.mark.parametrize("fmt", exporting.FORMATS)
async def test_a_coder_cannot_export_and_a_stranger_finds_nothing(
    fmt: str, study: Study, pool: asyncpg.Pool
) -> None:
    with pytest.raises(Forbidden):
        await _export(pool, study.coder, study.project_id, fmt)
    with pytest.raises(NotFound):
        await _export(pool, study.stranger, study.project_id, fmt)


EXPORT_URL = """query($p: ID!, $f: ExportFormat!, $u: PositionUnit!, $a: AgreementInput) {
  exportUrl(projectId: $p, format: $f, positions: $u, agreement: $a) }"""


async def test_export_url_and_download(study: Study, api: Api) -> None:
    pid = str(study.project_id)
    variables = {"p": pid, "f": "QDPX", "u": "UTF16"}
    url = (await api.gql(EXPORT_URL, variables, as_=study.lead))["exportUrl"]
    assert url.startswith(f"/exports/{pid}?") and "positions=utf16" in url
    response = await api.client.get(url, headers={"authorization": f"Bearer {study.lead.token}"})
    assert response.status_code == 200
    assert response.headers["content-disposition"] == (
        'attachment; filename="peer-support-study.qdpx"'
    )
    assert zipfile.ZipFile(io.BytesIO(response.content)).namelist()[0] == "project.qde"

    csv_url = (await api.gql(EXPORT_URL, {**variables, "f": "CSV"}, as_=study.viewer))["exportUrl"]
    viewer = {"authorization": f"Bearer {study.viewer.token}"}
    response = await api.client.get(csv_url, headers=viewer)
    assert response.text.startswith("document,document_id,coder,round,")

    assert await api.error_code(EXPORT_URL, variables, as_=study.coder) == "FORBIDDEN"
    assert await api.error_code(EXPORT_URL, variables, as_=study.stranger) == "NOT_FOUND"
    for who, status in ((study.coder, 403), (study.stranger, 404)):
        response = await api.client.get(url, headers={"authorization": f"Bearer {who.token}"})
        assert response.status_code == status
        assert response.json()["errors"][0]["extensions"]["code"] in ("FORBIDDEN", "NOT_FOUND")
    assert (await api.client.get(url)).status_code == 401
    report_vars = {**variables, "f": "REPORT", "a": {"unitMode": "UNITS", "unitKind": "SENTENCE"}}
    report_url = (await api.gql(EXPORT_URL, report_vars, as_=study.lead))["exportUrl"]
    page = (await api.client.get(report_url, headers=viewer)).text
    assert 'id="methods"' in page and "sentences" in page
    tampered = report_url.split("&agreement=")[0] + '&agreement={"min_coverage":"x"}'
    assert (await api.client.get(tampered, headers=viewer)).status_code == 400
    bad = f"/exports/{pid}?format=pdf"
    assert (await api.client.get(bad, headers=viewer)).status_code == 400
    fake = f"/exports/{UUID(int=secrets.randbits(128))}?format=csv"
    assert (await api.client.get(fake, headers=viewer)).status_code == 404
