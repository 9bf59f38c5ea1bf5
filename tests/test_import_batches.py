"""A .qdpx with more codings than one insert batch: every coding arrives, and a refusal
by the database in a late batch still leaves nothing behind."""

from __future__ import annotations

import json
import secrets
from typing import Any

import asyncpg

from accord.exchange.codings_in import CODING_BATCH
from accord.interop import write_qdpx
from accord.interop.model import (
    ExchangeCode,
    ExchangeCoding,
    ExchangeDocument,
    ExchangeProject,
    ExchangeUser,
)
from tests.support import Api, Person

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
IMPORT_PROJECT = """mutation($f: Upload!) {
  importProject(file: $f) {
    __typename
    ... on ImportResult { project { id } counts }
    ... on UserError { message code } } }"""
#: More codings than two batches: the last coding is written by the third.
CODINGS = 2 * CODING_BATCH + 500
#: Where the last coding of the file lies (no other coding has these offsets).
LAST = (59_000, 59_013)


def _study(title: str) -> ExchangeProject:
    words = ["the", "nurse", "said", "that", "help", "came", "late", "but", "it", "was", "kind"]
    text = " ".join(words[i % len(words)] for i in range(14_000))
    assert len(text) > LAST[1]
    users = [ExchangeUser(f"u-{n}", f"Coder {n}", f"c{n}-{title}@example.org") for n in (1, 2)]
    codes = [ExchangeCode(f"k-{n}", f"Code {n}") for n in range(12)]
    documents = [ExchangeDocument(f"d-{n}", f"{title} {n}", text) for n in (1, 2)]
    codings = [
        ExchangeCoding(
            f"g-{i}",
            documents[i % 2].guid,
            codes[i % len(codes)].guid,
            users[(i // 2) % 2].guid,
            (i * 7) % 50_000,
            (i * 7) % 50_000 + 5 + i % 20,
        )
        for i in range(CODINGS - 1)
    ]
    codings.append(ExchangeCoding("g-last", "d-2", "k-0", "u-1", *LAST))
    return ExchangeProject(title, users, codes, documents, codings)


async def _upload(api: Api, who: Person, data: bytes) -> dict[str, Any]:
    operations = json.dumps({"query": IMPORT_PROJECT, "variables": {"f": None}})
    response = await api.client.post(
        "/graphql",
        data={"operations": operations, "map": json.dumps({"0": ["variables.f"]})},
        files={"0": ("study.qdpx", data, "application/octet-stream")},
        headers={"authorization": f"Bearer {who.token}"},
    )
    body: dict[str, Any] = response.json()
    return body


async def _counts(pool: asyncpg.Pool) -> dict[str, int]:
    async with pool.acquire() as conn:
        return {t: await conn.fetchval(f"SELECT count(*) FROM {t}") for t in TABLES}


async def test_every_coding_of_a_multi_batch_file_arrives(api: Api, pool: asyncpg.Pool) -> None:
    lead = await api.person("lead")
    exchange = _study(f"batches-{secrets.token_hex(4)}")
    body = await _upload(api, lead, write_qdpx(exchange))
    result = body["data"]["importProject"]
    assert result["__typename"] == "ImportResult", body
    assert result["counts"]["codings"] == CODINGS
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT c.start_offset, c.end_offset, d.title, u.name FROM codings c "
            "JOIN documents d ON d.id = c.document_id JOIN users u ON u.id = c.coder_id "
            "WHERE c.project_id = $1 ORDER BY c.seq",
            result["project"]["id"],
        )
    titles = {d.guid: d.title for d in exchange.documents}
    names = {u.guid: u.name for u in exchange.users}
    # The file groups codings by document, so compare them as sets of (span, where, who).
    assert sorted((r["start_offset"], r["end_offset"], r["title"], r["name"]) for r in rows) == (
        sorted(
            (c.start, c.end, titles[c.document_guid], names[c.user_guid]) for c in exchange.codings
        )
    )


async def test_a_refusal_in_the_last_batch_leaves_nothing_written(
    api: Api, pool: asyncpg.Pool
) -> None:
    """The database refuses the file's last coding (a trigger made for this test, on this
    test's documents only): the batches before it, the project, its documents, codes,
    members and placeholder accounts are all rolled back."""
    lead = await api.person("lead")
    title = f"refused-{secrets.token_hex(4)}"
    data = write_qdpx(_study(title))
    function = f"refuse_{secrets.token_hex(4)}"
    async with pool.acquire() as conn:
        await conn.execute(
            f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF NEW.start_offset = {LAST[0]} AND NEW.end_offset = {LAST[1]} AND "
            f"(SELECT title FROM documents WHERE id = NEW.document_id) = '{title} 2' THEN "
            "RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$"
        )
        await conn.execute(
            f"CREATE TRIGGER {function} BEFORE INSERT ON codings "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
    try:
        before = await _counts(pool)
        body = await _upload(api, lead, data)
        # A database refusal nobody could foresee: an internal error, nothing written.
        assert body["data"] is None, body
        assert body["errors"][0]["extensions"]["code"] == "INTERNAL", body
        assert await _counts(pool) == before
        async with pool.acquire() as conn:
            assert not await conn.fetchval(
                "SELECT count(*) FROM documents WHERE title LIKE $1", f"{title}%"
            )
    finally:
        async with pool.acquire() as conn:
            await conn.execute(f"DROP TRIGGER {function} ON codings")
            await conn.execute(f"DROP FUNCTION {function}()")
