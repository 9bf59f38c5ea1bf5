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

NVivo reports this κ per source (document); Accord reports it per document as well as
pooled over every document and coder pair, and the pooled figure says it is pooled
(``scope``). The pooled κ is κ of the summed 2 × 2 tables, not an average of the
per-document κ values.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

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
    scope: str | None = None  # what the counts were pooled over, for a pooled figure

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "both": self.both,
            "first_only": self.first_only,
            "second_only": self.second_only,
            "neither": self.neither,
            "percent_agreement": self.percent_agreement.to_json(),
            "cohen_kappa": self.cohen_kappa.to_json(),
        }
        if self.scope is not None:
            out["scope"] = self.scope
        return out


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def pooled_scope(documents: int, pairs: int) -> str:
    """How a pooled character κ says what it pooled."""
    return (
        f"pooled over {_plural(documents, 'document')} and {_plural(pairs, 'coder pair')}: "
        "the summed 2 × 2 tables, not an average of per-document values"
    )


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
    """Per code (``table.codes`` order), pooled over all documents and pairs of coders."""
    counts, pairs = _counts(table)
    reason = empty_reason(table)
    compared = int((table.coders_per_document >= 2).sum()) if len(table.coders) >= 2 else 0
    scope = pooled_scope(compared, pairs)
    pooled = counts.sum(axis=1)
    return tuple(
        _pooled(
            _from_table(
                int(pooled[c, 0]), int(pooled[c, 1]), int(pooled[c, 2]), int(pooled[c, 3]), reason
            ),
            scope,
        )
        for c in range(len(table.codes))
    )


def _pooled(c: CharacterAgreement, scope: str) -> CharacterAgreement:
    """``c`` labelled as pooled, its coefficients too (they travel alone in the API)."""

    def label(coefficient: Coefficient) -> Coefficient:
        return replace(coefficient, scope=scope) if coefficient.defined else coefficient

    return replace(
        c,
        scope=scope,
        percent_agreement=label(c.percent_agreement),
        cohen_kappa=label(c.cohen_kappa),
    )


def character_agreement_by_document(
    table: SegmentTable,
) -> tuple[dict[str, CharacterAgreement], ...]:
    """Per code (``table.codes`` order), per compared document (by name), pooled over
    the pairs of coders who coded that document, as NVivo reports each source."""
    counts, _ = _counts(table)
    compared = table.coders_per_document >= 2
    return tuple(
        {
            name: _from_table(
                int(counts[c, d, 0]),
                int(counts[c, d, 1]),
                int(counts[c, d, 2]),
                int(counts[c, d, 3]),
                "the document is empty",
            )
            for d, name in enumerate(table.documents)
            if compared[d]
        }
        for c in range(len(table.codes))
    )


def _counts(table: SegmentTable) -> tuple[NDArray[np.int64], int]:
    """codes × documents × (both, first only, second only, neither), and how many coder
    pairs were compared."""
    n_codes = len(table.codes)
    n_docs = len(table.documents)
    m = len(table.coders)
    total = table.total_length
    band = table.code * max(1, total)
    start, end = band + table.gstart, band + table.gend
    length = (end - start).astype(np.int64)
    counts = np.zeros((n_codes, n_docs, 4), dtype=np.int64)
    sets = table.coder_sets
    cells = n_codes * n_docs
    pairs = 0
    for i in range(m):
        for j in range(i + 1, m):
            both_coded = sets[:, i] & sets[:, j]
            if not both_coded.any():
                continue
            pairs += 1
            shared = table.shared(i, j)
            if shared is None:
                a = np.flatnonzero(table.coder == i)
                b = np.flatnonzero(table.coder == j)
            else:
                a = np.flatnonzero((table.coder == i) & shared)
                b = np.flatnonzero((table.coder == j) & shared)
            ia, ib = overlap_pairs(start[a], end[a], start[b], end[b])
            inter = np.minimum(end[a][ia], end[b][ib]) - np.maximum(start[a][ia], start[b][ib])
            key_a = table.code[a] * n_docs + table.doc[a]
            key_b = table.code[b] * n_docs + table.doc[b]
            both = np.bincount(key_a[ia], weights=inter, minlength=cells).reshape(n_codes, n_docs)
            len_a = np.bincount(key_a, weights=length[a], minlength=cells).reshape(n_codes, n_docs)
            len_b = np.bincount(key_b, weights=length[b], minlength=cells).reshape(n_codes, n_docs)
            doc_total = np.where(both_coded, table.doc_lengths, 0)[None, :]
            counts[:, :, 0] += both.astype(np.int64)
            counts[:, :, 1] += (len_a - both).astype(np.int64)
            counts[:, :, 2] += (len_b - both).astype(np.int64)
            counts[:, :, 3] += (doc_total - len_a - len_b + both).astype(np.int64)
    return counts, pairs
