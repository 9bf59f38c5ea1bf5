"""applyCode in two statements when all is well.

A coder's applyCode is the write Accord serves most. :func:`codings.apply_code` checks
one thing per statement (the project and the caller's role, the assignment, the code)
and then inserts, and the event follows in a statement of its own. Here the same checks
read everything they need in one statement, which also locks the caller's assignment
row, and one more statement inserts the coding, marks the assignment in progress and
appends the event. Whenever a check would refuse, the request is handed to
:func:`codings.apply_code`, which runs the checks in their usual order and raises the
usual error: a refusal says and costs exactly what it did, and the statement that found
the problem reads only what the caller may read (another coder's private code is left
out exactly like a code that does not exist).

The lock is taken by the first statement and the overlap is checked by the second,
which reads a fresh snapshot under READ COMMITTED: a concurrent request of the same
coder on the same document waits for the lock, then sees the other's coding.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg

from accord.coding import codings
from accord.coding.access import Scope
from accord.coding.blinding import Sight
from accord.coding.codings import INSERT_CTES, Coding
from accord.errors import NotFound
from accord.events.log import event_appended
from accord.ids import parse_id
from accord.permissions import Action
from accord.projects import repo as project_repo
from accord.projects import service as projects
from accord.users.model import User

_PROJECT = ", ".join("p." + c.strip() for c in project_repo.PROJECT_COLUMNS.split(","))

# The project and the caller's role through the document (as projects.load_via reads
# them), the caller's assignment in the round (locked, as holder_assignment_in locks
# it), the document's length and the code. Outer joins: a missing piece reads as NULLs
# and the request goes the checked way.
_CHECK = f"""
SELECT {_PROJECT}, m.role AS member_role, d.length AS document_length,
       x.a_id, x.a_round_id, x.a_status, x.a_reopen_reason, x.a_submitted_at,
       x.a_last_activity_at,
       k.project_id AS code_project_id, k.owner_id AS code_owner_id,
       k.codable AS code_codable, k.status AS code_status, k.name AS code_name
FROM documents d
JOIN projects p ON p.id = d.project_id
LEFT JOIN project_members m ON m.project_id = p.id AND m.user_id = $2
LEFT JOIN LATERAL (
    SELECT a.id AS a_id, a.round_id AS a_round_id, a.status AS a_status,
           a.reopen_reason AS a_reopen_reason, a.submitted_at AS a_submitted_at,
           a.last_activity_at AS a_last_activity_at
    FROM rounds r JOIN assignments a
      ON a.round_id = r.id AND a.document_id = d.id AND a.user_id = $2
    WHERE r.project_id = p.id
      AND CASE WHEN $3::uuid IS NULL THEN r.is_default ELSE r.id = $3 END
    FOR UPDATE OF a
) x ON true
LEFT JOIN codes k ON k.id = $4
WHERE d.id = $1
"""

# The coding (unless it overlaps the caller's own segment of the code), the assignment
# marked in progress, and the event, whose snapshot is Coding.snapshot() built in SQL.
_INSERT = f"""
WITH {INSERT_CTES}, event AS (
    INSERT INTO events (project_id, actor_id, kind, subject_type, subject_id,
                        document_id, layer_user_id, round_id, before, after)
    SELECT made.project_id, $4::uuid, 'coding.applied', 'coding', made.id::text,
           made.document_id, made.coder_id, made.round_id, NULL,
           jsonb_build_object(
               'documentId', made.document_id, 'roundId', made.round_id,
               'codeId', made.code_id, 'start', made.start_offset, 'end', made.end_offset,
               'memo', made.memo, 'version', made.version)
    FROM made
    RETURNING id
)
SELECT made.*, (SELECT id FROM event) AS event_id FROM made
"""


def _parsed(ref: str | None, what: str) -> tuple[bool, UUID | None]:
    """Whether an id can go the fast way, and the id. One that is not an id is refused
    by the checked path, in its turn (after the permission check)."""
    if ref is None:
        return True, None
    try:
        return True, parse_id(ref, what)
    except NotFound:
        return False, None


def _sees_code(row: asyncpg.Record, project_id: UUID, sight: Sight) -> bool:
    """What codebook.codable_code accepts: the project's code, visible to the caller,
    codable and active."""
    return (
        row["code_project_id"] == project_id
        and (sight.sees_all or row["code_owner_id"] in (None, sight.user_id))
        and bool(row["code_codable"])
        and row["code_status"] == "ACTIVE"
    )


async def apply_code(conn: asyncpg.Connection, user: User, input: dict[str, Any]) -> Coding:
    """:func:`codings.apply_code`, in two statements when nothing is refused."""
    document_id = parse_id(input["documentId"], "Document")
    fast, code_id = _parsed(input["codeId"], "Code")
    fast_round, round_id = _parsed(input.get("roundId"), "Round")
    fast = fast and fast_round and code_id is not None
    start, end = int(input["start"]), int(input["end"])
    memo = input.get("memo")
    row = await conn.fetchrow(_CHECK, document_id, user.id, round_id, code_id) if fast else None
    if row is None or code_id is None or row["member_role"] is None or row["a_id"] is None:
        return await codings.apply_code(conn, user, input)
    # The permission check, as scope_for makes it (FORBIDDEN for a viewer, say).
    scope = Scope(projects.allowed(row, Action.CODE, "Document not found."), user)
    if row["a_status"] in ("SUBMITTED", "WITHDRAWN"):
        return await codings.apply_code(conn, user, input)
    length: int = row["document_length"]
    if not (0 <= start < end <= length) or not _sees_code(row, scope.project.id, scope.sight):
        return await codings.apply_code(conn, user, input)
    clean_memo = codings.clean_memo(memo)
    made = await conn.fetchrow(
        _INSERT,
        scope.project.id,
        document_id,
        row["a_round_id"],
        user.id,
        code_id,
        start,
        end,
        clean_memo,
        row["a_id"],
    )
    if made is None:
        await codings.refuse_overlap(
            conn, document_id, row["a_round_id"], user.id, code_id, start, end, row["code_name"]
        )
        raise AssertionError("an insert refused without an overlap")
    await event_appended(conn, made["event_id"], scope.project.id)
    return Coding.from_row(made)
