"""Interval arithmetic checked against brute force over characters, on small data."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.agreement.character import character_agreement
from accord.agreement.errors import AgreementInputError
from accord.agreement.report import segment_report
from accord.agreement.segment_match import segment_match
from accord.agreement.segments import Segment, Unit, build_table
from accord.agreement.unitizing_2004 import unitizing_alpha_2004

LENGTH = 40


@st.composite
def layers(draw: st.DrawFn) -> list[Segment]:
    out = []
    for coder in ("a", "b"):
        for code in ("x", "y"):
            for _ in range(draw(st.integers(0, 4))):
                start = draw(st.integers(0, LENGTH - 1))
                end = draw(st.integers(start + 1, LENGTH))
                out.append(Segment("d", coder, code, start, end))
    return out


def mask(segments: list[Segment], coder: str, code: str) -> np.ndarray:
    out = np.zeros(LENGTH, dtype=bool)
    for s in segments:
        if s.coder == coder and s.code == code:
            out[s.start : s.end] = True
    return out


@settings(max_examples=80, deadline=None)
@given(layers())
def test_character_counts_match_per_character_arrays(segments: list[Segment]) -> None:
    table = build_table(segments, {"d": (0, LENGTH)}, coders=["a", "b"], codes=["x", "y"])
    for code, result in zip(table.codes, character_agreement(table), strict=True):
        a, b = mask(segments, "a", code), mask(segments, "b", code)
        assert result.both == int((a & b).sum())
        assert result.first_only == int((a & ~b).sum())
        assert result.second_only == int((~a & b).sum())
        assert result.neither == int((~a & ~b).sum())
        p_o = (a == b).mean()
        p_e = a.mean() * b.mean() + (1 - a.mean()) * (1 - b.mean())
        if p_e < 1:
            assert result.cohen_kappa.value == pytest.approx((p_o - p_e) / (1 - p_e))
        else:
            assert result.cohen_kappa.value is None


def test_overlapping_segments_of_one_coder_merge() -> None:
    segs = [
        Segment("d", "a", "x", 0, 10), Segment("d", "a", "x", 5, 20),
        Segment("d", "a", "x", 20, 25), Segment("d", "b", "x", 0, 20),
    ]  # fmt: skip
    table = build_table(segs)
    assert table.merged == 1
    assert sorted(zip(table.start.tolist(), table.end.tolist(), strict=True)) == [
        (0, 20), (0, 20), (20, 25),
    ]  # fmt: skip


def test_segment_match_threshold() -> None:
    segs = [
        Segment("d", "a", "x", 0, 100),
        Segment("d", "b", "x", 5, 100),
        Segment("d", "b", "x", 200, 210),
    ]
    table = build_table(segs)
    strict = segment_match(table, 96.0)
    loose = segment_match(table, 90.0)
    assert (loose.overall.agreements, loose.overall.disagreements) == (2, 1)
    assert (strict.overall.agreements, strict.overall.disagreements) == (0, 3)
    assert loose.overall.brennan_prediger.value is None  # one code: chance agreement 1/q = 1


def test_segment_report_with_units_and_groups() -> None:
    segs = [
        Segment("d", "a", "x", 0, 10), Segment("d", "b", "x", 0, 10),
        Segment("d", "a", "y", 20, 30), Segment("d", "b", "z", 20, 30),
        Segment("d", "a", "y", 40, 50), Segment("d", "b", "y", 41, 50),
    ]  # fmt: skip
    units = [Unit("d", str(i), i * 10, i * 10 + 10) for i in range(6)]
    report = segment_report(segs, {"d": (0, 60)}, units=units, code_groups={"y": "g", "z": "g"})
    data = report.to_json()
    assert set(data["coefficients"]) >= {
        "unitizing_alpha_2004", "u_alpha", "binary_u_alpha", "cu_alpha", "units_masi_alpha",
        "cu_alpha_across_groups",
    }  # fmt: skip
    assert set(data["per_code"]["x"]) == {
        "unitizing_alpha_2004", "k_u_alpha", "segment_match", "character_kappa", "units",
        "character_kappa_per_document",
    }  # fmt: skip
    assert data["per_code"]["x"]["unitizing_alpha_2004"]["value"] == pytest.approx(1.0)
    # Across groups y and z are one group "g", so the coders agree everywhere they overlap.
    assert data["coefficients"]["cu_alpha_across_groups"] == {
        "value": None,
        "undefined_reason": report.coefficients["cu_alpha_across_groups"].undefined_reason,
    } or data["coefficients"]["cu_alpha_across_groups"]["value"] == pytest.approx(1.0)
    assert "g" in data["cu_alpha_within_group"]


def test_code_nobody_used_is_undefined() -> None:
    table = build_table(
        [Segment("d", "a", "x", 0, 5), Segment("d", "b", "x", 0, 5)], codes=["x", "unused"]
    )
    result = unitizing_alpha_2004(table)
    assert result.per_code[1].value is None
    assert "no coder used" in (result.per_code[1].undefined_reason or "")


def test_segment_outside_extent_is_refused() -> None:
    with pytest.raises(AgreementInputError, match="outside"):
        build_table([Segment("d", "a", "x", 0, 50)], {"d": (0, 40)})
