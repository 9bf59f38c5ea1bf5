"""The reliability report as one self-contained HTML file, ready to print or attach to a
paper: the run's parameters, overall and per-code tables with confidence intervals and
verdicts, a per-code chart with CI whiskers (inline SVG), the coder-pair matrix, what was
left out, and a methods paragraph generated from the run's own numbers.

Every piece of user text (project, code, document and coder names) is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from html import escape
from typing import Any

from accord.agreement.result import TENTATIVE, Coefficient
from accord.exchange.report_intervals import (
    character_per_document_section,
    interval_cell,
    intervals_section,
)
from accord.reports.agreement import AgreementResult, Breakdown, verdict

NAMES = {
    "u_alpha": "Krippendorff's uα (2016)",
    "binary_u_alpha": "Krippendorff's binary uα (2016)",
    "cu_alpha": "Krippendorff's cuα (2016)",
    "cu_alpha_across_groups": "Krippendorff's Cuα across groups (2016)",
    "unitizing_alpha_2004": "Krippendorff's unitizing αU (2004)",
    "k_u_alpha": "Krippendorff's (k)uα (2016)",
    "units_masi_alpha": "Krippendorff's α with the MASI distance",
    "krippendorff_alpha": "Krippendorff's α",
    "percent_agreement": "Percent agreement",
    "brennan_prediger": "Brennan–Prediger coefficient",
    "cohen_kappa": "Cohen's κ",
    "scott_pi": "Scott's π",
    "fleiss_kappa": "Fleiss' κ",
    "conger_kappa": "Conger's κ",
    "gwet_ac1": "Gwet's AC1",
}
NO_PAIRS_IN_RETEST = (
    "<p>Test–retest: each coder is compared with themself across the two rounds (see per "
    "coder), not with other coders.</p>"
)
VERDICTS = {
    "RELIABLE": "reliable",
    "TENTATIVE": "tentative",
    "NOT_RELIABLE": "not reliable",
    "UNDEFINED": "undefined",
}

CSS = """
body { font: 11pt/1.45 Georgia, 'Times New Roman', serif; color: #111; margin: 2rem auto;
       max-width: 56rem; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.15rem; margin-top: 1.8rem;
  border-bottom: 1px solid #999; }
.meta { color: #555; font-size: .9rem; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0; font-size: .92rem; }
th, td { border: 1px solid #bbb; padding: .25rem .45rem; text-align: left; vertical-align: top; }
th { background: #f1f1f1; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.RELIABLE { color: #11602a; } .TENTATIVE { color: #8a5a00; } .NOT_RELIABLE { color: #a01010; }
.UNDEFINED { color: #666; }
.methods { background: #f7f7f4; border-left: 4px solid #777; padding: .6rem .9rem; }
svg text { font: 10px sans-serif; }
@page { size: A4; margin: 18mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { break-after: avoid; } table, figure, .methods { break-inside: avoid; }
  th { background: #eee !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _ci(c: Coefficient) -> str:
    return interval_cell(c)


def _name(key: str) -> str:
    return escape(NAMES.get(key, key))


def _verdict_cell(c: Coefficient, alpha_min: float) -> str:
    v = verdict(c, alpha_min)
    return f'<td class="{v}">{VERDICTS[v]}</td>'


def _coefficient_rows(coefficients: Mapping[str, Coefficient], alpha_min: float) -> str:
    rows = []
    for key, c in coefficients.items():
        value = _num(c.value) if c.value is not None else escape(c.undefined_reason or "")
        rows.append(
            f"<tr><td>{_name(key)}</td><td class='num'>{value}</td>"
            f"<td class='num'>{_ci(c)}</td>{_verdict_cell(c, alpha_min)}</tr>"
        )
    return "".join(rows)


def _chart_key(items: list[Breakdown]) -> str | None:
    """The coefficient charted per code: an α where the mode has one."""
    keys = [k for b in items for k in b.coefficients]
    for preferred in ("unitizing_alpha_2004", "krippendorff_alpha", "k_u_alpha"):
        if preferred in keys:
            return preferred
    return keys[0] if keys else None


def chart(items: list[Breakdown], alpha_min: float) -> str:
    """Per-code values as dots with CI whiskers, on a −1…1 axis, with the thresholds."""
    key = _chart_key(items)
    if key is None:
        return "<p>No per-code values to chart.</p>"
    label_w, plot_w, row_h, top = 220, 420, 18, 24
    height = top + row_h * len(items) + 24

    def x(value: float) -> float:
        return label_w + (max(-1.0, min(1.0, value)) + 1.0) / 2.0 * plot_w

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + plot_w + 20}" '
        f'height="{height}" role="img" aria-label="{_name(key)} per code with 95% CI">'
    ]
    for tick in (-1.0, -0.5, 0.0, 0.5, 1.0):
        parts.append(
            f'<line x1="{x(tick):.1f}" y1="{top - 6}" x2="{x(tick):.1f}" '
            f'y2="{height - 20}" stroke="#ddd"/><text x="{x(tick):.1f}" y="{height - 6}" '
            f'text-anchor="middle">{tick:g}</text>'
        )
    for threshold, colour in ((alpha_min, "#11602a"), (TENTATIVE, "#8a5a00")):
        parts.append(
            f'<line x1="{x(threshold):.1f}" y1="{top - 10}" x2="{x(threshold):.1f}" '
            f'y2="{height - 20}" stroke="{colour}" stroke-dasharray="4 3"/>'
            f'<text x="{x(threshold):.1f}" y="{top - 12}" text-anchor="middle" '
            f'fill="{colour}">{threshold:.3f}</text>'
        )
    for n, item in enumerate(items):
        y = top + n * row_h + row_h / 2
        label = item.label if len(item.label) <= 38 else item.label[:37] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 3:.1f}" text-anchor="end">{escape(label)}</text>'
        )
        c = item.coefficients.get(key)
        if c is None or c.value is None:
            parts.append(
                f'<text x="{x(-1.0) + 4:.1f}" y="{y + 3:.1f}" fill="#666">undefined</text>'
            )
            continue
        if c.interval is not None:
            lo, hi = x(c.interval.low), x(c.interval.high)
            parts.append(
                f'<line x1="{lo:.1f}" y1="{y:.1f}" x2="{hi:.1f}" y2="{y:.1f}" stroke="#333"/>'
                f'<line x1="{lo:.1f}" y1="{y - 4:.1f}" x2="{lo:.1f}" y2="{y + 4:.1f}" '
                f'stroke="#333"/><line x1="{hi:.1f}" y1="{y - 4:.1f}" x2="{hi:.1f}" '
                f'y2="{y + 4:.1f}" stroke="#333"/>'
            )
        parts.append(
            f'<circle cx="{x(c.value):.1f}" cy="{y:.1f}" r="4" fill="#1f4e9c">'
            f"<title>{escape(item.label)}: {c.value:.3f}</title></circle>"
        )
    parts.append("</svg>")
    return (
        f"<figure>{''.join(parts)}<figcaption>{_name(key)} per code; whiskers show the "
        "95% bootstrap CI where one was computed; dashed lines mark the thresholds."
        "</figcaption></figure>"
    )


def _per_code_table(items: list[Breakdown], alpha_min: float) -> str:
    if not items:
        return "<p>No codes were applied in this run.</p>"
    rows = []
    for item in items:
        for n, (key, c) in enumerate(item.coefficients.items()):
            span = len(item.coefficients)
            code = f"<td rowspan='{span}'>{escape(item.label)}</td>" if n == 0 else ""
            value = _num(c.value) if c.value is not None else escape(c.undefined_reason or "")
            rows.append(
                f"<tr>{code}<td>{_name(key)}</td><td class='num'>{value}</td>"
                f"<td class='num'>{_ci(c)}</td>{_verdict_cell(c, alpha_min)}</tr>"
            )
    return (
        "<table><thead><tr><th>Code</th><th>Coefficient</th><th>Value</th><th>95% CI</th>"
        f"<th>Verdict</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _pair_matrix(result: AgreementResult) -> str:
    coders: list[str] = list(result.parameters.get("coders") or [])
    if len(coders) < 2 or not result.coder_pairs:
        return "<p>Fewer than two coders: no pairs.</p>"
    key = result.headline
    values: dict[tuple[str, str], Coefficient] = {}
    for pair in result.coder_pairs:
        a, _, b = pair.key.partition("|")
        c = pair.coefficients.get(key) or next(iter(pair.coefficients.values()), None)
        if c is not None:
            values[(a, b)] = values[(b, a)] = c
    head = "".join(f"<th>{escape(c)}</th>" for c in coders)
    rows = []
    for a in coders:
        cells = []
        for b in coders:
            c = values.get((a, b))
            cells.append(
                "<td class='num'>—</td>"
                if a == b or c is None
                else (f"<td class='num {verdict(c, result.alpha_min)}'>{_num(c.value)}</td>")
            )
        rows.append(f"<tr><th>{escape(a)}</th>{''.join(cells)}</tr>")
    return (
        f"<p>{_name(key)} for each pair of coders.</p><table><thead><tr><th></th>{head}</tr>"
        f"</thead><tbody>{''.join(rows)}</tbody></table>"
    )


def unit_of_analysis(parameters: Mapping[str, Any], counts: Mapping[str, Any]) -> tuple[str, str]:
    """(what the unit of analysis is, how many units there were), in words."""
    mode = parameters.get("unitMode", "CONTINUUM")
    length = counts.get("continuum_length", 0)
    if mode == "UNITS":
        kind = str(parameters.get("unitKind") or "PARAGRAPH").lower().replace("_", " ")
        cover = parameters.get("minCoverage") or 0.0
        rule = f"at least {cover:.0%} of it" if cover else "any part of it"
        return (
            f"predefined {kind}s, a code counting as present in a unit when a segment covers "
            f"{rule}",
            f"{counts.get('units') or 0:,} {kind}s",
        )
    if mode == "SEGMENT_MATCH":
        overlap = parameters.get("overlapPercent", 90.0)
        return (
            f"coded segments, two segments matching when they overlap by at least {overlap:g}%",
            f"{counts.get('segments', 0):,} segments",
        )
    if mode == "CHARACTER":
        return "single characters, coded or not", f"{length:,} characters"
    return (
        "the continuum of characters, each coder's segments taken as they were drawn "
        "(no predefined units)",
        f"{length:,} characters",
    )


def methods_paragraph(result: AgreementResult) -> str:
    """A paragraph for a paper's methods section, with this run's numbers (plain text)."""
    if result.parameters.get("compare") == "ROUNDS":
        from accord.exchange.report_retest import retest_paragraph

        return retest_paragraph(result)
    p, counts = result.parameters, result.counts
    headline = result.coefficients.get(result.headline)
    unit, how_many = unit_of_analysis(p, counts)
    coders = len(p.get("coders") or counts.get("coders") or [])
    documents = counts.get("documents", len(p.get("documentIds") or []))
    name = NAMES.get(result.headline, result.headline)
    if headline is None or headline.value is None:
        reason = headline.undefined_reason if headline is not None else None
        value = f"could not be computed ({reason or 'no value'})"
    else:
        value = f"was {headline.value:.3f}"
        if headline.interval is not None and headline.interval.resamples is not None:
            iv = headline.interval
            value += (
                f" (95% CI {iv.low:.3f} to {iv.high:.3f}, {iv.description}, "
                f"{iv.resamples:,} resamples)"
            )
        elif headline.no_interval_reason:
            value += f" ({headline.no_interval_reason})"
        elif p.get("bootstrap"):
            value += " (the bootstrap gives no interval for this coefficient)"
        else:
            value += " (no confidence interval: no bootstrap was run)"
    verdict_text = VERDICTS[result.verdict]
    per_code = _per_code_sentence(result)
    return (
        f"Inter-coder reliability was assessed with {name}. The unit of analysis was {unit}. "
        f"{_plural(coders, 'coder')} coded {_plural(documents, 'document')} independently "
        f"({how_many}; "
        f"{counts.get('segments', 0):,} coded segments, round {p.get('round', '')!s}, codes at "
        f"the {str(p.get('codeLevel', 'CODE')).lower()} level). {name} {value}. Following "
        f"Krippendorff (2004), values of at least {result.alpha_min:.3f} were taken as "
        f"reliable and values from {TENTATIVE:.3f} as tentative; the result is {verdict_text}."
        f"{per_code}"
    )


def _plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _per_code_sentence(result: AgreementResult) -> str:
    key = _chart_key(result.per_code)
    found = [b.coefficients[key] for b in result.per_code if key in b.coefficients]
    values = [c.value for c in found if c.value is not None]
    if key is None or not values:
        return ""
    with_ci = sum(1 for c in found if c.ci_low is not None)
    ci = " (95% bootstrap confidence intervals in the per-code table)" if with_ci else ""
    return (
        f" Per code, {NAMES.get(key, key)} ranged from {min(values):.3f} to "
        f"{max(values):.3f} across {_plural(len(values), 'code')}{ci}."
    )


def _parameters(result: AgreementResult) -> str:
    shown = {k: v for k, v in result.parameters.items() if k not in ("documentIds", "coders")}
    shown["coders"] = ", ".join(result.parameters.get("coders") or [])
    boot = result.parameters.get("bootstrap")
    if isinstance(boot, dict):
        shown["bootstrap"] = f"{boot.get('resamples'):,} resamples, seed {boot.get('seed')}"
    rows = "".join(
        f"<tr><th>{escape(str(k))}</th><td>{escape('—' if v is None else str(v))}</td></tr>"
        for k, v in shown.items()
    )
    return f"<table><tbody>{rows}</tbody></table>"


def _excluded(result: AgreementResult) -> str:
    c = result.counts
    merged = c.get("segments_merged", 0)
    units_excluded = c.get("units_excluded", 0)
    return (
        "<table><tbody>"
        f"<tr><th>Documents</th><td class='num'>{c.get('documents', 0)}</td></tr>"
        f"<tr><th>Coded segments read</th><td class='num'>{c.get('segments', 0)}</td></tr>"
        f"<tr><th>Overlapping segments of one code by one coder merged</th>"
        f"<td class='num'>{merged}</td></tr>"
        f"<tr><th>Units</th><td class='num'>{escape(str(c.get('units') or '—'))}</td></tr>"
        f"<tr><th>Units excluded (fewer than two coders gave a value)</th>"
        f"<td class='num'>{units_excluded}</td></tr>"
        "</tbody></table>"
    )


def render(result: AgreementResult, project_name: str, titles: Mapping[str, str]) -> str:
    """The whole report; ``titles`` maps document ids to titles for the per-document table."""
    from accord.exchange.report_retest import per_coder_section

    headline = result.coefficients.get(result.headline)
    overall = _coefficient_rows(result.coefficients, result.alpha_min)
    per_document = "".join(
        f"<tr><td>{escape(titles.get(b.key, b.label))}</td>"
        + "".join(f"<td class='num'>{_num(c.value)}</td>" for c in b.coefficients.values())
        + "</tr>"
        for b in result.per_document
    )
    first = result.per_document[0].coefficients if result.per_document else {}
    doc_head = "".join(f"<th>{_name(k)}</th>" for k in first)
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    headline_text = (
        f"{_name(result.headline)} = {_num(headline.value)} {_ci(headline) if headline else ''}"
        if headline is not None
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Reliability report: {escape(project_name)}</title>
<style>{CSS}</style></head>
<body>
<h1>Reliability report</h1>
<p class="meta">{escape(project_name)} · generated by Accord on {generated}</p>
<p><strong>{headline_text}</strong> — verdict:
<span class="{result.verdict}">{VERDICTS[result.verdict]}</span>
(threshold {result.alpha_min:.3f})</p>
<h2>Methods</h2>
<p class="methods" id="methods">{escape(methods_paragraph(result))}</p>
<h2>Parameters</h2>
{_parameters(result)}
<h2>Overall</h2>
<table><thead><tr><th>Coefficient</th><th>Value</th><th>95% CI</th><th>Verdict</th></tr>
</thead><tbody>{overall}</tbody></table>
<h2>Per code</h2>
{chart(result.per_code, result.alpha_min)}
{_per_code_table(result.per_code, result.alpha_min)}
<h2>Intervals</h2>
{intervals_section(result)}
{character_per_document_section(result, titles)}
<h2>Per document</h2>
<table><thead><tr><th>Document</th>{doc_head}</tr></thead><tbody>{per_document}</tbody></table>
{per_coder_section(result)}
<h2>Coder pairs</h2>
{_pair_matrix(result) if not result.per_coder else NO_PAIRS_IN_RETEST}
<h2>Units and exclusions</h2>
{_excluded(result)}
</body></html>
"""
