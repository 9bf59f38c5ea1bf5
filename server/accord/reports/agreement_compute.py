"""The agreement report computed from data already read: a pure function of picklable
inputs, so the server runs it in a worker process (:mod:`accord.heavy`) and the CLI in
its own. :mod:`accord.reports.agreement` reads the inputs as blinding allows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any
from uuid import UUID

from accord.agreement import naming
from accord.agreement.bootstrap import BootstrapSettings
from accord.agreement.errors import AgreementInputError
from accord.agreement.report import SegmentReport, segment_report
from accord.agreement.result import TENTATIVE, Coefficient, undefined
from accord.agreement.segments import Segment, Unit, build_table
from accord.agreement.units import unit_presence
from accord.agreement.variance import VarianceSettings
from accord.coding.rounds import Round
from accord.errors import InvalidInput
from accord.reports import agreement_cost
from accord.reports import agreement_modes as modes
from accord.reports.agreement_cost import AgreementLimits
from accord.reports.agreement_data import Study, raw_csv
from accord.reports.agreement_retest import RetestStudy
from accord.reports.consensus_drift import CoderVsConsensus, ConsensusLayers, coder_vs_consensus

HEADLINE = modes.HEADLINE
NO_DOCUMENTS = "no documents in this round the report may read"


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
    bootstrap_method: str = "pairs"  # what α's bootstrap resamples: "pairs" or "units"
    population: int | None = None  # units in the population, for Gwet's standard errors
    compare: str = "CODERS"  # or "ROUNDS": each coder's two rounds (test–retest)
    round_ids: list[str] | None = None  # the two rounds of a ROUNDS comparison


@dataclass
class Breakdown:
    key: str
    label: str
    coefficients: dict[str, Coefficient]
    counts: dict[str, Any] = field(default_factory=dict)
    segments: int = 0  # coded segments the breakdown read
    code_id: str | None = None  # per code: the code (at the chosen level)


@dataclass(frozen=True)
class Exclusion:
    """A document of the selection that no coefficient compares, and why."""

    key: str
    label: str
    reason: str
    units: int = 0  # in units mode, the document's units (left out with it)


@dataclass
class DocumentCharacter:
    """One code's character κ on one document (NVivo's per-source figure)."""

    code: str
    code_id: str | None
    document_id: str
    document: str
    percent_agreement: Coefficient
    cohen_kappa: Coefficient


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
    character_per_document: list[DocumentCharacter] = field(default_factory=list)
    per_coder: list[Breakdown] = field(default_factory=list)  # ROUNDS: each coder's stability
    excluded_documents: list[Exclusion] = field(default_factory=list)
    code_names: list[str] | None = None  # the selected codes (codeIds) at the chosen level

    @property
    def verdict(self) -> str | None:
        """The headline's verdict; ``None`` when no published threshold applies to it."""
        return judged(self.headline, self.coefficients.get(self.headline), self.alpha_min)


def judged(key: str, c: Coefficient | None, alpha_min: float) -> str | None:
    """The verdict on coefficient ``key``, or ``None`` when it gets none: only α and its
    unitizing family have published thresholds (see :mod:`accord.agreement.naming`)."""
    return verdict(c, alpha_min) if naming.has_verdict(key) else None


def verdict(c: Coefficient | None, alpha_min: float) -> str:
    """Krippendorff's reading of an α against the thresholds (:func:`judged` decides
    whether a coefficient gets one)."""
    if c is None or c.value is None:
        return "UNDEFINED"
    if c.value >= alpha_min:
        return "RELIABLE"
    if c.value >= TENTATIVE:
        return "TENTATIVE"
    return "NOT_RELIABLE"


@dataclass
class AgreementInputs:
    """Everything one report reads: the round's study, the project's rounds in order
    with the studies of the others (``None`` when none of their documents may be read),
    and the consensus layers of the round's documents."""

    request: AgreementRequest
    alpha_min: float
    study: Study
    rounds: list[Round]
    other_studies: dict[UUID, Study | None]
    consensus: ConsensusLayers | None
    limits: AgreementLimits | None = None  # None: no work limit (the CLI)
    retest: RetestStudy | None = None  # compare: ROUNDS (``study`` is then its pooled form)


def runner(
    req: AgreementRequest,
    study: Study,
    alpha_min: float,
    coders_by_document: Mapping[str, Collection[str]] | None = None,
    *,
    unit_codes: bool = True,
) -> modes.Runner:
    """The engine on part of the study: ``run(segments, extents, coders)`` compares, on
    each document of ``extents``, those of ``coders`` who coded it according to
    ``coders_by_document`` (the study's assignments unless given). ``unit_codes=False``
    for breakdowns, which show overall coefficients only (see ``segment_report``)."""
    layers = study.coders_by_document if coders_by_document is None else coders_by_document
    boot = (
        BootstrapSettings(
            resamples=req.bootstrap_resamples,
            seed=req.bootstrap_seed,
            alpha_min=alpha_min,
            method="units" if req.bootstrap_method == "units" else "pairs",
        )
        if req.bootstrap_resamples
        else None
    )
    units = study.units
    # Each document's units by position in the study's list, so a part of the report
    # finds its own without a pass over every unit of the study.
    unit_at: dict[str, list[int]] = {}
    for n, u in enumerate(units or ()):
        unit_at.setdefault(u.document, []).append(n)

    def units_of(ext: dict[str, tuple[int, int]]) -> list[Unit] | None:
        if units is None:
            return None
        if len(ext) == len(unit_at) and all(d in ext for d in unit_at):
            return units
        return [units[n] for n in sorted(n for d in ext for n in unit_at.get(d, ()))]

    def run(segs: list[Segment], ext: dict[str, tuple[int, int]], who: list[str]) -> SegmentReport:
        compared = set(who)
        try:
            return segment_report(
                segs,
                ext,
                coders=who,
                coders_by_document={d: compared.intersection(layers.get(d, ())) for d in ext},
                units=units_of(ext),
                min_coverage=req.min_coverage,
                overlap_percent=req.overlap_percent,
                bootstrap=boot,
                alpha_min=alpha_min,
                continuum_intervals=req.unit_mode == "CONTINUUM",
                variance=VarianceSettings(population=req.population),
                unit_codes=unit_codes,
            )
        except AgreementInputError as exc:
            raise InvalidInput(f"Agreement cannot be computed: {exc}.") from None

    return run


def assemble(inputs: AgreementInputs) -> AgreementResult:
    """The whole report: overall, per code, document, coder pair and round, and each
    coder against the consensus layer; for ``compare: ROUNDS`` the test–retest report."""
    if inputs.retest is not None:
        from accord.reports.agreement_retest_compute import assemble_retest

        return assemble_retest(inputs)
    req, study, alpha_min = inputs.request, inputs.study, inputs.alpha_min
    names = list(study.coders.values())
    if inputs.limits is not None and study.units is not None:
        # How many distinct sets of codes the units hold drives the MASI α's cost, and
        # only the units tell; counting them is cheap next to what it guards.
        agreement_cost.check_work(inputs, inputs.limits, distinct_sets(req, study, names))
    run = runner(req, study, alpha_min)
    segments, extents = study.segments, study.extents
    report = run(segments, extents, names)
    overall = modes.overall(req.unit_mode, report, segments, extents, names, run)
    # Breakdowns by document and coder pair show the overall coefficients only.
    run = runner(req, study, alpha_min, unit_codes=False)

    # Segments by document and by coder, in the study's order, found once: each part of
    # the report then reads its own segments, not the whole study's.
    at_document: dict[str, list[int]] = {}
    at_coder: dict[str, list[int]] = {}
    for n, s in enumerate(segments):
        at_document.setdefault(s.document, []).append(n)
        at_coder.setdefault(s.coder, []).append(n)

    per_document = []
    for d in study.documents:
        key = str(d.id)
        segs = [segments[n] for n in at_document.get(key, ())]
        one = {key: extents[key]}
        sub = run(segs, one, names)
        per_document.append(
            Breakdown(
                key,
                d.title,
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
        either = sorted(at_coder.get(a, []) + at_coder.get(b, []))
        segs = [segments[n] for n in either if segments[n].document in both]
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
    for other in inputs.rounds:
        if other.id == study.round.id:
            per_round.append(Breakdown(str(other.id), other.name, overall, segments=len(segments)))
        else:
            other_study = inputs.other_studies.get(other.id)
            values = _round_values(req, other_study, alpha_min)
            read = len(other_study.segments) if other_study is not None else 0
            per_round.append(Breakdown(str(other.id), other.name, values, segments=read))

    # Segments name codes by their path at the chosen level; the drill-down wants ids.
    code_ids = {label: key for key, label in study.level.values()}
    per_code_segments = Counter(s.code for s in segments)
    titles = {str(d.id): d.title for d in study.documents}

    return AgreementResult(
        parameters=_parameters(req, study, alpha_min),
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
        coder_vs_consensus=coder_vs_consensus(
            inputs.consensus,
            study,
            req.unit_mode,
            req.overlap_percent,
            lambda layers: runner(req, study, alpha_min, layers),
        ),
        excluded_documents=excluded_documents(study),
        code_names=sorted({study.level[c][1] for c in study.code_filter if c in study.level})
        if study.code_filter
        else None,
        character_per_document=[
            DocumentCharacter(
                code=code,
                code_id=code_ids.get(code),
                document_id=doc,
                document=titles.get(doc, doc),
                percent_agreement=ch.percent_agreement,
                cohen_kappa=ch.cohen_kappa,
            )
            for code, cr in report.per_code.items()
            for doc, ch in cr.character_kappa_per_document.items()
        ],
    )


def excluded_documents(study: Study) -> list[Exclusion]:
    """The selected documents fewer than two of the compared coders have coded in the
    round (assigned and started): no coefficient compares them (the engine leaves them
    out)."""
    out = []
    for d in study.documents:
        n = len(study.coders_by_document.get(str(d.id), ()))
        waiting = len(study.not_started.get(str(d.id), ()))
        if n >= 2:
            continue
        if n + waiting == 0:
            reason = "no coder was assigned to it in this round"
        elif waiting == 0:
            reason = "only one of the compared coders was assigned to it in this round"
        else:
            reason = (
                f"{'none' if n == 0 else 'only one'} of the {n + waiting} coders assigned to "
                "it in this round had started it (made a coding or submitted it)"
            )
        units = sum(1 for u in study.units or () if u.document == str(d.id))
        out.append(Exclusion(str(d.id), d.title, reason, units))
    return out


def distinct_sets(req: AgreementRequest, study: Study, names: list[str]) -> int:
    """How many different sets of codes the coders gave the units (the values of the
    MASI α), the empty set included."""
    compared = set(names)
    layers = {d: compared.intersection(study.coders_by_document.get(d, ())) for d in study.extents}
    table = build_table(study.segments, study.extents, coders=names, coders_by_document=layers)
    if len(table.coders) < 2 or not study.units:
        return 1
    try:
        presence = unit_presence(table, study.units, req.min_coverage)
    except AgreementInputError as exc:
        raise InvalidInput(f"Agreement cannot be computed: {exc}.") from None
    return len({s for row in presence.sets for s in row if s is not None})


def _round_values(
    req: AgreementRequest, study: Study | None, alpha_min: float
) -> dict[str, Coefficient]:
    """Another round, with the same parameters, so training progress shows. A round
    whose agreement is undefined says why instead of failing the whole report."""
    try:
        if study is None or not study.documents:
            raise InvalidInput(NO_DOCUMENTS)
        names = list(study.coders.values())
        run = runner(req, study, alpha_min, unit_codes=False)
        report = run(study.segments, study.extents, names)
        return modes.overall(req.unit_mode, report, study.segments, study.extents, names, run)
    except InvalidInput as exc:
        return {HEADLINE[req.unit_mode]: undefined(exc.message)}


def _parameters(req: AgreementRequest, study: Study, alpha_min: float) -> dict[str, Any]:
    the_round = study.round
    return {
        "unitMode": req.unit_mode,
        "unitKind": req.unit_kind if req.unit_mode == "UNITS" else None,
        "minCoverage": req.min_coverage if req.unit_mode == "UNITS" else None,
        "overlapPercent": req.overlap_percent,
        "roundId": str(the_round.id),
        "round": the_round.name,
        "codeLevel": req.code_level,
        "coders": list(study.coders.values()),
        "documentIds": [str(d.id) for d in study.documents],
        "codeIds": sorted(str(c) for c in study.code_filter) if study.code_filter else None,
        "bootstrap": {
            "resamples": req.bootstrap_resamples,
            "seed": req.bootstrap_seed,
            # CONTINUUM resamples documents; elsewhere α's bootstrap resamples value pairs
            # (Hayes & Krippendorff 2007) or units.
            "method": "documents" if req.unit_mode == "CONTINUUM" else req.bootstrap_method,
        }
        if req.bootstrap_resamples
        else None,
        "population": req.population,
        "alphaMin": alpha_min,
    }


def counts_of(report: SegmentReport) -> dict[str, Any]:
    """What the run read (see :func:`_counts`)."""
    return _counts(report)


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
