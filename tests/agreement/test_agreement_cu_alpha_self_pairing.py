"""cuα's self-pairing term: never negative expected coincidences (issue #15, point 10).

Krippendorff, Mathet, Bouvry & Widlöcher (2016) remove from the expected coincidences
the pairings a unit cannot make with itself. A unit's mass in the margins is what it
pairs with: with three coders, a stretch that only one of the two others coded puts
half its length into the margins, and its self-pairing is the square of that half, not
of the length (see :mod:`accord.agreement.unitizing_2016`).
"""

from __future__ import annotations

import random

import numpy as np

from accord.agreement.segments import Segment, build_table
from accord.agreement.unitizing_2016 import unitizing_2016


def test_issue_case_three_coders_partial_coverage() -> None:
    # Document 0–20; a: A[0,10) A[10,20); b: A[0,10) B[10,20); c: A[0,10).
    segments = [
        Segment("d", "a", "A", 0, 10),
        Segment("d", "a", "A", 10, 20),
        Segment("d", "b", "A", 0, 10),
        Segment("d", "b", "B", 10, 20),
        Segment("d", "c", "A", 0, 10),
    ]
    u = unitizing_2016(build_table(segments, {"d": (0, 20)}))
    assert u.cu_expected is not None
    # Coincidences: [0,10) three coders agree on A: 6 ordered pairs × 10/2 = 30;
    # [10,20) a's A against b's B: 10/2 each way.
    cu_observed = u.observed[:2, :2]
    assert np.allclose(cu_observed, [[30, 5], [5, 0]])
    # Margin masses μ: a's A[0,10) 10, a's A[10,20) 5, b's A 10, c's A 10, b's B 5.
    # ε = (l_c l_k − [c=k] Σμ²)/(l − Σμ²/l) with l = 40, Σμ² = 325 + 25.
    denominator = 40 - 350 / 40
    expected = np.array([[35 * 35 - 325, 35 * 5], [5 * 35, 5 * 5 - 25]]) / denominator
    assert np.allclose(u.cu_expected, expected)
    assert u.cu_expected[1, 1] == 0.0  # B is one unit: it cannot pair with itself
    assert (u.cu_expected >= 0).all()
    assert abs(u.cu_expected.sum() - cu_observed.sum()) < 1e-9
    assert u.cu_alpha.value is not None
    assert abs(u.cu_alpha.value - (1 - 10 / (2 * 35 * 5 / denominator))) < 1e-12


def _random_layers(coders: int, seed: int) -> list[Segment]:
    rng = random.Random(seed)
    out = []
    for coder in range(coders):
        pos = rng.randint(0, 30)
        while pos < 180:
            length = rng.randint(5, 40)
            out.append(Segment("d", f"c{coder}", rng.choice("XYZ"), pos, min(200, pos + length)))
            pos += length + rng.randint(0, 50)
    return out


def test_expected_coincidences_are_never_negative() -> None:
    for seed in range(60):
        segments = _random_layers(3 + seed % 3, seed)
        u = unitizing_2016(build_table(segments, {"d": (0, 200)}))
        if u.cu_expected is None:
            continue
        assert (u.cu_expected >= -1e-9).all(), seed
        k = u.cu_expected.shape[0]
        assert abs(u.cu_expected.sum() - u.observed[:k, :k].sum()) < 1e-6 * u.cu_expected.sum()
        if u.cu_alpha.value is not None:
            assert u.cu_alpha.value <= 1.0 + 1e-12


def _two_coder_length_rule(segments: list[Segment]) -> float | None:
    """cuα with the self-pairing (length overlapping the other coder's coding)², the
    rule for two coders, computed separately from the engine's μ."""
    table = build_table(segments, {"d": (0, 200)})
    u = unitizing_2016(table)
    observed = u.observed[:-1, :-1]
    n_codes = observed.shape[0]
    coded = np.zeros((2, 200), dtype=bool)
    for s in segments:
        coded[int(s.coder[1:]), s.start : s.end] = True
    self_pairs = np.zeros(n_codes)
    for i in range(table.n_segments):
        other = 1 - int(table.coder[i])
        overlap = coded[other, table.start[i] : table.end[i]].sum()
        self_pairs[table.code[i]] += float(overlap) ** 2
    total = observed.sum()
    margins = observed.sum(axis=1)
    expected = (np.outer(margins, margins) - np.diag(self_pairs)) / (
        total - self_pairs.sum() / total
    )
    d_e = expected.sum() - np.trace(expected)
    return None if d_e <= 0 else 1 - (total - np.trace(observed)) / d_e


def test_two_coders_keep_the_overlapping_length_rule() -> None:
    for seed in range(30):
        segments = _random_layers(2, 100 + seed)
        u = unitizing_2016(build_table(segments, {"d": (0, 200)}))
        reference = _two_coder_length_rule(segments)
        if reference is None or u.cu_alpha.value is None:
            continue
        assert abs(u.cu_alpha.value - reference) < 1e-12, seed
