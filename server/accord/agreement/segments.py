"""Coded segments on document continua, normalised once into sorted integer arrays.

A :class:`Segment` is what a coder did: (document, coder, code, start, end), offsets in
code points with the end exclusive. A :class:`SegmentTable` lays every document's
continuum end to end ("global" positions) so the unitizing, matching and character
computations are whole-array operations instead of loops over documents.

Overlapping segments of the same code by the same coder on one document are merged
into one: a coder cannot disagree with themself, and Krippendorff's unitizing
coefficients assume a coder's units of one code do not overlap. Touching segments stay
separate units. The number merged is reported.

Who coded which document. By default every listed coder coded every document, so a
coder without a segment on a document has a whole-document gap there. When a project
assigns documents to coders (each document to two of three coders, a lead double-coding
a subset), ``coders_by_document`` names each document's coders. Then, on each document,
only its coders are compared: a coder listed for a document but without segments on
it coded an empty layer (a whole-document gap, "absent" in its units); a coder not
listed is *missing* there, neither gap nor "absent"; and a document with fewer than two
coders is left out of every computation (it stays in the table, so its units can be
named, but no coder's layer on it is compared) and counted in ``excluded_documents``.
Segments by a coder on a document they are not listed for, and segments on an excluded
document, are dropped and counted in ``unlisted_segments``; a code that only such
segments used is not among the table's codes. The table carries this as
``listed``, a documents × coders boolean matrix, ``None`` when every coder coded every
document.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.agreement.errors import AgreementInputError

I64 = NDArray[np.int64]
F64 = NDArray[np.float64]
Mask = NDArray[np.bool_]


@dataclass(frozen=True)
class Segment:
    """One coded stretch of text: the unit of a coder's layer."""

    document: str
    coder: str
    code: str
    start: int
    end: int


@dataclass(frozen=True)
class Unit:
    """A predefined unit of analysis (paragraph, speaker turn, sentence)."""

    document: str
    unit: str
    start: int
    end: int


@dataclass(frozen=True)
class SegmentTable:
    """Merged segments sorted by (coder, code, global start), with per-document extents."""

    documents: tuple[str, ...]
    coders: tuple[str, ...]
    codes: tuple[str, ...]
    doc: I64
    coder: I64
    code: I64
    start: I64
    end: I64
    extent_start: I64
    extent_end: I64
    offsets: I64
    raw_segments: int
    listed: Mask | None = None  # documents × coders; None: every coder coded every document
    unlisted_segments: int = 0

    @property
    def n_segments(self) -> int:
        return int(self.start.shape[0])

    @property
    def merged(self) -> int:
        return self.raw_segments - self.unlisted_segments - self.n_segments

    @property
    def total_length(self) -> int:
        return int((self.extent_end - self.extent_start).sum())

    @property
    def doc_lengths(self) -> I64:
        out: I64 = self.extent_end - self.extent_start
        return out

    @property
    def coder_sets(self) -> Mask:
        """documents × coders: did the coder code the document (an empty layer included)?"""
        if self.listed is None:
            return np.ones((len(self.documents), len(self.coders)), dtype=bool)
        return self.listed

    @property
    def coders_per_document(self) -> I64:
        """m_d: how many coders are compared on each document (0 for an excluded one)."""
        out: I64 = self.coder_sets.sum(axis=1).astype(np.int64)
        return out

    @property
    def excluded_documents(self) -> int:
        """Documents left out because fewer than two coders coded them."""
        if self.listed is None:
            return 0 if len(self.coders) >= 2 else len(self.documents)
        return int((self.coders_per_document < 2).sum())

    @property
    def pairable_length(self) -> int:
        """Total length of the documents at least two coders coded."""
        if self.listed is None:
            return self.total_length if len(self.coders) >= 2 else 0
        return int(self.doc_lengths[self.coders_per_document >= 2].sum())

    @property
    def coder_positions(self) -> int:
        """Σ_d m_d·L_d: every compared coder's layer over every document they coded (mL
        when every coder coded every document)."""
        if self.listed is None:
            return len(self.coders) * self.total_length
        return int((self.coders_per_document * self.doc_lengths).sum())

    def pair_weight(self) -> F64:
        """Per document 1/(m_d − 1), the weight of one coder pair's comparison there (0 for
        an excluded document): each coder's value is averaged over the m_d − 1 others
        who coded the same stretch, as in the coincidence form of α for missing data."""
        m_d = self.coders_per_document.astype(np.float64)
        out: F64 = np.divide(1.0, m_d - 1.0, out=np.zeros_like(m_d), where=m_d >= 2)
        return out

    def shared(self, i: int, j: int) -> Mask | None:
        """Per segment: does it lie on a document coders ``i`` and ``j`` both coded?
        ``None`` when every coder coded every document (no restriction)."""
        if self.listed is None:
            return None
        both: Mask = self.listed[:, i] & self.listed[:, j]
        out: Mask = both[self.doc]
        return out

    @property
    def gstart(self) -> I64:
        """Start on the concatenated continuum of all documents."""
        out: I64 = self.offsets[self.doc] + self.start - self.extent_start[self.doc]
        return out

    @property
    def gend(self) -> I64:
        out: I64 = self.offsets[self.doc] + self.end - self.extent_start[self.doc]
        return out

    @property
    def lengths(self) -> I64:
        out: I64 = self.end - self.start
        return out


def build_table(
    segments: Iterable[Segment],
    extents: Mapping[str, tuple[int, int]] | None = None,
    *,
    coders: Sequence[str] | None = None,
    codes: Sequence[str] | None = None,
    coders_by_document: Mapping[str, Collection[str]] | None = None,
) -> SegmentTable:
    """Validate and normalise segments.

    ``extents`` gives each document's continuum [start, end); a document without one runs
    from 0 to its largest segment end. ``coders`` lists every coder who coded the
    documents, including a coder who coded nothing (their whole continuum is a gap).

    ``coders_by_document`` maps a document to the coders who coded it, an empty layer
    included; ``None`` means every coder coded every document. A document missing from
    the mapping has no coders and is excluded; coders named only in the mapping join the
    table's coders; the mapping's documents without an extent or a segment are ignored.
    See the module docstring for what a listed and an unlisted coder mean.
    """
    segs = list(segments)
    extents = dict(extents or {})
    for s in segs:
        if s.start >= s.end:
            raise AgreementInputError(
                f"segment of code {s.code!r} by {s.coder!r} in {s.document!r} has start "
                f"{s.start} >= end {s.end}"
            )
        if s.start < 0:
            raise AgreementInputError(f"segment in {s.document!r} starts before 0 ({s.start})")
    doc_names = list(dict.fromkeys([*extents, *(s.document for s in segs)]))
    listed_names = (
        [c for d in doc_names for c in coders_by_document.get(d, ())] if coders_by_document else []
    )
    coder_names = list(dict.fromkeys([*(coders or ()), *(s.coder for s in segs), *listed_names]))
    code_names = list(dict.fromkeys([*(codes or ()), *(s.code for s in segs)]))
    doc_ids = {d: i for i, d in enumerate(doc_names)}
    coder_ids = {c: i for i, c in enumerate(coder_names)}
    code_ids = {c: i for i, c in enumerate(code_names)}
    n = len(segs)
    doc = np.fromiter((doc_ids[s.document] for s in segs), np.int64, n)
    coder = np.fromiter((coder_ids[s.coder] for s in segs), np.int64, n)
    code = np.fromiter((code_ids[s.code] for s in segs), np.int64, n)
    start = np.fromiter((s.start for s in segs), np.int64, n)
    end = np.fromiter((s.end for s in segs), np.int64, n)
    largest_end = np.zeros(len(doc_names), dtype=np.int64)
    np.maximum.at(largest_end, doc, end)
    ext_start = np.zeros(len(doc_names), dtype=np.int64)
    ext_end = largest_end.copy()
    for name, (lo, hi) in extents.items():
        if lo >= hi:
            raise AgreementInputError(f"extent of {name!r} has start {lo} >= end {hi}")
        ext_start[doc_ids[name]], ext_end[doc_ids[name]] = lo, hi
    outside = (start < ext_start[doc]) | (end > ext_end[doc])
    if np.any(outside):
        bad = segs[int(np.flatnonzero(outside)[0])]
        lo, hi = ext_start[doc_ids[bad.document]], ext_end[doc_ids[bad.document]]
        raise AgreementInputError(
            f"segment {bad.start}:{bad.end} in {bad.document!r} lies outside the "
            f"document's extent {lo}:{hi}"
        )
    listed: Mask | None = None
    unlisted = 0
    if coders_by_document is not None:
        listed = np.zeros((len(doc_names), len(coder_names)), dtype=bool)
        for name, who in coders_by_document.items():
            if name in doc_ids:
                listed[doc_ids[name], [coder_ids[c] for c in who]] = True
        listed[listed.sum(axis=1) < 2] = False
        keep = listed[doc, coder] if n else np.zeros(0, dtype=bool)
        unlisted = int(n - keep.sum())
        doc, coder, code, start, end = doc[keep], coder[keep], code[keep], start[keep], end[keep]
        # A code only uncompared segments used is no code of this comparison.
        n_fixed = len(dict.fromkeys(codes or ()))
        _, first = np.unique(code, return_index=True)
        used = code[np.sort(first)].tolist()
        order = [*range(n_fixed), *(c for c in used if c >= n_fixed)]
        remap = np.full(len(code_names), -1, dtype=np.int64)
        remap[order] = np.arange(len(order), dtype=np.int64)
        code = remap[code]
        code_names = [code_names[i] for i in order]
    return _assemble(
        tuple(doc_names), tuple(coder_names), tuple(code_names),
        doc, coder, code, start, end, ext_start, ext_end, raw=n,
        listed=listed, unlisted=unlisted,
    )  # fmt: skip


def _assemble(
    documents: tuple[str, ...],
    coders: tuple[str, ...],
    codes: tuple[str, ...],
    doc: I64,
    coder: I64,
    code: I64,
    start: I64,
    end: I64,
    ext_start: I64,
    ext_end: I64,
    *,
    raw: int,
    listed: Mask | None = None,
    unlisted: int = 0,
) -> SegmentTable:
    lengths = ext_end - ext_start
    offsets = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)
    gstart = offsets[doc] + start - ext_start[doc]
    gend = offsets[doc] + end - ext_start[doc]
    order = np.lexsort((gstart, code, coder))
    doc, coder, code, start, end = doc[order], coder[order], code[order], start[order], end[order]
    gstart, gend = gstart[order], gend[order]
    # Merge overlaps within (coder, code): a running maximum of ends per group.
    group = coder * max(1, len(codes)) + code
    scale = int(gend.max()) + 1 if gend.size else 1
    running = np.maximum.accumulate(group * scale + gend) - group * scale
    new_group = np.ones(gstart.size, dtype=bool)
    if gstart.size:
        new_group[1:] = (group[1:] != group[:-1]) | (gstart[1:] >= running[:-1])
    heads = np.flatnonzero(new_group)
    merged_end_g = np.maximum.reduceat(gend, heads) if heads.size else gend
    end_out = end[heads] + (merged_end_g - gend[heads])
    return SegmentTable(
        documents=documents,
        coders=coders,
        codes=codes,
        doc=doc[heads],
        coder=coder[heads],
        code=code[heads],
        start=start[heads],
        end=end_out,
        extent_start=ext_start,
        extent_end=ext_end,
        offsets=offsets,
        raw_segments=raw,
        listed=listed,
        unlisted_segments=unlisted,
    )


def relabel(table: SegmentTable, mapping: Mapping[str, str | None]) -> SegmentTable:
    """Map each code to a new label (a code group, a category); ``None`` drops the code.

    Codes mapped to one label become one code, and a coder's overlapping segments of
    them merge. Codes missing from ``mapping`` keep their own name.
    """
    labels = [mapping.get(c, c) for c in table.codes]
    new_names = tuple(dict.fromkeys(lab for lab in labels if lab is not None))
    ids = {name: i for i, name in enumerate(new_names)}
    lookup = np.array([ids[lab] if lab is not None else -1 for lab in labels], dtype=np.int64)
    new_code = lookup[table.code] if table.code.size else table.code
    keep = new_code >= 0
    return _assemble(
        table.documents, table.coders, new_names,
        table.doc[keep], table.coder[keep], new_code[keep], table.start[keep], table.end[keep],
        table.extent_start, table.extent_end, raw=table.raw_segments,
        listed=table.listed, unlisted=table.unlisted_segments,
    )  # fmt: skip
