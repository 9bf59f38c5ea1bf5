"""Loading a project for a coding use case: the caller's role, settings and sight."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import asyncpg

from accord.coding.blinding import Sight, member_visible_sql
from accord.permissions import Action
from accord.projects import service as projects
from accord.projects.service import Project
from accord.users.model import User


@dataclass(frozen=True)
class Scope:
    project: Project
    user: User

    def ensure_open(self) -> None:
        """Refuse a change when the project is final (for paths loaded with a read action)."""
        projects.ensure_open(self.project)

    @property
    def sight(self) -> Sight:
        return Sight(self.user.id, self.project.role, bool(self.project.settings["blinding"]))


async def scope_for_project(
    conn: asyncpg.Connection, project_id: UUID, user: User, action: Action, *, lock: bool = False
) -> Scope:
    return Scope(await projects.load(conn, project_id, user, action, lock=lock), user)


async def scope_for(
    conn: asyncpg.Connection,
    table: str,
    row_id: UUID,
    user: User,
    action: Action,
    *,
    what: str,
    lock: bool = False,
) -> Scope:
    """The scope of the project that owns ``table``'s row; NOT_FOUND names ``what``."""
    project = await projects.load_via(
        conn, table, row_id, user, action, lock=lock, not_found=f"{what} not found."
    )
    return Scope(project, user)


# Rows that may belong to one coder's layer, reached by id through scope_for_visible.
LAYERED = frozenset({"codings", "memos", "codes"})


async def scope_for_visible(
    conn: asyncpg.Connection,
    table: str,
    row_id: UUID,
    user: User,
    action: Action,
    *,
    what: str,
    lock: bool = False,
) -> Scope:
    """Like :func:`scope_for`, for a coding, memo or code the caller names by id.

    A row the caller may not see (another coder's unrevealed work) is left out by the
    same statement that finds the project, so it answers NOT_FOUND exactly as an id
    that does not exist: the same message, the same one query, no lock taken, and
    never FORBIDDEN, which would confirm that the row exists.
    """
    if table not in LAYERED:
        raise ValueError(f"{table} rows are not blinded")
    project = await projects.load_via(
        conn,
        table,
        row_id,
        user,
        action,
        lock=lock,
        not_found=f"{what} not found.",
        visible_sql=member_visible_sql(table, "t", "$2", "m.role", "p.settings"),
    )
    return Scope(project, user)
