"""A cluster bootstrap over documents for the continuum coefficients.

α_U (Krippendorff 2004), uα, |uα, cuα and (k)uα (Krippendorff, Mathet, Bouvry &
Widlöcher 2016) have no published sampling distribution, and the positions of one
document are not independent of each other, so the resampled unit is the document: each
resample draws as many documents as were compared, with replacement, lays the copies
end to end as a new set of continua (a document drawn twice counts twice), and computes
every coefficient afresh. The interval is read from the percentiles, as for α, and
q(α < α_min) is the share of resamples below α_min. A resample on which a coefficient
is undefined is left out of its percentiles and counted (``resamples_without_value``):
on the continuum that mostly means the resample holds no document where the code was
used, which says nothing about agreement (unlike α's value-pair resamples without
variation, which KALPHA scores 0). If no resample gives a value, the coefficient says
it has no interval, and why.

With fewer than two compared documents there is nothing to resample, and every output
says so instead of showing an interval. With few documents the interval is coarse: d
documents allow only C(2d − 1, d) distinct resamples (10 for three documents), so the
percentiles fall on a handful of values whatever the number of resamples; the
interval is as wide as the documents make it, and reports should say how many there
were (``details["bootstrap_documents"]``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from accord.agreement.bootstrap import BootstrapSettings, summarise
from accord.agreement.result import Coefficient, Interval
from accord.agreement.segments import SegmentTable

I64 = NDArray[np.int64]

ONE_DOCUMENT = (
    "no interval: the cluster bootstrap resamples documents, and only one document was compared"
)


def compared_documents(table: SegmentTable) -> I64:
    """Indices of the documents that are compared (two or more coders coded them)."""
    if table.listed is None:
        return np.arange(len(table.documents), dtype=np.int64)
    out: I64 = np.flatnonzero(table.coders_per_document >= 2).astype(np.int64)
    return out


def resample_table(table: SegmentTable, docs: I64) -> SegmentTable:
    """The table of the documents ``docs`` (indices, repeats allowed), each copy a
    document of its own."""
    order = np.argsort(table.doc, kind="stable")
    per_doc = np.bincount(table.doc, minlength=len(table.documents))
    first = np.concatenate(([0], np.cumsum(per_doc)[:-1]))
    count = per_doc[docs]
    total = int(count.sum())
    copy = np.repeat(np.arange(docs.size, dtype=np.int64), count)
    run = np.repeat(np.cumsum(count) - count, count)
    seg = order[np.repeat(first[docs], count) + (np.arange(total, dtype=np.int64) - run)]
    ext_start, ext_end = table.extent_start[docs], table.extent_end[docs]
    lengths = ext_end - ext_start
    offsets = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)
    coder, code, start, end = table.coder[seg], table.code[seg], table.start[seg], table.end[seg]
    gstart = offsets[copy] + start - ext_start[copy]
    by = np.lexsort((gstart, code, coder))
    return SegmentTable(
        documents=tuple(f"{table.documents[d]}#{i}" for i, d in enumerate(docs)),
        coders=table.coders,
        codes=table.codes,
        doc=copy[by],
        coder=coder[by],
        code=code[by],
        start=start[by],
        end=end[by],
        extent_start=ext_start,
        extent_end=ext_end,
        offsets=offsets,
        raw_segments=int(seg.size),
        listed=table.listed[docs] if table.listed is not None else None,
    )


@dataclass(frozen=True)
class ClusterBootstrap:
    """Every continuum coefficient's bootstrap values, keyed by the caller's names."""

    samples: dict[str, NDArray[np.float64]]
    documents: int


def cluster_bootstrap(
    table: SegmentTable,
    coefficients: Callable[[SegmentTable], dict[str, Coefficient]],
    settings: BootstrapSettings,
) -> ClusterBootstrap | None:
    """Resample the compared documents ``settings.resamples`` times and collect what
    ``coefficients`` gives on each resample; ``None`` with fewer than two documents."""
    docs = compared_documents(table)
    if docs.size < 2:
        return None
    rng = np.random.default_rng(settings.seed)
    samples: dict[str, NDArray[np.float64]] = {}
    for r in range(settings.resamples):
        drawn = docs[rng.integers(0, docs.size, size=docs.size)]
        for name, c in coefficients(resample_table(table, drawn)).items():
            if name not in samples:
                samples[name] = np.full(settings.resamples, np.nan, dtype=np.float64)
            # NaN marks "no value on this resample"; it never leaves this module.
            samples[name][r] = c.value if c.value is not None else np.nan
    return ClusterBootstrap(samples, int(docs.size))


def with_interval(
    c: Coefficient,
    name: str,
    boot: ClusterBootstrap | None,
    settings: BootstrapSettings,
) -> Coefficient:
    """``c`` with its cluster-bootstrap interval, or the reason there is none."""
    if c.value is None:
        return c
    if boot is None:
        return replace(c, no_interval_reason=ONE_DOCUMENT)
    samples = boot.samples.get(name)
    valued = samples[np.isfinite(samples)] if samples is not None else np.zeros(0)
    if valued.size == 0:
        return replace(
            c, no_interval_reason="no interval: no resample of the documents gave a value"
        )
    result = summarise(valued, settings)
    return replace(
        c,
        ci_low=result.ci_low,
        ci_high=result.ci_high,
        q_below_min=result.q_below_min,
        interval=Interval(
            low=result.ci_low,
            high=result.ci_high,
            method="bootstrap_documents",
            confidence=settings.confidence,
            resamples=settings.resamples,
            seed=settings.seed,
            resamples_without_value=settings.resamples - int(valued.size),
        ),
        details={**c.details, "bootstrap_documents": float(boot.documents)},
    )
