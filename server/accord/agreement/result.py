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


@dataclass(frozen=True)
class Coefficient:
    """One agreement coefficient as reported to a user.

    ``details`` holds the parts the value was made of (p_o, p_e, D_o, D_e, ...), so a
    report can be checked by hand. CI fields are ``None`` unless a bootstrap ran.
    """

    value: float | None
    undefined_reason: str | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    q_below_min: float | None = None
    details: dict[str, float] = field(default_factory=dict)

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
        return {
            "value": self.value,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "q_below_min": self.q_below_min,
        }


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
