"""Assignments of documents to coders, per round, and their status.

ASSIGNED → IN_PROGRESS (first coding) → SUBMITTED (the coder) → REOPENED (a lead, with a
reason) → SUBMITTED again. A started assignment whose coder is removed from the project is
WITHDRAWN (``accord.coding.member_removal``), which a lead may reopen once the person is a
member again. When every current member's assignment of a document in a round is
submitted, the document is revealed for that round automatically.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import asyncpg

from accord.coding import reveals, rounds
from accord.coding.access import Scope, scope_for, scope_for_project
from accord.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.events.log import append_event
from accord.ids import parse_id
from accord.permissions import Action, Role
from accord.users.model import User

COLUMNS = (
    "a.id, a.project_id, a.document_id, a.round_id, a.user_id, a.status, a.reopen_reason, "
    "a.submitted_at, a.last_activity_at, a.created_at"
)
# The codings in an assignment's layer, for a statement over ``assignments a``.
CODING_COUNT = (
    "(SELECT count(*) FROM codings c WHERE c.document_id = a.document_id "
    "AND c.round_id = a.round_id AND c.coder_id = a.user_id) AS coding_count"
)


@dataclass(frozen=True)
class Assignment:
    id: UUID
    project_id: UUID
    document_id: UUID
    round_id: UUID
    user_id: UUID
    status: str
    reopen_reason: str | None
    submitted_at: datetime | None
    last_activity_at: datetime | None
    coding_count: int = 0

    @classmethod
    def from_row(cls, row: asyncpg.Record) -> Assignment:
        return cls(
            id=row["id"],
            project_id=row["project_id"],
            document_id=row["document_id"],
            round_id=row["round_id"],
            user_id=row["user_id"],
            status=row["status"],
            reopen_reason=row["reopen_reason"],
            submitted_at=row["submitted_at"],
            last_activity_at=row["last_activity_at"],
            coding_count=row.get("coding_count") or 0,
        )


def event_data(a: Assignment) -> dict[str, object]:
    return {
        "documentId": a.document_id,
        "roundId": a.round_id,
        "userId": a.user_id,
        "status": a.status,
    }


async def _assignable(conn: asyncpg.Connection, scope: Scope, user_id: UUID) -> None:
    role = await conn.fetchval(
        "SELECT role FROM project_members WHERE project_id = $1 AND user_id = $2",
        scope.project.id,
        user_id,
    )
    if role not in (Role.CODER.value, Role.LEAD.value):
        raise InvalidInput(
            "Only members with the role CODER or LEAD can be assigned documents.", field="userId"
        )


async def _document_scope(
    conn: asyncpg.Connection, user: User, document_id: str, action: Action, *, lock: bool = False
) -> tuple[Scope, UUID]:
    did = parse_id(document_id, "Document")
    scope = await scope_for(conn, "documents", did, user, action, what="Document", lock=lock)
    return scope, did


async def _insert(
    conn: asyncpg.Connection, scope: Scope, document_id: UUID, round_id: UUID, user_id: UUID
) -> Assignment | None:
    row = await conn.fetchrow(
        "INSERT INTO assignments AS a (project_id, document_id, round_id, user_id) "
        f"VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING {COLUMNS}",
        scope.project.id,
        document_id,
        round_id,
        user_id,
    )
    if row is None:
        return None
    created = Assignment.from_row(row)
    await append_event(
        conn,
        project_id=scope.project.id,
        actor_id=scope.user.id,
        kind="assignment.created",
        subject_type="assignment",
        subject_id=created.id,
        document_id=document_id,
        round_id=round_id,
        layer_user_id=user_id,
        after=event_data(created),
    )
    return created


async def assign_document(
    conn: asyncpg.Connection, user: User, document_id: str, user_id: str, round_id: str | None
) -> Assignment:
    scope, did = await _document_scope(conn, user, document_id, Action.ASSIGN, lock=True)
    the_round = await rounds.resolve(conn, scope.project.id, round_id)
    assignee = parse_id(user_id, "User")
    await _assignable(conn, scope, assignee)
    created = await _insert(conn, scope, did, the_round.id, assignee)
    if created is None:
        raise Conflict("That coder is already assigned this document in this round.")
    return created


async def auto_assign(
    conn: asyncpg.Connection,
    user: User,
    project_id: UUID,
    coder_ids: list[str],
    coders_per_document: int,
    round_id: str | None,
    seed: int | None,
) -> list[Assignment]:
    """Give every document of the project ``coders_per_document`` coders, spread evenly.

    Documents are taken in a seeded random order; each goes to the coders with the
    fewest assignments in the round so far, ties broken by a seeded random order, so
    the same seed on the same project gives the same assignments.
    """
    scope = await scope_for_project(conn, project_id, user, Action.ASSIGN, lock=True)
    the_round = await rounds.resolve(conn, project_id, round_id)
    coders = list(dict.fromkeys(parse_id(c, "User") for c in coder_ids))
    if not coders:
        raise InvalidInput("Name at least one coder.", field="coderIds")
    if not 1 <= coders_per_document <= len(coders):
        raise InvalidInput(
            f"codersPerDocument must be between 1 and the number of coders ({len(coders)}).",
            field="codersPerDocument",
        )
    for coder in coders:
        await _assignable(conn, scope, coder)
    documents = [
        r["id"]
        for r in await conn.fetch(
            "SELECT id FROM documents WHERE project_id = $1 ORDER BY seq", project_id
        )
    ]
    existing = await conn.fetch(
        "SELECT document_id, user_id FROM assignments WHERE round_id = $1", the_round.id
    )
    load = {c: 0 for c in coders}
    holders: dict[UUID, set[UUID]] = {}
    for r in existing:
        holders.setdefault(r["document_id"], set()).add(r["user_id"])
        if r["user_id"] in load:
            load[r["user_id"]] += 1
    rng = random.Random(seed)
    rng.shuffle(documents)
    tiebreak = {c: rng.random() for c in coders}
    created: list[Assignment] = []
    for document_id in documents:
        have = holders.get(document_id, set())
        missing = coders_per_document - len(have & set(coders))
        candidates = sorted(
            (c for c in coders if c not in have), key=lambda c: (load[c], tiebreak[c])
        )
        for coder in candidates[: max(0, missing)]:
            made = await _insert(conn, scope, document_id, the_round.id, coder)
            if made is not None:
                created.append(made)
                load[coder] += 1
    return created


async def _locked(
    conn: asyncpg.Connection, document_id: UUID, round_id: UUID, user_id: UUID
) -> Assignment | None:
    row = await conn.fetchrow(
        f"SELECT {COLUMNS} FROM assignments a "
        "WHERE document_id = $1 AND round_id = $2 AND user_id = $3 FOR UPDATE",
        document_id,
        round_id,
        user_id,
    )
    return Assignment.from_row(row) if row else None


async def holder_assignment(
    conn: asyncpg.Connection, scope: Scope, document_id: UUID, round_id: UUID
) -> Assignment:
    """The caller's own assignment, locked, for a change to their layer."""
    assignment = await _locked(conn, document_id, round_id, scope.user.id)
    if assignment is None:
        raise Forbidden("You hold no assignment for this document in this round.")
    ensure_writable(assignment)
    return assignment


WITHDRAWN = (
    "Your assignment of this document was withdrawn when you were removed from the project, "
    "so your coding is read-only. A lead can reopen it."
)


def ensure_writable(assignment: Assignment) -> None:
    """Refuse a change to a layer whose assignment is submitted or withdrawn."""
    if assignment.status == "SUBMITTED":
        raise Forbidden(
            "You submitted this document, so your coding is read-only. "
            "A lead can reopen it if you need to change something."
        )
    if assignment.status == "WITHDRAWN":
        raise Forbidden(WITHDRAWN)


async def holder_assignment_in(
    conn: asyncpg.Connection, scope: Scope, document_id: UUID, round_ref: str | None
) -> tuple[Assignment, int]:
    """The caller's own assignment in the round named (or the default one), locked, and
    the document's length: one query when all is well, the checks only on refusal."""
    try:
        round_id = parse_id(round_ref, "Round") if round_ref is not None else None
    except NotFound:
        round_id = None
        await rounds.resolve(conn, scope.project.id, round_ref)  # its own NOT_FOUND
    row = await conn.fetchrow(
        f"SELECT {COLUMNS}, d.length AS document_length FROM rounds r "
        "JOIN assignments a ON a.round_id = r.id AND a.document_id = $2 AND a.user_id = $3 "
        "JOIN documents d ON d.id = a.document_id WHERE r.project_id = $1 "
        "AND CASE WHEN $4::uuid IS NULL THEN r.is_default ELSE r.id = $4 END FOR UPDATE OF a",
        scope.project.id,
        document_id,
        scope.user.id,
        round_id,
    )
    if row is None:
        await rounds.resolve(conn, scope.project.id, round_ref)  # an unknown round first
        raise Forbidden("You hold no assignment for this document in this round.")
    assignment = Assignment.from_row(row)
    ensure_writable(assignment)
    length: int = row["document_length"]
    return assignment, length


async def unassign(
    conn: asyncpg.Connection, user: User, document_id: str, user_id: str, round_id: str | None
) -> Assignment:
    scope, did = await _document_scope(conn, user, document_id, Action.ASSIGN, lock=True)
    the_round = await rounds.resolve(conn, scope.project.id, round_id)
    assignee = parse_id(user_id, "User")
    assignment = await _locked(conn, did, the_round.id, assignee)
    if assignment is None:
        raise NotFound("No such assignment.")
    has_codings = await conn.fetchval(
        "SELECT EXISTS (SELECT 1 FROM codings WHERE document_id = $1 AND round_id = $2 "
        "AND coder_id = $3)",
        did,
        the_round.id,
        assignee,
    )
    if has_codings:
        raise Forbidden("The coder has already coded this document; it cannot be unassigned.")
    await conn.execute("DELETE FROM assignments WHERE id = $1", assignment.id)
    await append_event(
        conn,
        project_id=scope.project.id,
        actor_id=user.id,
        kind="assignment.removed",
        subject_type="assignment",
        subject_id=assignment.id,
        document_id=did,
        round_id=the_round.id,
        layer_user_id=assignee,
        before=event_data(assignment),
    )
    return assignment


async def _set_status(
    conn: asyncpg.Connection,
    scope: Scope,
    assignment: Assignment,
    status: str,
    kind: str,
    reason: str | None = None,
) -> Assignment:
    row = await conn.fetchrow(
        "UPDATE assignments AS a SET status = $2, reopen_reason = coalesce($3, reopen_reason), "
        "submitted_at = CASE WHEN $2 = 'SUBMITTED' THEN now() ELSE submitted_at END, "
        f"last_activity_at = now() WHERE id = $1 RETURNING {COLUMNS}, {CODING_COUNT}",
        assignment.id,
        status,
        reason,
    )
    assert row is not None
    updated = Assignment.from_row(row)
    await append_event(
        conn,
        project_id=scope.project.id,
        actor_id=scope.user.id,
        kind=kind,
        subject_type="assignment",
        subject_id=assignment.id,
        document_id=assignment.document_id,
        round_id=assignment.round_id,
        layer_user_id=assignment.user_id,
        before=event_data(assignment),
        after={**event_data(updated), "reason": reason} if reason else event_data(updated),
    )
    return updated


async def submit(
    conn: asyncpg.Connection, user: User, document_id: str, round_id: str | None
) -> Assignment:
    scope, did = await _document_scope(conn, user, document_id, Action.CODE, lock=True)
    the_round = await rounds.resolve(conn, scope.project.id, round_id)
    assignment = await _locked(conn, did, the_round.id, user.id)
    if assignment is None:
        raise Forbidden("You hold no assignment for this document in this round.")
    if assignment.status == "SUBMITTED":
        raise Conflict("You have already submitted this document in this round.")
    if assignment.status == "WITHDRAWN":
        raise Forbidden(WITHDRAWN)
    updated = await _set_status(conn, scope, assignment, "SUBMITTED", "assignment.submitted")
    await reveals.reveal_if_complete(conn, scope, did, the_round.id)
    return updated


async def reopen(
    conn: asyncpg.Connection,
    user: User,
    document_id: str,
    user_id: str,
    reason: str,
    round_id: str | None,
) -> Assignment:
    scope, did = await _document_scope(conn, user, document_id, Action.REOPEN_ASSIGNMENT, lock=True)
    the_round = await rounds.resolve(conn, scope.project.id, round_id)
    reason = reason.strip()
    if not reason:
        raise InvalidInput("Say why the assignment is reopened.", field="reason")
    assignment = await _locked(conn, did, the_round.id, parse_id(user_id, "User"))
    if assignment is None:
        raise NotFound("No such assignment.")
    if assignment.status not in ("SUBMITTED", "WITHDRAWN"):
        raise Conflict("Only a submitted or withdrawn assignment can be reopened.")
    if assignment.status == "WITHDRAWN":
        # Withdrawn when its coder was removed: back only for a member who may code.
        await _assignable(conn, scope, assignment.user_id)
    return await _set_status(conn, scope, assignment, "REOPENED", "assignment.reopened", reason)


async def assignments_for(
    conn: asyncpg.Connection,
    scope: Scope,
    round_id: UUID | None,
    document_id: UUID | None = None,
    *,
    own_only: bool = False,
) -> list[Assignment]:
    """Assignments the caller may see: every one for leads and viewers, else their own.

    ``own_only`` narrows anyone's answer to the caller's own assignments.
    """
    everyone = scope.project.role in (Role.LEAD, Role.VIEWER) and not own_only
    rows = await conn.fetch(
        f"SELECT {COLUMNS}, {CODING_COUNT} "
        "FROM assignments a WHERE a.project_id = $1 AND ($2::uuid IS NULL OR a.round_id = $2) "
        "AND ($3::uuid IS NULL OR a.document_id = $3) AND ($4 OR a.user_id = $5) "
        "ORDER BY a.user_id, a.created_at",
        scope.project.id,
        round_id,
        document_id,
        everyone,
        scope.user.id,
    )
    return [Assignment.from_row(r) for r in rows]
