"""What the codebook consolidations share: re-pointing every layer from one code to
another, joining the segments that then overlap, and recording it all in one event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg

from accord.coding import codebook
from accord.coding import codes_repo as repo
from accord.coding.access import Scope
from accord.coding.codebook import Code
from accord.consensus.layers import Join, join_same_code
from accord.consensus.segments import Segment
from accord.errors import Conflict, InvalidInput, NotFound
from accord.events.log import append_event
from accord.ids import parse_id
from accord.text_input import clean_text

MERGED = "code.merged"
MERGE_UNDONE = "code.merge_undone"
SPLIT = "code.split"
MAX_RATIONALE = 20_000
MEMO_JOINER = "\n\n"


@dataclass(frozen=True)
class Change:
    """What re-pointing codings did (see the module docstring)."""

    before: list[dict[str, Any]]
    repointed: list[dict[str, Any]]
    joined: list[dict[str, Any]]
    removed: list[dict[str, Any]]
    item_links: list[dict[str, Any]]

    def record(self) -> dict[str, Any]:
        return {
            "repointed": self.repointed,
            "joined": self.joined,
            "removed": self.removed,
            "itemLinks": self.item_links,
            "codingIds": [row["id"] for row in self.before],
        }


@dataclass(frozen=True)
class Outcome:
    """The result of a merge, an undo or a split."""

    event_id: int
    codes: list[Code]
    change: Change | None
    restored_codings: int = 0


def clean_rationale(rationale: str | None) -> str:
    return clean_text(
        rationale, what="A rationale", field="rationale", max_length=MAX_RATIONALE, required=False
    )


async def load_rows(conn: asyncpg.Connection, table: str, ids: list[UUID]) -> list[dict[str, Any]]:
    """Full rows as JSON objects, in a form ``jsonb_populate_recordset`` reads back."""
    rows = await conn.fetch(
        f"SELECT to_jsonb(t) AS row FROM {table} t WHERE t.id = ANY($1::uuid[]) ORDER BY t.seq",
        ids,
    )
    return [r["row"] for r in rows]


async def code_row(
    conn: asyncpg.Connection, scope: Scope, code_id: UUID, what: str, *, lock: bool = True
) -> Any:
    row = await repo.code_by_id(conn, code_id, for_update=lock)
    if row is None or row["project_id"] != scope.project.id:
        raise NotFound(f"{what} was not found in this project.")
    return row


async def new_code(
    conn: asyncpg.Connection, scope: Scope, input: dict[str, Any], default_parent: UUID | None
) -> UUID:
    """Create a shared code for a merge or split target (the codebook's own rules apply)."""
    fields = codebook._clean(input, partial=False)
    parent_id = parse_id(input["parentId"], "Parent code") if input.get("parentId") else None
    parent_id = parent_id or default_parent
    await codebook._check_parent(conn, scope, parent_id)
    await codebook._check_unique(conn, scope, parent_id, fields["name"], None)
    try:
        row = await repo.insert_code(conn, scope.project.id, parent_id, fields, None, scope.user.id)
    except asyncpg.UniqueViolationError:
        raise Conflict("A sibling code already has that name.", field="name") from None
    code_id: UUID = row["id"]
    return code_id


def _layer_key(row: Any) -> str:
    return f"{row['document_id']}|{row['round_id']}|{row['coder_id'] or 'CONSENSUS'}"


def plan_joins(rows: list[Any], moves: dict[UUID, UUID]) -> list[Join]:
    """The joins re-pointing ``moves`` causes among ``rows`` (codings with ``id``,
    ``document_id``, ``round_id``, ``coder_id``, ``code_id``, ``start_offset`` and
    ``end_offset``: the moved ones and those of the target codes). Pure, so a preview
    shows exactly what the merge will do."""
    moved_layers = {_layer_key(r) for r in rows if r["id"] in moves}
    segments = [
        Segment(
            str(r["id"]),
            _layer_key(r),
            str(moves.get(r["id"], r["code_id"])),
            r["start_offset"],
            r["end_offset"],
        )
        for r in rows
        if _layer_key(r) in moved_layers
    ]
    return [
        j
        for j in join_same_code(segments).changed
        if any(UUID(s.id) in moves for s in (j.before, *j.absorbed))
    ]


async def repoint(conn: asyncpg.Connection, project_id: UUID, moves: dict[UUID, UUID]) -> Change:
    """Give each coding in ``moves`` its new code, then join the overlaps that result."""
    if not moves:
        return Change([], [], [], [], [])
    targets = sorted(set(moves.values()))
    current = await conn.fetch(
        "SELECT id, document_id, round_id, coder_id, code_id, start_offset, end_offset, memo "
        "FROM codings WHERE project_id = $1 "
        "AND (id = ANY($2::uuid[]) OR code_id = ANY($3::uuid[])) ORDER BY seq FOR UPDATE",
        project_id,
        list(moves),
        targets,
    )
    rows = {r["id"]: r for r in current}
    joins = plan_joins(current, moves)
    removed_ids = [UUID(s.id) for j in joins for s in j.absorbed]
    touched = sorted(set(moves) | {UUID(j.before.id) for j in joins} | set(removed_ids))
    before = await load_rows(conn, "codings", touched)
    removed = [r for r in before if UUID(r["id"]) in set(removed_ids)]
    links = await conn.fetch(
        "SELECT item_id, coding_id FROM consensus_item_codings WHERE coding_id = ANY($1::uuid[])",
        removed_ids,
    )
    joined = []
    for j in joins:
        survivor = UUID(j.before.id)
        memos = [rows[UUID(s.id)]["memo"] for s in (j.before, *j.absorbed)]
        await conn.execute(
            "UPDATE codings SET end_offset = $2, memo = $3 WHERE id = $1",
            survivor,
            j.after.end,
            MEMO_JOINER.join(m for m in memos if m),
        )
        joined.append(
            {
                "id": str(survivor),
                "before": {"start": j.before.start, "end": j.before.end},
                "after": {"start": j.after.start, "end": j.after.end},
                "absorbed": [s.id for s in j.absorbed],
            }
        )
    await conn.execute("DELETE FROM codings WHERE id = ANY($1::uuid[])", removed_ids)
    repointed = []
    for coding_id, code_id in moves.items():
        old = rows[coding_id]["code_id"]
        repointed.append({"id": str(coding_id), "fromCodeId": str(old), "toCodeId": str(code_id)})
        if coding_id not in set(removed_ids):
            await conn.execute("UPDATE codings SET code_id = $2 WHERE id = $1", coding_id, code_id)
    await conn.execute(
        "UPDATE codings SET version = version + 1, updated_at = now() WHERE id = ANY($1::uuid[])",
        touched,
    )
    return Change(
        before=before,
        repointed=repointed,
        joined=joined,
        removed=removed,
        item_links=[{"itemId": str(r["item_id"]), "codingId": str(r["coding_id"])} for r in links],
    )


async def record_event(
    conn: asyncpg.Connection, scope: Scope, kind: str, subject: UUID, before: Any, after: Any
) -> int:
    return await append_event(
        conn,
        project_id=scope.project.id,
        actor_id=scope.user.id,
        kind=kind,
        subject_type="code",
        subject_id=subject,
        layer_user_id=scope.user.id,
        before=before,
        after=after,
    )


async def load_codes(conn: asyncpg.Connection, scope: Scope, ids: list[UUID]) -> list[Code]:
    return [await codebook.load_code(conn, scope, i) for i in ids]


async def refuse_live_children(conn: asyncpg.Connection, ids: list[UUID]) -> None:
    child = await conn.fetchrow(
        "SELECT p.name FROM codes c JOIN codes p ON p.id = c.parent_id "
        "WHERE c.parent_id = ANY($1::uuid[]) AND c.status <> 'MERGED' LIMIT 1",
        ids,
    )
    if child is not None:
        raise InvalidInput(
            f"{child['name']!r} has codes under it; move them elsewhere before merging it.",
            field="sourceIds",
        )
