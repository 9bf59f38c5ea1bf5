"""What a code merge will do, before it is done: the checks a merge must pass, and a
preview of every coding it moves in every layer.

The merge itself (:func:`accord.consensus.consolidation.merge_codes`) runs the same
checks through :func:`plan_merge`, and the preview computes the joins with the same
function the merge uses (:func:`accord.consensus.consolidation_base.plan_joins`), so what
a lead is shown is exactly what the merge then does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg

from accord.coding import codebook
from accord.coding.access import Scope, scope_for_visible
from accord.coding.codebook import Code
from accord.consensus.consolidation_base import code_row, plan_joins, refuse_live_children
from accord.errors import InvalidInput
from accord.ids import parse_id
from accord.permissions import Action
from accord.users.model import User

# More than this many moving codings are counted but not listed one by one.
MAX_LISTED = 5_000


@dataclass(frozen=True)
class MergePlan:
    """A merge that passed its checks: the sources' rows and the existing target, if any."""

    scope: Scope
    sources: list[UUID]
    source_rows: list[Any]
    target_id: UUID | None
    new_code: dict[str, Any] | None


async def plan_merge(
    conn: asyncpg.Connection,
    user: User,
    source_ids: list[str],
    target: dict[str, Any],
    *,
    lock: bool,
) -> MergePlan:
    """Every check a merge makes before it changes anything. ``lock`` takes the rows for
    update, as the merge needs; a preview reads without locks."""
    sources = [parse_id(s, "Code") for s in source_ids]
    if not sources:
        raise InvalidInput("Name at least one code to merge.", field="sourceIds")
    if len(set(sources)) != len(sources):
        raise InvalidInput("A code is named twice in sourceIds.", field="sourceIds")
    if (target.get("codeId") is None) == (target.get("newCode") is None):
        raise InvalidInput("Give the target as either codeId or newCode.", field="target")
    scope = await scope_for_visible(
        conn, "codes", sources[0], user, Action.MANAGE_CODEBOOK, what="Code", lock=lock
    )
    source_rows = [await code_row(conn, scope, s, "A source code", lock=lock) for s in sources]
    for row in source_rows:
        if row["status"] != "ACTIVE":
            raise InvalidInput(f"{row['name']!r} is not active and cannot be merged.")
    await refuse_live_children(conn, sources)
    target_id = parse_id(target["codeId"], "Code") if target.get("codeId") is not None else None
    if target_id is not None:
        row = await code_row(conn, scope, target_id, "The target code", lock=lock)
        if target_id in sources:
            raise InvalidInput("The target cannot also be a source.", field="target")
        if row["status"] != "ACTIVE" or not row["codable"] or row["owner_id"] is not None:
            raise InvalidInput(
                f"{row['name']!r} cannot take the merge: a target must be an active, codable "
                "code of the shared codebook.",
                field="target",
            )
    new = target.get("newCode")
    if new is not None:
        # The name and fields are checked as the codebook will check them.
        codebook._clean(new, partial=False)
    return MergePlan(scope, sources, source_rows, target_id, new)


@dataclass(frozen=True)
class MovingCoding:
    """One coding a merge changes.

    ``effect``: RECODED (gets the target code), ABSORBED (recoded and joined into
    ``joined_into``, an overlapping segment of the same layer, then removed) or EXTENDED
    (a segment of the target code that grows to take in recoded ones). ``new_start`` and
    ``new_end`` are its extent after the merge (those of the survivor when absorbed).
    """

    coding_id: UUID
    document_id: UUID
    document: str
    round_id: UUID
    round: str
    layer: str
    coder_id: UUID | None
    code_id: UUID
    start: int
    end: int
    text: str
    effect: str
    joined_into: UUID | None
    new_start: int
    new_end: int


@dataclass(frozen=True)
class MergePreview:
    sources: list[Code]
    target: Code | None
    new_target_name: str | None
    codings: list[MovingCoding]
    total: int
    recoded: int
    joined: int
    removed: int
    layers: int
    documents: int

    @property
    def truncated(self) -> bool:
        return len(self.codings) < self.total


async def preview_merge(
    conn: asyncpg.Connection, user: User, source_ids: list[str], target: dict[str, Any]
) -> MergePreview:
    """Every coding the merge would change, in every layer and round (leads)."""
    plan = await plan_merge(conn, user, source_ids, target, lock=False)
    codes = [*plan.sources, *([plan.target_id] if plan.target_id else [])]
    rows = await conn.fetch(
        "SELECT c.id, c.document_id, c.round_id, c.layer, c.coder_id, c.code_id, "
        "c.start_offset, c.end_offset, c.text, d.title, r.name AS round_name "
        "FROM codings c JOIN documents d ON d.id = c.document_id "
        "JOIN rounds r ON r.id = c.round_id "
        "WHERE c.project_id = $1 AND c.code_id = ANY($2::uuid[]) ORDER BY d.seq, c.round_id, "
        "c.layer, c.coder_id NULLS LAST, c.start_offset, c.end_offset, c.seq",
        plan.scope.project.id,
        codes,
    )
    # A new target gets an id only when the merge runs; any placeholder does for joins.
    into = plan.target_id or UUID(int=1)
    moves = {r["id"]: into for r in rows if r["code_id"] in set(plan.sources)}
    joins = plan_joins(list(rows), moves)
    survivor_of: dict[UUID, tuple[UUID, int, int]] = {}
    for j in joins:
        joined = (UUID(j.before.id), j.after.start, j.after.end)
        survivor_of[UUID(j.before.id)] = joined
        for s in j.absorbed:
            survivor_of[UUID(s.id)] = joined
    changed = []
    extent: tuple[int, int]
    for r in rows:
        found = survivor_of.get(r["id"])
        if r["id"] not in moves and found is None:
            continue  # a coding of the target the merge leaves alone
        if found is None:
            effect, joined_into, extent = "RECODED", None, (r["start_offset"], r["end_offset"])
        elif found[0] != r["id"]:
            effect, joined_into, extent = "ABSORBED", found[0], (found[1], found[2])
        else:
            effect = "RECODED" if r["id"] in moves else "EXTENDED"
            joined_into, extent = None, (found[1], found[2])
        changed.append(
            MovingCoding(
                coding_id=r["id"],
                document_id=r["document_id"],
                document=r["title"],
                round_id=r["round_id"],
                round=r["round_name"],
                layer=r["layer"],
                coder_id=r["coder_id"],
                code_id=r["code_id"],
                start=r["start_offset"],
                end=r["end_offset"],
                text=r["text"],
                effect=effect,
                joined_into=joined_into,
                new_start=extent[0],
                new_end=extent[1],
            )
        )
    scope = plan.scope
    return MergePreview(
        sources=[await codebook.load_code(conn, scope, s) for s in plan.sources],
        target=await codebook.load_code(conn, scope, plan.target_id) if plan.target_id else None,
        new_target_name=str(plan.new_code["name"]).strip() if plan.new_code else None,
        codings=changed[:MAX_LISTED],
        total=len(changed),
        recoded=len(moves),
        joined=len(joins),
        removed=sum(len(j.absorbed) for j in joins),
        layers=len({(c.document_id, c.round_id, c.coder_id) for c in changed}),
        documents=len({c.document_id for c in changed}),
    )
