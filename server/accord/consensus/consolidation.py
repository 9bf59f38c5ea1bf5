"""Consolidating the codebook in consensus: merging codes, undoing a merge, splitting a code.

Each operation is one transaction and one event that records exactly what changed:

- the full rows of every code and coding it touched, as they were before;
- every re-pointed coding with its old and new code;
- every join (:func:`accord.consensus.layers.join_same_code`): the survivor's id with
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

from typing import Any
from uuid import UUID

import asyncpg

from accord.coding import codebook
from accord.coding.access import Scope, scope_for_project
from accord.consensus.consolidation_base import (
    MERGE_UNDONE,
    MERGED,
    Outcome,
    clean_rationale,
    load_codes,
    load_rows,
    new_code,
    record_event,
    repoint,
)
from accord.consensus.merge_preview import plan_merge
from accord.consensus.splitting import split_code
from accord.errors import Conflict, NotFound
from accord.permissions import Action
from accord.users.model import User

__all__ = ["Outcome", "merge_codes", "split_code", "undo_merge"]


async def merge_codes(
    conn: asyncpg.Connection,
    user: User,
    source_ids: list[str],
    target: dict[str, Any],
    rationale: str | None,
) -> Outcome:
    """Merge the sources into an existing code (``codeId``) or a new one (``newCode``)."""
    plan = await plan_merge(conn, user, source_ids, target, lock=True)
    scope, sources, source_rows, target_id = (
        plan.scope,
        plan.sources,
        plan.source_rows,
        plan.target_id,
    )
    why = clean_rationale(rationale)
    before_codes = await load_rows(conn, "codes", [*sources, *([target_id] if target_id else [])])
    # Sources leave the live names first, so a new target may reuse one of their names.
    await conn.execute(
        "UPDATE codes SET status = 'MERGED', version = version + 1, updated_at = now() "
        "WHERE id = ANY($1::uuid[])",
        sources,
    )
    created = target_id is None
    if target_id is None:
        target_id = await new_code(conn, scope, target["newCode"], source_rows[0]["parent_id"])
    await conn.execute(
        "UPDATE codes SET merged_into = $2 WHERE id = ANY($1::uuid[])", sources, target_id
    )
    codings = await conn.fetch(
        "SELECT id FROM codings WHERE code_id = ANY($1::uuid[]) ORDER BY seq", sources
    )
    change = await repoint(conn, scope.project.id, {r["id"]: target_id for r in codings})
    after_codes = await load_rows(conn, "codes", [*sources, target_id])
    event_id = await record_event(
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
            "codings": await load_rows(conn, "codings", [UUID(r["id"]) for r in change.before]),
            **change.record(),
        },
    )
    return Outcome(event_id, await load_codes(conn, scope, [target_id, *sources]), change)


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
    now = {r["id"]: r for r in await load_rows(conn, "codings", [UUID(i) for i in kept])}
    for cid, row in kept.items():
        current = now.get(cid)
        fields = ("code_id", "start_offset", "end_offset", "version")
        if current is None or any(current[f] != row[f] for f in fields):
            raise Conflict(f"This merge cannot be undone: coding {cid} changed after it.")
    back = [UUID(r["id"]) for r in after["removed"]]
    if await conn.fetchval("SELECT count(*) FROM codings WHERE id = ANY($1::uuid[])", back):
        raise Conflict("This merge cannot be undone: a joined segment's id is in use again.")
    codes = {
        r["id"]: r for r in await load_rows(conn, "codes", [UUID(r["id"]) for r in after["codes"]])
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
    conn: asyncpg.Connection, user: User, event_id: int | None, rationale: str | None
) -> Outcome:
    """Restore the codes and codings a merge touched, ids included (module docstring).

    A target the merge created is deleted, so the codebook is exactly as before; the
    merge event keeps its full row for the record. ``event_id`` is None when the id the
    caller gave is not one Accord gave out.
    """
    if event_id is None:
        raise NotFound("No merge has that event id.")
    row = await conn.fetchrow("SELECT * FROM events WHERE id = $1 AND kind = $2", event_id, MERGED)
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
    current_codes = await load_rows(conn, "codes", [UUID(r["id"]) for r in after["codes"]])
    current_codings = await load_rows(conn, "codings", [UUID(r["id"]) for r in after["codings"]])
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
    event = await record_event(
        conn,
        scope,
        MERGE_UNDONE,
        target,
        {"codes": current_codes, "codings": current_codings},
        {
            "rationale": why,
            "mergeEventId": str(event_id),
            "targetId": str(target),
            "targetDeleted": bool(after["targetCreated"]),
            "sourceIds": after["sourceIds"],
            "codes": before["codes"],
            "codings": before["codings"],
            "codingIds": after["codingIds"],
        },
    )
    codes = await load_codes(conn, scope, sources)
    if not after["targetCreated"]:
        codes.insert(0, await codebook.load_code(conn, scope, target))
    return Outcome(event, codes, None, restored_codings=len(before["codings"]))
