"""Krippendorff's α with the MASI distance, for units that carry several codes at once.

MASI (Passonneau 2006, "Measuring agreement on set-valued items"): d(A, B) = 1 − J·M
with J = |A ∩ B|/|A ∪ B| and M = 1 if A = B, 2/3 if one contains the other, 1/3 if
they only intersect, 0 if disjoint. Each distinct set of codes is a value of α's
coincidence matrix and δ²_ck = d(c, k) (Krippendorff 2004, any metric δ fits α).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from accord.agreement.alpha import alpha_with_interval
from accord.agreement.bootstrap import BootstrapSettings
from accord.agreement.coincidence import coincidences, value_counts_from_codes
from accord.agreement.result import Coefficient


def masi_distance(a: frozenset[str], b: frozenset[str]) -> float:
    if a == b:
        return 0.0
    union = len(a | b)
    inter = len(a & b)
    if inter == 0:
        return 1.0
    monotonicity = 2.0 / 3.0 if (a <= b or b <= a) else 1.0 / 3.0
    return 1.0 - (inter / union) * monotonicity


#: Rows of the distance table computed at once, so the temporaries stay small next to it.
_BLOCK_ROWS = 512


def masi_distances(sets: Sequence[frozenset[str]]) -> NDArray[np.float64]:
    """The table ``d[i, j] = masi_distance(sets[i], sets[j])``, computed as arrays: the
    number of distinct sets grows with the units, and one Python call per pair of them
    took seconds where the rest of a report took milliseconds."""
    codes = {c: n for n, c in enumerate(sorted({c for s in sets for c in s}))}
    member = np.zeros((len(sets), len(codes)), dtype=np.float64)
    for i, s in enumerate(sets):
        member[i, [codes[c] for c in s]] = 1.0
    size = member.sum(axis=1)
    out = np.empty((len(sets), len(sets)), dtype=np.float64)
    for start in range(0, len(sets), _BLOCK_ROWS):
        rows = slice(start, start + _BLOCK_ROWS)
        inter = member[rows] @ member.T  # exact: small whole numbers
        a, b = size[rows, None], size[None, :]
        contained = (inter == a) | (inter == b)
        monotonicity = np.where(contained, 2.0 / 3.0, 1.0 / 3.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            block = 1.0 - (inter / (a + b - inter)) * monotonicity
        block[inter == 0.0] = 1.0
        block[(inter == a) & (inter == b)] = 0.0  # equal sets, the empty set included
        out[rows] = block
    return out


def masi_alpha(
    sets: Sequence[Sequence[frozenset[str] | None]], bootstrap: BootstrapSettings | None = None
) -> Coefficient:
    """α over a units × coders table of code sets; ``None`` marks a missing coder."""
    domain: dict[frozenset[str], int] = {}
    rows = []
    for row in sets:
        rows.append([-1 if s is None else domain.setdefault(s, len(domain)) for s in row])
    # No units (a document without units of the kind asked for) is a table of no rows,
    # whose α is undefined like any table without pairable values.
    n_coders = len(rows[0]) if rows else 0
    codes: NDArray[np.int64] = np.array(rows, dtype=np.int64).reshape(len(rows), n_coders)
    values = list(domain)
    counts = value_counts_from_codes(codes, len(values))
    delta = masi_distances(values)
    return alpha_with_interval(counts, coincidences(counts), delta, bootstrap)
