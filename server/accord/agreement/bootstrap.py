"""Bootstrapped confidence intervals for α: over value pairs (Hayes & Krippendorff 2007) or
over units.

**Pairs** (``method="pairs"``, the default). Hayes & Krippendorff (2007), Communication
Methods and Measures 1:77–89, and Krippendorff, "Algorithm for bootstrapping a
distribution of α" (2006, rev. 2011), as Hayes's KALPHA macro implements it. The
resampled objects are pairs of values from the observed coincidence matrix, not units:
each resample draws M pairs with probabilities p_cc = o_cc/n and p_ck = 2·o_ck/n (c < k);
its α* = 1 − Σδ²/(M·D_e), with D_e kept from the data, clamped below at −1.

- M, the pairs drawn per resample, is the number of pairable value pairs in the data,
  Σ_u m_u(m_u − 1)/2 (the 2007 paper, p. 87: pairs "weighted by how many observers
  judged a given unit"). KALPHA 3.0 (2011) draws min(25·Q, (m − 1)·n/2) pairs instead,
  Q being the number of non-empty coincidence cells, m the number of observers and n
  the number of pairable values. For complete data (m − 1)·n/2 is the same number, but
  with missing values it counts every value as if all m − 1 others had judged its unit,
  which overstates the pairs the data hold and narrows the interval; the 25·Q cap is a
  speed limit from the SPSS era. Accord draws the pairs the data hold.
- A resample whose pairs all fall in one diagonal cell has no variation: its α is 0/0,
  and KALPHA's correction scores it 0, not 1 (a sample without variation shows no
  reliability). KALPHA, which only keeps each resample's Σδ², can only estimate how
  many of its α* = 1 resamples were such and sets that many of them to 0; with the
  cell counts of every resample at hand, Accord knows exactly which ones were.

**Units** (``method="units"``). The units are resampled with replacement and α is
computed afresh on each resample (its D_e and, at the ordinal level, its differences
too). Pairs drawn from the coincidence matrix are treated as independent although the
pairs of one unit share its values; with many coders per unit that understates the
variation, and the units bootstrap is then markedly wider. A resample without variation
scores 0, as above. Only pairable units (two or more values) are resampled.

Because a resample only matters through how many draws fell in each cell (pairs) or on
each distinct unit pattern (units), one multinomial draw per resample replaces M or U
individual draws.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from accord.agreement.errors import AgreementInputError

#: Keep each block of resamples × cells below about 16 MB.
_BLOCK_CELLS = 2_000_000

BootstrapMethod = Literal["pairs", "units"]
BOOTSTRAP_METHODS: tuple[BootstrapMethod, ...] = ("pairs", "units")


@dataclass(frozen=True)
class BootstrapSettings:
    """How to bootstrap: resamples, seed (so a report can be reproduced), α_min, and
    what is resampled (value pairs or units)."""

    resamples: int = 10_000
    seed: int = 0
    alpha_min: float = 0.800
    confidence: float = 0.95
    method: BootstrapMethod = "pairs"

    def __post_init__(self) -> None:
        if self.resamples < 1:
            raise AgreementInputError("the number of bootstrap resamples must be at least 1")
        if not 0.0 < self.confidence < 1.0:
            raise AgreementInputError("the confidence level must lie between 0 and 1")
        if self.method not in BOOTSTRAP_METHODS:
            raise AgreementInputError(
                f"unknown bootstrap method {self.method!r}; use one of "
                f"{', '.join(BOOTSTRAP_METHODS)}"
            )

    @property
    def interval_method(self) -> str:
        """The :data:`accord.agreement.result.INTERVAL_METHODS` key of this bootstrap."""
        return f"bootstrap_{self.method}"


@dataclass(frozen=True)
class BootstrapResult:
    ci_low: float
    ci_high: float
    q_below_min: float
    samples: NDArray[np.float64]
    without_variation: int = 0  # resamples scored 0 because they had no variation


def summarise(
    samples: NDArray[np.float64], settings: BootstrapSettings, without_variation: int = 0
) -> BootstrapResult:
    """Percentile interval and q(α < α_min) of bootstrap values."""
    tail = (1.0 - settings.confidence) / 2.0
    low, high = np.quantile(samples, [tail, 1.0 - tail])
    return BootstrapResult(
        ci_low=float(low),
        ci_high=float(high),
        q_below_min=float(np.mean(samples < settings.alpha_min)),
        samples=samples,
        without_variation=without_variation,
    )


def bootstrap_alpha(
    observed: NDArray[np.float64],
    delta: NDArray[np.float64],
    d_e: float,
    pairs: float,
    settings: BootstrapSettings,
) -> BootstrapResult:
    """CI bounds and q(α < α_min) from ``settings.resamples`` resamples of value pairs.

    ``pairs`` is M, the number of pairable value pairs Σ_u m_u(m_u − 1)/2.
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
    diagonal = diagonal[keep]
    rng = np.random.default_rng(settings.seed)
    block = max(1, _BLOCK_CELLS // max(1, probs.size))
    samples = np.empty(settings.resamples, dtype=np.float64)
    flat = 0
    for start in range(0, settings.resamples, block):
        size = min(block, settings.resamples - start)
        draws = rng.multinomial(m, probs, size=size)
        alpha = 1.0 - (draws @ cell_delta) / (m * d_e)
        # Every pair in one diagonal cell: one value only, α* is 0/0 and scores 0.
        one_value = (draws[:, diagonal] == m).any(axis=1)
        alpha[one_value] = 0.0
        flat += int(one_value.sum())
        samples[start : start + size] = alpha
    np.maximum(samples, -1.0, out=samples)
    return summarise(samples, settings, flat)


def ordinal_deltas(margins: NDArray[np.float64]) -> NDArray[np.float64]:
    """Ordinal δ² for each row of margins (resamples × values → resamples × V × V)."""
    v = margins.shape[1]
    cum = np.concatenate((np.zeros((margins.shape[0], 1)), np.cumsum(margins, axis=1)), axis=1)
    lo = np.minimum.outer(np.arange(v), np.arange(v))
    hi = np.maximum.outer(np.arange(v), np.arange(v))
    between = cum[:, hi + 1] - cum[:, lo]
    out: NDArray[np.float64] = (between - (margins[:, lo] + margins[:, hi]) / 2.0) ** 2
    return out


def bootstrap_alpha_units(
    counts: NDArray[np.integer],
    delta: NDArray[np.float64],
    settings: BootstrapSettings,
    *,
    ordinal: bool = False,
) -> BootstrapResult:
    """CI bounds and q(α < α_min) from resamples of the pairable units (rows of the
    units × values ``counts``); ``ordinal`` recomputes δ² from each resample's margins."""
    pairable = counts[counts.sum(axis=1) >= 2].astype(np.float64)
    n_units = pairable.shape[0]
    if n_units < 1:
        raise AgreementInputError("the bootstrap needs pairable values with variation")
    patterns, multiplicity = np.unique(pairable, axis=0, return_counts=True)
    m_u = patterns.sum(axis=1)
    v = patterns.shape[1]
    # Each distinct unit's coincidences o_u = (n_uc n_uk − [c=k] n_uc)/(m_u − 1), flattened.
    per_unit = np.einsum("uc,uk->uck", patterns, patterns)
    per_unit[:, np.arange(v), np.arange(v)] -= patterns
    per_unit = (per_unit / (m_u - 1.0)[:, None, None]).reshape(len(patterns), v * v)
    probs = multiplicity / multiplicity.sum()
    rng = np.random.default_rng(settings.seed)
    block = max(1, _BLOCK_CELLS // max(1, len(patterns) + v * v * (v if ordinal else 1)))
    samples = np.empty(settings.resamples, dtype=np.float64)
    flat = 0
    for start in range(0, settings.resamples, block):
        size = min(block, settings.resamples - start)
        draws = rng.multinomial(n_units, probs, size=size).astype(np.float64)
        o = draws @ per_unit  # size × V²
        margins = o.reshape(size, v, v).sum(axis=2)
        n = margins.sum(axis=1)
        if ordinal:
            d = ordinal_deltas(margins)
            observed = (o.reshape(size, v, v) * d).sum(axis=(1, 2))
            expected = np.einsum("rc,rck,rk->r", margins, d, margins)
        else:
            observed = o @ delta.reshape(v * v)
            expected = np.einsum("rc,ck,rk->r", margins, delta, margins)
        varied = expected > 1e-12 * np.maximum(n, 1.0) ** 2
        alpha = np.zeros(size, dtype=np.float64)
        alpha[varied] = 1.0 - (n[varied] - 1.0) * observed[varied] / expected[varied]
        flat += int((~varied).sum())
        samples[start : start + size] = alpha
    return summarise(samples, settings, flat)
