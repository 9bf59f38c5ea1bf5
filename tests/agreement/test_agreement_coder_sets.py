"""Documents with their own coders: ``coders_by_document`` on the segment report.

When a project assigns each document to some of its coders, only a document's coders
are compared on it; a coder not assigned to a document is missing there, and a coder
assigned but without a segment coded an empty layer.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.agreement.reliability_data import MISSING
from accord.agreement.report import SegmentReport, segment_report
from accord.agreement.segments import Segment, Unit, build_table
from accord.agreement.units import unit_presence

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

CODERS = ("A", "B", "C", "D")
CODES = ("x", "y", "z")
LENGTH = 40
GROUPS = {"x": "xy", "y": "xy", "z": "z"}


def units_of(documents: list[str]) -> list[Unit]:
    return [Unit(d, f"{d}-{k}", k * 10, (k + 1) * 10) for d in documents for k in range(4)]


@st.composite
def layer(draw: st.DrawFn, document: str, coder: str) -> list[Segment]:
    """One coder's segments on one document, possibly none (an empty layer)."""
    out = []
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, LENGTH - 1))
        end = draw(st.integers(start + 1, min(LENGTH, start + 15)))
        out.append(Segment(document, coder, draw(st.sampled_from(CODES)), start, end))
    return out


@st.composite
def study(
    draw: st.DrawFn, n_docs: tuple[int, int] = (1, 3)
) -> tuple[list[Segment], dict[str, set[str]]]:
    """Documents, each coded by two or more of the coders, and their segments."""
    segments: list[Segment] = []
    coders_by_document: dict[str, set[str]] = {}
    for k in range(draw(st.integers(*n_docs))):
        doc = f"doc{k}"
        who = draw(st.sets(st.sampled_from(CODERS), min_size=2, max_size=len(CODERS)))
        coders_by_document[doc] = who
        for coder in sorted(who):
            segments += draw(layer(doc, coder))
    return segments, coders_by_document


def report(
    segments: list[Segment],
    documents: list[str],
    coders: list[str],
    coders_by_document: Mapping[str, set[str]] | None = None,
) -> SegmentReport:
    return segment_report(
        segments,
        {d: (0, LENGTH) for d in documents},
        coders=coders,
        units=units_of(documents),
        code_groups=GROUPS,
        coders_by_document=coders_by_document,
    )


def close(a: Any, b: Any, where: str = "") -> None:
    """Two JSON trees are equal, floats to 1e-9."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), (where, a, b)
        for key in a:
            close(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, float) and isinstance(b, float) and not (math.isnan(a) or math.isnan(b)):
        assert a == pytest.approx(b, abs=1e-9), where
    else:
        assert a == b, where


def values(r: SegmentReport) -> dict[str, Any]:
    """Everything the report computed, without its description of the input."""
    out = r.to_json()
    del out["input"]
    for block in out["per_code"].values():
        if "units" in block:
            block["units"]["counts"] = {
                k: v
                for k, v in block["units"]["counts"].items()
                if k in ("units_used", "pairable_values")
            }
    return out


def used_coders(segments: list[Segment], coders_by_document: Mapping[str, set[str]]) -> list[str]:
    return sorted({c for who in coders_by_document.values() for c in who})


def without_units(tree: dict[str, Any]) -> dict[str, Any]:
    tree["coefficients"].pop("units_masi_alpha", None)
    for block in tree["per_code"].values():
        block.pop("units", None)
    return tree


@FAST
@given(study())
def test_the_same_coders_on_every_document_is_the_default(data: Any) -> None:
    """Every continuum, matching and character value is the default's. So are the unit
    values when every coder has a segment on every document; otherwise they differ on
    purpose: the default cannot tell an empty layer from an unassigned coder and makes
    it missing, where a listed coder without segments is "absent" in every unit."""
    segments, by_doc = data
    coders = used_coders(segments, by_doc)
    everyone = {d: set(coders) for d in by_doc}
    listed = values(report(segments, list(by_doc), coders, everyone))
    default = values(report(segments, list(by_doc), coders))
    if {(s.document, s.coder) for s in segments} != {(d, c) for d in by_doc for c in coders}:
        listed, default = without_units(listed), without_units(default)
    close(listed, default)


@FAST
@given(study(), st.sampled_from(CODERS), st.data())
def test_a_document_only_one_coder_coded_changes_nothing(data: Any, lone: str, more: Any) -> None:
    segments, by_doc = data
    coders = used_coders(segments, by_doc)
    base = report(segments, list(by_doc), coders, by_doc)
    extra = more.draw(layer("lone", lone))
    widened = {**by_doc, "lone": {lone}}
    after = report(segments + extra, [*by_doc, "lone"], coders, widened)
    close(values(after), values(base))
    assert after.input["documents_excluded"] == base.input["documents_excluded"] + 1
    assert after.input["segments_not_compared"] == len(extra)
    assert after.input["continuum_length"] == base.input["continuum_length"]


@FAST
@given(study())
def test_a_coder_listed_on_no_document_changes_nothing(data: Any) -> None:
    segments, by_doc = data
    coders = used_coders(segments, by_doc)
    base = report(segments, list(by_doc), coders, by_doc)
    after = report(segments, list(by_doc), [*coders, "nobody"], by_doc)
    close(values(after), values(base))
    assert after.input["coders"] == [*base.input["coders"], "nobody"]


@FAST
@given(st.data())
def test_a_coder_pair_compares_only_the_documents_both_coded(data: Any) -> None:
    first = data.draw(layer("d1", "A")) + data.draw(layer("d1", "B"))
    second = data.draw(layer("d2", "B")) + data.draw(layer("d2", "C"))
    by_doc = {"d1": {"A", "B"}, "d2": {"B", "C"}}
    pair = {"A", "B"}
    of_pair = [s for s in first + second if s.coder in pair]
    ab = report(of_pair, ["d1", "d2"], ["A", "B"], {d: who & pair for d, who in by_doc.items()})
    alone = report(first, ["d1"], ["A", "B"], {"d1": pair})
    close(values(ab), values(alone))
    assert ab.input["documents_excluded"] == 1


@FAST
@given(study(n_docs=(2, 3)))
def test_every_coefficient_stays_in_range_with_partial_assignments(data: Any) -> None:
    segments, by_doc = data
    coders = used_coders(segments, by_doc)
    r = report(segments, list(by_doc), coders, by_doc)
    for c in r.coefficients.values():
        assert c.value is None or c.value <= 1.0 + 1e-9
    for block in r.per_code.values():
        for cell in (block.character_kappa, block.segment_match):
            assert (
                cell.percent_agreement.value is None or 0.0 <= cell.percent_agreement.value <= 1.0
            )


def test_identical_coding_by_the_assigned_coders_is_perfect_agreement() -> None:
    """Three coders, each document coded by two of them, who agree everywhere: every
    coefficient is 1, where treating the unassigned coder as an empty layer is not."""
    by_doc = {"d1": {"A", "B"}, "d2": {"B", "C"}, "d3": {"A", "C"}}
    spans = {"d1": [("x", 0, 10), ("y", 20, 30)], "d2": [("y", 5, 12)], "d3": [("x", 30, 38)]}
    segments = [
        Segment(d, coder, code, s, e)
        for d, who in by_doc.items()
        for coder in sorted(who)
        for code, s, e in spans[d]
    ]
    coders = ["A", "B", "C"]
    assigned = report(segments, list(by_doc), coders, by_doc)
    for name, c in assigned.coefficients.items():
        if name == "cu_alpha_across_groups":  # x and y form one group: nothing varies
            assert c.value is None, c
        else:
            assert c.value == pytest.approx(1.0), name
    assert assigned.segment_match.percent_agreement.value == 1.0
    for block in assigned.per_code.values():
        assert block.character_kappa.percent_agreement.value == 1.0
    everyone = report(segments, list(by_doc), coders)
    assert everyone.coefficients["u_alpha"].value is not None
    assert everyone.coefficients["u_alpha"].value < 1.0
    assert everyone.segment_match.percent_agreement.value is not None
    assert everyone.segment_match.percent_agreement.value < 1.0


def test_no_document_with_two_coders_is_undefined_not_an_error() -> None:
    segments = [Segment("d1", "A", "x", 0, 5), Segment("d2", "B", "x", 0, 5)]
    r = report(segments, ["d1", "d2"], ["A", "B"], {"d1": {"A"}, "d2": {"B"}})
    assert r.input["documents_excluded"] == 2
    for c in r.coefficients.values():
        assert c.value is None
    assert r.coefficients["u_alpha"].undefined_reason == (
        "no document was coded by two or more of the coders"
    )


@FAST
@given(study(), st.sampled_from(CODERS))
def test_units_an_assigned_coder_without_segments_is_absent_an_unassigned_one_missing(
    data: Any, silent: str
) -> None:
    segments, by_doc = data
    by_doc = {d: who | {silent} for d, who in by_doc.items()}
    segments = [s for s in segments if s.coder != silent]
    coders = [*CODERS, "outsider"]
    documents = list(by_doc)
    table = build_table(
        segments, {d: (0, LENGTH) for d in documents}, coders=coders, coders_by_document=by_doc
    )
    units = units_of(documents)
    presence = unit_presence(table, units)
    columns = tuple(c for c in table.coders if any(c in who for who in by_doc.values()))
    assert "outsider" not in columns  # listed on no document: no coder of this comparison
    assert silent in columns
    for data_of_code in presence.per_code:
        assert data_of_code.coders == columns
        codes = data_of_code.codes
        for u, unit in enumerate(units):
            for i, coder in enumerate(columns):
                if coder in by_doc[unit.document]:
                    assert codes[u, i] != MISSING
                    if coder == silent:
                        assert codes[u, i] == 0
                else:
                    assert codes[u, i] == MISSING
    for u, unit in enumerate(units):
        for i, coder in enumerate(columns):
            assert (presence.sets[u][i] is None) == (coder not in by_doc[unit.document])
            if coder == silent:
                assert presence.sets[u][i] == frozenset()


def test_units_default_still_treats_a_coder_without_segments_as_missing() -> None:
    table = build_table([Segment("d1", "A", "x", 0, 5)], {"d1": (0, 20)}, coders=["A", "B"])
    presence = unit_presence(table, [Unit("d1", "1", 0, 10)])
    assert presence.per_code[0].codes[0, 1] == MISSING
    listed = build_table(
        [Segment("d1", "A", "x", 0, 5)],
        {"d1": (0, 20)},
        coders=["A", "B"],
        coders_by_document={"d1": {"A", "B"}},
    )
    codes = unit_presence(listed, [Unit("d1", "1", 0, 10)]).per_code[0].codes
    assert np.array_equal(codes, np.array([[1, 0]]))
