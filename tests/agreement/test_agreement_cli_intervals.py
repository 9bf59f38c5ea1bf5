"""``accord agreement``: standard errors, interval methods and per-document character κ."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.agreement.cli import main

DATA = Path(__file__).parent.parent / "data" / "agreement"
SEGMENTS = (
    "document,coder,code,start,end\n"
    "d1,a,x,0,10\nd1,b,x,1,10\nd1,a,y,20,30\nd1,b,y,22,35\n"
    "d2,a,x,0,5\nd2,b,y,0,5\nd2,a,y,10,30\nd2,b,y,12,30\n"
    "d3,a,x,5,25\nd3,b,x,5,20\nd3,a,y,30,40\nd3,b,x,30,40\n"
)
EXTENTS = ["--extent", "d1=0:40", "--extent", "d2=0:40", "--extent", "d3=0:40"]


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, dict[str, dict]]:  # type: ignore[type-arg]
    assert main([*argv, "--format", "json"]) == 0
    data: dict[str, dict[str, dict]] = json.loads(capsys.readouterr().out)  # type: ignore[type-arg]
    return data


def test_standard_errors_and_population_in_json_and_text(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = str(DATA / "irrcac_cac.raw4raters.csv")
    data = _json(capsys, path, "--wide", "--population", "40")
    fleiss = data["coefficients"]["fleiss_kappa"]
    assert fleiss["interval"]["method"] == "gwet_variance"
    assert fleiss["interval"]["population"] == 40
    assert data["input"]["standard_errors"] == {
        "method": "gwet_variance",
        "confidence": 0.95,
        "population": 40,
    }
    plain = _json(capsys, path, "--wide")
    assert abs(plain["coefficients"]["fleiss_kappa"]["standard_error"] - 0.153019203469) < 1e-6
    assert main([path, "--wide"]) == 0
    text = capsys.readouterr().out
    (header,) = [line for line in text.splitlines() if line.startswith("  coefficient")]
    assert "SE" in header
    assert "¹ Gwet (2014) linearised variance" in text
    assert "no finite-population correction" in text
    assert "Scott's π: Gwet (2014) gives the variance of Scott's π for two coders" in text


def test_bootstrap_method_is_chosen_and_said(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(DATA / "hayes_krippendorff_2007_table1.csv")
    args = [path, "--wide", "--level", "ordinal", "--bootstrap", "500", "--seed", "3"]
    pairs = _json(capsys, *args)
    units = _json(capsys, *args, "--bootstrap-method", "units")
    assert pairs["input"]["bootstrap"]["method"] == "pairs"
    assert units["input"]["bootstrap"]["method"] == "units"
    assert pairs["coefficients"]["krippendorff_alpha"]["interval"]["method"] == "bootstrap_pairs"
    assert units["coefficients"]["krippendorff_alpha"]["interval"]["method"] == "bootstrap_units"
    assert main([*args, "--bootstrap-method", "units"]) == 0
    text = capsys.readouterr().out
    assert "³ bootstrap over units (units resampled with replacement), 500 resamples, seed 3" in (
        text
    )


def test_bad_interval_options_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(DATA / "irrcac_cac.raw4raters.csv")
    assert main([path, "--wide", "--population", "0"]) == 2
    assert "population size must be a positive number" in capsys.readouterr().err
    assert main([path, "--wide", "--population", "5"]) == 2
    assert "smaller than the number of rated units (12)" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main([path, "--wide", "--bootstrap", "100", "--bootstrap-method", "jackknife"])
    assert exc.value.code == 2
    assert "invalid choice: 'jackknife'" in capsys.readouterr().err


def test_continuum_intervals_and_per_document_kappa(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "segments.csv"
    path.write_text(SEGMENTS, encoding="utf-8")
    data = _json(capsys, str(path), *EXTENTS, "--bootstrap", "200")
    for name in ("unitizing_alpha_2004", "u_alpha", "binary_u_alpha", "cu_alpha"):
        c = data["coefficients"][name]
        assert c["interval"]["method"] == "bootstrap_documents", name
    x = data["per_code"]["x"]
    assert x["character_kappa"]["scope"].startswith("pooled over 3 documents")
    assert set(x["character_kappa_per_document"]) == {"d1", "d2", "d3"}
    assert main([str(path), *EXTENTS, "--bootstrap", "200"]) == 0
    text = capsys.readouterr().out
    assert "⁴ cluster bootstrap over documents" in text
    # Each code's continuum coefficients carry their cluster-bootstrap interval.
    per_code = text.split("Code: x", 1)[1]
    assert "⁴" in _row_of(per_code, "Krippendorff's α_U (2004)")
    assert "char κ above is pooled over 3 documents and 1 coder pair" in text


def test_one_document_says_it_has_no_interval(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "one.csv"
    path.write_text("\n".join(SEGMENTS.splitlines()[:5]) + "\n", encoding="utf-8")
    data = _json(capsys, str(path), "--extent", "d1=0:40", "--bootstrap", "100")
    u = data["coefficients"]["u_alpha"]
    assert "interval" not in u and "only one document was compared" in u["no_interval_reason"]
    assert main([str(path), "--extent", "d1=0:40", "--bootstrap", "100"]) == 0
    text = capsys.readouterr().out
    assert "Krippendorff's uα (2016): no interval: the cluster bootstrap resamples documents" in (
        text
    )


def _row_of(text: str, label: str) -> str:
    """The first table row of ``label`` in ``text``."""
    return next(line for line in text.splitlines() if line.startswith(f"  {label}  "))
