"""Each coder against the consensus layer: who drifts from what the team agreed."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg

from accord.agreement.result import Coefficient
from accord.agreement.segments import Segment
from accord.heavy.chunks import SLICE
from accord.reports import agreement_modes as modes
from accord.reports.agreement_data import Study

CONSENSUS = "(consensus)"


@dataclass
class CodeF1:
    """One code of one coder against the consensus layer.

    A coder's segment is *matched* when a consensus segment of the same code on the same
    document overlaps it by at least the overlap threshold, measured as in segment
    matching (intersection over union). Precision is the share of the coder's segments
    matched; recall the share of consensus segments matched by one of the coder's.
    """

    key: str
    label: str
    coder_segments: int
    consensus_segments: int
    matched_coder: int
    matched_consensus: int
    alpha: Coefficient

    @property
    def precision(self) -> float | None:
        return self.matched_coder / self.coder_segments if self.coder_segments else None

    @property
    def recall(self) -> float | None:
        return self.matched_consensus / self.consensus_segments if self.consensus_segments else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class CoderVsConsensus:
    coder: str
    coefficients: dict[str, Coefficient]
    per_code: list[CodeF1]


@dataclass
class ConsensusLayers:
    """What the comparison with the consensus layer reads: each compared coder's segments
    and the consensus layer's (key ``None``), who was assigned which document, and the
    documents that hold consensus (a session or consensus codings)."""

    by_layer: dict[UUID | None, list[Segment]]
    keys: dict[str, str]  # label -> key of each code seen
    assigned: dict[UUID, set[str]]  # coder id -> documents assigned in the round
    agreed_docs: set[str]


async def load_consensus_layers(conn: asyncpg.Connection, study: Study) -> ConsensusLayers | None:
    """The layers :func:`coder_vs_consensus` compares; ``None`` without consensus codings."""
    round_id, coders, extents = study.round.id, study.coders, study.extents
    level, code_filter = study.level, study.code_filter
    doc_ids = [UUID(d) for d in extents]
    if not await conn.fetchval(
        "SELECT EXISTS (SELECT 1 FROM codings WHERE round_id = $1 "
        "AND document_id = ANY($2::uuid[]) AND layer = 'CONSENSUS')",
        round_id,
        doc_ids,
    ):
        return None  # before any consensus, without reading every coder's codings again
    rows = await conn.fetch(
        "SELECT document_id, code_id, start_offset, end_offset, coder_id, layer FROM codings "
        "WHERE round_id = $1 AND document_id = ANY($2::uuid[]) "
        "AND (layer = 'CONSENSUS' OR coder_id = ANY($3::uuid[])) ORDER BY start_offset",
        round_id,
        doc_ids,
        list(coders),
    )
    keys: dict[str, str] = {}
    by_layer: dict[UUID | None, list[Segment]] = {}
    for n, r in enumerate(rows, 1):
        if n % SLICE == 0:
            await asyncio.sleep(0)  # a large study's rows do not hold the event loop
        if code_filter is not None and r["code_id"] not in code_filter:
            continue
        key, label = level[r["code_id"]]
        keys[label] = key
        who = CONSENSUS if r["layer"] == "CONSENSUS" else coders[r["coder_id"]]
        layer = None if r["layer"] == "CONSENSUS" else r["coder_id"]
        by_layer.setdefault(layer, []).append(
            Segment(str(r["document_id"]), who, label, r["start_offset"], r["end_offset"])
        )
    consensus = by_layer.get(None, [])
    if not consensus:
        return None
    assigned: dict[UUID, set[str]] = {}
    for a in await conn.fetch(
        "SELECT user_id, document_id FROM assignments WHERE round_id = $1 "
        "AND document_id = ANY($2::uuid[]) AND status <> 'WITHDRAWN'",
        round_id,
        doc_ids,
    ):
        assigned.setdefault(a["user_id"], set()).add(str(a["document_id"]))
    sessions = await conn.fetch(
        "SELECT document_id FROM consensus_sessions WHERE round_id = $1 "
        "AND document_id = ANY($2::uuid[])",
        round_id,
        doc_ids,
    )
    agreed_docs = {str(r["document_id"]) for r in sessions} | {s.document for s in consensus}
    return ConsensusLayers(by_layer, keys, assigned, agreed_docs)


def coder_vs_consensus(
    layers: ConsensusLayers | None,
    study: Study,
    unit_mode: str,
    overlap_percent: float,
    runner: Callable[[Mapping[str, Collection[str]]], modes.Runner],
) -> list[CoderVsConsensus]:
    """Each coder against the consensus layer, on the documents the coder was assigned.

    Empty when the documents hold no consensus codings yet (``layers`` is ``None``). The
    consensus layer counts as a second coder; per code, α is Krippendorff's unitizing α
    (2004) and F1 is as :class:`CodeF1` defines it. ``runner`` makes the engine for a map
    of who coded each document: the coder codes their assigned documents, and the
    consensus layer codes every document with a consensus session or consensus codings
    in the round (an empty consensus layer there is agreement on "nothing to code"); an
    assigned document without consensus is left out, of α and of F1 alike.
    """
    if layers is None:
        return []
    by_layer, keys, agreed_docs = layers.by_layer, layers.keys, layers.agreed_docs
    consensus = by_layer.get(None, [])
    out = []
    for coder_id, name in study.coders.items():
        docs = layers.assigned.get(coder_id, set())
        ext = {d: e for d, e in study.extents.items() if d in docs}
        if not ext:
            continue
        own = [s for s in by_layer.get(coder_id, []) if s.document in ext]
        agreed = [s for s in consensus if s.document in ext]
        segs = own + agreed
        run = runner({d: {name, CONSENSUS} if d in agreed_docs else {name} for d in ext})
        report = run(segs, ext, [name, CONSENSUS])
        compared = [s for s in own if s.document in agreed_docs]
        per_code = [
            code_f1(keys[label], label, compared, agreed, overlap_percent, cr)
            for label, cr in report.per_code.items()
        ]
        out.append(
            CoderVsConsensus(
                name, modes.overall(unit_mode, report, segs, ext, [name, CONSENSUS], run), per_code
            )
        )
    return out


def code_f1(
    key: str, label: str, own: list[Segment], agreed: list[Segment], percent: float, cr: Any
) -> CodeF1:
    mine = [s for s in own if s.code == label]
    theirs = [s for s in agreed if s.code == label]

    def match(a: Segment, b: Segment) -> bool:
        if a.document != b.document:
            return False
        inter = min(a.end, b.end) - max(a.start, b.start)
        union = (a.end - a.start) + (b.end - b.start) - inter
        return inter > 0 and inter >= percent / 100.0 * union - 1e-9

    return CodeF1(
        key=key,
        label=label,
        coder_segments=len(mine),
        consensus_segments=len(theirs),
        matched_coder=sum(any(match(a, b) for b in theirs) for a in mine),
        matched_consensus=sum(any(match(a, b) for a in mine) for b in theirs),
        alpha=cr.unitizing_alpha_2004,
    )
