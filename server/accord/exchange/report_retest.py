"""The test–retest parts of the reliability report: the methods paragraph that names the
rounds and the interval between them, and the per-coder stability table."""

from __future__ import annotations

from html import escape
from typing import Any

from accord.agreement import naming
from accord.agreement.methods import number, plural
from accord.agreement.result import TENTATIVE, Coefficient
from accord.exchange import report_html as base
from accord.exchange.report_words import unit_of_analysis
from accord.reports.agreement import AgreementResult


def interval_words(interval: dict[str, Any] | None) -> str:
    if not interval:
        return "the time between the two codings is not known (no assignment was submitted)"
    median, lo, hi = interval["median_days"], interval["min_days"], interval["max_days"]
    span = f"{lo:.1f} to {hi:.1f} days" if hi > lo else f"{lo:.1f} days for every document"
    if lo < 0:
        span += "; a negative interval means the second round's coding came first"
    return (
        f"a median of {median:.1f} days apart (range {span}, measured on "
        f"{interval['measured']:,} of {interval['pairs']:,} coder–document pairs)"
    )


def _value_words(key: str, c: Coefficient | None, p: dict[str, Any]) -> str:
    if c is None or c.value is None:
        reason = c.undefined_reason if c is not None else None
        return f"could not be computed ({reason or 'no value'})"
    text = f"was {number(key, c.value)}"
    if c.ci_low is not None and c.ci_high is not None:
        boot = p.get("bootstrap") or {}
        return text + (
            f" (95% CI {number(key, c.ci_low)} to {number(key, c.ci_high)}, "
            f"{boot.get('resamples', 0):,} bootstrap resamples)"
        )
    if p.get("bootstrap"):
        return text + " (the bootstrap gives no interval for this coefficient)"
    return text + " (no confidence interval: no bootstrap was run)"


def retest_paragraph(result: AgreementResult) -> str:
    """The methods paragraph of a ``compare: ROUNDS`` run (plain text)."""
    p, counts = result.parameters, result.counts
    first, second = (p.get("rounds") or ["", ""])[:2]
    name = naming.cited(result.headline)
    unit, how_many = unit_of_analysis(p, counts)
    coders = len(p.get("coders") or [])
    documents = int(counts.get("documents", 0))
    per_coder = [
        b.coefficients[result.headline].value
        for b in result.per_coder
        if result.headline in b.coefficients
    ]
    values = [v for v in per_coder if v is not None]
    interval = interval_words(p.get("interval"))
    spread = (
        f" Per coder, {naming.name(result.headline)} ranged from "
        f"{number(result.headline, min(values))} to {number(result.headline, max(values))} "
        f"({plural(len(values), 'coder')} with a value)."
        if values
        else ""
    )
    return (
        f"Stability (test–retest, intra-coder reliability) was assessed with {name}. "
        f"{plural(coders, 'coder')} coded the same {plural(documents, 'document')} "
        f"twice, in round “{first}” and again in round “{second}”, {interval}; "
        "each coder's two codings were compared as if two coders had made them. "
        f"The unit of analysis was {unit}. Pooled over coders ({how_many} per round; "
        f"{counts.get('segments', 0):,} coded segments in both rounds, codes at the "
        f"{str(p.get('codeLevel', 'CODE')).lower()} level), {naming.name(result.headline)} "
        f"{_value_words(result.headline, result.coefficients.get(result.headline), p)}."
        f"{spread} {_verdict_words(result)}"
    )


def _verdict_words(result: AgreementResult) -> str:
    if result.verdict is None:
        return (
            f"No published reliability threshold applies to {naming.name(result.headline)}, "
            "so no verdict is given; the thresholds of Krippendorff (2004, p. 241) are for α."
        )
    return (
        f"Following Krippendorff (2004, p. 241), values of α of at least "
        f"{result.alpha_min:.3f} were taken as reliable and values from {TENTATIVE:.3f} as "
        f"tentative; the pooled result is {base.VERDICTS[result.verdict]}."
    )


def per_coder_section(result: AgreementResult) -> str:
    """The per-coder stability table (empty for an inter-coder run)."""
    if not result.per_coder:
        return ""
    rows = []
    for item in result.per_coder:
        for n, (key, c) in enumerate(item.coefficients.items()):
            span = len(item.coefficients)
            who = f"<td rowspan='{span}'>{escape(item.label)}</td>" if n == 0 else ""
            rows.append(f"<tr>{who}{base.coefficient_cells(key, c, result.alpha_min)}</tr>")
    first, second = (result.parameters.get("rounds") or ["", ""])[:2]
    return (
        f"<h2>Per coder (stability)</h2><p>Each coder's coding in round {escape(str(first))} "
        f"against their own coding in round {escape(str(second))}.</p>"
        "<table><thead><tr><th>Coder</th><th>Coefficient</th><th>Value</th><th>95% CI</th>"
        f"<th>Verdict</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
