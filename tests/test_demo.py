"""The demo study: loaded once, through the real services, with accounts that log in."""

from __future__ import annotations

import asyncpg
import pytest

from accord.auth.passwords import IN_PROCESS
from accord.cli import serve
from accord.config import Settings
from accord.demo import content, loader
from accord.documents import units
from accord.users import service as users
from tests.support import Api, Person

AGREEMENT = """query($p: ID!) { agreement(projectId: $p) {
  coefficients { name value } coderVsConsensus { coder { id name } perCode { label f1 } } } }"""
CONTENT = """query($c: ID!) { categoryContent(codeId: $c) { condensate } }"""


async def test_demo_loads_once_and_its_accounts_log_in(
    api: Api, pool: asyncpg.Pool, settings: Settings
) -> None:
    async with pool.acquire() as conn:
        first = await loader.load(conn, settings)
        second = await loader.load(conn, settings)
        assert first.created and not second.created
        assert second.project_id == first.project_id
        count = await conn.fetchval(
            "SELECT count(*) FROM projects WHERE name = $1", content.PROJECT_NAME
        )
        assert count == 1
        assert await conn.fetchval(
            "SELECT count(*) FROM documents WHERE project_id = $1", first.project_id
        ) == len(content.INTERVIEWS) + len(content.TO_CODE)
        # Every demo coder has work left to code, on documents nobody has revealed.
        for _, email, _, _, role in content.ACCOUNTS:
            if role != "CODER":
                continue
            open_work = await conn.fetch(
                "SELECT a.document_id FROM assignments a JOIN users u ON u.id = a.user_id "
                "WHERE a.project_id = $1 AND u.email = $2 AND a.status = 'ASSIGNED' "
                "AND NOT EXISTS (SELECT 1 FROM reveals r WHERE r.document_id = a.document_id)",
                first.project_id,
                email,
            )
            assert len(open_work) == len(content.TO_CODE), email
        consensus = await conn.fetchval(
            "SELECT count(*) FROM codings WHERE project_id = $1 AND layer = 'CONSENSUS'",
            first.project_id,
        )
        assert consensus > 0
        session = await conn.fetchval(
            "SELECT status FROM consensus_sessions WHERE project_id = $1", first.project_id
        )
        assert session == "COMPLETED"
        for email, password, _role in first.accounts:
            user, session_id = await users.login(
                conn, settings, email, password, "127.0.0.1", passwords=IN_PROCESS
            )
            assert user.email == email and session_id
        group = await conn.fetchval(
            "SELECT code_id FROM category_contents WHERE project_id = $1", first.project_id
        )

    _, email, name, password, _ = content.ACCOUNTS[0]
    async with pool.acquire() as conn:
        lead = await users.user_by_email(conn, email)
        token = await users.create_token(conn, lead, "demo test")
    as_lead = Person(str(lead.id), email, name, token.token, password)
    report = (await api.gql(AGREEMENT, {"p": str(first.project_id)}, as_=as_lead))["agreement"]
    assert report["coefficients"]
    assert {v["coder"]["name"] for v in report["coderVsConsensus"]} == {
        a[2] for a in content.ACCOUNTS if a[4] == "CODER"
    }
    read = (await api.gql(CONTENT, {"c": str(group)}, as_=as_lead))["categoryContent"]
    assert read["condensate"] == content.SYNTHESIS_CONDENSATE


async def test_serve_demo_prints_the_accounts(
    database_url: str, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    await serve._load_demo(database_url, settings)
    await serve._load_demo(database_url, settings)
    out = capsys.readouterr().out
    for _, email, _, password, _ in content.ACCOUNTS:
        assert f"{email}  password: {password}" in out
    assert "already loaded" in out


def test_every_demo_interview_has_one_paragraph_per_speaker_turn() -> None:
    # The agreement report's default unit is the paragraph: in the demo, a paragraph is a
    # speaker's turn, so units mode compares the coders turn by turn.
    for title, _, text in content.INTERVIEWS + content.TO_CODE:
        paragraphs = [(u.start, u.end) for u in units.paragraphs(text)]
        turns = [(u.start, u.end) for u in units.speaker_turns(text)]
        assert paragraphs == turns, title
        assert len(turns) >= 6, title


def test_every_demo_code_has_its_guidance() -> None:
    for _category, about, groups in content.CODEBOOK:
        assert about
        for _group, group_about, codes in groups:
            assert group_about
            for name, (definition, inclusion, exclusion, example) in codes:
                assert definition and inclusion and exclusion, name
                # The example is quoted from the interviews.
                assert any(example in text for _, _, text in content.INTERVIEWS), name


async def test_demo_codes_carry_their_guidance_into_the_project(
    pool: asyncpg.Pool, settings: Settings
) -> None:
    async with pool.acquire() as conn:
        project_id = await loader.load_copy(conn, settings)
        rows = await conn.fetch(
            "SELECT name, codable, definition, inclusion, exclusion FROM codes "
            "WHERE project_id = $1",
            project_id,
        )
    assert rows
    for row in rows:
        assert row["definition"], row["name"]
        if row["codable"]:
            assert row["inclusion"] and row["exclusion"], row["name"]
