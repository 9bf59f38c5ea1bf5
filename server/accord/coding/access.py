"""Loading a project for a coding use case: the caller's role, settings and sight."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import asyncpg

from accord.coding.blinding import Sight
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
