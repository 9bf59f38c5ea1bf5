"""Reading a test–retest (``compare: ROUNDS``) run: each coder's layers in two rounds.

A coder is compared with themself on every document they were assigned in both rounds
(not withdrawn), an assignment without codings counting as an empty layer. Blinding:
a member who may read every layer (leads, viewers, or anyone while blinding is off)
compares any coder; anyone else compares only their own two rounds, which are always
theirs to read, and naming another coder is refused without saying whether that coder
coded anything.

The interval between the rounds is measured per coder and document, from the first
round's assignment to the second's, each at its submission (or its last activity when
not submitted).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from accord.agreement.retest import pooled_name
from accord.agreement.segments import Segment, Unit
from accord.coding.access import Scope
from accord.coding.rounds import Round
from accord.errors import Forbidden, InvalidInput
from accord.ids import parse_id
from accord.reports.agreement_data import (
    Selection,
    Study,
    StudyDocument,
    code_levels,
    units_of,
)
from accord.users.labels import LABEL_COLUMNS, labels_of

ONLY_YOURS = (
    "You can compare rounds only for yourself: other coders' layers are not visible to you."
)


@dataclass
class RetestStudy:
    """Two rounds of the same coders, ready for :mod:`accord.reports.agreement_retest_compute`.

    ``segments`` are (round name, segment) on the real documents; ``documents_by_coder``
    maps each compared coder (email) to the documents (ids) they coded in both rounds.
    ``pooled`` is the same data as one study, each (document, coder) a document of its
    own and the rounds as its two coders, for the work estimate and the raw numbers.
    """

    rounds: tuple[Round, Round]
    documents: list[StudyDocument]
    segments: list[tuple[str, Segment]]
    extents: dict[str, tuple[int, int]]
    documents_by_coder: dict[str, list[str]]
    interval: dict[str, Any] | None
    pooled: Study
    units: list[Unit] | None = None


def _when(row: asyncpg.Record) -> datetime | None:
    moment: datetime | None = row["submitted_at"] or row["last_activity_at"]
    return moment


def interval_of(pairs: list[tuple[datetime | None, datetime | None]]) -> dict[str, Any] | None:
    """Days from each first to each second coding; ``None`` when none can be measured."""
    days = [(b - a).total_seconds() / 86400.0 for a, b in pairs if a is not None and b is not None]
    if not days:
        return None
    return {
        "pairs": len(pairs),
        "measured": len(days),
        "median_days": statistics.median(days),
        "min_days": min(days),
        "max_days": max(days),
        "basis": "each coder's submission (or last activity) of the document in each round",
    }


async def load_retest(
    conn: asyncpg.Connection, scope: Scope, selection: Selection, first: Round, second: Round
) -> RetestStudy:
    rows = await conn.fetch(
        "SELECT a.document_id, a.user_id, a.round_id, a.submitted_at, a.last_activity_at, "
        f"{LABEL_COLUMNS}, d.title, d.length, d.seq FROM assignments a "
        "JOIN users u ON u.id = a.user_id JOIN documents d ON d.id = a.document_id "
        "WHERE a.project_id = $1 AND a.round_id = ANY($2::uuid[]) AND a.status <> 'WITHDRAWN' "
        "ORDER BY d.seq, u.email",
        scope.project.id,
        [first.id, second.id],
    )
    if selection.coder_ids is not None:
        wanted = {parse_id(c, "User") for c in selection.coder_ids}
        if not scope.sight.sees_all and wanted - {scope.user.id}:
            raise Forbidden(ONLY_YOURS)
    elif not scope.sight.sees_all:
        wanted = {scope.user.id}
    else:
        wanted = {r["user_id"] for r in rows}
    if selection.document_ids is not None:
        docs = {parse_id(d, "Document") for d in selection.document_ids}
        known = await conn.fetch(
            "SELECT id FROM documents WHERE project_id = $1 AND id = ANY($2::uuid[])",
            scope.project.id,
            list(docs),
        )
        if len(known) != len(docs):
            raise InvalidInput(
                "Some of documentIds are not documents of this project.", field="documentIds"
            )
        rows = [r for r in rows if r["document_id"] in docs]
    rows = [r for r in rows if r["user_id"] in wanted]
    by_pair: dict[tuple[UUID, UUID], dict[UUID, asyncpg.Record]] = {}
    for r in rows:
        by_pair.setdefault((r["user_id"], r["document_id"]), {})[r["round_id"]] = r
    both = {k: v for k, v in by_pair.items() if len(v) == 2}
    if not both:
        raise InvalidInput(
            "No document was assigned to the same coder in both rounds"
            + ("" if scope.sight.sees_all else " for you")
            + ", so there is nothing to compare."
        )
    emails = labels_of(rows, key="user_id")
    documents: dict[UUID, StudyDocument] = {}
    documents_by_coder: dict[str, list[str]] = {}
    for (user_id, doc_id), per_round in both.items():
        r = per_round[first.id]
        documents.setdefault(doc_id, StudyDocument(doc_id, r["title"], r["length"]))
        documents_by_coder.setdefault(emails[user_id], []).append(str(doc_id))
    level = await code_levels(conn, scope, selection.code_level)
    code_filter = {parse_id(c, "Code") for c in selection.code_ids} if selection.code_ids else None
    names = {first.id: first.name, second.id: second.name}
    codings = await conn.fetch(
        "SELECT document_id, coder_id, code_id, start_offset, end_offset, round_id "
        "FROM codings WHERE round_id = ANY($1::uuid[]) AND layer = 'CODER' "
        "AND document_id = ANY($2::uuid[]) AND coder_id = ANY($3::uuid[]) "
        "ORDER BY document_id, coder_id, round_id, start_offset",
        [first.id, second.id],
        list(documents),
        list({u for u, _ in both}),
    )
    segments = [
        (
            names[c["round_id"]],
            Segment(
                str(c["document_id"]),
                emails[c["coder_id"]],
                level[c["code_id"]][1],
                c["start_offset"],
                c["end_offset"],
            ),
        )
        for c in codings
        if (c["coder_id"], c["document_id"]) in both
        and c["code_id"] in level
        and (code_filter is None or c["code_id"] in code_filter)
    ]
    extents = {str(d.id): (0, d.length) for d in documents.values()}
    units = (
        await units_of(conn, selection.unit_kind, list(documents)) if selection.unit_kind else None
    )
    interval = interval_of([(_when(p[first.id]), _when(p[second.id])) for p in both.values()])
    pooled = _pooled((first, second), list(documents.values()), segments, documents_by_coder, units)
    pooled.level, pooled.code_filter = level, code_filter
    return RetestStudy(
        rounds=(first, second),
        documents=list(documents.values()),
        segments=segments,
        extents=extents,
        documents_by_coder=documents_by_coder,
        interval=interval,
        pooled=pooled,
        units=units,
    )


def _pooled(
    rounds: tuple[Round, Round],
    documents: list[StudyDocument],
    segments: list[tuple[str, Segment]],
    documents_by_coder: dict[str, list[str]],
    units: list[Unit] | None,
) -> Study:
    by_id = {str(d.id): d for d in documents}
    pooled_docs = [
        StudyDocument(by_id[d].id, pooled_name(by_id[d].title, coder), by_id[d].length)
        for coder, docs in documents_by_coder.items()
        for d in docs
    ]
    extents = {
        pooled_name(d, coder): (0, by_id[d].length)
        for coder, docs in documents_by_coder.items()
        for d in docs
    }
    names = [r.name for r in rounds]
    return Study(
        round=rounds[0],
        documents=pooled_docs,
        coders={UUID(int=i + 1): name for i, name in enumerate(names)},
        segments=[
            Segment(pooled_name(s.document, s.coder), r, s.code, s.start, s.end)
            for r, s in segments
        ],
        extents=extents,
        level={},
        code_filter=None,
        units=[
            Unit(pooled_name(u.document, coder), u.unit, u.start, u.end)
            for coder, docs in documents_by_coder.items()
            for u in units
            if u.document in docs
        ]
        if units is not None
        else None,
        coders_by_document={d: set(names) for d in extents},
    )
