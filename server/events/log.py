"""Appending to the audit log.

Every mutation appends one event inside its own transaction, so an event exists exactly
when its change does. A NOTIFY in the same transaction is delivered on commit, which is
how subscribers in every server process hear of it.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import asyncpg

CHANNEL = "accord_events"


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
    # One statement: the row and, for project events, the NOTIFY that is sent on commit.
    event_id: int = await conn.fetchval(
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
