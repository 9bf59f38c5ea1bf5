"""The unitizing family of Krippendorff, Mathet, Bouvry & Widlöcher (2016).

"On the reliability of unitizing textual continua: Further developments", Quality &
Quantity 50:2347–2364; restated in Krippendorff, Content Analysis, 4th ed. (2019),
§12.6. Each coder's sections, coded units and uncoded gaps (value φ), tile the
continuum. For coders i ≠ j the lengths of their sections' intersections fill a
coincidence matrix of values:

    l_ck = Σ_{i≠j} Σ_{g,h} |s_ig ∩ s_jh|·[v(s_ig) = c]·[v(s_jh) = k] / (m − 1)

and the expected coincidences remove the pairings a section cannot make with itself,
l² for a coded unit of length l (a unit is one indivisible value) and l for a gap
(every gap position stands alone):

    ε_ck = (l_c· l_·k − [c = k] S_c) / (l·· − S/l··),  S_c = Σ self-pairings of value c.

Then α = 1 − Σ_{c≠k} l_ck / Σ_{c≠k} ε_ck, and the family differs in what it compares:

- uα: every value including φ: unitizing and coding at once;
- |uα: the matrices collapsed to φ versus coded: was this stretch coded at all?
- cuα: coded values only, where coders' coded stretches overlap. A unit's
  self-pairing is the square of its own share of the margins, μ_s = Σ over its pieces
  of |piece|·w_d·(coded entries of other coders on the piece), w_d = 1/(m_d − 1): the
  mass the unit puts into l_c·, so Σ_s μ_s = l_c·. With two coders μ_s is the unit's
  length that overlaps the other coder's coded matter; with more coders and partial
  coverage it is less than that length (a stretch only some of the others coded pairs
  with fewer of them), and squaring the length instead removed more self-pairings
  than the margins hold, making ε_cc negative. With μ_s, Σ_{s∈c} μ_s² ≤ l_c·², so
  every ε_ck ≥ 0, and a code used in a single unit gets ε_cc = 0, as a value used once
  gets e_cc = n_c(n_c − 1)/(n − 1) = 0 in α. When every coder coded every compared
  stretch, μ_s is the overlapping length and nothing changes;
- (k)uα: cuα's matrices collapsed to code k versus every other code.

The matrices are built on elementary intervals: the continuum cut at every section
boundary, so each piece has one section per coder. Work is O(S log S) in segments.
If a coder's segments of different codes overlap, the shared stretch counts once per
code, a documented extension for multi-coded text.

When documents have their own coders (``SegmentTable.listed``, see
:mod:`accord.agreement.segments`), a piece of document d holds sections of the m_d
coders who coded d only: a coder who coded d without a segment there has a gap (φ), a
coder who did not code d has no section at all (a missing value, not φ). Pairs form
only between two of d's coders, and the 1/(m − 1) becomes 1/(m_d − 1), exactly as the
coincidence form of α divides each unit's pairs by m_u − 1 when values are missing:

    l_ck = Σ_d Σ_{i≠j coded d} Σ_{g,h} |s_ig ∩ s_jh ∩ d|·[v(s_ig) = c]·[v(s_jh) = k] / (m_d − 1)

So l·· = Σ_d m_d L_d counts every compared coder-position once, and the expected
coincidences ε_ck are unchanged in form: margins and self-pairings of the pooled
material of the compared coders on the documents they coded. A document with fewer
than two coders adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.agreement.result import Coefficient, defined, undefined
from accord.agreement.segments import SegmentTable
from accord.agreement.unitizing_2004 import empty_reason

F64 = NDArray[np.float64]

NO_VARIATION = (
    "no variation: every stretch has the same value for every coder, so expected "
    "disagreement is 0 and the coefficient is 0/0"
)


@dataclass(frozen=True)
class Unitizing2016:
    """uα, |uα, cuα and (k)uα per code (in ``table.codes`` order)."""

    u_alpha: Coefficient
    binary_u_alpha: Coefficient
    cu_alpha: Coefficient
    k_u_alpha: tuple[Coefficient, ...]
    observed: F64
    expected: F64
    cu_expected: F64 | None = None  # cuα's ε_ck over the codes (None: no overlap)


@dataclass(frozen=True)
class _Pieces:
    length: F64  # per elementary interval
    weight: F64  # per elementary interval: 1/(m_d − 1) for its document's m_d coders
    entry_piece: NDArray[np.int64]  # per (piece, coder, value) entry
    entry_coder: NDArray[np.int64]
    entry_value: NDArray[np.int64]  # code index, or n_codes for φ
    entry_segment: NDArray[np.int64]  # segment index, -1 for φ
    coded_coders: NDArray[np.int64]  # per piece: how many coders coded it


def _pieces(table: SegmentTable) -> _Pieces:
    m = len(table.coders)
    gs, ge = table.gstart, table.gend
    cuts = np.unique(np.concatenate((gs, ge, table.offsets, [table.total_length])))
    length = np.diff(cuts).astype(np.float64)
    # Each piece lies in one document (the documents' starts are cuts); a zero-length
    # document shares its offset with the next one, which ``side="right"`` picks.
    piece_doc = np.searchsorted(table.offsets, cuts[:-1], side="right") - 1
    first = np.searchsorted(cuts, gs)
    count = np.searchsorted(cuts, ge) - first
    seg = np.repeat(np.arange(gs.size, dtype=np.int64), count)
    run = np.repeat(np.cumsum(count) - count, count)
    piece = np.repeat(first, count) + (np.arange(seg.size, dtype=np.int64) - run)
    coder = table.coder[seg]
    covered = np.zeros((length.size, m), dtype=bool)
    covered[piece, coder] = True
    if table.listed is None:
        gap_piece, gap_coder = np.nonzero(~covered)
        weight = np.full(length.size, 1.0 / (m - 1))
    else:
        gap_piece, gap_coder = np.nonzero(~covered & table.listed[piece_doc])
        weight = table.pair_weight()[piece_doc]
    n_codes = len(table.codes)
    return _Pieces(
        length=length,
        weight=weight,
        entry_piece=np.concatenate((piece, gap_piece)),
        entry_coder=np.concatenate((coder, gap_coder)),
        entry_value=np.concatenate((table.code[seg], np.full(gap_piece.size, n_codes))),
        entry_segment=np.concatenate((seg, np.full(gap_piece.size, -1))),
        coded_coders=covered.sum(axis=1).astype(np.int64),
    )


def _coincidences(p: _Pieces, n_values: int) -> F64:
    """l_ck from all pairs of entries of one piece that belong to different coders, each
    weighted 1/(m_d − 1) for the m_d coders of the piece's document."""
    order = np.argsort(p.entry_piece, kind="stable")
    piece, coder, value = p.entry_piece[order], p.entry_coder[order], p.entry_value[order]
    sums = np.zeros(n_values * n_values, dtype=np.float64)
    sizes = np.bincount(piece, minlength=p.length.size)
    widest = int(sizes.max()) if sizes.size else 0
    for shift in range(1, widest):
        same = (piece[shift:] == piece[:-shift]) & (coder[shift:] != coder[:-shift])
        a, b = value[:-shift][same], value[shift:][same]
        here = piece[shift:][same]
        w = p.length[here] * p.weight[here]
        sums += np.bincount(a * n_values + b, weights=w, minlength=n_values * n_values)
        sums += np.bincount(b * n_values + a, weights=w, minlength=n_values * n_values)
    out: F64 = sums.reshape(n_values, n_values)
    return out


def _margin_mass(p: _Pieces, table: SegmentTable) -> F64:
    """μ_s per segment: Σ over its pieces of |piece|·w·(coded entries of other coders
    there), the segment's contribution to its code's margin in cuα's coincidences."""
    coded = p.entry_segment >= 0
    piece, coder, segment = p.entry_piece[coded], p.entry_coder[coded], p.entry_segment[coded]
    n_pieces, m = p.length.size, len(table.coders)
    on_piece = np.bincount(piece, minlength=n_pieces)
    own = np.bincount(piece * m + coder, minlength=n_pieces * m)[piece * m + coder]
    others = on_piece[piece] - own
    mass: F64 = np.bincount(
        segment,
        weights=p.length[piece] * p.weight[piece] * others,
        minlength=table.n_segments,
    ).astype(np.float64)
    return mass


def _expected(observed: F64, self_pairs: F64) -> F64:
    total = observed.sum()
    margins = observed.sum(axis=1)
    denom = total - self_pairs.sum() / total
    if denom <= 1e-12 * total:
        # Every coincidence is a unit paired with itself: nothing could vary by chance.
        return np.zeros_like(observed)
    out: F64 = (np.outer(margins, margins) - np.diag(self_pairs)) / denom
    return out


def _alpha(observed: F64, expected: F64, empty_reason: str) -> Coefficient:
    if observed.sum() <= 0.0:
        return undefined(empty_reason)
    d_o = float(observed.sum() - np.trace(observed))
    d_e = float(expected.sum() - np.trace(expected))
    if d_e <= 1e-12 * float(expected.sum()):
        return undefined(NO_VARIATION, observed_disagreement=d_o, expected_disagreement=d_e)
    return defined(1.0 - d_o / d_e, observed_disagreement=d_o, expected_disagreement=d_e)


def _collapse(matrix: F64, member: NDArray[np.bool_]) -> F64:
    """2 × 2 matrix of (member, member), (member, other), ... sums."""
    inside = member.astype(np.float64)
    groups = np.stack((inside, 1.0 - inside))
    out: F64 = groups @ matrix @ groups.T
    return out


class _OneAgainstRest:
    """``_collapse(matrix, codes == k)`` for every k, from the matrix's margins: O(1)
    per code instead of a pass over the whole matrix, which made (k)uα cost the square
    of the codebook's size per report part."""

    def __init__(self, matrix: F64) -> None:
        self.matrix = matrix
        self.rows = matrix.sum(axis=1)
        self.cols = matrix.sum(axis=0)
        self.total = float(matrix.sum())

    def __call__(self, k: int) -> F64:
        d = float(self.matrix[k, k])
        row, col = float(self.rows[k]), float(self.cols[k])
        return np.array([[d, row - d], [col - d, max(0.0, self.total - row - col + d)]])


def unitizing_2016(table: SegmentTable) -> Unitizing2016:
    m = len(table.coders)
    n_codes = len(table.codes)
    if m < 2 or table.pairable_length <= 0:
        none = undefined(empty_reason(table))
        empty = np.zeros((0, 0))
        return Unitizing2016(none, none, none, tuple(none for _ in table.codes), empty, empty)
    p = _pieces(table)
    n_values = n_codes + 1
    observed = _coincidences(p, n_values)
    lengths = table.lengths.astype(np.float64)
    gap_total = float(p.length[p.entry_piece[p.entry_value == n_codes]].sum())
    self_pairs = np.append(
        np.bincount(table.code, weights=lengths**2, minlength=n_codes), gap_total
    )
    expected = _expected(observed, self_pairs)
    u_alpha = _alpha(observed, expected, "the continuum is empty")
    coded = np.arange(n_values) < n_codes
    binary = _alpha(
        _collapse(observed, coded), _collapse(expected, coded), "the continuum is empty"
    )

    # cuα: coded values only; a unit's self-pairing is the square of its margin mass.
    cu_observed = observed[:n_codes, :n_codes]
    mass = _margin_mass(p, table)
    cu_self = np.bincount(table.code, weights=mass**2, minlength=n_codes).astype(np.float64)
    no_overlap = "no two coders' coded stretches overlap, so codes cannot be compared"
    if cu_observed.sum() > 0.0:
        cu_expected = _expected(cu_observed, cu_self)
        cu_alpha = _alpha(cu_observed, cu_expected, no_overlap)
        k_observed, k_expected = _OneAgainstRest(cu_observed), _OneAgainstRest(cu_expected)
        k_u = tuple(
            _alpha(k_observed(k), k_expected(k), no_overlap)
            if cu_observed[k].sum() > 0.0
            else undefined("no stretch of this code overlaps another coder's coding")
            for k in range(n_codes)
        )
    else:
        cu_alpha = undefined(no_overlap)
        k_u = tuple(undefined(no_overlap) for _ in range(n_codes))
    return Unitizing2016(
        u_alpha,
        binary,
        cu_alpha,
        k_u,
        observed,
        expected,
        cu_expected if cu_observed.sum() > 0.0 else None,
    )
