"""The consensus rule, auto-accept outcomes, and the rule's project settings."""

from __future__ import annotations

import math

import pytest
from consensus_planted import AGREED_SEGMENT_IDS, CODERS, RELIEF, planted_segments, span

from accord.consensus import (
    ConsensusRule,
    ConsensusSegment,
    Item,
    OverlapMeasure,
    RuleSettingsError,
    Segment,
    align,
    auto_accept,
    majority_extent,
    meets_rule,
    overlap,
    rule_from_settings,
    rule_to_settings,
)

TWO = ("ana", "bo")


def one_item(segments: list[Segment], coders: tuple[str, ...] = TWO) -> Item:
    [item] = align(segments, coders)
    return item


def pair(a: tuple[int, int], b: tuple[int, int], code_b: str = "x") -> Item:
    return one_item([Segment("a", "ana", "x", *a), Segment("b", "bo", code_b, *b)])


def test_default_rule_accepts_exactly_the_agreed_planted_items() -> None:
    rule = ConsensusRule()
    items = align(planted_segments(), CODERS)
    accepted = [
        tuple(sorted(s.id for s in i.segments)) for i in items if meets_rule(i, rule, CODERS)
    ]
    assert accepted == AGREED_SEGMENT_IDS


def test_auto_accept_writes_the_agreed_extent_and_nothing_for_open_items() -> None:
    items = align(planted_segments(), CODERS)
    outcomes = [auto_accept(i, ConsensusRule(), CODERS) for i in items]
    exact, relief, *rest = outcomes
    assert exact == (ConsensusSegment("stigma", items[0].start, items[0].end),)
    # two of three coders ended after the period, so the majority keeps it
    assert relief == (ConsensusSegment("relief", *span(RELIEF)),)
    assert rest == [None, None, None]


def test_overlap_measures_on_a_shifted_segment() -> None:
    a, b = [(0, 100)], [(8, 108)]
    assert overlap(a, b, OverlapMeasure.JACCARD) == pytest.approx(92 / 108)
    assert overlap(a, b, OverlapMeasure.LONGER) == pytest.approx(92 / 100)
    item = pair((0, 100), (8, 108))
    assert not meets_rule(item, ConsensusRule(), TWO)
    assert meets_rule(item, ConsensusRule(overlap_measure=OverlapMeasure.LONGER), TWO)


def test_overlap_exactly_at_the_threshold_is_enough() -> None:
    assert meets_rule(pair((0, 10), (0, 9)), ConsensusRule(), TWO)
    assert not meets_rule(pair((0, 10), (0, 8)), ConsensusRule(), TWO)


def test_every_pair_must_reach_the_threshold_not_just_the_average() -> None:
    segments = [
        Segment("a", "ana", "x", 0, 100),
        Segment("b", "bo", "x", 0, 100),
        Segment("c", "cy", "x", 0, 85),
    ]
    assert not meets_rule(one_item(segments, CODERS), ConsensusRule(), CODERS)


def test_two_coders_accept_the_intersection() -> None:
    item = pair((0, 100), (2, 100))
    assert auto_accept(item, ConsensusRule(), TWO) == (ConsensusSegment("x", 2, 100),)


def test_majority_extent_outvotes_a_single_odd_boundary() -> None:
    assert majority_extent([(0, 100), (3, 100), (0, 97)]) == (0, 100)
    assert majority_extent([(0, 100), (3, 98), (1, 97)]) == (1, 98)
    assert majority_extent([(5, 9)]) == (5, 9)
    with pytest.raises(ValueError):
        majority_extent([])


def test_code_difference_and_omission_never_meet_the_default_rule() -> None:
    assert not meets_rule(pair((0, 10), (0, 10), code_b="y"), ConsensusRule(), TWO)
    alone = one_item([Segment("a", "ana", "x", 0, 10)])
    assert not meets_rule(alone, ConsensusRule(), TWO)


def test_without_require_all_coders_the_coders_present_must_agree() -> None:
    rule = ConsensusRule(require_all_coders=False)
    omission = align(planted_segments(), CODERS)[-1]
    assert meets_rule(omission, rule, CODERS)
    assert auto_accept(omission, rule, CODERS) == (
        ConsensusSegment("recommendation", omission.start, omission.end - 1),
    )
    alone = one_item([Segment("a", "ana", "x", 0, 10)], CODERS)
    assert not meets_rule(alone, rule, CODERS)


def test_a_single_coder_document_accepts_that_coders_work() -> None:
    item = one_item([Segment("a", "ana", "x", 0, 10)], ("ana",))
    assert auto_accept(item, ConsensusRule(), ("ana",)) == (ConsensusSegment("x", 0, 10),)


def test_without_require_same_code_matching_extents_write_every_code() -> None:
    rule = ConsensusRule(require_same_code=False)
    item = pair((0, 10), (0, 10), code_b="y")
    assert auto_accept(item, rule, TWO) == (
        ConsensusSegment("x", 0, 10),
        ConsensusSegment("y", 0, 10),
    )
    assert not meets_rule(pair((0, 10), (0, 5), code_b="y"), rule, TWO)


def test_without_require_same_code_a_code_must_sit_where_its_coders_agree() -> None:
    # Both coders marked [0, 20), but swapped which half is x and which is y.
    segments = [
        Segment("ax", "ana", "x", 0, 12),
        Segment("ay", "ana", "y", 8, 20),
        Segment("bx", "bo", "x", 14, 20),
        Segment("by", "bo", "y", 0, 14),
    ]
    assert not meets_rule(one_item(segments), ConsensusRule(require_same_code=False), TWO)


def test_split_segments_never_auto_accept() -> None:
    segments = [
        Segment("a1", "ana", "x", 0, 50),
        Segment("a2", "ana", "x", 50, 100),
        Segment("b", "bo", "x", 0, 100),
    ]
    lenient = ConsensusRule(min_pairwise_overlap=0.0)
    assert auto_accept(one_item(segments), lenient, TWO) is None


def test_zero_threshold_still_needs_shared_text_between_every_pair() -> None:
    segments = [
        Segment("a", "ana", "x", 0, 10),
        Segment("b", "bo", "x", 5, 25),
        Segment("c", "cy", "x", 20, 30),
    ]
    item = one_item(segments, CODERS)
    assert not meets_rule(item, ConsensusRule(min_pairwise_overlap=0.0), CODERS)


def test_identical_multi_code_items_accept_every_code() -> None:
    segments = [
        Segment(f"{c}{k}", c, k, s, e) for c in TWO for k, s, e in (("x", 0, 10), ("y", 5, 30))
    ]
    assert auto_accept(one_item(segments), ConsensusRule(), TWO) == (
        ConsensusSegment("x", 0, 10),
        ConsensusSegment("y", 5, 30),
    )


def test_rule_refuses_an_overlap_outside_zero_to_one() -> None:
    with pytest.raises(ValueError, match="from 0 to 1"):
        ConsensusRule(min_pairwise_overlap=1.5)


def test_settings_default_and_round_trip() -> None:
    assert rule_from_settings({}) == ConsensusRule()
    assert rule_from_settings({"unrelated": "kept elsewhere"}) == ConsensusRule()
    rule = ConsensusRule(False, False, 0.75, OverlapMeasure.LONGER)
    settings = rule_to_settings(rule)
    assert settings == {
        "consensusMinOverlap": 0.75,
        "consensusRequireAllCoders": False,
        "consensusRequireSameCode": False,
        "consensusOverlapMeasure": "longer",
    }
    assert rule_from_settings(settings) == rule
    assert rule_from_settings({"consensusMinOverlap": 1}).min_pairwise_overlap == 1.0
    assert rule_from_settings({"consensusMinOverlap": 0}).min_pairwise_overlap == 0.0


@pytest.mark.parametrize(
    ("settings", "key", "message"),
    [
        ({"consensusMinOverlap": 90}, "consensusMinOverlap", "for 90 % write 0.9"),
        ({"consensusMinOverlap": -0.1}, "consensusMinOverlap", "from 0 to 1"),
        ({"consensusMinOverlap": 150}, "consensusMinOverlap", "from 0 to 1"),
        ({"consensusMinOverlap": "0.9"}, "consensusMinOverlap", "must be a number"),
        ({"consensusMinOverlap": True}, "consensusMinOverlap", "must be a number"),
        ({"consensusMinOverlap": math.nan}, "consensusMinOverlap", "must be a number"),
        ({"consensusMinOverlap": None}, "consensusMinOverlap", "must be a number"),
        ({"consensusRequireAllCoders": "yes"}, "consensusRequireAllCoders", "true or false"),
        ({"consensusRequireSameCode": 1}, "consensusRequireSameCode", "true or false"),
        ({"consensusOverlapMeasure": "dice"}, "consensusOverlapMeasure", "'jaccard', 'longer'"),
    ],
)
def test_bad_settings_name_the_key_and_say_what_is_expected(
    settings: dict[str, object], key: str, message: str
) -> None:
    with pytest.raises(RuleSettingsError, match=message) as caught:
        rule_from_settings(settings)
    assert caught.value.key == key
    assert key in str(caught.value)
