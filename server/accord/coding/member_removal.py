"""Removing a member from a project, and settling the assignments they leave behind.

A removed coder's open assignments used to stay, and a document whose assignments must
all be submitted before it reveals could then never reveal by itself. Removal now settles
each of the member's assignments in the project, in the same transaction:

- **Not started** (no coding in that layer): removed, as ``unassign`` would remove it.
- **Submitted**: kept as it is. The work was finished before the person left, so it stays
  part of the study: compared in agreement and consensus like any other layer.
- **Started, not submitted**: WITHDRAWN. The partial layer is kept for the record (leads
  and viewers see it, exports carry it, the audit log says what happened), but it is no
  longer compared in agreement or consensus, since half a coding would count as
  disagreement, and it no longer holds back the document's reveal. A lead who adds the
  person back may reopen it.

Then each document the removal touched is revealed if every remaining assignment of a
current member is submitted: the automatic reveal counts current members only.

Refusing the removal until a lead had settled the started assignments was the other
choice. It would leave the lead stuck: a lead cannot unassign a started assignment and
only the coder can submit one, and a coder who has left the team may not be there to do it.
"""

from __future__ import annotations

from uuid import UUID

import asyncpg

from accord.coding import reveals
from accord.coding.access import Scope
from accord.coding.assignments import COLUMNS, Assignment, event_data
from accord.events.log import append_event
from accord.permissions import Action
from accord.projects import repo
from accord.projects import service as projects
from accord.projects.service import Member
from accord.users.model import User


async def remove_member(
    conn: asyncpg.Connection, actor: User, project_id: UUID, user_id: UUID
) -> Member:
    project = await projects.load(conn, project_id, actor, Action.MANAGE_MEMBERS, lock=True)
    member, role = await projects.existing_member(conn, project_id, user_id)
    await projects.keep_a_lead(conn, project_id, role)
    scope = Scope(project, actor)
    unassigned, withdrawn = await _settle(conn, scope, user_id)
    await repo.delete_member(conn, project_id, user_id)
    await append_event(
        conn,
        project_id=project_id,
        actor_id=actor.id,
        kind="member.removed",
        subject_type="member",
        subject_id=user_id,
        # No counts of what was settled here: every member sees this event, and how far
        # the person had got is their layer's business (the assignment events say it,
        # under blinding).
        before={"userId": user_id, "email": member.email, "role": role.value},
    )
    for document_id, round_id in sorted(
        {(a.document_id, a.round_id) for a in unassigned + withdrawn}
    ):
        await reveals.reveal_if_complete(conn, scope, document_id, round_id)
    return Member(project_id, member, role)


async def _settle(
    conn: asyncpg.Connection, scope: Scope, user_id: UUID
) -> tuple[list[Assignment], list[Assignment]]:
    """Remove the member's unstarted assignments and withdraw the started ones."""
    rows = await conn.fetch(
        f"SELECT {COLUMNS}, EXISTS (SELECT 1 FROM codings c WHERE c.document_id = a.document_id"
        " AND c.round_id = a.round_id AND c.coder_id = a.user_id) AS started"
        " FROM assignments a WHERE a.project_id = $1 AND a.user_id = $2"
        " AND a.status NOT IN ('SUBMITTED', 'WITHDRAWN') ORDER BY a.created_at FOR UPDATE",
        scope.project.id,
        user_id,
    )
    unassigned: list[Assignment] = []
    withdrawn: list[Assignment] = []
    for row in rows:
        assignment = Assignment.from_row(row)
        if row["started"]:
            await conn.execute(
                "UPDATE assignments SET status = 'WITHDRAWN', last_activity_at = now()"
                " WHERE id = $1",
                assignment.id,
            )
            kind, after = "assignment.withdrawn", {**event_data(assignment), "status": "WITHDRAWN"}
            withdrawn.append(assignment)
        else:
            await conn.execute("DELETE FROM assignments WHERE id = $1", assignment.id)
            kind, after = "assignment.removed", None
            unassigned.append(assignment)
        await append_event(
            conn,
            project_id=scope.project.id,
            actor_id=scope.user.id,
            kind=kind,
            subject_type="assignment",
            subject_id=assignment.id,
            document_id=assignment.document_id,
            round_id=assignment.round_id,
            layer_user_id=user_id,
            before=event_data(assignment),
            after=after,
        )
    return unassigned, withdrawn
