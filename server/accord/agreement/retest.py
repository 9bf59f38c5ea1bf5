"""Test–retest (intra-coder) reliability: stability of one coder across two rounds.

Krippendorff (2004, §11.1) calls it *stability*: the same coder codes the same material
twice, some time apart, and the two codings are compared as if two coders had made
them. Every coefficient applies unchanged, with the two rounds in the places of the two
coders. Accord reports it per coder and pooled: the pooled figure treats each coder's
units (or documents) as units of their own, rated once in each round, so a coder with
more units weighs more, exactly as in the per-coder tables summed.

A coder who coded in only one of the two rounds has nothing to compare and is listed in
``coders_left_out`` with the reason; a unit a coder rated in one round only is not
pairable and is counted as excluded, as any unit with a single value.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from accord.agreement.alpha import Level
from accord.agreement.bootstrap import BootstrapSettings
from accord.agreement.errors import AgreementInputError
from accord.agreement.extents import complete_extents, extent_warnings
from accord.agreement.reliability_data import ReliabilityData
from accord.agreement.report import (
    ReliabilityReport,
    SegmentReport,
    reliability_report,
    segment_report,
)
from accord.agreement.result import RELIABLE
from accord.agreement.segments import Segment, Unit
from accord.agreement.weights import WeightName

Report = ReliabilityReport | SegmentReport
#: (unit, coder, round, value): one rating in one round.
RoundRating = tuple[str, str, str, object]

ONE_ROUND = "coded in only one of the two rounds, so there is nothing to compare"


def pooled_name(item: str, coder: str) -> str:
    """The unit (or document) of one coder in the pooled table."""
    return f"{item} ({coder})"


def choose_rounds(found: Sequence[str], rounds: Sequence[str] | None) -> tuple[str, str]:
    """The two rounds compared: those named, or the only two the data holds."""
    present = list(dict.fromkeys(found))
    if rounds is not None:
        if len(rounds) != 2 or rounds[0] == rounds[1]:
            raise AgreementInputError("test–retest compares exactly two different rounds")
        for r in rounds:
            if r not in present:
                raise AgreementInputError(
                    f"round {r!r} is not in the data (rounds found: "
                    f"{', '.join(repr(p) for p in present)})"
                )
        return rounds[0], rounds[1]
    if len(present) != 2:
        raise AgreementInputError(
            f"test–retest compares exactly two rounds, but the data holds {len(present)} "
            f"({', '.join(repr(p) for p in present[:6])}); name the two to compare"
        )
    return present[0], present[1]


@dataclass(frozen=True)
class RetestReport:
    """Stability per coder and pooled, with the rounds named in order."""

    rounds: tuple[str, str]
    pooled: Report
    per_coder: dict[str, Report]
    coders_left_out: dict[str, str]
    warnings: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "input": {
                "kind": "test-retest",
                "rounds": list(self.rounds),
                "coders": list(self.per_coder),
                "coders_left_out": dict(self.coders_left_out),
                "warnings": list(self.warnings),
            },
            "pooled": self.pooled.to_json(),
            "per_coder": {c: r.to_json() for c, r in self.per_coder.items()},
        }


def _split(
    coders: Sequence[str], in_round: Mapping[str, set[str]]
) -> tuple[list[str], dict[str, str]]:
    both = [c for c in coders if len(in_round[c]) == 2]
    left_out = {c: ONE_ROUND for c in coders if len(in_round[c]) < 2}
    if not both:
        raise AgreementInputError(
            "no coder coded in both rounds, so test–retest reliability cannot be computed"
        )
    return both, left_out


def reliability_retest(
    ratings: Sequence[RoundRating],
    *,
    rounds: Sequence[str] | None = None,
    level: Level = "nominal",
    weights: WeightName = "identity",
    value_order: Sequence[object] | None = None,
    bootstrap: BootstrapSettings | None = None,
    alpha_min: float = RELIABLE,
) -> RetestReport:
    """Stability from (unit, coder, round, value) ratings: every coefficient per coder,
    the two rounds as its two "coders", and pooled over coders."""
    first, second = choose_rounds([r[2] for r in ratings], rounds)
    kept = [r for r in ratings if r[2] in (first, second)]
    coders = list(dict.fromkeys(r[1] for r in kept))
    in_round: dict[str, set[str]] = {c: set() for c in coders}
    for _, coder, the_round, _ in kept:
        in_round[coder].add(the_round)
    both, left_out = _split(coders, in_round)
    # The first round's column first, whatever the rows' order.
    ordered = sorted((r for r in kept if r[1] in both), key=lambda r: r[2] != first)

    def report(rows: list[RoundRating], unit_name: Any) -> ReliabilityReport:
        data = ReliabilityData.from_long(
            [unit_name(r) for r in rows], [r[2] for r in rows], [r[3] for r in rows],
            value_order=value_order,
        )  # fmt: skip
        return reliability_report(
            data, level=level, weights=weights, bootstrap=bootstrap, alpha_min=alpha_min
        )

    per_coder: dict[str, Report] = {
        c: report([r for r in ordered if r[1] == c], lambda r: r[0]) for c in both
    }
    pooled = report(ordered, lambda r: pooled_name(r[0], r[1]))
    return RetestReport((first, second), pooled, per_coder, left_out)


def segment_retest(
    segments: Sequence[tuple[str, Segment]],
    extents: Mapping[str, tuple[int, int]] | None = None,
    *,
    rounds: Sequence[str] | None = None,
    documents_by_coder: Mapping[str, Collection[str]] | None = None,
    units: Sequence[Unit] | None = None,
    min_coverage: float = 0.0,
    overlap_percent: float = 90.0,
    bootstrap: BootstrapSettings | None = None,
    alpha_min: float = RELIABLE,
) -> RetestReport:
    """Stability from (round, segment) pairs: each coder's two rounds as two coders on
    the documents they coded in both, and pooled with each (document, coder) as a
    document of its own.

    ``documents_by_coder`` names, per coder, the documents they coded in both rounds
    (an empty layer included); ``None`` takes every document on which the coder has a
    segment in either round, a round without one there counting as an empty layer.
    """
    first, second = choose_rounds([r for r, _ in segments], rounds)
    kept = [(r, s) for r, s in segments if r in (first, second)]
    full, assumed = complete_extents([s for _, s in kept], extents)
    coders = list(dict.fromkeys(s.coder for _, s in kept))
    if documents_by_coder is not None:
        coders = list(dict.fromkeys([*coders, *documents_by_coder]))
    in_round: dict[str, set[str]] = {c: set() for c in coders}
    for r, s in kept:
        in_round[s.coder].add(r)
    if documents_by_coder is not None:
        for c, docs in documents_by_coder.items():
            if docs:
                in_round[c] = {first, second}
    both, left_out = _split(coders, in_round)
    docs_of: dict[str, list[str]] = {}
    for c in both:
        if documents_by_coder is not None:
            docs_of[c] = [d for d in full if d in set(documents_by_coder.get(c, ()))]
        else:
            docs_of[c] = list(dict.fromkeys(s.document for _, s in kept if s.coder == c))
    pair = [first, second]

    def run(segs: list[Segment], ext: dict[str, tuple[int, int]], unit_list: Any) -> Report:
        return segment_report(
            segs, ext, coders=pair, units=unit_list, min_coverage=min_coverage,
            overlap_percent=overlap_percent, bootstrap=bootstrap, alpha_min=alpha_min,
        )  # fmt: skip

    per_coder: dict[str, Report] = {}
    pooled_segments: list[Segment] = []
    pooled_extents: dict[str, tuple[int, int]] = {}
    pooled_units: list[Unit] | None = [] if units is not None else None
    for c in both:
        docs = set(docs_of[c])
        segs = [
            Segment(s.document, r, s.code, s.start, s.end)
            for r, s in kept
            if s.coder == c and s.document in docs
        ]
        ext = {d: full[d] for d in docs_of[c] if d in full}
        mine = [u for u in units if u.document in ext] if units is not None else None
        per_coder[c] = run(segs, ext, mine)
        pooled_segments.extend(
            Segment(pooled_name(s.document, c), s.coder, s.code, s.start, s.end) for s in segs
        )
        pooled_extents.update({pooled_name(d, c): e for d, e in ext.items()})
        if pooled_units is not None and mine is not None:
            pooled_units.extend(
                Unit(pooled_name(u.document, c), u.unit, u.start, u.end) for u in mine
            )
    pooled = run(pooled_segments, pooled_extents, pooled_units)
    return RetestReport(
        (first, second), pooled, per_coder, left_out, tuple(extent_warnings(assumed))
    )
