"""SQL for password-reset links. Only a SHA-256 of a link's token is stored."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import asyncpg

from accord.db.pool import fetch_one

COLUMNS = (
    "r.id, r.user_id, r.issued_by, r.created_at, r.expires_at, r.used_at, r.revoked_at, "
    "r.expires_at <= now() AS expired, u.email, u.name, u.deactivated_at"
)


async def insert(
    conn: asyncpg.Connection,
    user_id: UUID,
    token_hash: bytes,
    issued_by: UUID | None,
    expires_at: dt.datetime,
) -> asyncpg.Record:
    return await fetch_one(
        conn,
        "INSERT INTO password_resets (user_id, token_hash, issued_by, expires_at) "
        "VALUES ($1, $2, $3, $4) RETURNING id, expires_at",
        user_id,
        token_hash,
        issued_by,
        expires_at,
    )


async def revoke_open(conn: asyncpg.Connection, user_id: UUID) -> None:
    """Withdraw the account's links not yet used: a newer link, a new password or a
    deactivation makes them pointless."""
    await conn.execute(
        "UPDATE password_resets SET revoked_at = now() "
        "WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL",
        user_id,
    )


async def by_token(
    conn: asyncpg.Connection, token_hash: bytes, *, for_update: bool = False
) -> asyncpg.Record | None:
    lock = " FOR UPDATE OF r" if for_update else ""
    return await conn.fetchrow(
        f"SELECT {COLUMNS} FROM password_resets r JOIN users u ON u.id = r.user_id "
        f"WHERE r.token_hash = $1{lock}",
        token_hash,
    )


async def mark_used(conn: asyncpg.Connection, reset_id: UUID) -> None:
    await conn.execute("UPDATE password_resets SET used_at = now() WHERE id = $1", reset_id)
