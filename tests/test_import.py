"""Imports into the real database: real REFI-QDA files, transcripts, codebooks, hostile
files refused with the database unchanged, and the GraphQL multipart upload."""

from __future__ import annotations

import io
import json
import secrets
from pathlib import Path
from typing import Any
from uuid import UUID

import asyncpg
import docx
import httpx
import pytest
from asgi_lifespan import LifespanManager

from accord.app import create_app
from accord.config import Settings
from accord.errors import InvalidInput, TooLarge
from accord.exchange import importing
from accord.interop import ImportLimits, write_qdc, write_qdpx
from accord.interop.positions import on_word_boundary
from accord.users import service as users
from accord.users.model import User
from tests.conftest import SECRET_KEY, settings_for
from tests.interop.builders import (
    CODEBOOK,
    SOURCE,
    USERS,
    lie_about_sizes,
    make_qdpx,
    make_zip,
    project,
    sel_guid,
    selection,
)
from tests.interop.sample import sample_project
from tests.support import REFI_DATA, Api, Person

REFI = REFI_DATA
# From the folder's README: users, codes, text sources, codings.
EXPECTED = {
    "nvivo-mac-12.7-oltas.qdpx": (2, 152, 2, 297),
    "nvivo-win-12.6-oltas.qdpx": (2, 60, 1, 97),
    "nvivo-win-12.6-oltas0517.qdpx": (2, 152, 2, 303),
    # Its Sources/ folder is empty: the text sources are reported as skipped.
    "atlasti-8.4-testproject.qdpx": (3, 14, 0, 0),
}
TABLES = (
    "projects",
    "users",
    "project_members",
    "documents",
    "document_units",
    "codes",
    "codings",
    "assignments",
    "reveals",
    "memos",
    "events",
)
SMALL = ImportLimits(
    max_file_bytes=1_000_000, max_entry_bytes=200_000, max_total_bytes=300_000, max_entries=20
)
VTT = """WEBVTT

1
00:00:01.000 --> 00:00:04.000
<v Anna Berg>Hei, og takk for at du stiller opp.</v>

2
00:00:04.500 --> 00:00:09.000
<v P07>Ja, gjerne 😀.

3
00:01:09.000 --> 00:01:12.250
Anna Berg: Takk.
"""


@pytest.fixture(scope="module")
def big(database_url: str) -> Settings:
    """Default limits: the NVivo transcripts are larger than the suite's 200 kB cap."""
    return settings_for(database_url)


async def _user(pool: asyncpg.Pool, name: str = "lead") -> User:
    async with pool.acquire() as conn:
        return await users.create_user(
            conn, f"{name}-{secrets.token_hex(4)}@example.org", name.title(), "password-123"
        )


async def _import(
    pool: asyncpg.Pool, settings: Settings, user: User, data: Any, filename: str, **options: Any
) -> importing.ImportOutcome:
    async with pool.acquire() as conn, conn.transaction():
        return await importing.import_file(conn, settings, user, data, filename, **options)


async def _counts(pool: asyncpg.Pool) -> dict[str, int]:
    async with pool.acquire() as conn:
        return {t: await conn.fetchval(f"SELECT count(*) FROM {t}") for t in TABLES}


def _real(name: str) -> Path:
    path = REFI / name
    return path


@pytest.fixture(scope="module")
async def real_imports(pool: asyncpg.Pool, big: Settings) -> dict[str, importing.ImportOutcome]:
    """Each real file imported once for the module (the NVivo texts are 600k characters)."""
    lead = await _user(pool)
    return {name: await _import(pool, big, lead, _real(name), name) for name in EXPECTED}


@pytest.mark.parametrize("name", sorted(EXPECTED))
async def test_real_file_imports_with_readme_counts(
    name: str, real_imports: dict[str, importing.ImportOutcome], pool: asyncpg.Pool
) -> None:
    outcome = real_imports[name]
    users_, codes, sources, codings = EXPECTED[name]
    async with pool.acquire() as conn:
        pid = outcome.project_id
        members = await conn.fetchval(
            "SELECT count(*) FROM project_members WHERE project_id = $1 AND role = 'CODER'", pid
        )
        stored = {
            t: await conn.fetchval(f"SELECT count(*) FROM {t} WHERE project_id = $1", pid)
            for t in ("codes", "documents", "codings")
        }
        layers = await conn.fetch(
            "SELECT coder_id, count(*) FROM codings WHERE project_id = $1 GROUP BY coder_id", pid
        )
        submitted = await conn.fetchval(
            "SELECT count(*) FROM assignments WHERE project_id = $1 AND status = 'SUBMITTED'", pid
        )
        revealed = await conn.fetchval(
            "SELECT count(*) FROM reveals r JOIN documents d ON d.id = r.document_id "
            "WHERE d.project_id = $1",
            pid,
        )
    assert members == users_
    assert stored == {"codes": codes, "documents": sources, "codings": codings}
    assert outcome.report.counts["codes"] == codes
    assert outcome.report.counts["codings"] == codings
    assert all(r["coder_id"] is not None for r in layers)
    assert submitted == len(layers) * sources
    assert revealed == (sources if layers else 0)
    if name.startswith("atlasti"):
        assert {s.kind for s in outcome.report.skipped} >= {"source"}


@pytest.mark.parametrize("name", [n for n in sorted(EXPECTED) if n.startswith("nvivo")])
async def test_nvivo_selections_land_on_word_boundaries(
    name: str, real_imports: dict[str, importing.ImportOutcome], pool: asyncpg.Pool
) -> None:
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT d.body, d.length, c.start_offset, c.end_offset FROM codings c "
            "JOIN documents d ON d.id = c.document_id WHERE c.project_id = $1",
            real_imports[name].project_id,
        )
    assert rows
    on = 0
    for r in rows:
        assert 0 <= r["start_offset"] < r["end_offset"] <= r["length"]
        on += on_word_boundary(r["body"], r["start_offset"]) and on_word_boundary(
            r["body"], r["end_offset"]
        )
    assert on / len(rows) >= 0.95


async def test_reimport_never_matches_accounts_by_name(
    real_imports: dict[str, importing.ImportOutcome], pool: asyncpg.Pool, big: Settings
) -> None:
    """The file's users carry no email: a second import makes placeholders of its own,
    even though accounts with those names exist since the fixture's import."""
    path = _real("nvivo-win-12.6-oltas.qdpx")
    lead = await _user(pool)
    before = await _counts(pool)
    outcome = await _import(pool, big, lead, path, path.name)
    after = await _counts(pool)
    assert after["users"] == before["users"] + 2
    assert outcome.report.counts["accounts matched"] == 0
    assert outcome.report.counts["placeholder accounts"] == 2
    assert {(a.name, a.how) for a in outcome.report.accounts} == {
        ("Gergo", "created"),
        ("floriansipos", "created"),
    }
    async with pool.acquire() as conn:
        names = await conn.fetch(
            "SELECT DISTINCT u.name, u.password_hash IS NULL AS placeholder FROM codings c "
            "JOIN users u ON u.id = c.coder_id WHERE c.project_id = $1",
            outcome.project_id,
        )
    # The codings kept their coder although the selections were re-stamped by the importer.
    assert [(r["name"], r["placeholder"]) for r in names] == [("floriansipos", True)]


def _hostile() -> dict[str, bytes]:
    text = "Interviewer: Hvordan var det?\nP07: Jeg skammet meg litt.\n"
    source = (
        f'<Sources><TextSource guid="{SOURCE}" name="Interview 7" '
        f'plainTextPath="internal://{SOURCE}.txt">{{}}</TextSource></Sources>'
    )
    good = project(USERS + CODEBOOK + source.format(selection(sel_guid(1), 0, 11)))
    files = {f"sources/{SOURCE}.txt": text.encode()}
    xxe = (
        '<?xml version="1.0"?>\n<!DOCTYPE Project [<!ENTITY secret SYSTEM '
        '"file:///etc/passwd">]>\n<Project xmlns="urn:QDA-XML:project:1.0" name="&secret;"/>'
    )
    complete = make_qdpx(good, files)
    return {
        "zip bomb": make_qdpx(good, {**files, "sources/bomb.txt": b"\0" * 5_000_000}),
        "lying zip bomb": lie_about_sizes(make_zip({"project.qde": b"\0" * 5_000_000}), 100),
        "xxe": make_qdpx(xxe),
        "path traversal": make_qdpx(good, {**files, "../../evil.txt": b"x"}),
        "truncated zip": complete[: len(complete) // 2],
    }


@pytest.mark.parametrize("case", sorted(_hostile()))
async def test_hostile_files_refused_and_nothing_changes(
    case: str, pool: asyncpg.Pool, settings: Settings
) -> None:
    lead = await _user(pool)
    before = await _counts(pool)
    with pytest.raises((InvalidInput, TooLarge)) as caught:
        await _import(pool, settings, lead, _hostile()[case], "study.qdpx", limits=SMALL)
    assert caught.value.message
    assert await _counts(pool) == before


def _past_the_end() -> bytes:
    text = "Interviewer: Hvordan var det?\nP07: Jeg skammet meg litt.\n"
    selections = selection(sel_guid(1), 0, 11) + selection(sel_guid(2), 3, 10_000)
    source = (
        f'<Sources><TextSource guid="{SOURCE}" name="Interview 7" '
        f'plainTextPath="internal://{SOURCE}.txt">{selections}</TextSource></Sources>'
    )
    return make_qdpx(project(USERS + CODEBOOK + source), {f"sources/{SOURCE}.txt": text.encode()})


async def test_a_selection_past_the_end_is_a_loss_not_a_refusal_of_the_project(
    pool: asyncpg.Pool, settings: Settings
) -> None:
    """Refused as a partial import when losses are not allowed (nothing written); with
    them allowed, the source and its other coding come in and the report leads with
    the lost one."""
    lead = await _user(pool)
    before = await _counts(pool)
    with pytest.raises(importing.PartialImport) as refused:
        await _import(pool, settings, lead, _past_the_end(), "s.qdpx", allow_partial=False)
    assert refused.value.message.startswith("LOST: 1 of the 2 codings")
    assert "past the end of its text" in refused.value.message
    assert await _counts(pool) == before
    outcome = await _import(pool, settings, lead, _past_the_end(), "s.qdpx")
    assert outcome.report.summary().startswith("LOST: 1 of the 2 codings")
    texts = await pool.fetch(
        "SELECT c.text FROM codings c WHERE c.project_id = $1", outcome.project_id
    )
    assert [r["text"] for r in texts] == ["Interviewer"]


async def test_failure_while_writing_leaves_no_partial_project(
    pool: asyncpg.Pool, database_url: str
) -> None:
    """The second document is over the text limit: the project and first document go too."""
    exchange = sample_project()
    first = len(exchange.documents[0].text.encode())
    exchange.documents[1].text = exchange.documents[1].text * 20
    assert len(exchange.documents[1].text.encode()) > first + 1
    tiny = settings_for(database_url, ACCORD_MAX_DOCUMENT_BYTES=str(first + 1))
    lead = await _user(pool)
    before = await _counts(pool)
    with pytest.raises(TooLarge):
        await _import(pool, tiny, lead, write_qdpx(exchange), "study.qdpx")
    assert await _counts(pool) == before


def _docx() -> bytes:
    document = docx.Document()
    paragraph = document.add_paragraph()
    paragraph.add_run("Interviewer:").bold = True
    paragraph.add_run(" Hvordan var det å be om hjelp?")
    document.add_paragraph("P07: Vanskelig 😀. Jeg skammet meg.")
    document.add_paragraph("Interviewer: Takk.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


async def _units(pool: asyncpg.Pool, document_id: UUID) -> list[asyncpg.Record]:
    async with pool.acquire() as conn:
        return list(
            await conn.fetch(
                "SELECT u.kind, u.start_offset, u.end_offset, u.speaker, u.data, d.body "
                "FROM document_units u JOIN documents d ON d.id = u.document_id "
                "WHERE u.document_id = $1 AND u.kind = 'SPEAKER_TURN' ORDER BY u.ordinal",
                document_id,
            )
        )


async def _project(api: Api) -> tuple[Person, str]:
    lead = await api.person("lead")
    return lead, await api.project(lead)


async def _as_user(pool: asyncpg.Pool, person: Person) -> User:
    async with pool.acquire() as conn:
        return await users.user_by_email(conn, person.email)


async def test_docx_becomes_a_document_with_speaker_turns(
    api: Api, pool: asyncpg.Pool, settings: Settings
) -> None:
    lead, pid = await _project(api)
    outcome = await _import(
        pool, settings, await _as_user(pool, lead), _docx(), "P07.docx", project_id=UUID(pid)
    )
    turns = await _units(pool, outcome.document_ids[0])
    body = turns[0]["body"]
    assert [t["speaker"] for t in turns] == ["Interviewer", "P07", "Interviewer"]
    assert body[turns[1]["start_offset"] : turns[1]["end_offset"]] == (
        "P07: Vanskelig 😀. Jeg skammet meg."
    )


async def test_docx_and_txt_dialogue_before_a_colon_is_no_speaker(
    api: Api, pool: asyncpg.Pool, settings: Settings
) -> None:
    """`My rule: never lie.` in a .docx or .txt transcript stays in its speaker's turn;
    a prose text whose one line has a prefix gets no turns at all."""
    lead, pid = await _project(api)
    document = docx.Document()
    document.add_paragraph("Interviewer: Hva styrer deg?")
    document.add_paragraph("P07: Jeg holder det enkelt.")
    document.add_paragraph("My rule: never lie.")
    document.add_paragraph("Interviewer: Alltid?")
    buffer = io.BytesIO()
    document.save(buffer)
    prose = "Vi møttes om våren.\nNote: the tape ran out early.\n".encode()
    me = await _as_user(pool, lead)
    turns = {}
    for data, name in ((buffer.getvalue(), "P07b.docx"), (prose, "notes.txt")):
        outcome = await _import(pool, settings, me, data, name, project_id=UUID(pid))
        turns[name] = await _units(pool, outcome.document_ids[0])
    docx_turns = turns["P07b.docx"]
    assert [t["speaker"] for t in docx_turns] == ["Interviewer", "P07", "Interviewer"]
    body = docx_turns[1]["body"]
    assert body[docx_turns[1]["start_offset"] : docx_turns[1]["end_offset"]].endswith(
        "My rule: never lie."
    )
    assert turns["notes.txt"] == []


async def test_vtt_becomes_speaker_turns_with_times(
    api: Api, pool: asyncpg.Pool, settings: Settings
) -> None:
    lead, pid = await _project(api)
    outcome = await _import(
        pool, settings, await _as_user(pool, lead), VTT.encode(), "call.vtt", project_id=UUID(pid)
    )
    assert outcome.report.counts == {"documents": 1, "speaker turns": 3}
    turns = await _units(pool, outcome.document_ids[0])
    assert [(t["speaker"], t["data"]) for t in turns] == [
        ("Anna Berg", {"startTime": 1.0, "endTime": 4.0}),
        ("P07", {"startTime": 4.5, "endTime": 9.0}),
        ("Anna Berg", {"startTime": 69.0, "endTime": 72.25}),
    ]
    for t in turns:
        assert t["body"][t["start_offset"] : t["end_offset"]].startswith(f"{t['speaker']}: ")
        assert t["data"]["startTime"] < t["data"]["endTime"]
    async with pool.acquire() as conn:
        kinds = await conn.fetch(
            "SELECT DISTINCT kind FROM document_units WHERE document_id = $1",
            outcome.document_ids[0],
        )
    assert {k["kind"] for k in kinds} == {"PARAGRAPH", "SPEAKER_TURN", "SENTENCE"}


async def test_txt_in_another_encoding_names_the_option(
    api: Api, pool: asyncpg.Pool, settings: Settings
) -> None:
    lead, pid = await _project(api)
    actor = await _as_user(pool, lead)
    data = "P07: Jeg følte skam.".encode("cp1252")
    with pytest.raises(InvalidInput, match="--encoding"):
        await _import(pool, settings, actor, data, "p07.txt", project_id=UUID(pid))
    outcome = await _import(
        pool, settings, actor, data, "p07.txt", project_id=UUID(pid), encoding="cp1252"
    )
    assert outcome.document_ids


async def test_qdc_adds_codes_and_skips_those_already_there(
    api: Api, pool: asyncpg.Pool, settings: Settings
) -> None:
    lead, pid = await _project(api)
    actor = await _as_user(pool, lead)
    qdc = write_qdc(sample_project().codes)
    first = await _import(pool, settings, actor, qdc, "book.qdc", project_id=UUID(pid))
    second = await _import(pool, settings, actor, qdc, "book.qdc", project_id=UUID(pid))
    assert first.report.counts["codes"] == 6
    assert second.report.counts["codes"] == 0
    assert len(second.report.skipped) == 6
    async with pool.acquire() as conn:
        assert (
            await conn.fetchval("SELECT count(*) FROM codes WHERE project_id = $1", UUID(pid)) == 6
        )


async def test_coder_option_receives_a_single_users_codings(
    pool: asyncpg.Pool, settings: Settings
) -> None:
    exchange = sample_project()
    exchange.codings = [c for c in exchange.codings if c.user_guid == exchange.users[0].guid]
    lead, coder = await _user(pool), await _user(pool, "coder")
    outcome = await _import(
        pool, settings, lead, write_qdpx(exchange), "one.qdpx", coder_email=coder.email
    )
    async with pool.acquire() as conn:
        coders = await conn.fetch(
            "SELECT DISTINCT coder_id FROM codings WHERE project_id = $1", outcome.project_id
        )
    assert [r["coder_id"] for r in coders] == [coder.id]
    with pytest.raises(InvalidInput, match="one user"):
        await _import(
            pool, settings, lead, write_qdpx(sample_project()), "two.qdpx", coder_email=coder.email
        )


IMPORT_FILE = """mutation($p: ID!, $f: Upload!, $e: String) {
  importFile(projectId: $p, file: $f, encoding: $e) {
    __typename
    ... on ImportResult { project { id name } documents { id title } counts
      skipped { kind name reason } warnings }
    ... on UserError { message code } } }"""
IMPORT_PROJECT = """mutation($f: Upload!) {
  importProject(file: $f) {
    __typename
    ... on ImportResult { project { id name } documents { id title } counts
      skipped { kind name reason } warnings }
    ... on UserError { message code } } }"""


async def _upload(
    api: Api,
    query: str,
    variables: dict[str, Any],
    filename: str,
    data: bytes,
    who: Person,
    cookie: bool = False,
) -> dict[str, Any]:
    operations = json.dumps({"query": query, "variables": {**variables, "f": None}})
    response = await api.client.post(
        "/graphql",
        data={"operations": operations, "map": json.dumps({"0": ["variables.f"]})},
        files={"0": (filename, data, "application/octet-stream")},
        headers={"authorization": f"Bearer {who.token}"},
    )
    body: dict[str, Any] = response.json()
    return body


async def test_graphql_upload_imports_a_transcript_and_a_project(api: Api) -> None:
    lead, pid = await _project(api)
    body = await _upload(api, IMPORT_FILE, {"p": pid}, "call.vtt", VTT.encode(), lead)
    result = body["data"]["importFile"]
    assert result["__typename"] == "ImportResult", body
    assert result["documents"][0]["title"] == "call"
    assert result["counts"] == {"documents": 1, "speaker turns": 3}

    qdpx = write_qdpx(sample_project())
    body = await _upload(api, IMPORT_PROJECT, {}, "study.qdpx", qdpx, lead)
    result = body["data"]["importProject"]
    assert result["__typename"] == "ImportResult", body
    assert result["project"]["name"] == "Peer support study"
    assert result["counts"]["codings"] == 7
    assert len(result["documents"]) == 2


async def test_graphql_upload_refusals(api: Api) -> None:
    lead, pid = await _project(api)
    coder = await api.person("coder")
    await api.add_member(lead, pid, coder, "CODER")
    body = await _upload(api, IMPORT_FILE, {"p": pid}, "call.vtt", VTT.encode(), coder)
    assert body["data"]["importFile"]["code"] == "FORBIDDEN"
    stranger = await api.person("stranger")
    body = await _upload(api, IMPORT_FILE, {"p": pid}, "call.vtt", VTT.encode(), stranger)
    assert body["data"]["importFile"]["code"] == "NOT_FOUND"
    body = await _upload(api, IMPORT_FILE, {"p": pid}, "notes.pdf", b"%PDF", lead)
    assert body["data"]["importFile"]["code"] == "INVALID_INPUT"
    body = await _upload(api, IMPORT_PROJECT, {}, "broken.qdpx", b"PK\x03\x04 broken", lead)
    assert body["data"]["importProject"]["code"] == "INVALID_INPUT"


async def test_graphql_upload_over_the_limit_is_refused(
    api: Api, database_url: str, pool: asyncpg.Pool
) -> None:
    lead, pid = await _project(api)
    small = settings_for(database_url, ACCORD_MAX_UPLOAD_BYTES="1000")
    app = create_app(small, database_url, SECRET_KEY)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            own = Api(client, pool)
            body = await _upload(own, IMPORT_FILE, {"p": pid}, "big.txt", b"P07: " * 300, lead)
            assert body["data"]["importFile"]["code"] == "TOO_LARGE"
            assert "ACCORD_MAX_UPLOAD_BYTES" in body["data"]["importFile"]["message"]
            body = await _upload(own, IMPORT_FILE, {"p": pid}, "ok.txt", b"P07: fine.", lead)
            assert body["data"]["importFile"]["__typename"] == "ImportResult"


async def test_cookie_upload_needs_the_upload_header(api: Api) -> None:
    form = {
        "operations": json.dumps({"query": IMPORT_PROJECT, "variables": {"f": None}}),
        "map": json.dumps({"0": ["variables.f"]}),
    }
    files = {"0": ("s.qdpx", b"x", "application/octet-stream")}
    cookie = {"cookie": "accord_session=whatever"}
    response = await api.client.post("/graphql", data=form, files=files, headers=cookie)
    assert response.status_code == 403
    response = await api.client.post(
        "/graphql", data=form, files=files, headers={**cookie, "x-accord-upload": "1"}
    )
    assert response.status_code == 200
    assert response.json()["data"]["importProject"]["code"] == "UNAUTHENTICATED"
