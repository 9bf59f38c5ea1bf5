"""Align the coders' layers of one document into disagreement items.

Segments are clustered by the overlap graph over *all* coders and *all* codes: two
segments that share at least one code point are in the same item, whatever their coder or
code, and an item is a connected component of that graph. A segment that overlaps nothing
is an item of its own. Because clustering is transitive, items never overlap each other,
so the consensus layer can be resolved item by item. Segments that only touch
(``a.end == b.start``) do not overlap and fall into different items.

Classification, in order of precedence (the first rule that applies wins):

1. ``OMISSION``: at least one assigned coder has no segment in the item. This wins over
   every other kind, because "only some coders coded here" is the first thing a research
   team needs to see and discuss: whether the passage is relevant at all comes before
   which code or which boundaries. :attr:`Item.codes_differ` still tells the lead when
   the coders who did code here also chose different codes.
2. ``CODE_DIFFERENCE``: every assigned coder coded here, but the set of codes one coder
   used in the item differs from another coder's set.
3. ``EXACT_AGREEMENT``: every assigned coder used the same set of codes and, for each
   code, every coder has exactly one segment of it, with the same extent as everyone
   else's. The usual case is one code; several codes applied identically by everyone
   are exact agreement too, since there is nothing left to discuss.
4. ``BOUNDARY_DIFFERENCE``: every assigned coder used the same set of codes, but the
   extents differ, or some coder split one code into several segments here. A coder
   with two segments of the same code in one item (say ``[0, 40)`` and ``[45, 90)``
   where the others coded ``[0, 90)`` as one) disagrees about how many meaning units
   there are, which is a unitizing (boundary) question, never exact agreement.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from accord.consensus.segments import Segment, sort_key


class ItemKind(StrEnum):
    EXACT_AGREEMENT = "EXACT_AGREEMENT"
    BOUNDARY_DIFFERENCE = "BOUNDARY_DIFFERENCE"
    CODE_DIFFERENCE = "CODE_DIFFERENCE"
    OMISSION = "OMISSION"


@dataclass(frozen=True, slots=True)
class CoderSegments:
    """One assigned coder's segments in an item; empty when the coder coded nothing there."""

    coder: str
    segments: tuple[Segment, ...]

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(segment.code for segment in self.segments)


@dataclass(frozen=True, slots=True)
class Item:
    """One disagreement item: a cluster of overlapping segments across coders.

    ``key`` depends only on the ids of the item's segments, so building the items again
    from the same layers gives the same keys. ``start``/``end`` is the extent covered by
    the cluster. ``segments`` is in start, end, id order; ``by_coder`` has one entry for
    every coder assigned to the document, in coder order, including coders with no
    segment here.
    """

    key: str
    kind: ItemKind
    start: int
    end: int
    segments: tuple[Segment, ...]
    by_coder: tuple[CoderSegments, ...]

    @property
    def coders(self) -> tuple[str, ...]:
        """Every coder assigned to the document."""
        return tuple(entry.coder for entry in self.by_coder)

    @property
    def coders_present(self) -> tuple[str, ...]:
        return tuple(entry.coder for entry in self.by_coder if entry.segments)

    @property
    def coders_missing(self) -> tuple[str, ...]:
        return tuple(entry.coder for entry in self.by_coder if not entry.segments)

    @property
    def codes(self) -> tuple[str, ...]:
        """Every code used in the item, sorted."""
        return tuple(sorted({segment.code for segment in self.segments}))

    @property
    def codes_differ(self) -> bool:
        """True when the coders who coded here did not all use the same set of codes."""
        return len({entry.codes for entry in self.by_coder if entry.segments}) > 1

    def segments_of(self, coder: str) -> tuple[Segment, ...]:
        """The coder's segments in this item; raises ``KeyError`` for an unassigned coder."""
        for entry in self.by_coder:
            if entry.coder == coder:
                return entry.segments
        raise KeyError(coder)


def item_key(segment_ids: Iterable[str]) -> str:
    """A stable key for the item holding exactly these segments, independent of order."""
    encoded = json.dumps(sorted(segment_ids), ensure_ascii=False).encode("utf-8")
    return hashlib.blake2b(encoded, digest_size=12).hexdigest()


def classify(by_coder: Sequence[CoderSegments]) -> ItemKind:
    """The kind of an item from its per-coder segments (precedence in the module doc)."""
    present = [entry for entry in by_coder if entry.segments]
    if len(present) < len(by_coder):
        return ItemKind.OMISSION
    if len({entry.codes for entry in present}) > 1:
        return ItemKind.CODE_DIFFERENCE
    if _identical_per_code(present):
        return ItemKind.EXACT_AGREEMENT
    return ItemKind.BOUNDARY_DIFFERENCE


def _identical_per_code(present: Sequence[CoderSegments]) -> bool:
    extents: set[tuple[str, int, int]] = set()
    for entry in present:
        if len(entry.segments) != len(entry.codes):
            return False  # some code split into several segments by this coder
        extents.update((s.code, s.start, s.end) for s in entry.segments)
    return len(extents) == len(present[0].codes)


def align(segments: Iterable[Segment], coders: Iterable[str]) -> list[Item]:
    """Cluster one document's segments from all coders into disagreement items.

    ``coders`` are the coders assigned to the document; an assigned coder without any
    segment still counts, which is what makes omissions visible. Items come back in
    document order (start, then end, then segment ids). Raises ``ValueError`` when two
    segments share an id, when a segment belongs to a coder who is not assigned, or when
    ``coders`` is empty or lists a coder twice. Runs in O(S log S).
    """
    assigned = list(coders)
    if not assigned:
        raise ValueError("A document needs at least one assigned coder to align")
    if len(set(assigned)) != len(assigned):
        raise ValueError(f"The assigned coders list someone twice: {assigned!r}")
    ordered = sorted(segments, key=sort_key)
    _check_segments(ordered, set(assigned))
    return [_build_item(cluster, sorted(assigned)) for cluster in _clusters(ordered)]


def _check_segments(ordered: Sequence[Segment], assigned: set[str]) -> None:
    seen: set[str] = set()
    for segment in ordered:
        if segment.id in seen:
            raise ValueError(f"Two segments share the id {segment.id!r}")
        seen.add(segment.id)
        if segment.coder not in assigned:
            raise ValueError(
                f"Segment {segment.id!r} belongs to coder {segment.coder!r}, "
                "who is not assigned to this document"
            )


def _clusters(ordered: Sequence[Segment]) -> list[list[Segment]]:
    # A sweep over segments sorted by start: a segment joins the open cluster when it
    # starts before the cluster's furthest end, which yields the connected components.
    clusters: list[list[Segment]] = []
    reach = -1
    for segment in ordered:
        if clusters and segment.start < reach:
            clusters[-1].append(segment)
            reach = max(reach, segment.end)
        else:
            clusters.append([segment])
            reach = segment.end
    return clusters


def _build_item(cluster: Sequence[Segment], coders: Sequence[str]) -> Item:
    by_coder = tuple(
        CoderSegments(coder, tuple(s for s in cluster if s.coder == coder)) for coder in coders
    )
    return Item(
        key=item_key(s.id for s in cluster),
        kind=classify(by_coder),
        start=cluster[0].start,
        end=max(s.end for s in cluster),
        segments=tuple(cluster),
        by_coder=by_coder,
    )
