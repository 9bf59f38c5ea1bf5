"""How each unit mode reads a segment report: the coefficients it reports overall and
per code. CHARACTER overall is NVivo's question "was this character coded at all",
every code collapsed into one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from accord.agreement.report import SegmentReport
from accord.agreement.result import Coefficient, undefined
from accord.agreement.segments import Segment

ANY_CODE = "(any code)"

# (segments, extents, coders) -> report; raises a user error when agreement is undefined.
Runner = Callable[[list[Segment], dict[str, tuple[int, int]], list[str]], SegmentReport]

#: The coefficient each mode leads with, and why:
#:
#: - CONTINUUM: Krippendorff's uα (2016), unitizing and coding judged at once, which is
#:   the mode's whole question; the 2016 definition corrects α_U (2004) for more than
#:   two coders. It belongs to α's family, so it gets a verdict.
#: - UNITS: α with the MASI distance, all codes of a unit compared as one set; an α, so
#:   it gets a verdict.
#: - SEGMENT_MATCH: the Brennan–Prediger coefficient on matched segments, as MAXQDA
#:   reports it. A match table has no "neither coder" cell, so no α is defined on it,
#:   and no published threshold applies to BP: it is shown with no verdict.
#: - CHARACTER: Cohen's κ on "was this character coded at all", as NVivo reports it;
#:   no verdict (for a verdict on that question, CONTINUUM gives |uα).
#:
#: Verdicts follow :func:`accord.reports.agreement_compute.judged`.
HEADLINE = {
    "CONTINUUM": "u_alpha",
    "UNITS": "units_masi_alpha",
    "SEGMENT_MATCH": "brennan_prediger",
    "CHARACTER": "cohen_kappa",
}


def overall(
    mode: str,
    report: SegmentReport,
    segs: list[Segment],
    ext: dict[str, tuple[int, int]],
    who: list[str],
    run: Runner,
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
    found = run(collapsed, ext, who).per_code.get(ANY_CODE)
    if found is None:
        # Every segment was left out: on a document fewer than two coders coded.
        reason = next(
            (c.undefined_reason for c in report.coefficients.values() if c.undefined_reason),
            "no document was coded by two or more of the compared coders",
        )
        return {"percent_agreement": undefined(reason), "cohen_kappa": undefined(reason)}
    any_code = found.character_kappa
    return {"percent_agreement": any_code.percent_agreement, "cohen_kappa": any_code.cohen_kappa}


def per_code(mode: str, cr: Any) -> dict[str, Coefficient]:
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
