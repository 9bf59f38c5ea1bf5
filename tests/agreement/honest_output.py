"""What every agreement output must be, whatever the data: checks shared by the
property-based tests of the library, the CLI and the HTML report.

An honest output holds no NaN or Infinity (JSON has no words for them, and a reader
takes ``nan`` for a result), gives every coefficient a value or a reason, and gives
every value that was asked an interval either the interval or the reason it has none.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping
from typing import Any

from accord.agreement.result import Coefficient

#: Words a reader would take for a number that is not one.
FAKE_WORDS = re.compile(r"(?<![A-Za-z])-?(nan|inf|infinity)(?![A-Za-z])", re.IGNORECASE)


def strict_json(text: str) -> Any:
    """Parse JSON as JSON is written: NaN and Infinity are refused."""

    def refuse(word: str) -> Any:
        raise AssertionError(f"the output holds {word}, which is not JSON")

    return json.loads(text, parse_constant=refuse)


def no_fake_words(text: str, where: str) -> None:
    found = FAKE_WORDS.search(text)
    assert found is None, f"{where} holds {found.group(0)!r}: …{_around(text, found.start())}…"


def _around(text: str, at: int) -> str:
    return text[max(0, at - 80) : at + 80]


def floats_are_finite(value: Any, path: str = "$") -> None:
    """Every number in a JSON-like tree is finite (checked before any output guard)."""
    if isinstance(value, float):
        assert math.isfinite(value), f"{path} is {value}"
    elif isinstance(value, Mapping):
        for k, v in value.items():
            floats_are_finite(v, f"{path}.{k}")
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            floats_are_finite(v, f"{path}[{i}]")


def coefficient_objects(value: Any, path: str = "$") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every coefficient object of a JSON report, wherever it sits, with its path."""
    if isinstance(value, Mapping):
        if "value" in value and ("undefined_reason" in value or "ci_low" in value):
            yield path, dict(value)
        for k, v in value.items():
            yield from coefficient_objects(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from coefficient_objects(v, f"{path}[{i}]")


def honest_json(report: Any, *, intervals_asked: bool) -> None:
    """A JSON report: finite numbers only, a value or a reason for every coefficient, and
    (when intervals were asked for) an interval or the reason for none beside every value
    of a coefficient that has one."""
    floats_are_finite(report)
    found = list(coefficient_objects(report))
    assert found, "no coefficient in the report"
    for path, c in found:
        if c["value"] is None:
            assert isinstance(c.get("undefined_reason"), str) and c["undefined_reason"].strip(), (
                f"{path} has neither a value nor a reason: {c}"
            )
            continue
        assert isinstance(c["value"], (int, float)) and math.isfinite(c["value"]), (path, c)
        interval = c.get("interval")
        if interval is not None:
            assert interval["low"] <= interval["high"], (path, interval)
            assert interval.get("method") and interval.get("description"), (path, interval)
        name = path.rsplit(".", 1)[-1]
        if _counted_elsewhere(path):
            continue
        if name in GWET_VARIANCE or (intervals_asked and name in BOOTSTRAPPED):
            assert interval is not None or (c.get("no_interval_reason") or "").strip(), (
                f"{path} has a value but neither an interval nor the reason it has none: {c}"
            )


#: Coefficients that always carry Gwet's (2014) standard error, or say why not.
GWET_VARIANCE = frozenset(
    {
        "percent_agreement",
        "cohen_kappa",
        "scott_pi",
        "fleiss_kappa",
        "conger_kappa",
        "brennan_prediger",
        "gwet_ac1",
        "gwet_ac2",
    }
)
#: Coefficients a bootstrap gives an interval (α over values, the MASI α, the continuum).
BOOTSTRAPPED = frozenset(
    {
        "krippendorff_alpha",
        "units_masi_alpha",
        "unitizing_alpha_2004",
        "u_alpha",
        "binary_u_alpha",
        "cu_alpha",
        "k_u_alpha",
    }
)


#: Blocks that reuse coefficient names but get no interval by design: segment matching
#: and character κ (MAXQDA's and NVivo's figures) and the code-group cuα variants.
NO_INTERVAL_BLOCKS = frozenset(
    {
        "segment_match",
        "character_kappa",
        "character_kappa_per_document",
        "cu_alpha_within_group",
        "cu_alpha_across_groups",
    }
)


def _counted_elsewhere(path: str) -> bool:
    return any(part in NO_INTERVAL_BLOCKS for part in path.split("."))


def honest_coefficient(name: str, c: Coefficient) -> None:
    """One library coefficient: a finite value or a reason, finite interval parts."""
    if c.value is None:
        assert c.undefined_reason and c.undefined_reason.strip(), name
        return
    assert math.isfinite(c.value), (name, c)
    for part in (c.ci_low, c.ci_high, c.q_below_min, c.standard_error):
        assert part is None or math.isfinite(part), (name, c)
    if c.interval is not None:
        assert math.isfinite(c.interval.low) and math.isfinite(c.interval.high), (name, c)
        assert c.interval.low <= c.interval.high, (name, c)
    for k, v in c.details.items():
        assert math.isfinite(v), (name, k, v)
