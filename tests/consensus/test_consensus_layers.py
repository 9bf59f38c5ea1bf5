"""Joining same-code segments that overlap within one layer after a code merge."""

from __future__ import annotations

from dataclasses import replace

import pytest

from accord.consensus import Join, Segment, join_same_code, unjoin


def merged(segments: list[Segment], sources: set[str], target: str) -> list[Segment]:
    """Re-point ``sources`` to ``target``, as a code merge does before joining."""
    return [replace(s, code=target) if s.code in sources else s for s in segments]


def test_merge_joins_what_now_overlaps_and_reports_exactly_what_changed() -> None:
    layer = [
        Segment("s1", "ana", "isolation", 0, 30),
        Segment("s2", "ana", "loneliness", 20, 50),
        Segment("s3", "ana", "loneliness", 80, 90),
    ]
    kept, removed, changed = join_same_code(merged(layer, {"isolation", "loneliness"}, "alone"))
    assert kept == (
        Segment("s1", "ana", "alone", 0, 50),
        Segment("s3", "ana", "alone", 80, 90),
    )
    assert removed == (Segment("s2", "ana", "alone", 20, 50),)
    assert changed == (
        Join(
            before=Segment("s1", "ana", "alone", 0, 30),
            after=Segment("s1", "ana", "alone", 0, 50),
            absorbed=(Segment("s2", "ana", "alone", 20, 50),),
        ),
    )


def test_touching_segments_stay_separate_meaning_units() -> None:
    layer = [Segment("s1", "ana", "x", 0, 10), Segment("s2", "ana", "x", 10, 20)]
    result = join_same_code(layer)
    assert result.kept == tuple(layer)
    assert result.removed == ()
    assert result.changed == ()


def test_different_coders_and_different_codes_never_join() -> None:
    layers = [
        Segment("a", "ana", "x", 0, 10),
        Segment("b", "bo", "x", 5, 15),
        Segment("c", "consensus", "x", 5, 15),
        Segment("a2", "ana", "y", 5, 15),
    ]
    result = join_same_code(layers)
    assert sorted(s.id for s in result.kept) == ["a", "a2", "b", "c"]
    assert result.removed == ()


def test_a_chain_of_overlaps_becomes_one_segment_kept_by_the_first() -> None:
    layer = [
        Segment("s3", "ana", "x", 18, 30),
        Segment("s1", "ana", "x", 0, 10),
        Segment("s2", "ana", "x", 8, 20),
    ]
    result = join_same_code(layer)
    assert result.kept == (Segment("s1", "ana", "x", 0, 30),)
    assert [s.id for s in result.removed] == ["s2", "s3"]
    assert [s.id for s in result.changed[0].absorbed] == ["s2", "s3"]


def test_a_contained_segment_is_absorbed_without_changing_the_extent() -> None:
    layer = [Segment("big", "ana", "x", 0, 50), Segment("small", "ana", "x", 10, 20)]
    result = join_same_code(layer)
    assert result.kept == (layer[0],)
    assert result.changed == (Join(layer[0], layer[0], (layer[1],)),)


def test_ties_on_start_keep_the_shorter_then_lower_id() -> None:
    layer = [Segment("b", "ana", "x", 0, 10), Segment("a", "ana", "x", 0, 10)]
    result = join_same_code(layer)
    assert [s.id for s in result.kept] == ["a"]


def test_unjoin_restores_the_layer_with_the_same_ids() -> None:
    layer = [
        Segment("s1", "ana", "x", 0, 30),
        Segment("s2", "ana", "x", 20, 50),
        Segment("s3", "bo", "x", 40, 60),
        Segment("s4", "ana", "x", 50, 55),
    ]
    assert unjoin(join_same_code(layer)) == (layer[0], layer[1], layer[2], layer[3])


def test_join_refuses_duplicate_ids() -> None:
    with pytest.raises(ValueError, match="share the id 's'"):
        join_same_code([Segment("s", "ana", "x", 0, 5), Segment("s", "ana", "x", 3, 9)])
