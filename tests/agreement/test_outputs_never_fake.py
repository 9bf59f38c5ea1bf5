"""No output of the library, the CLI or the HTML report holds NaN or Infinity, or a
coefficient without a value or a reason, on any small awkward data set (issue #15).

Hypothesis draws reliability data (1–6 coders, missing values, one category, all zero,
one unit, numbers and text labels, every level and weighting, with and without the
bootstraps) and coded segments (tiny documents, one coder, codes nobody shares, with and
without extents and units). Each goes through the library's reports, ``accord
agreement`` in process (table and ``--format json``) and, for segments, the server's
report assembly and its HTML renderer. Bad input must end in a clear error, never a
traceback.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import re
import tempfile
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from uuid import UUID, uuid5

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from accord.agreement.alpha import LEVELS, Level
from accord.agreement.bootstrap import BootstrapSettings
from accord.agreement.cli import main
from accord.agreement.errors import AgreementInputError
from accord.agreement.reliability_data import ReliabilityData
from accord.agreement.report import reliability_report, segment_report
from accord.agreement.segments import Segment, Unit
from accord.agreement.weights import WEIGHT_NAMES, WeightName
from accord.coding.rounds import Round
from accord.errors import InvalidInput
from accord.exchange import report_html
from accord.reports.agreement_compute import AgreementInputs, AgreementRequest, assemble
from accord.reports.agreement_data import Study, StudyDocument
from accord.reports.agreement_retest import RetestStudy, _pooled
from tests.agreement.honest_output import (
    coefficient_objects,
    honest_coefficient,
    honest_json,
    no_fake_words,
    strict_json,
)

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- reliability data ------------------------------------------------------------------

NUMBERS = st.sampled_from([0, 1, 2, 3, -1, 0.5, 10])
LABELS = st.sampled_from(["low", "mid", "high", "1", "01", "x"])


@st.composite
def reliability_tables(draw: st.DrawFn) -> list[list[object]]:
    """Units × coders, ``None`` for a missing value; numbers, labels or one value."""
    n_units = draw(st.integers(1, 6))
    n_coders = draw(st.integers(1, 6))
    kind = draw(st.sampled_from(["numbers", "labels", "one value", "zeros", "binary"]))
    pool: st.SearchStrategy[object] = {
        "numbers": NUMBERS,
        "labels": LABELS,
        "one value": st.just(2),
        "zeros": st.just(0),
        "binary": st.sampled_from([0, 1]),
    }[kind]
    cell = st.one_of(st.none(), pool) if draw(st.booleans()) else pool
    return [[draw(cell) for _ in range(n_coders)] for _ in range(n_units)]


def _order(table: list[list[object]]) -> list[object] | None:
    """The order of text labels (sorted for the test), or None for numbers."""
    seen = {v for row in table for v in row if v is not None}
    if seen and all(isinstance(v, str) for v in seen):
        return sorted(seen, key=str)
    return None


def _check_reliability_library(
    table: list[list[object]],
    level: Level,
    weights: WeightName,
    boot: BootstrapSettings | None,
    ordered: bool,
) -> None:
    try:
        order = _order(table) if ordered else None
        data = ReliabilityData.from_unit_rows(
            [[v for v in row] for row in table],
            value_order=order,
        )
        report = reliability_report(data, level=level, weights=weights, bootstrap=boot)
    except AgreementInputError as exc:
        assert str(exc).strip()
        return
    for name, c in report.coefficients.items():
        honest_coefficient(name, c)
    honest_json(report.to_json(), intervals_asked=boot is not None)


@SETTINGS
@given(table=reliability_tables(), boot=st.sampled_from([None, "pairs", "units"]))
def test_reliability_reports_are_honest_at_every_level_and_weighting(
    table: list[list[object]], boot: str | None
) -> None:
    settings_ = (
        BootstrapSettings(resamples=40, seed=1, method="units" if boot == "units" else "pairs")
        if boot is not None
        else None
    )
    for level, weights in itertools.product(LEVELS, WEIGHT_NAMES):
        for ordered in (False, True):
            _check_reliability_library(table, level, weights, settings_, ordered)


def _cell(v: object) -> str:
    return "" if v is None else str(v)


def _run_cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["agreement", *argv])
    return code, out.getvalue(), err.getvalue()


def _check_cli(argv: list[str], *, intervals_asked: bool) -> None:
    """Both formats: a refusal is one clear line and nothing on stdout; otherwise strict
    JSON with honest coefficients, and a table with no fake words."""
    code, out, err = _run_cli([*argv, "--format", "json"])
    if code == 2:
        assert out == "" and err.count("\n") == 1 and "error:" in err, err
        assert "Traceback" not in err
        return
    assert code == 0, err
    report = strict_json(out)
    honest_json(report, intervals_asked=intervals_asked)
    no_fake_words(out, "the JSON output")
    code, out, err = _run_cli(argv)
    assert code == 0, err
    no_fake_words(out, "the table output")
    # The table gives the reason of every coefficient it cannot give a value.
    table = " ".join(out.split())
    for path, c in coefficient_objects(report):
        if c["value"] is None:
            reason = " ".join(c["undefined_reason"].split())
            assert reason in table, f"{path}: the table does not say why ({reason})"


@SETTINGS
@given(
    table=reliability_tables(),
    level=st.sampled_from(LEVELS),
    weights=st.sampled_from(WEIGHT_NAMES),
    ordered=st.booleans(),
    boot=st.sampled_from([None, "pairs", "units"]),
)
def test_the_cli_on_reliability_data_is_honest_in_both_formats(
    table: list[list[object]], level: str, weights: str, ordered: bool, boot: str | None
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "wide.csv"
        n_coders = len(table[0])
        lines = [",".join(["unit", *(f"c{i}" for i in range(n_coders))])]
        lines += [",".join([f"u{u}", *map(_cell, row)]) for u, row in enumerate(table)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        argv = [str(path), "--wide", "--level", level, "--weights", weights]
        order = _order(table)
        if ordered and order is not None:
            argv += ["--order", ",".join(map(str, order))]
        if boot is not None:
            argv += ["--bootstrap", "30", "--bootstrap-method", boot]
        _check_cli(argv, intervals_asked=boot is not None)


# --- coded segments ----------------------------------------------------------------------


@st.composite
def segment_sets(draw: st.DrawFn) -> tuple[list[Segment], dict[str, int], list[str]]:
    """Segments on 1–3 tiny documents by 1–4 coders; the document lengths; the coders."""
    n_docs = draw(st.integers(1, 3))
    lengths = {f"d{i}": draw(st.integers(1, 12)) for i in range(n_docs)}
    coders = [f"c{i}" for i in range(draw(st.integers(1, 4)))]
    codes = ["x", "y", "z"][: draw(st.integers(1, 3))]
    segments = []
    for _ in range(draw(st.integers(0, 10))):
        doc = draw(st.sampled_from(sorted(lengths)))
        start = draw(st.integers(0, lengths[doc] - 1))
        end = draw(st.integers(start + 1, lengths[doc]))
        coder = draw(st.sampled_from(coders))
        segments.append(Segment(doc, coder, draw(st.sampled_from(codes)), start, end))
    return segments, lengths, coders


def _units_of(lengths: dict[str, int]) -> list[Unit]:
    units = []
    for doc, length in lengths.items():
        half = max(1, length // 2)
        units.append(Unit(doc, f"{doc}-1", 0, half))
        if half < length:
            units.append(Unit(doc, f"{doc}-2", half, length))
    return units


@SETTINGS
@given(
    drawn=segment_sets(),
    with_extents=st.booleans(),
    with_units=st.booleans(),
    boot=st.booleans(),
)
def test_segment_reports_are_honest(
    drawn: tuple[list[Segment], dict[str, int], list[str]],
    with_extents: bool,
    with_units: bool,
    boot: bool,
) -> None:
    segments, lengths, coders = drawn
    extents = {d: (0, n) for d, n in lengths.items()} if with_extents else None
    try:
        report = segment_report(
            segments,
            extents,
            coders=coders,
            units=_units_of(lengths) if with_units else None,
            bootstrap=BootstrapSettings(resamples=30, seed=2) if boot else None,
            code_groups={"x": "g1", "y": "g1", "z": "g2"},
        )
    except AgreementInputError as exc:
        assert str(exc).strip()
        return
    for name, c in report.coefficients.items():
        honest_coefficient(name, c)
    honest_json(report.to_json(), intervals_asked=boot)


@SETTINGS
@given(drawn=segment_sets(), with_extents=st.booleans(), boot=st.booleans())
def test_the_cli_on_segments_is_honest_in_both_formats(
    drawn: tuple[list[Segment], dict[str, int], list[str]], with_extents: bool, boot: bool
) -> None:
    segments, lengths, _coders = drawn
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "segments.csv"
        rows = [f"{s.document},{s.coder},{s.code},{s.start},{s.end}" for s in segments]
        path.write_text("document,coder,code,start,end\n" + "".join(r + "\n" for r in rows))
        units = Path(tmp) / "units.csv"
        units.write_text(
            "document,unit,start,end\n"
            + "".join(f"{u.document},{u.unit},{u.start},{u.end}\n" for u in _units_of(lengths))
        )
        argv = [str(path), "--units", str(units)]
        if with_extents:
            argv += [f"--extent={d}=0:{n}" for d, n in lengths.items()]
        if boot:
            argv += ["--bootstrap", "30"]
        _check_cli(argv, intervals_asked=boot)


# --- the server's report and its HTML -------------------------------------------------------

NAMESPACE = UUID("6f1e0b4e-3d55-4a35-9a59-4e1c0a7a9b1d")
ROUND = Round(
    uuid5(NAMESPACE, "round"), uuid5(NAMESPACE, "project"), "Main", True, datetime.now(UTC)
)


def _study(
    segments: list[Segment],
    lengths: dict[str, int],
    coders: list[str],
    units: bool,
    units_everywhere: bool = True,
) -> Study:
    """The draw as the server reads it; without ``units_everywhere`` only the first
    document has units of the kind asked for (as with speaker turns)."""
    doc_ids = {d: str(uuid5(NAMESPACE, d)) for d in lengths}
    return Study(
        round=ROUND,
        documents=[StudyDocument(UUID(doc_ids[d]), f"Doc {d}", n) for d, n in lengths.items()],
        coders={uuid5(NAMESPACE, c): f"{c}@example.org" for c in coders},
        segments=[
            Segment(doc_ids[s.document], f"{s.coder}@example.org", s.code, s.start, s.end)
            for s in segments
        ],
        extents={doc_ids[d]: (0, n) for d, n in lengths.items()},
        level={},
        code_filter=None,
        units=[
            Unit(doc_ids[u.document], u.unit, u.start, u.end)
            for u in _units_of(lengths)
            if units_everywhere or u.document == min(lengths)
        ]
        if units
        else None,
        coders_by_document={doc_ids[d]: {f"{c}@example.org" for c in coders} for d in lengths},
    )


MODES = ["CONTINUUM", "UNITS", "SEGMENT_MATCH", "CHARACTER"]
SECOND = Round(uuid5(NAMESPACE, "retest"), ROUND.project_id, "Retest", False, datetime.now(UTC))


def _retest_inputs(
    request: AgreementRequest,
    segments: list[Segment],
    lengths: dict[str, int],
    coders: list[str],
    units: bool,
) -> AgreementInputs:
    """The same draw as a test–retest study: coder c0 and c1 are one person's two rounds,
    c2 and c3 another's."""
    study = _study(segments, lengths, coders, units)
    by_round = [("Main" if int(s.coder[1]) % 2 == 0 else "Retest", s) for s in study.segments]
    people = {f"k{int(c[1]) // 2}@example.org" for c in coders if int(c[1]) % 2 == 1}
    relabelled = [
        (r, Segment(s.document, f"k{int(s.coder[1]) // 2}@example.org", s.code, s.start, s.end))
        for r, s in by_round
    ]
    # The loader refuses a retest in which no coder coded in both rounds.
    assume(people)
    documents_by_coder = {p: sorted(study.extents) for p in sorted(people)}
    retest = RetestStudy(
        rounds=(ROUND, SECOND),
        documents=study.documents,
        segments=[(r, s) for r, s in relabelled if s.coder in people],
        extents=study.extents,
        documents_by_coder=documents_by_coder,
        interval=None,
        pooled=_pooled(
            (ROUND, SECOND),
            study.documents,
            [(r, s) for r, s in relabelled if s.coder in people],
            documents_by_coder,
            study.units,
        ),
        units=study.units,
    )
    return AgreementInputs(request, 0.8, retest.pooled, [ROUND, SECOND], {}, None, retest=retest)


@settings(SETTINGS, max_examples=30)
@given(
    drawn=segment_sets(),
    mode=st.sampled_from(MODES),
    boot=st.sampled_from([None, "pairs", "units"]),
    retest=st.booleans(),
    units_everywhere=st.booleans(),
)
def test_the_server_report_and_its_html_are_honest(
    drawn: tuple[list[Segment], dict[str, int], list[str]],
    mode: str,
    boot: str | None,
    retest: bool,
    units_everywhere: bool,
) -> None:
    segments, lengths, coders = drawn
    request = AgreementRequest(
        unit_mode=mode,
        bootstrap_resamples=30 if boot else None,
        bootstrap_seed=3,
        bootstrap_method=boot or "pairs",
        compare="ROUNDS" if retest else "CODERS",
    )
    study = _study(segments, lengths, coders, mode == "UNITS", units_everywhere)
    if retest:
        inputs = _retest_inputs(request, segments, lengths, coders, units=mode == "UNITS")
    else:
        inputs = AgreementInputs(request, 0.8, study, [ROUND], {}, None)
    try:
        result = assemble(inputs)
    except InvalidInput as exc:
        assert exc.message.strip()
        return
    groups = [result.coefficients]
    breakdowns = (
        result.per_code,
        result.per_document,
        result.per_round,
        result.coder_pairs,
        result.per_coder,
    )
    for items in breakdowns:
        groups.extend(b.coefficients for b in items)
    for group in groups:
        for name, c in group.items():
            honest_coefficient(name, c)
    for ch in result.character_per_document:
        honest_coefficient("percent_agreement", ch.percent_agreement)
        honest_coefficient("cohen_kappa", ch.cohen_kappa)
    for what in (result.parameters, result.counts):
        no_fake_words(strict_json_dump(what), "the parameters and counts")
    titles = {str(d.id): d.title for d in study.documents}
    html = report_html.render(result, "Project", titles)
    no_fake_words(_text_of(html), "the HTML report")
    assert not re.search(r"<td[^>]*>\s*</td>", html), "an empty cell in the report"
    # Every undefined coefficient a table shows comes with its reason.
    shown = [result.coefficients, *(b.coefficients for b in result.per_code)]
    shown += [b.coefficients for b in (*result.per_document, *result.per_coder)]
    shown += [
        {k: c for k, c in b.coefficients.items() if k == result.headline}
        for b in result.coder_pairs
    ]
    for group in shown:
        for name, c in group.items():
            if c.undefined_reason is not None:
                assert escape(c.undefined_reason) in html, f"{name}: no reason in the report"


def strict_json_dump(value: object) -> str:
    return json.dumps(value, allow_nan=False, default=str)


def _text_of(html: str) -> str:
    """The report's text, without the style sheet and tags (CSS has words like 'inline')."""
    body = re.sub(r"<style>.*?</style>", "", html, flags=re.DOTALL)
    return re.sub(r"<[^>]+>", " ", body)


# --- raw files: awkward cells, test–retest, and bad input --------------------------------

PLAIN_CELLS = ["1", "0", "2", "3", "2.5", "low", "high", ""]
AWKWARD_CELLS = ["-1", "01", "NA", "inf", "nan", "1e3", " 3 ", "x"]
HEADERS = {
    "long": "unit,coder,value",
    "retest": "unit,coder,value,round",
    "segments": "document,coder,code,start,end",
    "segments-retest": "document,coder,code,start,end,round",
}


def _mostly(draw: st.DrawFn, plain: list[str], awkward: list[str]) -> str:
    """A plain cell, and now and then an awkward one."""
    pool = awkward if draw(st.integers(0, 9)) == 0 else plain
    return draw(st.sampled_from(pool))


@st.composite
def raw_files(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A CSV text of one kind with awkward cells now and then, and the options to read it
    with; most files are readable, so most runs reach the outputs."""
    kind = draw(st.sampled_from(sorted(HEADERS)))
    segments = kind.startswith("segments")
    keys = [
        (item, coder, rnd)
        for item in ("a", "b", "c")
        for coder in ("k1", "k2", "k3")
        for rnd in (("T1", "T2") if kind.endswith("retest") else ("T1",))
    ]
    chosen = draw(st.lists(st.sampled_from(keys), unique=True, max_size=len(keys)))
    numeric = draw(st.booleans())
    rows = []
    for item, coder, rnd in chosen:
        if segments:
            start = int(_mostly(draw, ["0", "1", "3"], ["-2"]))
            end = start + int(_mostly(draw, ["1", "2", "4"], ["0"]))
            cells = [item, coder, draw(st.sampled_from(["x", "y"])), str(start), str(end)]
        else:
            plain = ["1", "0", "2", "3", ""] if numeric else ["low", "mid", "high", ""]
            cells = [item, coder, _mostly(draw, plain, AWKWARD_CELLS)]
        if kind.endswith("retest"):
            cells.append(rnd)
        rows.append(",".join(cells))
    level = draw(st.sampled_from(LEVELS))
    argv = ["--level", level, "--weights", draw(st.sampled_from(WEIGHT_NAMES))]
    if kind.endswith("retest"):
        argv += ["--round-column", "round"]
    if not segments and not numeric and level in ("nominal", "ordinal") and draw(st.booleans()):
        argv += ["--order", "low,mid,high"]
    if segments and draw(st.booleans()):
        argv += ["--extent", _mostly(draw, ["a=0:8", "b=0:9"], ["a=0:2", "b=3:1"])]
    if draw(st.booleans()):
        argv += ["--bootstrap", _mostly(draw, ["20"], ["0"])]
    return HEADERS[kind] + "\n" + "".join(r + "\n" for r in rows), argv


@SETTINGS
@given(drawn=raw_files())
def test_any_file_gives_an_honest_report_or_one_clear_error(drawn: tuple[str, list[str]]) -> None:
    text, options = drawn
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "data.csv"
        path.write_text(text, encoding="utf-8")
        argv = [str(path), *options]
        try:
            _check_cli(argv, intervals_asked="--bootstrap" in options)
        except SystemExit as exc:  # argparse refuses a malformed option: usage and one error
            assert exc.code == 2
