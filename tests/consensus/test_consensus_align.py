"""Aligning coders' layers into disagreement items, and how each item is classified."""

from __future__ import annotations

import pytest
from consensus_planted import (
    CODERS,
    FEAR,
    LEADER,
    PLANTED_KINDS,
    RECOMMEND,
    TEXT,
    planted_segments,
    span,
)

from accord.consensus import ItemKind, Segment, align, item_key


def kinds(segments: list[Segment], coders: tuple[str, ...] = CODERS) -> list[ItemKind]:
    return [item.kind for item in align(segments, coders)]


def test_planted_study_reports_exactly_the_planted_kinds() -> None:
    items = align(planted_segments(), CODERS)
    assert [item.kind for item in items] == PLANTED_KINDS
    assert [sorted(s.id for s in item.segments) for item in items] == [
        ["a1", "b1", "c1"],
        ["a2", "b2", "c2"],
        ["a3", "b3", "c3"],
        ["a4", "b4", "c4"],
        ["a5", "b5"],
    ]


def test_item_extent_counts_code_points_through_emoji() -> None:
    exact = align(planted_segments(), CODERS)[0]
    assert TEXT[exact.start : exact.end] == FEAR
    assert TEXT[exact.end - 1] == "😟"


def test_item_lists_every_assigned_coder_even_one_who_coded_nothing() -> None:
    omission = align(planted_segments(), CODERS)[-1]
    assert omission.coders == CODERS
    assert omission.coders_present == ("ana", "bo")
    assert omission.coders_missing == ("cy",)
    assert omission.segments_of("cy") == ()
    assert [s.id for s in omission.segments_of("ana")] == ["a5"]
    assert TEXT[omission.start : omission.end] == RECOMMEND


def test_code_difference_lists_codes_and_flags_them() -> None:
    item = align(planted_segments(), CODERS)[3]
    assert item.codes == ("secrecy", "workplace culture")
    assert item.codes_differ
    assert TEXT[item.start : item.end] == LEADER


def test_segments_that_only_touch_are_separate_items() -> None:
    segments = [Segment("a", "ana", "x", 0, 10), Segment("b", "bo", "x", 10, 20)]
    items = align(segments, ("ana", "bo"))
    assert [(i.start, i.end) for i in items] == [(0, 10), (10, 20)]
    assert [i.kind for i in items] == [ItemKind.OMISSION, ItemKind.OMISSION]


def test_overlap_chains_form_one_item_whatever_the_code() -> None:
    # ana's segment overlaps bo's, bo's overlaps cy's, ana's and cy's do not meet.
    segments = [
        Segment("a", "ana", "x", 0, 10),
        Segment("b", "bo", "y", 8, 22),
        Segment("c", "cy", "z", 20, 30),
    ]
    [item] = align(segments, CODERS)
    assert (item.start, item.end) == (0, 30)
    assert item.kind is ItemKind.CODE_DIFFERENCE


def test_one_coders_overlapping_segments_of_different_codes_join_the_item() -> None:
    segments = [
        Segment("a1", "ana", "x", 0, 10),
        Segment("a2", "ana", "y", 5, 40),
        Segment("b1", "bo", "x", 0, 10),
    ]
    [item] = align(segments, ("ana", "bo"))
    assert (item.start, item.end) == (0, 40)
    assert item.kind is ItemKind.CODE_DIFFERENCE


def test_omission_wins_over_code_difference_and_keeps_the_code_flag() -> None:
    segments = [Segment("a", "ana", "x", 0, 10), Segment("b", "bo", "y", 0, 10)]
    [item] = align(segments, CODERS)
    assert item.kind is ItemKind.OMISSION
    assert item.codes_differ


def test_omission_with_agreeing_coders_does_not_flag_codes() -> None:
    [item] = align([Segment("a", "ana", "x", 0, 10), Segment("b", "bo", "x", 0, 10)], CODERS)
    assert item.kind is ItemKind.OMISSION
    assert not item.codes_differ


def test_a_lone_segment_in_a_team_document_is_an_omission() -> None:
    assert kinds([Segment("a", "ana", "x", 3, 9)]) == [ItemKind.OMISSION]


def test_an_extra_code_from_one_coder_is_a_code_difference() -> None:
    segments = [
        Segment("a", "ana", "x", 0, 10),
        Segment("b", "bo", "x", 0, 10),
        Segment("b2", "bo", "y", 0, 10),
    ]
    assert kinds(segments, ("ana", "bo")) == [ItemKind.CODE_DIFFERENCE]


def test_split_segments_of_one_code_are_a_boundary_difference() -> None:
    segments = [
        Segment("a1", "ana", "x", 0, 40),
        Segment("a2", "ana", "x", 45, 90),
        Segment("b", "bo", "x", 0, 90),
    ]
    [item] = align(segments, ("ana", "bo"))
    assert item.kind is ItemKind.BOUNDARY_DIFFERENCE
    assert len(item.segments_of("ana")) == 2


def test_several_codes_applied_identically_by_everyone_are_exact_agreement() -> None:
    segments = [
        Segment(f"{coder}-{code}", coder, code, start, end)
        for coder in ("ana", "bo")
        for code, start, end in (("x", 0, 10), ("y", 4, 20))
    ]
    [item] = align(segments, ("ana", "bo"))
    assert item.kind is ItemKind.EXACT_AGREEMENT
    assert (item.start, item.end) == (0, 20)


def test_one_code_differing_in_extent_among_several_is_a_boundary_difference() -> None:
    segments = [
        Segment("ax", "ana", "x", 0, 10),
        Segment("ay", "ana", "y", 4, 20),
        Segment("bx", "bo", "x", 0, 10),
        Segment("by", "bo", "y", 4, 21),
    ]
    assert kinds(segments, ("ana", "bo")) == [ItemKind.BOUNDARY_DIFFERENCE]


def test_duplicate_segment_in_one_layer_is_not_exact_agreement() -> None:
    segments = [
        Segment("a1", "ana", "x", 0, 10),
        Segment("a2", "ana", "x", 0, 10),
        Segment("b", "bo", "x", 0, 10),
    ]
    assert kinds(segments, ("ana", "bo")) == [ItemKind.BOUNDARY_DIFFERENCE]


def test_a_document_without_segments_has_no_items() -> None:
    assert align([], CODERS) == []


def test_items_come_in_document_order_and_keys_are_stable() -> None:
    segments = planted_segments()
    first = align(segments, CODERS)
    again = align(list(reversed(segments)), tuple(reversed(CODERS)))
    assert first == again
    assert [i.start for i in first] == sorted(i.start for i in first)
    assert len({i.key for i in first}) == len(first)
    assert first[0].key == item_key(["c1", "a1", "b1"])


def test_item_key_depends_only_on_the_segment_ids() -> None:
    assert item_key(["a", "b"]) == item_key(["b", "a"])
    assert item_key(["a", "b"]) != item_key(["a", "c"])
    # ids are encoded unambiguously, so gluing ids together cannot collide
    assert item_key(["a,b"]) != item_key(["a", "b"])


def test_moving_a_segment_changes_kind_but_not_key() -> None:
    before = align([Segment("a", "ana", "x", 0, 10), Segment("b", "bo", "x", 0, 10)], ("ana", "bo"))
    after = align([Segment("a", "ana", "x", 0, 10), Segment("b", "bo", "x", 1, 10)], ("ana", "bo"))
    assert before[0].key == after[0].key
    assert (before[0].kind, after[0].kind) == (
        ItemKind.EXACT_AGREEMENT,
        ItemKind.BOUNDARY_DIFFERENCE,
    )


@pytest.mark.parametrize(
    ("segments", "coders", "message"),
    [
        (
            [Segment("s", "ana", "x", 0, 5), Segment("s", "bo", "x", 0, 5)],
            ("ana", "bo"),
            "share the id 's'",
        ),
        ([Segment("s", "eve", "x", 0, 5)], ("ana", "bo"), "'eve', who is not assigned"),
        ([], (), "at least one assigned coder"),
        ([], ("ana", "ana"), "list someone twice"),
    ],
)
def test_align_refuses_inconsistent_input(
    segments: list[Segment], coders: tuple[str, ...], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        align(segments, coders)


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [(5, 5, "is empty"), (6, 5, "is empty"), (-1, 5, "cannot be negative")],
)
def test_segment_refuses_an_empty_or_negative_extent(start: int, end: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Segment("s", "ana", "x", start, end)


def test_planted_text_spans_are_what_the_coders_read() -> None:
    start, end = span(FEAR)
    assert TEXT[start:end] == FEAR
