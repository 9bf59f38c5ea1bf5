"""Result types: a coefficient says its value, or why it has none.

Undefined values are data, not NaN: ``value is None`` always comes with a
``undefined_reason`` a person can read (Accord never prints a fake 1.0).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

#: Krippendorff (2004, p. 241): rely on variables with α ≥ .800, draw tentative
#: conclusions from .667 ≤ α < .800, and discard the rest.
RELIABLE = 0.800
TENTATIVE = 0.667


#: How an interval was obtained; every interval in every output names one of these.
INTERVAL_METHODS: dict[str, str] = {
    "gwet_variance": "Gwet (2014) linearised variance, Student t with n − 1 degrees of freedom",
    "bootstrap_pairs": "bootstrap over pairable value pairs (Hayes & Krippendorff 2007)",
    "bootstrap_units": "bootstrap over units (units resampled with replacement)",
    "bootstrap_documents": "cluster bootstrap over documents (documents resampled with "
    "replacement)",
}


@dataclass(frozen=True)
class Interval:
    """A confidence interval and how it was obtained (a key of :data:`INTERVAL_METHODS`).

    ``resamples`` and ``seed`` are set for the bootstraps, so a report can be
    reproduced; ``population`` is the finite population size N a variance was
    corrected for (``None``: no finite-population correction).
    """

    low: float
    high: float
    method: str
    confidence: float = 0.95
    resamples: int | None = None
    seed: int | None = None
    population: int | None = None
    #: Bootstrap resamples on which the coefficient had no value (left out; the
    #: continuum's cluster bootstrap only).
    resamples_without_value: int = 0

    def __post_init__(self) -> None:
        if self.method not in INTERVAL_METHODS:
            raise ValueError(f"unknown interval method {self.method!r}")

    @property
    def description(self) -> str:
        return INTERVAL_METHODS[self.method]

    @property
    def settings(self) -> str:
        """The settings a reader needs to reproduce it, in words ("" when none)."""
        if self.resamples is not None:
            return f"{self.resamples:,} resamples, seed {self.seed}"
        if self.method == "gwet_variance":
            if self.population is not None:
                return f"finite population of {self.population:,} units"
            return "no finite-population correction"
        return ""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "low": self.low,
            "high": self.high,
            "confidence": self.confidence,
            "method": self.method,
            "description": self.description,
        }
        if self.resamples is not None:
            out["resamples"] = self.resamples
            out["seed"] = self.seed
            out["resamples_without_value"] = self.resamples_without_value
        if self.method == "gwet_variance":
            out["population"] = self.population
        return out


@dataclass(frozen=True)
class Coefficient:
    """One agreement coefficient as reported to a user.

    ``details`` holds the parts the value was made of (p_o, p_e, D_o, D_e, ...), so a
    report can be checked by hand. ``ci_low``/``ci_high``/``q_below_min`` are a
    bootstrap's (``None`` unless one ran); ``interval`` is the confidence interval of
    whichever method applies, bootstrap or variance formula, and says which;
    ``no_interval_reason`` says why an interval was asked for but cannot be given.
    """

    value: float | None
    undefined_reason: str | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    q_below_min: float | None = None
    details: dict[str, float] = field(default_factory=dict)
    standard_error: float | None = None
    interval: Interval | None = None
    no_interval_reason: str | None = None
    #: What a pooled figure was pooled over (character κ), ``None`` for the others.
    scope: str | None = None

    def __post_init__(self) -> None:
        if (self.value is None) == (self.undefined_reason is None):
            raise ValueError("a coefficient has either a value or an undefined_reason")

    @property
    def defined(self) -> bool:
        return self.value is not None

    def to_json(self) -> dict[str, Any]:
        """The public JSON shape of one coefficient (see the CLI contract)."""
        if self.value is None:
            return {"value": None, "undefined_reason": self.undefined_reason}
        out: dict[str, Any] = {
            "value": self.value,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "q_below_min": self.q_below_min,
        }
        if self.standard_error is not None:
            out["standard_error"] = self.standard_error
        if self.interval is not None:
            out["interval"] = self.interval.to_json()
        if self.no_interval_reason is not None:
            out["no_interval_reason"] = self.no_interval_reason
        if self.scope is not None:
            out["scope"] = self.scope
        return out


def defined(value: float, **details: float) -> Coefficient:
    """A coefficient with a value; a value that is not a finite number (0/0 that slipped
    past a check) is reported undefined with its parts, never as NaN."""
    if not math.isfinite(value):
        parts = ", ".join(f"{k} = {v}" for k, v in details.items())
        return undefined(
            "the computation gave no finite number" + (f" ({parts})" if parts else ""),
            **details,
        )
    return Coefficient(value=float(value), details={k: float(v) for k, v in details.items()})


def undefined(reason: str, **details: float) -> Coefficient:
    return Coefficient(
        value=None, undefined_reason=reason, details={k: float(v) for k, v in details.items()}
    )


def chance_corrected(p_o: float, p_e: float, what: str = "ratings") -> Coefficient:
    """``(p_o − p_e)/(1 − p_e)``, the form shared by every kappa-like coefficient."""
    if not (math.isfinite(p_o) and math.isfinite(p_e)):
        return defined(math.nan, p_o=p_o, p_e=p_e)
    if p_e >= 1.0 - 1e-15:
        return undefined(
            f"chance agreement is 1 (all {what} fall in one category), so the coefficient is 0/0",
            p_o=p_o,
            p_e=p_e,
        )
    return defined((p_o - p_e) / (1.0 - p_e), p_o=p_o, p_e=p_e)


@dataclass(frozen=True)
class UnitCounts:
    """How many units the numbers rest on, and how many were left out and why."""

    units: int
    used: int
    excluded: int
    coders: int
    pairable_values: int
    exclusion_reason: str = "fewer than two coders gave a value"

    def to_json(self) -> dict[str, Any]:
        return {
            "units": self.units,
            "units_used": self.used,
            "units_excluded": self.excluded,
            "coders": self.coders,
            "pairable_values": self.pairable_values,
            "exclusion_reason": self.exclusion_reason,
        }


def verdict(value: float | None, alpha_min: float = RELIABLE, tentative: float = TENTATIVE) -> str:
    """Krippendorff's reading of α against the thresholds a project sets."""
    if value is None:
        return "undefined"
    if value >= alpha_min:
        return "reliable"
    if value >= tentative:
        return "tentative"
    return "not reliable"
