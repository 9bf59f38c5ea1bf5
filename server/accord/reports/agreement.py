"""The agreement report of a project: coder layers from the database fed to the engine.

Documents are assigned to coders per round, so every computation tells the engine who
coded each document (:attr:`Study.coders_by_document`): on a document only the coders
assigned to it are compared, an assigned coder who coded nothing there counts as an
empty layer, and a document with fewer than two of the compared coders is left out.
A coder pair is compared on the documents both were assigned in the round; pairs that
share no document are not listed.

Access follows blinding (see :mod:`accord.reports.agreement_data`): leads and viewers
compute on anything; a coder only on documents revealed to them, so unrevealed work
never feeds the numbers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any
from uuid import UUID

import asyncpg

from accord.agreement.bootstrap import BootstrapSettings
from accord.agreement.errors import AgreementInputError
from accord.agreement.report import SegmentReport, segment_report
from accord.agreement.result import TENTATIVE, Coefficient, undefined
from accord.agreement.segments import Segment
from accord.coding import rounds
from accord.coding.access import Scope, scope_for_project
from accord.errors import InvalidInput
from accord.permissions import Action
from accord.reports import agreement_modes as modes
from accord.reports.agreement_data import Selection, Study, load_study, raw_csv
from accord.reports.consensus_drift import CodeF1, CoderVsConsensus, coder_vs_consensus
from accord.users.model import User

__all__ = [
    "AgreementRequest",
    "AgreementResult",
    "Breakdown",
    "CodeF1",
    "CoderVsConsensus",
    "compute",
    "verdict",
]

MODES = ("CONTINUUM", "UNITS", "SEGMENT_MATCH", "CHARACTER")
LEVELS = ("CODE", "GROUP", "CATEGORY")


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
    segments: int = 0  # coded segments the breakdown read
    code_id: str | None = None  # per code: the code (at the chosen level)


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


HEADLINE = modes.HEADLINE


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


def _runner(
    req: AgreementRequest,
    study: Study,
    alpha_min: float,
    coders_by_document: Mapping[str, Collection[str]] | None = None,
) -> modes.Runner:
    """The engine on part of the study: ``run(segments, extents, coders)`` compares, on
    each document of ``extents``, those of ``coders`` who coded it according to
    ``coders_by_document`` (the study's assignments unless given)."""
    layers = study.coders_by_document if coders_by_document is None else coders_by_document
    boot = (
        BootstrapSettings(
            resamples=req.bootstrap_resamples, seed=req.bootstrap_seed, alpha_min=alpha_min
        )
        if req.bootstrap_resamples
        else None
    )
    units = study.units

    def run(segs: list[Segment], ext: dict[str, tuple[int, int]], who: list[str]) -> SegmentReport:
        compared = set(who)
        try:
            return segment_report(
                segs,
                ext,
                coders=who,
                coders_by_document={d: compared.intersection(layers.get(d, ())) for d in ext},
                units=[u for u in units if u.document in ext] if units is not None else None,
                min_coverage=req.min_coverage,
                overlap_percent=req.overlap_percent,
                bootstrap=boot,
                alpha_min=alpha_min,
            )
        except AgreementInputError as exc:
            raise InvalidInput(f"Agreement cannot be computed: {exc}.") from None

    return run


def _selection(req: AgreementRequest) -> Selection:
    return Selection(
        document_ids=req.document_ids,
        coder_ids=req.coder_ids,
        code_ids=req.code_ids,
        code_level=req.code_level,
        unit_kind=req.unit_kind if req.unit_mode == "UNITS" else None,
    )


async def compute(
    conn: asyncpg.Connection, user: User, project_id: UUID, req: AgreementRequest
) -> AgreementResult:
    _validate(req)
    scope = await scope_for_project(conn, project_id, user, Action.COMPUTE_AGREEMENT)
    alpha_min = float(scope.project.settings["alphaMin"])
    the_round = await rounds.resolve(conn, project_id, req.round_id)
    study = await load_study(conn, scope, _selection(req), the_round, strict=True)
    if not study.documents:
        raise InvalidInput(
            "No documents to compare"
            + ("" if scope.sight.sees_all else " among those revealed to you")
            + "."
        )
    run = _runner(req, study, alpha_min)
    names = list(study.coders.values())
    segments, extents = study.segments, study.extents
    report = run(segments, extents, names)
    overall = modes.overall(req.unit_mode, report, segments, extents, names, run)

    per_document = []
    for d in study.documents:
        key = str(d["id"])
        segs = [s for s in segments if s.document == key]
        one = {key: extents[key]}
        sub = run(segs, one, names)
        per_document.append(
            Breakdown(
                key,
                d["title"],
                modes.overall(req.unit_mode, sub, segs, one, names, run),
                segments=len(segs),
            )
        )
    pairs = []
    for a, b in combinations(names, 2):
        both = {
            d: e for d, e in extents.items() if {a, b} <= study.coders_by_document.get(d, set())
        }
        if not both:
            continue
        segs = [s for s in segments if s.coder in (a, b) and s.document in both]
        sub = run(segs, both, [a, b])
        pairs.append(
            Breakdown(
                f"{a}|{b}",
                f"{a} × {b}",
                modes.overall(req.unit_mode, sub, segs, both, [a, b], run),
                segments=len(segs),
            )
        )
    per_round = []
    for other in await rounds.rounds_of(conn, project_id):
        if other.id == the_round.id:
            per_round.append(Breakdown(str(other.id), other.name, overall, segments=len(segments)))
        else:
            per_round.append(await _round_breakdown(conn, scope, req, other, alpha_min))

    # Segments name codes by their path at the chosen level; the drill-down wants ids.
    code_ids = {label: key for key, label in study.level.values()}
    per_code_segments = Counter(s.code for s in segments)
    parameters = {
        "unitMode": req.unit_mode,
        "unitKind": req.unit_kind if req.unit_mode == "UNITS" else None,
        "minCoverage": req.min_coverage if req.unit_mode == "UNITS" else None,
        "overlapPercent": req.overlap_percent,
        "roundId": str(the_round.id),
        "round": the_round.name,
        "codeLevel": req.code_level,
        "coders": names,
        "documentIds": [str(d["id"]) for d in study.documents],
        "codeIds": sorted(str(c) for c in study.code_filter) if study.code_filter else None,
        "bootstrap": {"resamples": req.bootstrap_resamples, "seed": req.bootstrap_seed}
        if req.bootstrap_resamples
        else None,
        "alphaMin": alpha_min,
    }
    return AgreementResult(
        parameters=parameters,
        headline=HEADLINE[req.unit_mode],
        coefficients=overall,
        per_code=[
            Breakdown(
                code,
                code,
                modes.per_code(req.unit_mode, cr),
                segments=per_code_segments[code],
                code_id=code_ids.get(code),
            )
            for code, cr in report.per_code.items()
        ],
        per_document=per_document,
        per_round=per_round,
        coder_pairs=pairs,
        counts=_counts(report),
        alpha_min=alpha_min,
        raw_csv=raw_csv(segments),
        coder_vs_consensus=await coder_vs_consensus(
            conn,
            study,
            req.unit_mode,
            req.overlap_percent,
            lambda layers: _runner(req, study, alpha_min, layers),
        ),
    )


async def _round_breakdown(
    conn: asyncpg.Connection,
    scope: Scope,
    req: AgreementRequest,
    the_round: rounds.Round,
    alpha_min: float,
) -> Breakdown:
    """Another round, with the same parameters, so training progress shows. A round
    whose agreement is undefined says why instead of failing the whole report."""
    study = await load_study(conn, scope, _selection(req), the_round, strict=False)
    names = list(study.coders.values())
    try:
        if not study.documents:
            raise InvalidInput("no documents in this round the report may read")
        run = _runner(req, study, alpha_min)
        report = run(study.segments, study.extents, names)
        values = modes.overall(req.unit_mode, report, study.segments, study.extents, names, run)
    except InvalidInput as exc:
        values = {HEADLINE[req.unit_mode]: undefined(exc.message)}
    return Breakdown(str(the_round.id), the_round.name, values, segments=len(study.segments))


def _counts(report: SegmentReport) -> dict[str, Any]:
    """What the run read, plus, in units mode, how many units were used and left out.

    Every code is judged on the same units by the same coders, so the per-code unit
    counts agree; the first stands for all.
    """
    counts = dict(report.input)
    per_unit = [cr.unit_counts for cr in report.per_code.values() if cr.unit_counts is not None]
    if per_unit:
        counts.update(
            units_used=per_unit[0].used,
            units_excluded=per_unit[0].excluded,
            exclusion_reason=per_unit[0].exclusion_reason,
        )
    return counts
