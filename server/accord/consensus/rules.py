"""The project's consensus rule: which items go to the consensus layer on their own.

Overlap between two coders is measured on the code points they coded, by default as the
Jaccard ratio ``|A ∩ B| / |A ∪ B|``. Jaccard is symmetric, penalises a boundary that
differs at either end, and reads as "the share of the text either coder marked that
both marked", which is the sentence a methods section needs. The alternative
``|A ∩ B| / max(|A|, |B|)`` (:attr:`OverlapMeasure.LONGER`) ignores how far the
shorter segment misses the longer one as long as the two share enough of the longer
one, so it is more lenient; a project can choose it, and reports name the measure used.

When an item meets the rule, the text written to the consensus layer for each code is
the **majority extent**: the code points that more than half of the coders who used the
code covered. Every pair of those segments overlaps, so (by Helly's theorem on the line)
this is one contiguous span, running from the k-th smallest start to the k-th largest
end, with k = n // 2 + 1. Each boundary is one that a coder actually chose, so it falls
where a person placed it (usually at a word or sentence edge); one coder with an odd
boundary is outvoted rather than trimming (intersection) or stretching (union) everyone
else's segment; and with two coders the majority is the intersection, the conservative
choice. Identical extents give that extent.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import combinations

from accord.consensus.align import Item
from accord.consensus.intervals import Span, fuse, intersect, size
from accord.consensus.segments import ConsensusSegment, Segment, consensus_sort_key

MIN_OVERLAP_KEY = "consensusMinOverlap"
REQUIRE_ALL_CODERS_KEY = "consensusRequireAllCoders"
REQUIRE_SAME_CODE_KEY = "consensusRequireSameCode"
OVERLAP_MEASURE_KEY = "consensusOverlapMeasure"


class OverlapMeasure(StrEnum):
    JACCARD = "jaccard"  # |A ∩ B| / |A ∪ B|: shared text over the text either coder marked
    LONGER = "longer"  # |A ∩ B| / max(|A|, |B|): shared text over the longer coder's text


class RuleSettingsError(ValueError):
    """A consensus setting a person entered is not valid; ``key`` names the setting."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


@dataclass(frozen=True, slots=True)
class ConsensusRule:
    """When an item is accepted into the consensus layer without a lead's decision.

    - ``require_all_coders``: every assigned coder must have coded the item. When off,
      the coders who did code it must agree, and at least two must have coded it (one
      when the document has a single coder).
    - ``require_same_code``: those coders must have used the same set of codes, and the
      overlap is measured per code. When off, codes are ignored for matching: each
      coder's text is everything they coded in the item, and every code used is written.
    - ``min_pairwise_overlap``: a fraction in 0..1 that every pair of coders must reach.
      0 still demands that the two share at least one code point.
    - ``overlap_measure``: how the overlap of two coders is measured (module doc).

    In every case each coder may have at most one segment of a code in the item: a code
    split into several segments is a disagreement about meaning units, for the lead.
    """

    require_all_coders: bool = True
    require_same_code: bool = True
    min_pairwise_overlap: float = 0.9
    overlap_measure: OverlapMeasure = OverlapMeasure.JACCARD

    def __post_init__(self) -> None:
        if not 0.0 <= self.min_pairwise_overlap <= 1.0:
            raise ValueError(
                f"min_pairwise_overlap must be a fraction from 0 to 1, "
                f"got {self.min_pairwise_overlap!r}"
            )


def overlap(left: Sequence[Span], right: Sequence[Span], measure: OverlapMeasure) -> float:
    """The overlap of two coders' text (fused span lists) under ``measure``, in 0..1."""
    shared = size(intersect(list(left), list(right)))
    if measure is OverlapMeasure.JACCARD:
        denominator = size(left) + size(right) - shared
    else:
        denominator = max(size(left), size(right))
    return shared / denominator if denominator else 0.0


def meets_rule(item: Item, rule: ConsensusRule, coders: Iterable[str]) -> bool:
    """True when ``item`` meets ``rule`` for a document assigned to ``coders``."""
    assigned = set(coders)
    present = [entry for entry in item.by_coder if entry.segments and entry.coder in assigned]
    if rule.require_all_coders and len(present) < len(assigned):
        return False
    if len(present) < min(2, len(assigned)) or not present:
        return False
    if any(len(entry.segments) != len(entry.codes) for entry in present):
        return False
    if rule.require_same_code:
        if len({entry.codes for entry in present}) > 1:
            return False
        groups = [
            [[(s.start, s.end)] for entry in present for s in entry.segments if s.code == code]
            for code in item.codes
        ]
        return all(_pairs_agree(group, rule) for group in groups)
    texts = [fuse((s.start, s.end) for s in entry.segments) for entry in present]
    # Codes are not compared, but where a code is written must still be a place every
    # coder who used it marked, or the majority extent of that code would be empty.
    return _pairs_agree(texts, rule) and all(
        _pairs_share_text([[(s.start, s.end)] for s in item.segments if s.code == code])
        for code in item.codes
    )


def _pairs_agree(texts: Sequence[Sequence[Span]], rule: ConsensusRule) -> bool:
    return _pairs_share_text(texts) and all(
        overlap(left, right, rule.overlap_measure) >= rule.min_pairwise_overlap
        for left, right in combinations(texts, 2)
    )


def _pairs_share_text(texts: Sequence[Sequence[Span]]) -> bool:
    return all(intersect(list(a), list(b)) for a, b in combinations(texts, 2))


def majority_extent(extents: Sequence[Span]) -> Span:
    """The span covered by more than half of ``extents``, which must pairwise overlap."""
    if not extents:
        raise ValueError("majority_extent needs at least one extent")
    k = len(extents) // 2 + 1
    starts = sorted(start for start, _ in extents)
    ends = sorted((end for _, end in extents), reverse=True)
    return starts[k - 1], ends[k - 1]


def auto_accept(
    item: Item, rule: ConsensusRule, coders: Iterable[str]
) -> tuple[ConsensusSegment, ...] | None:
    """The consensus segments to write when ``item`` meets ``rule``, else ``None``.

    One segment per code used in the item, at the majority extent of the segments
    carrying that code (module doc), in start, end, code order.
    """
    assigned = list(coders)
    if not meets_rule(item, rule, assigned):
        return None
    by_code: dict[str, list[Segment]] = {}
    for segment in item.segments:
        if segment.coder in assigned:
            by_code.setdefault(segment.code, []).append(segment)
    written = [
        ConsensusSegment(code, *majority_extent([(s.start, s.end) for s in segments]))
        for code, segments in by_code.items()
    ]
    return tuple(sorted(written, key=consensus_sort_key))


def rule_from_settings(settings: Mapping[str, object]) -> ConsensusRule:
    """Read the consensus rule from a project's JSON settings; absent keys take defaults.

    Raises :class:`RuleSettingsError` naming the offending key. The overlap is a fraction
    (0.9 for 90 %); a value such as 90 is refused rather than guessed at, because 1 would
    be ambiguous between 1 % and 100 %.
    """
    default = ConsensusRule()
    return ConsensusRule(
        require_all_coders=_read_bool(settings, REQUIRE_ALL_CODERS_KEY, default.require_all_coders),
        require_same_code=_read_bool(settings, REQUIRE_SAME_CODE_KEY, default.require_same_code),
        min_pairwise_overlap=_read_fraction(settings, default.min_pairwise_overlap),
        overlap_measure=_read_measure(settings, default.overlap_measure),
    )


def rule_to_settings(rule: ConsensusRule) -> dict[str, object]:
    """The JSON settings that :func:`rule_from_settings` turns back into ``rule``."""
    return {
        MIN_OVERLAP_KEY: rule.min_pairwise_overlap,
        REQUIRE_ALL_CODERS_KEY: rule.require_all_coders,
        REQUIRE_SAME_CODE_KEY: rule.require_same_code,
        OVERLAP_MEASURE_KEY: rule.overlap_measure.value,
    }


def _read_bool(settings: Mapping[str, object], key: str, default: bool) -> bool:
    value = settings.get(key, default)
    if not isinstance(value, bool):
        raise RuleSettingsError(key, f"{key} must be true or false, not {value!r}")
    return value


def _read_fraction(settings: Mapping[str, object], default: float) -> float:
    key = MIN_OVERLAP_KEY
    value = settings.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RuleSettingsError(
            key, f"{key} must be a number from 0 to 1 (0.9 means 90 %), not {value!r}"
        )
    if not math.isfinite(value):
        raise RuleSettingsError(key, f"{key} must be a number from 0 to 1, not {value!r}")
    if 1 < value <= 100:
        raise RuleSettingsError(
            key,
            f"{key} is a fraction from 0 to 1, not a percentage: "
            f"for {value:g} % write {value / 100:g}",
        )
    if not 0 <= value <= 1:
        raise RuleSettingsError(
            key, f"{key} must be from 0 to 1 (0.9 means 90 % overlap), not {value!r}"
        )
    return float(value)


def _read_measure(settings: Mapping[str, object], default: OverlapMeasure) -> OverlapMeasure:
    key = OVERLAP_MEASURE_KEY
    value = settings.get(key, default.value)
    choices = ", ".join(repr(m.value) for m in OverlapMeasure)
    if not isinstance(value, str) or value not in {m.value for m in OverlapMeasure}:
        raise RuleSettingsError(key, f"{key} must be one of {choices}, not {value!r}")
    return OverlapMeasure(value)


def describe_rule(rule: ConsensusRule) -> str:
    """The rule in plain words, as a lead reads it before starting consensus."""
    who = (
        "every assigned coder coded it"
        if rule.require_all_coders
        else "at least two coders coded it (one on a document with a single coder)"
    )
    codes = "all with the same code" if rule.require_same_code else "whatever codes they used"
    measure = (
        "of the text either of the two marked"
        if rule.overlap_measure is OverlapMeasure.JACCARD
        else "of the longer of the two segments"
    )
    if rule.min_pairwise_overlap > 0:
        share = f"{rule.min_pairwise_overlap * 100:.4g} %"
        fit = f"each pair of their segments shares at least {share} {measure}"
    else:
        fit = "each pair of their segments shares at least one character"
    return (
        f"An item goes to the consensus layer on its own when {who}, {codes}, and {fit}. "
        "Every other item waits for a lead's decision."
    )
