"""Character-level agreement per code, as NVivo's coding comparison reports it.

Every character of the continuum is a unit; for a pair of coders and a code it is
coded by both (a), only the first (b), only the second (c) or neither (d). Percent
agreement is (a + d)/L and Cohen's κ uses the margins of that 2 × 2 table. The four
counts come from interval lengths and intersections, never a per-character array.
With more than two coders the 2 × 2 tables of all coder pairs are pooled.

When documents have their own coders (``SegmentTable.listed``), a pair's 2 × 2 table
covers only the documents both coders coded: a coder who coded a document without this
code there adds "neither" or "only the other" characters, a coder who did not code the
document adds none. A document with fewer than two coders adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.agreement.intervals import overlap_pairs
from accord.agreement.result import Coefficient, chance_corrected, defined, undefined
from accord.agreement.segments import SegmentTable
from accord.agreement.unitizing_2004 import empty_reason


@dataclass(frozen=True)
class CharacterAgreement:
    both: int
    first_only: int
    second_only: int
    neither: int
    percent_agreement: Coefficient
    cohen_kappa: Coefficient

    def to_json(self) -> dict[str, Any]:
        return {
            "both": self.both,
            "first_only": self.first_only,
            "second_only": self.second_only,
            "neither": self.neither,
            "percent_agreement": self.percent_agreement.to_json(),
            "cohen_kappa": self.cohen_kappa.to_json(),
        }


def _from_table(
    a: int, b: int, c: int, d: int, reason: str = "the continuum is empty"
) -> CharacterAgreement:
    total = a + b + c + d
    if total == 0:
        none = undefined(reason)
        return CharacterAgreement(a, b, c, d, none, none)
    p_o = (a + d) / total
    p_e = ((a + b) * (a + c) + (c + d) * (b + d)) / total**2
    return CharacterAgreement(
        a, b, c, d, defined(p_o, p_o=p_o), chance_corrected(p_o, p_e, "characters")
    )


def character_agreement(table: SegmentTable) -> tuple[CharacterAgreement, ...]:
    """Per code (``table.codes`` order), pooled over all pairs of coders."""
    n_codes = len(table.codes)
    m = len(table.coders)
    total = table.total_length
    band = table.code * max(1, total)
    start, end = band + table.gstart, band + table.gend
    length = (end - start).astype(np.int64)
    counts = np.zeros((n_codes, 4), dtype=np.int64)
    sets = table.coder_sets
    for i in range(m):
        for j in range(i + 1, m):
            shared = table.shared(i, j)
            if shared is None:
                a = np.flatnonzero(table.coder == i)
                b = np.flatnonzero(table.coder == j)
                pair_total = total
            else:
                a = np.flatnonzero((table.coder == i) & shared)
                b = np.flatnonzero((table.coder == j) & shared)
                pair_total = int(table.doc_lengths[sets[:, i] & sets[:, j]].sum())
            ia, ib = overlap_pairs(start[a], end[a], start[b], end[b])
            inter = np.minimum(end[a][ia], end[b][ib]) - np.maximum(start[a][ia], start[b][ib])
            both = np.bincount(table.code[a][ia], weights=inter, minlength=n_codes)
            len_a = np.bincount(table.code[a], weights=length[a], minlength=n_codes)
            len_b = np.bincount(table.code[b], weights=length[b], minlength=n_codes)
            counts[:, 0] += both.astype(np.int64)
            counts[:, 1] += (len_a - both).astype(np.int64)
            counts[:, 2] += (len_b - both).astype(np.int64)
            counts[:, 3] += (pair_total - len_a - len_b + both).astype(np.int64)
    reason = empty_reason(table)
    return tuple(
        _from_table(
            int(counts[c, 0]), int(counts[c, 1]), int(counts[c, 2]), int(counts[c, 3]), reason
        )
        for c in range(n_codes)
    )
