"""``accord agreement FILE``: the agreement report from a CSV file, with no server.

The input kind is read from the header: ``unit,coder,value`` (reliability data, long),
``document,coder,code,start,end`` (coded segments), or with ``--wide`` one row per unit
and one column per coder. A REFI-QDA project (``.qdpx``) gives coded segments: each user
is a coder and each text source a continuum. Bad input ends with one line on stderr and
exit code 2.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from textwrap import fill

from accord.agreement.alpha import LEVELS
from accord.agreement.bootstrap import BOOTSTRAP_METHODS, BootstrapSettings
from accord.agreement.cli_retest import compute_retest, order_of, render_retest
from accord.agreement.cli_text import render_table
from accord.agreement.errors import AgreementInputError
from accord.agreement.json_out import dumps
from accord.agreement.naming import VERDICT_RULE
from accord.agreement.readers import (
    detect_kind,
    parse_extent,
    read_reliability_long,
    read_reliability_wide,
    read_segments,
    read_units,
)
from accord.agreement.report import (
    ReliabilityReport,
    SegmentReport,
    reliability_report,
    segment_report,
)
from accord.agreement.result import RELIABLE, TENTATIVE
from accord.agreement.retest import RetestReport
from accord.agreement.segments import Segment
from accord.agreement.variance import VarianceSettings
from accord.agreement.weights import WEIGHT_NAMES
from accord.interop import FormatError, read_qdpx

DESCRIPTION = """\
Compute inter-coder agreement from a CSV file, with no server and no database.

The kind of file is read from its header:

  unit,coder,value                 reliability data, one rating per row (blank = missing)
  document,coder,code,start,end    coded segments (offsets in characters, end exclusive)

With --wide the file has one row per unit: the first column is the unit id and every
further column holds one coder's values.

Values are compared as written at the nominal level: "1", "1.0" and "01" are three
categories. Values are read as numbers only for the interval and ratio levels, and for
the ordinal level and weights when every value is a number. Text labels have no order of
their own: the ordinal level and weights on labels need --order (low,mid,high); the
interval and ratio levels need numbers; ratio data cannot be negative. A blank cell or NA
is a missing value; inf, Infinity and nan are refused.

Test-retest (intra-coder) reliability: with --round-column NAME each row also names the
round it was coded in; each coder's two rounds are compared as two coders (stability),
per coder and pooled over coders.

Columns may be separated by commas, semicolons or tabs; the separator is read from the
header.

A REFI-QDA project (.qdpx, from NVivo, ATLAS.ti, MAXQDA, QualCoder or Accord) is read as
coded segments: every user with at least one coding is a coder (on a source they left
uncoded they coded nothing there); a user with no coding at all, such as a project
lead, is left out and the output says so. Every text source is a continuum from 0 to the
end of its text, and positions are converted to code points as for an import.

Reliability data gives percent agreement, Krippendorff's alpha, Cohen's kappa (two
coders), Scott's pi, Fleiss' kappa, Conger's kappa, Brennan-Prediger and Gwet's AC1.
Segments give Krippendorff's unitizing alpha (2004) and the 2016 family (u-alpha,
binary u-alpha, cu-alpha) overall, and per code alpha_U, (k)u-alpha, MAXQDA-style
segment matching and NVivo-style character kappa. With --units, per-code unit-based
coefficients and alpha with the MASI distance are added.
"""

EPILOG = f"""\
verdicts follow Krippendorff (2004, p. 241): alpha >= {RELIABLE:.3f} reliable, {TENTATIVE:.3f} to
{RELIABLE:.3f} tentative, below that not reliable (--alpha-min moves the upper threshold).
{fill(VERDICT_RULE, 88)}

The text output names coefficients as the literature does, ends with a methods
paragraph for a paper, and shows percent agreement as a percentage; --format json keeps
the machine ids (krippendorff_alpha, u_alpha, ...) and proportions.

examples:
  accord agreement ratings.csv --level ordinal --bootstrap 10000 --seed 1
  accord agreement ratings_wide.csv --wide --weights quadratic --format json
  accord agreement codings.csv --extent interview1=0:48211 --units paragraphs.csv
  accord agreement study.qdpx --format json
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``agreement`` subcommand to the ``accord`` command line."""
    parser = subparsers.add_parser(
        "agreement",
        help="compute inter-coder agreement from a CSV file or a REFI-QDA project",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_arguments(parser)
    parser.set_defaults(handler=run)


def finite_float(text: str) -> float:
    """A number given on the command line; inf and nan are refused."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", metavar="FILE", type=Path, help="the CSV file, or REFI-QDA .qdpx project, to read"
    )
    parser.add_argument(
        "--wide",
        action="store_true",
        help="reliability data with one row per unit and one column per coder",
    )
    parser.add_argument(
        "--level",
        choices=LEVELS,
        default="nominal",
        help="level of measurement for Krippendorff's alpha (default: nominal); "
        "interval and ratio read every value as a number",
    )
    parser.add_argument(
        "--order",
        metavar="LOW,MID,HIGH",
        help="the order of text labels, lowest first, which the ordinal level and weights "
        "need for labels (every value in the data must be listed)",
    )
    parser.add_argument(
        "--round-column",
        metavar="NAME",
        help="test-retest reliability: the column naming the round each row was coded in "
        "(unit,coder,value or document,coder,code,start,end files)",
    )
    parser.add_argument(
        "--rounds",
        metavar="FIRST,SECOND",
        help="with --round-column: the two rounds to compare (default: the only two)",
    )
    parser.add_argument(
        "--weights",
        choices=WEIGHT_NAMES,
        default="identity",
        help="agreement weights for the kappas, Brennan-Prediger and Gwet's AC2, as in "
        "irrCAC (default: identity, i.e. unweighted)",
    )
    parser.add_argument(
        "--extent",
        action="append",
        default=[],
        metavar="DOCUMENT=START:END",
        help="the continuum of a document for segment input; repeat per document "
        "(default: 0 to the document's largest segment end, with a warning: every "
        "continuum coefficient depends on it)",
    )
    parser.add_argument(
        "--units",
        type=Path,
        metavar="FILE",
        help="predefined units (CSV document,unit,start,end) for unit-based coefficients",
    )
    parser.add_argument(
        "--min-coverage",
        type=finite_float,
        default=0.0,
        metavar="SHARE",
        help="share of a unit a coder's segment must cover for the code to count as "
        "present (0-1; default 0 = any overlap)",
    )
    parser.add_argument(
        "--overlap",
        type=finite_float,
        default=90.0,
        metavar="P",
        help="percent overlap at which two segments match (default: 90)",
    )
    parser.add_argument(
        "--bootstrap",
        type=int,
        metavar="N",
        help="bootstrap N resamples for alpha's confidence interval (Hayes & Krippendorff 2007)",
    )
    parser.add_argument(
        "--bootstrap-method",
        choices=BOOTSTRAP_METHODS,
        default="pairs",
        help="what alpha's bootstrap resamples: value pairs from the coincidence matrix, "
        "as Hayes & Krippendorff (2007) and KALPHA do (default), or whole units, which is "
        "wider with many coders. Segment input always resamples documents for the "
        "continuum coefficients (a cluster bootstrap)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="random seed for the bootstrap (default: 0)"
    )
    parser.add_argument(
        "--population",
        type=int,
        metavar="N",
        help="number of units in the population the rated units were drawn from, for the "
        "finite-population correction of the standard errors (default: none, an "
        "infinite population)",
    )
    parser.add_argument(
        "--alpha-min",
        type=finite_float,
        default=RELIABLE,
        metavar="X",
        help=f"smallest acceptable alpha, for the verdict and q(alpha < X) (default: {RELIABLE})",
    )
    parser.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="a readable table (default) or one JSON object",
    )


def run(args: argparse.Namespace) -> int:
    """Run the ``agreement`` command; returns the process exit code."""
    try:
        report: ReliabilityReport | SegmentReport | RetestReport = (
            compute_retest(args) if args.round_column is not None else _compute(args)
        )
    except AgreementInputError as exc:
        message = " ".join(str(exc).split())
        print(f"accord agreement: error: {message}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(dumps(report.to_json()))
    elif isinstance(report, RetestReport):
        print(render_retest(report, args.alpha_min, lambda r, _: render_table(r, methods=False)))
    else:
        print(render_table(report))
    return 0


def _compute(args: argparse.Namespace) -> ReliabilityReport | SegmentReport:
    bootstrap = None
    if args.bootstrap is not None:
        bootstrap = BootstrapSettings(
            resamples=args.bootstrap,
            seed=args.seed,
            alpha_min=args.alpha_min,
            method=args.bootstrap_method,
        )
    variance = VarianceSettings(population=args.population)
    path: Path = args.file
    if path.is_dir():
        raise AgreementInputError(f"{path}: is a directory, not a CSV file")
    numeric = args.level in ("interval", "ratio")
    if args.wide and path.suffix.lower() == ".qdpx":
        raise AgreementInputError(f"{path}: --wide is for CSV files, not REFI-QDA projects")
    if args.rounds is not None:
        raise AgreementInputError("--rounds needs --round-column")
    if args.order is not None and numeric:
        raise AgreementInputError(
            f"--order gives the order of text labels, but the {args.level} level reads every "
            "value as a number"
        )
    if args.wide:
        data = read_reliability_wide(path, numeric=numeric, value_order=order_of(args))
        return reliability_report(
            data,
            level=args.level,
            weights=args.weights,
            bootstrap=bootstrap,
            alpha_min=args.alpha_min,
            variance=variance,
        )
    if path.suffix.lower() != ".qdpx" and detect_kind(path) == "reliability":
        data = read_reliability_long(path, numeric=numeric, value_order=order_of(args))
        return reliability_report(
            data,
            level=args.level,
            weights=args.weights,
            bootstrap=bootstrap,
            alpha_min=args.alpha_min,
            variance=variance,
        )
    if args.order is not None:
        raise AgreementInputError("--order is for reliability data, not coded segments")
    extents = dict(parse_extent(e) for e in args.extent)
    units = read_units(args.units) if args.units is not None else None
    coders: list[str] | None = None
    left_out: list[str] | None = None
    if path.suffix.lower() == ".qdpx":
        segments, refi_extents, coders, left_out = read_refi_segments(path)
        extents = {**refi_extents, **extents}
    else:
        segments = read_segments(path)
    report = segment_report(
        segments,
        extents,
        coders=coders,
        units=units,
        min_coverage=args.min_coverage,
        overlap_percent=args.overlap,
        bootstrap=bootstrap,
        alpha_min=args.alpha_min,
    )
    if left_out is not None:
        report.input["users_left_out"] = left_out
    return report


def read_refi_segments(
    path: Path,
) -> tuple[list[Segment], dict[str, tuple[int, int]], list[str], list[str]]:
    """Segments, each text source's extent, the coders (every user with a coding), and
    the users left out because they coded nothing at all, from a .qdpx."""
    try:
        project, _report = read_qdpx(path)
    except FormatError as exc:
        raise AgreementInputError(f"{path}: {exc.message}") from None
    titles = [d.title for d in project.documents]
    # Titles name documents in the report; a title two sources share falls back to GUIDs.
    documents = {
        d.guid: d.title if titles.count(d.title) == 1 else f"{d.title} ({d.guid})"
        for d in project.documents
    }
    users = [u.email or u.name for u in project.users]
    coder_of = {
        u.guid: (u.email or u.name) if users.count(u.email or u.name) == 1 else u.guid
        for u in project.users
    }
    names = [c.name for c in project.codes]
    by_guid = {c.guid: c for c in project.codes}

    def label(guid: str) -> str:
        code = by_guid[guid]
        if names.count(code.name) == 1:
            return code.name
        path_names = [code.name]
        while code.parent_guid in by_guid and len(path_names) <= len(names):
            code = by_guid[code.parent_guid]
            path_names.append(code.name)
        return " > ".join(reversed(path_names))

    segments = [
        Segment(
            documents[c.document_guid], coder_of[c.user_guid], label(c.code_guid), c.start, c.end
        )
        for c in project.codings
    ]
    if not segments:
        raise AgreementInputError(f"{path}: the project has no codings on text sources")
    extents = {documents[d.guid]: (0, len(d.text)) for d in project.documents if d.text}
    coding = {c.user_guid for c in project.codings}
    coders = list(dict.fromkeys(coder_of[u.guid] for u in project.users if u.guid in coding))
    left_out = [coder_of[u.guid] for u in project.users if u.guid not in coding]
    if len(coders) < 2:
        skipped = f"; left out as they coded nothing: {', '.join(left_out)}" if left_out else ""
        raise AgreementInputError(
            f"{path}: fewer than two users coded anything (found {len(coders)}: "
            f"{', '.join(coders)}{skipped}); agreement needs at least two"
        )
    return segments, extents, coders, left_out


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="accord")
    register(parser.add_subparsers(dest="command", required=True))
    return parser


def main(argv: list[str] | None = None) -> int:
    """Standalone entry point: ``main(["agreement", "file.csv", ...])`` or the bare args."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or args_list[0] != "agreement":
        args_list = ["agreement", *args_list]
    args = build_parser().parse_args(args_list)
    handler = args.handler
    code: int = handler(args)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
