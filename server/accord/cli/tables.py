"""Plain aligned columns for what the command line lists."""

from __future__ import annotations

from collections.abc import Sequence


def columns(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    every = [list(header), *(list(r) for r in rows)]
    widths = [max(len(r[i]) for r in every) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in every
    )
