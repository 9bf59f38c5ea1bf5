"""SQL for documents and their units."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg

from accord.db.pool import fetch_one
from accord.documents.units import Unit

DOCUMENT_COLUMNS = (
    "id, project_id, seq, title, body, length, attributes, version, created_at, updated_at"
)
# Listing pages carry no body: a page of 5 MB transcripts should not be read whole.
SUMMARY_COLUMNS = (
    "id, project_id, seq, title, NULL::text AS body, length, attributes, version, "
    "created_at, updated_at"
)


async def insert_document(
    conn: asyncpg.Connection,
    project_id: UUID,
    title: str,
    body: str,
    attributes: dict[str, Any],
    creator: UUID,
) -> asyncpg.Record:
    return await fetch_one(
        conn,
        f"INSERT INTO documents (project_id, title, body, length, attributes, created_by) "
        f"VALUES ($1, $2, $3, $4, $5, $6) RETURNING {DOCUMENT_COLUMNS}",
        project_id,
        title,
        body,
        len(body),
        attributes,
        creator,
    )


async def insert_units(conn: asyncpg.Connection, document_id: UUID, units: list[Unit]) -> None:
    await conn.executemany(
        "INSERT INTO document_units "
        "(document_id, kind, ordinal, start_offset, end_offset, speaker, data) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
        [(document_id, u.kind, u.ordinal, u.start, u.end, u.speaker, u.data) for u in units],
    )


async def delete_units(conn: asyncpg.Connection, document_id: UUID) -> None:
    await conn.execute("DELETE FROM document_units WHERE document_id = $1", document_id)


async def document_by_id(
    conn: asyncpg.Connection, document_id: UUID, *, for_update: bool = False
) -> asyncpg.Record | None:
    lock = " FOR UPDATE" if for_update else ""
    return await conn.fetchrow(
        f"SELECT {DOCUMENT_COLUMNS} FROM documents WHERE id = $1{lock}", document_id
    )


async def project_of_document(conn: asyncpg.Connection, document_id: UUID) -> UUID | None:
    project_id: UUID | None = await conn.fetchval(
        "SELECT project_id FROM documents WHERE id = $1", document_id
    )
    return project_id


async def page_of_documents(
    conn: asyncpg.Connection, project_id: UUID, after_seq: int, limit: int
) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"SELECT {SUMMARY_COLUMNS} FROM documents WHERE project_id = $1 AND seq > $2 "
        "ORDER BY seq LIMIT $3",
        project_id,
        after_seq,
        limit,
    )


async def count_documents(conn: asyncpg.Connection, project_id: UUID) -> int:
    n: int = await conn.fetchval("SELECT count(*) FROM documents WHERE project_id = $1", project_id)
    return n


async def update_document(
    conn: asyncpg.Connection,
    document_id: UUID,
    title: str,
    body: str,
    attributes: dict[str, Any],
) -> asyncpg.Record:
    return await fetch_one(
        conn,
        f"UPDATE documents SET title = $2, body = $3, length = $4, attributes = $5, "
        f"version = version + 1, updated_at = now() WHERE id = $1 RETURNING {DOCUMENT_COLUMNS}",
        document_id,
        title,
        body,
        len(body),
        attributes,
    )


async def delete_document(conn: asyncpg.Connection, document_id: UUID) -> None:
    await conn.execute("DELETE FROM documents WHERE id = $1", document_id)


async def units_of(
    conn: asyncpg.Connection, document_ids: list[UUID], kind: str | None
) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT document_id, kind, ordinal, start_offset, end_offset, speaker, data "
        "FROM document_units WHERE document_id = ANY($1::uuid[]) "
        "AND ($2::text IS NULL OR kind = $2) ORDER BY document_id, kind, ordinal",
        document_ids,
        kind,
    )


async def has_codings(conn: asyncpg.Connection, document_id: UUID) -> bool:
    """True when any layer holds a coding on the document."""
    found: bool = await conn.fetchval(
        "SELECT EXISTS (SELECT 1 FROM codings WHERE document_id = $1)", document_id
    )
    return found
