"""Input the engine must refuse or read as written (issue #15, points 1–7): negative
ratio data, ratio weights on negative categories, non-finite values, text labels on
ordered levels, labels compared as written, no variation in units mode, and the extent
a segment CSV does not give."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from accord.agreement import AgreementInputError, ReliabilityData, reliability_report
from accord.agreement.alpha import krippendorff_alpha
from accord.agreement.cli import main
from accord.agreement.coincidence import value_counts
from accord.agreement.kappas import NO_VARIATION, brennan_prediger, gwet_ac
from accord.agreement.report import segment_report
from accord.agreement.segments import Segment, Unit
from accord.agreement.weights import weight_matrix

RATIO_NEGATIVE = [[-1, 1], [1, -1], [-2, 2], [3, 3]]
LOW_MID_HIGH = [
    ["low", "low"], ["low", "mid"], ["mid", "mid"], ["mid", "high"], ["high", "high"],
    ["high", "high"], ["low", "low"], ["mid", "high"], ["high", "mid"], ["low", "mid"],
]  # fmt: skip


def write(tmp_path: Path, text: str, name: str = "in.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def cli_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(["agreement", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("accord agreement: error: ") and err.count("\n") == 1, err
    return err


def cli_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    assert main(["agreement", *argv, "--format", "json"]) == 0
    data: dict[str, object] = json.loads(capsys.readouterr().out)
    return data


def long_csv(rows: list[list[object]]) -> str:
    lines = ["unit,coder,value"]
    for u, row in enumerate(rows, start=1):
        lines.extend(f"{u},{'ab'[i]},{v}" for i, v in enumerate(row))
    return "\n".join(lines) + "\n"


# 1. Ratio data are non-negative.


def test_ratio_level_refuses_negative_values_naming_value_and_unit() -> None:
    data = ReliabilityData.from_unit_rows(RATIO_NEGATIVE)
    with pytest.raises(AgreementInputError, match=r"ratio level.*unit '1' has -1"):
        reliability_report(data, level="ratio")
    # The interval level is meant for such data and gives total disagreement its due.
    alpha = reliability_report(data, level="interval").coefficients["krippendorff_alpha"]
    assert alpha.value is not None and alpha.value < 0.5


def test_the_alpha_function_refuses_negative_ratio_values_too() -> None:
    data = ReliabilityData.from_unit_rows(RATIO_NEGATIVE)
    with pytest.raises(AgreementInputError, match="ratio level needs values of at least 0"):
        krippendorff_alpha(value_counts(data), data.values, "ratio")


def test_cli_ratio_level_refuses_negative_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = cli_error(capsys, write(tmp_path, long_csv(RATIO_NEGATIVE)), "--level", "ratio")
    assert "-1" in err and "unit '1'" in err and "interval level" in err


# 2. Ratio weights on negative categories.


@pytest.mark.parametrize("values", [[-3.0, 1.0, 3.0], [-2.0, -1.0, 5.0]])
def test_ratio_weights_refuse_negative_categories(values: list[float]) -> None:
    with pytest.raises(AgreementInputError, match="ratio weights need categories of at least 0"):
        weight_matrix("ratio", np.array(values), True)


def test_every_weighted_coefficient_refuses_ratio_weights_on_negatives(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The smallest category is minus the largest: once a ZeroDivisionError.
    rows = [[-3, 3], [3, -3], [1, 1], [-3, -3]]
    data = ReliabilityData.from_unit_rows(rows)
    with pytest.raises(AgreementInputError, match="ratio weights need values of at least 0"):
        reliability_report(data, weights="ratio")
    err = cli_error(capsys, write(tmp_path, long_csv(rows)), "--weights", "ratio")
    assert "ratio weights" in err and "-3" in err


def test_ratio_weights_on_positive_categories_still_work() -> None:
    data = ReliabilityData.from_unit_rows([[1, 2], [2, 2], [3, 3], [1, 1], [2, 3]])
    report = reliability_report(data, weights="ratio")
    for name in ("cohen_kappa", "scott_pi", "fleiss_kappa", "conger_kappa", "gwet_ac2"):
        value = report.coefficients[name].value
        assert value is not None and np.isfinite(value), name


# 3. Non-finite values.


@pytest.mark.parametrize("spelling", ["inf", "Infinity", "-inf", "nan", "NaN", "+Infinity"])
@pytest.mark.parametrize("level", ["nominal", "interval"])
def test_cli_refuses_non_finite_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], spelling: str, level: str
) -> None:
    text = f"unit,coder,value\n1,a,{spelling}\n1,b,1\n2,a,1\n2,b,2\n"
    err = cli_error(capsys, write(tmp_path, text), "--level", level)
    assert "row 2" in err and repr(spelling) in err and "not a finite number" in err
    wide = f"unit,a,b\n1,1,{spelling}\n2,2,2\n"
    err = cli_error(capsys, write(tmp_path, wide, "wide.csv"), "--wide", "--level", level)
    assert "row 2" in err and "not a finite number" in err


def test_library_refuses_infinite_numbers() -> None:
    with pytest.raises(AgreementInputError, match="not a finite number"):
        ReliabilityData.from_unit_rows([[1.0, np.inf], [2.0, 2.0]])
    labels = ReliabilityData.from_long(
        ["1", "1", "2", "2"], ["a", "b", "a", "b"], ["1", "inf", "2", "2"]
    )
    with pytest.raises(AgreementInputError, match="not a finite number"):
        reliability_report(labels, level="interval")


@pytest.mark.parametrize("option", ["--alpha-min", "--min-coverage", "--overlap"])
def test_cli_refuses_non_finite_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str
) -> None:
    path = write(tmp_path, long_csv([[1, 1], [2, 2]]))
    with pytest.raises(SystemExit) as exc:
        main(["agreement", path, option, "nan"])
    assert exc.value.code == 2
    assert "not a finite number" in capsys.readouterr().err


# 4. Text labels on ordered levels and weights.


def test_ordinal_labels_need_the_order() -> None:
    data = ReliabilityData.from_unit_rows(LOW_MID_HIGH)
    with pytest.raises(AgreementInputError, match="order of the values"):
        reliability_report(data, level="ordinal")
    with pytest.raises(AgreementInputError, match="quadratic weights need the order"):
        reliability_report(data, weights="quadratic")
    ordered = ReliabilityData.from_unit_rows(LOW_MID_HIGH, value_order=["low", "mid", "high"])
    as_numbers = ReliabilityData.from_unit_rows(
        [[{"low": 1, "mid": 2, "high": 3}[v] for v in row] for row in LOW_MID_HIGH]
    )
    for weights in ("identity", "linear", "quadratic"):
        got = reliability_report(ordered, level="ordinal", weights=weights).coefficients
        want = reliability_report(as_numbers, level="ordinal", weights=weights).coefficients
        for name, c in want.items():
            assert got[name].value == pytest.approx(c.value), (weights, name)


def test_interval_and_ratio_need_numbers_even_with_an_order() -> None:
    ordered = ReliabilityData.from_unit_rows(LOW_MID_HIGH, value_order=["low", "mid", "high"])
    for level in ("interval", "ratio"):
        with pytest.raises(AgreementInputError, match=f"the {level} level needs numbers"):
            reliability_report(ordered, level=level)  # type: ignore[arg-type]


def test_cli_order_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, long_csv(LOW_MID_HIGH))  # type: ignore[arg-type]
    assert "--order" in cli_error(capsys, path, "--level", "ordinal")
    assert "--order" in cli_error(capsys, path, "--weights", "linear")
    data = cli_json(capsys, path, "--level", "ordinal", "--order", "low,mid,high")
    coefficients = data["coefficients"]
    assert isinstance(coefficients, dict)
    numbers = path.replace("in.csv", "n.csv")
    Path(numbers).write_text(
        Path(path).read_text().replace("low", "1").replace("mid", "2").replace("high", "3")
    )
    by_number = cli_json(capsys, numbers, "--level", "ordinal")["coefficients"]
    assert isinstance(by_number, dict)
    alpha = coefficients["krippendorff_alpha"]["value"]
    assert alpha == pytest.approx(by_number["krippendorff_alpha"]["value"])
    assert data["input"]["values"] == ["low", "mid", "high"]  # type: ignore[index]
    err = cli_error(capsys, path, "--level", "ordinal", "--order", "low,high")
    assert "'mid'" in err and "not in the given value order" in err
    assert "every label once" in cli_error(capsys, path, "--order", "low,,high")
    err = cli_error(capsys, numbers, "--level", "interval", "--order", "1,2,3")
    assert "reads every value as a number" in err


# 5. Labels as written at the nominal level.


def test_nominal_level_compares_labels_as_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [["1", "1.0"], ["01", "1"], ["2", "2"], ["1.0", "1.0"]]
    data = ReliabilityData.from_unit_rows(rows)
    assert set(reliability_report(data).values) == {"1", "1.0", "01", "2"}
    nominal = reliability_report(data).coefficients["percent_agreement"].value
    assert nominal == pytest.approx(0.5)
    interval = reliability_report(data, level="interval")
    assert interval.values == ("1.0", "2.0")
    assert interval.coefficients["percent_agreement"].value == 1.0
    path = write(tmp_path, long_csv(rows))  # type: ignore[arg-type]
    out = cli_json(capsys, path)
    assert out["input"]["values"] == ["01", "1", "1.0", "2"]  # type: ignore[index]
    with pytest.raises(SystemExit):
        main(["agreement", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert '"1", "1.0" and "01" are three categories' in help_text


# 6. No variation: the units path and the CSV path agree.


def test_unused_code_in_units_mode_agrees_with_the_same_data_as_a_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    segments = [
        Segment("d", "a", "used", 0, 8), Segment("d", "b", "used", 0, 9),
        Segment("d", "a", "outside", 25, 30), Segment("d", "b", "used", 12, 15),
    ]  # fmt: skip
    units = [Unit("d", "1", 0, 10), Unit("d", "2", 10, 20)]
    report = segment_report(segments, {"d": (0, 30)}, units=units)
    block = report.per_code["outside"].units
    assert block is not None
    # The same all-zero table, as a CSV.
    csv_path = write(tmp_path, long_csv([[0, 0], [0, 0]]))
    from_csv = cli_json(capsys, csv_path)["coefficients"]
    assert isinstance(from_csv, dict)
    for name in ("brennan_prediger", "gwet_ac1"):
        assert block[name].value is None
        assert block[name].undefined_reason == NO_VARIATION
        assert block[name].to_json() == from_csv[name]
    assert block["percent_agreement"].value == 1.0 == from_csv["percent_agreement"]["value"]
    # BP and AC1 still have their values where the ratings vary.
    assert report.per_code["used"].units["brennan_prediger"].value is not None  # type: ignore[index]


def test_declared_but_unused_categories_do_not_make_agreement() -> None:
    counts = np.array([[2, 0, 0], [2, 0, 0], [2, 0, 0]])
    assert brennan_prediger(counts).undefined_reason == NO_VARIATION
    assert gwet_ac(counts).undefined_reason == NO_VARIATION
    assert brennan_prediger(np.array([[2, 0], [1, 1]])).value is not None


# 7. The extent a segment CSV does not give.


def test_segment_csv_without_extent_warns_in_text_and_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "document,coder,code,start,end\nd1,a,x,0,10\nd1,b,x,2,10\nd2,a,x,0,5\nd2,b,x,0,5\n"
    path = write(tmp_path, text)
    data = cli_json(capsys, path, "--extent", "d2=0:40")
    info = data["input"]
    assert isinstance(info, dict)
    assert info["assumed_extents"] == {"d1": [0, 10]}
    assert len(info["warnings"]) == 1 and "'d1'" in info["warnings"][0]
    assert "0:10" in info["warnings"][0]
    assert main(["agreement", path]) == 0
    out = capsys.readouterr().out
    assert out.startswith("warning: no extent given for document 'd1'")
    complete = cli_json(capsys, path, "--extent", "d1=0:30", "--extent", "d2=0:40")
    assert complete["input"]["warnings"] == []  # type: ignore[index]
    assert complete["input"]["assumed_extents"] == {}  # type: ignore[index]
    # The extent changes the continuum coefficients, which is why the warning is there.
    assert complete["coefficients"] != data["coefficients"]
