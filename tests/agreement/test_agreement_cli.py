"""``accord agreement FILE`` through ``main([...])``: output contract and every bad input."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from accord.agreement.cli import main, register, run

RELIABILITY = (
    "unit,coder,value\n1,a,1\n1,b,1\n2,a,2\n2,b,2\n3,a,1\n3,b,2\n4,a,3\n4,b,3\n5,a,\n5,b,2\n"
)
SEGMENTS = (
    "document,coder,code,start,end\n"
    "d1,a,x,0,10\nd1,b,x,1,10\nd1,a,y,20,30\nd1,b,y,22,35\nd2,a,x,0,5\nd2,b,y,0,5\n"
)
RELIABILITY_NAMES = {
    "percent_agreement", "krippendorff_alpha", "cohen_kappa", "scott_pi", "fleiss_kappa",
    "conger_kappa", "brennan_prediger", "gwet_ac1",
}  # fmt: skip


def write(tmp_path: Path, text: str, name: str = "in.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    assert main([*argv, "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    data: dict[str, object] = json.loads(out)
    return data


def test_reliability_json_contract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "agreement", write(tmp_path, RELIABILITY), "--bootstrap", "500")
    assert set(data) == {"input", "coefficients"}
    coefficients = data["coefficients"]
    assert isinstance(coefficients, dict)
    assert set(coefficients) == RELIABILITY_NAMES
    alpha = coefficients["krippendorff_alpha"]
    assert set(alpha) == {"value", "ci_low", "ci_high", "q_below_min", "interval"}
    assert alpha["interval"]["method"] == "bootstrap_pairs"
    assert (alpha["interval"]["low"], alpha["interval"]["high"]) == (
        alpha["ci_low"],
        alpha["ci_high"],
    )
    assert alpha["ci_low"] is not None and alpha["q_below_min"] is not None
    info = data["input"]
    assert isinstance(info, dict)
    assert (info["units"], info["units_used"], info["units_excluded"]) == (5, 4, 1)


def test_bootstrap_is_reproducible_with_a_seed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, RELIABILITY)
    first = run_json(capsys, path, "--bootstrap", "300", "--seed", "5")
    second = run_json(capsys, path, "--bootstrap", "300", "--seed", "5")
    assert first == second


def test_three_coders_have_no_cohen(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "unit,coder,value\n1,a,1\n1,b,1\n1,c,2\n2,a,2\n2,b,2\n2,c,2\n"
    data = run_json(capsys, write(tmp_path, text))
    assert isinstance(data["coefficients"], dict)
    assert set(data["coefficients"]) == RELIABILITY_NAMES - {"cohen_kappa"}


def test_wide_weights_and_levels(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "unit,r1,r2,r3\nu1,1,1,2\nu2,2,2,2\nu3,3,,3\nu4,1,2,3\nu5,4,4,4\n"
    path = write(tmp_path, text)
    for level in ("nominal", "ordinal", "interval", "ratio"):
        data = run_json(capsys, path, "--wide", "--level", level, "--weights", "quadratic")
        coefficients = data["coefficients"]
        assert isinstance(coefficients, dict)
        assert "gwet_ac2" in coefficients
        assert coefficients["krippendorff_alpha"]["value"] is not None


def test_undefined_value_is_null_with_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "unit,coder,value\n1,a,2\n1,b,2\n2,a,2\n2,b,2\n"
    data = run_json(capsys, write(tmp_path, text))
    assert isinstance(data["coefficients"], dict)
    alpha = data["coefficients"]["krippendorff_alpha"]
    assert alpha["value"] is None and "no variation" in alpha["undefined_reason"]


def test_segments_json_contract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    units = write(tmp_path, "document,unit,start,end\nd1,p1,0,15\nd1,p2,15,35\n", "units.csv")
    data = run_json(
        capsys, write(tmp_path, SEGMENTS), "--extent", "d2=0:50", "--units", units,
        "--overlap", "80",
    )  # fmt: skip
    coefficients = data["coefficients"]
    assert isinstance(coefficients, dict)
    assert {"unitizing_alpha_2004", "u_alpha", "binary_u_alpha", "cu_alpha"} <= set(coefficients)
    per_code = data["per_code"]
    assert isinstance(per_code, dict)
    assert set(per_code) == {"x", "y"}
    for block in per_code.values():
        assert {"unitizing_alpha_2004", "k_u_alpha", "segment_match", "character_kappa"} <= set(
            block
        )
    info = data["input"]
    assert isinstance(info, dict)
    assert info["continuum_length"] == 35 + 50  # d1 runs to its largest end


def test_table_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([write(tmp_path, RELIABILITY), "--bootstrap", "200"]) == 0
    out = capsys.readouterr().out
    assert "krippendorff_alpha" not in out and "Krippendorff's α" in out
    assert "4 units used; 1 unit excluded: fewer than two coders gave a value." in out
    assert main([write(tmp_path, SEGMENTS, "s.csv")]) == 0
    out = capsys.readouterr().out
    assert "u_alpha" not in out and "Krippendorff's uα (2016)" in out
    assert "Code: x" in out and "Code: y" in out


def _row(out: str, label: str) -> str:
    (line,) = [line for line in out.splitlines() if line.startswith(f"  {label}  ")]
    return line


def test_text_names_coefficients_as_the_literature_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, RELIABILITY)
    assert main([path, "--bootstrap", "300", "--seed", "2"]) == 0
    out = capsys.readouterr().out
    data = run_json(capsys, path, "--bootstrap", "300", "--seed", "2")
    coefficients = data["coefficients"]
    assert isinstance(coefficients, dict)
    names = {
        "percent_agreement": "Percent agreement", "krippendorff_alpha": "Krippendorff's α",
        "cohen_kappa": "Cohen's κ", "scott_pi": "Scott's π", "fleiss_kappa": "Fleiss' κ",
        "conger_kappa": "Conger's κ", "brennan_prediger": "Brennan and Prediger's κ",
        "gwet_ac1": "Gwet's AC1",
    }  # fmt: skip
    for key, name in names.items():
        assert key not in out
        line = _row(out, name)
        value = coefficients[key]["value"]
        shown = f"{value * 100:.1f}%" if key == "percent_agreement" else f"{value:.3f}"
        assert f" {shown.replace('-', '−')} " in line
        # Only α has a published threshold, so only α gets a verdict.
        if key == "krippendorff_alpha":
            assert line.endswith(("not reliable", "tentative", "reliable"))
            alpha = coefficients[key]
            assert f"[{alpha['ci_low']:.3f}, {alpha['ci_high']:.3f}]" in line
            assert f" {alpha['q_below_min']:.3f} " in line
        else:
            assert line.endswith("no verdict")
    assert "q(α < 0.800)" in out
    assert "Verdicts are given for Krippendorff's α and its unitizing family only" in out
    assert "75.0%" in out and "0.7500" not in out


def test_exclusions_in_plain_english(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    full = "unit,coder,value\n1,a,1\n1,b,1\n2,a,2\n2,b,1\n"
    assert main([write(tmp_path, full)]) == 0
    out = capsys.readouterr().out
    assert "2 units rated by 2 coders" in out
    assert "2 units used; no unit was excluded." in out
    three = "unit,coder,value\n1,a,1\n1,b,1\n2,a,2\n2,b,1\n3,a,1\n4,a,2\n5,b,\n"
    assert main([write(tmp_path, three)]) == 0
    out = capsys.readouterr().out
    assert "2 units used; 3 units excluded: fewer than two coders gave a value." in out
    assert "3 units were left out because fewer than two coders gave a value." in " ".join(
        out.split()
    )
    one = "unit,coder,value\n1,a,1\n1,b,1\n2,a,2\n2,b,1\n3,a,1\n"
    assert main([write(tmp_path, one)]) == 0
    out = capsys.readouterr().out
    assert "1 unit excluded: fewer than two coders gave a value." in out
    assert "1 unit was left out" in " ".join(out.split())


def _methods(out: str) -> str:
    _, found, paragraph = out.partition("\nMethods\n")
    assert found
    return " ".join(paragraph.split())


def test_text_ends_with_a_methods_paragraph(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, RELIABILITY)
    data = run_json(capsys, path, "--bootstrap", "400", "--seed", "1", "--level", "ordinal")
    coefficients = data["coefficients"]
    assert isinstance(coefficients, dict)
    alpha = coefficients["krippendorff_alpha"]
    assert main([path, "--bootstrap", "400", "--seed", "1", "--level", "ordinal"]) == 0
    methods = _methods(capsys.readouterr().out)
    assert methods.startswith(
        "Inter-coder reliability was assessed with Krippendorff's α (Krippendorff, 2004). "
        "The unit of analysis was each unit of the file, given one value per coder at the "
        "ordinal level of measurement. 2 coders rated 5 units. 1 unit was left out because "
        "fewer than two coders gave a value. "
        f"Krippendorff's α was {alpha['value']:.3f} (95% CI {alpha['ci_low']:.3f} to "
        f"{alpha['ci_high']:.3f}, bootstrap over pairable value pairs (Hayes & Krippendorff "
        "2007), 400 resamples), and the probability that it lies below 0.800 was "
        f"q = {alpha['q_below_min']:.3f}."
    )
    assert "Following Krippendorff (2004, p. 241)" in methods
    assert "without a verdict" in methods and "Cohen's κ (Cohen, 1960)" in methods
    # The segments' paragraph shares the code: one family per sentence, each cited.
    assert main([write(tmp_path, SEGMENTS, "s.csv")]) == 0
    methods = _methods(capsys.readouterr().out)
    sentences = methods.split(". ")
    (headline,) = [s for s in sentences if s.startswith("Inter-coder reliability")]
    assert headline.endswith("Krippendorff's uα (Krippendorff, Mathet, Bouvry & Widlöcher, 2016)")
    (older,) = [s for s in sentences if "α_U" in s]
    assert "(Krippendorff, 2004)" in older and "2016" not in older and "uα" not in older
    assert "2 coders coded 2 documents independently" in methods


def test_semicolon_and_tab_separated_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = run_json(capsys, write(tmp_path, RELIABILITY))
    for separator in (";", "\t"):
        text = RELIABILITY.replace(",", separator)
        assert run_json(capsys, write(tmp_path, text, "sep.csv")) == expected
    # A quoted comma does not make a semicolon file a comma file.
    quoted = 'unit;coder;value\n"1,a";a;1\n"1,a";b;1\n2;a;2\n2;b;1\n'
    data = run_json(capsys, write(tmp_path, quoted, "q.csv"))
    info = data["input"]
    assert isinstance(info, dict) and info["units"] == 2
    segments = run_json(capsys, write(tmp_path, SEGMENTS.replace(",", ";"), "s.csv"))
    assert segments == run_json(capsys, write(tmp_path, SEGMENTS, "s2.csv"))


def test_a_wide_file_without_wide_suggests_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wide = write(tmp_path, "unit,r1,r2,r3\nu1,1,1,2\nu2,2,2,2\n")
    assert main([wide]) == 2
    err = capsys.readouterr().err
    assert "add --wide" in err and err.count("\n") == 1
    assert main([wide, "--wide"]) == 0


def test_register_adds_the_subcommand(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser(prog="accord")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["agreement", write(tmp_path, RELIABILITY)])
    assert args.handler is run
    assert args.handler(args) == 0
    with pytest.raises(SystemExit) as exit_info:
        parser.parse_args(["agreement", "--help"])
    assert exit_info.value.code == 0
    help_text = capsys.readouterr().out
    for option in ("--wide", "--level", "--weights", "--extent", "--units", "--overlap",
                   "--bootstrap", "--seed", "--alpha-min", "--format"):  # fmt: skip
        assert option in help_text


BAD_INPUTS = [
    ("unit,coder\n1,a\n", [], "missing column 'value'"),
    ("unit,coder,value\n1,a,1\n1,b,x\n", ["--level", "ratio"], "row 3: value 'x' is not a"),
    ("unit,coder,value\n1,a,1\n2,a,2\n", [], "fewer than two coders"),
    ("unit,coder,value\n1,a,1\n1,a,2\n1,b,1\n", [], "row 3: coder 'a' already rated unit '1'"),
    ("document,coder,code,start,end\nd,a,x,5,5\nd,b,x,0,3\n", [], "row 2: start 5 >= end 5"),
    ("document,coder,code,start,end\nd,a,x,a,5\n", [], "row 2: start 'a' is not a whole number"),
    ("document,coder,code,start\nd,a,x,1\n", [], "missing column 'end'"),
    ("document,coder,code,start,end\nd,a,x,0,5\nd,a,y,2,9\n", [], "fewer than two coders"),
    ("", [], "the file is empty"),
    ("document,coder,code,start,end\nd,a,x,0,5\nd,b,x,0,5\n", ["--extent", "d=3"], "--extent"),
    ("document,coder,code,start,end\nd,a,x,0,50\nd,b,x,0,5\n", ["--extent", "d=0:40"], "outside"),
    ("unit,r1,r2\nu1,1,2,3\n", ["--wide"], "row 2: 4 fields"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "extra", "message"), BAD_INPUTS)
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, extra: list[str], message: str
) -> None:
    assert main([write(tmp_path, text), *extra]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert message in captured.err
    assert "Traceback" not in captured.err


def test_unreadable_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "missing.csv")]) == 2
    assert "no such file" in capsys.readouterr().err
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00\x81\x82")
    assert main([str(binary)]) == 2
    assert "UTF-8" in capsys.readouterr().err
    assert main([str(tmp_path)]) == 2
    assert "directory" in capsys.readouterr().err


def test_bad_units_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    units = write(tmp_path, "document,unit,start,end\nd1,p1,9,3\n", "units.csv")
    assert main([write(tmp_path, SEGMENTS), "--units", units]) == 2
    assert "row 2: start 9 >= end 3" in capsys.readouterr().err
