"""The engine against independent implementations on seeded random data sets, to 1e-9.

- ``krippendorff`` (PyPI): α at every level, with missing values.
- NLTK's ``AnnotationTask``: nominal and interval α, Cohen's κ (two coders) and its
  linearly and quadratically weighted form, Fleiss' κ (NLTK's multi-π, complete data),
  Conger's κ (NLTK's Davies & Fleiss multi-κ) and Brennan–Prediger (Bennett's S).
- statsmodels: Fleiss' κ and Randolph's free-marginal κ (Brennan–Prediger) from the
  units × categories table, Cohen's κ unweighted, linear and quadratic.
- scikit-learn: ``cohen_kappa_score`` unweighted, linear and quadratic.

Each comparison is skipped only when its package is not installed. The weighted forms of
statsmodels and scikit-learn weight by category index, Accord (as irrCAC) by value; the
data use the values 1…q, every one of them present, so the two agree by definition.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray

from accord.agreement.alpha import LEVELS
from accord.agreement.reliability_data import ReliabilityData
from accord.agreement.report import reliability_coefficients
from accord.agreement.weights import WeightName

TOLERANCE = 1e-9
SEEDS = range(40)


def ratings(seed: int, *, missing: bool, coders: int | None = None) -> NDArray[np.float64]:
    """Units × coders, values 1…q (each used at least once), NaN for missing; coders
    agree more often than chance, as real coders do."""
    rng = np.random.default_rng(seed)
    n_units = int(rng.integers(5, 30))
    n_coders = coders if coders is not None else int(rng.integers(2, 7))
    q = int(rng.integers(2, 6))
    truth = rng.integers(1, q + 1, size=n_units)
    noise = rng.integers(1, q + 1, size=(n_units, n_coders))
    keep = rng.random((n_units, n_coders)) < 0.6
    out = np.where(keep, truth[:, None], noise).astype(np.float64)
    out[: min(q, n_units), 0] = np.arange(1, min(q, n_units) + 1)  # every value used
    if missing:
        out[rng.random(out.shape) < 0.2] = np.nan
    return out


def engine(table: NDArray[np.float64], level: str = "nominal", weights: str = "identity") -> Any:
    data = ReliabilityData.from_unit_rows(table)
    w: WeightName = weights  # type: ignore[assignment]
    coefficients, _ = reliability_coefficients(data, level=level, weights=w)  # type: ignore[arg-type]
    return coefficients


def value_of(coefficients: Any, name: str) -> float:
    c = coefficients[name]
    assert c.value is not None, (name, c.undefined_reason)
    return float(c.value)


def close(ours: float, theirs: float, what: str) -> None:
    assert math.isfinite(theirs), what
    assert abs(ours - theirs) <= TOLERANCE, f"{what}: Accord {ours!r}, reference {theirs!r}"


def _varied(table: NDArray[np.float64]) -> bool:
    """At least two values among the units with two or more ratings."""
    pairable = table[(~np.isnan(table)).sum(axis=1) >= 2]
    values = pairable[~np.isnan(pairable)]
    return bool(values.size) and np.unique(values).size >= 2


@pytest.mark.parametrize("level", LEVELS)
def test_alpha_equals_the_krippendorff_package(level: str) -> None:
    krippendorff = pytest.importorskip("krippendorff")
    compared = 0
    for seed in SEEDS:
        table = ratings(seed, missing=True)
        if not _varied(table):
            continue
        theirs = krippendorff.alpha(reliability_data=table.T, level_of_measurement=level)
        close(
            value_of(engine(table, level), "krippendorff_alpha"), theirs, f"{level} α, seed {seed}"
        )
        compared += 1
    assert compared >= 30


def _nltk_task(table: NDArray[np.float64], distance: Any) -> Any:
    agreement = pytest.importorskip("nltk.metrics.agreement")
    triples = [
        (f"c{c}", f"u{u}", float(table[u, c]))
        for u, c in itertools.product(range(table.shape[0]), range(table.shape[1]))
    ]
    return agreement.AnnotationTask(data=triples, distance=distance)


def test_nltk_alpha_fleiss_conger_and_bennett() -> None:
    distance = pytest.importorskip("nltk.metrics.distance")
    for seed in SEEDS:
        table = ratings(seed, missing=False)
        ours = engine(table)
        task = _nltk_task(table, distance.binary_distance)
        what = f"seed {seed}"
        close(value_of(ours, "krippendorff_alpha"), task.alpha(), f"nominal α, {what}")
        close(value_of(ours, "fleiss_kappa"), task.pi(), f"Fleiss κ (multi-π), {what}")
        close(value_of(ours, "conger_kappa"), task.multi_kappa(), f"Conger κ, {what}")
        close(value_of(ours, "brennan_prediger"), task.S(), f"Brennan–Prediger (S), {what}")
        close(value_of(ours, "percent_agreement"), task.avg_Ao(), f"percent agreement, {what}")
        interval = _nltk_task(table, distance.interval_distance)
        close(
            value_of(engine(table, "interval"), "krippendorff_alpha"),
            interval.alpha(),
            f"interval α, {what}",
        )


def test_nltk_cohen_kappa_unweighted_and_weighted() -> None:
    pytest.importorskip("nltk.metrics.agreement")
    for seed in SEEDS:
        table = ratings(seed, missing=False, coders=2)
        what = f"seed {seed}"
        plain = _nltk_task(table, lambda a, b: float(a != b))
        close(value_of(engine(table), "cohen_kappa"), plain.kappa(), f"Cohen κ, {what}")
        for weights, power in (("linear", 1), ("quadratic", 2)):
            task = _nltk_task(table, lambda a, b, p=power: abs(a - b) ** p)
            close(
                value_of(engine(table, weights=weights), "cohen_kappa"),
                task.weighted_kappa(),
                f"{weights} Cohen κ, {what}",
            )


def test_statsmodels_fleiss_randolph_and_cohen() -> None:
    inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")
    for seed in SEEDS:
        table = ratings(seed, missing=False)
        counts, _ = inter_rater.aggregate_raters(table.astype(int))
        ours = engine(table)
        what = f"seed {seed}"
        close(value_of(ours, "fleiss_kappa"), inter_rater.fleiss_kappa(counts), f"Fleiss κ, {what}")
        close(
            value_of(ours, "brennan_prediger"),
            inter_rater.fleiss_kappa(counts, method="randolph"),
            f"Brennan–Prediger (Randolph), {what}",
        )
        two = ratings(seed, missing=False, coders=2)
        cross, _ = inter_rater.to_table(two.astype(int))
        for weights in ("identity", "linear", "quadratic"):
            wt = None if weights == "identity" else weights
            theirs = inter_rater.cohens_kappa(cross, wt=wt, return_results=False)
            close(
                value_of(engine(two, weights=weights), "cohen_kappa"),
                float(theirs),
                f"{weights} Cohen κ, {what}",
            )


def test_scikit_learn_cohen_kappa_score() -> None:
    metrics = pytest.importorskip("sklearn.metrics")
    for seed in SEEDS:
        two = ratings(seed, missing=False, coders=2)
        for weights in ("identity", "linear", "quadratic"):
            theirs = metrics.cohen_kappa_score(
                two[:, 0], two[:, 1], weights=None if weights == "identity" else weights
            )
            close(
                value_of(engine(two, weights=weights), "cohen_kappa"),
                float(theirs),
                f"{weights} Cohen κ, seed {seed}",
            )
