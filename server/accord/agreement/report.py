"""The full report for reliability data and for coded segments: what the CLI prints and
what the server will call.

The coefficient names here are a public contract (CLI JSON, later GraphQL):
``percent_agreement``, ``krippendorff_alpha``, ``cohen_kappa`` (exactly two coders),
``scott_pi``, ``fleiss_kappa``, ``conger_kappa``, ``brennan_prediger``, ``gwet_ac1``
for reliability data; ``unitizing_alpha_2004``, ``u_alpha``, ``binary_u_alpha``,
``cu_alpha`` for segments, with ``per_code`` blocks.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from accord.agreement import kappas
from accord.agreement.alpha import Level, krippendorff_alpha
from accord.agreement.bootstrap import BootstrapSettings
from accord.agreement.character import (
    CharacterAgreement,
    character_agreement,
    character_agreement_by_document,
)
from accord.agreement.coincidence import coincidences, unit_counts, value_counts
from accord.agreement.continuum_bootstrap import cluster_bootstrap, with_interval
from accord.agreement.errors import AgreementInputError
from accord.agreement.extents import complete_extents, extent_warnings
from accord.agreement.levels import prepare
from accord.agreement.masi import masi_alpha
from accord.agreement.reliability_data import ReliabilityData
from accord.agreement.result import RELIABLE, Coefficient, UnitCounts
from accord.agreement.segment_match import MatchCounts, segment_match
from accord.agreement.segments import Segment, SegmentTable, Unit, build_table, relabel
from accord.agreement.unitizing_2004 import UnitizingAlpha2004, unitizing_alpha_2004
from accord.agreement.unitizing_2016 import Unitizing2016, unitizing_2016
from accord.agreement.units import unit_presence
from accord.agreement.variance import VarianceSettings, with_standard_errors
from accord.agreement.weights import WeightName, weight_matrix


def _coefficients_json(coefficients: Mapping[str, Coefficient]) -> dict[str, Any]:
    return {name: c.to_json() for name, c in coefficients.items()}


@dataclass(frozen=True)
class ReliabilityReport:
    level: Level
    weights: WeightName
    counts: UnitCounts
    coefficients: dict[str, Coefficient]
    values: tuple[str, ...]
    alpha_min: float = RELIABLE
    bootstrap: BootstrapSettings | None = None
    variance: VarianceSettings = field(default_factory=VarianceSettings)

    def to_json(self) -> dict[str, Any]:
        return {
            "input": {
                "kind": "reliability",
                "level": self.level,
                "weights": self.weights,
                "values": list(self.values),
                "alpha_min": self.alpha_min,
                "bootstrap": _bootstrap_json(self.bootstrap),
                "standard_errors": {
                    "method": "gwet_variance",
                    "confidence": self.variance.confidence,
                    "population": self.variance.population,
                },
                **self.counts.to_json(),
            },
            "coefficients": _coefficients_json(self.coefficients),
        }


def _bootstrap_json(settings: BootstrapSettings | None) -> dict[str, Any] | None:
    if settings is None:
        return None
    return {
        "resamples": settings.resamples,
        "seed": settings.seed,
        "alpha_min": settings.alpha_min,
        "confidence": settings.confidence,
        "method": settings.method,
    }


def reliability_coefficients(
    data: ReliabilityData,
    *,
    level: Level = "nominal",
    weights: WeightName = "identity",
    bootstrap: BootstrapSettings | None = None,
    variance: VarianceSettings | None = None,
) -> tuple[dict[str, Coefficient], UnitCounts]:
    """Every coefficient for units × coders data, keyed by its public name.

    α uses ``level``; the kappas, Brennan–Prediger and AC2 use ``weights`` (identity
    = unweighted). ``gwet_ac1`` is always unweighted; ``gwet_ac2`` appears when
    weights are set. Labels are compared as written unless the level or the weights
    need numbers or an order (:func:`accord.agreement.levels.prepare` says which and
    refuses what cannot be computed). Every coefficient but α carries Gwet's (2014)
    standard error and interval (``variance``: the confidence level and finite
    population, default 95 % and none); α's interval is the bootstrap's.
    """
    if data.n_coders < 2:
        raise AgreementInputError(f"fewer than two coders: found {data.n_coders}")
    data = prepare(data, level, weights)
    counts = value_counts(data)
    per_coder = kappas.coder_category_counts(data.codes, data.n_values)
    w = weight_matrix(weights, data.values, data.numeric)
    out: dict[str, Coefficient] = {
        "percent_agreement": kappas.percent_agreement(counts),
        "krippendorff_alpha": krippendorff_alpha(
            counts, data.values, level, numeric=data.numeric, bootstrap=bootstrap
        ),
    }
    if data.n_coders == 2:
        out["cohen_kappa"] = kappas.cohen_kappa(counts, per_coder, w)
    out["scott_pi"] = kappas.scott_pi(coincidences(counts), w)
    out["fleiss_kappa"] = kappas.fleiss_kappa(counts, w)
    out["conger_kappa"] = kappas.conger_kappa(counts, per_coder, w)
    out["brennan_prediger"] = kappas.brennan_prediger(counts, w)
    out["gwet_ac1"] = kappas.gwet_ac(counts)
    if weights != "identity":
        out["gwet_ac2"] = kappas.gwet_ac(counts, w)
    out = with_standard_errors(out, counts, data.codes, w, variance or VarianceSettings())
    return out, unit_counts(counts, data.n_coders)


def reliability_report(
    data: ReliabilityData,
    *,
    level: Level = "nominal",
    weights: WeightName = "identity",
    bootstrap: BootstrapSettings | None = None,
    alpha_min: float = RELIABLE,
    variance: VarianceSettings | None = None,
) -> ReliabilityReport:
    """The report for units × coders data (CSV long or wide, or a server query)."""
    if data.n_coders >= 2:
        data = prepare(data, level, weights)
    coefficients, counts = reliability_coefficients(
        data, level=level, weights=weights, bootstrap=bootstrap, variance=variance
    )
    return ReliabilityReport(
        level=level,
        weights=weights,
        counts=counts,
        coefficients=coefficients,
        values=tuple(str(v) for v in data.values),
        alpha_min=alpha_min,
        bootstrap=bootstrap,
        variance=variance or VarianceSettings(),
    )


@dataclass(frozen=True)
class CodeReport:
    """Everything reported for one code."""

    unitizing_alpha_2004: Coefficient
    k_u_alpha: Coefficient
    segment_match: MatchCounts
    character_kappa: CharacterAgreement
    units: dict[str, Coefficient] | None = None
    unit_counts: UnitCounts | None = None
    #: Character κ per compared document (NVivo's per-source figure); ``character_kappa``
    #: is pooled over them and says so.
    character_kappa_per_document: dict[str, CharacterAgreement] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "unitizing_alpha_2004": self.unitizing_alpha_2004.to_json(),
            "k_u_alpha": self.k_u_alpha.to_json(),
            "segment_match": self.segment_match.to_json(),
            "character_kappa": self.character_kappa.to_json(),
            "character_kappa_per_document": {
                doc: c.to_json() for doc, c in self.character_kappa_per_document.items()
            },
        }
        if self.units is not None and self.unit_counts is not None:
            out["units"] = {
                "counts": self.unit_counts.to_json(),
                "coefficients": _coefficients_json(self.units),
            }
        return out


@dataclass(frozen=True)
class SegmentReport:
    input: dict[str, Any]
    coefficients: dict[str, Coefficient]
    per_code: dict[str, CodeReport]
    segment_match: MatchCounts
    groups: dict[str, Coefficient] = field(default_factory=dict)
    alpha_min: float = RELIABLE

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "input": self.input,
            "coefficients": _coefficients_json(self.coefficients),
            "segment_match": self.segment_match.to_json(),
            "per_code": {code: r.to_json() for code, r in self.per_code.items()},
        }
        if self.groups:
            out["cu_alpha_within_group"] = _coefficients_json(self.groups)
        return out


def continuum_values(table: SegmentTable) -> dict[str, Coefficient]:
    u2004 = unitizing_alpha_2004(table)
    u2016 = unitizing_2016(table)
    out = {
        "unitizing_alpha_2004": u2004.overall,
        "u_alpha": u2016.u_alpha,
        "binary_u_alpha": u2016.binary_u_alpha,
        "cu_alpha": u2016.cu_alpha,
    }
    for c, code in enumerate(table.codes):
        out[f"unitizing_alpha_2004\x00{code}"] = u2004.per_code[c]
        out[f"k_u_alpha\x00{code}"] = u2016.k_u_alpha[c]
    return out


def _continuum_intervals(
    table: SegmentTable,
    u2004: UnitizingAlpha2004,
    u2016: Unitizing2016,
    settings: BootstrapSettings,
) -> tuple[UnitizingAlpha2004, Unitizing2016]:
    boot = cluster_bootstrap(table, continuum_values, settings)
    u2004 = replace(
        u2004,
        overall=with_interval(u2004.overall, "unitizing_alpha_2004", boot, settings),
        per_code=tuple(
            with_interval(c, f"unitizing_alpha_2004\x00{code}", boot, settings)
            for c, code in zip(u2004.per_code, table.codes, strict=True)
        ),
    )
    u2016 = replace(
        u2016,
        u_alpha=with_interval(u2016.u_alpha, "u_alpha", boot, settings),
        binary_u_alpha=with_interval(u2016.binary_u_alpha, "binary_u_alpha", boot, settings),
        cu_alpha=with_interval(u2016.cu_alpha, "cu_alpha", boot, settings),
        k_u_alpha=tuple(
            with_interval(c, f"k_u_alpha\x00{code}", boot, settings)
            for c, code in zip(u2016.k_u_alpha, table.codes, strict=True)
        ),
    )
    return u2004, u2016


def segment_report(
    segments: Iterable[Segment],
    extents: Mapping[str, tuple[int, int]] | None = None,
    *,
    coders: Sequence[str] | None = None,
    units: Sequence[Unit] | None = None,
    min_coverage: float = 0.0,
    overlap_percent: float = 90.0,
    code_groups: Mapping[str, str] | None = None,
    bootstrap: BootstrapSettings | None = None,
    alpha_min: float = RELIABLE,
    coders_by_document: Mapping[str, Collection[str]] | None = None,
    continuum_intervals: bool = True,
    variance: VarianceSettings | None = None,
    unit_codes: bool = True,
) -> SegmentReport:
    """The report for coded segments: continuum, segment matching, characters, units.

    ``segments`` are plain (document, coder, code, start, end) records from any
    source: the CSV reader, the database, or a REFI-QDA reader. ``coders`` lists
    every coder, including one who coded nothing. ``code_groups`` maps codes to
    groups: it adds ``cu_alpha_across_groups`` (Cu-α) and a cu-α within each group.
    ``units`` adds unit-based coefficients per code and α with the MASI distance.

    ``coders_by_document`` maps each document to the coders who coded it (an empty
    layer included); ``None`` means every coder coded every document. On each document
    only its coders are compared, a coder not listed there is missing, and a document
    with fewer than two coders is left out: ``input`` then also reports
    ``documents_excluded``, ``segments_not_compared`` (segments of an unlisted coder or
    on an excluded document) and ``continuum_length`` counts compared documents only.
    Every coefficient says how it generalises in its module's docstring.

    With ``bootstrap`` and ``continuum_intervals``, the continuum coefficients (α_U
    overall and per code, uα, |uα, cuα, (k)uα) get a cluster bootstrap over documents
    (:mod:`accord.agreement.continuum_bootstrap`); with one document each says it has
    no interval, and why.

    A document with segments but no extent is assumed to run from 0 to its last
    segment's end; ``input`` lists it in ``assumed_extents`` and ``warnings`` says so.

    ``unit_codes=False`` leaves out the unit-based coefficients of each code (each a
    bootstrap of its own when one is asked), for a caller that reads only the overall
    ones: a breakdown of a larger report by document or coder pair.
    """
    segments = list(segments)
    extents, assumed = complete_extents(segments, extents)
    table = build_table(segments, extents, coders=coders, coders_by_document=coders_by_document)
    if len(table.coders) < 2:
        raise AgreementInputError(f"fewer than two coders: found {len(table.coders)}")
    u2004 = unitizing_alpha_2004(table)
    u2016 = unitizing_2016(table)
    if bootstrap is not None and continuum_intervals:
        u2004, u2016 = _continuum_intervals(table, u2004, u2016, bootstrap)
    matches = segment_match(table, overlap_percent)
    characters = character_agreement(table)
    characters_by_document = character_agreement_by_document(table)
    coefficients: dict[str, Coefficient] = {
        "unitizing_alpha_2004": u2004.overall,
        "u_alpha": u2016.u_alpha,
        "binary_u_alpha": u2016.binary_u_alpha,
        "cu_alpha": u2016.cu_alpha,
    }
    groups: dict[str, Coefficient] = {}
    if code_groups:
        coefficients["cu_alpha_across_groups"] = unitizing_2016(
            relabel(table, code_groups)
        ).cu_alpha
        for group in dict.fromkeys(code_groups.values()):
            inside = {c: (c if code_groups.get(c) == group else None) for c in table.codes}
            groups[group] = unitizing_2016(relabel(table, inside)).cu_alpha
    unit_blocks: list[tuple[dict[str, Coefficient], UnitCounts]] = []
    if units is not None:
        presence = unit_presence(table, units, min_coverage)
        for data in presence.per_code if unit_codes else ():
            unit_blocks.append(
                reliability_coefficients(data, bootstrap=bootstrap, variance=variance)
            )
        coefficients["units_masi_alpha"] = masi_alpha(presence.sets, bootstrap)
    per_code = {
        code: CodeReport(
            unitizing_alpha_2004=u2004.per_code[c],
            k_u_alpha=u2016.k_u_alpha[c],
            segment_match=matches.per_code[c],
            character_kappa=characters[c],
            character_kappa_per_document=characters_by_document[c],
            units=unit_blocks[c][0] if unit_blocks else None,
            unit_counts=unit_blocks[c][1] if unit_blocks else None,
        )
        for c, code in enumerate(table.codes)
    }
    info: dict[str, Any] = {
        "kind": "segments",
        "documents": len(table.documents),
        "coders": list(table.coders),
        "codes": list(table.codes),
        "segments": table.raw_segments,
        "segments_merged": table.merged,
        "continuum_length": table.total_length,
        "overlap_percent": overlap_percent,
        "alpha_min": alpha_min,
        "units": len(units) if units is not None else None,
        "min_coverage": min_coverage if units is not None else None,
        "bootstrap": _bootstrap_json(bootstrap),
        "assumed_extents": {d: list(e) for d, e in assumed.items()},
        "warnings": extent_warnings(assumed),
    }
    if coders_by_document is not None:
        info["continuum_length"] = table.pairable_length
        info["documents_excluded"] = table.excluded_documents
        info["segments_not_compared"] = table.unlisted_segments
    return SegmentReport(info, coefficients, per_code, matches.overall, groups, alpha_min)
