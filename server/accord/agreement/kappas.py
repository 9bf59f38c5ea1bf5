"""Percent agreement and the kappa family, in Gwet's general multi-rater forms.

Gwet (2014), Handbook of Inter-Rater Reliability, 4th ed., ch. 2 and 5, as the irrCAC
packages compute them, with missing ratings:

- p_a averages, over units with r_i ≥ 2 ratings, Σ_k r_ik(r*_ik − 1)/(r_i(r_i − 1)),
  where r*_ik = Σ_l w_kl r_il;
- π_k averages r_ik/r_i over units with at least one rating;
- each coefficient is (p_a − p_e)/(1 − p_e) and differs only in p_e.

Inputs are a units × categories count matrix ``counts`` (r_ik) and, for Conger and
Cohen, a coders × categories matrix of how often each coder used each category.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.agreement.errors import AgreementInputError
from accord.agreement.result import Coefficient, chance_corrected, defined, undefined

NO_PAIRS = "no unit has ratings from at least two coders"
NO_VARIATION = (
    "no variation: every rating is the same value, so agreement cannot be told from a "
    "constant; the coefficient is undefined rather than the 1.0 its formula gives with "
    "categories nobody used"
)


def _one_value(counts: NDArray[np.integer]) -> bool:
    """Whether the ratings use fewer than two categories (declared ones count only
    when used: a code nobody applied gives no evidence of agreement)."""
    return int(np.count_nonzero(counts.sum(axis=0))) < 2


def _rated(counts: NDArray[np.integer]) -> NDArray[np.float64]:
    c: NDArray[np.float64] = counts.astype(np.float64)
    rated: NDArray[np.float64] = c[c.sum(axis=1) > 0]
    return rated


def observed_agreement(counts: NDArray[np.integer], weights: NDArray[np.float64]) -> float | None:
    """Gwet's p_a; None when no unit has two ratings."""
    c = counts.astype(np.float64)
    r = c.sum(axis=1)
    two = r >= 2
    if not np.any(two):
        return None
    c2 = c[two]
    weighted = c2 @ weights.T
    per_unit = (c2 * (weighted - 1.0)).sum(axis=1) / (r[two] * (r[two] - 1.0))
    return float(per_unit.mean())


def category_shares(counts: NDArray[np.integer]) -> NDArray[np.float64]:
    """π_k: the mean over rated units of the share of ratings in category k."""
    c = _rated(counts)
    shares: NDArray[np.float64] = (c / c.sum(axis=1, keepdims=True)).mean(axis=0)
    return shares


def percent_agreement(
    counts: NDArray[np.integer], weights: NDArray[np.float64] | None = None
) -> Coefficient:
    w = np.eye(counts.shape[1]) if weights is None else weights
    p_a = observed_agreement(counts, w)
    if p_a is None:
        return undefined(NO_PAIRS)
    return defined(p_a, p_o=p_a)


def fleiss_kappa(
    counts: NDArray[np.integer], weights: NDArray[np.float64] | None = None
) -> Coefficient:
    """Fleiss' generalised κ (Fleiss 1971; Gwet 2014, eq. 2.6): p_e = Σ w_kl π_k π_l."""
    w = np.eye(counts.shape[1]) if weights is None else weights
    p_a = observed_agreement(counts, w)
    if p_a is None:
        return undefined(NO_PAIRS)
    pi = category_shares(counts)
    return chance_corrected(p_a, float(pi @ w @ pi))


def gwet_ac(counts: NDArray[np.integer], weights: NDArray[np.float64] | None = None) -> Coefficient:
    """Gwet's AC1 (identity weights) or AC2: p_e = T_w Σ π_k(1 − π_k)/(q(q − 1))."""
    q = counts.shape[1]
    w = np.eye(q) if weights is None else weights
    p_a = observed_agreement(counts, w)
    if p_a is None:
        return undefined(NO_PAIRS)
    if q < 2 or _one_value(counts):
        return undefined(NO_VARIATION, p_o=p_a)
    pi = category_shares(counts)
    p_e = float(w.sum() * (pi * (1.0 - pi)).sum() / (q * (q - 1)))
    return chance_corrected(p_a, p_e)


def brennan_prediger(
    counts: NDArray[np.integer], weights: NDArray[np.float64] | None = None
) -> Coefficient:
    """Brennan & Prediger (1981): chance agreement from q equally likely categories."""
    q = counts.shape[1]
    w = np.eye(q) if weights is None else weights
    p_a = observed_agreement(counts, w)
    if p_a is None:
        return undefined(NO_PAIRS)
    if q < 2 or _one_value(counts):
        return undefined(NO_VARIATION, p_o=p_a)
    return chance_corrected(p_a, float(w.sum() / q**2))


def coder_category_counts(
    codes: NDArray[np.signedinteger[Any]], n_values: int
) -> NDArray[np.int64]:
    """Coders × categories: how many times each coder used each category."""
    n_coders = codes.shape[1]
    present = codes >= 0
    cols = np.broadcast_to(np.arange(n_coders, dtype=np.int64)[None, :], codes.shape)[present]
    flat = cols * n_values + codes[present]
    out = np.bincount(flat, minlength=n_coders * n_values).reshape(n_coders, n_values)
    return out.astype(np.int64)


def conger_kappa(
    counts: NDArray[np.integer],
    per_coder: NDArray[np.integer],
    weights: NDArray[np.float64] | None = None,
) -> Coefficient:
    """Conger's κ (Conger 1980; Gwet 2014, eq. 2.9): each coder keeps their own margins.

    p_e = Σ w_kl (p̄_k p̄_l − s²_kl/r), with p_gk the share of coder g's ratings in k
    (over every unit g rated) and s²_kl their covariance across the r coders.
    """
    q = counts.shape[1]
    w = np.eye(q) if weights is None else weights
    p_a = observed_agreement(counts, w)
    if p_a is None:
        return undefined(NO_PAIRS)
    used = per_coder.sum(axis=1) > 0
    pgk = per_coder[used].astype(np.float64)
    pgk /= pgk.sum(axis=1, keepdims=True)
    r = pgk.shape[0]
    if r < 2:
        return undefined("fewer than two coders gave any rating")
    mean = pgk.mean(axis=0)
    s2 = (pgk.T @ pgk - r * np.outer(mean, mean)) / (r - 1)
    p_e = float((w * (np.outer(mean, mean) - s2 / r)).sum())
    return chance_corrected(p_a, p_e)


def cohen_kappa(
    counts: NDArray[np.integer],
    per_coder: NDArray[np.integer],
    weights: NDArray[np.float64] | None = None,
) -> Coefficient:
    """Cohen's (weighted) κ for exactly two coders: p_e = Σ w_kl p_k· p_·l.

    With two coders Conger's p_e reduces algebraically to Cohen's, so the same code
    serves; with missing ratings each coder's margins use every unit they rated, and
    p_o uses the units both rated (Gwet 2014, §2.5).
    """
    if per_coder.shape[0] != 2:
        return undefined("Cohen's κ is defined for exactly two coders")
    return conger_kappa(counts, per_coder, weights)


def scott_pi(
    observed: NDArray[np.float64], weights: NDArray[np.float64] | None = None
) -> Coefficient:
    """Scott's π from the coincidence matrix: pooled margins, no small-sample correction.

    p_o = Σ w_ck o_ck / n and p_e = Σ w_ck n_c n_k / n². For two coders without missing
    data this is Scott (1955) exactly; in general 1 − α = (1 − π)(n − 1)/n
    (Krippendorff 2004, p. 250), n being the number of pairable values.
    """
    n = float(observed.sum())
    if n <= 1.0:
        return undefined(NO_PAIRS)
    w = np.eye(observed.shape[0]) if weights is None else weights
    margins = observed.sum(axis=1) / n
    p_o = float((observed * w).sum() / n)
    return chance_corrected(p_o, float(margins @ w @ margins))


def fleiss_category_kappas(
    counts: NDArray[np.integer], *, intermediate_digits: int | None = None
) -> list[Coefficient]:
    """Fleiss (1971, eqs. 10-11) per-category κ_j = (P̄_j − p_j)/(1 − p_j).

    P̄_j = (Σ_i n_ij² − N·n·p_j)/(N·n(n − 1)·p_j) is the chance that a second rating of
    a unit is j given that the first is. With unequal numbers of ratings, the
    equivalent form 1 − Σ_i n_ij(m_i − n_ij)/(m_i(m_i − 1)) / (N p_j q_j) is used over
    units with m_i ≥ 2, p_j being the mean share of j in those units.

    Fleiss computed his published table by hand with p_j and P̄_j rounded to three
    decimals; ``intermediate_digits=3`` repeats that rounding so the 1971 figures can be
    checked. The default is exact arithmetic.
    """
    c = counts.astype(np.float64)
    m = c.sum(axis=1)
    two = m >= 2
    if not np.any(two):
        return [undefined(NO_PAIRS) for _ in range(c.shape[1])]
    c2, m2 = c[two], m[two][:, None]
    p = (c2 / m2).mean(axis=0)
    disagreement = (c2 * (m2 - c2) / (m2 * (m2 - 1.0))).mean(axis=0)
    if intermediate_digits is not None:
        if np.any(m2 != m2[0, 0]):
            raise AgreementInputError(
                "Fleiss's hand-rounded form needs the same number of ratings on every unit"
            )
        p = np.round(p, intermediate_digits)
    out: list[Coefficient] = []
    for j in range(c.shape[1]):
        spread = p[j] * (1.0 - p[j])
        if spread <= 0.0:
            out.append(
                undefined(
                    "the category is used by every rating or by none, so κ_j is 0/0",
                    p_j=p[j],
                )
            )
            continue
        if intermediate_digits is None:
            # Exact: P̄_j − p_j = q_j − disagreement_j/p_j.
            p_bar_j = 1.0 - disagreement[j] / p[j]
        else:
            # Fleiss's eq. 10 as printed, with the rounded p_j inside it.
            n = float(m2[0, 0])
            big_n = float(c2.shape[0])
            squares = float((c2[:, j] ** 2).sum())
            p_bar_j = (squares - big_n * n * p[j]) / (big_n * n * (n - 1.0) * p[j])
            p_bar_j = round(p_bar_j, intermediate_digits)
        out.append(defined((p_bar_j - p[j]) / (1.0 - p[j]), p_j=p[j], p_bar_j=p_bar_j))
    return out
