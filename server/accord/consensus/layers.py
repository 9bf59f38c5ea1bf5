"""Keep a layer valid for unitizing after codes are merged.

After a merge re-points codes A and B to C, one coder may hold two C segments that
overlap, which unitizing agreement cannot count. :func:`join_same_code` joins them.

- Only segments of the same layer (coder) and the same code are joined.
- Only *overlapping* segments (sharing at least one code point) are joined; segments
  that merely touch stay apart, because adjacent segments are distinct meaning units the
  coder chose to separate.
- Joining is transitive: a chain of overlaps becomes one segment spanning the chain.
- The survivor of a chain is its first segment in start, end, id order; it keeps its id
  and takes the chain's extent. The others are removed.

The result says exactly what changed, so a merge can be undone to the same segments and
ids: :func:`unjoin` turns a :class:`JoinResult` back into the original segments.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import NamedTuple

from accord.consensus.segments import Segment, sort_key


@dataclass(frozen=True, slots=True)
class Join:
    """One survivor: its segment ``before`` and ``after`` the join, and what it absorbed."""

    before: Segment
    after: Segment
    absorbed: tuple[Segment, ...]


class JoinResult(NamedTuple):
    kept: tuple[Segment, ...]
    """Every segment left in the layers, with its new extent, in start, end, id order."""
    removed: tuple[Segment, ...]
    """The original segments that were absorbed into a survivor and must be deleted."""
    changed: tuple[Join, ...]
    """One entry per survivor that absorbed something, in start, end, id order."""


def join_same_code(segments: Iterable[Segment]) -> JoinResult:
    """Join overlapping same-code segments within each coder's layer (module doc).

    Segments of several layers may be passed together; they never join across layers.
    Raises ``ValueError`` when two segments share an id.
    """
    groups: dict[tuple[str, str], list[Segment]] = {}
    seen: set[str] = set()
    for segment in segments:
        if segment.id in seen:
            raise ValueError(f"Two segments share the id {segment.id!r}")
        seen.add(segment.id)
        groups.setdefault((segment.coder, segment.code), []).append(segment)

    kept: list[Segment] = []
    removed: list[Segment] = []
    changed: list[Join] = []
    for group in groups.values():
        for chain in _chains(sorted(group, key=sort_key)):
            first, rest = chain[0], chain[1:]
            after = replace(first, end=max(s.end for s in chain))
            kept.append(after)
            if rest:
                removed.extend(rest)
                changed.append(Join(before=first, after=after, absorbed=tuple(rest)))
    return JoinResult(
        kept=tuple(sorted(kept, key=sort_key)),
        removed=tuple(sorted(removed, key=sort_key)),
        changed=tuple(sorted(changed, key=lambda join: sort_key(join.before))),
    )


def unjoin(result: JoinResult) -> tuple[Segment, ...]:
    """The segments as they were before :func:`join_same_code`, in start, end, id order."""
    restored = {join.after.id: join.before for join in result.changed}
    original = [restored.get(segment.id, segment) for segment in result.kept]
    return tuple(sorted([*original, *result.removed], key=sort_key))


def _chains(ordered: list[Segment]) -> list[list[Segment]]:
    chains: list[list[Segment]] = []
    reach = -1
    for segment in ordered:
        if chains and segment.start < reach:
            chains[-1].append(segment)
            reach = max(reach, segment.end)
        else:
            chains.append([segment])
            reach = segment.end
    return chains
