"""Sets of code points written as sorted runs of half-open ``(start, end)`` spans.

Runs that overlap are fused, but runs that only touch stay apart: in a coding layer two
adjacent segments are two meaning units, and the consensus engine keeps that distinction
wherever it combines extents.
"""

from __future__ import annotations

from collections.abc import Iterable

Span = tuple[int, int]


def fuse(spans: Iterable[Span]) -> list[Span]:
    """Sort ``spans`` and fuse those that share a code point; touching spans stay apart."""
    fused: list[Span] = []
    for start, end in sorted(spans):
        if fused and start < fused[-1][1]:
            last_start, last_end = fused[-1]
            fused[-1] = (last_start, max(last_end, end))
        else:
            fused.append((start, end))
    return fused


def intersect(left: list[Span], right: list[Span]) -> list[Span]:
    """The code points in both fused span lists, as spans (two-pointer sweep)."""
    out: list[Span] = []
    i = j = 0
    while i < len(left) and j < len(right):
        start = max(left[i][0], right[j][0])
        end = min(left[i][1], right[j][1])
        if start < end:
            out.append((start, end))
        if left[i][1] <= right[j][1]:
            i += 1
        else:
            j += 1
    return out


def size(spans: Iterable[Span]) -> int:
    """How many code points a fused span list covers."""
    return sum(end - start for start, end in spans)
