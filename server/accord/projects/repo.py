"""SQL for projects and their members."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg

from accord.db.pool import fetch_one

PROJECT_COLUMNS = (
    "id, name, description, settings, status, version, created_by, created_at, updated_at"
)


async def insert_project(
    conn: asyncpg.Connection, name: str, description: str, settings: dict[str, Any], creator: UUID
) -> asyncpg.Record:
    return await fetch_one(
        conn,
        f"INSERT INTO projects (name, description, settings, created_by) VALUES ($1, $2, $3, $4) "
        f"RETURNING {PROJECT_COLUMNS}",
        name,
        description,
        settings,
        creator,
    )


async def project_by_id(
    conn: asyncpg.Connection, project_id: UUID, *, for_update: bool = False
) -> asyncpg.Record | None:
    lock = " FOR UPDATE" if for_update else ""
    return await conn.fetchrow(
        f"SELECT {PROJECT_COLUMNS} FROM projects WHERE id = $1{lock}", project_id
    )


async def project_and_role(
    conn: asyncpg.Connection, project_id: UUID, user_id: UUID, *, for_update: bool = False
) -> asyncpg.Record | None:
    """The project with the user's role in it (NULL when not a member), in one query."""
    lock = " FOR UPDATE OF p" if for_update else ""
    columns = ", ".join("p." + c.strip() for c in PROJECT_COLUMNS.split(","))
    return await conn.fetchrow(
        f"SELECT {columns}, m.role AS member_role FROM projects p "
        "LEFT JOIN project_members m ON m.project_id = p.id AND m.user_id = $2 "
        f"WHERE p.id = $1{lock}",
        project_id,
        user_id,
    )


# Tables whose rows belong to one project; only these names are ever put into SQL.
PROJECT_OWNED = frozenset(
    {"documents", "codes", "codings", "memos", "assignments", "rounds", "consensus_items"}
)


async def project_and_role_via(
    conn: asyncpg.Connection,
    table: str,
    row_id: UUID,
    user_id: UUID,
    *,
    for_update: bool = False,
    visible_sql: str | None = None,
) -> asyncpg.Record | None:
    """Like :func:`project_and_role`, reached through a row of ``table``: one query.

    ``visible_sql`` (over ``t``, ``p``, ``m`` and the user as ``$2``) leaves out a row
    the member may not see, so it reads exactly like a row that does not exist.
    """
    if table not in PROJECT_OWNED:
        raise ValueError(f"{table} rows do not belong to a project")
    lock = " FOR UPDATE OF p" if for_update else ""
    columns = ", ".join("p." + c.strip() for c in PROJECT_COLUMNS.split(","))
    visible = f" AND {visible_sql}" if visible_sql else ""
    return await conn.fetchrow(
        f"SELECT {columns}, m.role AS member_role FROM {table} t "
        "JOIN projects p ON p.id = t.project_id "
        "LEFT JOIN project_members m ON m.project_id = p.id AND m.user_id = $2 "
        f"WHERE t.id = $1{visible}{lock}",
        row_id,
        user_id,
    )


async def projects_of(conn: asyncpg.Connection, user_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"SELECT {', '.join('p.' + c.strip() for c in PROJECT_COLUMNS.split(','))} "
        "FROM projects p JOIN project_members m ON m.project_id = p.id "
        "WHERE m.user_id = $1 ORDER BY p.created_at, p.id",
        user_id,
    )


async def update_project(
    conn: asyncpg.Connection,
    project_id: UUID,
    name: str,
    description: str,
    settings: dict[str, Any],
) -> asyncpg.Record:
    return await fetch_one(
        conn,
        f"UPDATE projects SET name = $2, description = $3, settings = $4, "
        f"version = version + 1, updated_at = now() WHERE id = $1 RETURNING {PROJECT_COLUMNS}",
        project_id,
        name,
        description,
        settings,
    )


async def role_of(conn: asyncpg.Connection, project_id: UUID, user_id: UUID) -> str | None:
    role: str | None = await conn.fetchval(
        "SELECT role FROM project_members WHERE project_id = $1 AND user_id = $2",
        project_id,
        user_id,
    )
    return role


async def roles_for(
    conn: asyncpg.Connection, user_id: UUID, project_ids: list[UUID]
) -> dict[UUID, str]:
    rows = await conn.fetch(
        "SELECT project_id, role FROM project_members "
        "WHERE user_id = $1 AND project_id = ANY($2::uuid[])",
        user_id,
        project_ids,
    )
    return {r["project_id"]: r["role"] for r in rows}


async def upsert_member(
    conn: asyncpg.Connection, project_id: UUID, user_id: UUID, role: str
) -> asyncpg.Record:
    return await fetch_one(
        conn,
        "INSERT INTO project_members (project_id, user_id, role) VALUES ($1, $2, $3) "
        "ON CONFLICT (project_id, user_id) DO UPDATE SET role = EXCLUDED.role "
        "RETURNING project_id, user_id, role, added_at",
        project_id,
        user_id,
        role,
    )


async def delete_member(conn: asyncpg.Connection, project_id: UUID, user_id: UUID) -> None:
    await conn.execute(
        "DELETE FROM project_members WHERE project_id = $1 AND user_id = $2", project_id, user_id
    )


async def members_of(conn: asyncpg.Connection, project_ids: list[UUID]) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT m.project_id, m.user_id, m.role, m.added_at, u.email, u.name "
        "FROM project_members m JOIN users u ON u.id = m.user_id "
        "WHERE m.project_id = ANY($1::uuid[]) ORDER BY m.added_at, u.email",
        project_ids,
    )


async def count_leads(conn: asyncpg.Connection, project_id: UUID) -> int:
    n: int = await conn.fetchval(
        "SELECT count(*) FROM project_members WHERE project_id = $1 AND role = 'LEAD'", project_id
    )
    return n


DEFAULT_ROUND_NAME = "Main"


async def insert_default_round(conn: asyncpg.Connection, project_id: UUID) -> None:
    """Every project has a default round; operations without a roundId use it."""
    await conn.execute(
        "INSERT INTO rounds (project_id, name, is_default) VALUES ($1, $2, true)",
        project_id,
        DEFAULT_ROUND_NAME,
    )
