"""No output holds NaN or Infinity, and every coefficient has a value or a reason: the
CLI's JSON and table over degenerate and ordinary inputs at every level and weighting,
and the last guard that turns a stray non-finite float into null."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path
from typing import Any

import pytest

from accord.agreement.alpha import LEVELS
from accord.agreement.cli import main
from accord.agreement.json_out import NOT_FINITE, dumps, finite
from accord.agreement.result import defined
from accord.agreement.weights import WEIGHT_NAMES

RELIABILITY = {
    "ordinary": [[1, 1], [2, 2], [1, 2], [3, 3], [2, ""]],
    "no variation": [[2, 2], [2, 2], [2, ""]],
    "one unit": [[1, 2]],
    "nothing pairable": [[1, ""], ["", 2]],
    "two values": [[1, 2], [2, 1]],
    "opposite halves": [[1, 4], [4, 1], [1, 4], [4, 1]],
    "three coders": [[1, 1, 2], [2, 2, 2], [3, "", 3], [1, 2, 3]],
    "negative": [[-1, 1], [1, -1], [-2, 2], [3, 3]],
    "minus the largest": [[-3, 3], [3, -3], [1, 1], [-3, -3]],
    "labels": [["low", "mid"], ["mid", "mid"], ["high", "low"]],
    "zero": [[0, 0], [0, 1], [1, 1]],
}
SEGMENTS = {
    "ordinary": "d1,a,x,0,10\nd1,b,x,2,10\nd1,a,y,20,30\nd1,b,y,22,35\n",
    "nobody overlaps": "d1,a,x,0,5\nd1,b,x,10,15\n",
    "one code each": "d1,a,x,0,10\nd1,b,y,0,10\n",
    "identical": "d1,a,x,0,10\nd1,b,x,0,10\n",
}


def strict(text: str) -> Any:
    """Parse JSON as JSON is written: NaN and Infinity are not JSON."""

    def refuse(word: str) -> Any:
        raise AssertionError(f"output holds {word}")

    return json.loads(text, parse_constant=refuse)


def coefficients_of(value: Any) -> list[dict[str, Any]]:
    """Every coefficient object in a report, wherever it sits."""
    found: list[dict[str, Any]] = []
    if isinstance(value, dict):
        if "value" in value and ("undefined_reason" in value or "ci_low" in value):
            found.append(value)
        for v in value.values():
            found.extend(coefficients_of(v))
    elif isinstance(value, list):
        for v in value:
            found.extend(coefficients_of(v))
    return found


def check(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code = main(["agreement", *argv, "--format", "json"])
    captured = capsys.readouterr()
    if code == 2:  # refused: one clear line, nothing half-written
        assert captured.out == "" and captured.err.count("\n") == 1
        return
    assert code == 0, captured.err
    data = strict(captured.out)
    found = coefficients_of(data)
    assert found
    for c in found:
        if c["value"] is None:
            assert c.get("undefined_reason"), c
        else:
            assert math.isfinite(c["value"]), c
    assert main(["agreement", *argv]) == 0
    table = capsys.readouterr().out
    for word in ("nan", "inf"):
        assert not any(w.lower() in (word, f"-{word}") for w in table.split()), table


def wide(rows: list[list[object]]) -> str:
    head = ",".join(["unit", *(f"c{i}" for i in range(len(rows[0])))])
    return (
        head + "\n" + "\n".join(",".join([str(u), *map(str, r)]) for u, r in enumerate(rows)) + "\n"
    )


@pytest.mark.parametrize("name", list(RELIABILITY))
def test_reliability_outputs_are_json_with_values_or_reasons(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    path = tmp_path / "r.csv"
    path.write_text(wide(RELIABILITY[name]), encoding="utf-8")
    for level, weights in itertools.product(LEVELS, WEIGHT_NAMES):
        check(capsys, [str(path), "--wide", "--level", level, "--weights", weights])
    check(capsys, [str(path), "--wide", "--bootstrap", "200", "--level", "interval"])


@pytest.mark.parametrize("name", list(SEGMENTS))
def test_segment_outputs_are_json_with_values_or_reasons(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    path = tmp_path / "s.csv"
    path.write_text("document,coder,code,start,end\n" + SEGMENTS[name], encoding="utf-8")
    units = tmp_path / "u.csv"
    units.write_text("document,unit,start,end\nd1,1,0,10\nd1,2,10,20\nd1,3,20,40\n")
    check(capsys, [str(path)])
    check(capsys, [str(path), "--extent", "d1=0:40", "--units", str(units)])
    check(capsys, [str(path), "--extent", "d1=0:40", "--bootstrap", "100"])


def test_retest_outputs_are_json_with_values_or_reasons(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "t.csv"
    path.write_text("unit,coder,value,round\n1,a,1,A\n1,a,1,B\n2,a,1,A\n2,a,1,B\n1,b,2,A\n2,b,,B\n")
    for level in LEVELS:
        check(capsys, [str(path), "--round-column", "round", "--level", level])


def test_the_last_guard_turns_non_finite_floats_into_null_with_a_reason() -> None:
    raw = {"value": math.nan, "ci_low": math.inf, "nested": [{"x": -math.inf}], "n": 3}
    cleaned = finite(raw)
    assert cleaned == {
        "value": None,
        "undefined_reason": NOT_FINITE,
        "ci_low": None,
        "nested": [{"x": None}],
        "n": 3,
    }
    assert strict(dumps(raw)) == cleaned
    # A coefficient that would be NaN is undefined with its parts as the reason.
    c = defined(math.nan, p_o=0.5, p_e=math.nan)
    assert c.value is None and c.undefined_reason and "p_e = nan" in c.undefined_reason
