"""Each document's continuum: given, or assumed and said so.

Every continuum coefficient (α_U, uα, cuα, character κ) depends on where a document's
continuum ends: stretches nobody coded count as agreement on "nothing here". A CSV of
segments does not know the text lengths, so a document without a given extent is
assumed to run from 0 to its last segment's end, and the report says so as a warning
(a REFI-QDA project and the server know the lengths and give them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from accord.agreement.segments import Segment

Extents = dict[str, tuple[int, int]]


def complete_extents(
    segments: Iterable[Segment], extents: Mapping[str, tuple[int, int]] | None
) -> tuple[Extents, Extents]:
    """(every document's extent, the ones assumed) for the documents of ``segments``."""
    given = dict(extents or {})
    ends: dict[str, int] = {}
    for s in segments:
        if s.document not in given:
            ends[s.document] = max(ends.get(s.document, 0), s.end)
    assumed = {d: (0, end) for d, end in ends.items()}
    return {**given, **assumed}, assumed


def extent_warnings(assumed: Mapping[str, tuple[int, int]]) -> list[str]:
    return [
        f"no extent given for document {d!r}: its continuum is assumed to be {lo}:{hi} "
        "(0 to its last segment's end), and every continuum coefficient depends on it; "
        f"give its length with --extent {d}=0:LENGTH"
        for d, (lo, hi) in assumed.items()
    ]
