"""α with the MASI distance carries a Hayes & Krippendorff bootstrap interval."""

from __future__ import annotations

from accord.agreement.bootstrap import BootstrapSettings
from accord.agreement.masi import masi_alpha

A, B, C = frozenset({"a"}), frozenset({"b"}), frozenset({"a", "b"})
SETS = [[A, A], [B, B], [C, A], [A, A], [B, C], [C, C], [A, B], [B, B], [A, A], [C, C]]


def test_interval_brackets_alpha_and_is_reproducible() -> None:
    plain = masi_alpha(SETS)
    settings = BootstrapSettings(resamples=2000, seed=11, alpha_min=0.8)
    first = masi_alpha(SETS, settings)
    again = masi_alpha(SETS, settings)
    assert plain.value is not None and first.value == plain.value
    assert first.ci_low is not None and first.ci_high is not None
    assert -1.0 <= first.ci_low <= first.value <= first.ci_high <= 1.0
    assert first.q_below_min is not None and 0.0 <= first.q_below_min <= 1.0
    assert (again.ci_low, again.ci_high, again.q_below_min) == (
        first.ci_low,
        first.ci_high,
        first.q_below_min,
    )


def test_no_interval_without_a_bootstrap_or_a_value() -> None:
    assert masi_alpha(SETS).ci_low is None
    same = masi_alpha([[A, A], [A, A]], BootstrapSettings(resamples=500, seed=1))
    assert same.value is None and same.ci_low is None
