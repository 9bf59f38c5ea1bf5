"""SQL for users, API tokens, sessions and login failures."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import asyncpg

from accord.db.pool import fetch_one

USER_COLUMNS = (
    "id, email, name, password_hash, created_at, is_admin, deactivated_at, last_login_at, seq"
)

# Taken (for the transaction) only while the table is empty, so that of two accounts
# created at once on a new database exactly one is the first, the administrator.
FIRST_ACCOUNT_LOCK = 0x0ACC0_01


async def insert_user(
    conn: asyncpg.Connection,
    email: str,
    name: str,
    password_hash: str | None,
    is_admin: bool,
    first_is_admin: bool,
) -> asyncpg.Record | None:
    """Insert an account; None when the email is taken. With ``first_is_admin``, the
    first account that can log in on an empty database is an administrator."""
    first_is_admin = first_is_admin and password_hash is not None
    if first_is_admin and not await conn.fetchval("SELECT EXISTS (SELECT 1 FROM users)"):
        await conn.execute("SELECT pg_advisory_xact_lock($1)", FIRST_ACCOUNT_LOCK)
    row = await conn.fetchrow(
        f"INSERT INTO users (email, name, password_hash, is_admin) "
        f"VALUES ($1, $2, $3, $4 OR ($5 AND NOT EXISTS (SELECT 1 FROM users))) "
        f"ON CONFLICT DO NOTHING RETURNING {USER_COLUMNS}",
        email,
        name,
        password_hash,
        is_admin,
        first_is_admin,
    )
    return row


async def has_active_admin(conn: asyncpg.Connection) -> bool:
    found: bool = await conn.fetchval(
        "SELECT EXISTS (SELECT 1 FROM users WHERE is_admin AND deactivated_at IS NULL)"
    )
    return found


async def user_by_email(conn: asyncpg.Connection, email: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"SELECT {USER_COLUMNS} FROM users WHERE lower(email) = lower($1)", email
    )


async def user_by_id(conn: asyncpg.Connection, user_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(f"SELECT {USER_COLUMNS} FROM users WHERE id = $1", user_id)


async def users_by_ids(conn: asyncpg.Connection, ids: list[UUID]) -> list[asyncpg.Record]:
    return await conn.fetch(f"SELECT {USER_COLUMNS} FROM users WHERE id = ANY($1::uuid[])", ids)


async def insert_token(
    conn: asyncpg.Connection, user_id: UUID, name: str, token_hash: bytes
) -> asyncpg.Record:
    return await fetch_one(
        conn,
        "INSERT INTO api_tokens (user_id, name, token_hash) VALUES ($1, $2, $3) "
        "RETURNING id, name, created_at, last_used_at, revoked_at",
        user_id,
        name,
        token_hash,
    )


async def user_for_token(conn: asyncpg.Connection, token_hash: bytes) -> asyncpg.Record | None:
    # last_used_at is refreshed at most once a minute, so reads do not all write.
    return await conn.fetchrow(
        f"""
        WITH t AS (
            UPDATE api_tokens SET last_used_at = now()
            WHERE token_hash = $1 AND revoked_at IS NULL
              AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
            RETURNING user_id
        )
        SELECT {USER_COLUMNS} FROM users
        WHERE id = (SELECT user_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL)
          AND deactivated_at IS NULL
        """,
        token_hash,
    )


async def token_id(conn: asyncpg.Connection, token_hash: bytes) -> UUID | None:
    found: UUID | None = await conn.fetchval(
        "SELECT id FROM api_tokens WHERE token_hash = $1", token_hash
    )
    return found


async def tokens_of(conn: asyncpg.Connection, user_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT id, name, created_at, last_used_at, revoked_at FROM api_tokens "
        "WHERE user_id = $1 ORDER BY created_at, id",
        user_id,
    )


async def revoke_token(
    conn: asyncpg.Connection, user_id: UUID, token_id: UUID
) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) "
        "WHERE id = $1 AND user_id = $2 RETURNING id, name, created_at, last_used_at, revoked_at",
        token_id,
        user_id,
    )


async def insert_session(
    conn: asyncpg.Connection, id_hash: bytes, user_id: UUID, expires_at: dt.datetime
) -> None:
    await conn.execute(
        "INSERT INTO sessions (id_hash, user_id, expires_at) VALUES ($1, $2, $3)",
        id_hash,
        user_id,
        expires_at,
    )


async def user_for_session(conn: asyncpg.Connection, id_hash: bytes) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"SELECT {USER_COLUMNS} FROM users WHERE id = "
        "(SELECT user_id FROM sessions WHERE id_hash = $1 AND expires_at > now()) "
        "AND deactivated_at IS NULL",
        id_hash,
    )


async def delete_session(conn: asyncpg.Connection, id_hash: bytes) -> None:
    await conn.execute("DELETE FROM sessions WHERE id_hash = $1", id_hash)


async def touch_last_login(conn: asyncpg.Connection, user_id: UUID) -> None:
    await conn.execute("UPDATE users SET last_login_at = now() WHERE id = $1", user_id)


async def delete_sessions_of(
    conn: asyncpg.Connection, user_id: UUID, keep_hash: bytes | None
) -> int:
    """End every session of the account except ``keep_hash``; the number ended."""
    ended: int = await conn.fetchval(
        "WITH gone AS (DELETE FROM sessions WHERE user_id = $1 "
        "AND id_hash IS DISTINCT FROM $2 RETURNING 1) SELECT count(*) FROM gone",
        user_id,
        keep_hash,
    )
    return ended


async def revoke_tokens_of(conn: asyncpg.Connection, user_id: UUID) -> int:
    revoked: int = await conn.fetchval(
        "WITH gone AS (UPDATE api_tokens SET revoked_at = now() "
        "WHERE user_id = $1 AND revoked_at IS NULL RETURNING 1) SELECT count(*) FROM gone",
        user_id,
    )
    return revoked


async def set_password_hash(conn: asyncpg.Connection, user_id: UUID, password_hash: str) -> None:
    # A placeholder given a password is an account like any other: nobody claims it now.
    await conn.execute(
        "UPDATE users SET password_hash = $2, claim_email = NULL WHERE id = $1",
        user_id,
        password_hash,
    )


async def lock_user(conn: asyncpg.Connection, user_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"SELECT {USER_COLUMNS} FROM users WHERE id = $1 FOR UPDATE", user_id
    )


async def set_deactivated(
    conn: asyncpg.Connection, user_id: UUID, deactivated: bool
) -> asyncpg.Record:
    return await fetch_one(
        conn,
        "UPDATE users SET deactivated_at = CASE WHEN $2 THEN coalesce(deactivated_at, now()) END "
        f"WHERE id = $1 RETURNING {USER_COLUMNS}",
        user_id,
        deactivated,
    )


async def set_admin(conn: asyncpg.Connection, user_id: UUID, is_admin: bool) -> asyncpg.Record:
    return await fetch_one(
        conn,
        f"UPDATE users SET is_admin = $2 WHERE id = $1 RETURNING {USER_COLUMNS}",
        user_id,
        is_admin,
    )


async def count_active_admins(conn: asyncpg.Connection) -> int:
    # Locks the administrators' rows, so two administrators stepping down at once cannot
    # both see the other as the one who remains.
    rows = await conn.fetch(
        "SELECT id FROM users WHERE is_admin AND deactivated_at IS NULL FOR UPDATE"
    )
    return len(rows)


async def accounts_page(
    conn: asyncpg.Connection, after_seq: int, limit: int, search: str | None
) -> list[asyncpg.Record]:
    """Accounts in creation order after ``after_seq``; ``search`` matches email or name."""
    return await conn.fetch(
        f"SELECT {USER_COLUMNS} FROM users WHERE seq > $1 "
        "AND ($3::text IS NULL OR strpos(lower(email), lower($3)) > 0 "
        "OR strpos(lower(name), lower($3)) > 0) ORDER BY seq LIMIT $2",
        after_seq,
        limit,
        search,
    )


# Advisory lock classes: every login takes its email's lock before its address's, so
# two logins never wait on each other in a circle.
_EMAIL_LOCK = 1
_ADDRESS_LOCK = 2


async def charge_attempt(
    conn: asyncpg.Connection,
    email: str,
    address: str,
    window_seconds: int,
    max_by_email: int,
    max_by_address: int,
) -> int | None:
    """Record a login attempt as failed before its password is checked, unless the
    email or the address has used up its failures in the window (then None).

    Counting and recording happen under advisory locks on the email and the address
    (the caller's transaction holds them), so concurrent attempts are charged one at a
    time and no more passwords are checked than the limits allow. A successful login
    takes its charge back (:func:`refund_attempt`).
    """
    await conn.execute(
        "SELECT pg_advisory_xact_lock($1, hashtext($2)), pg_advisory_xact_lock($3, hashtext($4))",
        _EMAIL_LOCK,
        email,
        _ADDRESS_LOCK,
        address,
    )
    charged: int | None = await conn.fetchval(
        """
        WITH recent AS (
            SELECT count(*) FILTER (WHERE email = $1) AS by_email,
                   count(*) FILTER (WHERE address = $2) AS by_address
            FROM login_failures
            WHERE failed_at > now() - make_interval(secs => $3) AND (email = $1 OR address = $2)
        )
        INSERT INTO login_failures (email, address)
        SELECT $1, $2 FROM recent WHERE by_email < $4 AND by_address < $5
        RETURNING id
        """,
        email,
        address,
        float(window_seconds),
        max_by_email,
        max_by_address,
    )
    # Old rows are no longer needed for any limit.
    await conn.execute("DELETE FROM login_failures WHERE failed_at < now() - interval '1 day'")
    return charged


async def seconds_until_allowed(
    conn: asyncpg.Connection,
    email: str,
    address: str,
    window_seconds: int,
    max_by_email: int,
    max_by_address: int,
) -> float:
    """How long until both counts are under their limits again.

    A count drops under its limit when the failure `limit` places back from the newest
    leaves the window.
    """
    wait = await conn.fetchval(
        """
        WITH recent AS (
            SELECT email, address, failed_at FROM login_failures
            WHERE failed_at > now() - make_interval(secs => $3) AND (email = $1 OR address = $2)
        )
        SELECT greatest(
            (SELECT failed_at FROM recent WHERE email = $1
             ORDER BY failed_at DESC OFFSET $4 - 1 LIMIT 1),
            (SELECT failed_at FROM recent WHERE address = $2
             ORDER BY failed_at DESC OFFSET $5 - 1 LIMIT 1)
        ) + make_interval(secs => $3) - now()
        """,
        email,
        address,
        float(window_seconds),
        max_by_email,
        max_by_address,
    )
    return wait.total_seconds() if wait is not None else 0.0


async def refund_attempt(conn: asyncpg.Connection, failure_id: int) -> None:
    await conn.execute("DELETE FROM login_failures WHERE id = $1", failure_id)


async def clear_failures(conn: asyncpg.Connection, email: str) -> int:
    cleared: int = await conn.fetchval(
        "WITH gone AS (DELETE FROM login_failures WHERE email = lower($1) RETURNING 1) "
        "SELECT count(*) FROM gone",
        email,
    )
    return cleared


async def is_active_admin(conn: asyncpg.Connection, user_id: UUID) -> bool:
    found = await conn.fetchval(
        "SELECT is_admin AND deactivated_at IS NULL FROM users WHERE id = $1", user_id
    )
    return bool(found)


async def is_deactivated(conn: asyncpg.Connection, user_id: UUID) -> bool:
    found = await conn.fetchval(
        "SELECT deactivated_at IS NOT NULL FROM users WHERE id = $1", user_id
    )
    return bool(found)
