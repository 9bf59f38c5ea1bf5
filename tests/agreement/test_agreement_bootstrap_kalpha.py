"""α's bootstrap follows Hayes & Krippendorff (2007) and KALPHA, and offers units too.

Data: Hayes & Krippendorff (2007), Table 1 (40 articles × 5 observers, ordinal; source
in tests/data/agreement/README.md). The paper's printed α is .7598.

Reference: KALPHA 3.0's resampling loop (Hayes's SPSS macro, 2011), written out below
step by step, vectorised over resamples but otherwise as the macro does it: uniform
numbers cut by the cumulative cell probabilities of the lower triangle, Σδ² per resample,
α* = 1 − Σδ²/(D_e·M) clamped at −1, then the macro's correction of α* = 1 resamples, and
its percentile positions trunc(.025·B) and trunc(.975·B) + 1. It is run with the number
of pairs M Accord draws (the 2007 paper's Σ m_u(m_u − 1)/2 = 239 here) and with the
engine's multinomial draws on a different random stream, so the two agree within
Monte Carlo error: with B = 10,000 a share's standard error is at most .005, a 2.5 %
quantile's about .004 here.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from accord.agreement.alpha import alpha_parts, difference_matrix, krippendorff_alpha
from accord.agreement.bootstrap import BootstrapSettings, bootstrap_alpha
from accord.agreement.coincidence import coincidences, value_counts
from accord.agreement.errors import AgreementInputError
from accord.agreement.reliability_data import ReliabilityData
from accord.agreement.report import reliability_report

DATA = Path(__file__).parent.parent / "data" / "agreement"
RESAMPLES = 10_000
SEED = 1


def _hayes() -> ReliabilityData:
    with (DATA / "hayes_krippendorff_2007_table1.csv").open(newline="") as f:
        rows = list(csv.reader(f))[1:]
    table = np.array([[float(v) if v else np.nan for v in row[1:]] for row in rows])
    return ReliabilityData.from_unit_rows(table)


def kalpha_3_bootstrap(
    coinc: NDArray[np.float64], delta: NDArray[np.float64], m: int, b: int, seed: int
) -> tuple[float, float, NDArray[np.float64]]:
    """KALPHA 3.0's bootstrap (lines "HERE IS WHERE WE START DOING THE BOOTSTRAPPING"
    to "NOW WE SORT THE BOOTSTRAP ESTIMATES"), drawing ``m`` pairs per resample."""
    n = coinc.sum()
    uniq = coinc.shape[0]
    nc = coinc.sum(axis=1)
    expect = np.outer(nc, nc) / (n - 1)
    expect[np.diag_indices(uniq)] = nc * (nc - 1) / (n - 1)
    expdis = (expect * delta).sum() / n
    pcoinc = 2 * coinc / n - np.diag(np.diag(coinc)) / n
    cells = [(j, i) for i in range(uniq) for j in range(i, uniq)]
    cum = np.cumsum([pcoinc[j, i] for j, i in cells])
    cell_delta = np.array([delta[j, i] for j, i in cells])
    rng = np.random.default_rng(seed)
    rand = rng.uniform(size=(b, m))
    numsum = cell_delta[np.searchsorted(cum, rand)].sum(axis=1)
    alpha = np.maximum(1 - numsum / (expdis * m), -1.0)
    nzero = int((np.diag(coinc) > 0).sum())
    nprs = m
    nx = round(b * float(((np.diag(coinc) / n) ** nprs).sum()))
    if nzero == 1:
        alpha[alpha == 1] = 0.0
    elif nx > 0:
        ones = np.flatnonzero(alpha == 1)
        alpha[ones[: min(nx, ones.size)]] = 0.0
    ordered = np.sort(alpha)
    low = ordered[int(0.025 * b) - 1]
    high = ordered[int(0.975 * b) + 1 - 1]
    return float(low), float(high), alpha


def _parts() -> tuple[NDArray[np.float64], NDArray[np.float64], int, float]:
    data = _hayes()
    counts = value_counts(data)
    o = coincidences(counts)
    delta = difference_matrix("ordinal", data.values, o.sum(axis=1))
    m_u = counts.sum(axis=1)
    pairs = int((m_u * (m_u - 1) // 2)[m_u >= 2].sum())
    return o, delta, pairs, alpha_parts(o, delta).d_e


def test_hayes_krippendorff_2007_alpha_and_pairs() -> None:
    data = _hayes()
    settings = BootstrapSettings(resamples=RESAMPLES, seed=SEED, alpha_min=0.8)
    alpha = krippendorff_alpha(value_counts(data), data.values, "ordinal", bootstrap=settings)
    assert alpha.value is not None and round(alpha.value, 4) == 0.7598  # as printed
    assert alpha.details["bootstrap_pairs"] == 239
    assert alpha.interval is not None
    assert alpha.interval.method == "bootstrap_pairs"
    assert (alpha.interval.resamples, alpha.interval.seed) == (RESAMPLES, SEED)


def test_ci_and_q_match_kalphas_algorithm_within_monte_carlo_error() -> None:
    o, delta, pairs, d_e = _parts()
    settings = BootstrapSettings(resamples=RESAMPLES, seed=SEED, alpha_min=0.8)
    ours = bootstrap_alpha(o, delta, d_e, pairs, settings)
    low, high, theirs = kalpha_3_bootstrap(o, delta, pairs, RESAMPLES, seed=2007)
    assert abs(ours.ci_low - low) < 0.015
    assert abs(ours.ci_high - high) < 0.015
    for alpha_min in (0.9, 0.8, 0.7, 0.67, 0.6):
        q_ours = float(np.mean(ours.samples < alpha_min))
        q_theirs = float(np.mean(theirs < alpha_min))
        assert abs(q_ours - q_theirs) < 0.02, alpha_min
    assert ours.q_below_min == float(np.mean(ours.samples < 0.8))
    # The interval brackets α and is well inside [−1, 1].
    assert ours.ci_low < 0.7598 < ours.ci_high


def test_kalpha_3_draws_a_different_number_of_pairs() -> None:
    """KALPHA 3.0 draws min(25·Q, (m − 1)·n/2) pairs: 318 here (5 observers, 159 values),
    where the data hold 239 pairs; its interval is correspondingly narrower."""
    o, delta, pairs, _ = _parts()
    q_cells = int((o > 0).sum())
    kalpha_m = min(25 * q_cells, (5 - 1) * int(o.sum()) // 2)
    assert (pairs, kalpha_m) == (239, 318)
    low_239, high_239, _ = kalpha_3_bootstrap(o, delta, 239, RESAMPLES, seed=3)
    low_318, high_318, _ = kalpha_3_bootstrap(o, delta, 318, RESAMPLES, seed=3)
    assert high_318 - low_318 < high_239 - low_239


def test_resamples_without_variation_score_zero() -> None:
    """KALPHA's correction: pairs all from one diagonal cell show one value only."""
    data = ReliabilityData.from_unit_rows(np.array([["a", "a"], ["a", "a"], ["a", "b"]]))
    counts = value_counts(data)
    o = coincidences(counts)
    delta = difference_matrix("nominal", data.values, o.sum(axis=1))
    settings = BootstrapSettings(resamples=20_000, seed=5, alpha_min=0.8)
    result = bootstrap_alpha(o, delta, alpha_parts(o, delta).d_e, 3, settings)
    # Only the a–a cell is on the diagonal, so no resample can agree with variation.
    assert not np.any(result.samples == 1.0)
    p_all_aa = (4 / 6) ** 3
    share = result.without_variation / settings.resamples
    assert abs(share - p_all_aa) < 0.015
    assert result.q_below_min == 1.0


def test_units_bootstrap_is_labelled_and_wider_with_five_coders() -> None:
    data = _hayes()
    pairs = reliability_report(
        data,
        level="ordinal",
        bootstrap=BootstrapSettings(resamples=RESAMPLES, seed=SEED, method="pairs"),
    )
    units = reliability_report(
        data,
        level="ordinal",
        bootstrap=BootstrapSettings(resamples=RESAMPLES, seed=SEED, method="units"),
    )
    p = pairs.to_json()
    u = units.to_json()
    assert p["input"]["bootstrap"]["method"] == "pairs"
    assert u["input"]["bootstrap"]["method"] == "units"
    p_int = p["coefficients"]["krippendorff_alpha"]["interval"]
    u_int = u["coefficients"]["krippendorff_alpha"]["interval"]
    assert p_int["method"] == "bootstrap_pairs" and "Hayes" in p_int["description"]
    assert u_int["method"] == "bootstrap_units" and "units" in u_int["description"]
    assert u_int["low"] < 0.7598 < u_int["high"]
    assert (u_int["high"] - u_int["low"]) > 1.5 * (p_int["high"] - p_int["low"])
    # Reproducible from the stated seed.
    again = reliability_report(
        data,
        level="ordinal",
        bootstrap=BootstrapSettings(resamples=RESAMPLES, seed=SEED, method="units"),
    ).to_json()
    assert again["coefficients"]["krippendorff_alpha"]["interval"] == u_int


def test_units_bootstrap_matches_recomputing_alpha_on_resampled_units() -> None:
    """Each units resample's α is α of the resampled table (ordinal δ recomputed)."""
    data = _hayes()
    counts = value_counts(data)
    settings = BootstrapSettings(resamples=5, seed=9, method="units")
    from accord.agreement.bootstrap import bootstrap_alpha_units

    result = bootstrap_alpha_units(counts, np.zeros((4, 4)), settings, ordinal=True)
    pairable = counts[counts.sum(axis=1) >= 2]
    patterns, multiplicity = np.unique(pairable, axis=0, return_counts=True)
    rng = np.random.default_rng(9)
    for sample in result.samples:
        draw = rng.multinomial(len(pairable), multiplicity / multiplicity.sum())
        table = np.repeat(patterns, draw, axis=0)
        direct = krippendorff_alpha(table, data.values, "ordinal").value
        assert direct is not None and abs(sample - direct) < 1e-12


def test_bad_bootstrap_method_is_refused() -> None:
    with pytest.raises(AgreementInputError, match="unknown bootstrap method"):
        BootstrapSettings(method="jackknife")  # type: ignore[arg-type]
