"""Published values from ../shared/reference/agreement-cases.md, to the digits published."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest

from accord.agreement import kappas
from accord.agreement.alpha import krippendorff_alpha
from accord.agreement.coincidence import coincidences, value_counts
from accord.agreement.reliability_data import ReliabilityData
from accord.agreement.report import reliability_report
from accord.agreement.segments import Segment, build_table
from accord.agreement.unitizing_2004 import unitizing_alpha_2004
from accord.agreement.weights import weight_matrix

nan = float("nan")

K2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
]
RAW4RATERS = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, nan],
    [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 3],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
]
FLEISS1971 = [
    [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5],
    [2, 2, 2, 4, 4, 4], [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4],
    [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5], [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4],
    [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5], [3, 3, 3, 3, 3, 5],
    [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4],
    [1, 4, 4, 4, 4, 5], [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
]  # fmt: skip
ABSTRACTORS = [[13, 0, 0], [0, 20, 7], [0, 4, 56]]
COHEN1960 = [[88, 14, 18], [10, 40, 10], [2, 6, 12]]
K2004_UNITS = [
    (225, 70, 0, "c"), (370, 30, 0, "c"), (220, 80, 1, "c"), (355, 20, 1, "c"),
    (400, 20, 1, "c"), (180, 60, 0, "k"), (300, 50, 0, "k"), (180, 60, 1, "k"),
    (300, 50, 1, "k"),
]  # fmt: skip


def published(value: float | None, expected: float) -> None:
    """Equal when rounded to the number of decimals the source prints."""
    assert value is not None
    digits = len(repr(expected).split(".")[1]) if "." in repr(expected) else 0
    assert round(value, digits) == pytest.approx(expected, abs=1e-12), (value, expected)


def expand(table: list[list[int]]) -> ReliabilityData:
    """A contingency table as two-coder reliability data (units × coders)."""
    rows = [[i, j] for i, row in enumerate(table) for j, n in enumerate(row) for _ in range(n)]
    return ReliabilityData.from_unit_rows(np.array(rows, dtype=float))


def parts(data: ReliabilityData) -> tuple[np.ndarray, np.ndarray]:
    return value_counts(data), kappas.coder_category_counts(data.codes, data.n_values)


@pytest.mark.parametrize(
    ("level", "expected"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
@pytest.mark.parametrize("matrix", [K2011, RAW4RATERS])
def test_case_a_alpha(matrix: list[list[float]], level: str, expected: float) -> None:
    data = ReliabilityData.from_coder_rows(matrix)
    alpha = krippendorff_alpha(value_counts(data), data.values, level)  # type: ignore[arg-type]
    published(alpha.value, expected)
    reference = krippendorff.alpha(reliability_data=matrix, level_of_measurement=level)
    assert alpha.value == pytest.approx(reference, abs=1e-12)


def test_case_a_irrcac_raw4raters() -> None:
    counts, per_coder = parts(ReliabilityData.from_coder_rows(RAW4RATERS))
    published(kappas.percent_agreement(counts).value, 0.8181818)
    published(kappas.gwet_ac(counts).value, 0.77544)
    published(kappas.fleiss_kappa(counts).value, 0.76117)
    published(kappas.conger_kappa(counts, per_coder).value, 0.76282)
    published(kappas.brennan_prediger(counts).value, 0.77273)


def test_case_a_conger_on_k2011() -> None:
    counts, per_coder = parts(ReliabilityData.from_coder_rows(K2011))
    published(kappas.conger_kappa(counts, per_coder).value, 0.7620669)
    # Only Conger depends on which coder gave the lone rating of unit 12.
    published(kappas.fleiss_kappa(counts).value, 0.76117)


def test_irrcac_weighted_ac2_bipolar() -> None:
    """irrCAC documents AC2 = 0.90037 (pa .96836, pe .68244) on raw4raters, bipolar weights."""
    data = ReliabilityData.from_coder_rows(RAW4RATERS)
    w = weight_matrix("bipolar", data.values, data.numeric)
    ac2 = kappas.gwet_ac(value_counts(data), w)
    published(ac2.value, 0.90037)
    published(ac2.details["p_o"], 0.96836)
    published(ac2.details["p_e"], 0.68244)


def test_case_b_fleiss() -> None:
    counts = value_counts(ReliabilityData.from_unit_rows(FLEISS1971))
    kappa = kappas.fleiss_kappa(counts)
    published(kappa.value, 0.430)
    published(kappa.details["p_o"], 0.5556)
    # Fleiss printed P̄_e from p_j rounded to three decimals.
    p_j = [c.details["p_j"] for c in kappas.fleiss_category_kappas(counts)]
    published(float(np.sum(np.round(p_j, 3) ** 2)), 0.2201)


def test_case_b_fleiss_per_category() -> None:
    counts = value_counts(ReliabilityData.from_unit_rows(FLEISS1971))
    hand = kappas.fleiss_category_kappas(counts, intermediate_digits=3)
    for got, expected in zip(hand, [0.248, 0.248, 0.517, 0.470, 0.565], strict=True):
        published(got.value, expected)
    # Exact arithmetic differs in the third decimal; these are the definition's values.
    exact = [c.value for c in kappas.fleiss_category_kappas(counts)]
    assert exact == pytest.approx([0.2448, 0.2448, 0.5200, 0.4711, 0.5661], abs=5e-5)


def test_case_c_abstractors() -> None:
    data = expand(ABSTRACTORS)
    counts, per_coder = parts(data)
    published(kappas.percent_agreement(counts).value, 0.89)
    published(kappas.cohen_kappa(counts, per_coder).value, 0.7964094)
    published(kappas.scott_pi(coincidences(counts)).value, 0.7962397)
    published(kappas.gwet_ac(counts).value, 0.8493305)
    published(kappas.brennan_prediger(counts).value, 0.835)
    published(krippendorff_alpha(counts, data.values).value, 0.7972585)


def test_case_c_cohen_1960() -> None:
    counts, per_coder = parts(expand(COHEN1960))
    kappa = kappas.cohen_kappa(counts, per_coder)
    published(kappa.value, 0.492)
    published(kappa.details["p_o"], 0.70)
    published(kappa.details["p_e"], 0.41)


def test_weighted_cohen_matches_its_definition() -> None:
    """Cohen (1968): κ_w = 1 − Σ v_ij p_ij / Σ v_ij p_i· p_·j with disagreement weights v."""
    table = np.array(COHEN1960, dtype=float)
    p = table / table.sum()
    data = expand(COHEN1960)
    counts, per_coder = parts(data)
    for name in ("linear", "quadratic"):
        w = weight_matrix(name, data.values, data.numeric)  # type: ignore[arg-type]
        v = 1.0 - w
        expected = 1.0 - (v * p).sum() / (v * np.outer(p.sum(1), p.sum(0))).sum()
        got = kappas.cohen_kappa(counts, per_coder, w).value
        assert got == pytest.approx(expected, abs=1e-12)


def test_case_d_unitizing_2004() -> None:
    segments = [Segment("doc", str(c), k, b, b + length) for b, length, c, k in K2004_UNITS]
    result = unitizing_alpha_2004(build_table(segments, {"doc": (150, 450)}))
    c, k = result.per_code
    published(c.details["observed_disagreement"], 0.0144)
    published(c.details["expected_disagreement"], 0.0532)
    published(c.value, 0.7286)
    published(k.details["observed_disagreement"], 0)
    published(k.details["expected_disagreement"], 0.0490)
    published(k.value, 1.0)
    published(result.overall.value, 0.859)


@pytest.mark.parametrize(
    ("coder0", "coder1", "expected"),
    [
        ((225, 295), (220, 300), 50),  # unit vs unit
        ((370, 400), (355, 375), 850),  # unit vs unit
        ((300, 350), (400, 420), 400),  # coder 0's final gap (400, 450) vs unit (400, 20)
    ],
)
def test_case_d_pair_distances(
    coder0: tuple[int, int], coder1: tuple[int, int], expected: float
) -> None:
    """D_o = 2Σδ²/(m(m−1)L²) with m = 2 gives Σδ² = D_o·L² for one pair of pieces."""
    segments = [Segment("doc", "0", "c", *coder0), Segment("doc", "1", "c", *coder1)]
    result = unitizing_alpha_2004(build_table(segments, {"doc": (150, 450)}))
    total = result.observed[0] * 300**2
    gaps_inside = 0.0
    if coder0[1] <= coder1[0]:  # disjoint: both units lie in the other's gap
        gaps_inside = (coder0[1] - coder0[0]) ** 2
    assert total - gaps_inside == pytest.approx(expected)


def test_edge_opposite_values() -> None:
    data = ReliabilityData.from_unit_rows([["A", "B"], ["B", "A"]])
    alpha = krippendorff_alpha(value_counts(data), data.values)
    assert alpha.value == pytest.approx(-0.5)
    assert alpha.details["observed_disagreement"] == pytest.approx(1.0)
    assert alpha.details["expected_disagreement"] == pytest.approx(2 / 3)


def test_edge_nearly_uniform() -> None:
    rows = [
        [3, 3, 3, 3, 3],
        [3, 3, 3, 3, 3],
        [3, 3, nan, nan, 3],
        [3, 3, 3, 3, 1],
        [3, nan, 3, 3, 3],
    ]
    data = ReliabilityData.from_unit_rows(rows)
    assert krippendorff_alpha(value_counts(data), data.values).value == pytest.approx(0.0)


def test_edge_no_variation_is_undefined_everywhere() -> None:
    data = ReliabilityData.from_unit_rows([[2, 2, 2], [2, 2, 2], [2, 2, nan]])
    report = reliability_report(data)
    for name in ("krippendorff_alpha", "scott_pi", "fleiss_kappa", "conger_kappa"):
        c = report.coefficients[name]
        assert c.value is None and c.undefined_reason, name
        assert report.to_json()["coefficients"][name] == {
            "value": None,
            "undefined_reason": c.undefined_reason,
        }
    assert report.coefficients["percent_agreement"].value == 1.0


def test_edge_too_few_coders_excluded_and_counted() -> None:
    data = ReliabilityData.from_coder_rows(K2011)
    report = reliability_report(data)
    assert report.counts.units == 12
    assert report.counts.used == 11
    assert report.counts.excluded == 1  # unit 12 has one value
    assert report.counts.pairable_values == 40


def test_no_pairable_unit_is_undefined() -> None:
    data = ReliabilityData.from_unit_rows([[1, nan], [nan, 2]])
    report = reliability_report(data)
    alpha = report.coefficients["krippendorff_alpha"]
    assert alpha.value is None
    assert "pairable" in (alpha.undefined_reason or "")
    assert report.counts.excluded == 2
