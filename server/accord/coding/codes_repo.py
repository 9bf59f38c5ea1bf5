"""SQL for the codebook."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg

from accord.db.pool import fetch_one

COLUMNS = (
    "id, project_id, parent_id, name, definition, inclusion, exclusion, example, color, "
    "codable, status, merged_into, owner_id, seq, version, created_at, updated_at"
)
EDITABLE = ("name", "definition", "inclusion", "exclusion", "example", "color", "codable")


async def codes_of(
    conn: asyncpg.Connection, project_id: UUID, visible_sql: str, user_id: UUID
) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"SELECT {COLUMNS} FROM codes c WHERE project_id = $1 AND {visible_sql} ORDER BY seq",
        project_id,
        user_id,
    )


async def code_by_id(
    conn: asyncpg.Connection, code_id: UUID, *, for_update: bool = False
) -> asyncpg.Record | None:
    lock = " FOR UPDATE" if for_update else ""
    return await conn.fetchrow(f"SELECT {COLUMNS} FROM codes WHERE id = $1{lock}", code_id)


async def sibling_named(
    conn: asyncpg.Connection,
    project_id: UUID,
    parent_id: UUID | None,
    name: str,
    owner_id: UUID | None,
    exclude: UUID | None,
) -> asyncpg.Record | None:
    """A live sibling with this name among the shared codes and ``owner_id``'s own."""
    return await conn.fetchrow(
        f"SELECT {COLUMNS} FROM codes WHERE project_id = $1 "
        "AND parent_id IS NOT DISTINCT FROM $2 AND lower(name) = lower($3) "
        "AND status <> 'MERGED' AND (owner_id IS NULL OR owner_id = $4) "
        "AND ($5::uuid IS NULL OR id <> $5) LIMIT 1",
        project_id,
        parent_id,
        name,
        owner_id,
        exclude,
    )


async def insert_code(
    conn: asyncpg.Connection,
    project_id: UUID,
    parent_id: UUID | None,
    fields: dict[str, Any],
    owner_id: UUID | None,
    creator: UUID,
) -> asyncpg.Record:
    return await fetch_one(
        conn,
        f"INSERT INTO codes (project_id, parent_id, name, definition, inclusion, exclusion, "
        f"example, color, codable, owner_id, created_by) "
        f"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING {COLUMNS}",
        project_id,
        parent_id,
        fields["name"],
        fields["definition"],
        fields["inclusion"],
        fields["exclusion"],
        fields["example"],
        fields["color"],
        fields["codable"],
        owner_id,
        creator,
    )


async def update_code(
    conn: asyncpg.Connection, code_id: UUID, changes: dict[str, Any]
) -> asyncpg.Record:
    sets = ", ".join(f"{column} = ${i}" for i, column in enumerate(changes, start=2))
    return await fetch_one(
        conn,
        f"UPDATE codes SET {sets}, version = version + 1, updated_at = now() "
        f"WHERE id = $1 RETURNING {COLUMNS}",
        code_id,
        *changes.values(),
    )


async def ancestors(conn: asyncpg.Connection, code_id: UUID) -> list[UUID]:
    """The ids from ``code_id`` up to its root, ``code_id`` first."""
    rows = await conn.fetch(
        """
        WITH RECURSIVE up(id, parent_id, depth) AS (
            SELECT id, parent_id, 0 FROM codes WHERE id = $1
            UNION ALL
            SELECT c.id, c.parent_id, up.depth + 1 FROM codes c JOIN up ON c.id = up.parent_id
            WHERE up.depth < 1000
        )
        SELECT id FROM up ORDER BY depth
        """,
        code_id,
    )
    return [r["id"] for r in rows]


async def path_names(
    conn: asyncpg.Connection, code_id: UUID, visible_sql: str, user_id: UUID
) -> list[str]:
    """The names from the root down to ``code_id``, walking up only through codes that
    ``visible_sql`` (over ``c``, the user as ``$2``) shows: a hidden ancestor ends the
    path, as it would for a code whose parent is not in the list (``with_paths``)."""
    rows = await conn.fetch(
        f"""
        WITH RECURSIVE up(id, parent_id, name, depth) AS (
            SELECT id, parent_id, name, 0 FROM codes WHERE id = $1
            UNION ALL
            SELECT c.id, c.parent_id, c.name, up.depth + 1 FROM codes c
            JOIN up ON c.id = up.parent_id
            WHERE up.depth < 1000 AND {visible_sql}
        )
        SELECT name FROM up ORDER BY depth DESC
        """,
        code_id,
        user_id,
    )
    return [r["name"] for r in rows]
