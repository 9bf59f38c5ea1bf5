"""What each level of measurement and each weighting asks of the values, checked once.

Labels are compared as written at the nominal level: "1", "1.0" and "01" are three
categories. Only when the level or the weights need the values' order or distances
(ordinal, interval, ratio; any weights but identity) are labels that all read as numbers
taken as numbers. Text labels have no order of their own: alphabetical order would be a
silent guess, so the ordinal level and weighted coefficients on them need the order
given (``value_order``; ``--order`` in the CLI), and the interval and ratio levels need
numbers. Ratio data are non-negative (Krippendorff 2004, p. 235: a ratio scale has an
absolute zero), and no value may be infinite or NaN.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from accord.agreement.errors import AgreementInputError
from accord.agreement.reliability_data import MISSING, ReliabilityData

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_NON_FINITE = re.compile(r"[+-]?(?:inf|infinity|nan)", re.IGNORECASE)

ORDER_HINT = "give the order of the values (value_order; --order in the CLI)"


def parse_number(text: str) -> float | None:
    """The number a label spells in plain decimal notation, or ``None`` when it spells
    none. A non-finite spelling (inf, Infinity, nan) is refused, not read."""
    s = text.strip()
    if _NON_FINITE.fullmatch(s):
        raise AgreementInputError(f"value {s!r} is not a finite number")
    if not _NUMBER.fullmatch(s):
        return None
    value = float(s)
    if not math.isfinite(value):
        raise AgreementInputError(f"value {s!r} is too large to be a finite number")
    return value


def spells_non_finite(text: str) -> bool:
    return _NON_FINITE.fullmatch(text.strip()) is not None


def as_numbers(data: ReliabilityData) -> ReliabilityData | None:
    """The same data with labels read as numbers when every label spells one, else
    ``None``. Labels equal as numbers ("1", "1.0") become one value. A given order that
    is not the numbers' own order keeps the labels (their order is the one given)."""
    if data.numeric:
        return data
    parsed = [parse_number(str(v)) for v in data.values]
    if any(p is None for p in parsed):
        return None
    x = np.array(parsed, dtype=np.float64)
    if data.ordered and np.any(np.diff(x) <= 0):
        return None
    domain, inverse = np.unique(x, return_inverse=True)
    lookup = np.concatenate((inverse, [MISSING])).astype(np.int64)
    codes = lookup[np.where(data.codes >= 0, data.codes, x.size)]
    return replace(data, codes=codes, values=domain, numeric=True, ordered=False)


def _first_use(data: ReliabilityData, indices: NDArray[np.intp]) -> tuple[str, str, int] | None:
    """The first unit (in the data's order) holding one of the values ``indices``, the
    coder who gave it, and the value's index; ``None`` when no rating uses them (a
    value only a given order names)."""
    found = np.argwhere(np.isin(data.codes, indices))
    if not found.size:
        return None
    u, c = found[0]
    return data.units[int(u)], data.coders[int(c)], int(data.codes[u, c])


def check_finite(data: ReliabilityData) -> None:
    if not data.numeric or data.n_values == 0:
        return
    bad = np.flatnonzero(~np.isfinite(data.values.astype(np.float64)))
    if bad.size:
        use = _first_use(data, bad)
        if use is None:
            raise AgreementInputError(f"value {data.values[bad[0]]} is not a finite number")
        unit, coder, index = use
        raise AgreementInputError(
            f"unit {unit!r}, coder {coder!r}: value {data.values[index]} is not a finite number"
        )


def prepare(data: ReliabilityData, level: str, weights: str) -> ReliabilityData:
    """Check that ``level`` and ``weights`` can be computed on ``data``; returns the data
    with labels read as numbers where the level or the weights need them."""
    check_finite(data)
    needs_order = level != "nominal" or weights != "identity"
    if needs_order and not data.numeric:
        converted = as_numbers(data)
        if converted is not None:
            data = converted
            check_finite(data)
    if level in ("interval", "ratio") and not data.numeric:
        sample = ", ".join(repr(str(v)) for v in data.values[:3])
        raise AgreementInputError(
            f"the {level} level needs numbers, but the data holds text labels ({sample}); "
            "labels in a given order support the ordinal level and weighted coefficients"
        )
    if needs_order and not data.numeric and not data.ordered:
        what = f"the {level} level needs" if level != "nominal" else f"{weights} weights need"
        sample = ", ".join(repr(str(v)) for v in data.values[:3])
        raise AgreementInputError(
            f"{what} the order of the values, but the data holds text labels "
            f"({sample}) whose order is unknown; {ORDER_HINT}"
        )
    if data.numeric and data.n_values:
        x = data.values.astype(np.float64)
        negative = np.flatnonzero(x < 0)
        ratio = level == "ratio" or weights == "ratio"
        # Only a refusal looks for where the value is: no pass over the ratings otherwise.
        use = _first_use(data, negative) if negative.size and ratio else None
        if use is not None:
            unit, coder, index = use
            what = "the ratio level needs" if level == "ratio" else "ratio weights need"
            raise AgreementInputError(
                f"{what} values of at least 0 (a ratio scale starts at an absolute "
                f"zero), but unit {unit!r} has {x[index]:g} from coder {coder!r}; "
                "use the interval level or linear/quadratic weights for such data"
            )
    return data
