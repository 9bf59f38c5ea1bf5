"""Reveals: a document whose coder layers every member may see, for one round.

A lead reveals a document, or the last submission of its assignments in a round does
(:func:`reveal_if_complete`). Once revealed, it stays revealed: what was seen cannot be
unseen.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import asyncpg

from accord.coding import rounds
from accord.coding.access import Scope, scope_for
from accord.events.log import append_event
from accord.ids import parse_id
from accord.permissions import Action
from accord.users.model import User


async def record_reveal(
    conn: asyncpg.Connection, scope: Scope, document_id: UUID, round_id: UUID, *, automatic: bool
) -> datetime:
    row = await conn.fetchrow(
        "INSERT INTO reveals (document_id, round_id, revealed_by) VALUES ($1, $2, $3) "
        "ON CONFLICT DO NOTHING RETURNING revealed_at",
        document_id,
        round_id,
        None if automatic else scope.user.id,
    )
    if row is None:
        at: datetime = await conn.fetchval(
            "SELECT revealed_at FROM reveals WHERE document_id = $1 AND round_id = $2",
            document_id,
            round_id,
        )
        return at
    await append_event(
        conn,
        project_id=scope.project.id,
        actor_id=None if automatic else scope.user.id,
        kind="document.revealed",
        subject_type="document",
        subject_id=document_id,
        document_id=document_id,
        round_id=round_id,
        after={"automatic": automatic},
    )
    revealed: datetime = row["revealed_at"]
    return revealed


async def reveal_if_complete(
    conn: asyncpg.Connection, scope: Scope, document_id: UUID, round_id: UUID
) -> bool:
    """Reveal the document automatically when its assignments in the round are done.

    Done means at least one is submitted and none of a current member is still open:
    a withdrawn assignment, or one left by a member removed before removals settled
    them, does not hold the document back. True when the document is revealed.
    """
    row = await conn.fetchrow(
        "SELECT count(*) FILTER (WHERE a.status = 'SUBMITTED') AS submitted,"
        " count(*) FILTER (WHERE a.status NOT IN ('SUBMITTED', 'WITHDRAWN')"
        " AND m.user_id IS NOT NULL) AS open"
        " FROM assignments a LEFT JOIN project_members m"
        " ON m.project_id = a.project_id AND m.user_id = a.user_id"
        " WHERE a.document_id = $1 AND a.round_id = $2",
        document_id,
        round_id,
    )
    if row is None or row["open"] or not row["submitted"]:
        return False
    await record_reveal(conn, scope, document_id, round_id, automatic=True)
    return True


async def reveal(
    conn: asyncpg.Connection, user: User, document_id: str, round_id: str | None
) -> tuple[UUID, UUID, datetime]:
    did = parse_id(document_id, "Document")
    scope = await scope_for(conn, "documents", did, user, Action.REVEAL, what="Document", lock=True)
    the_round = await rounds.resolve(conn, scope.project.id, round_id)
    at = await record_reveal(conn, scope, did, the_round.id, automatic=False)
    return did, the_round.id, at


async def is_revealed(conn: asyncpg.Connection, document_id: UUID, round_id: UUID) -> bool:
    found: bool = await conn.fetchval(
        "SELECT EXISTS (SELECT 1 FROM reveals WHERE document_id = $1 AND round_id = $2)",
        document_id,
        round_id,
    )
    return found
