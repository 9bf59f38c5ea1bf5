"""Disagreements across a project: the agreement dashboard's drill-down.

From a number to the segments behind it. The selection is the agreement report's (round,
documents, coders, codes, code level), so the drill-down never shows what the report's
parameters left out; each compared document's coder layers are aligned into
disagreement items exactly as consensus aligns them (every code at once), and the items
can be narrowed to those touching one code and to some kinds.

Items are aligned live from the layers of the compared coders: :func:`load` reads them,
and :func:`findings`, a pure function, aligns them in a worker process. Once consensus has started
on a document, an item holding exactly the segments of a stored item (same key) carries
that item's id, status, version and resolution, so "Resolve" can go straight to it.

Access is the agreement report's (:mod:`accord.reports.agreement_data`): leads and
viewers read every document; a coder only those revealed to them for the round, and
naming another is refused, so unrevealed work never shows, not even as a count.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

import asyncpg

from accord.coding import codebook, filter_ids, rounds
from accord.coding.access import Scope, scope_for_project
from accord.coding.blinding import coding_code_visible_sql
from accord.consensus.align import ItemKind, align
from accord.consensus.rules import ConsensusRule, meets_rule
from accord.consensus.segments import Segment
from accord.consensus.workflow_items import ItemSegment, ItemView, rule_of
from accord.consensus.workflow_repo import ITEM_COLUMNS
from accord.errors import InvalidInput, NotFound
from accord.heavy.chunks import SLICE
from accord.ids import parse_id
from accord.permissions import Action
from accord.reports.agreement_data import (
    Selection,
    assigned_coders,
    known_selection,
    level_map,
    readable_documents,
)
from accord.users.model import User

LEVELS = ("CODE", "GROUP", "CATEGORY")
KINDS = tuple(k.value for k in ItemKind)
DISAGREEING = tuple(k for k in KINDS if k != ItemKind.EXACT_AGREEMENT.value)
NOT_REVEALED = "not revealed to you for this round"
_STORED = ("id", "status", "version", "resolution", "rationale", "resolved_by", "resolved_at")
ADVICE = "drill into one code, one document or one pair of coders"
TOO_FEW_CODERS = (
    "fewer than two of the compared coders are assigned to it and have started it in this round"
)


@dataclass(frozen=True)
class DrillDown:
    """What to look at: the agreement report's selection, a code, and kinds of item."""

    round_id: str | None = None
    document_ids: list[str] | None = None
    coder_ids: list[str] | None = None
    code_ids: list[str] | None = None
    code_level: str = "CODE"
    code_id: str | None = None
    kinds: list[str] | None = None


@dataclass(frozen=True)
class DocumentFindings:
    """One compared document: its compared coders, consensus state and matching items."""

    document_id: UUID
    title: str
    coders: tuple[UUID, ...]
    consensus_status: str
    items: tuple[ItemView, ...]


@dataclass(frozen=True)
class Excluded:
    document_id: UUID
    title: str
    reason: str


def _validate(req: DrillDown) -> list[str]:
    if req.code_level not in LEVELS:
        raise InvalidInput(f"codeLevel must be one of {', '.join(LEVELS)}.", field="codeLevel")
    kinds = list(DISAGREEING) if req.kinds is None else list(dict.fromkeys(req.kinds))
    if not kinds or any(k not in KINDS for k in kinds):
        raise InvalidInput(f"kinds are some of {', '.join(KINDS)}.", field="kinds")
    return kinds


@dataclass(frozen=True)
class DrillInputs:
    """What one drill-down read, as blinding allows: plain values, so the alignment can
    run in a worker process (:func:`findings`)."""

    project_id: UUID
    round: rounds.Round
    kinds: tuple[str, ...]
    focus: str | None  # the level key of the code drilled into
    rule: ConsensusRule
    level: dict[UUID, tuple[str, str]]
    documents: tuple[tuple[UUID, str], ...]
    coders: tuple[UUID, ...]
    holders: dict[UUID, list[UUID]]
    segments: dict[UUID, list[ItemSegment]]
    sessions: dict[UUID, str]
    stored: dict[tuple[UUID, str], dict[str, Any]]
    excluded: tuple[Excluded, ...]


async def load(
    conn: asyncpg.Connection, user: User, project_id: UUID, req: DrillDown
) -> DrillInputs:
    """Read a drill-down's data: the agreement report's access and selection."""
    kinds = _validate(req)
    scope = await scope_for_project(conn, project_id, user, Action.COMPUTE_AGREEMENT)
    await filter_ids.known_id(conn, scope, "roundId", "round", req.round_id)
    await known_selection(
        conn, scope, Selection(req.document_ids, req.coder_ids, req.code_ids, req.code_level, None)
    )
    await filter_ids.known_id(conn, scope, "codeId", "code", req.code_id)
    the_round = await rounds.resolve(conn, project_id, req.round_id)
    docs = await readable_documents(conn, scope, req.document_ids, the_round.id, strict=True)
    excluded = await _unrevealed(conn, scope, req.document_ids, {d["id"] for d in docs})
    doc_ids = [d["id"] for d in docs]
    coders = await assigned_coders(conn, the_round.id, doc_ids, req.coder_ids, strict=True)
    codes = codebook.with_paths(
        list(
            # As the report names codes: no level or focus reaches a hidden proposal.
            await conn.fetch(
                "SELECT * FROM codes c WHERE project_id = $1 AND "
                f"{coding_code_visible_sql(scope.sight, 'c', '$2')} ORDER BY seq",
                scope.project.id,
                user.id,
            )
        )
    )
    visible = {c.id for c in codes}
    level = level_map(codes, req.code_level)
    code_filter = _codes(req.code_ids, visible, "codeIds")
    focus = None
    if req.code_id is not None:
        focus = level[_code(req.code_id, visible, "codeId")][0]

    # As in the report: the coders who have started a document (not withdrawn) hold it.
    holders: dict[UUID, list[UUID]] = {}
    for r in await conn.fetch(
        "SELECT document_id, user_id FROM assignments WHERE round_id = $1 "
        "AND document_id = ANY($2::uuid[]) AND user_id = ANY($3::uuid[]) "
        "AND status NOT IN ('ASSIGNED', 'WITHDRAWN') ORDER BY user_id",
        the_round.id,
        doc_ids,
        list(coders),
    ):
        holders.setdefault(r["document_id"], []).append(r["user_id"])
    segments: dict[UUID, list[ItemSegment]] = {}
    rows = await conn.fetch(
        "SELECT id, document_id, coder_id, code_id, start_offset, end_offset, text "
        "FROM codings WHERE round_id = $1 AND layer = 'CODER' "
        "AND document_id = ANY($2::uuid[]) AND coder_id = ANY($3::uuid[]) "
        "ORDER BY document_id, start_offset, end_offset, id",
        the_round.id,
        doc_ids,
        list(coders),
    )
    for n, r in enumerate(rows, 1):
        if code_filter is None or r["code_id"] in code_filter:
            segments.setdefault(r["document_id"], []).append(
                ItemSegment(
                    r["id"],
                    r["coder_id"],
                    r["code_id"],
                    r["start_offset"],
                    r["end_offset"],
                    r["text"],
                )
            )
        if n % SLICE == 0:
            await asyncio.sleep(0)  # a large study's rows do not hold the event loop
    sessions = {
        r["document_id"]: r["status"]
        for r in await conn.fetch(
            "SELECT document_id, status FROM consensus_sessions WHERE round_id = $1 "
            "AND document_id = ANY($2::uuid[])",
            the_round.id,
            doc_ids,
        )
    }
    stored = {
        (r["document_id"], r["key"]): {k: r[k] for k in _STORED}
        for r in await conn.fetch(
            f"SELECT {ITEM_COLUMNS} FROM consensus_items WHERE round_id = $1 "
            "AND document_id = ANY($2::uuid[])",
            the_round.id,
            doc_ids,
        )
    }

    # Who is compared on each document is known before any alignment: so is what the
    # selection leaves out, which a caller may ask for alone, cheaply.
    excluded += [
        Excluded(d["id"], d["title"], TOO_FEW_CODERS)
        for d in docs
        if len(holders.get(d["id"], [])) < 2
    ]
    return DrillInputs(
        project_id=project_id,
        round=the_round,
        kinds=tuple(kinds),
        focus=focus,
        rule=rule_of(scope),
        level=level,
        documents=tuple((d["id"], d["title"]) for d in docs),
        coders=tuple(coders),
        holders=holders,
        segments=segments,
        sessions=sessions,
        stored=stored,
        excluded=tuple(excluded),
    )


def findings(inputs: DrillInputs) -> tuple[DocumentFindings, ...]:
    """Each compared document's layers aligned, the items kept that match the drill-down."""
    found: list[DocumentFindings] = []
    for doc_id, title in inputs.documents:
        compared = inputs.holders.get(doc_id, [])
        if len(compared) < 2:
            continue
        items = _items(inputs, doc_id, compared, inputs.segments.get(doc_id, []))
        kept = tuple(
            _with_stored(v, inputs.stored.get((doc_id, v.key)))
            for v, codes_used in items
            if v.kind in inputs.kinds and (inputs.focus is None or inputs.focus in codes_used)
        )
        status = inputs.sessions.get(doc_id, "NOT_STARTED")
        found.append(DocumentFindings(doc_id, title, tuple(compared), status, kept))
    return tuple(found)


def _code(code_id: str, visible: set[UUID], field: str) -> UUID:
    found = parse_id(code_id, "Code")
    if found not in visible:
        # The same answer as for a random id: a coder learns nothing of others' proposals.
        raise NotFound("Code not found in this project.", field=field)
    return found


def _codes(ids: list[str] | None, visible: set[UUID], field: str) -> set[UUID] | None:
    return None if ids is None else {_code(c, visible, field) for c in ids}


async def _unrevealed(
    conn: asyncpg.Connection, scope: Scope, named: list[str] | None, readable: set[UUID]
) -> list[Excluded]:
    """The documents a coder asked about (all, unless named) that the report leaves out
    because they are not revealed: a coder may know that much, as `Document.revealed`
    tells them."""
    if scope.sight.sees_all:
        return []
    wanted = {parse_id(d, "Document") for d in named} if named is not None else None
    rows = await conn.fetch(
        "SELECT id, title FROM documents WHERE project_id = $1 ORDER BY seq", scope.project.id
    )
    return [
        Excluded(r["id"], r["title"], NOT_REVEALED)
        for r in rows
        if r["id"] not in readable and (wanted is None or r["id"] in wanted)
    ]


def _items(
    inputs: DrillInputs, document_id: UUID, coders: Sequence[UUID], segments: list[ItemSegment]
) -> list[tuple[ItemView, set[str]]]:
    """The document's items, aligned on codes at the chosen level, each with the level
    keys of the codes used in it; segments keep the code each coder applied."""
    level = inputs.level
    by_id = {str(s.coding_id): s for s in segments}
    engine = [
        Segment(str(s.coding_id), str(s.coder_id), level[s.code_id][0], s.start, s.end)
        for s in segments
    ]
    names = [str(c) for c in coders]
    out = []
    for item in align(engine, names):
        view = ItemView(
            id=None,
            project_id=inputs.project_id,
            document_id=document_id,
            round_id=inputs.round.id,
            key=item.key,
            kind=item.kind.value,
            status="OPEN",
            start=item.start,
            end=item.end,
            coders=tuple(UUID(c) for c in item.coders),
            segments=tuple(by_id[s.id] for s in item.segments),
            meets_rule=meets_rule(item, inputs.rule, names),
        )
        out.append((view, set(item.codes)))
    return out


def _with_stored(view: ItemView, row: dict[str, Any] | None) -> ItemView:
    if row is None:
        return view
    return replace(
        view,
        id=row["id"],
        status=row["status"],
        version=row["version"],
        resolution=row["resolution"],
        rationale=row["rationale"],
        resolved_by=row["resolved_by"],
        resolved_at=row["resolved_at"],
    )
