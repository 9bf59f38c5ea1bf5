"""The plain values the consensus engine works on.

A :class:`Segment` is one coded stretch of one coder's layer; a :class:`ConsensusSegment`
is what the consensus workflow writes to the consensus layer. Offsets count Unicode code
points into the stored document text, and the end is exclusive, as everywhere in Accord.
"""

from __future__ import annotations

from dataclasses import dataclass


def _check_extent(what: str, start: int, end: int) -> None:
    if start < 0:
        raise ValueError(f"{what} starts at {start}; offsets cannot be negative")
    if start >= end:
        raise ValueError(f"{what} is empty: start ({start}) must be before end ({end})")


@dataclass(frozen=True, slots=True)
class Segment:
    """One coded segment in one coder's layer: ``code`` applied to ``[start, end)``."""

    id: str
    coder: str
    code: str
    start: int
    end: int

    def __post_init__(self) -> None:
        _check_extent(f"Segment {self.id!r}", self.start, self.end)

    @property
    def length(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Segment) -> bool:
        """True when the two share at least one code point (touching is not overlapping)."""
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class ConsensusSegment:
    """A coding to write to the consensus layer: ``code`` applied to ``[start, end)``."""

    code: str
    start: int
    end: int

    def __post_init__(self) -> None:
        _check_extent(f"Consensus segment for code {self.code!r}", self.start, self.end)


def sort_key(segment: Segment) -> tuple[int, int, str]:
    """The deterministic order of coders' segments: start, then end, then id."""
    return (segment.start, segment.end, segment.id)


def consensus_sort_key(segment: ConsensusSegment) -> tuple[int, int, str]:
    """The deterministic order of consensus segments: start, then end, then code."""
    return (segment.start, segment.end, segment.code)
