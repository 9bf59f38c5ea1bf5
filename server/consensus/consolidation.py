"""Consolidating the codebook in consensus: merging codes, undoing a merge, splitting a code.

Each operation is one transaction and one event that records exactly what changed:

- the full rows of every code and coding it touched, as they were before;
- every re-pointed coding with its old and new code;
- every join (:func:`server.consensus.layers.join_same_code`): the survivor's id with
  its old and new extent, and the full rows of the segments it absorbed.

Re-pointing covers every layer (each coder's and the consensus layer) in every round.
Afterwards, same-code segments that overlap within one layer are joined, so unitizing
agreement stays valid; only chains that contain a re-pointed segment are joined, so a
merge never rewrites what it did not cause.

The events of these operations describe several coders' layers at once, so they are
filed under the acting lead's layer (``layer_user_id``): leads and viewers read them in
the audit log, and a blinded coder never receives them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg

from server.coding import codebook
from server.coding import codes_repo as repo
from server.coding.access import Scope, scope_for, scope_for_project
from server.coding.codebook import Code
from server.consensus.layers import join_same_code
from server.consensus.segments import Segment
from server.errors import Conflict, InvalidInput, NotFound
from server.events.log import append_event
from server.ids import parse_id
from server.permissions import Action
from server.text_input import clean_text
from server.users.model import User

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


async def _rows(conn: asyncpg.Connection, table: str, ids: list[UUID]) -> list[dict[str, Any]]:
    """Full rows as JSON objects, in a form ``jsonb_populate_recordset`` reads back."""
    rows = await conn.fetch(
        f"SELECT to_jsonb(t) AS row FROM {table} t WHERE t.id = ANY($1::uuid[]) ORDER BY t.seq",
        ids,
    )
    return [r["row"] for r in rows]


async def _code_row(conn: asyncpg.Connection, scope: Scope, code_id: UUID, what: str) -> Any:
    row = await repo.code_by_id(conn, code_id, for_update=True)
    if row is None or row["project_id"] != scope.project.id:
        raise NotFound(f"{what} was not found in this project.")
    return row


async def _new_code(
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
    moved_layers = {_layer_key(r) for r in current if r["id"] in moves}
    rows = {r["id"]: r for r in current if _layer_key(r) in moved_layers}
    segments = [
        Segment(
            str(r["id"]),
            _layer_key(r),
            str(moves.get(r["id"], r["code_id"])),
            r["start_offset"],
            r["end_offset"],
        )
        for r in rows.values()
    ]
    joins = [
        j
        for j in join_same_code(segments).changed
        if any(UUID(s.id) in moves for s in (j.before, *j.absorbed))
    ]
    removed_ids = [UUID(s.id) for j in joins for s in j.absorbed]
    touched = sorted(set(moves) | {UUID(j.before.id) for j in joins} | set(removed_ids))
    before = await _rows(conn, "codings", touched)
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


async def _event(
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


async def _codes(conn: asyncpg.Connection, scope: Scope, ids: list[UUID]) -> list[Code]:
    return [await codebook.load_code(conn, scope, i) for i in ids]


async def _no_live_children(conn: asyncpg.Connection, ids: list[UUID]) -> None:
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


async def merge_codes(
    conn: asyncpg.Connection,
    user: User,
    source_ids: list[str],
    target: dict[str, Any],
    rationale: str | None,
) -> Outcome:
    """Merge the sources into an existing code (``codeId``) or a new one (``newCode``)."""
    sources = [parse_id(s, "Code") for s in source_ids]
    if not sources:
        raise InvalidInput("Name at least one code to merge.", field="sourceIds")
    if len(set(sources)) != len(sources):
        raise InvalidInput("A code is named twice in sourceIds.", field="sourceIds")
    if (target.get("codeId") is None) == (target.get("newCode") is None):
        raise InvalidInput("Give the target as either codeId or newCode.", field="target")
    scope = await scope_for(
        conn, "codes", sources[0], user, Action.MANAGE_CODEBOOK, what="Code", lock=True
    )
    why = clean_rationale(rationale)
    source_rows = [await _code_row(conn, scope, s, "A source code") for s in sources]
    for row in source_rows:
        if row["status"] != "ACTIVE":
            raise InvalidInput(f"{row['name']!r} is not active and cannot be merged.")
    await _no_live_children(conn, sources)
    target_id = parse_id(target["codeId"], "Code") if target.get("codeId") else None
    before_codes = await _rows(conn, "codes", [*sources, *([target_id] if target_id else [])])
    if target_id is not None:
        row = await _code_row(conn, scope, target_id, "The target code")
        if target_id in sources:
            raise InvalidInput("The target cannot also be a source.", field="target")
        if row["status"] != "ACTIVE" or not row["codable"] or row["owner_id"] is not None:
            raise InvalidInput(
                f"{row['name']!r} cannot take the merge: a target must be an active, codable "
                "code of the shared codebook.",
                field="target",
            )
    # Sources leave the live names first, so a new target may reuse one of their names.
    await conn.execute(
        "UPDATE codes SET status = 'MERGED', version = version + 1, updated_at = now() "
        "WHERE id = ANY($1::uuid[])",
        sources,
    )
    created = target_id is None
    if target_id is None:
        target_id = await _new_code(conn, scope, target["newCode"], source_rows[0]["parent_id"])
    await conn.execute(
        "UPDATE codes SET merged_into = $2 WHERE id = ANY($1::uuid[])", sources, target_id
    )
    codings = await conn.fetch(
        "SELECT id FROM codings WHERE code_id = ANY($1::uuid[]) ORDER BY seq", sources
    )
    change = await repoint(conn, scope.project.id, {r["id"]: target_id for r in codings})
    after_codes = await _rows(conn, "codes", [*sources, target_id])
    event_id = await _event(
        conn,
        scope,
        MERGED,
        target_id,
        {"codes": before_codes, "codings": change.before},
        {
            "rationale": why,
            "targetId": str(target_id),
            "sourceIds": [str(s) for s in sources],
            "targetCreated": created,
            "codes": after_codes,
            "codings": await _rows(conn, "codings", [UUID(r["id"]) for r in change.before]),
            **change.record(),
        },
    )
    return Outcome(event_id, await _codes(conn, scope, [target_id, *sources]), change)


async def _refuse_dependents(
    conn: asyncpg.Connection, scope: Scope, event: Any, mentioned: list[str]
) -> None:
    undone = await conn.fetchval(
        "SELECT id FROM events WHERE project_id = $1 AND kind = $2 AND after->>'mergeEventId' = $3",
        scope.project.id,
        MERGE_UNDONE,
        str(event["id"]),
    )
    if undone is not None:
        raise Conflict(f"This merge was already undone (event {undone}).")
    later = await conn.fetchrow(
        "SELECT e.id, e.kind, e.created_at FROM events e WHERE e.project_id = $1 AND e.id > $2 "
        "AND ((e.subject_type IN ('code', 'coding') AND e.subject_id = ANY($3::text[])) "
        "OR EXISTS (SELECT 1 FROM unnest($3::text[]) m(x) "
        "WHERE strpos(coalesce(e.before::text, '') || coalesce(e.after::text, ''), m.x) > 0)) "
        "ORDER BY e.id LIMIT 1",
        scope.project.id,
        event["id"],
        mentioned,
    )
    if later is not None:
        raise Conflict(
            f"This merge cannot be undone: a later change depends on it (event {later['id']}, "
            f"{later['kind']}, at {later['created_at']:%Y-%m-%d %H:%M}) touches the merged codes "
            "or their segments. Undo or revert the later changes first."
        )


async def _refuse_drift(conn: asyncpg.Connection, after: dict[str, Any]) -> None:
    """Belt and braces: the touched rows must still be exactly as the merge left them."""
    kept = {r["id"]: r for r in after["codings"]}
    now = {r["id"]: r for r in await _rows(conn, "codings", [UUID(i) for i in kept])}
    for cid, row in kept.items():
        current = now.get(cid)
        fields = ("code_id", "start_offset", "end_offset", "version")
        if current is None or any(current[f] != row[f] for f in fields):
            raise Conflict(f"This merge cannot be undone: coding {cid} changed after it.")
    back = [UUID(r["id"]) for r in after["removed"]]
    if await conn.fetchval("SELECT count(*) FROM codings WHERE id = ANY($1::uuid[])", back):
        raise Conflict("This merge cannot be undone: a joined segment's id is in use again.")
    codes = {
        r["id"]: r for r in await _rows(conn, "codes", [UUID(r["id"]) for r in after["codes"]])
    }
    for row in after["codes"]:
        current = codes.get(row["id"])
        if current is None or current["version"] != row["version"]:
            raise Conflict(f"This merge cannot be undone: code {row['name']!r} changed after it.")
    target = UUID(after["targetId"])
    extra = await conn.fetchval(
        "SELECT count(*) FROM codings WHERE code_id = $1 AND NOT (id = ANY($2::uuid[]))",
        target,
        [UUID(i) for i in kept],
    )
    if after["targetCreated"] and extra:
        raise Conflict("This merge cannot be undone: its new code was applied since.")


async def undo_merge(
    conn: asyncpg.Connection, user: User, event_id: str, rationale: str | None
) -> Outcome:
    """Restore the codes and codings a merge touched, ids included (module docstring).

    A target the merge created is deleted, so the codebook is exactly as before; the
    merge event keeps its full row for the record.
    """
    try:
        eid = int(event_id)
    except ValueError:
        raise InvalidInput("A merge is named by its event id, a number.", field="eventId") from None
    row = await conn.fetchrow("SELECT * FROM events WHERE id = $1 AND kind = $2", eid, MERGED)
    if row is None or row["project_id"] is None:
        raise NotFound("No merge has that event id.")
    scope = await scope_for_project(
        conn, row["project_id"], user, Action.MANAGE_CODEBOOK, lock=True
    )
    why = clean_rationale(rationale)
    before, after = row["before"], row["after"]
    mentioned = [
        after["targetId"],
        *after["sourceIds"],
        *after["codingIds"],
    ]
    await _refuse_dependents(conn, scope, row, mentioned)
    await _refuse_drift(conn, after)
    current_codes = await _rows(conn, "codes", [UUID(r["id"]) for r in after["codes"]])
    current_codings = await _rows(conn, "codings", [UUID(r["id"]) for r in after["codings"]])
    removed = after["removed"]
    removed_ids = {r["id"] for r in removed}
    await conn.execute(
        "UPDATE codings c SET code_id = r.code_id, start_offset = r.start_offset, "
        "end_offset = r.end_offset, memo = r.memo, version = r.version, "
        "updated_at = r.updated_at FROM jsonb_populate_recordset(NULL::codings, $1::jsonb) r "
        "WHERE c.id = r.id",
        [r for r in before["codings"] if r["id"] not in removed_ids],
    )
    await conn.execute(
        "INSERT INTO codings OVERRIDING SYSTEM VALUE "
        "SELECT * FROM jsonb_populate_recordset(NULL::codings, $1::jsonb)",
        removed,
    )
    await conn.execute(
        "INSERT INTO consensus_item_codings (item_id, coding_id) "
        "SELECT l.item_id, l.coding_id FROM jsonb_to_recordset($1::jsonb) "
        "AS l(item_id uuid, coding_id uuid) "
        "WHERE EXISTS (SELECT 1 FROM consensus_items i WHERE i.id = l.item_id)",
        [{"item_id": x["itemId"], "coding_id": x["codingId"]} for x in after["itemLinks"]],
    )
    sources = [UUID(s) for s in after["sourceIds"]]
    target = UUID(after["targetId"])
    await conn.execute("UPDATE codes SET merged_into = NULL WHERE id = ANY($1::uuid[])", sources)
    if after["targetCreated"]:
        await conn.execute("DELETE FROM codes WHERE id = $1", target)
    await conn.execute(
        "UPDATE codes c SET parent_id = r.parent_id, name = r.name, definition = r.definition, "
        "inclusion = r.inclusion, exclusion = r.exclusion, example = r.example, color = r.color, "
        "codable = r.codable, status = r.status, merged_into = r.merged_into, "
        "owner_id = r.owner_id, version = r.version, updated_at = r.updated_at "
        "FROM jsonb_populate_recordset(NULL::codes, $1::jsonb) r WHERE c.id = r.id",
        before["codes"],
    )
    event = await _event(
        conn,
        scope,
        MERGE_UNDONE,
        target,
        {"codes": current_codes, "codings": current_codings},
        {
            "rationale": why,
            "mergeEventId": str(eid),
            "targetId": str(target),
            "targetDeleted": bool(after["targetCreated"]),
            "sourceIds": after["sourceIds"],
            "codes": before["codes"],
            "codings": before["codings"],
            "codingIds": after["codingIds"],
        },
    )
    codes = await _codes(conn, scope, sources)
    if not after["targetCreated"]:
        codes.insert(0, await codebook.load_code(conn, scope, target))
    return Outcome(event, codes, None, restored_codings=len(before["codings"]))


def _split_targets(into: list[dict[str, Any]]) -> None:
    if not into:
        raise InvalidInput("Name at least one code to split into.", field="into")
    for entry in into:
        if (entry.get("codeId") is None) == (entry.get("newCode") is None):
            raise InvalidInput("Give each split target as either codeId or newCode.", field="into")


def _assigned(
    assignments: list[dict[str, Any]], codings: set[UUID], width: int, code_name: str
) -> dict[UUID, int]:
    chosen: dict[UUID, int] = {}
    for a in assignments:
        coding_id = parse_id(a["codingId"], "Coding")
        index = int(a["intoIndex"])
        if coding_id not in codings:
            raise InvalidInput(
                f"Coding {coding_id} is not a coding of {code_name!r}.", field="segmentAssignments"
            )
        if coding_id in chosen:
            raise InvalidInput(f"Coding {coding_id} is assigned twice.", field="segmentAssignments")
        if not 0 <= index < width:
            raise InvalidInput(
                f"intoIndex {index} is outside 0..{width - 1}.", field="segmentAssignments"
            )
        chosen[coding_id] = index
    missing = len(codings) - len(chosen)
    if missing:
        raise InvalidInput(
            f"{missing} of the {len(codings)} codings of {code_name!r} are not assigned; every "
            "coding must go to one of the codes it is split into.",
            field="segmentAssignments",
        )
    return chosen


async def split_code(
    conn: asyncpg.Connection,
    user: User,
    code_id: str,
    into: list[dict[str, Any]],
    assignments: list[dict[str, Any]],
    rationale: str | None,
) -> Outcome:
    """Split a code: each of its codings goes to one of ``into`` (existing or new codes).

    The code itself may be one of the targets and keeps what is assigned to it; when it
    is not, it is retired, since it then holds no codings.
    """
    cid = parse_id(code_id, "Code")
    _split_targets(into)
    scope = await scope_for(
        conn, "codes", cid, user, Action.MANAGE_CODEBOOK, what="Code", lock=True
    )
    why = clean_rationale(rationale)
    source = await _code_row(conn, scope, cid, "The code")
    if source["status"] != "ACTIVE" or not source["codable"]:
        raise InvalidInput(f"{source['name']!r} is not an active, codable code.")
    codings = {r["id"] for r in await conn.fetch("SELECT id FROM codings WHERE code_id = $1", cid)}
    chosen = _assigned(assignments, codings, len(into), source["name"])
    existing = [parse_id(e["codeId"], "Code") for e in into if e.get("codeId")]
    if len(set(existing)) != len(existing):
        raise InvalidInput("A code is named twice in into.", field="into")
    before_codes = await _rows(conn, "codes", [cid, *existing])
    targets: list[UUID] = []
    created: list[UUID] = []
    for entry in into:
        if entry.get("codeId"):
            tid = parse_id(entry["codeId"], "Code")
            row = await _code_row(conn, scope, tid, "A split target")
            if row["status"] != "ACTIVE" or not row["codable"] or row["owner_id"] is not None:
                raise InvalidInput(
                    f"{row['name']!r} is not an active, codable code of the shared codebook.",
                    field="into",
                )
        else:
            tid = await _new_code(conn, scope, entry["newCode"], source["parent_id"])
            created.append(tid)
        targets.append(tid)
    moves = {c: targets[i] for c, i in chosen.items() if targets[i] != cid}
    change = await repoint(conn, scope.project.id, moves)
    retired = cid not in targets
    if retired:
        await repo.update_code(conn, cid, {"status": "RETIRED"})
    event_id = await _event(
        conn,
        scope,
        SPLIT,
        cid,
        {"codes": before_codes, "codings": change.before},
        {
            "rationale": why,
            "codeId": str(cid),
            "intoIds": [str(t) for t in targets],
            "createdIds": [str(t) for t in created],
            "sourceRetired": retired,
            "assignments": [
                {"codingId": str(c), "toCodeId": str(targets[i])} for c, i in chosen.items()
            ],
            "codes": await _rows(conn, "codes", [cid, *targets]),
            **change.record(),
        },
    )
    return Outcome(event_id, await _codes(conn, scope, [cid, *targets]), change)
