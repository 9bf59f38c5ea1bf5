"""The agreement dashboard's drill-down over GraphQL: `projectDisagreements`."""

import asyncpg
import strawberry
from strawberry.types import Info

from accord.graphql import loaders
from accord.graphql.agreement_types import CodeLevel
from accord.graphql.consensus import ConsensusStatus, DisagreementItem, DisagreementKind
from accord.graphql.context import Context
from accord.graphql.errors import read
from accord.graphql.users import UserType
from accord.ids import parse_id
from accord.reports import disagreements as service
from accord.users.model import User


def _id(value: object) -> strawberry.ID:
    return strawberry.ID(str(value))


@strawberry.input(
    description="Which disagreements to list: the agreement report's selection (round, "
    "documents, coders, codes, code level), narrowed to a code and to kinds of item."
)
class DisagreementFilterInput:
    round_id: strawberry.ID | None = None
    document_ids: list[strawberry.ID] | None = None
    coder_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Compare only these coders; two for a coder pair."
    )
    code_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Only these codes' segments, as in `agreement`."
    )
    code_level: CodeLevel = CodeLevel.CODE
    code_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Only items where some coder used this code; at GROUP or CATEGORY "
        "level a code stands for its group or category.",
    )
    kinds: list[DisagreementKind] | None = strawberry.field(
        default=None, description="Default: every kind but EXACT_AGREEMENT."
    )

    def request(self) -> service.DrillDown:
        def ids(values: list[strawberry.ID] | None) -> list[str] | None:
            return [str(v) for v in values] if values is not None else None

        return service.DrillDown(
            round_id=self.round_id,
            document_ids=ids(self.document_ids),
            coder_ids=ids(self.coder_ids),
            code_ids=ids(self.code_ids),
            code_level=self.code_level.value,
            code_id=self.code_id,
            kinds=[k.value for k in self.kinds] if self.kinds is not None else None,
        )


@strawberry.type(description="A document's listed items, counted by kind.")
class DisagreementCounts:
    boundary_difference: int
    code_difference: int
    omission: int
    exact_agreement: int
    total: int


@strawberry.type(description="One compared document and its items.")
class DocumentDisagreements:
    document_id: strawberry.ID
    title: str
    coder_ids: list[strawberry.ID] = strawberry.field(
        description="The compared coders assigned to it in the round."
    )
    consensus_status: ConsensusStatus
    counts: DisagreementCounts
    items: list[DisagreementItem] = strawberry.field(
        description="In document order; each with every compared coder's segments and text."
    )


@strawberry.type(description="A document the selection left out, and why.")
class ExcludedDocument:
    document_id: strawberry.ID
    title: str
    reason: str


@strawberry.type(
    description="Disagreements across a project's documents: from an agreement number to "
    "the segments behind it."
)
class ProjectDisagreements:
    round_id: strawberry.ID
    coder_ids: list[strawberry.ID] = strawberry.field(description="Every compared coder.")
    excluded: list[ExcludedDocument] = strawberry.field(
        description="What the selection leaves out, and why; cheap to ask for alone."
    )
    _inputs: strawberry.Private[service.DrillInputs]

    @strawberry.field(
        description="Every compared document, oldest first, also those with no item listed. "
        "Aligning the layers is heavy work, counted against the caller's limit."
    )
    async def documents(self, info: Info[Context, None]) -> list[DocumentDisagreements]:
        user = info.context.require_user()
        with info.context.heavy.admit(user.id, "This drill-down", service.ADVICE) as run:
            found = await run(service.findings, self._inputs)
        return [_document(d) for d in found]

    @strawberry.field
    async def coders(self, info: Info[Context, None]) -> list[UserType]:
        found = [await loaders.user_type(info, parse_id(c, "User")) for c in self.coder_ids]
        return [u for u in found if u is not None]


def _counts(items: list[DisagreementItem]) -> DisagreementCounts:
    kinds = [i.kind for i in items]
    return DisagreementCounts(
        boundary_difference=kinds.count(DisagreementKind.BOUNDARY_DIFFERENCE),
        code_difference=kinds.count(DisagreementKind.CODE_DIFFERENCE),
        omission=kinds.count(DisagreementKind.OMISSION),
        exact_agreement=kinds.count(DisagreementKind.EXACT_AGREEMENT),
        total=len(kinds),
    )


def _document(d: service.DocumentFindings) -> DocumentDisagreements:
    items = [DisagreementItem.of(v) for v in d.items]
    return DocumentDisagreements(
        document_id=_id(d.document_id),
        title=d.title,
        coder_ids=[_id(c) for c in d.coders],
        consensus_status=ConsensusStatus(d.consensus_status),
        counts=_counts(items),
        items=items,
    )


def _of(inputs: service.DrillInputs) -> ProjectDisagreements:
    return ProjectDisagreements(
        round_id=_id(inputs.round.id),
        coder_ids=[_id(c) for c in inputs.coders],
        excluded=[
            ExcludedDocument(document_id=_id(e.document_id), title=e.title, reason=e.reason)
            for e in inputs.excluded
        ],
        _inputs=inputs,
    )


@strawberry.type
class Query:
    @strawberry.field(
        description="Disagreement items across a project's documents, filtered by code, "
        "document and coders, with the same selection as `agreement`: leads and viewers "
        "see every document, a coder those revealed to them."
    )
    async def project_disagreements(
        self,
        info: Info[Context, None],
        project_id: strawberry.ID,
        filter: DisagreementFilterInput | None = None,
    ) -> ProjectDisagreements:
        req = (filter or DisagreementFilterInput()).request()

        async def load(conn: asyncpg.Connection, user: User) -> service.DrillInputs:
            return await service.load(conn, user, parse_id(project_id, "Project"), req)

        # Read on the event loop; `documents` aligns in a worker process, as the agreement
        # report computes, and only when asked for.
        return _of(await read(info, load))
