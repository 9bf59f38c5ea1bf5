"""Finalising a project: locking its consensus layer, codebook and synthesis.

A final project refuses every change in one place (``projects.service.load`` and
``ensure_open``); these two use cases set and lift that state, each with a rationale
that the decision log shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import asyncpg

from accord.consensus.workflow_items import clean_rationale
from accord.db.pool import fetch_one
from accord.errors import Conflict
from accord.events.log import append_event
from accord.permissions import Action
from accord.projects import service as projects
from accord.projects.repo import PROJECT_COLUMNS
from accord.projects.service import Project
from accord.users.model import User


async def _set_status(
    conn: asyncpg.Connection,
    user: User,
    project_id: UUID,
    status: str,
    kind: str,
    rationale: str | None,
    *,
    rationale_required: bool,
) -> Project:
    project = await projects.load(conn, project_id, user, Action.FINALIZE, lock=True)
    note = clean_rationale(rationale, required=rationale_required)
    if project.status == status:
        state = "final" if status == "FINAL" else "not final"
        raise Conflict(f"The project is already {state}.")
    row = await fetch_one(
        conn,
        "UPDATE projects SET status = $2, version = version + 1, updated_at = now() "
        f"WHERE id = $1 RETURNING {PROJECT_COLUMNS}",
        project_id,
        status,
    )
    await append_event(
        conn,
        project_id=project_id,
        actor_id=user.id,
        kind=kind,
        subject_type="project",
        subject_id=project_id,
        before={"status": project.status},
        after={"status": status, "rationale": note},
    )
    return Project.from_row(row, project.role)


@dataclass(frozen=True)
class Finalization:
    at: datetime
    actor_id: UUID | None
    rationale: str | None


async def finalization(conn: asyncpg.Connection, project_id: UUID) -> Finalization | None:
    """The latest finalisation of a project (members see why it no longer changes)."""
    row = await conn.fetchrow(
        "SELECT created_at, actor_id, after->>'rationale' AS rationale FROM events "
        "WHERE project_id = $1 AND kind = 'project.finalized' ORDER BY id DESC LIMIT 1",
        project_id,
    )
    if row is None:
        return None
    return Finalization(at=row["created_at"], actor_id=row["actor_id"], rationale=row["rationale"])


async def finalize(
    conn: asyncpg.Connection, user: User, project_id: UUID, rationale: str | None
) -> Project:
    """Make the project final (leads): from then on every change is refused."""
    return await _set_status(
        conn, user, project_id, "FINAL", "project.finalized", rationale, rationale_required=False
    )


async def unfinalize(
    conn: asyncpg.Connection, user: User, project_id: UUID, rationale: str | None
) -> Project:
    """Open a final project for changes again (leads); the rationale is required."""
    return await _set_status(
        conn, user, project_id, "ACTIVE", "project.unfinalized", rationale, rationale_required=True
    )
