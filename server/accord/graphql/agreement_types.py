"""The agreement report's fixed vocabularies and echoes as GraphQL types: verdicts and
coefficient names as enums, the parameters that applied and what was read as objects."""

from enum import Enum
from typing import Any

import strawberry

from accord.graphql.agreement_intervals import IntervalMethod
from accord.graphql.documents import UnitKind
from accord.graphql.users import UserType


@strawberry.enum
class UnitMode(Enum):
    CONTINUUM = "CONTINUUM"
    UNITS = "UNITS"
    SEGMENT_MATCH = "SEGMENT_MATCH"
    CHARACTER = "CHARACTER"


@strawberry.enum
class CodeLevel(Enum):
    CODE = "CODE"
    GROUP = "GROUP"
    CATEGORY = "CATEGORY"


@strawberry.enum(description="What an agreement report compares.")
class AgreementComparison(Enum):
    CODERS = strawberry.enum_value(
        "CODERS", description="The coders of one round with each other (inter-coder)."
    )
    ROUNDS = strawberry.enum_value(
        "ROUNDS",
        description="Each coder with themself across two rounds (test–retest, intra-coder "
        "reliability, 'stability'): the rounds take the places of two coders, per coder "
        "and pooled over coders. A coder who may not read every layer compares only "
        "their own rounds.",
    )


@strawberry.enum(description="What a coefficient says about reliability against α_min.")
class Verdict(Enum):
    RELIABLE = "RELIABLE"
    TENTATIVE = "TENTATIVE"
    NOT_RELIABLE = "NOT_RELIABLE"
    UNDEFINED = "UNDEFINED"


@strawberry.enum(
    description="An agreement coefficient. The command line's `--format json` and the "
    "segments CSV name the same coefficients in lower case (u_alpha, cohen_kappa, ...)."
)
class CoefficientName(Enum):
    U_ALPHA = "u_alpha"
    BINARY_U_ALPHA = "binary_u_alpha"
    CU_ALPHA = "cu_alpha"
    CU_ALPHA_ACROSS_GROUPS = "cu_alpha_across_groups"
    UNITIZING_ALPHA_2004 = "unitizing_alpha_2004"
    K_U_ALPHA = "k_u_alpha"
    UNITS_MASI_ALPHA = "units_masi_alpha"
    KRIPPENDORFF_ALPHA = "krippendorff_alpha"
    PERCENT_AGREEMENT = "percent_agreement"
    BRENNAN_PREDIGER = "brennan_prediger"
    COHEN_KAPPA = "cohen_kappa"
    SCOTT_PI = "scott_pi"
    FLEISS_KAPPA = "fleiss_kappa"
    CONGER_KAPPA = "conger_kappa"
    GWET_AC1 = "gwet_ac1"
    GWET_AC2 = "gwet_ac2"


@strawberry.type(description="The bootstrap that gave the confidence intervals.")
class BootstrapParameters:
    resamples: int
    seed: int
    method: IntervalMethod | None = strawberry.field(
        default=None,
        description="What the α family's bootstrap resampled: BOOTSTRAP_PAIRS, "
        "BOOTSTRAP_UNITS or BOOTSTRAP_DOCUMENTS (the continuum's cluster bootstrap).",
    )


# The engine's words for what a bootstrap resampled.
_RESAMPLED = {
    "pairs": IntervalMethod.BOOTSTRAP_PAIRS,
    "units": IntervalMethod.BOOTSTRAP_UNITS,
    "documents": IntervalMethod.BOOTSTRAP_DOCUMENTS,
}


@strawberry.type(description="The time between a coder's first and second coding (ROUNDS).")
class RetestInterval:
    pairs: int = strawberry.field(description="Coder × document pairs compared.")
    measured: int = strawberry.field(description="Of them, those whose interval is known.")
    median_days: float
    min_days: float
    max_days: float
    basis: str = strawberry.field(description="What the interval is measured between.")


@strawberry.type(description="The parameters that applied to an agreement run.")
class AgreementParameters:
    unit_mode: UnitMode
    unit_kind: UnitKind | None = strawberry.field(description="In UNITS mode; else null.")
    min_coverage: float | None = strawberry.field(description="In UNITS mode; else null.")
    overlap_percent: float | None = strawberry.field(
        description="The overlap that makes two segments match (SEGMENT_MATCH, and each "
        "coder against consensus)."
    )
    compare: AgreementComparison
    round_id: strawberry.ID | None = strawberry.field(
        description="CODERS: the round compared; null with ROUNDS (see roundIds)."
    )
    round_ids: list[strawberry.ID] | None = strawberry.field(
        description="ROUNDS: the first and the second round; null with CODERS."
    )
    round: str = strawberry.field(
        description="The round's name (ROUNDS: both rounds' names, in words)."
    )
    rounds: list[str] | None = strawberry.field(
        description="ROUNDS: the first and the second round's names; null with CODERS."
    )
    interval: RetestInterval | None = strawberry.field(
        description="ROUNDS: the time between the codings, when known; else null."
    )
    code_level: CodeLevel
    coders: list[UserType] = strawberry.field(description="The coders compared.")
    document_ids: list[strawberry.ID] = strawberry.field(description="The documents compared.")
    code_ids: list[strawberry.ID] | None = strawberry.field(
        description="The codes chosen; null: every code."
    )
    bootstrap: BootstrapParameters | None = strawberry.field(
        description="Null without a bootstrap (no confidence intervals)."
    )
    alpha_min: float
    population: int | None = strawberry.field(
        default=None,
        description="The population size of Gwet's finite-population correction; null "
        "when none was applied.",
    )


@strawberry.type(description="What an agreement run read and left out.")
class AgreementCounts:
    documents: int = strawberry.field(description="Documents compared.")
    documents_excluded: int = strawberry.field(
        description="Documents left out: fewer than two of the compared coders were assigned."
    )
    coders: list[UserType] = strawberry.field(description="The coders compared.")
    codes: list[str] = strawberry.field(description="The codes read, by path (at the level).")
    segments: int = strawberry.field(description="Coded segments read.")
    segments_merged: int = strawberry.field(
        description="Segments merged into another: one coder's overlapping segments of the "
        "same code count once."
    )
    segments_not_compared: int = strawberry.field(
        description="Segments of a coder not compared on their document, or on a document left out."
    )
    continuum_length: int = strawberry.field(description="Code points of the compared documents.")
    units: int | None = strawberry.field(description="Units read (UNITS mode; else null).")
    units_used: int | None = strawberry.field(description="Units compared (UNITS mode; else null).")
    units_excluded: int | None = strawberry.field(
        description="Units left out (UNITS mode; else null); `unitsExclusionReason` says why."
    )
    units_exclusion_reason: str | None
    coder_documents: int | None = strawberry.field(
        description="ROUNDS: coder × document pairs compared (each a unit of the pooled "
        "coefficients); null with CODERS."
    )
    rounds: list[str] | None = strawberry.field(
        description="ROUNDS: the two rounds' names, which take the places of two coders."
    )


def coefficient_name(name: str) -> CoefficientName:
    return CoefficientName(name)


def verdict_of(value: str | None) -> Verdict | None:
    return Verdict(value) if value is not None else None


def parameters_of(raw: dict[str, Any], users: dict[str, UserType]) -> AgreementParameters:
    """The engine's echo (a dict) as the typed object; keys it does not know are left to
    the fields that hold them."""
    boot = raw.get("bootstrap")
    kind = raw.get("unitKind")
    interval = raw.get("interval")
    return AgreementParameters(
        compare=AgreementComparison(raw.get("compare", "CODERS")),
        round_ids=[strawberry.ID(str(r)) for r in raw["roundIds"]]
        if raw.get("roundIds") is not None
        else None,
        interval=RetestInterval(
            pairs=int(interval["pairs"]),
            measured=int(interval["measured"]),
            median_days=float(interval["median_days"]),
            min_days=float(interval["min_days"]),
            max_days=float(interval["max_days"]),
            basis=str(interval["basis"]),
        )
        if interval
        else None,
        unit_mode=UnitMode(raw["unitMode"]),
        unit_kind=UnitKind(kind) if kind else None,
        min_coverage=raw.get("minCoverage"),
        overlap_percent=raw.get("overlapPercent"),
        round_id=strawberry.ID(str(raw["roundId"])) if raw.get("roundId") else None,
        round=str(raw["round"]),
        rounds=[str(r) for r in raw["rounds"]] if raw.get("rounds") is not None else None,
        code_level=CodeLevel(raw["codeLevel"]),
        coders=[users[c] for c in raw.get("coders", []) if c in users],
        document_ids=[strawberry.ID(str(d)) for d in raw.get("documentIds", [])],
        code_ids=[strawberry.ID(str(c)) for c in raw["codeIds"]]
        if raw.get("codeIds") is not None
        else None,
        bootstrap=BootstrapParameters(
            resamples=int(boot["resamples"]),
            seed=int(boot["seed"]),
            method=_RESAMPLED.get(str(boot.get("method"))),
        )
        if boot
        else None,
        alpha_min=float(raw["alphaMin"]),
        population=raw.get("population"),
    )


def counts_of(raw: dict[str, Any], users: dict[str, UserType]) -> AgreementCounts:
    return AgreementCounts(
        documents=int(raw.get("documents", 0)),
        documents_excluded=int(raw.get("documents_excluded") or 0),
        coders=[users[c] for c in raw.get("coders", []) if c in users],
        codes=[str(c) for c in raw.get("codes", [])],
        segments=int(raw.get("segments", 0)),
        segments_merged=int(raw.get("segments_merged") or 0),
        segments_not_compared=int(raw.get("segments_not_compared") or 0),
        continuum_length=int(raw.get("continuum_length") or 0),
        units=raw.get("units"),
        units_used=raw.get("units_used"),
        units_excluded=raw.get("units_excluded"),
        units_exclusion_reason=raw.get("exclusion_reason"),
        coder_documents=raw.get("coder_documents"),
        rounds=[str(r) for r in raw["rounds"]] if raw.get("rounds") is not None else None,
    )
