"""Benchmark of the agreement intervals (issue #15): standard errors, α's bootstraps and
the continuum's cluster bootstrap, each against a baseline in the same run.

Run from the repository root:  python bench/agreement_intervals.py  [--quick]

(d) Gwet's standard errors on 10 coders × 1,000,000 units × 5 values, 10 % missing:
    every reliability coefficient with and without them (the baseline).
(e) α's bootstrap over units, 10,000 resamples, on the data of (d), against the
    bootstrap over value pairs (the baseline). Its cost grows with resamples × distinct
    unit patterns (how many coders gave each value), at most C(m + V, V) whatever the
    number of units.
(f) the continuum's cluster bootstrap over documents, 100 resamples, on 20 documents ×
    5,000 characters, 4 coders, 20 codes: per resample, against one plain segment_report
    (the baseline). It calibrates PER_RESAMPLE_RUN and PER_RESAMPLE_SEGMENT in
    server/accord/reports/agreement_cost.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from agreement import reliability_matrix, row, study, timed

from accord.agreement import report as report_module
from accord.agreement.alpha import krippendorff_alpha
from accord.agreement.bootstrap import BootstrapSettings
from accord.agreement.coincidence import value_counts
from accord.agreement.continuum_bootstrap import cluster_bootstrap
from accord.agreement.reliability_data import ReliabilityData
from accord.agreement.report import reliability_coefficients, segment_report
from accord.agreement.segments import build_table


def case_d(data: ReliabilityData) -> list[str]:
    t_with, (with_se, _) = timed(lambda: reliability_coefficients(data), repeat=2)
    original = report_module.with_standard_errors
    report_module.with_standard_errors = lambda out, *_: out  # type: ignore[assignment]
    try:
        t_without, _ = timed(lambda: reliability_coefficients(data), repeat=2)
    finally:
        report_module.with_standard_errors = original
    se = with_se["fleiss_kappa"].standard_error
    return [
        f"**(d) standard errors, {data.n_coders} coders × {data.n_units:,} units** "
        f"(Fleiss' κ = {with_se['fleiss_kappa'].value:.6f}, SE = {se:.6f})",
        "",
        "| run | time | peak memory | ratio |",
        "| --- | --- | --- | --- |",
        row("every coefficient with Gwet's SEs and intervals", t_with, None,
            f"{t_with / t_without:.2f}× the baseline's time"),
        row("every coefficient without them (baseline)", t_without, None, "1×"),
    ]  # fmt: skip


def case_e(data: ReliabilityData, units: int, resamples: int) -> list[str]:
    data = ReliabilityData(
        codes=data.codes[:units],
        values=data.values,
        units=data.units[:units],
        coders=data.coders,
        numeric=data.numeric,
    )
    counts = value_counts(data)
    patterns = len(np.unique(counts[counts.sum(axis=1) >= 2], axis=0))

    def boot(method: str) -> float | None:
        settings = BootstrapSettings(resamples=resamples, seed=1, method=method)  # type: ignore[arg-type]
        c = krippendorff_alpha(counts, data.values, "nominal", bootstrap=settings)
        return None if c.interval is None else c.interval.high - c.interval.low

    t_units, width_units = timed(lambda: boot("units"))
    t_pairs, width_pairs = timed(lambda: boot("pairs"))
    assert width_units is not None and width_pairs is not None
    return [
        f"**(e) α's bootstrap, {resamples:,} resamples, {data.n_units:,} units, "
        f"{patterns:,} distinct unit patterns** (interval width: units {width_units:.5f}, "
        f"pairs {width_pairs:.5f})",
        "",
        "| run | time | peak memory | ratio |",
        "| --- | --- | --- | --- |",
        row("α + bootstrap over units (distinct unit patterns, one multinomial per "
            "resample)", t_units, None, f"{t_units / t_pairs:.1f}× the baseline's time"),
        row("α + bootstrap over value pairs (baseline)", t_pairs, None, "1×"),
    ]  # fmt: skip


def case_f(rng: np.random.Generator, docs: int, length: int, resamples: int) -> list[str]:
    segments = study(rng, docs, length, 20)
    extents = {f"doc{d}": (0, length) for d in range(docs)}
    t_plain, _ = timed(lambda: segment_report(segments, extents), repeat=2)
    table = build_table(segments, extents)
    settings = BootstrapSettings(resamples=resamples, seed=1)
    t_boot, _ = timed(lambda: cluster_bootstrap(table, report_module.continuum_values, settings))
    per = t_boot / resamples
    return [
        f"**(f) cluster bootstrap over documents, {resamples} resamples, {docs} documents × "
        f"{length:,} characters, {len(segments):,} segments**",
        "",
        "| run | time | peak memory | ratio |",
        "| --- | --- | --- | --- |",
        row(f"{resamples} resamples (α_U per code and overall, uα, |uα, cuα, (k)uα each)",
            t_boot, None, f"{per * 1e3:.1f} ms per resample"),
        row("one plain segment_report (baseline)", t_plain, None,
            f"a resample costs {per / t_plain:.2f}× a report"),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a small run to check the script")
    args = parser.parse_args()
    rng = np.random.default_rng(2026)
    units, docs, length, resamples = (
        (20_000, 4, 2_000, 20) if args.quick else (1_000_000, 20, 5_000, 100)
    )
    data = ReliabilityData.from_unit_rows(reliability_matrix(units, rng).T)
    lines = [
        *case_d(data), "", *case_e(data, units, 10_000), "", *case_f(rng, docs, length, resamples),
    ]  # fmt: skip
    print("\n".join(lines))


if __name__ == "__main__":
    main()
