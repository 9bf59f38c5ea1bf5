"""The reliability report as one self-contained HTML file, ready to print or attach to a
paper: the headline, a methods paragraph generated from the run's own numbers with its
references, the parameters that applied, overall and per-code tables with confidence
intervals, q(α < α_min) and verdicts (for α's family only), a per-code chart
(:mod:`accord.exchange.report_chart`), the coder-pair matrix, and what was left out.

Every piece of user text (project, code, document and coder names) is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from html import escape

from accord.agreement import naming
from accord.agreement.methods import number, references
from accord.agreement.result import TENTATIVE, Coefficient
from accord.exchange.report_chart import chart
from accord.exchange.report_intervals import (
    INTERVAL_LABELS,
    character_per_document_section,
    intervals_section,
)
from accord.exchange.report_reasons import Reasons
from accord.exchange.report_words import (
    exclusion_rows,
    methods_facts,
    methods_paragraph,
    parameter_rows,
    unit_of_analysis,
)
from accord.reports.agreement import AgreementResult, Breakdown, judged

__all__ = ["VERDICTS", "methods_paragraph", "render", "unit_of_analysis"]

VERDICTS = {
    "RELIABLE": "reliable",
    "TENTATIVE": "tentative",
    "NOT_RELIABLE": "not reliable",
    "UNDEFINED": "undefined",
}
NO_VERDICT = "no verdict"
NO_PAIRS_IN_RETEST = (
    "<p>Test–retest: each coder is compared with themself across the two rounds (see per "
    "coder), not with other coders.</p>"
)

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
.UNDEFINED, .NONE { color: #666; }
.headline { font-size: 1.05rem; } .note { color: #444; font-size: .9rem; }
.download a { font-family: sans-serif; font-size: .9rem; padding: .25rem .6rem;
  border: 1px solid #777; border-radius: 3px; color: #111; text-decoration: none; }
.references { font-size: .88rem; padding-left: 1.2rem; } .references li { margin: .2rem 0; }
.methods { background: #f7f7f4; border-left: 4px solid #777; padding: .6rem .9rem; }
svg text { font: 10px sans-serif; } figure { margin: .6rem 0; }
@page { size: A4; margin: 18mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; } .download { display: none; }
  h2 { break-after: avoid; } table, figure, .methods { break-inside: avoid; }
  th { background: #eee !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _value(key: str, c: Coefficient) -> str:
    return escape(c.undefined_reason or "") if c.value is None else number(key, c.value)


def _ci(key: str, c: Coefficient | None) -> str:
    """The interval with its method (and SE), or why there is none."""
    if c is None:
        return "—"
    iv = c.interval
    if iv is not None:
        se = f"; SE {number(key, c.standard_error)}" if c.standard_error is not None else ""
        return f"[{number(key, iv.low)}, {number(key, iv.high)}] ({INTERVAL_LABELS[iv.method]}{se})"
    if c.ci_low is not None and c.ci_high is not None:
        return f"[{number(key, c.ci_low)}, {number(key, c.ci_high)}]"
    if c.value is not None and c.no_interval_reason:
        return escape(c.no_interval_reason)
    return "—"


def _q(c: Coefficient) -> str:
    return "—" if c.q_below_min is None else f"{c.q_below_min:.3f}"


def _verdict_cell(key: str, c: Coefficient, alpha_min: float) -> str:
    v = judged(key, c, alpha_min)
    if v is None:
        return f'<td class="NONE">{NO_VERDICT}</td>'
    return f'<td class="{v}">{VERDICTS[v]}</td>'


def _has_q(coefficients: list[Coefficient]) -> bool:
    return any(c.q_below_min is not None for c in coefficients)


def _q_head(alpha_min: float) -> str:
    return f"<th>q(α &lt; {alpha_min:.3f})</th>"


def _row(key: str, c: Coefficient, alpha_min: float, with_q: bool) -> str:
    q = f"<td class='num'>{_q(c)}</td>" if with_q else ""
    return (
        f"<td>{escape(naming.label(key))}</td><td class='num'>{_value(key, c)}</td>"
        f"<td class='num'>{_ci(key, c)}</td>{q}{_verdict_cell(key, c, alpha_min)}"
    )


def coefficient_cells(key: str, c: Coefficient, alpha_min: float) -> str:
    """A coefficient's cells: name, value, 95% CI and verdict (no q column)."""
    return _row(key, c, alpha_min, with_q=False)


def _overall_table(result: AgreementResult) -> str:
    with_q = _has_q(list(result.coefficients.values()))
    rows = "".join(
        f"<tr>{_row(k, c, result.alpha_min, with_q)}</tr>" for k, c in result.coefficients.items()
    )
    q = _q_head(result.alpha_min) if with_q else ""
    return (
        "<table><thead><tr><th>Coefficient</th><th>Value</th><th>95% CI</th>"
        f"{q}<th>Verdict</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _per_code_table(items: list[Breakdown], alpha_min: float) -> str:
    if not items:
        return "<p>No codes were applied in this run.</p>"
    with_q = _has_q([c for b in items for c in b.coefficients.values()])
    rows = []
    for item in items:
        for n, (key, c) in enumerate(item.coefficients.items()):
            span = len(item.coefficients)
            code = f"<td rowspan='{span}'>{escape(item.label)}</td>" if n == 0 else ""
            rows.append(f"<tr>{code}{_row(key, c, alpha_min, with_q)}</tr>")
    q = _q_head(alpha_min) if with_q else ""
    return (
        "<table><thead><tr><th>Code</th><th>Coefficient</th><th>Value</th><th>95% CI</th>"
        f"{q}<th>Verdict</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _pair_matrix(result: AgreementResult) -> str:
    coders: list[str] = list(result.parameters.get("coders") or [])
    if len(coders) < 2 or not result.coder_pairs:
        return "<p>Fewer than two coders: no pairs.</p>"
    key = result.headline
    values: dict[tuple[str, str], Coefficient] = {}
    for pair in result.coder_pairs:
        a, _, b = pair.key.partition("|")
        c = pair.coefficients.get(key)
        if c is not None:
            values[(a, b)] = values[(b, a)] = c
    head = "".join(f"<th>{escape(c)}</th>" for c in coders)
    rows = []
    reasons = Reasons()
    for a in coders:
        cells = []
        for b in coders:
            c = values.get((a, b))
            if a == b or c is None:
                cells.append("<td class='num'>—</td>")
                continue
            v = judged(key, c, result.alpha_min) or "NONE"
            shown = _shown(key, c, reasons)
            cells.append(f"<td class='num {v}'>{shown}</td>")
        rows.append(f"<tr><th>{escape(a)}</th>{''.join(cells)}</tr>")
    return (
        f"<p>{escape(naming.label(key))} for each pair of coders, on the documents both "
        "coded.</p><table><thead><tr><th></th>"
        f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{reasons.notes()}"
    )


def _rows(rows: list[tuple[str, str]]) -> str:
    body = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    return f"<table><tbody>{body}</tbody></table>"


def _shown(key: str, c: Coefficient, reasons: Reasons) -> str:
    return reasons.mark(c) if c.value is None else number(key, c.value)


def _per_document(result: AgreementResult, titles: Mapping[str, str]) -> str:
    if not result.per_document:
        return "<p>No documents were compared.</p>"
    keys = list(dict.fromkeys(k for b in result.per_document for k in b.coefficients))
    head = "".join(f"<th>{escape(naming.label(k))}</th>" for k in keys)
    left = {e.key for e in result.excluded_documents}
    rows = []
    reasons = Reasons()
    for b in result.per_document:
        title = escape(titles.get(b.key, b.label))
        if b.key in left:
            rows.append(
                f"<tr><td>{title}</td><td colspan='{len(keys)}'>not compared "
                "(fewer than two coders had coded it)</td></tr>"
            )
            continue
        cells = "".join(
            "<td class='num'>—</td>"
            if (c := b.coefficients.get(k)) is None
            else f"<td class='num'>{_shown(k, c, reasons)}</td>"
            for k in keys
        )
        rows.append(f"<tr><td>{title}</td>{cells}</tr>")
    return (
        f"<table><thead><tr><th>Document</th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>{reasons.notes()}"
    )


def headline(result: AgreementResult) -> str:
    """The headline in words: the coefficient, its value and interval, and the verdict
    (or why there is none); HTML."""
    key, c = result.headline, result.coefficients.get(result.headline)
    name = escape(naming.label(key))
    if c is None or c.value is None:
        reason = escape(c.undefined_reason or "") if c is not None else "not computed"
        said = f"<strong>{name}</strong> is undefined: {reason}"
    else:
        said = f"<strong>{name} = {number(key, c.value)}</strong>"
        if c.ci_low is not None and c.ci_high is not None:
            said += f", 95% CI {_ci(key, c)}"
        if c.q_below_min is not None:
            said += f", q(α &lt; {result.alpha_min:.3f}) = {c.q_below_min:.3f}"
    v = result.verdict
    if v is None:
        return (
            f"{said}. <span class='NONE'>No verdict</span>: no published reliability "
            f"threshold applies to {escape(naming.name(key))}."
        )
    return (
        f"{said}. Verdict: <span class='{v}'>{VERDICTS[v]}</span> (reliable at α ≥ "
        f"{result.alpha_min:.3f}, tentative from {TENTATIVE:.3f}; Krippendorff 2004)."
    )


def render(
    result: AgreementResult,
    project_name: str,
    titles: Mapping[str, str],
    download_href: str | None = None,
) -> str:
    """The whole report; ``titles`` maps document ids to titles for the per-document
    table; ``download_href`` adds a link that downloads the report (when it is shown in
    the browser)."""
    from accord.exchange.report_retest import per_coder_section

    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    facts = methods_facts(result)
    cited = "".join(f"<li>{escape(r)}</li>" for r in references(facts))
    download = (
        f'<p class="download"><a href="{escape(download_href)}" download>Download this '
        "report</a></p>"
        if download_href
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
{download}
<p class="headline" id="headline">{headline(result)}</p>
<h2>Methods</h2>
<p class="methods" id="methods">{escape(methods_paragraph(result))}</p>
<ol class="references" id="references">{cited}</ol>
<h2>Parameters</h2>
{_rows(parameter_rows(result))}
<h2>Overall</h2>
<p class="note">{escape(naming.VERDICT_RULE)}</p>
{_overall_table(result)}
<h2>Per code</h2>
{chart(result.per_code, result.alpha_min, result.headline)}
{_per_code_table(result.per_code, result.alpha_min)}
<h2>Intervals</h2>
{intervals_section(result)}
{character_per_document_section(result, titles)}
<h2>Per document</h2>
{_per_document(result, titles)}
{per_coder_section(result)}
<h2>Coder pairs</h2>
{_pair_matrix(result) if not result.per_coder else NO_PAIRS_IN_RETEST}
<h2>Units and exclusions</h2>
{_rows(exclusion_rows(result))}
</body></html>
"""
