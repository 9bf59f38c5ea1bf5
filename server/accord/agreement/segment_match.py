"""Segment matching as MAXQDA reports it: do two coders' segments of a code coincide?

Two segments of the same code by different coders on the same document match when
their overlap is at least p % (default 90) of the stretch they cover together
(intersection over union). Each segment counts once per other coder: it is an
agreement when that coder has a matching segment, a disagreement otherwise. Percent
agreement is agreements / all; Brennan & Prediger's κ corrects it with the chance
agreement 1/q of q equally likely codes (Brennan & Prediger 1981, as MAXQDA applies
it to segment comparison).

When documents have their own coders (``SegmentTable.listed``), a segment is compared
only with the coders who also coded its document: another coder who coded the document
without a matching segment makes it a disagreement, a coder who did not code the
document is not asked at all. A document with fewer than two coders adds no count.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.agreement.errors import AgreementInputError
from accord.agreement.intervals import overlap_pairs
from accord.agreement.result import Coefficient, chance_corrected, defined, undefined
from accord.agreement.segments import SegmentTable


@dataclass(frozen=True)
class MatchCounts:
    """A row of the match table."""

    agreements: int
    disagreements: int
    percent_agreement: Coefficient
    brennan_prediger: Coefficient

    def to_json(self) -> dict[str, Any]:
        return {
            "agreements": self.agreements,
            "disagreements": self.disagreements,
            "total": self.agreements + self.disagreements,
            "percent_agreement": self.percent_agreement.to_json(),
            "brennan_prediger": self.brennan_prediger.to_json(),
        }


@dataclass(frozen=True)
class SegmentMatch:
    overlap_percent: float
    overall: MatchCounts
    per_code: tuple[MatchCounts, ...]


def _row(agree: int, disagree: int, q: int, reason: str | None = None) -> MatchCounts:
    total = agree + disagree
    if total == 0:
        none = undefined(reason or "no segment of this code was coded")
        return MatchCounts(0, 0, none, none)
    p_o = agree / total
    bp = (
        chance_corrected(p_o, 1.0 / q, "segments")
        if q >= 2
        else undefined("Brennan–Prediger needs at least two codes (chance agreement is 1/q)")
    )
    return MatchCounts(agree, disagree, defined(p_o, p_o=p_o), bp)


def segment_match(table: SegmentTable, overlap_percent: float = 90.0) -> SegmentMatch:
    if not 0.0 < overlap_percent <= 100.0:
        raise AgreementInputError("the overlap threshold must lie in (0, 100] percent")
    n_codes = len(table.codes)
    m = len(table.coders)
    threshold = overlap_percent / 100.0
    band = table.code * max(1, table.total_length)
    start, end = band + table.gstart, band + table.gend
    agree = np.zeros(n_codes, dtype=np.int64)
    disagree = np.zeros(n_codes, dtype=np.int64)
    for i in range(m):
        for j in range(i + 1, m):
            shared = table.shared(i, j)
            if shared is None:
                a = np.flatnonzero(table.coder == i)
                b = np.flatnonzero(table.coder == j)
            else:
                a = np.flatnonzero((table.coder == i) & shared)
                b = np.flatnonzero((table.coder == j) & shared)
            ia, ib = overlap_pairs(start[a], end[a], start[b], end[b])
            inter = np.minimum(end[a][ia], end[b][ib]) - np.maximum(start[a][ia], start[b][ib])
            union = (end[a][ia] - start[a][ia]) + (end[b][ib] - start[b][ib]) - inter
            ok = inter >= threshold * union - 1e-9
            for own, hit in ((a, ia[ok]), (b, ib[ok])):
                matched: NDArray[np.bool_] = np.zeros(own.size, dtype=bool)
                matched[hit] = True
                codes = table.code[own]
                agree += np.bincount(codes[matched], minlength=n_codes)
                disagree += np.bincount(codes[~matched], minlength=n_codes)
    none = (
        "no document was coded by two or more of the coders"
        if table.listed is not None and table.pairable_length <= 0
        else None
    )
    per_code = tuple(_row(int(agree[c]), int(disagree[c]), n_codes, none) for c in range(n_codes))
    overall = _row(int(agree.sum()), int(disagree.sum()), n_codes, none)
    return SegmentMatch(overlap_percent, overall, per_code)
