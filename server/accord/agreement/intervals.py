"""Interval arithmetic on sorted, pairwise disjoint intervals, without per-character arrays.

Every function takes half-open intervals [start, end) sorted by start and disjoint
within each argument, which makes their ends sorted too; then overlaps are two
``searchsorted`` calls and work is O((A + B) log B).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

I64 = NDArray[np.int64]


def overlap_pairs(a_start: I64, a_end: I64, b_start: I64, b_end: I64) -> tuple[I64, I64]:
    """Index pairs (i, j) with [a_start[i], a_end[i]) ∩ [b_start[j], b_end[j]) non-empty."""
    first = np.searchsorted(b_end, a_start, side="right")
    stop = np.searchsorted(b_start, a_end, side="left")
    count = np.maximum(stop - first, 0)
    total = int(count.sum())
    ia = np.repeat(np.arange(a_start.size, dtype=np.int64), count)
    run_start = np.repeat(np.cumsum(count) - count, count)
    ib = np.repeat(first, count) + (np.arange(total, dtype=np.int64) - run_start)
    return ia, ib.astype(np.int64)


def overlap_counts(a_start: I64, a_end: I64, b_start: I64, b_end: I64) -> I64:
    """For each interval of A, how many intervals of B it overlaps."""
    first = np.searchsorted(b_end, a_start, side="right")
    stop = np.searchsorted(b_start, a_end, side="left")
    out: I64 = np.maximum(stop - first, 0).astype(np.int64)
    return out


def gaps(
    starts: I64, ends: I64, block: I64, block_start: I64, block_end: I64
) -> tuple[I64, I64, I64]:
    """The complement of intervals within blocks: (gap start, gap end, block id).

    ``block[i]`` says which block interval i lies in; intervals are sorted by (block,
    start). Every block appears, so a block without intervals is one whole gap.
    Zero-length gaps are dropped.
    """
    n_blocks = block_start.size
    gap_starts = np.concatenate((block_start, ends))
    gap_ends = np.concatenate((starts, block_end))
    start_block = np.concatenate((np.arange(n_blocks, dtype=np.int64), block))
    end_block = np.concatenate((block, np.arange(n_blocks, dtype=np.int64)))
    s_order = np.lexsort((gap_starts, start_block))
    e_order = np.lexsort((gap_ends, end_block))
    g_start, g_end = gap_starts[s_order], gap_ends[e_order]
    g_block = start_block[s_order]
    keep = g_end > g_start
    return g_start[keep], g_end[keep], g_block[keep]
