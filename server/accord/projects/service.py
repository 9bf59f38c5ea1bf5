"""Projects and their members: one transaction per use case."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg

from accord.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.events.log import append_event
from accord.permissions import PROJECT_NOT_FOUND, READ_ONLY, Action, Role, require
from accord.projects import repo
from accord.projects import settings as project_settings
from accord.text_input import clean_name
from accord.users import repo as user_repo
from accord.users import service as users
from accord.users.model import User

MAX_DESCRIPTION = 10_000


@dataclass(frozen=True)
class Project:
    id: UUID
    name: str
    description: str
    settings: dict[str, Any]
    status: str
    version: int
    role: Role

    @classmethod
    def from_row(cls, row: asyncpg.Record, role: Role) -> Project:
        return cls(
            id=row["id"],
            name=row["name"],
            description=row["description"],
            settings=project_settings.effective(row["settings"]),
            status=row["status"],
            version=row["version"],
            role=role,
        )


async def load(
    conn: asyncpg.Connection,
    project_id: UUID,
    user: User,
    action: Action,
    *,
    lock: bool = False,
    not_found: str = PROJECT_NOT_FOUND,
) -> Project:
    """The project, when ``user`` may do ``action`` in it; NOT_FOUND for non-members."""
    row = await repo.project_and_role(conn, project_id, user.id, for_update=lock)
    return _allowed(row, action, not_found)


async def load_via(
    conn: asyncpg.Connection,
    table: str,
    row_id: UUID,
    user: User,
    action: Action,
    *,
    lock: bool = False,
    not_found: str,
    visible_sql: str | None = None,
) -> Project:
    """The project owning a row of ``table``, as :func:`load` checks it, in one query
    (leaving out a row ``visible_sql`` hides, see :func:`repo.project_and_role_via`)."""
    row = await repo.project_and_role_via(
        conn, table, row_id, user.id, for_update=lock, visible_sql=visible_sql
    )
    return _allowed(row, action, not_found)


def allowed(row: asyncpg.Record | None, action: Action, not_found: str) -> Project:
    """The project of a row read like :func:`repo.project_and_role_via`'s (its columns
    and ``member_role``), checked as :func:`load_via` checks it."""
    return _allowed(row, action, not_found)


def _allowed(row: asyncpg.Record | None, action: Action, not_found: str) -> Project:
    member_role = row["member_role"] if row is not None else None
    role = require(Role(member_role) if member_role else None, action, not_found=not_found)
    assert row is not None  # a membership implies the project
    project = Project.from_row(row, role)
    if action not in READ_ONLY and action is not Action.FINALIZE:
        ensure_open(project)
    return project


PROJECT_IS_FINAL = "The project is final: a lead must unfinalise it before anything changes."


def ensure_open(project: Project) -> None:
    """Refuse any change to a finalised project."""
    if project.status == "FINAL":
        raise Forbidden(PROJECT_IS_FINAL)


def _clean_project_name(name: str) -> str:
    return clean_name(name, what="A project")


def _clean_description(description: str) -> str:
    if len(description) > MAX_DESCRIPTION:
        raise InvalidInput(
            f"A description can be at most {MAX_DESCRIPTION} characters.", field="description"
        )
    return description.strip()


async def create_project(
    conn: asyncpg.Connection,
    user: User,
    name: str,
    description: str | None,
    settings: dict[str, Any] | None,
) -> Project:
    clean = project_settings.validate_changes(settings or {})
    row = await repo.insert_project(
        conn, _clean_project_name(name), _clean_description(description or ""), clean, user.id
    )
    await repo.upsert_member(conn, row["id"], user.id, Role.LEAD.value)
    await repo.insert_default_round(conn, row["id"])
    project = Project.from_row(row, Role.LEAD)
    await append_event(
        conn,
        project_id=project.id,
        actor_id=user.id,
        kind="project.created",
        subject_type="project",
        subject_id=project.id,
        after={"name": project.name, "description": project.description, "settings": clean},
    )
    return project


async def update_project(
    conn: asyncpg.Connection,
    user: User,
    project_id: UUID,
    name: str | None,
    description: str | None,
    settings: dict[str, Any] | None,
) -> Project:
    project = await load(conn, project_id, user, Action.UPDATE_PROJECT, lock=True)
    row = await repo.project_by_id(conn, project_id)
    assert row is not None  # locked by load()
    stored = dict(row["settings"])
    stored.update(project_settings.validate_changes(settings or {}))
    new_name = _clean_project_name(name) if name is not None else project.name
    new_description = (
        _clean_description(description) if description is not None else project.description
    )
    updated = await repo.update_project(conn, project_id, new_name, new_description, stored)
    result = Project.from_row(updated, project.role)
    await append_event(
        conn,
        project_id=project_id,
        actor_id=user.id,
        kind="project.updated",
        subject_type="project",
        subject_id=project_id,
        before={
            "name": project.name,
            "description": project.description,
            "settings": project.settings,
        },
        after={"name": result.name, "description": result.description, "settings": result.settings},
    )
    return result


async def projects_of(conn: asyncpg.Connection, user: User) -> list[Project]:
    rows = await repo.projects_of(conn, user.id)
    roles = await repo.roles_for(conn, user.id, [r["id"] for r in rows])
    return [Project.from_row(r, Role(roles[r["id"]])) for r in rows if r["id"] in roles]


@dataclass(frozen=True)
class Member:
    project_id: UUID
    user: User
    role: Role


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise InvalidInput(
            f"{value!r} is not a role: use LEAD, CODER or VIEWER.", field="role"
        ) from None


async def add_member(
    conn: asyncpg.Connection, actor: User, project_id: UUID, email: str, role: str
) -> Member:
    await load(conn, project_id, actor, Action.MANAGE_MEMBERS, lock=True)
    new_role = _role(role)
    member = await users.user_by_email(conn, email)
    existing = await repo.role_of(conn, project_id, member.id)
    if existing is not None:
        raise Conflict(
            f"{member.email} is already a member ({existing.lower()}); use changeRole instead.",
            field="email",
        )
    await repo.upsert_member(conn, project_id, member.id, new_role.value)
    await append_event(
        conn,
        project_id=project_id,
        actor_id=actor.id,
        kind="member.added",
        subject_type="member",
        subject_id=member.id,
        after={"userId": member.id, "email": member.email, "role": new_role.value},
    )
    return Member(project_id, member, new_role)


async def existing_member(
    conn: asyncpg.Connection, project_id: UUID, user_id: UUID
) -> tuple[User, Role]:
    role = await repo.role_of(conn, project_id, user_id)
    row = await user_repo.user_by_id(conn, user_id)
    if role is None or row is None:
        raise NotFound("That user is not a member of this project.", field="userId")
    return User.from_row(row), Role(role)


async def keep_a_lead(conn: asyncpg.Connection, project_id: UUID, current: Role) -> None:
    if current is Role.LEAD and await repo.count_leads(conn, project_id) <= 1:
        raise Forbidden("A project needs at least one lead: make someone else lead first.")


async def change_role(
    conn: asyncpg.Connection, actor: User, project_id: UUID, user_id: UUID, role: str
) -> Member:
    await load(conn, project_id, actor, Action.MANAGE_MEMBERS, lock=True)
    new_role = _role(role)
    member, current = await existing_member(conn, project_id, user_id)
    if new_role is not current:
        await keep_a_lead(conn, project_id, current)
        await repo.upsert_member(conn, project_id, user_id, new_role.value)
        await append_event(
            conn,
            project_id=project_id,
            actor_id=actor.id,
            kind="member.role_changed",
            subject_type="member",
            subject_id=user_id,
            before={"role": current.value},
            after={"role": new_role.value},
        )
    return Member(project_id, member, new_role)


async def members(conn: asyncpg.Connection, project_ids: list[UUID]) -> dict[UUID, list[Member]]:
    grouped: dict[UUID, list[Member]] = {pid: [] for pid in project_ids}
    for r in await repo.members_of(conn, project_ids):
        user = User(id=r["user_id"], email=r["email"], name=r["name"])
        grouped[r["project_id"]].append(Member(r["project_id"], user, Role(r["role"])))
    return grouped
