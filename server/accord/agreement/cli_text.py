"""``accord agreement``'s readable output: coefficients named as the literature names
them, percentages as percentages, exclusions in plain English, and a methods paragraph
written by the same code as the report's (:mod:`accord.agreement.methods`).

Every table is a list of :class:`Row` drawn by :func:`table`, so a further coefficient
is one more row. The machine ids stay in ``--format json``.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any

from accord.agreement import methods, naming
from accord.agreement.cli_intervals import MARKS, character_per_document, interval_notes
from accord.agreement.methods import Family, MethodsFacts, listing, number, plural
from accord.agreement.report import ReliabilityReport, SegmentReport
from accord.agreement.result import Coefficient, verdict

WIDTH = 96
HEADLINE_SEGMENTS = "u_alpha"
HEADLINE_RELIABILITY = "krippendorff_alpha"


@dataclass(frozen=True)
class Row:
    """One coefficient in a table: its id (for the verdict rule), what to call it, and
    its value."""

    key: str
    label: str
    coefficient: Coefficient


def rows(coefficients: dict[str, Coefficient], suffix: str = "") -> list[Row]:
    return [Row(k, naming.label(k) + suffix, c) for k, c in coefficients.items()]


def _cells(row: Row, alpha_min: float) -> list[str]:
    c, key = row.coefficient, row.key
    if c.value is None:
        return [row.label, "undefined", "", "", "", f"({c.undefined_reason})"]
    ci = ""
    if c.interval is not None:
        iv = c.interval
        ci = f"[{number(key, iv.low)}, {number(key, iv.high)}]{MARKS[iv.method]}"
    elif c.ci_low is not None and c.ci_high is not None:
        ci = f"[{number(key, c.ci_low)}, {number(key, c.ci_high)}]"
    se = number(key, c.standard_error) if c.standard_error is not None else ""
    q = f"{c.q_below_min:.3f}" if c.q_below_min is not None else ""
    said = verdict(c.value, alpha_min) if naming.has_verdict(key) else "no verdict"
    return [row.label, number(key, c.value), se, ci, q, said]


def table(items: list[Row], alpha_min: float) -> list[str]:
    """The rows as aligned columns: coefficient, value, SE, 95% CI (marked with its
    method), q(α < α_min), verdict; then what each mark means and why a coefficient has
    no interval. The SE and q columns show only when some row has one."""
    head = ["coefficient", "value", "SE", "95% CI", f"q(α < {alpha_min:.3f})", "verdict"]
    body = [_cells(r, alpha_min) for r in items]
    columns = [i for i in range(6) if i not in (2, 4) or any(cells[i] for cells in body)]
    width = {i: max(len(x[i]) for x in [head, *body]) for i in columns[:-1]}
    out = []
    for cells in [head, *body]:
        parts = []
        for i in columns[:-1]:
            parts.append(cells[i].rjust(width[i]) if i in (1, 2) else cells[i].ljust(width[i]))
        parts.append(cells[columns[-1]])
        out.append(("  " + "  ".join(parts)).rstrip())
    return out + interval_notes([(r.label, r.coefficient) for r in items])


def excluded_units(excluded: int, reason: str) -> str:
    """``no unit was excluded`` / ``3 units excluded: fewer than two coders gave a value``."""
    if excluded == 0:
        return "no unit was excluded"
    return f"{plural(excluded, 'unit')} excluded: {reason}"


def _paragraph(facts: MethodsFacts) -> list[str]:
    text = methods.paragraph(facts)
    return ["Methods", *textwrap.wrap(text, WIDTH, initial_indent="  ", subsequent_indent="  ")]


def _closing(facts: MethodsFacts, methods: bool) -> list[str]:
    """The verdict rule and the methods paragraph (left out inside a test–retest report,
    which is not inter-coder reliability)."""
    if not methods:
        return []
    return ["", *textwrap.wrap(naming.VERDICT_RULE, WIDTH), "", *_paragraph(facts)]


def reliability_text(report: ReliabilityReport, methods: bool = True) -> str:
    counts, alpha_min = report.counts, report.alpha_min
    weights = "unweighted" if report.weights == "identity" else f"{report.weights} weights"
    lines = [
        f"Reliability data: {plural(counts.units, 'unit')} rated by "
        f"{plural(counts.coders, 'coder')}; {report.level} level for α; κ-like coefficients "
        f"{weights}.",
        f"{plural(counts.used, 'unit')} used; "
        f"{excluded_units(counts.excluded, counts.exclusion_reason)}.",
        "",
        *table(rows(report.coefficients), alpha_min),
        *_closing(reliability_facts(report), methods),
    ]
    return "\n".join(lines)


def reliability_facts(report: ReliabilityReport) -> MethodsFacts:
    counts = report.counts
    key = HEADLINE_RELIABILITY
    _companions, _families, others = methods.split(key, list(report.coefficients))
    exclusions = []
    if counts.excluded:
        were = "was" if counts.excluded == 1 else "were"
        exclusions.append(
            f"{plural(counts.excluded, 'unit')} {were} left out because {counts.exclusion_reason}."
        )
    return MethodsFacts(
        headline=key,
        coefficient=report.coefficients.get(key),
        unit=f"each unit of the file, given one value per coder at the {report.level} level "
        "of measurement",
        material=f"{plural(counts.coders, 'coder')} rated {plural(counts.units, 'unit')}.",
        alpha_min=report.alpha_min,
        exclusions=exclusions,
        resamples=report.bootstrap.resamples if report.bootstrap is not None else None,
        others=others,
    )


def _left_out(info: dict[str, Any]) -> str | None:
    left = info.get("users_left_out") or []
    if not left:
        return None
    names = listing([f"“{n}”" for n in left])
    return (
        f"{plural(len(left), 'user')} of the project who coded nothing "
        f"{'was' if len(left) == 1 else 'were'} left out, not counted as "
        f"{'a coder' if len(left) == 1 else 'coders'}: {names}."
    )


def segment_facts(report: SegmentReport) -> MethodsFacts:
    info = report.input
    key = HEADLINE_SEGMENTS
    per_code: dict[str, list[Coefficient]] = {"unitizing_alpha_2004": [], "k_u_alpha": []}
    unit_values: list[Coefficient] = []
    for r in report.per_code.values():
        per_code["unitizing_alpha_2004"].append(r.unitizing_alpha_2004)
        per_code["k_u_alpha"].append(r.k_u_alpha)
        if r.units is not None and "krippendorff_alpha" in r.units:
            unit_values.append(r.units["krippendorff_alpha"])
    others = ["percent_agreement", "brennan_prediger", "cohen_kappa"]
    families = [
        Family(k, overall=report.coefficients.get(k), values=v) for k, v in per_code.items()
    ]
    if "units_masi_alpha" in report.coefficients:
        families.append(Family("units_masi_alpha", overall=report.coefficients["units_masi_alpha"]))
    if unit_values:
        families.append(Family("krippendorff_alpha", values=unit_values))
    exclusions = [s for s in [_left_out(info)] if s]
    if info.get("documents_excluded"):
        exclusions.append(
            f"{plural(int(info['documents_excluded']), 'document')} coded by fewer than two "
            "coders were left out."
        )
    merged = int(info.get("segments_merged") or 0)
    merged_text = (
        f"; {plural(merged, 'overlapping segment')} of one code by one coder merged"
        if merged
        else ""
    )
    documents = int(info["documents"]) - int(info.get("documents_excluded") or 0)
    return MethodsFacts(
        headline=key,
        coefficient=report.coefficients.get(key),
        unit="the continuum of characters, each coder's segments taken as they were drawn "
        "(no predefined units)",
        material=f"{plural(len(info['coders']), 'coder')} coded "
        f"{plural(documents, 'document')} independently "
        f"({plural(int(info['continuum_length']), 'character')}; "
        f"{plural(int(info['segments']), 'coded segment')}; "
        f"{plural(len(info['codes']), 'code')}{merged_text}).",
        alpha_min=report.alpha_min,
        exclusions=exclusions,
        resamples=int(info["bootstrap"]["resamples"]) if info.get("bootstrap") else None,
        companions=[
            (k, c)
            for k, c in report.coefficients.items()
            if k in ("binary_u_alpha", "cu_alpha", "cu_alpha_across_groups")
        ],
        families=families,
        others=others,
    )


def segment_text(report: SegmentReport, methods: bool = True) -> str:
    info, alpha_min = report.input, report.alpha_min
    merged = int(info.get("segments_merged") or 0)
    lines = [f"warning: {w}" for w in info.get("warnings", ())]
    lines += [
        f"Coded segments: {plural(int(info['segments']), 'segment')} by "
        f"{plural(len(info['coders']), 'coder')}, {plural(len(info['codes']), 'code')}, "
        f"{plural(int(info['documents']), 'document')}; continuum "
        f"{plural(int(info['continuum_length']), 'character')}; "
        + (
            f"{plural(merged, 'overlapping segment')} merged."
            if merged
            else "no overlapping segments merged."
        ),
    ]
    left = _left_out(info)
    if left:
        lines.append(left[:1].upper() + left[1:])
    m = report.segment_match
    lines += [
        "",
        "Overall",
        *table(rows(report.coefficients), alpha_min),
        f"  Segment matching (overlap ≥ {info['overlap_percent']:g}%): {m.agreements:,} of "
        f"{m.agreements + m.disagreements:,} segments match.",
        *table(
            [
                Row(
                    "percent_agreement", "Percent agreement, matched segments", m.percent_agreement
                ),
                Row(
                    "brennan_prediger",
                    "Brennan and Prediger's κ, matched segments",
                    m.brennan_prediger,
                ),
            ],
            alpha_min,
        ),
    ]
    if report.groups:
        lines += ["", "Krippendorff's cuα within each code group"]
        lines += table([Row("cu_alpha", g, c) for g, c in report.groups.items()], alpha_min)
    for code, r in report.per_code.items():
        items = [
            Row(
                "unitizing_alpha_2004", naming.label("unitizing_alpha_2004"), r.unitizing_alpha_2004
            ),
            Row("k_u_alpha", naming.label("k_u_alpha"), r.k_u_alpha),
            Row(
                "percent_agreement",
                "Percent agreement, matched segments",
                r.segment_match.percent_agreement,
            ),
            Row(
                "brennan_prediger",
                "Brennan and Prediger's κ, matched segments",
                r.segment_match.brennan_prediger,
            ),
            Row(
                "percent_agreement",
                "Percent agreement, characters",
                r.character_kappa.percent_agreement,
            ),
            Row("cohen_kappa", "Cohen's κ, characters", r.character_kappa.cohen_kappa),
        ]
        if r.units is not None:
            items += rows(r.units, ", units")
        lines += ["", f"Code: {code}", *table(items, alpha_min)]
        if r.unit_counts is not None:
            u = r.unit_counts
            lines.append(
                f"  Units: {u.used:,} used; {excluded_units(u.excluded, u.exclusion_reason)}."
            )
    lines += character_per_document(report)
    lines += _closing(segment_facts(report), methods)
    return "\n".join(lines)


def render_table(report: ReliabilityReport | SegmentReport, methods: bool = True) -> str:
    """The default, human-readable report; ``methods``: end with the verdict rule and a
    methods paragraph."""
    if isinstance(report, ReliabilityReport):
        return reliability_text(report, methods)
    return segment_text(report, methods)
