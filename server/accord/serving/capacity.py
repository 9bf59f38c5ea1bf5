"""Do N server processes' pools fit in what PostgreSQL allows?

Each server process holds a pool of up to ``ACCORD_POOL_MAX_SIZE`` connections and one
LISTEN connection for events. PostgreSQL refuses connections past ``max_connections``
(less the slots it keeps for superusers), so a server whose pools could outgrow that
would start fine and then fail requests under load. It is refused at start instead.
"""

from __future__ import annotations

import asyncpg

from accord.config import ConfigError

#: Connections left over for the CLI (`accord migrate`, `accord user …`) and pg_dump.
KEPT_FOR_TOOLS = 2


def connections_per_process(pool_max_size: int) -> int:
    """The pool plus the LISTEN connection of ``accord.events.broker``."""
    return pool_max_size + 1


async def allowed_connections(url: str) -> tuple[int, int]:
    """``max_connections`` and how many of them are reserved (for superusers and, from
    PostgreSQL 16, for ``pg_use_reserved_connections``)."""
    conn = await asyncpg.connect(url)
    try:
        limit = int(await conn.fetchval("SELECT current_setting('max_connections')"))
        reserved = int(
            await conn.fetchval("SELECT current_setting('superuser_reserved_connections')")
        )
        extra = await conn.fetchval("SELECT current_setting('reserved_connections', true)")
        reserved += int(extra) if extra else 0
    finally:
        await conn.close()
    return limit, reserved


def check_budget(workers: int, pool_max_size: int, limit: int, reserved: int) -> None:
    """Raise :class:`ConfigError`, saying what to change, when the pools cannot fit."""
    needed = workers * connections_per_process(pool_max_size)
    available = limit - reserved - KEPT_FOR_TOOLS
    if needed <= available:
        return
    raise ConfigError(
        f"{workers} server process{'es' if workers > 1 else ''} × (ACCORD_POOL_MAX_SIZE "
        f"{pool_max_size} + 1 for events) need up to {needed} PostgreSQL connections, but "
        f"the database allows {available} (max_connections {limit}, less {reserved} "
        f"reserved and {KEPT_FOR_TOOLS} kept for CLI commands). Use fewer workers "
        "(--workers, ACCORD_WORKERS), a smaller ACCORD_POOL_MAX_SIZE, or raise "
        "max_connections in PostgreSQL."
    )


async def check(url: str, workers: int, pool_max_size: int) -> None:
    limit, reserved = await allowed_connections(url)
    check_budget(workers, pool_max_size, limit, reserved)
