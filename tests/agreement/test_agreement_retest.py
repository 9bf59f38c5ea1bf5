"""Test–retest (intra-coder) reliability: each coder's two rounds as two coders, per
coder and pooled, from the library and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.agreement import AgreementInputError, ReliabilityData, reliability_report
from accord.agreement.cli import main
from accord.agreement.report import segment_report
from accord.agreement.retest import ONE_ROUND, reliability_retest, segment_retest
from accord.agreement.segments import Segment

# coder -> unit -> (first round, second round)
CODINGS = {
    "ann": {"1": ("1", "1"), "2": ("2", "3"), "3": ("3", "3"), "4": ("1", "2"), "5": ("2", "2")},
    "bob": {"1": ("2", "2"), "2": ("3", "3"), "3": ("1", "2"), "4": ("1", "1")},
}


def ratings() -> list[tuple[str, str, str, object]]:
    out: list[tuple[str, str, str, object]] = []
    for coder, units in CODINGS.items():
        for unit, (first, second) in units.items():
            out.append((unit, coder, "T1", first))
            out.append((unit, coder, "T2", second))
    out.append(("1", "cat", "T1", "1"))  # coded only in the first round
    return out


def by_hand(rows: list[tuple[str, object, object]], level: str = "nominal") -> dict[str, object]:
    """The two rounds as the two coders of an ordinary reliability table."""
    data = ReliabilityData.from_unit_rows(
        [[a, b] for _, a, b in rows], units=[u for u, _, _ in rows], coders=["T1", "T2"]
    )
    report = reliability_report(data, level=level)  # type: ignore[arg-type]
    return {n: c.value for n, c in report.coefficients.items()}


def test_each_coder_is_compared_with_themself_and_pooled() -> None:
    report = reliability_retest(ratings(), level="ordinal")
    assert report.rounds == ("T1", "T2")
    assert list(report.per_coder) == ["ann", "bob"]
    assert report.coders_left_out == {"cat": ONE_ROUND}
    for coder, units in CODINGS.items():
        got = {n: c.value for n, c in report.per_coder[coder].coefficients.items()}
        want = by_hand([(u, a, b) for u, (a, b) in units.items()], "ordinal")
        assert got == pytest.approx(want), coder
    pooled = [(f"{u} ({c})", a, b) for c, units in CODINGS.items() for u, (a, b) in units.items()]
    got = {n: c.value for n, c in report.pooled.coefficients.items()}
    assert got == pytest.approx(by_hand(pooled, "ordinal"))
    assert set(got) >= {"krippendorff_alpha", "cohen_kappa", "scott_pi", "gwet_ac1"}
    assert report.pooled.counts.units == 9


def test_rows_in_any_order_give_the_same_values() -> None:
    forward = reliability_retest(ratings())
    backward = reliability_retest(list(reversed(ratings())), rounds=["T1", "T2"])
    for coder in CODINGS:
        f, b = forward.per_coder[coder], backward.per_coder[coder]
        assert b.to_json()["input"]["units"] == f.to_json()["input"]["units"]
        for name, c in f.coefficients.items():
            assert b.coefficients[name].value == pytest.approx(c.value), (coder, name)
    for name, c in forward.pooled.coefficients.items():
        assert backward.pooled.coefficients[name].value == pytest.approx(c.value), name
    assert backward.rounds == ("T1", "T2")


def test_rounds_must_be_two_and_present() -> None:
    three = [*ratings(), ("1", "ann", "T3", "1")]
    with pytest.raises(AgreementInputError, match="exactly two rounds, but the data holds 3"):
        reliability_retest(three)
    chosen = reliability_retest(three, rounds=["T1", "T3"])
    assert list(chosen.per_coder) == ["ann"]
    with pytest.raises(AgreementInputError, match="round 'T9' is not in the data"):
        reliability_retest(ratings(), rounds=["T1", "T9"])
    with pytest.raises(AgreementInputError, match="no coder coded in both rounds"):
        reliability_retest([("1", "a", "T1", "1"), ("1", "b", "T2", "1")])


def test_segment_retest_per_coder_and_pooled() -> None:
    coded = [
        ("R1", Segment("d1", "ann", "x", 0, 10)), ("R2", Segment("d1", "ann", "x", 0, 12)),
        ("R1", Segment("d2", "ann", "y", 5, 9)), ("R2", Segment("d2", "ann", "x", 5, 9)),
        ("R1", Segment("d1", "bob", "x", 20, 30)), ("R2", Segment("d1", "bob", "x", 20, 30)),
    ]  # fmt: skip
    extents = {"d1": (0, 40), "d2": (0, 20)}
    report = segment_retest(coded, extents)
    assert report.warnings == ()
    ann = [Segment(s.document, r, s.code, s.start, s.end) for r, s in coded if s.coder == "ann"]
    alone = segment_report(ann, extents, coders=["R1", "R2"])
    assert report.per_coder["ann"].to_json() == alone.to_json()
    bob = report.per_coder["bob"]
    assert bob.coefficients["u_alpha"].value == pytest.approx(1.0)
    assert bob.input["documents"] == 1  # bob coded d1 only
    pooled = report.pooled
    assert pooled.input["documents"] == 3
    assert pooled.input["coders"] == ["R1", "R2"]


def test_cli_round_column_reliability(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = ["unit,coder,value,wave"] + [f"{u},{c},{v},{r}" for u, c, r, v in ratings()]
    path = tmp_path / "retest.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    argv = ["agreement", str(path), "--round-column", "wave", "--level", "ordinal"]
    assert main([*argv, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["input"]["kind"] == "test-retest"
    assert data["input"]["rounds"] == ["T1", "T2"]
    assert data["input"]["coders_left_out"] == {"cat": ONE_ROUND}
    assert data == json.loads(json.dumps(reliability_retest(ratings(), level="ordinal").to_json()))
    assert main(argv) == 0
    text = capsys.readouterr().out
    assert "round 'T1' against round 'T2'" in text and "stability" in text
    assert "pooled over 2 coders" in text and "coder 'ann':" in text and "coder 'bob':" in text
    assert "left out: coder 'cat'" in text


def test_cli_round_column_segments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (
        "document,coder,code,start,end,round\n"
        "d1,ann,x,0,10,R1\nd1,ann,x,0,12,R2\nd1,bob,x,20,30,R1\nd1,bob,x,20,30,R2\n"
    )
    path = tmp_path / "seg.csv"
    path.write_text(text, encoding="utf-8")
    assert main(["agreement", str(path), "--round-column", "round", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data["per_coder"]) == {"ann", "bob"}
    assert data["input"]["warnings"], "the extent of d1 was assumed and must be said"
    extent = ["--extent", "d1=0:50"]
    assert main(["agreement", str(path), "--round-column", "round", *extent]) == 0
    assert "warning" not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "extra", "message"),
    [
        ("unit,coder,value\n1,a,1\n", [], "missing column 'round'"),
        ("unit,coder,value,round\n1,a,1,\n", [], "row 2: the round must not be blank"),
        ("unit,coder,value,round\n1,a,1,T1\n1,a,2,T1\n", [], "already rated unit '1' in round"),
        ("unit,coder,value,round\n1,a,1,T1\n1,a,2,T2\n", ["--rounds", "T1"], "exactly two"),
        ("unit,coder,value,round\n1,a,1,T1\n1,a,2,T2\n", ["--wide"], "long CSV"),
    ],
)
def test_cli_round_column_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, extra: list[str], message: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    assert main(["agreement", str(path), "--round-column", "round", *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1, err


def test_rounds_without_round_column_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "r.csv"
    path.write_text("unit,coder,value\n1,a,1\n1,b,1\n", encoding="utf-8")
    assert main(["agreement", str(path), "--rounds", "A,B"]) == 2
    assert "--rounds needs --round-column" in capsys.readouterr().err
