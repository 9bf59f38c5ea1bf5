"""The test–retest (``compare: ROUNDS``) report from data already read: each coder's two
rounds compared as two coders (stability), per coder, pooled over coders (each
(document, coder) a document of its own), per code and per document, in the unit mode
asked for. See :mod:`accord.agreement.retest` for the pooling and
:mod:`accord.reports.agreement_retest` for what is read.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import Any

from accord.agreement.bootstrap import BootstrapSettings
from accord.agreement.errors import AgreementInputError
from accord.agreement.report import SegmentReport, segment_report
from accord.agreement.retest import pooled_name
from accord.agreement.segments import Segment
from accord.errors import InvalidInput
from accord.reports import agreement_modes as modes
from accord.reports.agreement_compute import (
    AgreementInputs,
    AgreementResult,
    Breakdown,
    counts_of,
)
from accord.reports.agreement_retest import RetestStudy


def _runner(inputs: AgreementInputs, retest: RetestStudy) -> modes.Runner:
    req = inputs.request
    boot = (
        BootstrapSettings(
            resamples=req.bootstrap_resamples, seed=req.bootstrap_seed, alpha_min=inputs.alpha_min
        )
        if req.bootstrap_resamples
        else None
    )
    # Units of the real documents and of the pooled ones: their document names differ.
    units = (
        [*(retest.units or ()), *(retest.pooled.units or ())] if retest.units is not None else None
    )

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
                alpha_min=inputs.alpha_min,
            )
        except AgreementInputError as exc:
            raise InvalidInput(f"Agreement cannot be computed: {exc}.") from None

    return run


def assemble_retest(inputs: AgreementInputs) -> AgreementResult:
    retest = inputs.retest
    assert retest is not None
    req = inputs.request
    mode = req.unit_mode
    pair = [r.name for r in retest.rounds]
    run = _runner(inputs, retest)

    def layers(coder: str, docs: list[str]) -> list[Segment]:
        return [
            Segment(s.document, r, s.code, s.start, s.end)
            for r, s in retest.segments
            if s.coder == coder and s.document in docs
        ]

    def pooled(who: dict[str, list[str]]) -> tuple[list[Segment], dict[str, tuple[int, int]]]:
        segs = [
            Segment(pooled_name(s.document, c), s.coder, s.code, s.start, s.end)
            for c, docs in who.items()
            for s in layers(c, docs)
        ]
        ext = {pooled_name(d, c): retest.extents[d] for c, docs in who.items() for d in docs}
        return segs, ext

    per_coder = []
    for coder, docs in retest.documents_by_coder.items():
        segs = layers(coder, docs)
        ext = {d: retest.extents[d] for d in docs}
        sub = run(segs, ext, pair)
        per_coder.append(
            Breakdown(
                coder,
                coder,
                modes.overall(mode, sub, segs, ext, pair, run),
                counts={"documents": len(docs)},
                segments=len(segs),
            )
        )
    segments, extents = pooled(retest.documents_by_coder)
    report = run(segments, extents, pair)
    overall = modes.overall(mode, report, segments, extents, pair, run)
    per_document = []
    for d in retest.documents:
        key = str(d.id)
        who = {c: [key] for c, docs in retest.documents_by_coder.items() if key in docs}
        segs, ext = pooled(who)
        sub = run(segs, ext, pair)
        per_document.append(
            Breakdown(
                key, d.title, modes.overall(mode, sub, segs, ext, pair, run), segments=len(segs)
            )
        )
    code_ids = {label: key for key, label in retest.pooled.level.values()}
    per_code_segments = Counter(s.code for s in segments)
    counts = counts_of(report)
    counts.update(
        documents=len(retest.documents),
        coder_documents=len(extents),
        coders=list(retest.documents_by_coder),
        rounds=pair,
    )
    return AgreementResult(
        parameters=_parameters(inputs, retest),
        headline=modes.HEADLINE[mode],
        coefficients=overall,
        per_code=[
            Breakdown(
                code,
                code,
                modes.per_code(mode, cr),
                segments=per_code_segments[code],
                code_id=code_ids.get(code),
            )
            for code, cr in report.per_code.items()
        ],
        per_document=per_document,
        per_round=[],
        coder_pairs=[],
        counts=counts,
        alpha_min=inputs.alpha_min,
        raw_csv=raw_csv(retest.segments),
        per_coder=per_coder,
    )


def _parameters(inputs: AgreementInputs, retest: RetestStudy) -> dict[str, Any]:
    req = inputs.request
    first, second = retest.rounds
    code_filter = retest.pooled.code_filter
    return {
        "compare": "ROUNDS",
        "unitMode": req.unit_mode,
        "unitKind": req.unit_kind if req.unit_mode == "UNITS" else None,
        "minCoverage": req.min_coverage if req.unit_mode == "UNITS" else None,
        "overlapPercent": req.overlap_percent,
        "roundIds": [str(first.id), str(second.id)],
        "rounds": [first.name, second.name],
        "round": f"{first.name} and {second.name}",
        "interval": retest.interval,
        "codeLevel": req.code_level,
        "coders": list(retest.documents_by_coder),
        "documentIds": [str(d.id) for d in retest.documents],
        "codeIds": sorted(str(c) for c in code_filter) if code_filter else None,
        "bootstrap": {"resamples": req.bootstrap_resamples, "seed": req.bootstrap_seed}
        if req.bootstrap_resamples
        else None,
        "alphaMin": inputs.alpha_min,
    }


def raw_csv(segments: list[tuple[str, Segment]]) -> str:
    """The run's data as a segments CSV with a round column, which
    ``accord agreement FILE --round-column round`` reads back."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["document", "coder", "code", "start", "end", "round"])
    for r, s in segments:
        writer.writerow([s.document, s.coder, s.code, s.start, s.end, r])
    return out.getvalue()
