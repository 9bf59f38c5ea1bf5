"""Where consensus stands: per document, and before it starts on one, the rule that will
run and who has submitted.

A lead about to start consensus needs the project's rule in plain words and, when some
coders have not submitted, their names, so that forcing an early start is a decision
taken knowingly. Leads and viewers read it (they see every coder's progress anyway); a
coder is refused, since who else has submitted is not theirs to know.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import asyncpg

from accord.coding import assignments, rounds
from accord.coding.access import scope_for, scope_for_project
from accord.coding.assignments import Assignment
from accord.consensus import workflow
from accord.consensus import workflow_repo as repo
from accord.consensus.rules import describe_rule
from accord.consensus.workflow_items import Progress, Session, rule_of
from accord.ids import parse_id
from accord.permissions import Action
from accord.users.model import User


@dataclass(frozen=True)
class Readiness:
    document_id: UUID
    round_id: UUID
    rule: str
    assignments: list[Assignment]
    session: Session | None

    @property
    def pending(self) -> list[Assignment]:
        return [a for a in self.assignments if a.status != "SUBMITTED"]


async def readiness(
    conn: asyncpg.Connection, user: User, document_id: str, round_id: str | None
) -> Readiness:
    did = parse_id(document_id, "Document")
    scope = await scope_for(conn, "documents", did, user, Action.VIEW_PROGRESS, what="Document")
    the_round = await rounds.resolve(conn, scope.project.id, round_id)
    found = await assignments.assignments_for(conn, scope, the_round.id, did)
    session = await repo.session_for(conn, did, the_round.id)
    return Readiness(
        document_id=did,
        round_id=the_round.id,
        rule=describe_rule(rule_of(scope)),
        assignments=found,
        session=Session.from_row(session) if session else None,
    )


@dataclass(frozen=True)
class DocumentConsensus:
    """Where one document stands: its assignments in the round and its items by status."""

    document_id: UUID
    title: str
    assigned: int
    submitted: int
    progress: Progress


async def overview(
    conn: asyncpg.Connection, user: User, project_id: str, round_id: str | None
) -> list[DocumentConsensus]:
    """Every document of the project in a round, for leads and viewers."""
    pid = parse_id(project_id, "Project")
    scope = await scope_for_project(conn, pid, user, Action.VIEW_PROGRESS)
    the_round = await rounds.resolve(conn, pid, round_id)
    rows = await conn.fetch(
        "SELECT d.id, d.title, count(a.id) AS assigned, "
        "count(a.id) FILTER (WHERE a.status = 'SUBMITTED') AS submitted "
        "FROM documents d LEFT JOIN assignments a ON a.document_id = d.id AND a.round_id = $2 "
        "WHERE d.project_id = $1 GROUP BY d.id ORDER BY d.seq",
        scope.project.id,
        the_round.id,
    )
    return [
        DocumentConsensus(
            document_id=r["id"],
            title=r["title"],
            assigned=r["assigned"],
            submitted=r["submitted"],
            progress=await workflow.progress(conn, user, str(r["id"]), str(the_round.id)),
        )
        for r in rows
    ]
