"""Reading the audit log as a member: the one place events are read back.

Every read applies ``event_visible_sql``, the single blinding rule for events, so the
audit log and the live subscription cannot disagree about what a member may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
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


@dataclass(frozen=True)
class AuditFilter:
    """Which events of the audit log to list. A kind without a dot names a family:
    "code" is every "code.*" kind."""

    kinds: tuple[str, ...] = ()
    actor_id: UUID | None = None
    document_id: UUID | None = None
    since: datetime | None = None
    until: datetime | None = None
    newest_first: bool = False

    def sql(self, first_param: int) -> tuple[str, list[object]]:
        """The filter's conditions (on alias ``e``), numbered from ``first_param``."""
        exact = [k for k in self.kinds if "." in k]
        families = [k + "." for k in self.kinds if "." not in k]
        n = first_param
        conditions = [
            f"(cardinality(${n}::text[]) + cardinality(${n + 1}::text[]) = 0"
            f" OR e.kind = ANY(${n}::text[])"
            f" OR EXISTS (SELECT 1 FROM unnest(${n + 1}::text[]) f"
            " WHERE starts_with(e.kind, f)))",
            f"(${n + 2}::uuid IS NULL OR e.actor_id = ${n + 2})",
            f"(${n + 3}::uuid IS NULL OR e.document_id = ${n + 3})",
            f"(${n + 4}::timestamptz IS NULL OR e.created_at >= ${n + 4})",
            f"(${n + 5}::timestamptz IS NULL OR e.created_at < ${n + 5})",
        ]
        values: list[object] = [
            exact,
            families,
            self.actor_id,
            self.document_id,
            self.since,
            self.until,
        ]
        return " AND ".join(conditions), values


async def audit_page(
    conn: asyncpg.Connection,
    scope: Scope,
    after_id: int | None,
    limit: int,
    audit_filter: AuditFilter | None = None,
) -> tuple[list[asyncpg.Record], int]:
    """Up to ``limit`` matching events after the cursor ``after_id`` (in id order, or
    newest first), and how many match in all.

    Leads and viewers only; a coder is refused with FORBIDDEN (their own view of
    activity goes through the subscription, which is filtered per event).
    """
    role = scope.project.role
    if not can(role, Action.VIEW_AUDIT_LOG):
        raise Forbidden(f"Your role ({role.value.lower()}) may not {Action.VIEW_AUDIT_LOG.value}.")
    f = audit_filter or AuditFilter()
    visible = event_visible_sql(scope.sight, "e", "$2")
    matching, values = f.sql(3)
    where = f"e.project_id = $1 AND {visible} AND {matching}"
    n = 3 + len(values)
    cursor = f"(${n}::bigint IS NULL OR e.id {'<' if f.newest_first else '>'} ${n})"
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM events e WHERE {where} AND {cursor}"
        f" ORDER BY e.id {'DESC' if f.newest_first else 'ASC'} LIMIT ${n + 1}",
        scope.project.id,
        scope.user.id,
        *values,
        after_id,
        limit,
    )
    total: int = await conn.fetchval(
        f"SELECT count(*) FROM events e WHERE {where}", scope.project.id, scope.user.id, *values
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
