"""Bootstrapped confidence interval for α (Hayes & Krippendorff 2007).

The algorithm resamples pairs of values from the observed coincidence matrix, not units:
Krippendorff, "Algorithm for bootstrapping a distribution of α" (2006, rev. 2011), as
implemented in Hayes's KALPHA macro. Each resample draws M pairs with probabilities
p_cc = o_cc/n and p_ck = 2·o_ck/n (c < k); its α* = 1 − Σδ²/(M·D_e), with D_e kept
from the data, clamped below at −1.

Because a resample only matters through how many pairs fell in each cell, one
multinomial draw per resample replaces M individual draws; 10,000 resamples are a
10,000 × cells integer matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.agreement.errors import AgreementInputError

#: Keep each block of resamples × cells below about 16 MB.
_BLOCK_CELLS = 2_000_000


@dataclass(frozen=True)
class BootstrapSettings:
    """How to bootstrap: resamples, seed (so a report can be reproduced) and α_min."""

    resamples: int = 10_000
    seed: int = 0
    alpha_min: float = 0.800
    confidence: float = 0.95

    def __post_init__(self) -> None:
        if self.resamples < 1:
            raise AgreementInputError("the number of bootstrap resamples must be at least 1")
        if not 0.0 < self.confidence < 1.0:
            raise AgreementInputError("the confidence level must lie between 0 and 1")


@dataclass(frozen=True)
class BootstrapResult:
    ci_low: float
    ci_high: float
    q_below_min: float
    samples: NDArray[np.float64]


def bootstrap_alpha(
    observed: NDArray[np.float64],
    delta: NDArray[np.float64],
    d_e: float,
    pairs: float,
    settings: BootstrapSettings,
) -> BootstrapResult:
    """CI bounds and q(α < α_min) from ``settings.resamples`` multinomial resamples.

    ``pairs`` is M, the number of pairable value pairs Σ_u m_u(m_u − 1)/2 (Hayes &
    Krippendorff 2007, p. 87: "a random sample of ... pairs of judgments from the
    available pairs, weighted by how many observers judged a given unit").
    """
    upper = np.triu_indices(observed.shape[0])
    return bootstrap_cells(
        observed[upper], upper[0] == upper[1], delta[upper], d_e, pairs, settings
    )


def bootstrap_cells(
    cells: NDArray[np.float64],
    diagonal: NDArray[np.bool_],
    cell_delta: NDArray[np.float64],
    d_e: float,
    pairs: float,
    settings: BootstrapSettings,
) -> BootstrapResult:
    """:func:`bootstrap_alpha` from the upper triangle of the coincidence matrix (c ≤ k,
    in row order), given as its cells, so that a caller with a sparse matrix (many
    values, few of them paired) need not make the dense one."""
    n = float(np.where(diagonal, 1.0, 2.0) @ cells)
    m = round(pairs)
    if n <= 0.0 or m < 1 or d_e <= 0.0:
        raise AgreementInputError("the bootstrap needs pairable values with variation")
    probs = np.where(diagonal, 1.0, 2.0) * cells / n
    keep = probs > 0.0
    probs = probs[keep] / probs[keep].sum()
    cell_delta = cell_delta[keep]
    rng = np.random.default_rng(settings.seed)
    block = max(1, _BLOCK_CELLS // max(1, probs.size))
    samples = np.empty(settings.resamples, dtype=np.float64)
    for start in range(0, settings.resamples, block):
        size = min(block, settings.resamples - start)
        draws = rng.multinomial(m, probs, size=size)
        samples[start : start + size] = 1.0 - (draws @ cell_delta) / (m * d_e)
    np.maximum(samples, -1.0, out=samples)
    tail = (1.0 - settings.confidence) / 2.0
    low, high = np.quantile(samples, [tail, 1.0 - tail])
    return BootstrapResult(
        ci_low=float(low),
        ci_high=float(high),
        q_below_min=float(np.mean(samples < settings.alpha_min)),
        samples=samples,
    )
