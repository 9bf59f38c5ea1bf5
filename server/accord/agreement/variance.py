"""Standard errors and confidence intervals of the kappa family, by Gwet's variance formulas.

Gwet (2014), Handbook of Inter-Rater Reliability, 4th ed., ch. 5 (and Gwet 2008,
"Computing inter-rater reliability and its variance in the presence of high
agreement"), as the irrCAC packages compute them for raw ratings with missing values.
Over the n units that received at least one rating, with n₂ of them rated at least twice:

- each unit's agreement p_a|i = Σ_k r_ik(r*_ik − 1)/(r_i(r_i − 1)) (0 below two ratings);
- its share of the coefficient κ_i = (n/n₂)(p_a|i − p_e·[r_i ≥ 2])/(1 − p_e), and the
  linearised κ*_i = κ_i − 2(1 − κ)(p_e|i − p_e)/(1 − p_e), where p_e|i is the unit's
  share of chance agreement (below, per coefficient);
- v(κ) = (1 − f)/(n(n − 1)) Σ_i (κ*_i − κ)², f = n/N the sampling fraction of a finite
  population of N units (f = 0 when no N is given);
- the interval κ ± t_{n−1, 1−(1−c)/2}·√v(κ), its upper end capped at 1, as irrCAC does.

Percent agreement uses p_a|i·n/n₂ and no chance term; Brennan–Prediger's p_e = T_w/q²
does not vary with the units, so its p_e|i = p_e. Fleiss: p_e|i = Σ_k r_ik π̄_k/r_i with
π̄ the weights-averaged shares (Wπ + Wᵀπ)/2. Gwet's AC1/AC2:
p_e|i = T_w/(q(q − 1))·Σ_k r_ik(1 − π_k)/r_i. Conger (Cohen for two coders): Gwet's
λ_ig terms, which carry each coder's own margins (irrCAC ``conger.kappa.raw``).
Scott's π as Accord computes it (from the coincidence matrix) is, for two coders,
Fleiss' κ on the units both rated, and takes that variance; for more coders Gwet gives
no variance for this form, and the result says so.

irrCAC's contingency-table functions (``kappa2.table`` and friends) divide by n² rather
than n(n − 1); on the same two-coder data their standard errors are √((n − 1)/n) times
these.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.agreement.errors import AgreementInputError
from accord.agreement.result import Coefficient, Interval

F64 = NDArray[np.float64]

#: Units per block of Conger's units × coders arrays.
_BLOCK_UNITS = 262_144

FEW_UNITS = "a standard error needs at least two rated units"


@dataclass(frozen=True)
class VarianceSettings:
    """The confidence level and, for the finite-population correction, the number N of
    units in the population the rated units were drawn from (``None``: infinite)."""

    confidence: float = 0.95
    population: int | None = None

    def __post_init__(self) -> None:
        if not 0.0 < self.confidence < 1.0:
            raise AgreementInputError("the confidence level must lie between 0 and 1")
        if self.population is not None and self.population < 1:
            raise AgreementInputError("the population size must be a positive number of units")


def t_quantile(p: float, df: int) -> float:
    """The p-quantile of Student's t with ``df`` (a positive integer) degrees of freedom.

    For df ≤ 2000 the exact finite series of the t distribution function (Abramowitz &
    Stegun 26.7.3–4) is inverted by bisection; above that the Cornish–Fisher expansion
    (A&S 26.7.5), whose error there is below 1e-14.
    """
    if df < 1:
        raise ValueError("degrees of freedom must be at least 1")
    if not 0.0 < p < 1.0:
        raise ValueError("p must lie between 0 and 1")
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    if p == 0.5:
        return 0.0
    if df > 2000:
        z = NormalDist().inv_cdf(p)
        g1 = (z**3 + z) / 4.0
        g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96.0
        g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384.0
        g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160.0
        return z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4
    target = 2.0 * p - 1.0  # P(|T| ≤ t)
    lo, hi = 0.0, 1.0
    while _central(hi, df) < target:
        hi *= 2.0
    for _ in range(200):
        mid = (lo + hi) / 2.0
        if _central(mid, df) < target:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-15 * hi:
            break
    return (lo + hi) / 2.0


def _central(t: float, df: int) -> float:
    """A(t|ν) = P(|T| ≤ t) for integer ν (Abramowitz & Stegun 26.7.3–4)."""
    theta = math.atan(t / math.sqrt(df))
    c2 = math.cos(theta) ** 2
    s = math.sin(theta)
    if df % 2 == 1:
        if df == 1:
            return 2.0 * theta / math.pi
        # cosθ + (2/3)cos³θ + (2·4)/(3·5)cos⁵θ + ... up to cos^{ν−2}θ
        j = np.arange(1, (df - 1) // 2, dtype=np.float64)
        factors = np.concatenate(([1.0], np.cumprod(2.0 * j / (2.0 * j + 1.0) * c2)))
        return 2.0 / math.pi * (theta + s * math.cos(theta) * float(factors.sum()))
    # 1 + (1/2)cos²θ + (1·3)/(2·4)cos⁴θ + ... up to cos^{ν−2}θ
    j = np.arange(1, df // 2, dtype=np.float64)
    factors = np.concatenate(([1.0], np.cumprod((2.0 * j - 1.0) / (2.0 * j) * c2)))
    return s * float(factors.sum())


@dataclass(frozen=True)
class _Units:
    """Per-unit pieces shared by every coefficient: rated units only."""

    counts: F64  # n × q, r_ik
    r: F64  # r_i
    pa_i: F64  # p_a|i (0 below two ratings)
    two: NDArray[np.bool_]  # r_i ≥ 2
    n: int
    n2: int


Counts = NDArray[np.integer[Any]]


def _as_units(counts: Counts | _Units, weights: F64) -> _Units:
    """``counts`` prepared once per weights matrix (``with_standard_errors`` shares it
    between the coefficients)."""
    return counts if isinstance(counts, _Units) else _units(counts, weights)


def _units(counts: Counts, weights: F64) -> _Units:
    c = counts.astype(np.float64)
    c = c[c.sum(axis=1) > 0]
    r = c.sum(axis=1)
    weighted = c @ weights.T
    sum_q = (c * (weighted - 1.0)).sum(axis=1)
    den = r * (r - 1.0)
    two = r >= 2
    pa_i = np.zeros_like(r)
    pa_i[two] = sum_q[two] / den[two]
    return _Units(c, r, pa_i, two, int(c.shape[0]), int(two.sum()))


def _finish(
    c: Coefficient,
    linearised: F64,
    u: _Units,
    settings: VarianceSettings,
) -> Coefficient:
    """Attach √v(κ) and the t interval to ``c`` (its value is κ)."""
    if c.value is None:
        return c
    if u.n < 2:
        return _no_interval(c, FEW_UNITS)
    f = u.n / settings.population if settings.population is not None else 0.0
    if f > 1.0:
        raise AgreementInputError(
            f"the population size ({settings.population}) is smaller than the number of "
            f"rated units ({u.n})"
        )
    var = (1.0 - f) / (u.n * (u.n - 1.0)) * float(((linearised - c.value) ** 2).sum())
    se = math.sqrt(max(var, 0.0))
    t = t_quantile(1.0 - (1.0 - settings.confidence) / 2.0, u.n - 1)
    interval = Interval(
        low=c.value - t * se,
        high=min(1.0, c.value + t * se),
        method="gwet_variance",
        confidence=settings.confidence,
        population=settings.population,
    )
    return Coefficient(
        value=c.value,
        undefined_reason=None,
        ci_low=c.ci_low,
        ci_high=c.ci_high,
        q_below_min=c.q_below_min,
        details={**c.details, "variance_units": float(u.n)},
        standard_error=se,
        interval=interval,
    )


def _no_interval(c: Coefficient, reason: str) -> Coefficient:
    if c.value is None:
        return c
    return Coefficient(
        value=c.value,
        ci_low=c.ci_low,
        ci_high=c.ci_high,
        q_below_min=c.q_below_min,
        details=c.details,
        no_interval_reason=reason,
    )


def _kappa_like(
    c: Coefficient, u: _Units, pe: float, pe_i: F64, s: VarianceSettings
) -> Coefficient:
    if c.value is None:
        return c
    if u.n2 == 0:
        return _no_interval(c, FEW_UNITS)
    kappa_i = (u.n / u.n2) * (u.pa_i - pe * u.two) / (1.0 - pe)
    linearised = kappa_i - 2.0 * (1.0 - c.value) * (pe_i - pe) / (1.0 - pe)
    return _finish(c, linearised, u, s)


def percent_agreement_se(
    c: Coefficient, counts: Counts | _Units, weights: F64, s: VarianceSettings
) -> Coefficient:
    u = _as_units(counts, weights)
    if c.value is None or u.n2 == 0:
        return c
    return _finish(c, (u.n / u.n2) * u.pa_i, u, s)


def brennan_prediger_se(
    c: Coefficient, counts: Counts | _Units, weights: F64, s: VarianceSettings
) -> Coefficient:
    u = _as_units(counts, weights)
    q = u.counts.shape[1]
    if c.value is None or q < 2:
        return c
    pe = float(weights.sum() / q**2)
    return _kappa_like(c, u, pe, np.full(u.n, pe), s)


def _shares(u: _Units) -> F64:
    out: F64 = (u.counts / u.r[:, None]).mean(axis=0)
    return out


def fleiss_se(
    c: Coefficient, counts: Counts | _Units, weights: F64, s: VarianceSettings
) -> Coefficient:
    u = _as_units(counts, weights)
    if c.value is None:
        return c
    pi = _shares(u)
    pe = float(pi @ weights @ pi)
    pi_w = (weights @ pi + weights.T @ pi) / 2.0
    return _kappa_like(c, u, pe, (u.counts @ pi_w) / u.r, s)


def gwet_ac_se(
    c: Coefficient, counts: Counts | _Units, weights: F64, s: VarianceSettings
) -> Coefficient:
    u = _as_units(counts, weights)
    q = u.counts.shape[1]
    if c.value is None or q < 2:
        return c
    pi = _shares(u)
    scale = float(weights.sum()) / (q * (q - 1))
    pe = scale * float((pi * (1.0 - pi)).sum())
    return _kappa_like(c, u, pe, scale * (u.counts @ (1.0 - pi)) / u.r, s)


def scott_pi_se(
    c: Coefficient,
    counts: NDArray[np.integer[Any]],
    weights: F64,
    n_coders: int,
    s: VarianceSettings,
) -> Coefficient:
    if c.value is None:
        return c
    if n_coders != 2:
        return _no_interval(
            c,
            "Gwet (2014) gives the variance of Scott's π for two coders; with more coders "
            "see Fleiss' κ, its multi-coder form",
        )
    pairable = counts[counts.sum(axis=1) >= 2]
    return fleiss_se(c, pairable, weights, s)


def conger_se(
    c: Coefficient,
    counts: NDArray[np.integer[Any]],
    codes: NDArray[np.signedinteger[Any]],
    weights: F64,
    s: VarianceSettings,
    units: _Units | None = None,
) -> Coefficient:
    """Conger's κ (Cohen's for two coders): ``codes`` is units × coders, −1 = missing;
    ``units`` is ``counts`` prepared with ``weights`` when the caller has it."""
    if c.value is None:
        return c
    rated_units = (codes >= 0).any(axis=1)
    codes = codes[rated_units]
    q = weights.shape[0]
    present = codes >= 0
    used = present.any(axis=0)
    codes, present = codes[:, used], present[:, used]
    n, r = codes.shape
    if r < 2:
        return c
    ng = present.sum(axis=0).astype(np.float64)
    safe = np.where(present, codes, 0).astype(np.int64)
    classif = np.stack([np.bincount(safe[present[:, g], g], minlength=q) for g in range(r)]).astype(
        np.float64
    )
    pgk = classif / ng[:, None]
    pbar = pgk.mean(axis=0)
    s2 = (pgk.T @ pgk - r * np.outer(pbar, pbar)) / (r - 1)
    pe = float((weights * (np.outer(pbar, pbar) - s2 / r)).sum())
    # Gwet's λ_ig = (n/n_g)·Σ_k Σ_l w_kl(δ_igl − (ε_ig − n_g/n)p_gl)(r·p̄_k − p_gk); with
    # V_gl = Σ_k w_kl(r·p̄_k − p_gk) the sum over categories is one gather per rating.
    v = (r * pbar[None, :] - pgk) @ weights  # r × q
    pv = (pgk * v).sum(axis=1)  # r
    rows = np.arange(r)[None, :]
    pe_i = np.empty(n, dtype=np.float64)
    for start in range(0, n, _BLOCK_UNITS):
        block = slice(start, start + _BLOCK_UNITS)
        eps = present[block] - ng[None, :] / n
        gathered = np.where(present[block], v[rows, safe[block]], 0.0)
        lam = (n / ng)[None, :] * (gathered - eps * pv[None, :])
        pe_i[block] = lam.sum(axis=1) / (r * (r - 1))
    u = units if units is not None else _units(counts, weights)
    return _kappa_like(c, u, pe, pe_i, s)


def with_standard_errors(
    coefficients: dict[str, Coefficient],
    counts: Counts,
    codes: NDArray[np.signedinteger[Any]],
    weights: F64,
    s: VarianceSettings,
) -> dict[str, Coefficient]:
    """The reliability coefficients with Gwet's standard errors and intervals attached
    (``gwet_ac1`` unweighted, the others with ``weights``; α is left as it is)."""
    identity = np.eye(weights.shape[0])
    plain = _units(counts, identity)
    weighted = plain if np.array_equal(weights, identity) else _units(counts, weights)
    out = dict(coefficients)
    for name, c in coefficients.items():
        if name == "percent_agreement":
            out[name] = percent_agreement_se(c, plain, identity, s)
        elif name in ("cohen_kappa", "conger_kappa"):
            out[name] = conger_se(c, counts, codes, weights, s, weighted)
        elif name == "scott_pi":
            out[name] = scott_pi_se(c, counts, weights, codes.shape[1], s)
        elif name == "fleiss_kappa":
            out[name] = fleiss_se(c, weighted, weights, s)
        elif name == "brennan_prediger":
            out[name] = brennan_prediger_se(c, weighted, weights, s)
        elif name == "gwet_ac1":
            out[name] = gwet_ac_se(c, plain, identity, s)
        elif name == "gwet_ac2":
            out[name] = gwet_ac_se(c, weighted, weights, s)
    return out
