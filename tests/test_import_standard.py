"""Issue #14's fixtures (tests/interop/standard_fixtures.py) through the real database:
each imports with the expected codings per coder and text per selection, memos on their
targets and every member; its export validates against the REFI schema and imports back
the same. A file that loses codings says so first: the service refuses it unless a
partial import is allowed, the command line exits 3, and the API answers with `lost`."""

from __future__ import annotations

import io
import re
import secrets
import zipfile
from pathlib import Path
from typing import Any
from uuid import UUID

import asyncpg
import pytest

from accord.config import Settings
from accord.documents.service import MAX_TITLE
from accord.exchange import exporting, importing
from accord.exchange.accounts import PLACEHOLDER_DOMAIN
from accord.users import placeholders
from accord.users import service as users
from accord.users.model import User
from tests.interop import standard_fixtures as fx
from tests.support import REFI_DATA, Api
from tests.test_cli import accord
from tests.test_import import _upload

NS = "{urn:QDA-XML:project:1.0}"
IMPORT_PROJECT = """mutation($f: Upload!) { importProject(file: $f) {
  __typename
  ... on ImportResult { project { id } lost codingsLost warnings counts }
  ... on UserError { message code } } }"""


@pytest.fixture(scope="module")
def schema() -> Any:
    import xmlschema

    return xmlschema.XMLSchema(str(REFI_DATA / "Project.xsd"))


async def _lead(pool: asyncpg.Pool) -> User:
    async with pool.acquire() as conn:
        return await users.create_user(
            conn, f"lead-{secrets.token_hex(4)}@example.org", "Lead", "password-123"
        )


async def _import(
    pool: asyncpg.Pool, settings: Settings, lead: User, data: bytes, **options: Any
) -> importing.ImportOutcome:
    async with pool.acquire() as conn, conn.transaction():
        return await importing.import_file(conn, settings, lead, data, "f.qdpx", **options)


async def _layers(pool: asyncpg.Pool, project_id: UUID) -> dict[str, list[tuple[str, str]]]:
    rows = await pool.fetch(
        "SELECT coalesce(u.name, 'consensus') AS layer, k.name AS code, c.text FROM codings c "
        "JOIN codes k ON k.id = c.code_id LEFT JOIN users u ON u.id = c.coder_id "
        "WHERE c.project_id = $1",
        project_id,
    )
    found: dict[str, list[tuple[str, str]]] = {}
    for r in rows:
        found.setdefault(r["layer"], []).append((r["code"], r["text"]))
    return {layer: sorted(items) for layer, items in found.items()}


async def _state(pool: asyncpg.Pool, project_id: UUID) -> dict[str, Any]:
    """What a round trip must keep, by name (ids differ between projects)."""
    codes = await pool.fetch(
        "SELECT name, definition, color, codable FROM codes WHERE project_id = $1 ORDER BY seq",
        project_id,
    )
    documents = await pool.fetch(
        "SELECT title, body, attributes FROM documents WHERE project_id = $1 ORDER BY seq",
        project_id,
    )
    memos = await pool.fetch(
        "SELECT target_type, body FROM memos WHERE project_id = $1 ORDER BY target_type, body",
        project_id,
    )
    members = await pool.fetch(
        "SELECT u.name FROM project_members m JOIN users u ON u.id = m.user_id "
        "WHERE m.project_id = $1 ORDER BY u.name",
        project_id,
    )
    return {
        "codes": [tuple(r) for r in codes],
        "documents": [(r["title"], r["body"], r["attributes"]) for r in documents],
        "layers": await _layers(pool, project_id),
        "memos": [tuple(r) for r in memos],
        "members": [r["name"] for r in members],
    }


async def _export(pool: asyncpg.Pool, lead: User, project_id: UUID) -> bytes:
    async with pool.acquire() as conn:
        export = await exporting.export_project(conn, lead, project_id, "qdpx")
    return export.content


def _qde(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("project.qde").decode()


def _expected_layers(fixture: fx.Fixture) -> dict[str, list[tuple[str, str]]]:
    """The fixture's codings per coder, with names as Accord holds them."""
    return {
        _short(name, 200): sorted((_short(code, 200), text) for code, text in items)
        for name, items in fixture.expected.codings.items()
    }


def _short(name: str, limit: int) -> str:
    flat = " ".join(name.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


@pytest.mark.parametrize("point", sorted(fx.FIXTURES))
async def test_fixture_imports_exports_and_imports_back(
    point: str, pool: asyncpg.Pool, settings: Settings, schema: Any
) -> None:
    fixture = fx.FIXTURES[point]()
    lead = await _lead(pool)
    outcome = await _import(pool, settings, lead, fixture.archive)
    assert outcome.report.codings_lost == fixture.expected.lost
    first = await _state(pool, outcome.project_id)
    assert first["layers"] == _expected_layers(fixture)
    assert [title for title, _, _ in first["documents"]] == [
        _short(t, MAX_TITLE) for t in fixture.expected.documents
    ]
    memo_kinds: dict[str, int] = {}
    for target, _ in first["memos"]:
        memo_kinds[target.lower()] = memo_kinds.get(target.lower(), 0) + 1
    assert memo_kinds == fixture.expected.memos
    # Every file user is a member (coded or not), besides the lead who imported.
    assert sorted(first["members"]) == sorted(
        ["Lead", *(_short(u, 200) for u in fixture.expected.users)]
    )

    content = await _export(pool, lead, outcome.project_id)
    qde = _qde(content)
    schema.validate(qde)
    assert PLACEHOLDER_DOMAIN not in qde
    again = await _import(pool, settings, lead, content)
    assert not again.report.partial
    assert await _state(pool, again.project_id) == first


async def test_1_empty_source_is_named_and_the_rest_comes_in(
    pool: asyncpg.Pool, settings: Settings
) -> None:
    outcome = await _import(pool, settings, await _lead(pool), fx.empty_source().archive)
    summary = outcome.report.summary()
    assert "Skipped source 'Blank memo page': its text is empty" in summary
    assert outcome.report.counts["documents"] == 1


async def test_2_long_names_are_shortened_with_a_note_and_kept_in_full(
    pool: asyncpg.Pool, settings: Settings
) -> None:
    outcome = await _import(pool, settings, await _lead(pool), fx.long_names().archive)
    state = await _state(pool, outcome.project_id)
    ((title, _, attributes),) = state["documents"]
    assert len(title) <= MAX_TITLE and title.endswith("…")
    assert attributes["full title"] == " ".join(fx.LONG_TITLE.split())
    name, definition, _, _ = state["codes"][0]
    assert len(name) <= 200 and definition == f"Full name: {' '.join(fx.LONG_CODE.split())}"
    assert any(len(m) <= 200 and m.endswith("…") for m in state["members"])
    warnings = "\n".join(outcome.report.warnings)
    assert "shortened it to 500" in warnings and warnings.count("shortened it to 200") == 2


async def test_2_a_blank_source_name_does_not_refuse_the_project(
    pool: asyncpg.Pool, settings: Settings
) -> None:
    fixture = fx.empty_source()
    qde = fixture.qde.replace('name="Interview 1"', 'name=" \t "')
    outcome = await _import(pool, settings, await _lead(pool), fx.make_qdpx(qde, fixture.files))
    state = await _state(pool, outcome.project_id)
    assert [title for title, _, _ in state["documents"]] == ["Untitled source"]
    assert any("blank name" in w for w in outcome.report.warnings)


async def test_5_typed_variables_are_exported_with_their_types(
    pool: asyncpg.Pool, settings: Settings
) -> None:
    lead = await _lead(pool)
    outcome = await _import(pool, settings, lead, fx.two_cases().archive)
    state = await _state(pool, outcome.project_id)
    assert {t: a for t, _, a in state["documents"]} == fx.CASE_ATTRIBUTES
    qde = _qde(await _export(pool, lead, outcome.project_id))
    for name, kind in fx.CASE_TYPES.items():
        assert f'name="{name}" typeOfVariable="{kind}"' in qde
    assert "<IntegerValue>34</IntegerValue>" in qde
    assert "<BooleanValue>true</BooleanValue>" in qde


async def test_6_notes_on_codings_stay_on_their_codings(
    pool: asyncpg.Pool, settings: Settings
) -> None:
    outcome = await _import(pool, settings, await _lead(pool), fx.coding_notes().archive)
    rows = await pool.fetch(
        "SELECT m.body, c.text, c.memo, m.target_layer_user_id = c.coder_id AS same_layer "
        "FROM memos m JOIN codings c ON c.id = m.target_id "
        "WHERE m.project_id = $1 AND m.target_type = 'CODING' ORDER BY c.text",
        outcome.project_id,
    )
    assert [(r["text"], r["same_layer"]) for r in rows] == [
        ("I felt ashamed", True),
        ("relieved", True),
    ]
    assert rows[0]["memo"] == "Strong word for a first answer."
    assert "Check against P4." in rows[0]["body"] and "After the call?" in rows[1]["body"]


async def test_7_every_member_is_exported_and_no_made_up_address(
    pool: asyncpg.Pool, settings: Settings
) -> None:
    lead = await _lead(pool)
    outcome = await _import(pool, settings, lead, fx.uncoded_members().archive)
    qde = _qde(await _export(pool, lead, outcome.project_id))
    users = re.findall(r'<User guid="[^"]+" name="([^"]+)"(?: id="([^"]*)")?', qde)
    # The importer, and the file's users: a placeholder is given with the address its
    # file gave (so a re-import elsewhere keeps it claimable), never a made-up one.
    assert sorted(users) == sorted(
        [
            ("Alice", "alice.fixture7@example.org"),
            ("Bob", ""),
            ("Lead", "lead.fixture7@example.org"),
            ("Lead", lead.email),
        ]
    )
    assert PLACEHOLDER_DOMAIN not in qde


async def test_8_a_user_named_consensus_is_a_coder(pool: asyncpg.Pool, settings: Settings) -> None:
    lead = await _lead(pool)
    outcome = await _import(pool, settings, lead, fx.user_named_consensus().archive)
    layers = await pool.fetch(
        "SELECT layer, count(*) AS n FROM codings WHERE project_id = $1 GROUP BY layer",
        outcome.project_id,
    )
    assert {r["layer"]: r["n"] for r in layers} == {"CODER": 2}
    qde = _qde(await _export(pool, lead, outcome.project_id))
    assert "accord:consensus" not in qde


async def test_9_short_colours_are_kept(pool: asyncpg.Pool, settings: Settings) -> None:
    outcome = await _import(pool, settings, await _lead(pool), fx.short_colours().archive)
    colours = await pool.fetch(
        "SELECT color FROM codes WHERE project_id = $1 ORDER BY seq", outcome.project_id
    )
    assert [r["color"] for r in colours] == ["#FF00AA", "#AABBCC"]


async def test_a_lossy_file_is_refused_unless_partial_is_allowed(
    pool: asyncpg.Pool, settings: Settings
) -> None:
    lead = await _lead(pool)
    before = await pool.fetchval("SELECT count(*) FROM projects")
    with pytest.raises(importing.PartialImport) as refused:
        await _import(pool, settings, lead, fx.outside_path().archive, allow_partial=False)
    assert refused.value.message.startswith("LOST: 1 of the 3 codings in the file")
    assert refused.value.message.endswith("Nothing was imported.")
    assert await pool.fetchval("SELECT count(*) FROM projects") == before
    outcome = await _import(pool, settings, lead, fx.outside_path().archive, allow_partial=True)
    assert outcome.report.summary().startswith("LOST: 1 of the 3 codings")
    assert (
        await pool.fetchval(
            "SELECT count(*) FROM codings WHERE project_id = $1", outcome.project_id
        )
        == 2
    )


async def test_the_command_line_exits_3_on_loss_unless_allowed(
    database_url: str, pool: asyncpg.Pool, tmp_path: Path
) -> None:
    lead = await _lead(pool)
    path = tmp_path / "lossy.qdpx"
    path.write_bytes(fx.outside_path().archive)
    before = await pool.fetchval("SELECT count(*) FROM projects")
    done = accord(database_url, "import", str(path), "--as", lead.email)
    assert done.returncode == 3, done.stderr
    assert done.stderr.startswith("accord import: refused: LOST: 1 of the 3 codings")
    assert "--allow-partial" in done.stderr and "Nothing was imported." in done.stderr
    assert done.stdout == ""
    assert await pool.fetchval("SELECT count(*) FROM projects") == before

    done = accord(database_url, "import", str(path), "--as", lead.email, "--allow-partial")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "LOST: 1 of the 3 codings in the file do not come in."
    assert "Interview 2" in lines[1] and "outside the archive" in lines[1]
    assert lines[2].startswith("created project")
    assert sum(line.startswith("LOST") for line in lines) == 1


async def test_the_api_answers_with_what_was_lost(api: Api) -> None:
    lead = await api.person("lossy")
    body = await _upload(api, IMPORT_PROJECT, {}, "lossy.qdpx", fx.media_texts().archive, lead)
    result = body["data"]["importProject"]
    assert result["__typename"] == "ImportResult", body
    assert result["codingsLost"] == 2
    assert result["lost"][0] == "LOST: 2 of the 5 codings in the file do not come in."
    assert len(result["lost"]) == 3
    body = await _upload(api, IMPORT_PROJECT, {}, "ok.qdpx", fx.coding_notes().archive, lead)
    assert body["data"]["importProject"]["lost"] == []


async def test_placeholders_stay_claimable_after_a_round_trip(
    pool: asyncpg.Pool, settings: Settings
) -> None:
    """Exported and imported by a lead who shares nothing with the first: the same
    codebook, documents, layers and memos, every member, and each placeholder is again
    claimable by the address its first file gave (issue #14 points 7 and 10)."""
    alice = f"alice-{secrets.token_hex(4)}@example.org"
    people = fx._users(("Alice", fx.ALICE), ("Bob", fx.BOB), ids={fx.ALICE: alice})
    body = fx.text_source(fx.DOC_1, "Interview 1", fx._two_codings(), text=fx.TEXT_1)
    archive = fx.make_qdpx(fx.project(f"<Sources>{body}</Sources>", people), {})
    first_lead, second_lead = await _lead(pool), await _lead(pool)
    first = await _import(pool, settings, first_lead, archive)
    content = await _export(pool, first_lead, first.project_id)
    second = await _import(pool, settings, second_lead, content)
    assert {a.name: a.how for a in second.report.accounts} == {
        "Alice": "created",
        "Bob": "created",
        "Lead": "created",  # the first lead, a stranger to the second
    }
    before, after = await _state(pool, first.project_id), await _state(pool, second.project_id)
    assert after["members"] == sorted([*before["members"], "Lead"])
    assert {k: v for k, v in after.items() if k != "members"} == {
        k: v for k, v in before.items() if k != "members"
    }
    placeholder = next(a for a in second.report.accounts if a.name == "Alice")
    assert placeholder.claim_email == alice
    async with pool.acquire() as conn, conn.transaction():
        claimed = await placeholders.claim_by_invitation(
            conn, second.project_id, alice, "Alice Real", "a-long-password-1"
        )
    assert claimed is not None and claimed.id == placeholder.account_id
    assert claimed.email == alice
    layers = await _layers(pool, second.project_id)
    assert layers["Alice Real"] == [("Shame", "I felt ashamed")]
