"""How much work an agreement report asks for, estimated before the heavy part runs.

The estimate counts what the engine's time grows with, in units of roughly a
microsecond of one core on the machine the numbers were calibrated on
(``bench/agreement_limits.py``). One report is many engine runs: overall, one per
document, one per coder pair, one per coder against the consensus layer, and one per
other round. Each run costs about

    a·S + U·C·(b + c·K) + U·V·m + V²·n + R·(d·K + e·min(V²/2, U·C²/2))

for S segments, U predefined units (UNITS mode), C coders, K codes, V distinct sets of
codes given to a unit (the values of the MASI α) and R bootstrap resamples: segments
are sorted and swept, units become presence tables, the MASI α builds units × sets
counts and a sets × sets distance table, and each resample redraws every code's α and
the MASI α's coincidence cells. In CONTINUUM mode the bootstrap is a cluster bootstrap
over documents: each resample recomputes α_U and the 2016 family on a resampled set of
documents, about R·(f + g·S) for a run over two or more documents (a run over one
document has nothing to resample).

It is checked twice. On the event loop, before anything is computed, without the
V terms (S, U, C, K and R are known from the data read). In the worker, before the
engine runs, with V counted from the units (cheap next to what it guards). Both refuse
with TOO_LARGE and say what to reduce; the time budget stops whatever is still too slow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from accord.config import Settings
from accord.errors import InvalidInput, TooLarge

if TYPE_CHECKING:
    from accord.reports.agreement_compute import AgreementInputs
    from accord.reports.agreement_data import Study

MIN_RESAMPLES = 100

# Calibrated with bench/agreement_limits.py (microseconds per item).
PER_SEGMENT = 5.0  # a
PER_UNIT_CODER = 3.0  # b
PER_UNIT_CODER_CODE = 0.4  # c
PER_UNIT_SET = 0.13  # m
PER_SET_PAIR = 0.07  # n
PER_RESAMPLE_CODE = 2.5  # d
PER_RESAMPLE_CELL = 0.05  # e
# α's bootstrap over units (bootstrap.method UNITS): each resample draws over the
# distinct unit patterns, for each code's α and the MASI α (bench/agreement_intervals.py
# (e): per resample and pattern).
PER_RESAMPLE_UNIT = 0.25  # h
# The continuum's cluster bootstrap, measured on a shared 2-core machine (per resample,
# bench/agreement_intervals.py (f)).
PER_RESAMPLE_RUN = 1500.0  # f
PER_RESAMPLE_SEGMENT = 2.0  # g


@dataclass(frozen=True)
class AgreementLimits:
    max_resamples: int = 20_000
    max_work: int = 30_000_000

    @classmethod
    def of(cls, settings: Settings) -> AgreementLimits:
        return cls(settings.max_bootstrap_resamples, settings.max_agreement_work)


@dataclass(frozen=True)
class Work:
    """An estimate and the sizes it came from, to tell the caller what to reduce."""

    total: int
    segments: int
    units: int
    coders: int
    codes: int
    resamples: int
    runs: int
    bootstrap_share: float


def check_resamples(resamples: int | None, limits: AgreementLimits | None) -> None:
    if resamples is None:
        return
    if resamples < MIN_RESAMPLES:
        raise InvalidInput(
            f"A bootstrap takes at least {MIN_RESAMPLES} resamples.", field="bootstrap"
        )
    if limits is not None and resamples > limits.max_resamples:
        raise TooLarge(
            f"A bootstrap takes at most {limits.max_resamples:,} resamples on this server "
            f"(ACCORD_MAX_BOOTSTRAP_RESAMPLES); {resamples:,} were asked for.",
            field="bootstrap",
        )


def _run(
    s: float, u: float, c: float, k: float, r: float, v: float | None, by_units: bool = False
) -> tuple[float, float]:
    """(work without the bootstrap, work of the bootstrap) of one engine run; ``v`` is
    the number of distinct code sets, ``None`` while unknown (its terms left out);
    ``by_units``: α's bootstrap resamples units (h·R per α and distinct unit pattern)
    rather than value pairs."""
    base = PER_SEGMENT * s + u * c * (PER_UNIT_CODER + PER_UNIT_CODER_CODE * k)
    if not u:
        return base, 0.0
    boot = r * PER_RESAMPLE_CODE * k
    if by_units:
        # Resampling draws over distinct unit patterns: a code's presence table has at
        # most (C + 1)(C + 2)/2 of them, the MASI α at most one per unit.
        boot += r * PER_RESAMPLE_UNIT * (k * min(u, (c + 1) * (c + 2) / 2) + u)
    if v is not None:
        v = min(v, u * c + 1)
        base += PER_UNIT_SET * u * v + PER_SET_PAIR * v * v
        # Non-zero coincidence cells: pairs of sets, and at most C·(C−1)/2 per unit.
        boot += r * PER_RESAMPLE_CELL * min(v * (v + 1) / 2, u * c * (c - 1) / 2)
    return base, boot


def _sizes(study: Study) -> tuple[int, int, int, int]:
    """(segments, units, coders, codes) of a study."""
    segments = len(study.segments)
    units = len(study.units) if study.units is not None else 0
    codes = len({s.code for s in study.segments})
    return segments, units, len(study.coders), codes


def estimate(inputs: AgreementInputs, distinct_sets: int | None = None) -> Work:
    req, study = inputs.request, inputs.study
    r = float(req.bootstrap_resamples or 0)
    s, u, c, k = _sizes(study)
    v = distinct_sets
    d = max(1, len(study.documents))
    pairs = sum(
        1
        for i, a in enumerate(study.coders.values())
        for b in list(study.coders.values())[i + 1 :]
        if any({a, b} <= who for who in study.coders_by_document.values())
    )
    versus = c if inputs.consensus is not None else 0
    continuum = 0.0
    if req.unit_mode == "CONTINUUM" and r:
        # Overall, coder pairs and coder-versus-consensus runs span the documents; the
        # per-document runs have one document each and resample nothing.
        if d >= 2:
            continuum += r * (PER_RESAMPLE_RUN + PER_RESAMPLE_SEGMENT * s)
            continuum += (
                (pairs + versus) * r * (PER_RESAMPLE_RUN + PER_RESAMPLE_SEGMENT * 2 * s / max(c, 1))
            )
        for other in inputs.other_studies.values():
            if other is not None and len(other.documents) >= 2:
                continuum += r * (PER_RESAMPLE_RUN + PER_RESAMPLE_SEGMENT * len(other.segments))
    by_units = req.bootstrap_method == "units"
    runs = [
        _run(s, u, c, k, r, v, by_units),  # overall
        # One run per document: the data divides, each run still bootstraps every code.
        tuple(d * part for part in _run(s / d, u / d, c, k, r, v, by_units)),
        *[_run(2 * s / max(c, 1), u, 2, k, r, v, by_units)] * (pairs + versus),
    ]
    for other in inputs.other_studies.values():
        if other is not None:
            runs.append(_run(*_sizes(other), r, v, by_units))
    base = sum(b for b, _ in runs)
    boot = sum(b for _, b in runs) + continuum
    return Work(
        total=int(base + boot),
        segments=s,
        units=u,
        coders=c,
        codes=k,
        resamples=int(r),
        runs=1 + d + pairs + versus + sum(1 for o in inputs.other_studies.values() if o),
        bootstrap_share=boot / (base + boot) if base + boot else 0.0,
    )


def check_work(
    inputs: AgreementInputs, limits: AgreementLimits, distinct_sets: int | None = None
) -> Work:
    """The estimate, or TOO_LARGE with the sizes and what would help most."""
    work = estimate(inputs, distinct_sets)
    if work.total <= limits.max_work:
        return work
    if work.bootstrap_share >= 0.5 and not work.units:
        advice = (
            "ask for fewer bootstrap resamples (or none): the continuum's cluster bootstrap "
            "recomputes every coefficient on each resample"
        )
    elif work.bootstrap_share >= 0.5:
        advice = (
            "ask for fewer bootstrap resamples (or none), or choose larger units "
            "(paragraphs or speaker turns rather than sentences)"
        )
    elif work.units:
        advice = "choose larger units, or compare fewer documents, coders or codes"
    else:
        advice = "compare fewer documents, coders or codes (documentIds, coderIds, codeIds)"
    units = f", {work.units:,} units" if work.units else ""
    if distinct_sets is not None and work.units:
        units += f" holding {distinct_sets:,} different sets of codes"
    boot = f", {work.resamples:,} bootstrap resamples" if work.resamples else ""
    raise TooLarge(
        f"This agreement report is too large to compute: an estimated {work.total:,} work "
        f"units, over this server's limit of {limits.max_work:,} "
        f"(ACCORD_MAX_AGREEMENT_WORK). It compares {work.segments:,} segments"
        f"{units}, {work.coders} coders and {work.codes} codes{boot} in {work.runs} runs "
        f"(overall, per document, per coder pair and per round). To make it smaller, {advice}."
    )
