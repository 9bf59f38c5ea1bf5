"""Codings: segments in a coder's own layer.

Every change to a layer locks the coder's assignment row first, so concurrent requests
of one coder on one document are serialised and the overlap rule holds without races.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from accord.coding import assignments, codebook
from accord.coding.access import Scope, scope_for, scope_for_visible
from accord.coding.blinding import coding_visible_sql
from accord.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.events.log import append_event
from accord.ids import parse_id
from accord.permissions import Action
from accord.text_input import clean_text
from accord.users.model import User

CODING_NOT_FOUND = "Coding not found."
LAYERS = ("CODER", "CONSENSUS")
MAX_MEMO = 20_000

COLUMNS = (
    "c.id, c.seq, c.project_id, c.document_id, c.round_id, c.layer, c.coder_id, c.code_id, "
    "c.start_offset, c.end_offset, c.memo, c.version, c.created_at, c.updated_at, "
    "c.text"
)

# Inserting a coding: refused when it overlaps the coder's own segment of the code
# ($2 document, $3 round, $4 coder, $5 code, $6–$7 span), and the assignment ($9) marked
# in progress, in one statement. `made` holds the new row, or nothing on an overlap.
INSERT_CTES = f"""clash AS (
    SELECT 1 FROM codings WHERE document_id = $2 AND round_id = $3 AND coder_id = $4
    AND code_id = $5 AND start_offset < $7 AND end_offset > $6 LIMIT 1
), made AS (
    INSERT INTO codings AS c (project_id, document_id, round_id, coder_id, code_id,
                              start_offset, end_offset, memo)
    SELECT $1::uuid, $2::uuid, $3::uuid, $4::uuid, $5::uuid, $6::int, $7::int, $8::text
    WHERE NOT EXISTS (SELECT 1 FROM clash)
    RETURNING {COLUMNS}
), touched AS (
    UPDATE assignments SET last_activity_at = now(),
        status = CASE WHEN status = 'ASSIGNED' THEN 'IN_PROGRESS' ELSE status END
    WHERE id = $9 AND EXISTS (SELECT 1 FROM made)
)"""


@dataclass(frozen=True)
class Coding:
    id: UUID
    seq: int
    project_id: UUID
    document_id: UUID
    round_id: UUID
    layer: str
    coder_id: UUID | None
    code_id: UUID
    start: int
    end: int
    text: str
    memo: str
    version: int
    created_at: datetime

    @classmethod
    def from_row(cls, row: asyncpg.Record) -> Coding:
        return cls(
            id=row["id"],
            seq=row["seq"],
            project_id=row["project_id"],
            document_id=row["document_id"],
            round_id=row["round_id"],
            layer=row["layer"],
            coder_id=row["coder_id"],
            code_id=row["code_id"],
            start=row["start_offset"],
            end=row["end_offset"],
            text=row["text"],
            memo=row["memo"],
            version=row["version"],
            created_at=row["created_at"],
        )

    def snapshot(self) -> dict[str, Any]:
        return {
            "documentId": self.document_id,
            "roundId": self.round_id,
            "codeId": self.code_id,
            "start": self.start,
            "end": self.end,
            "memo": self.memo,
            "version": self.version,
        }


async def _fetch(conn: asyncpg.Connection, coding_id: UUID) -> Coding | None:
    row = await conn.fetchrow(
        f"SELECT {COLUMNS} FROM codings c WHERE c.id = $1",
        coding_id,
    )
    return Coding.from_row(row) if row else None


def _check_span(start: int, end: int, length: int) -> None:
    if start < 0 or end > length or start >= end:
        raise InvalidInput(
            f"A segment needs 0 ≤ start < end ≤ {length} (the document's length in code "
            f"points); got start {start}, end {end}.",
            field="start" if start < 0 or start >= end else "end",
        )


def clean_memo(memo: str | None) -> str:
    return clean_text(
        memo, what="A coding's memo", field="memo", max_length=MAX_MEMO, required=False
    )


async def refuse_overlap(
    conn: asyncpg.Connection,
    document_id: UUID,
    round_id: UUID,
    coder_id: UUID,
    code_id: UUID,
    start: int,
    end: int,
    code_name: str,
    exclude: UUID | None = None,
) -> None:
    clash = await conn.fetchrow(
        "SELECT id, start_offset, end_offset FROM codings WHERE document_id = $1 AND round_id = $2 "
        "AND coder_id = $3 AND code_id = $4 AND start_offset < $6 AND end_offset > $5 "
        "AND ($7::uuid IS NULL OR id <> $7) ORDER BY start_offset LIMIT 1",
        document_id,
        round_id,
        coder_id,
        code_id,
        start,
        end,
        exclude,
    )
    if clash is not None:
        raise Conflict(
            f"This overlaps your segment {clash['start_offset']}–{clash['end_offset']} coded "
            f"{code_name!r}. A coder's segments of one code may not overlap: extend the "
            f"existing segment (updateCoding on {clash['id']}) instead.",
            field="start",
        )


async def _document_length(conn: asyncpg.Connection, document_id: UUID) -> int:
    length: int = await conn.fetchval("SELECT length FROM documents WHERE id = $1", document_id)
    return length


async def _touch(conn: asyncpg.Connection, assignment: assignments.Assignment) -> None:
    await conn.execute(
        "UPDATE assignments SET last_activity_at = now(), "
        "status = CASE WHEN status = 'ASSIGNED' THEN 'IN_PROGRESS' ELSE status END WHERE id = $1",
        assignment.id,
    )


async def apply_code(conn: asyncpg.Connection, user: User, input: dict[str, Any]) -> Coding:
    document_id = parse_id(input["documentId"], "Document")
    scope = await scope_for(conn, "documents", document_id, user, Action.CODE, what="Document")
    assignment, length = await assignments.holder_assignment_in(
        conn, scope, document_id, input.get("roundId")
    )
    start, end = int(input["start"]), int(input["end"])
    _check_span(start, end, length)
    code = await codebook.codable_code(conn, scope, parse_id(input["codeId"], "Code"))
    memo = clean_memo(input.get("memo"))
    # The insert refuses an overlap with the coder's own segment of the code and marks
    # the assignment in progress, in one statement; the refusal's message is built only
    # when it happens. The assignment row lock keeps concurrent requests apart.
    row = await conn.fetchrow(
        f"WITH {INSERT_CTES} SELECT * FROM made",
        scope.project.id,
        document_id,
        assignment.round_id,
        user.id,
        code["id"],
        start,
        end,
        memo,
        assignment.id,
    )
    if row is None:
        await refuse_overlap(
            conn, document_id, assignment.round_id, user.id, code["id"], start, end, code["name"]
        )
        raise AssertionError("an insert refused without an overlap")
    coding = Coding.from_row(row)
    await _event(conn, scope, "coding.applied", coding, after=coding.snapshot())
    return coding


async def _event(
    conn: asyncpg.Connection,
    scope: Scope,
    kind: str,
    coding: Coding,
    *,
    before: Any = None,
    after: Any = None,
) -> None:
    await append_event(
        conn,
        project_id=scope.project.id,
        actor_id=scope.user.id,
        kind=kind,
        subject_type="coding",
        subject_id=coding.id,
        document_id=coding.document_id,
        round_id=coding.round_id,
        layer_user_id=coding.coder_id,
        before=before,
        after=after,
    )


async def _own_coding(
    conn: asyncpg.Connection, user: User, coding_id: str
) -> tuple[Scope, Coding, assignments.Assignment]:
    cid = parse_id(coding_id, "Coding")
    scope = await scope_for_visible(
        conn, "codings", cid, user, Action.VIEW_DOCUMENTS, what="Coding"
    )
    coding = await visible_coding(conn, scope, cid)
    scope.ensure_open()
    if coding.coder_id != user.id:
        raise Forbidden("Only the coder whose layer holds a coding may change it.")
    assignment = await assignments.holder_assignment(
        conn, scope, coding.document_id, coding.round_id
    )
    locked = await _fetch(conn, cid)  # re-read under the assignment lock
    if locked is None:
        raise NotFound(CODING_NOT_FOUND)
    return scope, locked, assignment


async def update_coding(
    conn: asyncpg.Connection, user: User, coding_id: str, input: dict[str, Any], version: int
) -> Coding:
    scope, coding, assignment = await _own_coding(conn, user, coding_id)
    if coding.version != version:
        raise Conflict(
            f"The coding was changed elsewhere (now version {coding.version}, you sent "
            f"{version}). Reload it and apply your change again.",
            field="version",
        )
    start = coding.start if input.get("start") is None else int(input["start"])
    end = coding.end if input.get("end") is None else int(input["end"])
    _check_span(start, end, await _document_length(conn, coding.document_id))
    code_id = coding.code_id if input.get("codeId") is None else parse_id(input["codeId"], "Code")
    code = await codebook.codable_code(conn, scope, code_id) if code_id != coding.code_id else None
    name = (
        code["name"]
        if code
        else await conn.fetchval("SELECT name FROM codes WHERE id = $1", code_id)
    )
    memo = coding.memo if input.get("memo") is None else clean_memo(input["memo"])
    await refuse_overlap(
        conn, coding.document_id, coding.round_id, user.id, code_id, start, end, name, coding.id
    )
    await conn.execute(
        "UPDATE codings SET start_offset = $2, end_offset = $3, code_id = $4, memo = $5, "
        "version = version + 1, updated_at = now() WHERE id = $1",
        coding.id,
        start,
        end,
        code_id,
        memo,
    )
    await _touch(conn, assignment)
    updated = await _fetch(conn, coding.id)
    assert updated is not None
    await _event(
        conn, scope, "coding.updated", updated, before=coding.snapshot(), after=updated.snapshot()
    )
    return updated


async def delete_coding(conn: asyncpg.Connection, user: User, coding_id: str) -> Coding:
    scope, coding, assignment = await _own_coding(conn, user, coding_id)
    await conn.execute("DELETE FROM codings WHERE id = $1", coding.id)
    await _touch(conn, assignment)
    await _event(conn, scope, "coding.deleted", coding, before=coding.snapshot())
    return coding


async def visible_coding(conn: asyncpg.Connection, scope: Scope, coding_id: UUID) -> Coding:
    """A coding the caller may see; anything else is NOT_FOUND, never FORBIDDEN, so an
    error never confirms that another coder's unrevealed coding exists."""
    row = await conn.fetchrow(
        f"SELECT {COLUMNS} FROM codings c "
        f"WHERE c.id = $1 AND c.project_id = $3 AND {coding_visible_sql(scope.sight, 'c', '$2')}",
        coding_id,
        scope.user.id,
        scope.project.id,
    )
    if row is None:
        raise NotFound(CODING_NOT_FOUND)
    return Coding.from_row(row)


@dataclass(frozen=True)
class CodingFilter:
    document_id: UUID | None = None
    round_id: UUID | None = None
    coder_id: UUID | None = None
    code_id: UUID | None = None
    layer: str | None = None


async def page(
    conn: asyncpg.Connection,
    scope: Scope,
    f: CodingFilter,
    after_seq: int,
    limit: int,
    *,
    with_total: bool = True,
) -> tuple[list[Coding], int | None]:
    """One page of visible codings in creation order, and the visible total if asked.

    Only the filters given become SQL conditions: a generic ``$n IS NULL OR ...`` form
    would leave PostgreSQL's cached plan unable to use the per-document index.
    """
    if f.layer is not None and f.layer not in LAYERS:
        raise InvalidInput(
            f"layer is {' or '.join(LAYERS)} (in capitals), not {f.layer!r}.", field="layer"
        )
    args: list[Any] = [scope.project.id, scope.user.id]
    conditions = ["c.project_id = $1", coding_visible_sql(scope.sight, "c", "$2")]
    for column, value, cast in (
        ("document_id", f.document_id, "uuid"),
        ("round_id", f.round_id, "uuid"),
        ("coder_id", f.coder_id, "uuid"),
        ("code_id", f.code_id, "uuid"),
        ("layer", f.layer, "text"),
    ):
        if value is not None:
            args.append(value)
            conditions.append(f"c.{column} = ${len(args)}::{cast}")
    where = " AND ".join(conditions)
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM codings c WHERE {where} AND c.seq > ${len(args) + 1} "
        f"ORDER BY c.seq LIMIT ${len(args) + 2}",
        *args,
        after_seq,
        limit,
    )
    total: int | None = None
    if with_total:
        total = await conn.fetchval(f"SELECT count(*) FROM codings c WHERE {where}", *args)
    return [Coding.from_row(r) for r in rows], total
