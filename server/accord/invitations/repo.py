"""SQL for invitations to join a project. Only a SHA-256 of a link's token is stored."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import asyncpg

from accord.db.pool import fetch_one

COLUMNS = (
    "i.id, i.project_id, i.email, i.role, i.invited_by, i.created_at, i.expires_at, "
    "i.accepted_at, i.accepted_by, i.revoked_at, i.revoked_by, i.expires_at <= now() AS expired"
)


async def member_role_by_email(
    conn: asyncpg.Connection, project_id: UUID, email: str
) -> str | None:
    """The role of the account with ``email`` in the project, if it is a member.

    One statement whether or not such an account exists, so the answer's cost says
    nothing about the account."""
    role: str | None = await conn.fetchval(
        "SELECT m.role FROM project_members m JOIN users u ON u.id = m.user_id "
        "WHERE m.project_id = $1 AND lower(u.email) = lower($2)",
        project_id,
        email,
    )
    return role


async def revoke_open_for(
    conn: asyncpg.Connection, project_id: UUID, email: str, actor_id: UUID | None
) -> list[UUID]:
    rows = await conn.fetch(
        "UPDATE invitations SET revoked_at = now(), revoked_by = $3 "
        "WHERE project_id = $1 AND lower(email) = lower($2) "
        "AND accepted_at IS NULL AND revoked_at IS NULL RETURNING id",
        project_id,
        email,
        actor_id,
    )
    return [r["id"] for r in rows]


async def insert(
    conn: asyncpg.Connection,
    project_id: UUID,
    email: str,
    role: str,
    token_hash: bytes,
    invited_by: UUID | None,
    expires_at: dt.datetime,
) -> asyncpg.Record:
    return await fetch_one(
        conn,
        "WITH i AS (INSERT INTO invitations "
        "(project_id, email, role, token_hash, invited_by, expires_at) "
        "VALUES ($1, $2, $3, $4, $5, $6) RETURNING *) "
        f"SELECT {COLUMNS} FROM i",
        project_id,
        email,
        role,
        token_hash,
        invited_by,
        expires_at,
    )


async def of_project(
    conn: asyncpg.Connection, project_id: UUID, include_closed: bool
) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"SELECT {COLUMNS} FROM invitations i WHERE i.project_id = $1 "
        "AND ($2 OR (i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now())) "
        "ORDER BY i.created_at DESC, i.id",
        project_id,
        include_closed,
    )


async def by_id(
    conn: asyncpg.Connection, invitation_id: UUID, *, for_update: bool = False
) -> asyncpg.Record | None:
    lock = " FOR UPDATE" if for_update else ""
    return await conn.fetchrow(
        f"SELECT {COLUMNS} FROM invitations i WHERE i.id = $1{lock}", invitation_id
    )


async def by_token(
    conn: asyncpg.Connection, token_hash: bytes, *, for_update: bool = False
) -> asyncpg.Record | None:
    """The invitation with its project's name and status and its inviter's name."""
    lock = " FOR UPDATE OF i" if for_update else ""
    return await conn.fetchrow(
        f"SELECT {COLUMNS}, p.name AS project_name, p.status AS project_status, "
        "u.name AS inviter_name FROM invitations i "
        "JOIN projects p ON p.id = i.project_id LEFT JOIN users u ON u.id = i.invited_by "
        f"WHERE i.token_hash = $1{lock}",
        token_hash,
    )


async def revoke(
    conn: asyncpg.Connection, invitation_id: UUID, actor_id: UUID | None
) -> asyncpg.Record:
    return await fetch_one(
        conn,
        "WITH i AS (UPDATE invitations SET revoked_at = now(), revoked_by = $2 "
        f"WHERE id = $1 RETURNING *) SELECT {COLUMNS} FROM i",
        invitation_id,
        actor_id,
    )


async def mark_accepted(conn: asyncpg.Connection, invitation_id: UUID, user_id: UUID) -> None:
    await conn.execute(
        "UPDATE invitations SET accepted_at = now(), accepted_by = $2 WHERE id = $1",
        invitation_id,
        user_id,
    )
