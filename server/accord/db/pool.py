"""The one asyncpg pool a process holds, made at start-up and kept in lifespan state."""

from __future__ import annotations

import json
from typing import Any

import asyncpg

from accord.config import Settings

Pool = asyncpg.Pool
Connection = asyncpg.Connection


async def _init_connection(conn: asyncpg.Connection) -> None:
    # jsonb and json come back as Python objects and go in from them.
    for name in ("jsonb", "json"):
        await conn.set_type_codec(
            name, encoder=json.dumps, decoder=json.loads, schema="pg_catalog", format="text"
        )


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
        "server_settings": {
            "statement_timeout": str(settings.statement_timeout_ms),
            "application_name": "accord",
        },
    }
    options.update(overrides)
    pool = await asyncpg.create_pool(url, **options)
    assert pool is not None
    return pool
