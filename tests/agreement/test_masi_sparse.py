"""α with the MASI distance, computed without the sets × sets matrices, equals the plain
dense computation, bootstrap interval included, on random studies of every shape."""

from __future__ import annotations

import random

import pytest

from accord.agreement import masi
from accord.agreement.bootstrap import BootstrapSettings
from accord.agreement.masi import masi_alpha, masi_alpha_dense

CODES = [f"c{n}" for n in range(9)]


def study(
    rng: random.Random, units: int, coders: int, widest: int
) -> list[list[frozenset[str] | None]]:
    rows: list[list[frozenset[str] | None]] = []
    for _ in range(units):
        row: list[frozenset[str] | None] = []
        for _ in range(coders):
            if rng.random() < 0.15:
                row.append(None)
            else:
                row.append(frozenset(rng.sample(CODES, rng.randint(0, widest))))
        rows.append(row)
    return rows


@pytest.mark.parametrize("seed", range(12))
def test_sparse_equals_dense(seed: int) -> None:
    rng = random.Random(seed)
    sets = study(rng, rng.randint(1, 60), rng.randint(1, 6), rng.randint(0, 5))
    boot = BootstrapSettings(resamples=500, seed=seed)
    fast, plain = masi_alpha(sets, boot), masi_alpha_dense(sets, boot)
    if plain.value is None:
        assert fast.value is None and fast.undefined_reason == plain.undefined_reason
        return
    assert fast.value == pytest.approx(plain.value, rel=1e-12, abs=1e-12)
    for key in ("observed_disagreement", "expected_disagreement", "pairable_values"):
        assert fast.details[key] == pytest.approx(plain.details[key], rel=1e-12, abs=1e-12)
    assert fast.ci_low == pytest.approx(plain.ci_low, abs=1e-9)
    assert fast.ci_high == pytest.approx(plain.ci_high, abs=1e-9)
    assert fast.q_below_min == pytest.approx(plain.q_below_min, abs=1e-9)
    assert fast.interval == plain.interval or (
        fast.interval is not None
        and plain.interval is not None
        and fast.interval.method == plain.interval.method
        and fast.interval.low == pytest.approx(plain.interval.low, abs=1e-9)
        and fast.interval.high == pytest.approx(plain.interval.high, abs=1e-9)
    )
    for key in ("bootstrap_pairs", "bootstrap_without_variation"):
        assert fast.details[key] == plain.details[key]


def test_the_units_bootstrap_is_the_dense_one() -> None:
    sets = study(random.Random(5), 30, 3, 3)
    boot = BootstrapSettings(resamples=300, seed=2, method="units")
    assert masi_alpha(sets, boot) == masi_alpha_dense(sets, boot)


def test_large_sets_take_the_blockwise_route_with_the_same_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sets = study(random.Random(99), 40, 4, 6)
    expected = masi_alpha_dense(sets)
    monkeypatch.setattr(masi, "_MAX_SUBSET_SIZE", 1)
    assert masi_alpha(sets).value == pytest.approx(expected.value, rel=1e-12)
