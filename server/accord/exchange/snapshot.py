"""Reading a whole project out of the database for an export, in one snapshot.

Only leads and viewers may export (``Action.EXPORT``): they see every layer anyway, so no
export can show a coder another coder's unrevealed work.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg

from accord.coding import codebook, codes_repo
from accord.coding.codebook import Code
from accord.interop.model import AttributeValue
from accord.permissions import Action
from accord.projects import service as projects
from accord.projects.service import Project
from accord.users.labels import labels_of
from accord.users.model import User

#: One row, keyed by column: plain dicts, so a snapshot can be sent to a worker process.
Row = dict[str, Any]


def _rows(records: list[asyncpg.Record]) -> list[Row]:
    return [dict(r) for r in records]


@dataclass
class Snapshot:
    """Everything in a project an export can need; rows keep the database's ids."""

    project: Project
    codes: list[Code]
    documents: list[Row]
    codings: list[Row]
    memos: list[Row]
    members: list[Row]
    people: dict[UUID, Row]
    rounds: list[Row]
    assignments: list[Row]
    category_contents: list[Row]

    @property
    def default_round(self) -> UUID:
        found: UUID = next(r["id"] for r in self.rounds if r["is_default"])
        return found

    def coder_labels(self) -> dict[UUID, str]:
        """Each person's label where an email would go (``accord.users.labels``): never a
        placeholder's made-up address."""
        return labels_of(self.people.values())

    def code_path(self, code_id: UUID) -> str:
        code = self.code_by_id[code_id]
        return codebook.PATH_SEPARATOR.join(code.path)

    @property
    def code_by_id(self) -> dict[UUID, Code]:
        return {c.id: c for c in self.codes}

    def final_code(self, code_id: UUID) -> UUID:
        """The code a coding counts as: a merged code's target, to the end of the chain."""
        by_id = self.code_by_id
        seen: set[UUID] = set()
        while (merged := by_id[code_id].merged_into) is not None and code_id not in seen:
            seen.add(code_id)
            code_id = merged
        return code_id


async def take(conn: asyncpg.Connection, user: User, project_id: UUID) -> Snapshot:
    """The project as ``user`` may export it; FORBIDDEN for coders, NOT_FOUND for others."""
    project = await projects.load(conn, project_id, user, Action.EXPORT)
    code_rows = await conn.fetch(
        f"SELECT {codes_repo.COLUMNS} FROM codes WHERE project_id = $1 ORDER BY seq", project_id
    )
    documents = await conn.fetch(
        "SELECT id, seq, title, body, length, attributes FROM documents WHERE project_id = $1 "
        "ORDER BY seq",
        project_id,
    )
    codings = await conn.fetch(
        "SELECT id, seq, document_id, round_id, layer, coder_id, code_id, start_offset, "
        "end_offset, text, memo FROM codings WHERE project_id = $1 ORDER BY seq",
        project_id,
    )
    memos = await conn.fetch(
        "SELECT id, author_id, target_type, target_id, document_id, round_id, layer_user_id, "
        "body FROM memos WHERE project_id = $1 ORDER BY seq",
        project_id,
    )
    members = await conn.fetch(
        "SELECT m.user_id, m.role, u.email, u.name, u.claim_email FROM project_members m "
        "JOIN users u ON u.id = m.user_id WHERE m.project_id = $1 ORDER BY m.added_at, u.email",
        project_id,
    )
    wanted = {r["user_id"] for r in members}
    wanted |= {r["coder_id"] for r in codings if r["coder_id"] is not None}
    wanted |= {r["author_id"] for r in memos}
    people = {
        r["id"]: dict(r)
        for r in await conn.fetch(
            "SELECT id, email, name, claim_email FROM users WHERE id = ANY($1::uuid[]) "
            "ORDER BY email",
            list(wanted),
        )
    }
    round_rows = await conn.fetch(
        "SELECT id, name, is_default FROM rounds WHERE project_id = $1 ORDER BY created_at, id",
        project_id,
    )
    assignment_rows = await conn.fetch(
        "SELECT document_id, round_id, user_id, status FROM assignments WHERE project_id = $1 "
        "ORDER BY created_at, id",
        project_id,
    )
    contents = await conn.fetch(
        "SELECT cc.code_id, cc.condensate, cc.analytic_text, cc.quote_ids, cc.version, "
        "cc.updated_at FROM category_contents cc JOIN codes c ON c.id = cc.code_id "
        "WHERE cc.project_id = $1 ORDER BY c.seq",
        project_id,
    )
    return Snapshot(
        project=project,
        codes=codebook.with_paths(list(code_rows)),
        documents=_rows(documents),
        codings=_rows(codings),
        memos=_rows(memos),
        members=_rows(members),
        people=people,
        rounds=_rows(round_rows),
        assignments=_rows(assignment_rows),
        category_contents=_rows(contents),
    )


def attribute_text(value: Any) -> str:
    """A document attribute as REFI's text value."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def attribute_value(value: Any) -> AttributeValue:
    """A document attribute as a REFI variable value: text, a boolean or a number keep
    their type (so the variable is exported with it); lists, objects and null as JSON."""
    if isinstance(value, str | bool | int):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    return attribute_text(value)
