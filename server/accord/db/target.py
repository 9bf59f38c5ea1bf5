"""Which database a command talks to: the embedded one, or ACCORD_DATABASE_URL."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager

import asyncpg

from accord.config import Settings
from accord.db import migrations
from accord.db.embedded import EmbeddedDatabase


@contextmanager
def database_url(settings: Settings, *, migrate_embedded: bool = True) -> Iterator[str]:
    """Yield a URL for the command's lifetime (see :func:`database`)."""
    with database(settings, migrate_embedded=migrate_embedded) as (url, _embedded):
        yield url


@contextmanager
def database(
    settings: Settings, *, migrate_embedded: bool = True
) -> Iterator[tuple[str, EmbeddedDatabase | None]]:
    """Yield a URL for the command's lifetime, and the embedded server's handle if any.

    In embedded mode the private server is started, or joined when another Accord
    process on the same data directory already runs it, and migrated: an embedded
    database is Accord's own, so it is always brought up to date.
    """
    if settings.database_url is not None:
        yield settings.database_url.reveal(), None
        return
    embedded = EmbeddedDatabase(settings.data_dir)
    url = embedded.start()
    try:
        if migrate_embedded:
            asyncio.run(apply_migrations(url))
        yield url, embedded
    finally:
        embedded.stop()


async def apply_migrations(url: str) -> list[migrations.Migration]:
    conn = await asyncpg.connect(url)
    try:
        return await migrations.migrate(conn)
    finally:
        await conn.close()


async def check_current(url: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await migrations.require_current(conn)
    finally:
        await conn.close()
