"""The agreement report of a project: codings from the database fed to the engine.

Access follows blinding: leads and viewers may compute on anything; a coder only on
documents revealed to them (or anything, when the project's blinding is off). A coder's
request that names an unrevealed document is refused, and with no documents named a
coder's report covers only revealed ones, so unrevealed work never feeds the numbers.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any
from uuid import UUID

import asyncpg

from server.agreement.bootstrap import BootstrapSettings
from server.agreement.errors import AgreementInputError
from server.agreement.report import SegmentReport, segment_report
from server.agreement.result import TENTATIVE, Coefficient
from server.agreement.segments import Segment, Unit
from server.coding import codebook, rounds
from server.coding.access import Scope, scope_for_project
from server.errors import Forbidden, InvalidInput
from server.ids import parse_id
from server.permissions import Action
from server.users.model import User

MODES = ("CONTINUUM", "UNITS", "SEGMENT_MATCH", "CHARACTER")
LEVELS = ("CODE", "GROUP", "CATEGORY")
ANY_CODE = "(any code)"


@dataclass(frozen=True)
class AgreementRequest:
    unit_mode: str = "CONTINUUM"
    unit_kind: str = "PARAGRAPH"
    min_coverage: float = 0.0
    overlap_percent: float = 90.0
    coder_ids: list[str] | None = None
    document_ids: list[str] | None = None
    code_ids: list[str] | None = None
    round_id: str | None = None
    code_level: str = "CODE"
    bootstrap_resamples: int | None = None
    bootstrap_seed: int = 0


@dataclass
class Breakdown:
    key: str
    label: str
    coefficients: dict[str, Coefficient]
    counts: dict[str, Any] = field(default_factory=dict)


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
class AgreementResult:
    parameters: dict[str, Any]
    headline: str
    coefficients: dict[str, Coefficient]
    per_code: list[Breakdown]
    per_document: list[Breakdown]
    per_round: list[Breakdown]
    coder_pairs: list[Breakdown]
    counts: dict[str, Any]
    alpha_min: float
    raw_csv: str
    coder_vs_consensus: list[CoderVsConsensus] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        return verdict(self.coefficients.get(self.headline), self.alpha_min)


def verdict(c: Coefficient | None, alpha_min: float) -> str:
    if c is None or c.value is None:
        return "UNDEFINED"
    if c.value >= alpha_min:
        return "RELIABLE"
    if c.value >= TENTATIVE:
        return "TENTATIVE"
    return "NOT_RELIABLE"


HEADLINE = {
    "CONTINUUM": "u_alpha",
    "UNITS": "units_masi_alpha",
    "SEGMENT_MATCH": "brennan_prediger",
    "CHARACTER": "cohen_kappa",
}


def _validate(req: AgreementRequest) -> None:
    if req.unit_mode not in MODES:
        raise InvalidInput(f"unitMode must be one of {', '.join(MODES)}.", field="unitMode")
    if req.code_level not in LEVELS:
        raise InvalidInput(f"codeLevel must be one of {', '.join(LEVELS)}.", field="codeLevel")
    if not 0.0 <= req.min_coverage <= 1.0:
        raise InvalidInput("minCoverage is a share from 0 to 1.", field="minCoverage")
    if not 0.0 < req.overlap_percent <= 100.0:
        raise InvalidInput(
            "overlapPercent is a percentage above 0 and at most 100.", field="overlapPercent"
        )
    if req.bootstrap_resamples is not None and not 100 <= req.bootstrap_resamples <= 100_000:
        raise InvalidInput("A bootstrap takes 100 to 100,000 resamples.", field="bootstrap")


async def _documents(
    conn: asyncpg.Connection, scope: Scope, req: AgreementRequest, round_id: UUID
) -> list[asyncpg.Record]:
    rows = await conn.fetch(
        "SELECT d.id, d.title, d.length, EXISTS (SELECT 1 FROM reveals r "
        "WHERE r.document_id = d.id AND r.round_id = $2) AS revealed "
        "FROM documents d WHERE d.project_id = $1 ORDER BY d.seq",
        scope.project.id,
        round_id,
    )
    if req.document_ids is not None:
        wanted = {parse_id(d, "Document") for d in req.document_ids}
        rows = [r for r in rows if r["id"] in wanted]
        if len(rows) != len(wanted):
            raise InvalidInput(
                "Some of documentIds are not documents of this project.", field="documentIds"
            )
    if not scope.sight.sees_all:
        hidden = [r for r in rows if not r["revealed"]]
        if hidden and req.document_ids is not None:
            raise Forbidden(
                "You can compute agreement only on documents revealed to you: "
                + ", ".join(repr(r["title"]) for r in hidden[:5])
                + " is not revealed yet."
            )
        rows = [r for r in rows if r["revealed"]]
    return rows


def _level_map(codes: list[codebook.Code], level: str) -> dict[UUID, tuple[str, str]]:
    """code id → (key, label) of the code, or of its ancestor at the chosen level.

    A merged code counts as its target (the end of its merge chain), so after a merge
    agreement at every level is about the codes that remain.
    """
    by_id = {c.id: c for c in codes}
    depth = {"CODE": None, "GROUP": 1, "CATEGORY": 0}[level]
    out: dict[UUID, tuple[str, str]] = {}
    for c in codes:
        target = c
        for _ in codes:
            if target.merged_into is None or target.merged_into not in by_id:
                break
            target = by_id[target.merged_into]
        if depth is not None:
            chain = [target]
            while chain[-1].parent_id in by_id and len(chain) <= len(codes):
                chain.append(by_id[chain[-1].parent_id])
            chain.reverse()
            if len(chain) - 1 > depth:
                target = chain[depth]
        out[c.id] = (str(target.id), " > ".join(target.path))
    return out


async def compute(
    conn: asyncpg.Connection, user: User, project_id: UUID, req: AgreementRequest
) -> AgreementResult:
    _validate(req)
    scope = await scope_for_project(conn, project_id, user, Action.COMPUTE_AGREEMENT)
    the_round = await rounds.resolve(conn, project_id, req.round_id)
    docs = await _documents(conn, scope, req, the_round.id)
    all_codes = codebook.with_paths(
        list(await conn.fetch("SELECT * FROM codes WHERE project_id = $1 ORDER BY seq", project_id))
    )
    level = _level_map(all_codes, req.code_level)
    code_filter = {parse_id(c, "Code") for c in req.code_ids} if req.code_ids else None
    coder_filter = [parse_id(c, "User") for c in req.coder_ids] if req.coder_ids else None
    doc_ids = [d["id"] for d in docs]
    coder_rows = await conn.fetch(
        "SELECT DISTINCT u.id, u.email FROM assignments a JOIN users u ON u.id = a.user_id "
        "WHERE a.round_id = $1 AND a.document_id = ANY($2::uuid[]) ORDER BY u.email",
        the_round.id,
        doc_ids,
    )
    coders = {r["id"]: r["email"] for r in coder_rows}
    if coder_filter is not None:
        missing = [c for c in coder_filter if c not in coders]
        if missing:
            raise InvalidInput(
                "Some coderIds hold no assignment on these documents in this round.",
                field="coderIds",
            )
        coders = {c: coders[c] for c in coder_filter}
    rows = await conn.fetch(
        "SELECT document_id, coder_id, code_id, start_offset, end_offset FROM codings "
        "WHERE round_id = $1 AND layer = 'CODER' AND document_id = ANY($2::uuid[]) "
        "AND coder_id = ANY($3::uuid[]) ORDER BY document_id, coder_id, start_offset",
        the_round.id,
        doc_ids,
        list(coders),
    )
    labels: dict[str, str] = {}
    segments: list[Segment] = []
    for r in rows:
        if code_filter is not None and r["code_id"] not in code_filter:
            continue
        key, label = level[r["code_id"]]
        labels[key] = label
        segments.append(
            Segment(
                str(r["document_id"]),
                coders[r["coder_id"]],
                label,
                r["start_offset"],
                r["end_offset"],
            )
        )
    extents = {str(d["id"]): (0, d["length"]) for d in docs}
    units = await _units(conn, req, doc_ids) if req.unit_mode == "UNITS" else None
    boot = (
        BootstrapSettings(
            resamples=req.bootstrap_resamples,
            seed=req.bootstrap_seed,
            alpha_min=float(scope.project.settings["alphaMin"]),
        )
        if req.bootstrap_resamples
        else None
    )
    coder_names = list(coders.values())
    alpha_min = float(scope.project.settings["alphaMin"])

    def run(segs: list[Segment], ext: dict[str, tuple[int, int]], who: list[str]) -> SegmentReport:
        try:
            return segment_report(
                segs,
                ext,
                coders=who,
                units=[u for u in units if u.document in ext] if units is not None else None,
                min_coverage=req.min_coverage,
                overlap_percent=req.overlap_percent,
                bootstrap=boot,
                alpha_min=alpha_min,
            )
        except AgreementInputError as exc:
            raise InvalidInput(f"Agreement cannot be computed: {exc}.") from None

    if not docs:
        raise InvalidInput(
            "No documents to compare"
            + ("" if scope.sight.sees_all else " among those revealed to you")
            + "."
        )
    report = run(segments, extents, coder_names)
    overall = _pick(req.unit_mode, report, segments, extents, coder_names, run)
    per_code = [
        Breakdown(code, code, _pick_code(req.unit_mode, cr)) for code, cr in report.per_code.items()
    ]
    per_document = []
    titles = {str(d["id"]): d["title"] for d in docs}
    for doc_key, title in titles.items():
        segs = [s for s in segments if s.document == doc_key]
        sub = run(segs, {doc_key: extents[doc_key]}, coder_names)
        per_document.append(
            Breakdown(
                doc_key,
                title,
                _pick(req.unit_mode, sub, segs, {doc_key: extents[doc_key]}, coder_names, run),
            )
        )
    pairs = []
    for a, b in combinations(coder_names, 2):
        segs = [s for s in segments if s.coder in (a, b)]
        sub = run(segs, extents, [a, b])
        pairs.append(
            Breakdown(
                f"{a}|{b}", f"{a} × {b}", _pick(req.unit_mode, sub, segs, extents, [a, b], run)
            )
        )
    per_round = [Breakdown(str(the_round.id), the_round.name, overall)]
    parameters = {
        "unitMode": req.unit_mode,
        "unitKind": req.unit_kind if req.unit_mode == "UNITS" else None,
        "minCoverage": req.min_coverage if req.unit_mode == "UNITS" else None,
        "overlapPercent": req.overlap_percent,
        "roundId": str(the_round.id),
        "round": the_round.name,
        "codeLevel": req.code_level,
        "coders": coder_names,
        "documentIds": [str(d) for d in doc_ids],
        "codeIds": sorted(str(c) for c in code_filter) if code_filter else None,
        "bootstrap": {"resamples": req.bootstrap_resamples, "seed": req.bootstrap_seed}
        if boot
        else None,
        "alphaMin": alpha_min,
    }
    versus = await _coder_vs_consensus(
        conn, req, the_round.id, coders, extents, level, code_filter, run
    )
    return AgreementResult(
        parameters=parameters,
        headline=HEADLINE[req.unit_mode],
        coefficients=overall,
        per_code=per_code,
        per_document=per_document,
        per_round=per_round,
        coder_pairs=pairs,
        counts=report.input,
        alpha_min=alpha_min,
        raw_csv=_raw_csv(segments),
        coder_vs_consensus=versus,
    )


CONSENSUS = "(consensus)"


async def _coder_vs_consensus(
    conn: asyncpg.Connection,
    req: AgreementRequest,
    round_id: UUID,
    coders: dict[UUID, str],
    extents: dict[str, tuple[int, int]],
    level: dict[UUID, tuple[str, str]],
    code_filter: set[UUID] | None,
    run: Any,
) -> list[CoderVsConsensus]:
    """Each coder against the consensus layer, on the documents the coder was assigned.

    Empty when the documents hold no consensus codings yet. The consensus layer counts
    as a second coder; per code, α is Krippendorff's unitizing α (2004) and F1 is as
    :class:`CodeF1` defines it.
    """
    doc_ids = [UUID(d) for d in extents]
    rows = await conn.fetch(
        "SELECT document_id, code_id, start_offset, end_offset, coder_id, layer FROM codings "
        "WHERE round_id = $1 AND document_id = ANY($2::uuid[]) "
        "AND (layer = 'CONSENSUS' OR coder_id = ANY($3::uuid[])) ORDER BY start_offset",
        round_id,
        doc_ids,
        list(coders),
    )
    assigned = await conn.fetch(
        "SELECT user_id, document_id FROM assignments WHERE round_id = $1 "
        "AND document_id = ANY($2::uuid[])",
        round_id,
        doc_ids,
    )
    keys: dict[str, str] = {}
    by_layer: dict[UUID | None, list[Segment]] = {}
    for r in rows:
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
        return []
    out = []
    for coder_id, name in coders.items():
        docs = {str(a["document_id"]) for a in assigned if a["user_id"] == coder_id}
        ext = {d: e for d, e in extents.items() if d in docs}
        if not ext:
            continue
        own = [s for s in by_layer.get(coder_id, []) if s.document in ext]
        agreed = [s for s in consensus if s.document in ext]
        segs = own + agreed
        report = run(segs, ext, [name, CONSENSUS])
        per_code = [
            _code_f1(keys[label], label, own, agreed, req.overlap_percent, cr)
            for label, cr in report.per_code.items()
        ]
        out.append(
            CoderVsConsensus(
                name, _pick(req.unit_mode, report, segs, ext, [name, CONSENSUS], run), per_code
            )
        )
    return out


def _code_f1(
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


async def _units(
    conn: asyncpg.Connection, req: AgreementRequest, doc_ids: list[UUID]
) -> list[Unit]:
    rows = await conn.fetch(
        "SELECT document_id, ordinal, start_offset, end_offset FROM document_units "
        "WHERE document_id = ANY($1::uuid[]) AND kind = $2 ORDER BY document_id, ordinal",
        doc_ids,
        req.unit_kind,
    )
    return [
        Unit(str(r["document_id"]), str(r["ordinal"]), r["start_offset"], r["end_offset"])
        for r in rows
    ]


def _pick(
    mode: str,
    report: SegmentReport,
    segs: list[Segment],
    ext: dict[str, tuple[int, int]],
    who: list[str],
    run: Any,
) -> dict[str, Coefficient]:
    if mode == "CONTINUUM":
        return dict(report.coefficients)
    if mode == "UNITS":
        return {k: v for k, v in report.coefficients.items() if k == "units_masi_alpha"}
    if mode == "SEGMENT_MATCH":
        m = report.segment_match
        return {"percent_agreement": m.percent_agreement, "brennan_prediger": m.brennan_prediger}
    # CHARACTER: whether each character was coded at all, every code collapsed into one.
    collapsed = [Segment(s.document, s.coder, ANY_CODE, s.start, s.end) for s in segs]
    if not collapsed:
        return {}
    any_code = run(collapsed, ext, who).per_code[ANY_CODE].character_kappa
    return {"percent_agreement": any_code.percent_agreement, "cohen_kappa": any_code.cohen_kappa}


def _pick_code(mode: str, cr: Any) -> dict[str, Coefficient]:
    if mode == "CONTINUUM":
        return {"unitizing_alpha_2004": cr.unitizing_alpha_2004, "k_u_alpha": cr.k_u_alpha}
    if mode == "UNITS":
        return dict(cr.units or {})
    if mode == "SEGMENT_MATCH":
        return {
            "percent_agreement": cr.segment_match.percent_agreement,
            "brennan_prediger": cr.segment_match.brennan_prediger,
        }
    return {
        "percent_agreement": cr.character_kappa.percent_agreement,
        "cohen_kappa": cr.character_kappa.cohen_kappa,
    }


def _raw_csv(segments: list[Segment]) -> str:
    """The run's data as a segments CSV that `accord agreement` reads back."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["document", "coder", "code", "start", "end"])
    for s in segments:
        writer.writerow([s.document, s.coder, s.code, s.start, s.end])
    return out.getvalue()
