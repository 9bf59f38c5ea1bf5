"""Sending the NOTIFYs of committed mutations, several in one statement.

A GraphQL mutation collects the NOTIFY payloads of the events it appended and, once its
transaction has committed, hands them here (see :mod:`accord.events.log` for why they go
after the commit). The answer does not wait for them: the events are durable and
subscribers read them from the table. Payloads that arrive while a statement is on its
way go out together in the next one, so under load a process sends one NOTIFY
statement for many mutations instead of one each; when idle, a payload goes out at
once. A statement that fails is logged and its payloads are dropped: subscribers catch
up from the events table with the next notification or their idle check, exactly as
after a NOTIFY that failed in the mutation's own request.
"""

from __future__ import annotations

import asyncio
import logging

import asyncpg

from accord.db.pool import connection as pooled
from accord.events.log import send_notifications

log = logging.getLogger("accord.events")


class Notifier:
    """One per server process, started and closed with the app."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool
        self._pending: list[str] = []
        self._sending: asyncio.Task[None] | None = None

    def send(self, payloads: list[str]) -> None:
        """Queue payloads of committed events; they go out as soon as possible."""
        if not payloads:
            return
        self._pending.extend(payloads)
        if self._sending is None or self._sending.done():
            self._sending = asyncio.create_task(self._send_pending())

    async def _send_pending(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            try:
                async with pooled(self._pool) as conn:
                    await send_notifications(conn, batch)
            except Exception as exc:  # whatever broke, the events are in the table
                log.warning(
                    "%d committed event(s) were not notified (%s: %s); subscribers catch "
                    "up from the events table",
                    len(batch),
                    type(exc).__name__,
                    exc,
                )

    async def close(self) -> None:
        """Send what is queued, before the pool closes."""
        sending = self._sending
        if sending is not None and not sending.done():
            await sending
