"""The one asyncpg pool a process holds, made at start-up and kept in lifespan state."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, cast

import asyncpg

from accord.config import Settings

Pool = asyncpg.Pool
Connection = asyncpg.Connection

log = logging.getLogger("accord.db")


async def _init_connection(conn: asyncpg.Connection) -> None:
    # jsonb and json come back as Python objects and go in from them.
    for name in ("jsonb", "json"):
        await conn.set_type_codec(
            name, encoder=json.dumps, decoder=json.loads, schema="pg_catalog", format="text"
        )


@asynccontextmanager
async def connection(pool: asyncpg.Pool) -> AsyncIterator[asyncpg.Connection]:
    """A pooled connection for one unit of work, like ``pool.acquire()`` except that a
    failure to hand the connection back is not the work's failure.

    When the server goes away just as the work ends, resetting the connection for the
    next user fails; asyncpg then closes it (a fresh one replaces it), and the work, a
    commit included, has happened. Raising then would turn a done write into an error.
    """
    conn = cast(asyncpg.Connection, await pool.acquire())
    try:
        yield conn
    finally:
        await release(pool, conn)


async def release(pool: asyncpg.Pool, conn: asyncpg.Connection) -> None:
    """Hand a connection back to the pool; a failure to do so is logged, not raised."""
    try:
        await pool.release(cast(Any, conn))
    except Exception as exc:
        log.warning(
            "a database connection could not be reset for reuse and was closed (%s: %s)",
            type(exc).__name__,
            exc,
        )


async def _keep_session(conn: asyncpg.Connection) -> None:
    """What a connection needs on its way back to the pool beyond what asyncpg always
    does (roll back an open transaction, drop listeners): nothing.

    asyncpg's default reset also runs ``RESET ALL; UNLISTEN *; CLOSE ALL;
    pg_advisory_unlock_all()``, one more round trip per request, for session state
    Accord never leaves on a pooled connection: its settings are local to a transaction
    (``set_config(..., true)``), its advisory locks are transaction locks, its cursors
    live in transactions and LISTEN has a connection of its own
    (:mod:`accord.events.broker`). The migration runner's session lock is released by
    the runner itself.
    """


async def fetch_one(conn: asyncpg.Connection, query: str, *args: Any) -> asyncpg.Record:
    """fetchrow for statements that always return a row (INSERT/UPDATE ... RETURNING)."""
    row = await conn.fetchrow(query, *args)
    if row is None:
        raise LookupError(f"expected a row from: {query.split()[0]} ...")
    return row


async def create_pool(url: str, settings: Settings, **overrides: Any) -> asyncpg.Pool:
    options: dict[str, Any] = {
        "min_size": 1,
        "max_size": settings.pool_max_size,
        "init": _init_connection,
        "reset": _keep_session,
        "server_settings": {
            "statement_timeout": str(settings.statement_timeout_ms),
            "application_name": "accord",
        },
    }
    options.update(overrides)
    pool = await asyncpg.create_pool(url, **options)
    assert pool is not None
    return pool
