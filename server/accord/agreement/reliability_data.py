"""Reliability data: which value each coder gave each unit, encoded once as integers.

Every coefficient on predefined units starts from this table. Values are encoded as
indices into a sorted value domain (``-1`` = missing), so later steps are bincounts and
matrix products, never Python loops over ratings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.agreement.errors import AgreementInputError

MISSING = -1
_DENSE_RANGE = 1_000_000


@dataclass(frozen=True)
class ReliabilityData:
    """Units × coders matrix of value indices.

    ``codes[u, i]`` indexes ``values`` (sorted ascending; or in ``value_order``) or is
    ``-1`` when coder ``i`` gave unit ``u`` no value. ``numeric`` says whether the values
    are numbers, which interval and ratio levels need; ``ordered`` whether text labels
    come in an order the caller gave (``value_order``), which the ordinal level and
    weights need (see :mod:`accord.agreement.levels`). Text labels are kept as written:
    "1" and "1.0" are two labels until a level that needs numbers reads them.
    """

    codes: NDArray[np.signedinteger[Any]]
    values: NDArray[np.generic]
    units: tuple[str, ...]
    coders: tuple[str, ...]
    numeric: bool
    ordered: bool = False

    @property
    def n_units(self) -> int:
        return int(self.codes.shape[0])

    @property
    def n_coders(self) -> int:
        return int(self.codes.shape[1])

    @property
    def n_values(self) -> int:
        return int(self.values.shape[0])

    def numeric_values(self) -> NDArray[np.float64]:
        if not self.numeric:
            raise AgreementInputError("this level needs numeric values, but the data holds labels")
        return self.values.astype(np.float64)

    def subset_coders(self, columns: Sequence[int]) -> ReliabilityData:
        return ReliabilityData(
            codes=self.codes[:, list(columns)],
            values=self.values,
            units=self.units,
            coders=tuple(self.coders[c] for c in columns),
            numeric=self.numeric,
            ordered=self.ordered,
        )

    @classmethod
    def from_coder_rows(
        cls,
        matrix: ArrayLike,
        *,
        coders: Sequence[str] | None = None,
        units: Sequence[str] | None = None,
        value_order: Sequence[object] | None = None,
    ) -> ReliabilityData:
        """Coders × units, as Krippendorff (2011) and the ``krippendorff`` package print it.

        Missing values are NaN (numbers) or None / "" / "nan" (labels). Numbers are
        numbers; strings are labels, compared as written.
        """
        arr = np.asarray(matrix)
        if arr.ndim != 2:
            raise AgreementInputError("reliability data must be a 2-D coders × units table")
        n_coders, n_units = arr.shape
        # Encode in the given (coder-major) layout and transpose the small codes instead.
        codes, values, numeric = encode_values(arr.reshape(-1), value_order)
        return cls(
            codes=codes.reshape(n_coders, n_units).T,
            values=values,
            units=tuple(units) if units is not None else tuple(str(u + 1) for u in range(n_units)),
            coders=(
                tuple(coders) if coders is not None else tuple(str(c + 1) for c in range(n_coders))
            ),
            numeric=numeric,
            ordered=value_order is not None and not numeric,
        )

    @classmethod
    def from_unit_rows(
        cls,
        matrix: ArrayLike,
        *,
        coders: Sequence[str] | None = None,
        units: Sequence[str] | None = None,
        value_order: Sequence[object] | None = None,
    ) -> ReliabilityData:
        """Units × coders (one row per unit), the layout of irrCAC and of ``--wide`` CSV."""
        arr = np.asarray(matrix)
        if arr.ndim != 2:
            raise AgreementInputError("reliability data must be a 2-D units × coders table")
        n_units, n_coders = arr.shape
        codes, values, numeric = encode_values(arr.reshape(-1), value_order)
        return cls(
            codes=codes.reshape(n_units, n_coders),
            values=values,
            units=tuple(units) if units is not None else tuple(str(u + 1) for u in range(n_units)),
            coders=(
                tuple(coders) if coders is not None else tuple(str(c + 1) for c in range(n_coders))
            ),
            numeric=numeric,
            ordered=value_order is not None and not numeric,
        )

    @classmethod
    def from_long(
        cls,
        units: Sequence[str],
        coders: Sequence[str],
        values: Sequence[object],
        *,
        value_order: Sequence[object] | None = None,
    ) -> ReliabilityData:
        """One (unit, coder, value) triple per rating; None or "" is a missing value."""
        unit_ids = {u: i for i, u in enumerate(dict.fromkeys(units))}
        coder_ids = {c: i for i, c in enumerate(dict.fromkeys(coders))}
        u_idx = np.fromiter((unit_ids[u] for u in units), dtype=np.int64, count=len(units))
        c_idx = np.fromiter((coder_ids[c] for c in coders), dtype=np.int64, count=len(coders))
        flat = u_idx * len(coder_ids) + c_idx
        seen = np.bincount(flat, minlength=len(unit_ids) * len(coder_ids))
        if seen.size and seen.max() > 1:
            dup = int(np.flatnonzero(seen > 1)[0])
            unit = list(unit_ids)[dup // len(coder_ids)]
            coder = list(coder_ids)[dup % len(coder_ids)]
            raise AgreementInputError(f"coder {coder!r} gave unit {unit!r} more than one value")
        codes_1d, domain, numeric = encode_values(np.asarray(values, dtype=object), value_order)
        codes = np.full(len(unit_ids) * len(coder_ids), MISSING, dtype=np.int64)
        codes[flat] = codes_1d
        return cls(
            codes=codes.reshape(len(unit_ids), len(coder_ids)),
            values=domain,
            units=tuple(unit_ids),
            coders=tuple(coder_ids),
            numeric=numeric,
            ordered=value_order is not None and not numeric,
        )


def _is_missing_label(v: object) -> bool:
    if v is None:
        return True
    if isinstance(v, float):
        return bool(np.isnan(v))
    return isinstance(v, str) and v.strip().lower() in ("", "nan", "na")


def encode_values(
    flat: NDArray[np.generic], value_order: Sequence[object] | None = None
) -> tuple[NDArray[np.signedinteger[Any]], NDArray[np.generic], bool]:
    """Encode values to indices into a value domain in O(n) for small integer codes.

    Sorting 10 million ratings with ``np.unique`` costs most of a second; integer
    category codes in a modest range take a bincount instead.
    """
    if flat.dtype.kind in "iub":
        flat = flat.astype(np.float64)
    if flat.dtype.kind == "f":
        return _encode_numeric(flat.astype(np.float64), value_order)
    # Objects: numbers if every present value is a number (not a string that spells
    # one: labels are compared as written, see accord.agreement.levels).
    missing = np.fromiter((_is_missing_label(v) for v in flat), dtype=bool, count=flat.size)
    present = flat[~missing]
    as_float = None
    if all(isinstance(v, (int, float, np.number)) and not isinstance(v, bool) for v in present):
        as_float = np.array([float(v) for v in present], dtype=np.float64)
    if as_float is not None and (
        value_order is None or all(isinstance(v, (int, float, np.number)) for v in value_order)
    ):
        full = np.full(flat.size, np.nan)
        full[~missing] = as_float
        return _encode_numeric(full, value_order)
    labels = np.array([str(v).strip() for v in present], dtype=object)
    codes = np.full(flat.size, MISSING, dtype=np.int64)
    if value_order is not None:
        domain = np.array([str(v) for v in value_order], dtype=object)
        lookup = {v: i for i, v in enumerate(domain)}
        unknown = [v for v in dict.fromkeys(labels) if v not in lookup]
        if unknown:
            raise AgreementInputError(f"value {unknown[0]!r} is not in the given value order")
        codes[~missing] = np.fromiter((lookup[v] for v in labels), np.int64, labels.size)
        return codes, domain, False
    domain_list = sorted(set(labels.tolist()))
    lookup = {v: i for i, v in enumerate(domain_list)}
    codes[~missing] = np.fromiter((lookup[v] for v in labels), np.int64, labels.size)
    return codes, np.array(domain_list, dtype=object), False


_CHUNK = 1 << 20


def _small_int_dtype(n_values: int) -> type[np.signedinteger[Any]]:
    """The narrowest signed type that holds every index and -1: less memory to touch."""
    if n_values < 2**7:
        return np.int8
    if n_values < 2**15:
        return np.int16
    return np.int32


def _encode_numeric(
    flat: NDArray[np.float64], value_order: Sequence[object] | None
) -> tuple[NDArray[np.signedinteger[Any]], NDArray[np.generic], bool]:
    if value_order is not None:
        domain = np.asarray([float(str(v)) for v in value_order], dtype=np.float64)
        if np.any(np.diff(domain) <= 0):
            raise AgreementInputError("a numeric value order must be strictly increasing")
        mask = ~np.isnan(flat)
        present = flat[mask]
        idx = np.searchsorted(domain, present)
        idx_clipped = np.minimum(idx, domain.size - 1)
        if present.size and not np.all(domain[idx_clipped] == present):
            raise AgreementInputError("the data holds a value outside the given value order")
        codes = np.full(flat.size, MISSING, dtype=_small_int_dtype(domain.size))
        codes[mask] = idx_clipped
        return codes, domain, True
    dense = _encode_small_integers(flat)
    if dense is not None:
        return dense
    mask = ~np.isnan(flat)
    domain, inverse = np.unique(flat[mask], return_inverse=True)
    codes = np.full(flat.size, MISSING, dtype=_small_int_dtype(domain.size))
    codes[mask] = inverse
    return codes, domain, True


def _encode_small_integers(
    flat: NDArray[np.float64],
) -> tuple[NDArray[np.signedinteger[Any]], NDArray[np.generic], bool] | None:
    """Integer-valued ratings in a modest range: two chunked passes, no sort.

    Working in chunks keeps every temporary small; first-touching a fresh 80 MB
    array costs more than the arithmetic on it.
    """
    lo, hi = np.nanmin(flat, initial=np.inf), np.nanmax(flat, initial=-np.inf)
    if lo == -np.inf or hi == np.inf:  # the extremes tell, with no pass of its own
        raise AgreementInputError(
            f"value {lo if lo == -np.inf else hi} is not a finite number "
            "(NaN marks a missing value; infinite values are refused)"
        )
    if not np.isfinite(lo):
        return np.full(flat.size, MISSING, dtype=np.int8), np.zeros(0), True
    if hi - lo >= _DENSE_RANGE:
        return None
    span = int(hi - lo) + 1
    seen = np.zeros(span + 1, dtype=bool)
    for start in range(0, flat.size, _CHUNK):
        chunk = flat[start : start + _CHUNK] - lo
        chunk = chunk[~np.isnan(chunk)]
        if not np.array_equal(chunk, np.floor(chunk)):
            return None
        seen[chunk.astype(np.int64)] = True
    seen = seen[:span]
    n_values = int(seen.sum())
    dtype = _small_int_dtype(n_values)
    # Slot 0 of the table is "missing"; value v - lo + 1 maps to its index.
    table = np.concatenate(([MISSING], np.cumsum(seen) - 1)).astype(dtype)
    codes = np.empty(flat.size, dtype=dtype)
    for start in range(0, flat.size, _CHUNK):
        chunk = flat[start : start + _CHUNK] - (lo - 1.0)
        np.nan_to_num(chunk, copy=False, nan=0.0)
        codes[start : start + _CHUNK] = table[chunk.astype(np.intp)]
    return codes, np.flatnonzero(seen).astype(np.float64) + lo, True
