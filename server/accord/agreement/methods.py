"""The methods paragraph: one run's numbers as a paragraph for a paper.

The report (:mod:`accord.exchange.report_words`), the API and ``accord agreement`` all
describe their run as :class:`MethodsFacts` and call :func:`paragraph`, so they say the
same thing the same way. Each coefficient family has its own sentence, named as the
literature names it and cited (:mod:`accord.agreement.naming`); a verdict is read only
from a coefficient with a published threshold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from accord.agreement import naming
from accord.agreement.result import TENTATIVE, Coefficient, verdict


@dataclass(frozen=True)
class Family:
    """One coefficient family beyond the headline, in its own sentence: its value over
    everything (``overall``), its range per code (``values``), or both."""

    key: str
    overall: Coefficient | None = None
    values: Sequence[Coefficient] = ()
    what: str = "code"


@dataclass(frozen=True)
class MethodsFacts:
    headline: str  # the coefficient id the paragraph leads with
    coefficient: Coefficient | None
    unit: str  # the unit of analysis, in words ("predefined speaker turns, …")
    material: str  # who compared what, one sentence
    alpha_min: float
    exclusions: Sequence[str] = ()  # sentences saying what was left out and why
    resamples: int | None = None  # bootstrap resamples, None: no bootstrap
    #: The citation of the headline's interval method, as a reference key.
    interval_source: str = naming.HAYES_2007
    companions: Sequence[tuple[str, Coefficient]] = ()  # more of the headline's family
    families: Sequence[Family] = ()
    others: Sequence[str] = ()  # ids of further coefficients shown without a verdict


def plural(n: int, noun: str, nouns: str | None = None) -> str:
    """``1 unit``, ``3 units``, ``1,200 units``."""
    return f"{n:,} {noun if n == 1 else (nouns or noun + 's')}"


def share(value: float) -> str:
    """A proportion as a percentage, for percent agreement."""
    return f"{value * 100:.1f}%"


def number(key: str, value: float) -> str:
    """A coefficient's value as a person reads it: percentages for percent agreement,
    and a minus sign rather than a hyphen."""
    return (share(value) if key == "percent_agreement" else f"{value:.3f}").replace("-", "−")


def listing(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _estimate(facts: MethodsFacts) -> str:
    key, c = facts.headline, facts.coefficient
    name = naming.name(key)
    if c is None or c.value is None:
        reason = c.undefined_reason if c is not None else None
        return f"{name} could not be computed: {reason or 'no value'}."
    text = f"{name} was {number(key, c.value)}"
    iv = c.interval
    if iv is not None:
        text += f" (95% CI {number(key, iv.low)} to {number(key, iv.high)}, {iv.description}"
        if iv.resamples is not None:
            text += f", {plural(iv.resamples, 'resample')}"
        text += ")"
        if c.q_below_min is not None:
            text += (
                f", and the probability that it lies below {facts.alpha_min:.3f} was "
                f"q = {c.q_below_min:.3f}"
            )
    elif c.no_interval_reason:
        text += f" ({c.no_interval_reason})"
    elif c.ci_low is not None and c.ci_high is not None:
        text += (
            f" (95% CI {number(key, c.ci_low)} to {number(key, c.ci_high)}, "
            f"{plural(facts.resamples or 0, 'bootstrap resample')}; "
            f"{naming.in_parentheses(facts.interval_source)})"
        )
        if c.q_below_min is not None:
            text += (
                f", and the probability that it lies below {facts.alpha_min:.3f} was "
                f"q = {c.q_below_min:.3f}"
            )
    elif facts.resamples:
        text += " (the bootstrap gives no interval for this coefficient)"
    else:
        text += " (no confidence interval: no bootstrap was run)"
    return text + "."


def _verdict(facts: MethodsFacts) -> str:
    key, c = facts.headline, facts.coefficient
    if not naming.has_verdict(key):
        return (
            f"No published reliability threshold applies to {naming.name(key)}, so no "
            "verdict is given; the thresholds of Krippendorff (2004, p. 241) are for α."
        )
    said = verdict(c.value if c is not None else None, facts.alpha_min)
    return (
        "Following Krippendorff (2004, p. 241), values of α of at least "
        f"{facts.alpha_min:.3f} were taken as reliable and values from {TENTATIVE:.3f} as "
        f"tentative; the result is {said}."
    )


def _companions(facts: MethodsFacts) -> str:
    if not facts.companions:
        return ""
    cite = naming.naming(facts.headline).cite
    said = [
        f"{naming.name(k)} was {number(k, c.value)}"
        if c.value is not None
        else f"{naming.name(k)} was undefined ({c.undefined_reason})"
        for k, c in facts.companions
    ]
    where = f" ({naming.in_parentheses(cite)})" if cite else ""
    return f"Of the same family{where}, {listing(said)}."


def _family(facts: MethodsFacts, family: Family) -> str:
    key, what = family.key, family.what
    values = [c.value for c in family.values if c.value is not None]
    undefined = len(family.values) - len(values)
    ranged = ""
    if values:
        low, high = number(key, min(values)), number(key, max(values))
        ranged = (
            f"ranged from {low} to {high} across {plural(len(values), what)}"
            if low != high
            else f"was {low} for {'the one' if len(values) == 1 else f'each of {len(values):,}'} "
            f"{what if len(values) == 1 else what + 's'}"
        )
        if naming.has_verdict(key):
            reached = sum(1 for v in values if v >= facts.alpha_min)
            ranged += f", {reached:,} of {len(values):,} reaching {facts.alpha_min:.3f}"
        if undefined:
            ranged += f" (undefined for {plural(undefined, 'further ' + what)})"
    elif undefined:
        ranged = f"was undefined for every {what}"
    c = family.overall
    if c is not None:
        overall = (
            f"was {number(key, c.value)} over all {what}s"
            if c.value is not None
            else f"was undefined over all {what}s ({c.undefined_reason})"
        )
        text = f"{naming.cited(key)} {overall}" + (f"; per {what} it {ranged}" if ranged else "")
    elif ranged:
        text = f"Per {what}, {naming.cited(key)} {ranged}"
    else:
        return ""
    if any(c.ci_low is not None or c.interval is not None for c in family.values):
        text += " (95% confidence intervals in the per-code table)"
    return text + "."


def _others(facts: MethodsFacts) -> str:
    if not facts.others:
        return ""
    listed = "; ".join(naming.cited(k) for k in facts.others)
    return (
        "Further coefficients are reported for comparison without a verdict, as no "
        f"published threshold applies to them: {listed}."
    )


def paragraph(facts: MethodsFacts) -> str:
    """The whole paragraph, plain text."""
    sentences = [
        f"Inter-coder reliability was assessed with {naming.cited(facts.headline)}.",
        f"The unit of analysis was {facts.unit}.",
        facts.material,
        *facts.exclusions,
        _estimate(facts),
        _verdict(facts),
        _companions(facts),
        *(_family(facts, f) for f in facts.families),
        _others(facts),
    ]
    return " ".join(s for s in sentences if s)


def references(facts: MethodsFacts) -> list[str]:
    """The full references the paragraph cites, in the order of a reference list."""
    keys = [facts.headline, *(f.key for f in facts.families), *facts.others]
    cites = {naming.naming(k).cite for k in keys} | {naming.KRIPPENDORFF_2004}
    if facts.resamples:
        cites.add(naming.HAYES_2007)
        cites.add(facts.interval_source)
    return sorted(naming.REFERENCES[c] for c in cites if c is not None and c in naming.REFERENCES)


def split(
    headline: str, keys: Sequence[str], *, per_code: Sequence[str] = ()
) -> tuple[list[str], list[str], list[str]]:
    """Sort coefficient ids into (companions of the headline's family, other families
    with a verdict, coefficients without one), each in first-seen order."""
    cite = naming.naming(headline).cite
    companions: list[str] = []
    families: list[str] = []
    others: list[str] = []
    for key in dict.fromkeys([*keys, *per_code]):
        if key == headline:
            if key in per_code:
                families.append(key)  # its range per code, the overall already said
            continue
        if not naming.has_verdict(key):
            others.append(key)
        elif naming.naming(key).cite == cite and key in keys and key not in per_code:
            companions.append(key)
        else:
            families.append(key)
    return companions, families, others
