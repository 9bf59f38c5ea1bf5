"""Krippendorff's α in its coincidence form, for any number of coders and missing data.

α = 1 − D_o/D_e with D_o = Σ o_ck δ²_ck / n and D_e = Σ n_c n_k δ²_ck / (n(n − 1))
(Krippendorff 2004, Content Analysis 2nd ed., §11.3, eqs. on pp. 228–232; Krippendorff
2011, "Computing Krippendorff's alpha-reliability"). The difference functions δ² are
the four of Krippendorff (2004, pp. 232–235).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from accord.agreement.bootstrap import (
    BootstrapResult,
    BootstrapSettings,
    bootstrap_alpha,
    bootstrap_alpha_units,
)
from accord.agreement.coincidence import coincidences
from accord.agreement.errors import AgreementInputError
from accord.agreement.result import Coefficient, Interval, undefined

Level = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS: tuple[Level, ...] = ("nominal", "ordinal", "interval", "ratio")

NO_PAIRABLE = "no pairable units: no unit has values from at least two coders"


def difference_matrix(
    level: Level, values: NDArray[np.generic], margins: NDArray[np.float64]
) -> NDArray[np.float64]:
    """δ²_ck for every pair of values in the (ordered) value domain.

    Ordinal differences depend on the margins n_c of the pairable values, so the same
    ranks can be far apart in one data set and close in another (Krippendorff 2004,
    p. 233).
    """
    v = margins.shape[0]
    if level == "nominal":
        return 1.0 - np.eye(v)
    if level == "ordinal":
        cum = np.concatenate(([0.0], np.cumsum(margins)))
        lo = np.minimum.outer(np.arange(v), np.arange(v))
        hi = np.maximum.outer(np.arange(v), np.arange(v))
        between = cum[hi + 1] - cum[lo]
        d: NDArray[np.float64] = (between - (margins[lo] + margins[hi]) / 2.0) ** 2
        return d
    x = np.asarray(values, dtype=np.float64)
    if level == "interval":
        d = np.subtract.outer(x, x) ** 2
        return d
    if level == "ratio":
        total = np.add.outer(x, x)
        diff = np.subtract.outer(x, x)
        d = np.divide(diff, total, out=np.zeros_like(diff), where=total != 0) ** 2
        return d
    raise AgreementInputError(f"unknown level {level!r}; use one of {', '.join(LEVELS)}")


@dataclass(frozen=True)
class AlphaParts:
    """The pieces of α, kept so the bootstrap and the report can reuse them."""

    observed: NDArray[np.float64]
    delta: NDArray[np.float64]
    n: float
    d_o: float
    d_e: float


def alpha_parts(observed: NDArray[np.float64], delta: NDArray[np.float64]) -> AlphaParts:
    margins = observed.sum(axis=1)
    n = float(margins.sum())
    if n <= 1.0:
        return AlphaParts(observed, delta, n, 0.0, 0.0)
    d_o = float((observed * delta).sum() / n)
    d_e = float(margins @ delta @ margins / (n * (n - 1.0)))
    return AlphaParts(observed, delta, n, d_o, d_e)


def alpha_from_parts(parts: AlphaParts) -> Coefficient:
    if parts.n <= 1.0:
        return undefined(NO_PAIRABLE)
    if parts.d_e <= 0.0:
        return undefined(
            "no variation: every pairable value is the same, so expected disagreement "
            "is 0 and α is 0/0",
            observed_disagreement=parts.d_o,
            expected_disagreement=parts.d_e,
            pairable_values=parts.n,
        )
    return Coefficient(
        value=1.0 - parts.d_o / parts.d_e,
        details={
            "observed_disagreement": parts.d_o,
            "expected_disagreement": parts.d_e,
            "pairable_values": parts.n,
        },
    )


def krippendorff_alpha(
    counts: NDArray[np.integer],
    values: NDArray[np.generic],
    level: Level = "nominal",
    *,
    numeric: bool = True,
    bootstrap: BootstrapSettings | None = None,
) -> Coefficient:
    """α from a units × values count matrix (the ``value_counts`` form).

    ``values`` is the ordered value domain matching the count columns. With
    ``bootstrap`` the coefficient carries Hayes & Krippendorff (2007) CI bounds and
    q(α < α_min).
    """
    if level in ("interval", "ratio") and not numeric:
        raise AgreementInputError(f"the {level} level needs numeric values")
    if values.size and values.dtype.kind in "iuf":
        x = np.asarray(values, dtype=np.float64)
        if not np.all(np.isfinite(x)):
            raise AgreementInputError("α needs finite values; infinite values are refused")
        if level == "ratio" and np.any(x < 0):
            raise AgreementInputError(
                f"the ratio level needs values of at least 0, but {float(x.min()):g} is negative"
            )
    observed = coincidences(counts)
    delta = difference_matrix(level, values, observed.sum(axis=1))
    return alpha_with_interval(counts, observed, delta, bootstrap, ordinal=level == "ordinal")


def alpha_with_interval(
    counts: NDArray[np.integer],
    observed: NDArray[np.float64],
    delta: NDArray[np.float64],
    bootstrap: BootstrapSettings | None,
    *,
    ordinal: bool = False,
) -> Coefficient:
    """α from coincidences and any difference matrix, with bootstrap CI bounds and
    q(α < α_min) when ``bootstrap`` is given and α is defined: over value pairs (Hayes &
    Krippendorff 2007) or over units, as ``bootstrap.method`` says (see
    :mod:`accord.agreement.bootstrap`). ``ordinal`` recomputes the ordinal differences
    on each resample of units."""
    parts = alpha_parts(observed, delta)
    result = alpha_from_parts(parts)
    if bootstrap is None or result.value is None:
        return result
    m_u = counts.sum(axis=1)
    pairs = float((m_u * (m_u - 1) // 2)[m_u >= 2].sum())
    if bootstrap.method == "units":
        boot = bootstrap_alpha_units(counts, delta, bootstrap, ordinal=ordinal)
        extra = {"bootstrap_units": float(np.count_nonzero(m_u >= 2))}
    else:
        boot = bootstrap_alpha(observed, delta, parts.d_e, pairs, bootstrap)
        extra = {"bootstrap_pairs": pairs}
    return with_bootstrap(result, boot, bootstrap, extra)


def with_bootstrap(
    result: Coefficient,
    boot: BootstrapResult,
    bootstrap: BootstrapSettings,
    extra: dict[str, float],
) -> Coefficient:
    """An α with its bootstrap's interval, q(α < α_min) and what was resampled."""
    return replace(
        result,
        ci_low=boot.ci_low,
        ci_high=boot.ci_high,
        q_below_min=boot.q_below_min,
        interval=Interval(
            low=boot.ci_low,
            high=boot.ci_high,
            method=bootstrap.interval_method,
            confidence=bootstrap.confidence,
            resamples=bootstrap.resamples,
            seed=bootstrap.seed,
        ),
        details={
            **result.details,
            **extra,
            "bootstrap_without_variation": float(boot.without_variation),
        },
    )
