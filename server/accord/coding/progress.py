"""The lead's progress matrix: every document × coder of one round, read at once.

A lead watching a study needs, per document, who codes it and how far each coder is,
whether the layers are revealed, and where consensus stands. The assignment cells carry
status, coding count and last activity; the document rows carry the reveal and the
consensus session's item counts. Leads and viewers only: the matrix counts every coder's
work, which blinding keeps from coders.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import asyncpg

from accord.coding import rounds
from accord.coding.access import Scope
from accord.coding.assignments import COLUMNS as ASSIGNMENT_COLUMNS
from accord.coding.assignments import Assignment
from accord.errors import Forbidden
from accord.permissions import Action, Role, can
from accord.users.model import User


@dataclass(frozen=True)
class DocumentRow:
    """One document of the matrix; ``consensus_status`` is NOT_STARTED, OPEN or COMPLETED."""

    document_id: UUID
    title: str
    revealed: bool
    consensus_status: str
    open_items: int
    decided_items: int
    assignments: tuple[Assignment, ...]


@dataclass(frozen=True)
class Matrix:
    round: rounds.Round
    coders: tuple[User, ...]
    documents: tuple[DocumentRow, ...]


async def progress_matrix(conn: asyncpg.Connection, scope: Scope, round_id: str | None) -> Matrix:
    """The round's matrix. Columns: the project's coders and anyone else assigned in the
    round (a lead may code too), by name. Rows: every document, oldest first."""
    if not can(scope.project.role, Action.VIEW_PROGRESS):
        raise Forbidden("Only leads and viewers see every coder's progress.")
    the_round = await rounds.resolve(conn, scope.project.id, round_id)
    documents = await conn.fetch(
        "SELECT d.id, d.title, "
        "EXISTS (SELECT 1 FROM reveals r WHERE r.document_id = d.id AND r.round_id = $2) "
        "AS revealed, s.status AS consensus_status, "
        "count(i.id) FILTER (WHERE i.status = 'OPEN') AS open_items, "
        "count(i.id) FILTER (WHERE i.status <> 'OPEN') AS decided_items "
        "FROM documents d "
        "LEFT JOIN consensus_sessions s ON s.document_id = d.id AND s.round_id = $2 "
        "LEFT JOIN consensus_items i ON i.session_id = s.id "
        "WHERE d.project_id = $1 GROUP BY d.id, s.status ORDER BY d.seq",
        scope.project.id,
        the_round.id,
    )
    cells = await conn.fetch(
        f"SELECT {ASSIGNMENT_COLUMNS}, count(c.id) AS coding_count FROM assignments a "
        "LEFT JOIN codings c ON c.document_id = a.document_id AND c.round_id = a.round_id "
        "AND c.coder_id = a.user_id AND c.layer = 'CODER' "
        "WHERE a.project_id = $1 AND a.round_id = $2 GROUP BY a.id ORDER BY a.created_at",
        scope.project.id,
        the_round.id,
    )
    coders = await conn.fetch(
        "SELECT u.id, u.email, u.name FROM users u WHERE u.id IN ("
        "SELECT user_id FROM project_members WHERE project_id = $1 AND role = $3 "
        "UNION SELECT user_id FROM assignments WHERE project_id = $1 AND round_id = $2) "
        "ORDER BY lower(u.name), u.email",
        scope.project.id,
        the_round.id,
        Role.CODER.value,
    )
    by_document: dict[UUID, list[Assignment]] = {}
    for row in cells:
        by_document.setdefault(row["document_id"], []).append(Assignment.from_row(row))
    return Matrix(
        round=the_round,
        coders=tuple(User(r["id"], r["email"], r["name"]) for r in coders),
        documents=tuple(
            DocumentRow(
                document_id=d["id"],
                title=d["title"],
                revealed=d["revealed"],
                consensus_status=d["consensus_status"] or "NOT_STARTED",
                open_items=d["open_items"],
                decided_items=d["decided_items"],
                assignments=tuple(by_document.get(d["id"], ())),
            )
            for d in documents
        ),
    )
