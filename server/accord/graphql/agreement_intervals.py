"""The agreement API's interval types: how α's bootstrap resamples, and a confidence
interval with the method that gave it."""

from enum import Enum

import strawberry

from accord.agreement.json_out import finite
from accord.agreement.result import Interval


@strawberry.enum(description="What α's bootstrap resamples.")
class BootstrapMethod(Enum):
    PAIRS = strawberry.enum_value(
        "PAIRS",
        description="Pairable value pairs from the coincidence matrix (Hayes & "
        "Krippendorff 2007, KALPHA); resamples without variation score 0.",
    )
    UNITS = strawberry.enum_value(
        "UNITS",
        description="Whole units, resampled with replacement; wider with many coders.",
    )


@strawberry.enum(description="How a confidence interval was obtained.")
class IntervalMethod(Enum):
    GWET_VARIANCE = strawberry.enum_value(
        "gwet_variance",
        description="Gwet's (2014) linearised variance, Student t with n − 1 degrees of "
        "freedom (irrCAC's intervals), optionally with a finite-population correction.",
    )
    BOOTSTRAP_PAIRS = strawberry.enum_value(
        "bootstrap_pairs",
        description="Bootstrap over pairable value pairs (Hayes & Krippendorff 2007).",
    )
    BOOTSTRAP_UNITS = strawberry.enum_value(
        "bootstrap_units", description="Bootstrap over units (resampled with replacement)."
    )
    BOOTSTRAP_DOCUMENTS = strawberry.enum_value(
        "bootstrap_documents",
        description="Cluster bootstrap over documents (resampled with replacement).",
    )


@strawberry.type(description="A confidence interval and how it was obtained.")
class ConfidenceInterval:
    low: float
    high: float
    confidence: float = strawberry.field(description="0.95 for a 95 % interval.")
    method: IntervalMethod
    description: str = strawberry.field(description="The method in words, for a report.")
    resamples: int | None = strawberry.field(description="Bootstrap resamples; null otherwise.")
    seed: int | None = strawberry.field(description="Bootstrap seed; null otherwise.")
    resamples_without_value: int = strawberry.field(
        description="Cluster bootstrap: resamples on which the coefficient had no value "
        "(e.g. none of the drawn documents used the code), left out of the interval."
    )
    population: int | None = strawberry.field(
        description="GWET_VARIANCE: the population size N of the finite-population "
        "correction; null when none was applied (or for a bootstrap)."
    )

    @classmethod
    def of(cls, iv: Interval | None) -> "ConfidenceInterval | None":
        if iv is None or finite(iv.low) is None or finite(iv.high) is None:
            return None
        return cls(
            low=iv.low,
            high=iv.high,
            confidence=iv.confidence,
            method=IntervalMethod(iv.method),
            description=iv.description,
            resamples=iv.resamples,
            seed=iv.seed,
            population=iv.population,
            resamples_without_value=iv.resamples_without_value,
        )
