"""A gate in front of PostgreSQL: a TCP proxy a test closes and opens again.

Closed, it drops every connection through it and refuses new ones, which is what a
server sees while its database is down or unreachable: the same errors, from the same
sockets. The database behind it is the real one and keeps running for other tests.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from urllib.parse import parse_qs, urlsplit, urlunsplit


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Gate:
    def __init__(self, database_url: str) -> None:
        parts = urlsplit(database_url)
        socket_dir = parse_qs(parts.query).get("host", [None])[0]
        if socket_dir is None and (parts.hostname or "").startswith("/"):
            socket_dir = parts.hostname
        port = parts.port or 5432
        self._unix = f"{socket_dir}/.s.PGSQL.{port}" if socket_dir else None
        self._target = (parts.hostname or "127.0.0.1", port)
        self.port = _free_port()
        user = parts.username or "postgres"
        password = f":{parts.password}" if parts.password else ""
        self.url = urlunsplit(
            ("postgresql", f"{user}{password}@127.0.0.1:{self.port}", parts.path, "", "")
        )
        self._server: asyncio.Server | None = None
        self._pipes: set[asyncio.Task[None]] = set()

    @property
    def is_open(self) -> bool:
        return self._server is not None

    async def open(self) -> None:
        if self._server is None:
            self._server = await asyncio.start_server(
                self._serve, "127.0.0.1", self.port, reuse_address=True
            )

    async def close(self) -> None:
        """Refuse new connections and cut every open one."""
        server, self._server = self._server, None
        if server is not None:
            server.close()
        for task in list(self._pipes):
            task.cancel()
        for task in list(self._pipes):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if server is not None:
            await server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._pipes.add(task)
        upstream: asyncio.StreamWriter | None = None
        try:
            if self._unix:
                up_reader, upstream = await asyncio.open_unix_connection(self._unix)
            else:
                up_reader, upstream = await asyncio.open_connection(*self._target)
            await asyncio.gather(_copy(reader, upstream), _copy(up_reader, writer))
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            self._pipes.discard(task)
            for w in (writer, upstream):
                if w is not None:
                    # An abort, not a polite close: the peer sees a reset connection.
                    w.transport.abort()


async def _copy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while data := await reader.read(65536):
        writer.write(data)
        await writer.drain()
    writer.transport.abort()
