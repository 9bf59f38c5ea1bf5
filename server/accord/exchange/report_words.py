"""A project's agreement run in words: the methods paragraph's facts, the parameters that
applied, and what was left out and why. The report and the API's ``methodsParagraph``
both read them from here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from accord.agreement import methods, naming
from accord.agreement.methods import Family, MethodsFacts, plural
from accord.agreement.result import TENTATIVE
from accord.reports.agreement import AgreementResult

MODES = {
    "CONTINUUM": "Continuum (unitizing): the coded stretches of text as drawn",
    "UNITS": "Predefined units",
    "SEGMENT_MATCH": "Segment matching (as in MAXQDA)",
    "CHARACTER": "Characters (as in NVivo's coding comparison)",
}
LEVELS = {
    "CODE": "Codes, each on its own",
    "GROUP": "Code groups: each code counted as its group (the codebook's second level)",
    "CATEGORY": "Categories: each code counted as its category (the codebook's top level)",
}
_LEVEL_PHRASE = {
    "CODE": "each code compared on its own",
    "GROUP": "codes counted as their code group",
    "CATEGORY": "codes counted as their top-level category",
}


def _kind(parameters: Mapping[str, Any]) -> str:
    """``speaker turn``, ``paragraph``, ``sentence``."""
    return str(parameters.get("unitKind") or "PARAGRAPH").lower().replace("_", " ")


def _coverage(parameters: Mapping[str, Any]) -> str:
    cover = float(parameters.get("minCoverage") or 0.0)
    return f"covers at least {cover:.0%} of it" if cover else "covers any part of it"


def unit_of_analysis(parameters: Mapping[str, Any], counts: Mapping[str, Any]) -> tuple[str, str]:
    """(what the unit of analysis is, how many units there were), in words."""
    mode = parameters.get("unitMode", "CONTINUUM")
    length = int(counts.get("continuum_length") or 0)
    if mode == "UNITS":
        kind = _kind(parameters)
        return (
            f"predefined {kind}s, a code counting as present in a {kind} when a coder's "
            f"segment {_coverage(parameters)}",
            plural(int(counts.get("units") or 0), kind),
        )
    if mode == "SEGMENT_MATCH":
        overlap = float(parameters.get("overlapPercent", 90.0))
        return (
            "coded segments, two coders' segments of the same code matching when they "
            f"overlap by at least {overlap:g}%",
            plural(compared_segments(counts), "coded segment"),
        )
    if mode == "CHARACTER":
        return (
            "single characters, each judged coded (with any code) or not overall, and coded "
            "with the code or not per code",
            plural(length, "character"),
        )
    return (
        "the continuum of characters, each coder's segments taken as they were drawn "
        "(no predefined units)",
        plural(length, "character"),
    )


def compared_units(result: AgreementResult) -> tuple[int, int]:
    """Units mode: (units on the compared documents, of those how many were left out
    because fewer than two coders gave a value); the units of a document not compared
    are counted with that document, not here."""
    with_documents = sum(e.units for e in result.excluded_documents)
    units = int(result.counts.get("units") or 0) - with_documents
    excluded = int(result.counts.get("units_excluded") or 0) - with_documents
    return max(units, 0), max(excluded, 0)


def compared_documents(counts: Mapping[str, Any]) -> int:
    return int(counts.get("documents") or 0) - int(counts.get("documents_excluded") or 0)


def compared_segments(counts: Mapping[str, Any]) -> int:
    return int(counts.get("segments") or 0) - int(counts.get("segments_not_compared") or 0)


def _material(result: AgreementResult) -> str:
    p, counts = result.parameters, result.counts
    _unit, how_many = unit_of_analysis(p, counts)
    if p.get("unitMode") == "UNITS":
        how_many = plural(compared_units(result)[0], _kind(p))
    coders = len(p.get("coders") or counts.get("coders") or [])
    merged = int(counts.get("segments_merged") or 0)
    level = _LEVEL_PHRASE.get(str(p.get("codeLevel", "CODE")), "each code compared on its own")
    if result.code_names:
        level += f", on {plural(len(result.code_names), 'selected code')}"
    details = [how_many]
    if p.get("unitMode") != "SEGMENT_MATCH":
        details.append(plural(compared_segments(counts), "coded segment"))
    if merged:
        details.append(
            f"{plural(merged, 'overlapping segment')} of one code by one coder merged "
            "into the segment they overlap"
        )
    details += [f"round “{p.get('round', '')}”", level]
    return (
        f"{plural(coders, 'coder')} coded {plural(compared_documents(counts), 'document')} "
        f"independently ({'; '.join(details)})."
    )


def _exclusions(result: AgreementResult) -> list[str]:
    out = []
    left = result.excluded_documents
    if left:
        titles = methods.listing([f"“{e.label}”" for e in left])
        were = "was" if len(left) == 1 else "were"
        out.append(
            f"{plural(len(left), 'further document')} {were} not compared, because "
            f"fewer than two coders had coded {'it' if len(left) == 1 else 'them'} in the "
            f"round: {titles}."
        )
    units, excluded = compared_units(result)
    if result.parameters.get("unitMode") == "UNITS" and excluded:
        kind = _kind(result.parameters)
        out.append(
            f"{plural(excluded, kind)} of {units:,} {'was' if excluded == 1 else 'were'} left "
            "out because fewer than two coders gave a value there."
        )
    return out


def methods_facts(result: AgreementResult) -> MethodsFacts:
    p = result.parameters
    unit, _how_many = unit_of_analysis(p, result.counts)
    per_code_keys = [k for b in result.per_code for k in b.coefficients]
    companions, families, others = methods.split(
        result.headline, list(result.coefficients), per_code=per_code_keys
    )
    boot = p.get("bootstrap")
    return MethodsFacts(
        headline=result.headline,
        coefficient=result.coefficients.get(result.headline),
        unit=unit,
        material=_material(result),
        alpha_min=result.alpha_min,
        exclusions=_exclusions(result),
        resamples=int(boot["resamples"]) if isinstance(boot, dict) else None,
        companions=[(k, result.coefficients[k]) for k in companions],
        families=[
            Family(
                key,
                overall=None if key == result.headline else result.coefficients.get(key),
                values=[b.coefficients[key] for b in result.per_code if key in b.coefficients],
            )
            for key in families
        ],
        others=others,
    )


def methods_paragraph(result: AgreementResult) -> str:
    """A paragraph for a paper's methods section, with this run's numbers (plain text)."""
    if result.parameters.get("compare") == "ROUNDS":
        from accord.exchange.report_retest import retest_paragraph

        return retest_paragraph(result)
    return methods.paragraph(methods_facts(result))


def parameter_rows(result: AgreementResult) -> list[tuple[str, str]]:
    """The parameters that applied to the run, in words, as (name, value) rows."""
    p, counts = result.parameters, result.counts
    mode = str(p.get("unitMode", "CONTINUUM"))
    rows = [("Unit of analysis", MODES.get(mode, mode))]
    if mode == "UNITS":
        kind = _kind(p)
        rows.append(("Units", f"{kind}s"))
        rows.append(("A code is present in a unit when", f"a coder's segment {_coverage(p)}"))
    if mode == "SEGMENT_MATCH":
        rows.append(
            ("Segments match when", f"they overlap by at least {float(p['overlapPercent']):g}%")
        )
    rows.append(("Round", str(p.get("round") or "")))
    rows.append(("Codes", LEVELS.get(str(p.get("codeLevel")), str(p.get("codeLevel")))))
    if result.code_names:
        rows.append(("Selected codes", ", ".join(result.code_names)))
    rows.append(("Coders", ", ".join(p.get("coders") or []) or "none"))
    left = len(result.excluded_documents)
    documents = plural(compared_documents(counts), "document") + " compared"
    if left:
        documents += f"; {left:,} not compared (see Units and exclusions)"
    rows.append(("Documents", documents))
    boot = p.get("bootstrap")
    rows.append(
        (
            "Bootstrap",
            f"{int(boot['resamples']):,} resamples, seed {boot['seed']} "
            f"({naming.in_parentheses(naming.HAYES_2007)})"
            if isinstance(boot, dict)
            else "none: no confidence intervals",
        )
    )
    rows.append(
        (
            "Reliability thresholds (α family only)",
            f"reliable at α ≥ {result.alpha_min:.3f}; tentative from {TENTATIVE:.3f}",
        )
    )
    return rows


def exclusion_rows(result: AgreementResult) -> list[tuple[str, str]]:
    """What the run read and what it left out, with the reasons, as (what, how many)."""
    c = result.counts
    rows = [
        ("Documents compared", f"{compared_documents(c):,}"),
        ("Documents not compared", f"{len(result.excluded_documents):,}"),
    ]
    rows += [(f"“{e.label}” not compared", e.reason) for e in result.excluded_documents]
    rows.append(("Coded segments compared", f"{compared_segments(c):,}"))
    not_compared = int(c.get("segments_not_compared") or 0)
    if not_compared:
        rows.append(("Coded segments on documents not compared", f"{not_compared:,}"))
    rows.append(
        (
            "Overlapping segments of one code by one coder, merged",
            f"{int(c.get('segments_merged') or 0):,}",
        )
    )
    if result.parameters.get("unitMode") == "UNITS":
        units, excluded = compared_units(result)
        rows.append(("Units on the documents compared", f"{units:,}"))
        rows.append(
            (
                "Units excluded",
                "none" if not excluded else f"{excluded:,}: fewer than two coders gave a value",
            )
        )
    return rows
