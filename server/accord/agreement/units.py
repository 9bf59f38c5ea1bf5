"""From segments to predefined units: is a code present in a unit for a coder?

A code is present in a unit for a coder when that coder's segments of the code cover
at least ``min_coverage`` of the unit (0, the default, means any overlap).

Who has a value in a unit. When the table says who coded each document
(``SegmentTable.listed``, from ``coders_by_document``), a coder who coded the document
has a value in every unit of it, 0 ("absent") where no segment of the code reaches the
coverage, even with no segment on the document at all (they found nothing to code);
a coder who did not code the document is missing in its units; a document with fewer
than two coders gives every coder a missing value, so its units are not pairable and
are counted as excluded, and a coder who coded none of the documents has no column.
Without that information (``listed`` is ``None``), a coder
with no segment on a document is missing in its units, not "absent": the segments
alone cannot tell an unassigned coder from one who found nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.agreement.errors import AgreementInputError
from accord.agreement.intervals import overlap_pairs
from accord.agreement.reliability_data import MISSING, ReliabilityData
from accord.agreement.segments import SegmentTable, Unit


@dataclass(frozen=True)
class UnitPresence:
    """Per code a units × coders 0/1 table, plus each unit's set of codes per coder."""

    units: tuple[Unit, ...]
    per_code: tuple[ReliabilityData, ...]
    sets: tuple[tuple[frozenset[str] | None, ...], ...]


def unit_presence(
    table: SegmentTable, units: Sequence[Unit], min_coverage: float = 0.0
) -> UnitPresence:
    if not 0.0 <= min_coverage <= 1.0:
        raise AgreementInputError("the minimum coverage must lie between 0 and 1")
    doc_ids = {d: i for i, d in enumerate(table.documents)}
    for u in units:
        if u.document not in doc_ids:
            raise AgreementInputError(
                f"unit {u.unit!r} is in document {u.document!r}, which no segment or extent names"
            )
        d = doc_ids[u.document]
        if u.start >= u.end:
            raise AgreementInputError(f"unit {u.unit!r} has start {u.start} >= end {u.end}")
        if u.start < table.extent_start[d] or u.end > table.extent_end[d]:
            raise AgreementInputError(f"unit {u.unit!r} lies outside its document's extent")
    n_units, m, n_codes = len(units), len(table.coders), len(table.codes)
    u_doc = np.array([doc_ids[u.document] for u in units], dtype=np.int64)
    u_s = (
        table.offsets[u_doc]
        + np.array([u.start for u in units], np.int64)
        - table.extent_start[u_doc]
    )
    u_e = u_s + np.array([u.end - u.start for u in units], np.int64)
    order = np.argsort(u_s, kind="stable")
    if np.any(u_s[order][1:] < u_e[order][:-1]):
        raise AgreementInputError("predefined units overlap each other")
    seg_i, unit_j = overlap_pairs(table.gstart, table.gend, u_s[order], u_e[order])
    unit_idx = order[unit_j]
    inter = np.minimum(table.gend[seg_i], u_e[unit_idx]) - np.maximum(
        table.gstart[seg_i], u_s[unit_idx]
    )
    flat = (unit_idx * m + table.coder[seg_i]) * n_codes + table.code[seg_i]
    cover = np.bincount(flat, weights=inter, minlength=n_units * m * n_codes).reshape(
        n_units, m, n_codes
    )
    need = np.maximum(min_coverage * (u_e - u_s), 1e-9)[:, None, None]
    present = cover >= need
    if table.listed is None:
        active_doc = np.zeros((len(table.documents), m), dtype=bool)
        active_doc[table.doc, table.coder] = True
    else:
        active_doc = table.listed
    active = active_doc[u_doc]  # units × coders
    names = tuple(u.unit for u in units)
    # With coders per document, a coder who coded none of these units' documents has no
    # column: they are no coder of this comparison (Cohen's κ still sees two coders).
    # Without any unit (documents with no units of the kind asked for) the coders of the
    # documents keep their columns, so every coefficient says it has no unit to compare
    # rather than the report claiming there are no coders.
    columns = (
        np.arange(m)
        if table.listed is None
        else np.flatnonzero(active.any(axis=0) if n_units else active_doc.any(axis=0))
    )
    coders = tuple(table.coders[i] for i in columns)
    active = active[:, columns]
    present = present[:, columns]
    per_code = []
    for c in range(n_codes):
        codes: NDArray[np.int64] = np.where(active, present[:, :, c].astype(np.int64), MISSING)
        per_code.append(ReliabilityData(codes, np.array([0.0, 1.0]), names, coders, numeric=True))
    sets = tuple(
        tuple(
            frozenset(table.codes[c] for c in np.flatnonzero(present[u, i]))
            if active[u, i]
            else None
            for i in range(len(coders))
        )
        for u in range(n_units)
    )
    return UnitPresence(tuple(units), tuple(per_code), sets)
