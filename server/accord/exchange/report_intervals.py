"""The reliability report's intervals: each interval with its method, a section naming
the methods a run used, and NVivo's per-document character κ next to the pooled one."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from accord.agreement.result import Coefficient
from accord.reports.agreement import AgreementResult


def _value(c: Coefficient) -> str:
    return f"{c.value:.3f}" if c.value is not None else escape(c.undefined_reason or "")


#: Short labels of the interval methods in table cells (the Intervals section spells
#: each out).
INTERVAL_LABELS = {
    "gwet_variance": "Gwet SE",
    "bootstrap_pairs": "bootstrap, pairs",
    "bootstrap_units": "bootstrap, units",
    "bootstrap_documents": "bootstrap, documents",
}


def interval_cell(c: Coefficient) -> str:
    """The interval with its method (and SE), or why there is none; never empty."""
    iv = c.interval
    if iv is None:
        if c.value is not None and c.no_interval_reason:
            return escape(c.no_interval_reason)
        return "—"
    se = f"; SE {c.standard_error:.3f}" if c.standard_error is not None else ""
    return f"[{iv.low:.3f}, {iv.high:.3f}] ({INTERVAL_LABELS[iv.method]}{se})"


def _all_coefficients(result: AgreementResult) -> list[Coefficient]:
    items = [*result.per_code, *result.per_document, *result.coder_pairs, *result.per_round]
    return [*result.coefficients.values(), *(c for b in items for c in b.coefficients.values())]


def intervals_section(result: AgreementResult) -> str:
    """Which interval methods this report used, in words, with resamples and seed."""
    seen: dict[str, Coefficient] = {}
    for c in _all_coefficients(result):
        if c.interval is not None:
            seen.setdefault(c.interval.method, c)
    if not seen:
        return "<p>No confidence intervals were computed in this run.</p>"
    rows = []
    for method, c in seen.items():
        iv = c.interval
        assert iv is not None
        rows.append(
            f"<tr><td>{escape(INTERVAL_LABELS[method])}</td><td>{escape(iv.description)}</td>"
            f"<td>{escape(iv.settings)}</td></tr>"
        )
    return (
        "<table><thead><tr><th>In the tables</th><th>Method</th><th>Settings</th></tr>"
        f"</thead><tbody>{''.join(rows)}</tbody></table>"
    )


def character_per_document_section(result: AgreementResult, titles: Mapping[str, str]) -> str:
    """NVivo's per-source character κ; only CHARACTER mode reports character κ."""
    if result.parameters.get("unitMode") != "CHARACTER" or not result.character_per_document:
        return ""
    rows = "".join(
        f"<tr><td>{escape(d.code)}</td><td>{escape(titles.get(d.document_id, d.document))}</td>"
        f"<td class='num'>{_value(d.cohen_kappa)}</td>"
        f"<td class='num'>{_value(d.percent_agreement)}</td></tr>"
        for d in result.character_per_document
    )
    scope = next(
        (c.scope for b in result.per_code for c in b.coefficients.values() if c.scope), None
    )
    note = f"<p>The per-code character κ above is {escape(scope)}.</p>" if scope else ""
    return (
        f"<h2>Character κ per document</h2>{note}<table><thead><tr><th>Code</th>"
        "<th>Document</th><th>Cohen's κ</th><th>Percent agreement</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )
