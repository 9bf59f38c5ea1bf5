"""Character κ per document, as NVivo reports each source, and a pooled figure that says
it is pooled (issue #15, point 12)."""

from __future__ import annotations

from accord.agreement.character import character_agreement, character_agreement_by_document
from accord.agreement.report import segment_report
from accord.agreement.segments import Segment, build_table

SEGMENTS = [
    # d1 (0–100): a codes X on 10–50, b on 20–50.
    Segment("d1", "a", "X", 10, 50),
    Segment("d1", "b", "X", 20, 50),
    # d2 (0–50): a codes X on 0–10, b does not code X there at all.
    Segment("d2", "a", "X", 0, 10),
    Segment("d2", "b", "Y", 30, 40),
]
EXTENTS = {"d1": (0, 100), "d2": (0, 50)}


def _kappa(both: int, first: int, second: int, neither: int) -> float:
    total = both + first + second + neither
    p_o = (both + neither) / total
    p_e = ((both + first) * (both + second) + (second + neither) * (first + neither)) / total**2
    return (p_o - p_e) / (1 - p_e)


def test_per_document_tables_and_their_pooled_sum() -> None:
    table = build_table(SEGMENTS, EXTENTS)
    x = table.codes.index("X")
    per_document = character_agreement_by_document(table)[x]
    d1, d2 = per_document["d1"], per_document["d2"]
    assert (d1.both, d1.first_only, d1.second_only, d1.neither) == (30, 10, 0, 60)
    assert (d2.both, d2.first_only, d2.second_only, d2.neither) == (0, 10, 0, 40)
    assert d1.cohen_kappa.value is not None
    assert abs(d1.cohen_kappa.value - _kappa(30, 10, 0, 60)) < 1e-12
    assert d2.cohen_kappa.value == 0.0  # b never codes X there: κ 0, not undefined
    pooled = character_agreement(table)[x]
    assert (pooled.both, pooled.first_only, pooled.second_only, pooled.neither) == (
        30,
        20,
        0,
        100,
    )
    assert pooled.cohen_kappa.value is not None
    assert abs(pooled.cohen_kappa.value - _kappa(30, 20, 0, 100)) < 1e-12
    assert pooled.scope is not None and "pooled over 2 documents and 1 coder pair" in pooled.scope
    assert d1.scope is None


def test_report_json_has_both_and_labels_the_pooled_one() -> None:
    out = segment_report(SEGMENTS, EXTENTS).to_json()
    x = out["per_code"]["X"]
    assert x["character_kappa"]["scope"].startswith("pooled over 2 documents")
    assert set(x["character_kappa_per_document"]) == {"d1", "d2"}
    assert "scope" not in x["character_kappa_per_document"]["d1"]
    # A document neither coder coded Y on is still a document with a value or a reason.
    y = out["per_code"]["Y"]["character_kappa_per_document"]["d1"]["cohen_kappa"]
    assert y["value"] is not None or y["undefined_reason"]


def test_documents_a_pair_did_not_both_code_are_left_out() -> None:
    layers = {"d1": {"a", "b"}, "d2": {"a"}}
    table = build_table(SEGMENTS, EXTENTS, coders_by_document=layers)
    per_document = character_agreement_by_document(table)[table.codes.index("X")]
    assert set(per_document) == {"d1"}
    pooled = character_agreement(table)[table.codes.index("X")]
    assert pooled.scope is not None and "1 document and 1 coder pair" in pooled.scope
