"""Appending to the audit log, and telling subscribers.

Every mutation appends one event inside its own transaction, so an event exists exactly
when its change does. Subscribers in every server process hear of it through NOTIFY.

PostgreSQL serialises the commits of transactions that NOTIFY behind one lock, held
through the commit's WAL flush, so notifying inside every mutation would let only one
mutation commit per disk flush. A GraphQL mutation therefore collects its notifications
(:func:`collecting_notifications`) and sends them just after its transaction committed,
in a small transaction that does not wait for the flush (:func:`send_notifications`):
the events themselves are already durable. A NOTIFY that fails after the commit (the
connection or the database went away) does not undo the write, which is acknowledged as
committed (:func:`notify_committed`): subscribers read the events table from their last
event whenever they are woken, so the next notification, a reconnect of the LISTEN
connection or their idle check brings them the missed event. Elsewhere (the CLI,
imports) the NOTIFY goes with the event's own transaction.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from uuid import UUID

import asyncpg

CHANNEL = "accord_events"

log = logging.getLogger("accord.events")

_collected: ContextVar[list[str] | None] = ContextVar("accord_notifications", default=None)


@contextmanager
def collecting_notifications() -> Iterator[list[str]]:
    """Within this block, appended events leave their NOTIFY payloads in the list."""
    pending: list[str] = []
    token = _collected.set(pending)
    try:
        yield pending
    finally:
        _collected.reset(token)


async def send_notifications(conn: asyncpg.Connection, payloads: list[str]) -> None:
    """NOTIFY after the events' transaction committed, without waiting for a disk flush."""
    if not payloads:
        return
    # One statement is its own transaction; the setting is local to it.
    await conn.execute(
        "SELECT set_config('synchronous_commit', 'off', true), pg_notify($1, p) "
        "FROM unnest($2::text[]) AS p",
        CHANNEL,
        payloads,
    )


async def notify_committed(conn: asyncpg.Connection, payloads: list[str]) -> None:
    """:func:`send_notifications` for events already committed: a failure is logged, not
    raised, because the write it would report as failed has happened."""
    try:
        await send_notifications(conn, payloads)
    except Exception as exc:  # whatever broke, the events are in the table
        log.warning(
            "%d committed event(s) were not notified (%s: %s); subscribers catch up from "
            "the events table",
            len(payloads),
            type(exc).__name__,
            exc,
        )


async def event_appended(conn: asyncpg.Connection, event_id: int, project_id: UUID) -> None:
    """Tell subscribers of a project event that a statement of the caller's inserted
    into the events table, as :func:`append_event` does for its own."""
    collected = _collected.get()
    if collected is not None:
        collected.append(_payload(event_id, project_id))
        return
    await conn.execute("SELECT pg_notify($1, $2)", CHANNEL, _payload(event_id, project_id))


def _payload(event_id: int, project_id: UUID) -> str:
    return json.dumps({"id": event_id, "project_id": str(project_id)})


async def append_event(
    conn: asyncpg.Connection,
    *,
    project_id: UUID | None,
    actor_id: UUID | None,
    kind: str,
    subject_type: str,
    subject_id: object = None,
    before: Any = None,
    after: Any = None,
    document_id: UUID | None = None,
    layer_user_id: UUID | None = None,
    round_id: UUID | None = None,
) -> int:
    collected = _collected.get()
    if collected is not None:
        event_id: int = await conn.fetchval(
            """
            INSERT INTO events (project_id, actor_id, kind, subject_type, subject_id,
                                document_id, layer_user_id, round_id, before, after)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            RETURNING id
            """,
            project_id,
            actor_id,
            kind,
            subject_type,
            None if subject_id is None else str(subject_id),
            document_id,
            layer_user_id,
            round_id,
            _jsonable(before),
            _jsonable(after),
        )
        if project_id is not None:
            collected.append(_payload(event_id, project_id))
        return event_id
    # One statement: the row and, for project events, the NOTIFY that is sent on commit.
    event_id = await conn.fetchval(
        """
        WITH e AS (
            INSERT INTO events (project_id, actor_id, kind, subject_type, subject_id,
                                document_id, layer_user_id, round_id, before, after)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            RETURNING id, project_id
        )
        SELECT e.id FROM e, LATERAL (
            SELECT pg_notify($11, json_build_object('id', e.id, 'project_id', e.project_id)::text)
            WHERE e.project_id IS NOT NULL
        ) AS sent
        UNION ALL
        SELECT e.id FROM e WHERE e.project_id IS NULL
        """,
        project_id,
        actor_id,
        kind,
        subject_type,
        None if subject_id is None else str(subject_id),
        document_id,
        layer_user_id,
        round_id,
        _jsonable(before),
        _jsonable(after),
        CHANNEL,
    )
    return event_id


def _jsonable(value: Any) -> Any:
    if value is None:
        return None
    return json.loads(json.dumps(value, default=str))
