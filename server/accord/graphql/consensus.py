"""The consensus workflow, finalising and the decision log over GraphQL."""

from collections.abc import Awaitable, Callable
from datetime import datetime
from enum import Enum
from typing import Annotated, Any, TypeAlias, TypeVar
from uuid import UUID

import asyncpg
import strawberry
from strawberry.types import Info

from accord.consensus import workflow, workflow_resolve
from accord.consensus.resolution import ResolutionAction
from accord.consensus.workflow_items import ItemSegment, ItemView, Progress, Session
from accord.graphql import loaders
from accord.graphql.codebook import CodeType
from accord.graphql.coding_types import CodingType
from accord.graphql.context import Context
from accord.graphql.errors import Errors, Version, mutate, read
from accord.graphql.users import UserType
from accord.users.model import User

T = TypeVar("T")


def _id(value: Any) -> strawberry.ID:
    return strawberry.ID(str(value))


async def _code(info: Info[Context, None], project_id: UUID, code_id: UUID) -> CodeType | None:
    code = (await loaders.project_codes(info, project_id)).get(code_id)
    return CodeType.of(code) if code else None


@strawberry.enum
class DisagreementKind(Enum):
    EXACT_AGREEMENT = "EXACT_AGREEMENT"
    BOUNDARY_DIFFERENCE = "BOUNDARY_DIFFERENCE"
    CODE_DIFFERENCE = "CODE_DIFFERENCE"
    OMISSION = "OMISSION"


@strawberry.enum
class DisagreementStatus(Enum):
    OPEN = "OPEN"
    AUTO_ACCEPTED = "AUTO_ACCEPTED"
    RESOLVED = "RESOLVED"


@strawberry.enum
class ConsensusStatus(Enum):
    NOT_STARTED = "NOT_STARTED"
    OPEN = "OPEN"
    COMPLETED = "COMPLETED"


ResolutionActionEnum = strawberry.enum(ResolutionAction, name="ResolutionAction")


@strawberry.type(description="One coder's segment in a disagreement item, with its text.")
class DisagreementSegment:
    coding_id: strawberry.ID
    coder_id: strawberry.ID
    code_id: strawberry.ID
    start: int
    end: int
    text: str
    _project_id: strawberry.Private[UUID]
    _segment: strawberry.Private[ItemSegment]

    @classmethod
    def of(cls, project_id: UUID, s: ItemSegment) -> "DisagreementSegment":
        return cls(
            coding_id=_id(s.coding_id),
            coder_id=_id(s.coder_id),
            code_id=_id(s.code_id),
            start=s.start,
            end=s.end,
            text=s.text,
            _project_id=project_id,
            _segment=s,
        )

    @strawberry.field
    async def coder(self, info: Info[Context, None]) -> UserType | None:
        return await loaders.user_type(info, self._segment.coder_id)

    @strawberry.field
    async def code(self, info: Info[Context, None]) -> CodeType | None:
        return await _code(info, self._project_id, self._segment.code_id)


@strawberry.type(
    description="Every segment one coder has in an item; empty when they coded nothing there."
)
class CoderSegments:
    coder_id: strawberry.ID
    segments: list[DisagreementSegment]
    _coder_id: strawberry.Private[UUID]

    @strawberry.field
    async def coder(self, info: Info[Context, None]) -> UserType | None:
        return await loaders.user_type(info, self._coder_id)


@strawberry.type(description="How a lead resolved an item.")
class Resolution:
    action: ResolutionActionEnum  # type: ignore[valid-type]
    coder_id: strawberry.ID | None
    start: int | None
    end: int | None
    code_ids: list[strawberry.ID] | None


@strawberry.type(description="Overlapping segments of all coders, clustered and classified.")
class DisagreementItem:
    id: strawberry.ID | None = strawberry.field(description="Null until consensus has started.")
    key: str = strawberry.field(description="Stable for the same segments.")
    document_id: strawberry.ID
    round_id: strawberry.ID
    kind: DisagreementKind
    status: DisagreementStatus
    start: int
    end: int
    version: int
    meets_rule: bool = strawberry.field(description="Whether it meets the consensus rule now.")
    rationale: str | None
    resolved_at: datetime | None
    resolution: Resolution | None
    segments: list[DisagreementSegment]
    coders: list[CoderSegments] = strawberry.field(description="Every compared coder, in order.")
    _view: strawberry.Private[ItemView]

    @classmethod
    def of(cls, v: ItemView) -> "DisagreementItem":
        segments = [DisagreementSegment.of(v.project_id, s) for s in v.segments]
        r = v.resolution
        return cls(
            id=_id(v.id) if v.id else None,
            key=v.key,
            document_id=_id(v.document_id),
            round_id=_id(v.round_id),
            kind=DisagreementKind(v.kind),
            status=DisagreementStatus(v.status),
            start=v.start,
            end=v.end,
            version=v.version,
            meets_rule=v.meets_rule,
            rationale=v.rationale,
            resolved_at=v.resolved_at,
            resolution=Resolution(
                action=ResolutionAction(r["action"]),
                coder_id=_id(r["coderId"]) if r.get("coderId") else None,
                start=r.get("start"),
                end=r.get("end"),
                code_ids=[_id(c) for c in r["codeIds"]] if "codeIds" in r else None,
            )
            if r
            else None,
            segments=segments,
            coders=[
                CoderSegments(
                    coder_id=_id(c),
                    segments=[s for s in segments if s._segment.coder_id == c],
                    _coder_id=c,
                )
                for c in v.coders
            ],
            _view=v,
        )

    @strawberry.field
    async def resolved_by(self, info: Info[Context, None]) -> UserType | None:
        return await loaders.user_type(info, self._view.resolved_by)

    @strawberry.field(description="The consensus-layer codings this item wrote.")
    async def consensus_codings(self, info: Info[Context, None]) -> list[CodingType]:
        item_id = self._view.id
        if item_id is None:
            return []

        async def run(conn: asyncpg.Connection, user: User) -> list[CodingType]:
            return [CodingType.of(c) for c in await workflow.item_codings(conn, user, item_id)]

        return await read(info, run)


@strawberry.type(description="A document's items counted by status.")
class ConsensusProgress:
    document_id: strawberry.ID
    round_id: strawberry.ID
    status: ConsensusStatus
    forced: bool
    open: int
    auto_accepted: int
    resolved: int
    total: int

    @classmethod
    def of(cls, p: Progress) -> "ConsensusProgress":
        return cls(
            document_id=_id(p.document_id),
            round_id=_id(p.round_id),
            status=ConsensusStatus(p.status),
            forced=p.forced,
            open=p.open,
            auto_accepted=p.auto_accepted,
            resolved=p.resolved,
            total=p.total,
        )


@strawberry.type(description="Consensus on one document in one round.")
class ConsensusSession:
    id: strawberry.ID
    document_id: strawberry.ID
    round_id: strawberry.ID
    status: ConsensusStatus
    forced: bool = strawberry.field(description="Started before every coder had submitted.")
    started_at: datetime
    completed_at: datetime | None
    _session: strawberry.Private[Session]

    @classmethod
    def of(cls, s: Session) -> "ConsensusSession":
        return cls(
            id=_id(s.id),
            document_id=_id(s.document_id),
            round_id=_id(s.round_id),
            status=ConsensusStatus(s.status),
            forced=s.forced,
            started_at=s.started_at,
            completed_at=s.completed_at,
            _session=s,
        )

    @strawberry.field
    async def started_by(self, info: Info[Context, None]) -> UserType | None:
        return await loaders.user_type(info, self._session.started_by)

    @strawberry.field
    async def completed_by(self, info: Info[Context, None]) -> UserType | None:
        return await loaders.user_type(info, self._session.completed_by)

    @strawberry.field
    async def progress(self, info: Info[Context, None]) -> ConsensusProgress:
        did, rid = str(self._session.document_id), str(self._session.round_id)
        return await _read(
            info, lambda conn, user: workflow.progress(conn, user, did, rid), ConsensusProgress.of
        )

    @strawberry.field
    async def items(self, info: Info[Context, None]) -> list[DisagreementItem]:
        did, rid = str(self._session.document_id), str(self._session.round_id)
        return await _items(info, did, rid)


async def _read(
    info: Info[Context, None],
    fn: Callable[[asyncpg.Connection, User], Awaitable[T]],
    convert: Callable[[T], Any],
) -> Any:
    async def run(conn: asyncpg.Connection, user: User) -> Any:
        return convert(await fn(conn, user))

    return await read(info, run)


async def _items(
    info: Info[Context, None], document_id: str, round_id: str | None
) -> list[DisagreementItem]:
    async def run(conn: asyncpg.Connection, user: User) -> list[DisagreementItem]:
        found = await workflow.disagreements(conn, user, document_id, round_id)
        return [DisagreementItem.of(v) for v in found]

    return await read(info, run)


@strawberry.input(description="A lead's resolution of a disagreement item.")
class ResolutionInput:
    action: ResolutionActionEnum  # type: ignore[valid-type]
    coder_id: strawberry.ID | None = strawberry.field(default=None, description="TAKE_CODER.")
    start: int | None = strawberry.field(default=None, description="CUSTOM.")
    end: int | None = strawberry.field(default=None, description="CUSTOM.")
    code_ids: list[strawberry.ID] | None = strawberry.field(default=None, description="CUSTOM.")

    def as_dict(self) -> dict[str, Any]:
        return {
            "action": ResolutionAction(self.action).value,
            "coderId": self.coder_id,
            "start": self.start,
            "end": self.end,
            "codeIds": self.code_ids,
        }


ConsensusSessionResult: TypeAlias = Annotated[
    ConsensusSession | Errors, strawberry.union("ConsensusSessionResult")
]
DisagreementItemResult: TypeAlias = Annotated[
    DisagreementItem | Errors, strawberry.union("DisagreementItemResult")
]


@strawberry.type
class Query:
    @strawberry.field(
        description="A document's disagreement items: leads and viewers, and coders once "
        "the document is revealed. Aligned live until consensus starts, stored after."
    )
    async def disagreements(
        self,
        info: Info[Context, None],
        document_id: strawberry.ID,
        round_id: strawberry.ID | None = None,
    ) -> list[DisagreementItem]:
        return await _items(info, str(document_id), round_id)

    @strawberry.field(description="Counts of a document's items by status.")
    async def consensus_progress(
        self,
        info: Info[Context, None],
        document_id: strawberry.ID,
        round_id: strawberry.ID | None = None,
    ) -> ConsensusProgress:
        return await _read(
            info,
            lambda conn, user: workflow.progress(conn, user, str(document_id), round_id),
            ConsensusProgress.of,
        )

    @strawberry.field(description="Consensus on a document in a round; null until started.")
    async def consensus_session(
        self,
        info: Info[Context, None],
        document_id: strawberry.ID,
        round_id: strawberry.ID | None = None,
    ) -> ConsensusSession | None:
        return await _read(
            info,
            lambda conn, user: workflow.session_of(conn, user, str(document_id), round_id),
            lambda s: ConsensusSession.of(s) if s else None,
        )


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Build a document's items and auto-accept those meeting the consensus "
        "rule (leads). Needs every assignment submitted unless force is set."
    )
    async def start_consensus(
        self,
        info: Info[Context, None],
        document_id: strawberry.ID,
        round_id: strawberry.ID | None = None,
        force: bool = False,
    ) -> ConsensusSessionResult:
        async def run(conn: asyncpg.Connection, user: User) -> ConsensusSession:
            return ConsensusSession.of(
                await workflow.start(conn, user, str(document_id), round_id, force)
            )

        return await mutate(info, run)

    @strawberry.mutation(description="Resolve an open item; a stale version gets CONFLICT.")
    async def resolve_disagreement(
        self,
        info: Info[Context, None],
        item_id: strawberry.ID,
        resolution: ResolutionInput,
        version: Version,
        rationale: str | None = None,
    ) -> DisagreementItemResult:
        async def run(conn: asyncpg.Connection, user: User) -> DisagreementItem:
            view = await workflow_resolve.resolve_item(
                conn, user, str(item_id), resolution.as_dict(), rationale, version
            )
            return DisagreementItem.of(view)

        return await mutate(info, run)

    @strawberry.mutation(description="Undo an item's resolution or auto-accept exactly.")
    async def reopen_disagreement(
        self,
        info: Info[Context, None],
        item_id: strawberry.ID,
        version: Version,
        rationale: str | None = None,
    ) -> DisagreementItemResult:
        async def run(conn: asyncpg.Connection, user: User) -> DisagreementItem:
            view = await workflow_resolve.reopen_item(conn, user, str(item_id), rationale, version)
            return DisagreementItem.of(view)

        return await mutate(info, run)

    @strawberry.mutation(description="Close consensus on a document once no item is open.")
    async def complete_consensus(
        self,
        info: Info[Context, None],
        document_id: strawberry.ID,
        round_id: strawberry.ID | None = None,
    ) -> ConsensusSessionResult:
        async def run(conn: asyncpg.Connection, user: User) -> ConsensusSession:
            return ConsensusSession.of(
                await workflow.complete(conn, user, str(document_id), round_id)
            )

        return await mutate(info, run)
