"""Krippendorff's α with the MASI distance, for units that carry several codes at once.

MASI (Passonneau 2006, "Measuring agreement on set-valued items"): d(A, B) = 1 − J·M
with J = |A ∩ B|/|A ∪ B| and M = 1 if A = B, 2/3 if one contains the other, 1/3 if
they only intersect, 0 if disjoint. Each distinct set of codes is a value of α's
coincidence matrix and δ²_ck = d(c, k) (Krippendorff 2004, any metric δ fits α).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from math import comb

import numpy as np
from numpy.typing import NDArray

from accord.agreement.alpha import (
    AlphaParts,
    alpha_from_parts,
    alpha_with_interval,
    with_bootstrap,
)
from accord.agreement.bootstrap import BootstrapSettings, bootstrap_cells
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
    out = np.empty((len(sets), len(sets)), dtype=np.float64)
    for start in range(0, len(sets), _BLOCK_ROWS):
        out[start : start + _BLOCK_ROWS] = masi_distances_rows(sets, start, start + _BLOCK_ROWS)
    return out


def masi_distances_rows(
    sets: Sequence[frozenset[str]], start: int, stop: int
) -> NDArray[np.float64]:
    """Rows ``start:stop`` of :func:`masi_distances`."""
    codes = {c: n for n, c in enumerate(sorted({c for s in sets for c in s}))}
    member = np.zeros((len(sets), len(codes)), dtype=np.float64)
    for i, s in enumerate(sets):
        member[i, [codes[c] for c in s]] = 1.0
    size = member.sum(axis=1)
    inter = member[start:stop] @ member.T  # exact: small whole numbers
    return _distance(size[start:stop, None], size[None, :], inter)


def _encoded(
    sets: Sequence[Sequence[frozenset[str] | None]],
) -> tuple[NDArray[np.int64], list[frozenset[str]]]:
    """The units × coders table with each distinct set as its index into the returned
    values (−1: the coder gave none)."""
    domain: dict[frozenset[str], int] = {}
    rows = [[-1 if s is None else domain.setdefault(s, len(domain)) for s in row] for row in sets]
    # No units (a document without units of the kind asked for) is a table of no rows,
    # whose α is undefined like any table without pairable values.
    n_coders = len(rows[0]) if rows else 0
    codes: NDArray[np.int64] = np.array(rows, dtype=np.int64).reshape(len(rows), n_coders)
    return codes, list(domain)


def masi_alpha_dense(
    sets: Sequence[Sequence[frozenset[str] | None]], bootstrap: BootstrapSettings | None = None
) -> Coefficient:
    """:func:`masi_alpha` with the full values × values matrices: memory grows with the
    square of the distinct sets. The definition in its plainest form, for the tests."""
    codes, values = _encoded(sets)
    counts = value_counts_from_codes(codes, len(values))
    delta = masi_distances(values)
    return alpha_with_interval(counts, coincidences(counts), delta, bootstrap)


def masi_alpha(
    sets: Sequence[Sequence[frozenset[str] | None]], bootstrap: BootstrapSettings | None = None
) -> Coefficient:
    """α over a units × coders table of code sets; ``None`` marks a missing coder.

    Krippendorff's α = 1 − (n − 1)·Σ o_ck δ_ck / Σ n_c n_k δ_ck over the distinct sets,
    computed without the sets × sets matrices, whose size grows with the square of the
    study (25,000 distinct sets in a study of 100,000 codings: 5 GB each):

    - o_ck, the coincidences, only where sets were paired: each unit's ordered pairs of
      coders, weighted 1/(m_u − 1);
    - Σ n_c n_k δ_ck from how many codes two sets share: a pair's MASI distance depends
      only on their sizes and the size of their intersection, and the weighted number
      of pairs of sizes (a, b) sharing exactly i codes follows from the weighted number
      sharing each t-subset (Σ over t-subsets T of (Σ_{c ⊇ T} n_c)², for each t) by
      binomial inversion, in exact integers (see :func:`_expected_sum`).
    """
    codes, values = _encoded(sets)
    present = codes >= 0
    m_u = present.sum(axis=1)
    pairable = m_u >= 2
    codes, present, m_u = codes[pairable], present[pairable], m_u[pairable]
    n_values = len(values)
    n_c = np.bincount(codes[present], minlength=n_values)
    n = float(n_c.sum())
    if n <= 1.0:
        return alpha_from_parts(AlphaParts(_EMPTY, _EMPTY, n, 0.0, 0.0))
    weight = 1.0 / (m_u - 1)
    keys, weights = [], []
    for i in range(codes.shape[1]):
        for j in range(codes.shape[1]):
            both = present[:, i] & present[:, j] if i != j else None
            if both is not None:
                keys.append(codes[both, i] * n_values + codes[both, j])
                weights.append(weight[both])
    cell, inverse = np.unique(np.concatenate(keys), return_inverse=True)
    observed: NDArray[np.float64] = np.bincount(
        inverse.ravel(), weights=np.concatenate(weights)
    ).astype(np.float64)
    c, k = cell // n_values, cell % n_values
    delta = _cell_distances(values, c, k)
    d_o = float(observed @ delta / n)
    d_e = _expected_sum(values, n_c) / (n * (n - 1.0))
    result = alpha_from_parts(AlphaParts(_EMPTY, _EMPTY, n, d_o, d_e))
    if bootstrap is None or result.value is None:
        return result
    if bootstrap.method == "units":
        # Resampling units redraws every unit's whole coincidence pattern, values × values
        # each: the dense computation is that method's own.
        return masi_alpha_dense(sets, bootstrap)
    pairs = float((m_u * (m_u - 1) // 2).sum())
    upper = c <= k
    boot = bootstrap_cells(
        observed[upper], c[upper] == k[upper], delta[upper], d_e, pairs, bootstrap
    )
    return with_bootstrap(result, boot, bootstrap, {"bootstrap_pairs": pairs})


_EMPTY: NDArray[np.float64] = np.zeros((0, 0))

#: Sets with more codes than this are not split into subsets (2^size of them); the
#: expected disagreement then takes the sets × sets route, in blocks.
_MAX_SUBSET_SIZE = 12


def _distance(
    a: NDArray[np.float64], b: NDArray[np.float64], inter: NDArray[np.float64]
) -> NDArray[np.float64]:
    """MASI distances from set sizes and intersection sizes, as :func:`masi_distances`."""
    contained = (inter == a) | (inter == b)
    monotonicity = np.where(contained, 2.0 / 3.0, 1.0 / 3.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        out: NDArray[np.float64] = 1.0 - (inter / (a + b - inter)) * monotonicity
    out[inter == 0.0] = 1.0
    out[(inter == a) & (inter == b)] = 0.0
    return out


def _cell_distances(
    values: Sequence[frozenset[str]], c: NDArray[np.int64], k: NDArray[np.int64]
) -> NDArray[np.float64]:
    size = np.array([len(v) for v in values], dtype=np.float64)
    inter = np.array(
        [len(values[x] & values[y]) for x, y in zip(c.tolist(), k.tolist(), strict=True)],
        dtype=np.float64,
    )
    return _distance(size[c], size[k], inter)


def _expected_sum(values: Sequence[frozenset[str]], n_c: NDArray[np.int64]) -> float:
    """Σ_c Σ_k n_c n_k δ_ck over every pair of the distinct sets."""
    used = [(values[x], int(n_c[x])) for x in np.flatnonzero(n_c).tolist()]
    if any(len(v) > _MAX_SUBSET_SIZE for v, _ in used):
        return _expected_sum_blocks([v for v, _ in used], np.array([w for _, w in used]))
    # by_subset[T][a]: the weight of the sets of size a that contain T.
    by_subset: dict[frozenset[str], dict[int, int]] = {}
    for value, w in used:
        members = sorted(value)
        for t in range(len(members) + 1):
            for subset in combinations(members, t):
                held = by_subset.setdefault(frozenset(subset), {})
                held[len(members)] = held.get(len(members), 0) + w
    # shared[(a, b)][t] = Σ_T of size t of W_a(T)·W_b(T) = Σ n_c n_k C(i_ck, t).
    shared: dict[tuple[int, int], dict[int, int]] = {}
    for common, held in by_subset.items():
        for a, wa in held.items():
            for b, wb in held.items():
                row = shared.setdefault((a, b), {})
                row[len(common)] = row.get(len(common), 0) + wa * wb
    total = 0.0
    for (a, b), by_t in shared.items():
        top = max(by_t)
        for i in range(top + 1):
            # Pairs sharing exactly i codes, by binomial inversion.
            exactly = sum((-1) ** (t - i) * comb(t, i) * by_t.get(t, 0) for t in range(i, top + 1))
            if exactly:
                d = _distance(np.array([a], float), np.array([b], float), np.array([i], float))
                total += exactly * float(d[0])
    return total


def _expected_sum_blocks(values: list[frozenset[str]], weights: NDArray[np.int64]) -> float:
    margins = weights.astype(np.float64)
    total = 0.0
    for start in range(0, len(values), _BLOCK_ROWS):
        block = masi_distances_rows(values, start, start + _BLOCK_ROWS)
        total += float(margins[start : start + _BLOCK_ROWS] @ block @ margins)
    return total
