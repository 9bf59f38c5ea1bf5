"""The agreement report over GraphQL."""

from itertools import permutations

import asyncpg
import strawberry
from strawberry.types import Info

from accord.agreement.json_out import finite
from accord.agreement.result import Coefficient
from accord.exchange.report_html import methods_paragraph
from accord.graphql.agreement_intervals import BootstrapMethod, ConfidenceInterval
from accord.graphql.agreement_types import (
    AgreementComparison,
    AgreementCounts,
    AgreementParameters,
    CodeLevel,
    CoefficientName,
    UnitMode,
    Verdict,
    coefficient_name,
    counts_of,
    parameters_of,
    verdict_of,
)
from accord.graphql.context import Context
from accord.graphql.documents import UnitKind
from accord.graphql.errors import read
from accord.graphql.users import UserType
from accord.ids import parse_id
from accord.reports import agreement as service
from accord.users import repo as users_repo
from accord.users.labels import LABEL_COLUMNS, labels_of
from accord.users.model import User


@strawberry.input
class BootstrapInput:
    resamples: int = 10_000
    seed: int = 0
    method: BootstrapMethod = strawberry.field(
        default=BootstrapMethod.PAIRS,
        description="For α and the MASI α in UNITS mode. CONTINUUM always resamples "
        "documents (a cluster bootstrap) for α_U, uα, |uα, cuα and (k)uα.",
    )


@strawberry.input(
    description="What an agreement report compares, and how. Codes are nominal categories "
    "in every unit mode (present or absent in a unit, or sets of codes), so no level of "
    "measurement or order of values applies here; those are for reliability data in "
    "`accord agreement` (--level, --order)."
)
class AgreementInput:
    unit_mode: UnitMode = UnitMode.CONTINUUM
    unit_kind: UnitKind = UnitKind.PARAGRAPH
    min_coverage: float = strawberry.field(
        default=0.0, description="Share of a unit a segment must cover (0: any overlap)."
    )
    overlap_percent: float = strawberry.field(default=90.0, description="For SEGMENT_MATCH.")
    coder_ids: list[strawberry.ID] | None = None
    document_ids: list[strawberry.ID] | None = None
    code_ids: list[strawberry.ID] | None = None
    round_id: strawberry.ID | None = None
    code_level: CodeLevel = CodeLevel.CODE
    bootstrap: BootstrapInput | None = None
    population: int | None = strawberry.field(
        default=None,
        description="Units in the population the rated units were drawn from, for the "
        "finite-population correction of Gwet's standard errors (UNITS mode); null: none.",
    )
    compare: AgreementComparison = strawberry.field(
        default=AgreementComparison.CODERS,
        description="CODERS (one round, roundId) or ROUNDS (test–retest, roundIds).",
    )
    round_ids: list[strawberry.ID] | None = strawberry.field(
        default=None,
        description="With compare: ROUNDS, exactly two rounds: the first coding, then the second.",
    )


@strawberry.type
class CoefficientValue:
    name: CoefficientName
    value: float | None
    undefined_reason: str | None
    ci_low: float | None
    ci_high: float | None
    q_below_min: float | None
    verdict: Verdict | None = strawberry.field(
        description="RELIABLE, TENTATIVE, NOT_RELIABLE or UNDEFINED for Krippendorff's α and "
        "its unitizing family (the thresholds of Krippendorff 2004, p. 241: α ≥ alphaMin "
        "reliable, ≥ 0.667 tentative); null for every other coefficient, to which no "
        "published threshold applies."
    )
    standard_error: float | None = strawberry.field(
        description="Gwet's (2014) standard error, for percent agreement and the kappa "
        "family; null for the α family (see interval) or when noIntervalReason says why."
    )
    interval: ConfidenceInterval | None = strawberry.field(
        description="The confidence interval of whichever method applies (a bootstrap's "
        "equals ciLow/ciHigh); null when none was asked for or noIntervalReason says why."
    )
    no_interval_reason: str | None = strawberry.field(
        description="Why this coefficient has no interval although one was asked for "
        "(e.g. one document for the cluster bootstrap)."
    )
    scope: str | None = strawberry.field(
        description="What a pooled figure was pooled over (character κ: documents and "
        "coder pairs); null for the others."
    )

    @classmethod
    def of(cls, name: str, c: Coefficient, alpha_min: float) -> "CoefficientValue":
        return cls(
            name=coefficient_name(name),
            value=c.value,
            undefined_reason=c.undefined_reason,
            ci_low=finite(c.ci_low),
            ci_high=finite(c.ci_high),
            q_below_min=finite(c.q_below_min),
            verdict=verdict_of(service.judged(name, c, alpha_min)),
            standard_error=finite(c.standard_error),
            interval=ConfidenceInterval.of(c.interval),
            no_interval_reason=c.no_interval_reason,
            scope=c.scope,
        )


@strawberry.type
class AgreementBreakdown:
    key: str
    label: str
    coefficients: list[CoefficientValue]
    segment_count: int = strawberry.field(
        description="Coded segments read for this breakdown (every compared coder's): its n."
    )
    code_id: strawberry.ID | None = strawberry.field(
        description="Per code: the code (at the chosen level), to drill down with; null "
        "in other breakdowns."
    )
    coders: list[UserType] = strawberry.field(
        default_factory=list,
        description="Per coder pair: the two coders (the key joins their ids with |); "
        "empty in other breakdowns.",
    )


@strawberry.type(
    description="One code of a coder against the consensus layer. A coder's segment matches "
    "a consensus segment of the same code on the same document when their overlap is at "
    "least overlapPercent of the stretch they cover together (as in SEGMENT_MATCH). "
    "Precision: share of the coder's segments matched; recall: share of consensus segments "
    "matched; null when there is nothing to divide by."
)
class CodeVsConsensus:
    key: str
    label: str
    coder_segments: int
    consensus_segments: int
    matched_coder_segments: int
    matched_consensus_segments: int
    precision: float | None
    recall: float | None
    f1: float | None
    alpha: CoefficientValue = strawberry.field(
        description="Krippendorff's unitizing α (2004) of the code, coder vs consensus."
    )


@strawberry.type
class CoderVsConsensus:
    coder: UserType
    coefficients: list[CoefficientValue] = strawberry.field(
        description="The unit mode's coefficients with the consensus layer as second coder, "
        "on the documents assigned to the coder."
    )
    per_code: list[CodeVsConsensus]


def _versus(r: service.AgreementResult, users: dict[str, UserType]) -> list[CoderVsConsensus]:
    return [
        CoderVsConsensus(
            coder=users[v.coder],
            coefficients=_values(v.coefficients, r.alpha_min),
            per_code=[
                CodeVsConsensus(
                    key=c.key,
                    label=c.label,
                    coder_segments=c.coder_segments,
                    consensus_segments=c.consensus_segments,
                    matched_coder_segments=c.matched_coder,
                    matched_consensus_segments=c.matched_consensus,
                    precision=c.precision,
                    recall=c.recall,
                    f1=c.f1,
                    alpha=CoefficientValue.of("unitizing_alpha_2004", c.alpha, r.alpha_min),
                )
                for c in v.per_code
            ],
        )
        for v in r.coder_vs_consensus
    ]


@strawberry.type(
    description="One code's character κ on one document, as NVivo reports each source; "
    "the per-code figures of CHARACTER mode pool these (their scope says so)."
)
class DocumentCharacterKappa:
    code: str
    code_id: strawberry.ID | None
    document_id: strawberry.ID
    document: str = strawberry.field(description="The document's title.")
    percent_agreement: CoefficientValue
    cohen_kappa: CoefficientValue


@strawberry.type
class AgreementReport:
    parameters: AgreementParameters
    headline: CoefficientName = strawberry.field(
        description="The coefficient the report leads with: U_ALPHA (CONTINUUM), "
        "UNITS_MASI_ALPHA (UNITS), BRENNAN_PREDIGER (SEGMENT_MATCH), COHEN_KAPPA (CHARACTER)."
    )
    verdict: Verdict | None = strawberry.field(
        description="The headline's verdict: RELIABLE, TENTATIVE, NOT_RELIABLE or UNDEFINED "
        "when the headline is one of Krippendorff's α family (CONTINUUM, UNITS); null when "
        "no published threshold applies to it (SEGMENT_MATCH, CHARACTER)."
    )
    alpha_min: float
    coefficients: list[CoefficientValue]
    per_code: list[AgreementBreakdown]
    per_document: list[AgreementBreakdown]
    per_round: list[AgreementBreakdown]
    coder_pairs: list[AgreementBreakdown]
    counts: AgreementCounts = strawberry.field(
        description="What was read: documents, coders, segments, units."
    )
    raw_csv: str = strawberry.field(
        description="The run's data as a segments CSV (document,coder,code,start,end) that "
        "`accord agreement` reads; give each document's extent with --extent ID=0:LENGTH."
    )
    coder_vs_consensus: list[CoderVsConsensus] = strawberry.field(
        description="Each coder against the consensus layer, to show who drifts; empty until "
        "the documents hold consensus codings."
    )
    methods_paragraph: str = strawberry.field(
        description="A paragraph for a paper's methods section with this run's numbers, as "
        "in the reliability report."
    )
    character_kappa_per_document: list[DocumentCharacterKappa] = strawberry.field(
        description="Character κ per code and document (every unit mode computes it)."
    )
    per_coder: list[AgreementBreakdown] = strawberry.field(
        description="With compare: ROUNDS, each coder's stability (their two rounds as two "
        "coders; key is the coder's id, label their name, coders the coder); empty "
        "otherwise. The overall coefficients then pool every coder's documents."
    )


def _values(coefficients: dict[str, Coefficient], alpha_min: float) -> list[CoefficientValue]:
    return [CoefficientValue.of(n, c, alpha_min) for n, c in coefficients.items()]


def _breakdowns(items: list[service.Breakdown], alpha_min: float) -> list[AgreementBreakdown]:
    return [
        AgreementBreakdown(
            key=b.key,
            label=b.label,
            coefficients=_values(b.coefficients, alpha_min),
            segment_count=b.segments,
            code_id=strawberry.ID(b.code_id) if b.code_id is not None else None,
        )
        for b in items
    ]


def _pairs(
    items: list[service.Breakdown], alpha_min: float, users: dict[str, UserType]
) -> list[AgreementBreakdown]:
    """Coder pairs named by their users: the engine keys a pair by the coders' labels
    (their emails), which the API does not show."""
    # Matched whole, as an email may hold the "|" that joins the key.
    by_key = {f"{a}|{b}": [users[a], users[b]] for a, b in permutations(users, 2)}
    out = []
    for b in items:
        pair = by_key[b.key]
        out.append(
            AgreementBreakdown(
                key="|".join(u.id for u in pair),
                label=" × ".join(u.name for u in pair),
                coefficients=_values(b.coefficients, alpha_min),
                segment_count=b.segments,
                code_id=None,
                coders=pair,
            )
        )
    return out


async def _coders(
    info: Info[Context, None], inputs: service.AgreementInputs
) -> dict[str, UserType]:
    """The compared coders by the label the engine knows them by (an email, or a
    placeholder's label: accord.users.labels), which the API does not show."""
    async with info.context.connection() as conn:
        if inputs.retest is None:
            by_id = inputs.study.coders
        else:
            # The retest's labels, made the same way from the two rounds' assignees.
            rows = await conn.fetch(
                f"SELECT DISTINCT u.id, {LABEL_COLUMNS} FROM assignments a "
                "JOIN users u ON u.id = a.user_id WHERE a.round_id = ANY($1::uuid[]) "
                "ORDER BY u.email",
                [r.id for r in inputs.retest.rounds],
            )
            by_id = labels_of(rows)
        found = await users_repo.users_by_ids(conn, list(by_id))
    return {by_id[row["id"]]: UserType.of(User.from_row(row)) for row in found}


def _per_coder(
    items: list[service.Breakdown], alpha_min: float, users: dict[str, UserType]
) -> list[AgreementBreakdown]:
    return [
        AgreementBreakdown(
            key=users[b.key].id,
            label=users[b.key].name,
            coefficients=_values(b.coefficients, alpha_min),
            segment_count=b.segments,
            code_id=None,
            coders=[users[b.key]],
        )
        for b in items
    ]


@strawberry.type
class Query:
    @strawberry.field(
        description="Inter-coder agreement for a project, with every parameter echoed."
    )
    async def agreement(
        self,
        info: Info[Context, None],
        project_id: strawberry.ID,
        input: AgreementInput | None = None,
    ) -> AgreementReport:
        given = input or AgreementInput()
        req = service.AgreementRequest(
            unit_mode=given.unit_mode.value,
            unit_kind=given.unit_kind.value,
            min_coverage=given.min_coverage,
            overlap_percent=given.overlap_percent,
            coder_ids=[str(c) for c in given.coder_ids] if given.coder_ids is not None else None,
            document_ids=[str(d) for d in given.document_ids]
            if given.document_ids is not None
            else None,
            code_ids=[str(c) for c in given.code_ids] if given.code_ids is not None else None,
            round_id=given.round_id,
            code_level=given.code_level.value,
            bootstrap_resamples=given.bootstrap.resamples if given.bootstrap else None,
            bootstrap_seed=given.bootstrap.seed if given.bootstrap else 0,
            bootstrap_method=given.bootstrap.method.name.lower() if given.bootstrap else "pairs",
            population=given.population,
            compare=given.compare.name,
            round_ids=[str(r) for r in given.round_ids] if given.round_ids is not None else None,
        )

        async def load(conn: asyncpg.Connection, user: User) -> service.AgreementInputs:
            limits = service.AgreementLimits.of(info.context.settings)
            return await service.load(conn, user, parse_id(project_id, "Project"), req, limits)

        # The data is read on the event loop, its connection released, and the engine
        # runs in a worker process; the caller's slot covers both (RATE_LIMITED past it).
        user = info.context.require_user()
        with info.context.heavy.admit(user.id, "This agreement report", service.ADVICE) as run:
            inputs = await read(info, load)
            r = await run(service.assemble_packed, await service.pack_inputs(inputs))
        users = await _coders(info, inputs)
        return AgreementReport(
            parameters=parameters_of(finite(r.parameters), users),
            headline=coefficient_name(r.headline),
            verdict=verdict_of(r.verdict),
            alpha_min=r.alpha_min,
            coefficients=_values(r.coefficients, r.alpha_min),
            per_code=_breakdowns(r.per_code, r.alpha_min),
            per_document=_breakdowns(r.per_document, r.alpha_min),
            per_round=_breakdowns(r.per_round, r.alpha_min),
            coder_pairs=_pairs(r.coder_pairs, r.alpha_min, users),
            counts=counts_of(finite(r.counts), users),
            raw_csv=r.raw_csv,
            coder_vs_consensus=_versus(r, users),
            methods_paragraph=methods_paragraph(r),
            character_kappa_per_document=[
                DocumentCharacterKappa(
                    code=d.code,
                    code_id=strawberry.ID(d.code_id) if d.code_id is not None else None,
                    document_id=strawberry.ID(d.document_id),
                    document=d.document,
                    percent_agreement=CoefficientValue.of(
                        "percent_agreement", d.percent_agreement, r.alpha_min
                    ),
                    cohen_kappa=CoefficientValue.of("cohen_kappa", d.cohen_kappa, r.alpha_min),
                )
                for d in r.character_per_document
            ],
            per_coder=_per_coder(r.per_coder, r.alpha_min, users),
        )
