"""The continuum coefficients get a cluster bootstrap over documents, labelled as such."""

from __future__ import annotations

import random

import numpy as np

from accord.agreement.bootstrap import BootstrapSettings
from accord.agreement.continuum_bootstrap import ONE_DOCUMENT, resample_table
from accord.agreement.report import segment_report
from accord.agreement.segments import Segment, build_table
from accord.agreement.unitizing_2004 import unitizing_alpha_2004
from accord.agreement.unitizing_2016 import unitizing_2016

CONTINUUM = ("unitizing_alpha_2004", "u_alpha", "binary_u_alpha", "cu_alpha")


def _study(documents: int, seed: int = 1) -> tuple[list[Segment], dict[str, tuple[int, int]]]:
    """Two coders who mostly agree, with a third coder on the even documents only."""
    rng = random.Random(seed)
    segments = []
    for d in range(documents):
        pos = 0
        while pos < 900:
            length = rng.randint(20, 80)
            code = rng.choice("XY")
            for coder in ("a", "b"):
                shift = rng.randint(-6, 6) if coder == "b" else 0
                flip = coder == "b" and rng.random() < 0.15
                segments.append(
                    Segment(
                        f"d{d}",
                        coder,
                        ("Y" if code == "X" else "X") if flip else code,
                        max(0, pos + shift),
                        min(1000, pos + length + shift),
                    )
                )
            pos += length + rng.randint(10, 60)
    return segments, {f"d{d}": (0, 1000) for d in range(documents)}


def test_resampling_every_document_once_gives_the_same_coefficients() -> None:
    segments, extents = _study(4)
    table = build_table(segments, extents)
    copy = resample_table(table, np.arange(4, dtype=np.int64))
    assert unitizing_2016(copy).u_alpha == unitizing_2016(table).u_alpha
    assert unitizing_2016(copy).cu_alpha == unitizing_2016(table).cu_alpha
    assert unitizing_alpha_2004(copy).overall == unitizing_alpha_2004(table).overall
    # A document drawn twice counts twice: the continuum doubles, the value stays.
    twice = resample_table(table, np.array([2, 2], dtype=np.int64))
    alone = build_table([s for s in segments if s.document == "d2"], {"d2": (0, 1000)})
    assert twice.total_length == 2 * alone.total_length
    u_twice, u_alone = unitizing_2016(twice).u_alpha.value, unitizing_2016(alone).u_alpha.value
    assert u_twice is not None and u_alone is not None
    assert abs(u_twice - u_alone) < 0.02


def test_every_continuum_coefficient_has_a_labelled_interval() -> None:
    segments, extents = _study(6)
    settings = BootstrapSettings(resamples=300, seed=4)
    report = segment_report(segments, extents, bootstrap=settings)
    out = report.to_json()
    for name in CONTINUUM:
        c = report.coefficients[name]
        assert c.value is not None and c.interval is not None, name
        assert c.interval.method == "bootstrap_documents"
        assert c.interval.low <= c.value <= c.interval.high, name
        block = out["coefficients"][name]["interval"]
        assert block["method"] == "bootstrap_documents"
        assert "cluster bootstrap over documents" in block["description"]
        assert (block["resamples"], block["seed"]) == (300, 4)
    for code in ("X", "Y"):
        per_code = out["per_code"][code]
        assert per_code["unitizing_alpha_2004"]["interval"]["method"] == "bootstrap_documents"
        assert per_code["k_u_alpha"]["interval"]["method"] == "bootstrap_documents"
    again = segment_report(segments, extents, bootstrap=settings)
    assert again.coefficients["u_alpha"].interval == report.coefficients["u_alpha"].interval


def test_one_document_says_no_interval_can_be_given() -> None:
    segments, extents = _study(1)
    report = segment_report(segments, extents, bootstrap=BootstrapSettings(resamples=50))
    out = report.to_json()
    for name in CONTINUUM:
        block = out["coefficients"][name]
        assert block["value"] is not None and "interval" not in block
        assert block["no_interval_reason"] == ONE_DOCUMENT
    assert out["per_code"]["X"]["k_u_alpha"]["no_interval_reason"] == ONE_DOCUMENT
    # Without a bootstrap nothing was asked for, and nothing is claimed.
    plain = segment_report(segments, extents).to_json()["coefficients"]["u_alpha"]
    assert "interval" not in plain and "no_interval_reason" not in plain


def test_documents_with_too_few_coders_are_not_resampled() -> None:
    segments, extents = _study(3)
    extra = [Segment("d0", "c", "X", 10, 50)]
    layers = {"d0": {"a", "b", "c"}, "d1": {"a"}, "d2": {"b"}}
    report = segment_report(
        segments + extra,
        extents,
        coders_by_document=layers,
        bootstrap=BootstrapSettings(resamples=50),
    )
    # Only d0 is compared (d1 and d2 have one coder each): one document, no interval.
    assert report.coefficients["u_alpha"].no_interval_reason == ONE_DOCUMENT


def test_resamples_without_the_code_are_left_out_and_counted() -> None:
    segments, extents = _study(4)
    # Code Z appears on d3 only: a resample without d3 has no (k)uα for it.
    segments += [Segment("d3", "a", "Z", 950, 990), Segment("d3", "b", "Z", 952, 990)]
    settings = BootstrapSettings(resamples=400, seed=8)
    report = segment_report(segments, extents, bootstrap=settings)
    z = report.per_code["Z"].k_u_alpha
    assert z.interval is not None
    missing = z.interval.resamples_without_value
    # P(no d3 among 4 draws) = (3/4)^4 ≈ 0.316: about 127 of 400.
    assert 80 < missing < 175
    block = report.to_json()["per_code"]["Z"]["k_u_alpha"]["interval"]
    assert block["resamples_without_value"] == missing
    # The overall coefficients always have a value on every resample.
    assert report.coefficients["u_alpha"].interval is not None
    assert report.coefficients["u_alpha"].interval.resamples_without_value == 0
