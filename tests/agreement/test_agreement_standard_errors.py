"""Gwet's (2014) standard errors match irrCAC on irrCAC's own example data.

The data are irrCAC's example data sets (tests/data/agreement/README.md names the
source). Expected values: the R package's README prints them to 5 decimals (raw
ratings) or 7 significant digits (distributions, contingency tables); the full-precision
values are those of irrCAC's Python port 0.4.4 (``irrCAC.raw.CAC(..., digits=12)``),
which reproduces every printed one. Percent agreement, which the Python port lacks, is
checked against R's ``pa.coeff.raw`` written out below as a plain loop.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest

from accord.agreement import kappas
from accord.agreement.coincidence import value_counts
from accord.agreement.errors import AgreementInputError
from accord.agreement.reliability_data import ReliabilityData
from accord.agreement.report import reliability_coefficients, reliability_report
from accord.agreement.variance import (
    VarianceSettings,
    brennan_prediger_se,
    fleiss_se,
    gwet_ac_se,
    t_quantile,
)

DATA = Path(__file__).parent.parent / "data" / "agreement"


def _rows(name: str) -> list[list[str]]:
    with (DATA / name).open(newline="") as f:
        return list(csv.reader(f))[1:]


def _raw(name: str, first: int) -> ReliabilityData:
    """Units × raters from an irrCAC CSV whose ratings start at column ``first``."""
    rows = [[v.strip() or None for v in row[first:]] for row in _rows(name)]
    return ReliabilityData.from_unit_rows(np.array(rows, dtype=object))


def _r_percent_agreement_se(data: ReliabilityData) -> float:
    """irrCAC's pa.coeff.raw, unweighted: a direct transcription."""
    per_unit, ratings_per_unit = [], []
    for row in data.codes:
        given = [int(v) for v in row if v >= 0]
        if not given:
            continue
        r = len(given)
        agree = sum(given.count(k) * (given.count(k) - 1) for k in set(given))
        per_unit.append(agree / (r * (r - 1)) if r >= 2 else 0.0)
        ratings_per_unit.append(r)
    n = len(per_unit)
    n2 = sum(1 for r in ratings_per_unit if r >= 2)
    pa = sum(p for p, r in zip(per_unit, ratings_per_unit, strict=True) if r >= 2) / n2
    scaled = [n / n2 * p for p in per_unit]
    return math.sqrt(sum((x - pa) ** 2 for x in scaled) / (n * (n - 1)))


RAW4_IRRCAC = {  # irrCAC 0.4.4, CAC(cac.raw4raters, digits=12)
    "identity": {
        "fleiss_kappa": 0.153019203469,
        "gwet_ac1": 0.142949950641,
        "brennan_prediger": 0.144716619899,
        "conger_kappa": 0.14916815248,
    },
    "quadratic": {
        "fleiss_kappa": 0.146033610757,
        "gwet_ac2": 0.103962244645,
        "brennan_prediger": 0.110894374974,
        "conger_kappa": 0.143670663829,
    },
}


@pytest.mark.parametrize("weights", ["identity", "quadratic"])
def test_raw4raters_matches_irrcac(weights: str) -> None:
    data = _raw("irrcac_cac.raw4raters.csv", 1)
    coefficients, _ = reliability_coefficients(data, weights=weights)  # type: ignore[arg-type]
    for name, expected in RAW4_IRRCAC[weights].items():
        se = coefficients[name].standard_error
        assert se is not None and abs(se - expected) < 1e-6, name
    if weights != "identity":
        return
    # The R README's printed values (5 decimals), unweighted.
    printed = {"percent_agreement": 0.12561, "gwet_ac1": 0.14295, "fleiss_kappa": 0.15302}
    printed |= {"conger_kappa": 0.14917}
    for name, expected in printed.items():
        se = coefficients[name].standard_error
        assert se is not None and abs(se - expected) <= 5e-6, name
    pa = coefficients["percent_agreement"].standard_error
    assert pa is not None and abs(pa - _r_percent_agreement_se(data)) < 1e-12


def test_finite_population_correction_matches_irrcac() -> None:
    data = _raw("irrcac_cac.raw4raters.csv", 1)
    coefficients, _ = reliability_coefficients(data, variance=VarianceSettings(population=50))
    expected = {  # irrCAC 0.4.4, CAC(cac.raw4raters, N=50, digits=12)
        "fleiss_kappa": 0.133399048869,
        "gwet_ac1": 0.124620877765,
        "brennan_prediger": 0.126161024319,
        "conger_kappa": 0.130041780451,
    }
    for name, value in expected.items():
        c = coefficients[name]
        assert c.standard_error is not None and abs(c.standard_error - value) < 1e-6, name
        assert c.interval is not None and c.interval.population == 50
    # The correction is √(1 − n/N) on every variance: 12 units of 50.
    plain, _ = reliability_coefficients(data)
    ratio = coefficients["percent_agreement"].standard_error
    base = plain["percent_agreement"].standard_error
    assert ratio is not None and base is not None
    assert abs(ratio / base - math.sqrt(1 - 12 / 50)) < 1e-12


def test_ben_gerry_two_coders_with_a_missing_rating() -> None:
    data = _raw("irrcac_cac.ben.gerry.csv", 2)
    coefficients, _ = reliability_coefficients(data)
    expected = {  # irrCAC 0.4.4 (Cohen's κ is Conger's for two raters)
        "cohen_kappa": 0.179430354116,
        "conger_kappa": 0.179430354116,
        "fleiss_kappa": 0.191295542756,
        "gwet_ac1": 0.18396215153,
        "brennan_prediger": 0.185271948676,
        # Scott's π is computed on the 11 units both rated: irrCAC's Fleiss κ on them.
        "scott_pi": 0.18007142612,
    }
    for name, value in expected.items():
        se = coefficients[name].standard_error
        assert se is not None and abs(se - value) < 1e-6, name
    pa = coefficients["percent_agreement"].standard_error
    assert pa is not None and abs(pa - _r_percent_agreement_se(data)) < 1e-12


def _counts(name: str) -> np.ndarray:
    return np.array([[int(v) for v in row[1:]] for row in _rows(name)], dtype=np.int64)


def test_distributions_match_irrcac() -> None:
    """irrCAC's ``*.dist`` functions take the units × categories counts Accord works on."""
    eye = np.eye(3)
    settings = VarianceSettings()
    counts = _counts("irrcac_cac.dist4cat.csv")
    cases = {  # irrCAC 0.4.4 on the same ratings
        0.117673338528: fleiss_se(kappas.fleiss_kappa(counts), counts, eye, settings),
        0.112598219134: gwet_ac_se(kappas.gwet_ac(counts), counts, eye, settings),
        0.11391308299: brennan_prediger_se(kappas.brennan_prediger(counts), counts, eye, settings),
    }
    for expected, c in cases.items():
        assert c.standard_error is not None and abs(c.standard_error - expected) < 1e-6
    six = _counts("irrcac_distrib.6raters.csv")
    eye5 = np.eye(5)
    printed = {  # the R README, gwet.ac1.dist / fleiss.kappa.dist / bp.coeff.dist
        0.08418757: gwet_ac_se(kappas.gwet_ac(six), six, eye5, settings),
        0.08119291: fleiss_se(kappas.fleiss_kappa(six), six, eye5, settings),
        0.08312142: brennan_prediger_se(kappas.brennan_prediger(six), six, eye5, settings),
    }
    for expected, c in printed.items():
        assert c.standard_error is not None and abs(c.standard_error - expected) < 5e-9
        assert c.interval is not None
        # irrCAC's interval: κ ± t(0.975, n − 1)·SE, upper end capped at 1.
        t = t_quantile(0.975, 14)
        assert c.value is not None
        assert abs(c.interval.low - (c.value - t * c.standard_error)) < 1e-12
    ac1 = printed[0.08418757]
    assert ac1.interval is not None
    assert (round(ac1.interval.low, 3), round(ac1.interval.high, 3)) == (0.264, 0.625)


def test_contingency_table_functions_differ_by_the_n_over_n_minus_1_factor() -> None:
    """irrCAC's kappa2.table and friends divide by n², the raw functions by n(n − 1)."""
    table = [[13, 0, 0], [0, 20, 7], [0, 4, 56]]  # cont3x3abstractors
    rows = [[str(i), str(j)] for i in range(3) for j in range(3) for _ in range(table[i][j])]
    data = ReliabilityData.from_unit_rows(np.array(rows, dtype=object))
    coefficients, _ = reliability_coefficients(data)
    printed = {  # the R README
        "cohen_kappa": 0.05891072,
        "scott_pi": 0.05905473,
        "gwet_ac1": 0.04321747,
        "brennan_prediger": 0.04693346,
        "percent_agreement": 0.03128898,
    }
    for name, value in printed.items():
        se = coefficients[name].standard_error
        assert se is not None and abs(se * math.sqrt(99 / 100) - value) < 5e-9, name


def test_t_quantiles() -> None:
    # mpmath (40 digits): the root of I_{ν/(ν+t²)}(ν/2, 1/2)/2 = 0.025.
    for df, expected in [
        (11, 2.2009851600916398),
        (14, 2.1447866879178038),
        (39, 2.0226909200367611),
        (5000, 1.9604385517065079),
    ]:
        assert abs(t_quantile(0.975, df) - expected) < 1e-12
    assert abs(t_quantile(0.975, 1) - math.tan(0.475 * math.pi)) < 1e-12
    assert abs(t_quantile(0.025, 11) + 2.2009851600916398) < 1e-12


def test_every_output_says_why_a_coefficient_has_no_standard_error() -> None:
    data = _raw("irrcac_cac.raw4raters.csv", 1)
    report = reliability_report(data)
    out = report.to_json()["coefficients"]
    assert out["fleiss_kappa"]["interval"]["method"] == "gwet_variance"
    assert out["fleiss_kappa"]["standard_error"] > 0
    # Scott's π with four coders: Gwet gives no variance, and the output says so.
    assert "standard_error" not in out["scott_pi"]
    assert "two coders" in out["scott_pi"]["no_interval_reason"]
    one_unit = ReliabilityData.from_unit_rows(np.array([["a", "b"]], dtype=object))
    single = reliability_report(one_unit).to_json()["coefficients"]
    assert "two rated units" in single["percent_agreement"]["no_interval_reason"]


def test_bad_population_sizes_are_refused() -> None:
    data = _raw("irrcac_cac.raw4raters.csv", 1)
    with pytest.raises(AgreementInputError, match="smaller than the number of rated units"):
        reliability_coefficients(data, variance=VarianceSettings(population=5))
    with pytest.raises(AgreementInputError, match="positive"):
        VarianceSettings(population=0)
    assert value_counts(data).shape == (12, 5)
