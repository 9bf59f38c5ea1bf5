"""Telling "the database cannot be reached" apart from every other failure.

While PostgreSQL is down, restarting or refusing connections, every request fails in the
same way and through no fault of its own. Such a failure is answered with the code
UNAVAILABLE and HTTP 503 (try again shortly), not as an internal error; the database's
own words (errno text, "the database system is shutting down") go to the log only.
"""

from __future__ import annotations

import errno
import re
import socket

import asyncpg

CODE = "UNAVAILABLE"
MESSAGE = "The database cannot be reached right now; try again in a moment."
# Seconds a client should wait before trying again, sent as Retry-After.
RETRY_AFTER = 2

_UNAVAILABLE: tuple[type[BaseException], ...] = (
    asyncpg.PostgresConnectionError,  # the connection failed or vanished mid-statement
    asyncpg.CannotConnectNowError,  # starting up, shutting down, in recovery
    asyncpg.AdminShutdownError,  # terminated by a shutdown or an administrator
    asyncpg.CrashShutdownError,  # another server process crashed
    asyncpg.TooManyConnectionsError,
    ConnectionError,  # refused, reset, aborted, broken pipe
    TimeoutError,  # no answer to a connection attempt
    socket.gaierror,  # the database host's name does not resolve
)
# asyncpg's words when a statement is refused because the connection is still taking in
# an error the server sent out of turn: "cannot switch to state 15; another operation
# (2) is in progress".
_OUT_OF_TURN = re.compile(r"another operation \(\d+\) is in progress")
_NETWORK_ERRNOS = frozenset(
    {
        errno.ENOENT,  # no Unix socket: the server is not running
        errno.ECONNREFUSED,
        errno.ECONNRESET,
        errno.EHOSTUNREACH,
        errno.ENETUNREACH,
        errno.ETIMEDOUT,
    }
)


def database_unavailable(exc: BaseException) -> bool:
    """True when ``exc`` (or what caused it) means the database could not be reached."""
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 5:
        if isinstance(current, _UNAVAILABLE):
            return True
        if isinstance(current, asyncpg.InterfaceError) and "closed" in str(current):
            return True  # "connection is closed": used after the server dropped it
        if isinstance(current, asyncpg.InternalClientError) and _OUT_OF_TURN.search(str(current)):
            # The server's shutdown notice arrived between statements; the connection can
            # take no further statement, and the one refused (a COMMIT, say) was not sent.
            return True
        if isinstance(current, OSError) and (
            current.errno in _NETWORK_ERRNOS
            # asyncio's summary when every address of the host refused
            or str(current).startswith("Multiple exceptions:")
        ):
            return True
        current = current.__cause__
        seen += 1
    return False
