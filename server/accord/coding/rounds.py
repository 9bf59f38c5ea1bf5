"""Coding rounds (calibration 1, calibration 2, main ...). Every project has a default."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import asyncpg

from accord.coding.access import scope_for_project
from accord.db.pool import fetch_one
from accord.errors import Conflict, NotFound
from accord.events.log import append_event
from accord.ids import parse_id
from accord.permissions import Action
from accord.text_input import clean_name
from accord.users.model import User


@dataclass(frozen=True)
class Round:
    id: UUID
    project_id: UUID
    name: str
    is_default: bool
    created_at: datetime

    @classmethod
    def from_row(cls, row: asyncpg.Record) -> Round:
        return cls(row["id"], row["project_id"], row["name"], row["is_default"], row["created_at"])


COLUMNS = "id, project_id, name, is_default, created_at"


async def rounds_of(conn: asyncpg.Connection, project_id: UUID) -> list[Round]:
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM rounds WHERE project_id = $1 ORDER BY created_at, id", project_id
    )
    return [Round.from_row(r) for r in rows]


async def resolve(conn: asyncpg.Connection, project_id: UUID, round_id: str | None) -> Round:
    """The round ``round_id`` of the project, or its default round when None."""
    row: asyncpg.Record | None
    if round_id is None:
        row = await fetch_one(
            conn, f"SELECT {COLUMNS} FROM rounds WHERE project_id = $1 AND is_default", project_id
        )
    else:
        row = await conn.fetchrow(
            f"SELECT {COLUMNS} FROM rounds WHERE id = $1 AND project_id = $2",
            parse_id(round_id, "Round"),
            project_id,
        )
    if row is None:
        raise NotFound("Round not found in this project.", field="roundId")
    return Round.from_row(row)


async def create_round(conn: asyncpg.Connection, user: User, project_id: UUID, name: str) -> Round:
    scope = await scope_for_project(conn, project_id, user, Action.MANAGE_ROUNDS, lock=True)
    name = clean_name(name, what="A round")
    row = await conn.fetchrow(
        f"INSERT INTO rounds (project_id, name) VALUES ($1, $2) "
        f"ON CONFLICT DO NOTHING RETURNING {COLUMNS}",
        scope.project.id,
        name,
    )
    if row is None:
        raise Conflict(f"The project already has a round named {name!r}.", field="name")
    created = Round.from_row(row)
    await append_event(
        conn,
        project_id=project_id,
        actor_id=user.id,
        kind="round.created",
        subject_type="round",
        subject_id=created.id,
        after={"name": created.name},
    )
    return created
