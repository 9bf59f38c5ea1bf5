"""Value counts and Krippendorff's coincidence matrix, built with bincount and one matmul.

Krippendorff (2011, "Computing Krippendorff's alpha-reliability", §C):
o_ck = Σ_u (n_uc·n_uk − [c=k]·n_uc)/(m_u − 1) over units with m_u ≥ 2 values.
Written as matrices, o = Nᵀ·diag(w)·N − diag(Nᵀw) with w_u = 1/(m_u − 1); for a
million units this is one 5 × 10⁶ by 10⁶ × 5 product rather than a units × V × V array.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.agreement.reliability_data import ReliabilityData
from accord.agreement.result import UnitCounts

_COMPARE_MAX = 16


def value_counts(data: ReliabilityData) -> NDArray[np.int64]:
    """Units × values matrix: how many coders gave unit u value c (irrCAC's r_ik)."""
    return value_counts_from_codes(data.codes, data.n_values)


def value_counts_from_codes(
    codes: NDArray[np.signedinteger[Any]], n_values: int
) -> NDArray[np.int64]:
    n_units = codes.shape[0]
    if n_values <= _COMPARE_MAX:
        # A few values: one comparison pass each beats building 10⁷ flat int64 keys.
        # Reduce along whichever axis is contiguous in memory (coder-major input is
        # stored transposed).
        coder_major = codes.T.flags.c_contiguous
        src = codes.T if coder_major else codes
        axis = 0 if coder_major else 1
        out = np.empty((n_values, n_units), dtype=np.int64)
        for v in range(n_values):
            np.sum(src == v, axis=axis, out=out[v])
        return out.T
    present = codes >= 0
    rows = np.broadcast_to(np.arange(n_units, dtype=np.int64)[:, None], codes.shape)[present]
    flat = rows * n_values + codes[present]
    counts = np.bincount(flat, minlength=n_units * n_values)
    return counts.reshape(n_units, n_values).astype(np.int64)


def coincidences(counts: NDArray[np.integer]) -> NDArray[np.float64]:
    """Observed coincidence matrix o_ck from a units × values count matrix."""
    m_u = counts.sum(axis=1)
    weights = np.zeros(m_u.shape, dtype=np.float64)
    pairable = m_u >= 2
    weights[pairable] = 1.0 / (m_u[pairable] - 1)
    counts_f = counts.astype(np.float64)
    o: NDArray[np.float64] = (counts_f * weights[:, None]).T @ counts_f
    o -= np.diag(weights @ counts_f)
    return o


def unit_counts(counts: NDArray[np.integer], n_coders: int) -> UnitCounts:
    m_u = counts.sum(axis=1)
    used = int(np.count_nonzero(m_u >= 2))
    return UnitCounts(
        units=int(m_u.size),
        used=used,
        excluded=int(m_u.size) - used,
        coders=n_coders,
        pairable_values=int(m_u[m_u >= 2].sum()),
    )
