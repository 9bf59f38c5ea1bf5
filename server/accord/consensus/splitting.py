"""Splitting one code into several, saying which segment goes where."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg

from accord.coding import codes_repo as repo
from accord.coding.access import scope_for_visible
from accord.consensus.consolidation_base import (
    SPLIT,
    Outcome,
    clean_rationale,
    code_row,
    load_codes,
    load_rows,
    new_code,
    record_event,
    repoint,
)
from accord.errors import InvalidInput
from accord.ids import parse_id
from accord.permissions import Action
from accord.users.model import User


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
    scope = await scope_for_visible(
        conn, "codes", cid, user, Action.MANAGE_CODEBOOK, what="Code", lock=True
    )
    why = clean_rationale(rationale)
    source = await code_row(conn, scope, cid, "The code")
    if source["status"] != "ACTIVE" or not source["codable"]:
        raise InvalidInput(f"{source['name']!r} is not an active, codable code.")
    codings = {r["id"] for r in await conn.fetch("SELECT id FROM codings WHERE code_id = $1", cid)}
    chosen = _assigned(assignments, codings, len(into), source["name"])
    existing = [parse_id(e["codeId"], "Code") for e in into if e.get("codeId") is not None]
    if len(set(existing)) != len(existing):
        raise InvalidInput("A code is named twice in into.", field="into")
    before_codes = await load_rows(conn, "codes", [cid, *existing])
    targets: list[UUID] = []
    created: list[UUID] = []
    for entry in into:
        if entry.get("codeId") is not None:
            tid = parse_id(entry["codeId"], "Code")
            row = await code_row(conn, scope, tid, "A split target")
            if row["status"] != "ACTIVE" or not row["codable"] or row["owner_id"] is not None:
                raise InvalidInput(
                    f"{row['name']!r} is not an active, codable code of the shared codebook.",
                    field="into",
                )
        else:
            tid = await new_code(conn, scope, entry["newCode"], source["parent_id"])
            created.append(tid)
        targets.append(tid)
    moves = {c: targets[i] for c, i in chosen.items() if targets[i] != cid}
    change = await repoint(conn, scope.project.id, moves)
    retired = cid not in targets
    if retired:
        await repo.update_code(conn, cid, {"status": "RETIRED"})
    event_id = await record_event(
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
            "codes": await load_rows(conn, "codes", [cid, *targets]),
            **change.record(),
        },
    )
    return Outcome(event_id, await load_codes(conn, scope, [cid, *targets]), change)
