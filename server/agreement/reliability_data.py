"""Reliability data: which value each coder gave each unit, encoded once as integers.

Every coefficient on predefined units starts from this table. Values are encoded as
indices into a sorted value domain (``-1`` = missing), so later steps are bincounts and
matrix products, never Python loops over ratings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from server.agreement.errors import AgreementInputError

MISSING = -1
_DENSE_RANGE = 1_000_000


@dataclass(frozen=True)
class ReliabilityData:
    """Units × coders matrix of value indices.

    ``codes[u, i]`` indexes ``values`` (sorted ascending; or in ``value_order``) or is
    ``-1`` when coder ``i`` gave unit ``u`` no value. ``numeric`` says whether the values
    are numbers, which interval and ratio levels need.
    """

    codes: NDArray[np.int64]
    values: NDArray[np.generic]
    units: tuple[str, ...]
    coders: tuple[str, ...]
    numeric: bool

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

        Missing values are NaN (numbers) or None / "" / "nan" (labels).
        """
        arr = np.asarray(matrix)
        if arr.ndim != 2:
            raise AgreementInputError("reliability data must be a 2-D coders × units table")
        return cls.from_unit_rows(arr.T, coders=coders, units=units, value_order=value_order)

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
        )


def _is_missing_label(v: object) -> bool:
    if v is None:
        return True
    if isinstance(v, float):
        return bool(np.isnan(v))
    return isinstance(v, str) and v.strip().lower() in ("", "nan", "na")


def encode_values(
    flat: NDArray[np.generic], value_order: Sequence[object] | None = None
) -> tuple[NDArray[np.int64], NDArray[np.generic], bool]:
    """Encode values to indices into a value domain in O(n) for small integer codes.

    Sorting 10 million ratings with ``np.unique`` costs most of a second; integer
    category codes in a modest range take a bincount instead.
    """
    if flat.dtype.kind in "iub":
        flat = flat.astype(np.float64)
    if flat.dtype.kind == "f":
        return _encode_numeric(flat.astype(np.float64), value_order)
    # Labels or mixed objects: numbers if every present value parses as one.
    missing = np.fromiter((_is_missing_label(v) for v in flat), dtype=bool, count=flat.size)
    present = flat[~missing]
    try:
        as_float = np.array([float(str(v)) for v in present], dtype=np.float64)
    except (TypeError, ValueError):
        as_float = None
    if as_float is not None and value_order is None:
        full = np.full(flat.size, np.nan)
        full[~missing] = as_float
        return _encode_numeric(full, None)
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


def _encode_numeric(
    flat: NDArray[np.float64], value_order: Sequence[object] | None
) -> tuple[NDArray[np.int64], NDArray[np.generic], bool]:
    mask = ~np.isnan(flat)
    present = flat[mask]
    codes = np.full(flat.size, MISSING, dtype=np.int64)
    if value_order is not None:
        domain = np.asarray([float(str(v)) for v in value_order], dtype=np.float64)
        if np.any(np.diff(domain) <= 0):
            raise AgreementInputError("a numeric value order must be strictly increasing")
        idx = np.searchsorted(domain, present)
        idx_clipped = np.minimum(idx, domain.size - 1)
        if present.size and not np.all(domain[idx_clipped] == present):
            raise AgreementInputError("the data holds a value outside the given value order")
        codes[mask] = idx_clipped
        return codes, domain, True
    if present.size == 0:
        return codes, np.zeros(0, dtype=np.float64), True
    lo, hi = float(present.min()), float(present.max())
    if hi - lo < _DENSE_RANGE and np.array_equal(present, np.floor(present)):
        shifted = (present - lo).astype(np.int64)
        seen = np.bincount(shifted, minlength=int(hi - lo) + 1) > 0
        lookup = np.cumsum(seen) - 1
        codes[mask] = lookup[shifted]
        return codes, np.flatnonzero(seen).astype(np.float64) + lo, True
    domain, inverse = np.unique(present, return_inverse=True)
    codes[mask] = inverse
    return codes, domain, True
