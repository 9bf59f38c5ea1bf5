"""Fanning PostgreSQL NOTIFY out to this process's subscribers.

One LISTEN connection per server process, opened on the first subscriber. A NOTIFY
carries only an event's id and project id; there is no in-memory event store. Each
subscriber re-reads the event through its own visibility filter, so blinding holds per
subscriber, and events committed by any process reach every process. The same
connection hears credentials end (``accord.auth.revocation``) and closes this process's
WebSockets that they opened.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import asyncpg

from accord.auth import revocation
from accord.events.log import CHANNEL

log = logging.getLogger("accord.events")

# A subscriber this far behind is cut off rather than letting its queue grow unbounded.
MAX_BACKLOG = 10_000
# Offered after the LISTEN connection came back: events may have been committed while
# nobody listened, so each subscriber reads what it missed from the events table.
CATCH_UP = 0


@dataclass(eq=False)
class Subscriber:
    project_id: UUID
    queue: asyncio.Queue[int | None] = field(
        default_factory=lambda: asyncio.Queue(maxsize=MAX_BACKLOG)
    )
    # Set when the subscriber fell too far behind or the broker closed.
    ended: str | None = None

    def offer(self, event_id: int | None) -> None:
        if self.ended is not None:
            return
        try:
            self.queue.put_nowait(event_id)
        except asyncio.QueueFull:
            self.ended = "Too many events are waiting for this subscription; subscribe again."
            # Wake the reader so it sees the reason.
            with contextlib.suppress(asyncio.QueueEmpty):
                self.queue.get_nowait()
            self.queue.put_nowait(None)


class Broker:
    def __init__(self, dsn: str) -> None:
        self._dsn = dsn
        self._conn: asyncpg.Connection | None = None
        self._lock = asyncio.Lock()
        self._subscribers: dict[UUID, set[Subscriber]] = {}
        self._closed = False
        self._reconnecting: asyncio.Task[None] | None = None
        # WebSockets by credential; the same connection hears credentials end.
        self.sockets = revocation.Sockets()

    @property
    def listening(self) -> bool:
        return self._conn is not None and not self._conn.is_closed()

    async def _ensure_listening(self) -> None:
        async with self._lock:
            if self._closed:
                raise RuntimeError("the event broker is closed")
            if self.listening:
                return
            conn = await asyncpg.connect(self._dsn)
            conn.add_termination_listener(self._on_terminated)
            await conn.add_listener(CHANNEL, self._on_notify)
            await conn.add_listener(revocation.CHANNEL, self._on_credentials)
            self._conn = conn

    def _on_notify(self, conn: Any, pid: int, channel: str, payload: object) -> None:
        try:
            message = json.loads(str(payload))
            project_id = UUID(message["project_id"])
            event_id = int(message["id"])
        except (ValueError, KeyError, TypeError):
            log.warning("ignoring a malformed %s payload: %r", CHANNEL, payload)
            return
        for subscriber in list(self._subscribers.get(project_id, ())):
            subscriber.offer(event_id)

    def _on_credentials(self, conn: Any, pid: int, channel: str, payload: object) -> None:
        self.sockets.notice(str(payload))

    @property
    def _needed(self) -> bool:
        return bool(self._subscribers or self.sockets)

    def _on_terminated(self, conn: object) -> None:
        # The LISTEN connection died (database restart, network). Reconnect while anyone
        # is subscribed or connected; events committed in the gap are not replayed.
        self._conn = None
        if not self._closed and self._needed and self._reconnecting is None:
            self._reconnecting = asyncio.get_running_loop().create_task(self._reconnect())

    async def _reconnect(self) -> None:
        delay = 0.1
        try:
            while not self._closed and self._needed and not self.listening:
                try:
                    await self._ensure_listening()
                    for group in list(self._subscribers.values()):
                        for subscriber in list(group):
                            subscriber.offer(CATCH_UP)
                    # A credential may have ended while nobody listened.
                    self.sockets.recheck_all()
                except (OSError, asyncpg.PostgresError) as exc:
                    log.warning("event broker: reconnect failed (%s); retrying", exc)
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 5.0)
        finally:
            self._reconnecting = None

    @contextlib.asynccontextmanager
    async def subscribe(self, project_id: UUID) -> AsyncIterator[Subscriber]:
        """Register for a project's event ids; LISTEN is active when this yields."""
        subscriber = Subscriber(project_id)
        self._subscribers.setdefault(project_id, set()).add(subscriber)
        try:
            await self._ensure_listening()
            yield subscriber
        finally:
            group = self._subscribers.get(project_id)
            if group is not None:
                group.discard(subscriber)
                if not group:
                    del self._subscribers[project_id]

    async def watch(
        self,
        credential: revocation.Credential,
        end: revocation.SocketAction,
        recheck: revocation.SocketAction,
    ) -> Callable[[], None]:
        """Close a WebSocket when its credential ends; LISTEN is active when this returns.
        Returns the function that stops watching it."""
        release = self.sockets.add(credential, end, recheck)
        try:
            await self._ensure_listening()
        except BaseException:
            release()
            raise
        return release

    async def close(self) -> None:
        async with self._lock:
            self._closed = True
            if self._reconnecting is not None:
                self._reconnecting.cancel()
            for group in list(self._subscribers.values()):
                for subscriber in list(group):
                    subscriber.offer(None)
                    subscriber.ended = subscriber.ended or "The server is shutting down."
            conn, self._conn = self._conn, None
            if conn is not None and not conn.is_closed():
                await conn.close()
