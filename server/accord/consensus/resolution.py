"""A lead's resolution of a disagreement item, turned into consensus-layer segments.

Every action works per code, so a resolution never mixes up which text carries which
code, and touching extents stay separate meaning units:

- ``TakeCoder(coder)``: that coder's segments in the item, as they are. Taking a coder
  who coded nothing here is allowed and writes nothing: the lead sided with the coder
  who saw nothing to code (the audit trail records whose version was taken).
- ``TakeUnion()``: for each code in the item, all text any coder marked with it.
- ``TakeIntersection()``: for each code in the item, the text marked with it by *every
  coder who used that code*. A code only one coder used is kept as that coder marked
  it; coders who did not use a code do not veto it (that is what ``TakeCoder`` or
  ``Custom`` are for). When the coders who used a code share no text at all, there is
  no intersection and the resolution is refused with the extents involved.
- ``Custom(start, end, codes)``: each listed code on ``[start, end)``. The extent must lie
  inside the document and overlap the item, and at least one code is needed.
- ``Drop()``: nothing is written.

The output for one item never overlaps itself within a code. A custom extent may reach
past the item, so callers writing it next to other items' consensus segments should run
:func:`accord.consensus.layers.join_same_code` on the consensus layer afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import reduce
from typing import ClassVar, assert_never

from accord.consensus.align import Item
from accord.consensus.intervals import Span, fuse, intersect
from accord.consensus.segments import ConsensusSegment, Segment, consensus_sort_key


class ResolutionAction(StrEnum):
    TAKE_CODER = "TAKE_CODER"
    UNION = "UNION"
    INTERSECTION = "INTERSECTION"
    CUSTOM = "CUSTOM"
    DROP = "DROP"


class ResolutionError(ValueError):
    """A resolution that cannot be applied; the message is meant for the lead."""


@dataclass(frozen=True, slots=True)
class TakeCoder:
    coder: str
    action: ClassVar[ResolutionAction] = ResolutionAction.TAKE_CODER


@dataclass(frozen=True, slots=True)
class TakeUnion:
    action: ClassVar[ResolutionAction] = ResolutionAction.UNION


@dataclass(frozen=True, slots=True)
class TakeIntersection:
    action: ClassVar[ResolutionAction] = ResolutionAction.INTERSECTION


@dataclass(frozen=True, slots=True)
class Custom:
    start: int
    end: int
    codes: tuple[str, ...]
    action: ClassVar[ResolutionAction] = ResolutionAction.CUSTOM


@dataclass(frozen=True, slots=True)
class Drop:
    action: ClassVar[ResolutionAction] = ResolutionAction.DROP


Resolution = TakeCoder | TakeUnion | TakeIntersection | Custom | Drop

# Combines, for one code, each coder's fused text into the spans to write.
_Combine = Callable[[str, Sequence[list[Span]]], list[Span]]


def resolve(
    item: Item, resolution: Resolution, document_length: int
) -> tuple[ConsensusSegment, ...]:
    """The consensus segments that ``resolution`` writes for ``item``, in document order.

    ``document_length`` is the document's length in code points, used to check a custom
    extent. Raises :class:`ResolutionError` when the resolution cannot be applied.
    """
    match resolution:
        case TakeCoder(coder=coder):
            written = _take_coder(item, coder)
        case TakeUnion():
            written = _per_code(item.segments, lambda _code, texts: fuse(_flatten(texts)))
        case TakeIntersection():
            written = _per_code(item.segments, _intersection)
        case Custom():
            written = _custom(item, resolution, document_length)
        case Drop():
            written = []
        case _:
            assert_never(resolution)
    return tuple(sorted(written, key=consensus_sort_key))


def _take_coder(item: Item, coder: str) -> list[ConsensusSegment]:
    if coder not in item.coders:
        assigned = ", ".join(item.coders)
        raise ResolutionError(
            f"{coder!r} is not one of the coders assigned to this document ({assigned})"
        )
    return _per_code(item.segments_of(coder), lambda _code, texts: fuse(_flatten(texts)))


def _intersection(code: str, texts: Sequence[list[Span]]) -> list[Span]:
    shared = reduce(intersect, texts)
    if not shared:
        extents = "; ".join(", ".join(f"{s}–{e}" for s, e in text) for text in texts)
        raise ResolutionError(
            f"The coders who used code {code!r} marked text that does not overlap "
            f"({extents}), so there is no intersection for it; take one coder's "
            "version or set a custom extent instead"
        )
    return shared


def _per_code(
    segments: Iterable[Segment],
    combine: _Combine,
) -> list[ConsensusSegment]:
    # code -> coder -> that coder's text for the code, fused
    texts: dict[str, dict[str, list[Span]]] = {}
    for segment in segments:
        texts.setdefault(segment.code, {}).setdefault(segment.coder, []).append(
            (segment.start, segment.end)
        )
    written: list[ConsensusSegment] = []
    for code in sorted(texts):
        per_coder = [fuse(texts[code][coder]) for coder in sorted(texts[code])]
        written.extend(ConsensusSegment(code, s, e) for s, e in combine(code, per_coder))
    return written


def _flatten(texts: Sequence[list[Span]]) -> list[Span]:
    return [span for text in texts for span in text]


def _custom(item: Item, custom: Custom, document_length: int) -> list[ConsensusSegment]:
    start, end, codes = custom.start, custom.end, tuple(custom.codes)
    if not codes:
        raise ResolutionError("Choose at least one code for the custom extent")
    if any(not code.strip() for code in codes):
        raise ResolutionError("A code for the custom extent cannot be blank")
    repeated = sorted({code for code in codes if codes.count(code) > 1})
    if repeated:
        raise ResolutionError(f"Each code can be given only once; repeated: {repeated}")
    if start < 0:
        raise ResolutionError(
            f"The custom extent starts at {start}, before the beginning of the document"
        )
    if start >= end:
        raise ResolutionError(
            f"The custom extent is empty: its start ({start}) must come before its end ({end})"
        )
    if end > document_length:
        raise ResolutionError(
            f"The custom extent ends at {end}, past the end of the document "
            f"({document_length} code points)"
        )
    if end <= item.start or start >= item.end:
        raise ResolutionError(
            f"The custom extent {start}–{end} does not overlap this item "
            f"({item.start}–{item.end}); set an extent on the text the coders disagreed about"
        )
    return [ConsensusSegment(code, start, end) for code in codes]
