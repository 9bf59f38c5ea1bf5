"""A lead's resolutions: every action, and every way a resolution can be refused."""

from __future__ import annotations

import pytest
from consensus_planted import CODERS, LEADER, RECOMMEND, TEXT, TOLD, planted_segments, span

from accord.consensus import (
    ConsensusSegment,
    Custom,
    Drop,
    Item,
    Resolution,
    ResolutionAction,
    ResolutionError,
    Segment,
    TakeCoder,
    TakeIntersection,
    TakeUnion,
    align,
    resolve,
)

N = len(TEXT)


def planted() -> list[Item]:
    return align(planted_segments(), CODERS)


def boundary_item() -> Item:
    return planted()[2]  # secrecy on TOLD; bo stopped 24 code points early


def one_item(segments: list[Segment], coders: tuple[str, ...] = CODERS) -> Item:
    [item] = align(segments, coders)
    return item


def test_each_resolution_names_its_action() -> None:
    assert [r.action for r in (TakeCoder("ana"), TakeUnion(), TakeIntersection())] == [
        ResolutionAction.TAKE_CODER,
        ResolutionAction.UNION,
        ResolutionAction.INTERSECTION,
    ]
    assert Custom(0, 1, ("x",)).action is ResolutionAction.CUSTOM
    assert Drop().action is ResolutionAction.DROP


def test_take_coder_writes_that_coders_version() -> None:
    start, end = span(TOLD, extra_end=-24)
    assert resolve(boundary_item(), TakeCoder("bo"), N) == (
        ConsensusSegment("secrecy", start, end),
    )
    assert resolve(boundary_item(), TakeCoder("ana"), N) == (
        ConsensusSegment("secrecy", *span(TOLD)),
    )


def test_take_coder_on_a_code_difference_writes_that_coders_code() -> None:
    item = planted()[3]
    assert resolve(item, TakeCoder("cy"), N) == (
        ConsensusSegment("workplace culture", *span(LEADER)),
    )


def test_taking_the_coder_who_coded_nothing_writes_nothing() -> None:
    assert resolve(planted()[4], TakeCoder("cy"), N) == ()


def test_union_and_intersection_of_a_boundary_difference() -> None:
    item = boundary_item()
    assert resolve(item, TakeUnion(), N) == (ConsensusSegment("secrecy", *span(TOLD)),)
    assert resolve(item, TakeIntersection(), N) == (
        ConsensusSegment("secrecy", *span(TOLD, extra_end=-24)),
    )


def test_union_and_intersection_of_a_code_difference_work_per_code() -> None:
    item = planted()[3]
    extent = span(LEADER)
    both = (ConsensusSegment("secrecy", *extent), ConsensusSegment("workplace culture", *extent))
    assert resolve(item, TakeUnion(), N) == both
    # a code only cy used is not vetoed by the coders who did not use it
    assert resolve(item, TakeIntersection(), N) == both


def test_intersection_of_an_omission_is_the_text_the_coders_who_coded_share() -> None:
    start, end = span(RECOMMEND)
    assert resolve(planted()[4], TakeIntersection(), N) == (
        ConsensusSegment("recommendation", start, end - 1),
    )


def test_union_fuses_overlaps_but_keeps_touching_meaning_units_apart() -> None:
    item = one_item(
        [
            Segment("a1", "ana", "x", 0, 10),
            Segment("a2", "ana", "x", 10, 20),
            Segment("b", "bo", "x", 5, 8),
            Segment("b2", "bo", "y", 8, 12),  # links ana's two units into one item
            Segment("c", "cy", "x", 15, 30),
        ]
    )
    assert resolve(item, TakeUnion(), N) == (
        ConsensusSegment("x", 0, 10),
        ConsensusSegment("y", 8, 12),
        ConsensusSegment("x", 10, 30),
    )


def test_intersection_respects_a_coders_split_units() -> None:
    item = one_item(
        [
            Segment("a1", "ana", "x", 0, 40),
            Segment("a2", "ana", "x", 45, 90),
            Segment("b", "bo", "x", 0, 90),
        ]
    )
    assert resolve(item, TakeIntersection(), N) == (
        ConsensusSegment("x", 0, 40),
        ConsensusSegment("x", 45, 90),
    )


def test_intersection_refuses_a_code_whose_coders_share_no_text() -> None:
    item = one_item(
        [
            Segment("a", "ana", "x", 0, 10),
            Segment("b", "bo", "y", 5, 25),
            Segment("c", "cy", "x", 20, 30),
        ]
    )
    with pytest.raises(ResolutionError, match=r"code 'x' .* \(0–10; 20–30\)"):
        resolve(item, TakeIntersection(), N)


def test_custom_writes_each_code_on_the_chosen_extent() -> None:
    item = boundary_item()
    start, end = span(TOLD, extra_end=-1)  # the lead leaves out the final period
    outcome = resolve(item, Custom(start, end, ("secrecy", "support at home")), N)
    assert outcome == (
        ConsensusSegment("secrecy", start, end),
        ConsensusSegment("support at home", start, end),
    )


def test_custom_may_reach_past_the_item_and_to_the_documents_end() -> None:
    item = planted()[4]
    assert resolve(item, Custom(item.start, N, ("recommendation",)), N) == (
        ConsensusSegment("recommendation", item.start, N),
    )


def test_drop_writes_nothing() -> None:
    assert all(resolve(item, Drop(), N) == () for item in planted())


@pytest.mark.parametrize(
    ("resolution", "message"),
    [
        (TakeCoder("eve"), "'eve' is not one of the coders assigned to this document"),
        (Custom(200, 200, ("x",)), r"empty: its start \(200\) must come before its end \(200\)"),
        (Custom(210, 200, ("x",)), "must come before its end"),
        (Custom(-1, 200, ("x",)), "before the beginning of the document"),
        (Custom(200, N + 1, ("x",)), f"past the end of the document \\({N} code points\\)"),
        (Custom(200, 210, ()), "at least one code"),
        (Custom(200, 210, ("  ",)), "cannot be blank"),
        (Custom(200, 210, ("x", "y", "x")), r"only once; repeated: \['x'\]"),
        (Custom(0, 20, ("x",)), "does not overlap this item"),
    ],
)
def test_invalid_resolutions_are_refused_with_a_reason(
    resolution: Resolution, message: str
) -> None:
    with pytest.raises(ResolutionError, match=message):
        resolve(boundary_item(), resolution, N)


def test_custom_touching_the_item_does_not_overlap_it() -> None:
    item = boundary_item()
    with pytest.raises(ResolutionError, match="does not overlap"):
        resolve(item, Custom(item.end, item.end + 3, ("x",)), N)


def test_resolution_error_is_a_value_error_for_callers_that_map_user_errors() -> None:
    assert issubclass(ResolutionError, ValueError)
