"""Krippendorff's α_U for unitizing a continuum, per code (Krippendorff 2004, §11.6).

Content Analysis, 2nd ed. (2004), pp. 251–256, worked example p. 254. For a code c,
each coder's units of c and the gaps between them tile the continuum of length L.

- Observed disagreement: D_o = 2 Σ_{i<j} Σ δ² / (m(m − 1)L²), summing over overlapping
  pieces of coders i and j; δ² = (b₁ − b₂)² + (e₁ − e₂)² for two units, l² for a unit
  inside the other coder's gap, 0 otherwise.
- Expected disagreement, from every unit placed anywhere it fits, by any coder:
  D_e = (2/L) Σ_u [(N_c − 1)(2l³ − 3l² + l)/3 + l² Σ_{gaps g ≥ l}(g − l + 1)]
        / (mL(mL − 1) − Σ_u l(l − 1)).

Several documents form one continuum of total length L, but a gap never spans a
document boundary, because no unit could be placed across it. The average over codes
is 1 − Σ_c D_o,c / Σ_c D_e,c, as on p. 254 (0.859 for the example) and in DKPro
Statistics.

When documents have their own coders (``SegmentTable.listed``, see
:mod:`accord.agreement.segments`), document d is coded by m_d coders and the formulas
generalise the way the coincidence form of α handles missing values:

- Observed: only pairs of coders who both coded a document compare their layers there,
  and each pair's δ² on document d is weighted 1/(m_d − 1), so every coder's layer is
  averaged over the others who coded the same stretch:
  D_o = 2 Σ_d Σ_{i<j both coded d} Σ δ² / (m_d − 1) / (N·L), with N = Σ_d m_d L_d the
  number of coder-positions and L = Σ_d L_d over the documents compared.
  With m coders on every document N = mL and this is the formula above.
- Expected: the pool is every compared coder's units and gaps on the documents they
  coded (a coder's gaps on a document they did not code do not exist), so units are
  placed in the gaps of that material, and mL becomes N in the denominator:
  D_e = (2/L) Σ_u [...] / (N(N − 1) − Σ_u l(l − 1)).

A document with fewer than two coders adds nothing to either, not even its length.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.agreement.intervals import gaps, overlap_counts, overlap_pairs
from accord.agreement.result import Coefficient, defined, undefined
from accord.agreement.segments import SegmentTable

F64 = NDArray[np.float64]


@dataclass(frozen=True)
class UnitizingAlpha2004:
    """α_U per code (in ``table.codes`` order) and the code-averaged α_U."""

    overall: Coefficient
    per_code: tuple[Coefficient, ...]
    observed: F64
    expected: F64


def unitizing_alpha_2004(table: SegmentTable) -> UnitizingAlpha2004:
    m = len(table.coders)
    n_codes = len(table.codes)
    total = float(table.pairable_length)
    if m < 2 or total <= 0:
        reason = empty_reason(table)
        none = undefined(reason)
        return UnitizingAlpha2004(none, tuple(none for _ in table.codes), np.zeros(0), np.zeros(0))
    observed = _observed(table, m, n_codes, total)
    expected = _expected(table, m, n_codes, total)
    per_code = tuple(_alpha(observed[c], expected[c]) for c in range(n_codes))
    if expected.sum() <= 0.0:
        overall = undefined("no code was used by any coder, so there is nothing to compare")
    else:
        overall = defined(
            1.0 - observed.sum() / expected.sum(),
            observed_disagreement=float(observed.mean()),
            expected_disagreement=float(expected.mean()),
        )
    return UnitizingAlpha2004(overall, per_code, observed, expected)


def _alpha(d_o: float, d_e: float) -> Coefficient:
    if d_e <= 0.0:
        return undefined(
            "no coder used this code, so expected disagreement is 0 and α_U is 0/0",
            observed_disagreement=d_o,
            expected_disagreement=d_e,
        )
    return defined(1.0 - d_o / d_e, observed_disagreement=d_o, expected_disagreement=d_e)


def empty_reason(table: SegmentTable) -> str:
    """Why no continuum coefficient can be computed for ``table``."""
    if len(table.coders) < 2:
        return "fewer than two coders"
    if table.total_length > 0 and table.pairable_length <= 0:
        return "no document was coded by two or more of the coders"
    return "the continuum is empty"


def _banded(table: SegmentTable) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Positions shifted into one band per code, so codes never overlap each other."""
    band = table.code * table.total_length
    return band + table.gstart, band + table.gend


def _observed(table: SegmentTable, m: int, n_codes: int, total: float) -> F64:
    start, end = _banded(table)
    weight = table.pair_weight()[table.doc]
    sums = np.zeros(n_codes, dtype=np.float64)
    for i in range(m):
        for j in range(i + 1, m):
            shared = table.shared(i, j)
            a = table.coder == i
            b = table.coder == j
            if shared is not None:
                a, b = a & shared, b & shared
            a_s, a_e, b_s, b_e = start[a], end[a], start[b], end[b]
            ia, ib = overlap_pairs(a_s, a_e, b_s, b_e)
            both = (a_s[ia] - b_s[ib]).astype(np.float64) ** 2 + (a_e[ia] - b_e[ib]).astype(
                np.float64
            ) ** 2
            sums += np.bincount(table.code[a][ia], weights=both * weight[a][ia], minlength=n_codes)
            for s, e, own, w, other_s, other_e in (
                (a_s, a_e, table.code[a], weight[a], b_s, b_e),
                (b_s, b_e, table.code[b], weight[b], a_s, a_e),
            ):
                alone = overlap_counts(s, e, other_s, other_e) == 0
                sq = (e[alone] - s[alone]).astype(np.float64) ** 2
                sums += np.bincount(own[alone], weights=sq * w[alone], minlength=n_codes)
    out: F64 = 2.0 * sums / (float(table.coder_positions) * total)
    return out


def _expected(table: SegmentTable, m: int, n_codes: int, total: float) -> F64:
    n_docs = len(table.documents)
    doc_len = table.doc_lengths
    band = table.total_length
    block_start = (np.arange(n_codes)[:, None] * band + table.offsets[None, :]).ravel()
    block_end = block_start + np.tile(doc_len, n_codes)
    start, end = _banded(table)
    coder_sets = table.coder_sets
    gap_len_parts, gap_code_parts = [], []
    for i in range(m):
        mine = table.coder == i
        block = table.code[mine] * n_docs + table.doc[mine]
        g_s, g_e, g_b = gaps(start[mine], end[mine], block, block_start, block_end)
        if table.listed is not None:
            coded = coder_sets[g_b % n_docs, i]
            g_s, g_e, g_b = g_s[coded], g_e[coded], g_b[coded]
        gap_len_parts.append(g_e - g_s)
        gap_code_parts.append(g_b // n_docs)
    gap_len = np.concatenate(gap_len_parts)
    gap_code = np.concatenate(gap_code_parts)
    stride = int(doc_len.max()) + 2
    keys = np.sort(gap_code * stride + gap_len)
    sorted_len = (keys % stride).astype(np.float64)
    cum = np.concatenate(([0.0], np.cumsum(sorted_len)))
    lengths = table.lengths.astype(np.float64)
    code = table.code
    first = np.searchsorted(keys, code * stride + table.lengths, side="left")
    stop = np.searchsorted(keys, (code + 1) * stride, side="left")
    fitting = (stop - first).astype(np.float64)
    room = (cum[stop] - cum[first]) - (lengths - 1.0) * fitting
    n_c = np.bincount(code, minlength=n_codes).astype(np.float64)
    within = (n_c[code] - 1.0) * (2.0 * lengths**3 - 3.0 * lengths**2 + lengths) / 3.0
    per_unit = within + lengths**2 * room
    numer = np.bincount(code, weights=per_unit, minlength=n_codes)
    self_pairs = np.bincount(code, weights=lengths * (lengths - 1.0), minlength=n_codes)
    n_positions = float(table.coder_positions)
    denom = n_positions * (n_positions - 1.0) - self_pairs
    out: F64 = (2.0 / total) * numer / denom
    return out
