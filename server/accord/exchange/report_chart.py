"""The report's per-code chart: one row per code, the value as a dot with its CI whiskers
on a −1…1 axis, and the thresholds as dashed lines where the coefficient has them.

Inline SVG with a viewBox, so it scales to the page and prints sharp. Labels are never
cut: the label column is as wide as the longest label needs (up to a limit), and a
longer label wraps onto further lines of its row.
"""

from __future__ import annotations

from html import escape

from accord.agreement import naming
from accord.agreement.result import TENTATIVE
from accord.reports.agreement import Breakdown

#: Rough advance of one character of the chart's 10px sans-serif face, in px; generous,
#: so a label estimated to fit does fit.
CHAR_W = 6.2
MAX_LABEL_W = 300
PLOT_W = 420
LINE_H = 12


def chart_key(items: list[Breakdown], headline: str | None = None) -> str | None:
    """The coefficient charted per code: an α where the mode has one, else the
    headline's coefficient, else the first."""
    keys = list(dict.fromkeys(k for b in items for k in b.coefficients))
    for preferred in ("unitizing_alpha_2004", "krippendorff_alpha", "k_u_alpha", headline):
        if preferred in keys:
            return preferred
    return keys[0] if keys else None


def wrap(label: str, width: int) -> list[str]:
    """``label`` in lines of at most ``width`` characters, broken at spaces where it can
    be (a word longer than a line is broken inside)."""
    lines: list[str] = []
    current = ""
    for word in label.split(" "):
        while len(word) > width:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:width])
            word = word[width:]
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= width:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current or not lines:
        lines.append(current)
    return lines


def chart(items: list[Breakdown], alpha_min: float, headline: str | None = None) -> str:
    """The figure, or a sentence when there is nothing to chart."""
    key = chart_key(items, headline)
    if key is None:
        return "<p>No per-code values to chart.</p>"
    longest = max(len(i.label) for i in items)
    label_w = min(MAX_LABEL_W, int(longest * CHAR_W) + 12)
    width_chars = max(8, int((label_w - 12) / CHAR_W))
    labels = [wrap(i.label, width_chars) for i in items]
    top = 30
    rows_h = [max(18, LINE_H * len(lines) + 6) for lines in labels]
    height = top + sum(rows_h) + 24
    width = label_w + PLOT_W + 24

    def x(value: float) -> float:
        return label_w + (max(-1.0, min(1.0, value)) + 1.0) / 2.0 * PLOT_W

    name = escape(naming.label(key))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" style="max-width:100%;height:auto" role="img" '
        f'aria-label="{name} per code with 95% CI">'
    ]
    for tick in (-1.0, -0.5, 0.0, 0.5, 1.0):
        parts.append(
            f'<line x1="{x(tick):.1f}" y1="{top - 4}" x2="{x(tick):.1f}" '
            f'y2="{height - 20}" stroke="#ddd"/><text x="{x(tick):.1f}" y="{height - 6}" '
            f'text-anchor="middle">{tick:g}</text>'
        )
    if naming.has_verdict(key):
        # The two labels sit either side of their lines, so close thresholds never collide.
        for threshold, colour, anchor, dx in (
            (alpha_min, "#11602a", "start", 3),
            (TENTATIVE, "#8a5a00", "end", -3),
        ):
            parts.append(
                f'<line x1="{x(threshold):.1f}" y1="{top - 14}" x2="{x(threshold):.1f}" '
                f'y2="{height - 20}" stroke="{colour}" stroke-dasharray="4 3"/>'
                f'<text x="{x(threshold) + dx:.1f}" y="{top - 8}" text-anchor="{anchor}" '
                f'fill="{colour}">{threshold:.3f}</text>'
            )
    y0 = top
    for item, lines, row_h in zip(items, labels, rows_h, strict=True):
        y = y0 + row_h / 2
        first = y + 3 - (len(lines) - 1) * LINE_H / 2
        spans = "".join(
            f'<tspan x="{label_w - 6}" y="{first + n * LINE_H:.1f}">{escape(line)}</tspan>'
            for n, line in enumerate(lines)
        )
        parts.append(f'<text class="label" text-anchor="end">{spans}</text>')
        y0 += row_h
        c = item.coefficients.get(key)
        if c is None or c.value is None:
            parts.append(
                f'<text x="{x(-1.0) + 4:.1f}" y="{y + 3:.1f}" fill="#666">undefined</text>'
            )
            continue
        bounds = (
            (c.interval.low, c.interval.high) if c.interval is not None else (c.ci_low, c.ci_high)
        )
        if bounds[0] is not None and bounds[1] is not None:
            lo, hi = x(bounds[0]), x(bounds[1])
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
    thresholds = (
        "; dashed lines mark the thresholds." if naming.has_verdict(key) else "; no thresholds."
    )
    return (
        f"<figure>{''.join(parts)}<figcaption>{name} per code; whiskers show the 95% CI "
        f"where one was computed (its method under Intervals){thresholds}</figcaption></figure>"
    )
