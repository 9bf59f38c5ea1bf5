"""``accord agreement FILE --round-column NAME``: test–retest reliability from a CSV.

Reliability data (``unit,coder,value`` plus the round column) gives every coefficient
per coder and pooled; coded segments (``document,coder,code,start,end`` plus the round
column) give the continuum coefficients the same way. See :mod:`accord.agreement.retest`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from accord.agreement.bootstrap import BootstrapSettings
from accord.agreement.errors import AgreementInputError
from accord.agreement.readers import (
    detect_kind,
    parse_extent,
    read_ratings,
    read_segment_rounds,
    read_units,
)
from accord.agreement.report import ReliabilityReport, SegmentReport
from accord.agreement.retest import RetestReport, reliability_retest, segment_retest

Render = Callable[[ReliabilityReport | SegmentReport, float], str]


def order_of(args: argparse.Namespace) -> list[str] | None:
    """``--order`` as a list of labels."""
    if args.order is None:
        return None
    labels = [v.strip() for v in str(args.order).split(",")]
    if any(not v for v in labels) or len(set(labels)) != len(labels):
        raise AgreementInputError(
            f"--order {args.order!r}: list every label once, separated by commas"
        )
    return labels


def _rounds(args: argparse.Namespace) -> list[str] | None:
    if args.rounds is None:
        return None
    names = [r.strip() for r in str(args.rounds).split(",")]
    if len(names) != 2 or not all(names):
        raise AgreementInputError(
            f"--rounds {args.rounds!r}: name exactly two rounds, FIRST,SECOND"
        )
    return names


def compute_retest(args: argparse.Namespace) -> RetestReport:
    path: Path = args.file
    if path.is_dir():
        raise AgreementInputError(f"{path}: is a directory, not a CSV file")
    if args.wide or path.suffix.lower() == ".qdpx":
        raise AgreementInputError(
            "--round-column needs a long CSV file (unit,coder,value or "
            "document,coder,code,start,end, plus the round column)"
        )
    bootstrap = None
    if args.bootstrap is not None:
        bootstrap = BootstrapSettings(
            resamples=args.bootstrap, seed=args.seed, alpha_min=args.alpha_min
        )
    if detect_kind(path) == "reliability":
        numeric = args.level in ("interval", "ratio")
        if args.order is not None and numeric:
            raise AgreementInputError(
                f"--order gives the order of text labels, but the {args.level} level reads "
                "every value as a number"
            )
        ratings = read_ratings(path, numeric=numeric, round_column=args.round_column)
        return reliability_retest(
            [(u, c, r or "", v) for u, c, r, v in ratings],
            rounds=_rounds(args),
            level=args.level,
            weights=args.weights,
            value_order=None if numeric else order_of(args),
            bootstrap=bootstrap,
            alpha_min=args.alpha_min,
        )
    if args.order is not None:
        raise AgreementInputError("--order is for reliability data, not coded segments")
    return segment_retest(
        read_segment_rounds(path, args.round_column),
        dict(parse_extent(e) for e in args.extent),
        rounds=_rounds(args),
        units=read_units(args.units) if args.units is not None else None,
        min_coverage=args.min_coverage,
        overlap_percent=args.overlap,
        bootstrap=bootstrap,
        alpha_min=args.alpha_min,
    )


def render_retest(report: RetestReport, alpha_min: float, render: Render) -> str:
    """The readable test–retest report: pooled, then each coder."""
    first, second = report.rounds
    lines = [
        f"test-retest (intra-coder) reliability: round {first!r} against round {second!r}, "
        "each coder's two rounds compared as two coders (stability)"
    ]
    lines.extend(f"warning: {w}" for w in report.warnings)
    lines.extend(f"left out: coder {c!r}, {reason}" for c, reason in report.coders_left_out.items())
    lines.append("")
    lines.append(f"pooled over {len(report.per_coder)} coders:")
    lines.append(render(report.pooled, alpha_min))
    for coder, sub in report.per_coder.items():
        lines.append("")
        lines.append(f"coder {coder!r}:")
        lines.append(render(sub, alpha_min))
    return "\n".join(lines)
