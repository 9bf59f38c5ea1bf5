"""Agreement weight matrices for weighted kappas and Gwet's AC2, as Gwet defines them.

Gwet (2014), Handbook of Inter-Rater Reliability, 4th ed., §3.5 and the irrCAC
packages: w_kk = 1 and 0 ≤ w_kl ≤ 1. Numeric categories use their values; labels use
their ranks 1..q.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import NDArray

from accord.agreement.errors import AgreementInputError

WeightName = Literal[
    "identity", "linear", "quadratic", "ordinal", "radical", "ratio", "circular", "bipolar"
]
WEIGHT_NAMES: tuple[WeightName, ...] = (
    "identity",
    "linear",
    "quadratic",
    "ordinal",
    "radical",
    "ratio",
    "circular",
    "bipolar",
)


def weight_matrix(
    name: WeightName, values: NDArray[np.generic], numeric: bool
) -> NDArray[np.float64]:
    """The q × q agreement weights ``name`` for the ordered categories ``values``."""
    q = int(values.shape[0])
    if name == "identity" or q < 2:
        return np.eye(q)
    x = values.astype(np.float64) if numeric else np.arange(1.0, q + 1.0)
    if not np.all(np.isfinite(x)):
        raise AgreementInputError("weights need finite category values")
    lo, hi = float(x.min()), float(x.max())
    diff = np.subtract.outer(x, x)
    w: NDArray[np.float64]
    if name == "linear":
        w = 1.0 - np.abs(diff) / (hi - lo)
        return w
    if name == "quadratic":
        w = 1.0 - (diff / (hi - lo)) ** 2
        return w
    if name == "radical":
        w = 1.0 - np.sqrt(np.abs(diff)) / np.sqrt(hi - lo)
        return w
    if name == "ordinal":
        # Ranks, not values: the number of categories spanned (Gwet 2014, eq. 3.5.5).
        rank = np.abs(np.subtract.outer(np.arange(q), np.arange(q))) + 1.0
        spans = rank * (rank - 1.0) / 2.0
        w = 1.0 - spans / spans.max()
        return w
    if name == "ratio":
        if np.any(x < 0.0):
            raise AgreementInputError(
                f"ratio weights need categories of at least 0 (a ratio scale starts at an "
                f"absolute zero), but {float(x.min()):g} is negative; use linear or "
                "quadratic weights for such data"
            )
        if np.any(x == 0.0):
            raise AgreementInputError("ratio weights need categories other than 0")
        w = 1.0 - (diff / np.add.outer(x, x)) ** 2 / ((hi - lo) / (hi + lo)) ** 2
        return w
    if name == "circular":
        span = hi - lo + 1.0
        w = np.sin(np.pi * diff / span) ** 2
        w = 1.0 - w / w.max()
        return w
    if name == "bipolar":
        total = np.add.outer(x, x)
        with np.errstate(divide="ignore", invalid="ignore"):
            w = diff**2 / ((total - 2.0 * lo) * (2.0 * hi - total))
        w = np.where(np.eye(q, dtype=bool), 0.0, w)
        w = np.nan_to_num(w, nan=0.0, posinf=0.0)
        w = 1.0 - w / w.max()
        return w
    raise AgreementInputError(f"unknown weights {name!r}; use one of {', '.join(WEIGHT_NAMES)}")
