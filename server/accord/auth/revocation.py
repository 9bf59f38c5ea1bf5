"""Credentials that end: the WebSockets they opened close, in every server process.

An HTTP request names its credential every time; a WebSocket names it once, at
``connection_init``, and then lives on. So whatever ends a credential (revoking a
token, logging out, and for a whole account changing the password, resetting it or
deactivating the account) calls :func:`credentials_ended` inside its own transaction.
Its NOTIFY goes out on commit; each process's event broker hears it on its one LISTEN
connection and hands it to :class:`Sockets`, which closes the sockets it names: those
opened with that token, or that session, or any of the account's. Every operation a
socket runs also checks its credential again first (``accord.graphql.view``), so a
notice lost while the LISTEN connection was down leaves no authority behind either.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from uuid import UUID

import asyncpg

log = logging.getLogger("accord.auth")

CHANNEL = "accord_credentials"
#: The close code and reason a socket gets when its credential ended.
CLOSE_CODE = 4401
CLOSE_REASON = "Your credentials ended (token revoked, logged out or account changed)."


@dataclass(frozen=True)
class Credential:
    """What a socket was opened with: one session or one API token of an account."""

    user_id: UUID
    session_hash: bytes | None = None
    token_id: UUID | None = None

    def ended_by(self, notice: Notice) -> bool:
        if notice.user_id != self.user_id:
            return False
        if notice.token_id is None and notice.session_hash is None:
            return True  # the whole account's credentials ended
        return (notice.token_id is not None and notice.token_id == self.token_id) or (
            notice.session_hash is not None and notice.session_hash == self.session_hash
        )


@dataclass(frozen=True)
class Notice:
    user_id: UUID
    session_hash: bytes | None
    token_id: UUID | None

    @classmethod
    def parse(cls, payload: str) -> Notice | None:
        try:
            data = json.loads(payload)
            session = data.get("session_hash")
            token = data.get("token_id")
            return cls(
                UUID(data["user_id"]),
                bytes.fromhex(session) if session else None,
                UUID(token) if token else None,
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            return None


async def credentials_ended(
    conn: asyncpg.Connection,
    *,
    user_id: UUID,
    session_hash: bytes | None = None,
    token_id: UUID | None = None,
) -> None:
    """Close the sockets of one session, of one token, or (neither given) of every
    credential of the account, in every process, once the caller's transaction commits.

    Call it in the transaction that ends the credential, after the change itself, so a
    socket that checks again on the notice finds the credential gone.
    """
    payload = {
        "user_id": str(user_id),
        "session_hash": session_hash.hex() if session_hash is not None else None,
        "token_id": str(token_id) if token_id is not None else None,
    }
    await conn.execute("SELECT pg_notify($1, $2)", CHANNEL, json.dumps(payload))


SocketAction = Callable[[], Awaitable[None]]


@dataclass(eq=False)
class _Socket:
    credential: Credential
    end: SocketAction
    recheck: SocketAction


class Sockets:
    """This process's open WebSockets by the credential each was opened with."""

    def __init__(self) -> None:
        self._open: set[_Socket] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    def __bool__(self) -> bool:
        return bool(self._open)

    def add(
        self, credential: Credential, end: SocketAction, recheck: SocketAction
    ) -> Callable[[], None]:
        """Watch a socket: ``end`` closes it, ``recheck`` closes it if its credential no
        longer holds. Returns the function that stops watching it."""
        socket = _Socket(credential, end, recheck)
        self._open.add(socket)
        return lambda: self._open.discard(socket)

    def notice(self, payload: str) -> None:
        """A NOTIFY on :data:`CHANNEL`: end the sockets it names."""
        notice = Notice.parse(payload)
        if notice is None:
            log.warning("ignoring a malformed %s payload: %r", CHANNEL, payload)
            return
        for socket in list(self._open):
            if socket.credential.ended_by(notice):
                self._open.discard(socket)
                self._run(socket.end)

    def recheck_all(self) -> None:
        """After the LISTEN connection came back: notices may have been missed."""
        for socket in list(self._open):
            self._run(socket.recheck)

    def _run(self, action: SocketAction) -> None:
        task = asyncio.get_running_loop().create_task(self._guarded(action))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _guarded(action: SocketAction) -> None:
        try:
            await action()
        except Exception:  # the socket may be gone already: nothing to close
            log.debug("closing a socket whose credential ended failed", exc_info=True)
