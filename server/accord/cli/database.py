"""Running one command's work against the database, as one transaction.

Embedded mode starts or joins the private PostgreSQL (shared with a running `accord
serve`), so every command works on the same data dir while the server runs. A user
error is printed as one line naming the command, without a traceback.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import Literal, TypeVar, cast

import asyncpg

from accord.config import Settings
from accord.db.pool import create_pool
from accord.db.target import database_url
from accord.errors import AccordError

T = TypeVar("T")
Work = Callable[[asyncpg.Connection, Settings], Awaitable[T]]


async def _once(url: str, settings: Settings, work: Work[T], readonly: bool) -> T:
    pool = await create_pool(url, settings, min_size=1, max_size=1)
    try:
        async with pool.acquire() as proxy:
            conn = cast(asyncpg.Connection, proxy)
            isolation: Literal["repeatable_read", "read_committed"] = (
                "repeatable_read" if readonly else "read_committed"
            )
            async with conn.transaction(isolation=isolation, readonly=readonly):
                return await work(conn, settings)
    finally:
        await pool.close()


def in_transaction(work: Work[T], *, readonly: bool = False) -> T:
    """Run ``work`` in one transaction on the configured database; raises AccordError."""
    settings = Settings.from_env()
    with database_url(settings) as url:
        return asyncio.run(_once(url, settings, work, readonly))


def run_command(
    command: str, work: Work[str], *, readonly: bool = False, notice: str | None = None
) -> int:
    """Run ``work`` and print what it returns; a user error prints and exits 2.

    ``notice`` goes to stderr on success (advice that is not the command's output)."""
    try:
        output = in_transaction(work, readonly=readonly)
    except AccordError as exc:
        print(f"accord {command}: error: {exc.message}", file=sys.stderr)
        return 2
    if output:
        print(output)
    if notice:
        print(notice, file=sys.stderr)
    return 0
