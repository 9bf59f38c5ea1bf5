"""Defects the output audit (issue #15) found, each pinned at its cause.

A document without units of the kind asked for (a document with no speaker turns, say)
made the whole UNITS report fail: the MASI α crashed on a table of no rows
(``ValueError`` in the worker), and the per-code tables had no coder columns, so the
report was refused with "fewer than two coders: found 0" although two coders had coded.

The HTML report's per-document table and coder-pair matrix showed "undefined" without
the reason anywhere in the report, and the CLI's character κ per document a bare "—".
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

import pytest

from accord.agreement.bootstrap import BootstrapSettings
from accord.agreement.cli import main
from accord.agreement.masi import masi_alpha
from accord.agreement.report import segment_report
from accord.agreement.segments import Segment
from accord.exchange import report_html
from accord.reports.agreement_compute import AgreementInputs, AgreementRequest, assemble
from tests.agreement.test_outputs_never_fake import ROUND, _study


def test_the_masi_alpha_of_no_units_is_undefined_with_a_reason() -> None:
    c = masi_alpha([], BootstrapSettings(resamples=20))
    assert c.value is None
    assert c.undefined_reason is not None and "no pairable units" in c.undefined_reason


def test_no_units_on_compared_documents_gives_reasons_and_keeps_the_coders() -> None:
    segments = [Segment("d", "a", "x", 0, 2), Segment("d", "b", "x", 1, 3)]
    report = segment_report(segments, {"d": (0, 5)}, coders_by_document={"d": {"a", "b"}}, units=[])
    masi = report.coefficients["units_masi_alpha"]
    assert masi.value is None and masi.undefined_reason
    block = report.per_code["x"]
    assert block.unit_counts is not None
    assert block.unit_counts.units == 0 and block.unit_counts.coders == 2
    assert block.units is not None
    for name, c in block.units.items():
        assert c.value is None and c.undefined_reason, name


def test_a_document_without_units_leaves_its_own_row_undefined_not_the_report() -> None:
    segments = [
        Segment("d0", "c0", "x", 0, 3),
        Segment("d0", "c1", "x", 1, 3),
        Segment("d1", "c0", "y", 0, 2),
    ]
    study = _study(segments, {"d0": 6, "d1": 4}, ["c0", "c1"], True, units_everywhere=False)
    with_units, without = (str(d.id) for d in study.documents)
    assert {u.document for u in study.units or []} == {with_units}
    request = AgreementRequest(unit_mode="UNITS", bootstrap_resamples=20)
    result = assemble(AgreementInputs(request, 0.8, study, [ROUND], {}, None))
    rows = {b.key: b.coefficients["units_masi_alpha"] for b in result.per_document}
    assert rows[with_units].value == 1.0  # both coders marked x in the same unit
    assert rows[without].value is None and rows[without].undefined_reason
    assert result.coefficients["units_masi_alpha"].value == 1.0


def test_the_html_report_gives_the_reason_of_every_undefined_document_and_pair() -> None:
    """The per-document table and the coder-pair matrix said "undefined" (or "—") with
    no reason anywhere in the report."""
    segments = [
        Segment("d0", "c0", "x", 0, 3),
        Segment("d0", "c1", "x", 0, 3),
        Segment("d1", "c0", "x", 0, 2),
        Segment("d1", "c1", "x", 2, 4),
    ]
    study = _study(segments, {"d0": 6, "d1": 4}, ["c0", "c1"], False)
    result = assemble(AgreementInputs(AgreementRequest(), 0.8, study, [ROUND], {}, None))
    undefined = {
        c.undefined_reason
        for b in result.per_document
        for c in b.coefficients.values()
        if c.undefined_reason is not None
    }
    assert undefined, "the data should leave a per-document coefficient undefined"
    html = report_html.render(result, "Project", {str(d.id): d.title for d in study.documents})
    for reason in undefined:
        assert escape(reason) in html


def test_the_cli_text_gives_the_reason_of_an_undefined_per_document_character_kappa(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Character κ per document printed a bare "—" when a code was not used on a
    document; the JSON had the reason, the text did not."""
    path = tmp_path / "segments.csv"
    path.write_text(
        "document,coder,code,start,end\nd1,a,x,0,5\nd1,b,x,1,5\nd2,a,y,0,3\nd2,b,x,0,3\n"
    )
    argv = ["agreement", str(path), "--extent", "d1=0:10", "--extent", "d2=0:6"]
    assert main([*argv, "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    kappa = report["per_code"]["y"]["character_kappa_per_document"]["d1"]["cohen_kappa"]
    assert kappa["value"] is None
    assert main(argv) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert kappa["undefined_reason"] in text
