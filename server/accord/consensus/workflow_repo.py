"""SQL for the consensus workflow: sessions, disagreement items and the consensus layer.

The connection is the first argument and the caller owns the transaction.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg

from accord.coding.codings import COLUMNS as CODING_COLUMNS
from accord.coding.codings import Coding
from accord.db.pool import fetch_one

SESSION_COLUMNS = (
    "id, project_id, document_id, round_id, coders, started_by, started_at, forced, status, "
    "completed_by, completed_at"
)
ITEM_COLUMNS = (
    "id, project_id, session_id, document_id, round_id, ordinal, key, kind, status, "
    "start_offset, end_offset, segments, resolution, rationale, version, resolved_by, "
    "resolved_at, written"
)


async def assignments_of(
    conn: asyncpg.Connection, document_id: UUID, round_id: UUID
) -> list[asyncpg.Record]:
    """The document's assignments in the round: who codes it and whether they submitted.
    Withdrawn ones (their coder left the project unfinished) are not compared."""
    return await conn.fetch(
        "SELECT user_id, status FROM assignments WHERE document_id = $1 AND round_id = $2 "
        "AND status <> 'WITHDRAWN' ORDER BY user_id",
        document_id,
        round_id,
    )


async def coder_segments(
    conn: asyncpg.Connection, document_id: UUID, round_id: UUID, coders: list[UUID]
) -> list[asyncpg.Record]:
    """The coders' layers on the document in the round, with each segment's text."""
    return await conn.fetch(
        "SELECT c.id, c.coder_id, c.code_id, c.start_offset, c.end_offset, c.text "
        "FROM codings c WHERE c.document_id = $1 AND c.round_id = $2 AND c.layer = 'CODER' "
        "AND c.coder_id = ANY($3::uuid[]) ORDER BY c.start_offset, c.end_offset, c.id",
        document_id,
        round_id,
        coders,
    )


async def insert_session(
    conn: asyncpg.Connection,
    project_id: UUID,
    document_id: UUID,
    round_id: UUID,
    coders: list[UUID],
    started_by: UUID,
    forced: bool,
) -> asyncpg.Record | None:
    """The new session, or None when the document already has one in the round."""
    return await conn.fetchrow(
        "INSERT INTO consensus_sessions (project_id, document_id, round_id, coders, started_by, "
        f"forced) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING "
        f"RETURNING {SESSION_COLUMNS}",
        project_id,
        document_id,
        round_id,
        coders,
        started_by,
        forced,
    )


async def session_for(
    conn: asyncpg.Connection, document_id: UUID, round_id: UUID, *, lock: bool = False
) -> asyncpg.Record | None:
    suffix = " FOR UPDATE" if lock else ""
    return await conn.fetchrow(
        f"SELECT {SESSION_COLUMNS} FROM consensus_sessions "
        f"WHERE document_id = $1 AND round_id = $2{suffix}",
        document_id,
        round_id,
    )


async def session_by_id(
    conn: asyncpg.Connection, session_id: UUID, *, lock: bool = False
) -> asyncpg.Record:
    suffix = " FOR UPDATE" if lock else ""
    return await fetch_one(
        conn, f"SELECT {SESSION_COLUMNS} FROM consensus_sessions WHERE id = $1{suffix}", session_id
    )


async def set_session_status(
    conn: asyncpg.Connection, session_id: UUID, status: str, by: UUID | None
) -> asyncpg.Record:
    """COMPLETED records who completed it and when; OPEN clears both."""
    return await fetch_one(
        conn,
        "UPDATE consensus_sessions SET status = $2, "
        "completed_by = CASE WHEN $2 = 'COMPLETED' THEN $3::uuid END, "
        "completed_at = CASE WHEN $2 = 'COMPLETED' THEN now() END "
        f"WHERE id = $1 RETURNING {SESSION_COLUMNS}",
        session_id,
        status,
        by,
    )


async def insert_item(
    conn: asyncpg.Connection, session: asyncpg.Record, ordinal: int, item: dict[str, Any]
) -> asyncpg.Record:
    return await fetch_one(
        conn,
        "INSERT INTO consensus_items (project_id, session_id, document_id, round_id, ordinal, "
        "key, kind, start_offset, end_offset, segments) "
        f"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING {ITEM_COLUMNS}",
        session["project_id"],
        session["id"],
        session["document_id"],
        session["round_id"],
        ordinal,
        item["key"],
        item["kind"],
        item["start"],
        item["end"],
        item["segments"],
    )


async def items_of(conn: asyncpg.Connection, session_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"SELECT {ITEM_COLUMNS} FROM consensus_items WHERE session_id = $1 ORDER BY ordinal",
        session_id,
    )


async def item_by_id(
    conn: asyncpg.Connection, item_id: UUID, *, lock: bool = False
) -> asyncpg.Record | None:
    suffix = " FOR UPDATE" if lock else ""
    return await conn.fetchrow(
        f"SELECT {ITEM_COLUMNS} FROM consensus_items WHERE id = $1{suffix}", item_id
    )


async def update_item(
    conn: asyncpg.Connection,
    item_id: UUID,
    status: str,
    resolution: dict[str, Any] | None,
    rationale: str | None,
    resolved_by: UUID | None,
) -> asyncpg.Record:
    """Set the item's decision and raise its version; OPEN clears when it was decided.

    A decided item records the consensus codings it wrote, as linked at this moment.
    """
    return await fetch_one(
        conn,
        "UPDATE consensus_items SET status = $2, resolution = $3, rationale = $4, "
        "resolved_by = $5, resolved_at = CASE WHEN $2 = 'OPEN' THEN NULL ELSE now() END, "
        "written = CASE WHEN $2 = 'OPEN' THEN '[]'::jsonb ELSE (SELECT coalesce(jsonb_agg("
        "jsonb_build_object('codingId', c.id, 'codeId', c.code_id, 'start', c.start_offset, "
        "'end', c.end_offset)), '[]'::jsonb) FROM consensus_item_codings l "
        "JOIN codings c ON c.id = l.coding_id WHERE l.item_id = $1) END, "
        f"version = version + 1 WHERE id = $1 RETURNING {ITEM_COLUMNS}",
        item_id,
        status,
        resolution,
        rationale,
        resolved_by,
    )


async def status_counts(conn: asyncpg.Connection, session_id: UUID) -> dict[str, int]:
    rows = await conn.fetch(
        "SELECT status, count(*) AS n FROM consensus_items WHERE session_id = $1 GROUP BY status",
        session_id,
    )
    return {r["status"]: r["n"] for r in rows}


async def insert_consensus_coding(
    conn: asyncpg.Connection,
    item: asyncpg.Record,
    code_id: UUID,
    start: int,
    end: int,
) -> UUID:
    """Write one consensus-layer coding for ``item`` and link it to the item."""
    coding_id: UUID = await conn.fetchval(
        "INSERT INTO codings (project_id, document_id, round_id, layer, coder_id, code_id, "
        "start_offset, end_offset) VALUES ($1, $2, $3, 'CONSENSUS', NULL, $4, $5, $6) "
        "RETURNING id",
        item["project_id"],
        item["document_id"],
        item["round_id"],
        code_id,
        start,
        end,
    )
    await conn.execute(
        "INSERT INTO consensus_item_codings (item_id, coding_id) VALUES ($1, $2)",
        item["id"],
        coding_id,
    )
    return coding_id


async def item_codings(conn: asyncpg.Connection, item_id: UUID) -> list[Coding]:
    """The consensus codings the item wrote, in document order."""
    rows = await conn.fetch(
        f"SELECT {CODING_COLUMNS} FROM codings c JOIN documents d ON d.id = c.document_id "
        "JOIN consensus_item_codings l ON l.coding_id = c.id "
        "WHERE l.item_id = $1 ORDER BY c.start_offset, c.end_offset, c.code_id",
        item_id,
    )
    return [Coding.from_row(r) for r in rows]


async def delete_codings(conn: asyncpg.Connection, coding_ids: list[UUID]) -> None:
    await conn.execute("DELETE FROM codings WHERE id = ANY($1::uuid[])", coding_ids)


async def consensus_clash(
    conn: asyncpg.Connection, item: asyncpg.Record, code_id: UUID, start: int, end: int
) -> asyncpg.Record | None:
    """A consensus coding of the same code on the document that overlaps ``[start, end)``."""
    return await conn.fetchrow(
        "SELECT id, start_offset, end_offset FROM codings WHERE document_id = $1 "
        "AND round_id = $2 AND layer = 'CONSENSUS' AND code_id = $3 "
        "AND start_offset < $5 AND end_offset > $4 ORDER BY start_offset LIMIT 1",
        item["document_id"],
        item["round_id"],
        code_id,
        start,
        end,
    )


async def document_length(conn: asyncpg.Connection, document_id: UUID) -> int:
    length: int = await conn.fetchval("SELECT length FROM documents WHERE id = $1", document_id)
    return length
