"""The interval parts of ``accord agreement``'s text output: each interval with a mark
for its method, what each mark means under the table, why a coefficient has no
interval, the continuum's per-code intervals and character κ per document."""

from __future__ import annotations

from accord.agreement.report import SegmentReport
from accord.agreement.result import INTERVAL_METHODS, Coefficient, Interval

#: The mark after an interval in the text table, per method (explained below the table).
MARKS = {"gwet_variance": "¹", "bootstrap_pairs": "²", "bootstrap_units": "³"}
MARKS["bootstrap_documents"] = "⁴"


def interval_text(iv: Interval | None) -> str:
    if iv is None:
        return ""
    return f"[{iv.low:.4f}, {iv.high:.4f}]{MARKS[iv.method]}"


def interval_notes(coefficients: list[tuple[str, Coefficient]]) -> list[str]:
    """What each interval mark means, and why a coefficient that could have had an
    interval has none."""
    lines: list[str] = []
    used: dict[str, Interval] = {}
    for _, c in coefficients:
        if c.interval is not None:
            used.setdefault(c.interval.method, c.interval)
    for method, iv in used.items():
        extra = f", {iv.settings}" if iv.settings else ""
        lines.append(f"  {MARKS[method]} {INTERVAL_METHODS[method]}{extra}")
    for name, c in coefficients:
        if c.value is not None and c.no_interval_reason is not None:
            lines.append(f"  {name}: {c.no_interval_reason}")
    return lines


def per_code_intervals(items: list[tuple[str, Coefficient]]) -> list[str]:
    with_interval = [(n, c) for n, c in items if c.interval is not None]
    without = [(n, c) for n, c in items if c.value is not None and c.no_interval_reason]
    if not with_interval and not without:
        return []
    lines = ["", "  per-code intervals:"]
    for n, c in with_interval:
        iv = c.interval
        assert iv is not None
        missing = (
            f"  ({iv.resamples_without_value:,} of {iv.resamples:,} resamples had no value)"
            if iv.resamples_without_value and iv.resamples
            else ""
        )
        lines.append(f"    {n:<40} {interval_text(iv)}{missing}")
    if without:
        lines.append(f"    {without[0][1].no_interval_reason}")
    return lines


def character_per_document(report: SegmentReport) -> list[str]:
    """NVivo's per-source character κ, under the pooled figure the code table shows."""
    if not report.per_code:
        return []
    first = next(iter(report.per_code.values()))
    lines = ["", f"  char κ above is {first.character_kappa.scope}; per document:"]
    for code, r in report.per_code.items():
        for doc, ch in r.character_kappa_per_document.items():
            kappa = ch.cohen_kappa
            if kappa.value is None:  # never a bare dash: the reason, as in the tables above
                shown = f"{'undefined':>9}  ({kappa.undefined_reason})"
            else:
                shown = f"{kappa.value:>9.4f}"
            lines.append(f"    {code:<20} {doc:<24} {shown}")
    return lines
