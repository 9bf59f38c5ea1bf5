"""Reading the audit log as a member: the one place events are read back.

Every read applies ``event_visible_sql``, the single blinding rule for events, so the
audit log and the live subscription cannot disagree about what a member may see.
"""

from __future__ import annotations

from uuid import UUID

import asyncpg

from accord.coding.access import Scope
from accord.coding.blinding import event_visible_sql
from accord.errors import Forbidden
from accord.permissions import Action, can

_COLUMNS = (
    "e.id, e.project_id, e.actor_id, e.kind, e.subject_type, e.subject_id, e.document_id,"
    " e.layer_user_id, e.round_id, e.before, e.after, e.created_at"
)


async def audit_page(
    conn: asyncpg.Connection, scope: Scope, after_id: int, limit: int
) -> tuple[list[asyncpg.Record], int]:
    """Up to ``limit`` events after ``after_id`` in id order, and the total count.

    Leads and viewers only; a coder is refused with FORBIDDEN (their own view of
    activity goes through the subscription, which is filtered per event).
    """
    role = scope.project.role
    if not can(role, Action.VIEW_AUDIT_LOG):
        raise Forbidden(f"Your role ({role.value.lower()}) may not {Action.VIEW_AUDIT_LOG.value}.")
    visible = event_visible_sql(scope.sight, "e", "$2")
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM events e"
        f" WHERE e.project_id = $1 AND {visible} AND e.id > $3 ORDER BY e.id LIMIT $4",
        scope.project.id,
        scope.user.id,
        after_id,
        limit,
    )
    total: int = await conn.fetchval(
        f"SELECT count(*) FROM events e WHERE e.project_id = $1 AND {visible}",
        scope.project.id,
        scope.user.id,
    )
    return list(rows), total


async def latest_id(conn: asyncpg.Connection, project_id: UUID) -> int:
    found: int | None = await conn.fetchval(
        "SELECT max(id) FROM events WHERE project_id = $1", project_id
    )
    return found or 0


async def ids_after(
    conn: asyncpg.Connection, project_id: UUID, after_id: int, up_to: int | None = None
) -> list[int]:
    """Ids of a project's events after ``after_id`` (up to ``up_to``), oldest first."""
    rows = await conn.fetch(
        "SELECT id FROM events WHERE project_id = $1 AND id > $2"
        " AND ($3::bigint IS NULL OR id <= $3) ORDER BY id LIMIT 10000",
        project_id,
        after_id,
        up_to,
    )
    return [r["id"] for r in rows]


async def visible_event(
    conn: asyncpg.Connection, scope: Scope, event_id: int
) -> asyncpg.Record | None:
    """One event of the scope's project, or None when it is not there or not visible."""
    visible = event_visible_sql(scope.sight, "e", "$2")
    row: asyncpg.Record | None = await conn.fetchrow(
        f"SELECT {_COLUMNS} FROM events e WHERE e.id = $3 AND e.project_id = $1 AND {visible}",
        scope.project.id,
        scope.user.id,
        event_id,
    )
    return row
