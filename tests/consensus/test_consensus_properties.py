"""Properties that hold for any coders' layers, checked with hypothesis."""

from __future__ import annotations

import random
from collections import Counter
from itertools import combinations, pairwise

from hypothesis import given
from hypothesis import strategies as st

from accord.consensus import (
    ConsensusRule,
    ItemKind,
    ResolutionError,
    Segment,
    TakeCoder,
    TakeIntersection,
    TakeUnion,
    align,
    auto_accept,
    join_same_code,
    resolve,
    unjoin,
)

CODERS = ("ana", "bo", "cy")
LENGTH = 120


@st.composite
def layers(draw: st.DrawFn, coders: tuple[str, ...] = CODERS) -> list[Segment]:
    count = draw(st.integers(min_value=0, max_value=14))
    segments = []
    for n in range(count):
        start = draw(st.integers(min_value=0, max_value=LENGTH - 1))
        end = draw(st.integers(min_value=start + 1, max_value=min(LENGTH, start + 30)))
        coder = draw(st.sampled_from(coders))
        code = draw(st.sampled_from(("x", "y", "z")))
        segments.append(Segment(f"s{n}", coder, code, start, end))
    return segments


def code_points(spans: list[tuple[int, int]]) -> set[int]:
    return {point for start, end in spans for point in range(start, end)}


@given(layers())
def test_every_segment_is_in_exactly_one_item(segments: list[Segment]) -> None:
    items = align(segments, CODERS)
    counts = Counter(s.id for item in items for s in item.segments)
    assert counts == Counter(s.id for s in segments)
    for item in items:
        assert all(item.start <= s.start and s.end <= item.end for s in item.segments)
        assert sum(len(entry.segments) for entry in item.by_coder) == len(item.segments)


@given(layers())
def test_items_do_not_overlap_and_come_in_document_order(segments: list[Segment]) -> None:
    items = align(segments, CODERS)
    for before, after in pairwise(items):
        assert before.end <= after.start
    assert len({item.key for item in items}) == len(items)


@given(layers())
def test_segments_in_different_items_never_overlap(segments: list[Segment]) -> None:
    home = {s.id: item.key for item in align(segments, CODERS) for s in item.segments}
    for a in segments:
        for b in segments:
            if a.overlaps(b):
                assert home[a.id] == home[b.id]


@given(layers(), st.randoms(use_true_random=False))
def test_input_order_does_not_change_the_items(segments: list[Segment], rng: random.Random) -> None:
    shuffled = list(segments)
    rng.shuffle(shuffled)
    assert align(shuffled, CODERS) == align(segments, CODERS)
    assert align(segments, tuple(reversed(CODERS))) == align(segments, CODERS)


@given(layers())
def test_omission_exactly_when_an_assigned_coder_is_missing(segments: list[Segment]) -> None:
    for item in align(segments, CODERS):
        assert (item.kind is ItemKind.OMISSION) == bool(item.coders_missing)


@given(layers(), st.floats(min_value=0.0, max_value=1.0))
def test_auto_accept_stays_inside_the_item_and_its_codes(
    segments: list[Segment], threshold: float
) -> None:
    rules = [
        ConsensusRule(min_pairwise_overlap=threshold),
        ConsensusRule(False, False, threshold),
    ]
    for item in align(segments, CODERS):
        for rule in rules:
            outcome = auto_accept(item, rule, CODERS)
            if outcome is None:
                continue
            assert outcome, "an accepted item writes at least one segment"
            assert all(item.start <= c.start < c.end <= item.end for c in outcome)
            assert {c.code for c in outcome} <= set(item.codes)
        if item.kind is ItemKind.EXACT_AGREEMENT:
            assert auto_accept(item, rules[0], CODERS) is not None


@given(layers())
def test_intersection_lies_within_union(segments: list[Segment]) -> None:
    for item in align(segments, CODERS):
        union = resolve(item, TakeUnion(), LENGTH)
        for code in item.codes:
            marked = code_points([(s.start, s.end) for s in item.segments if s.code == code])
            assert code_points([(c.start, c.end) for c in union if c.code == code]) == marked
        try:
            intersection = resolve(item, TakeIntersection(), LENGTH)
        except ResolutionError:
            continue
        for code in item.codes:
            inner = code_points([(c.start, c.end) for c in intersection if c.code == code])
            outer = code_points([(c.start, c.end) for c in union if c.code == code])
            assert inner and inner <= outer


@given(layers())
def test_resolutions_never_overlap_themselves_within_a_code(segments: list[Segment]) -> None:
    for item in align(segments, CODERS):
        for coder in CODERS:
            written = resolve(item, TakeCoder(coder), LENGTH)
            for a, b in combinations(written, 2):
                if a.code == b.code:
                    assert a.end <= b.start or b.end <= a.start


@given(layers())
def test_join_leaves_no_overlap_keeps_coverage_and_undoes_exactly(
    segments: list[Segment],
) -> None:
    result = join_same_code(segments)
    ids = [s.id for s in result.kept] + [s.id for s in result.removed]
    assert sorted(ids) == sorted(s.id for s in segments)
    for a in result.kept:
        for b in result.kept:
            if a.id != b.id and (a.coder, a.code) == (b.coder, b.code):
                assert not a.overlaps(b)
    for key in {(s.coder, s.code) for s in segments}:
        before = code_points([(s.start, s.end) for s in segments if (s.coder, s.code) == key])
        after = code_points([(s.start, s.end) for s in result.kept if (s.coder, s.code) == key])
        assert before == after
    assert sorted(unjoin(result), key=lambda s: s.id) == sorted(segments, key=lambda s: s.id)
    assert join_same_code(result.kept).removed == ()
