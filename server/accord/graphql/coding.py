"""Rounds, assignments, reveals and codings over GraphQL."""

import secrets
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias

import asyncpg
import strawberry
from strawberry.types import Info

from accord.coding import applying, assignments, codings, idempotency, reveals, rounds
from accord.coding.assignments import Assignment
from accord.coding.rounds import Round
from accord.graphql import loaders
from accord.graphql.coding_types import CodingType
from accord.graphql.context import Context
from accord.graphql.errors import Errors, Version, mutate
from accord.graphql.users import UserType
from accord.ids import parse_id
from accord.users.model import User

if TYPE_CHECKING:
    from accord.graphql.documents import DocumentType


KEY_DOC = (
    "A key you make for this change (8-128 letters, digits, _ - . :; a UUID will do). "
    "Sending the same change again with the same key changes nothing and returns what the "
    "first call returned; the same key with other arguments is INVALID_INPUT. Keys are "
    "yours alone."
)


def _id(value: Any) -> strawberry.ID:
    return strawberry.ID(str(value))


@strawberry.type(name="Round")
class RoundType:
    id: strawberry.ID
    name: str
    is_default: bool
    created_at: datetime

    @classmethod
    def of(cls, r: Round) -> "RoundType":
        return cls(id=_id(r.id), name=r.name, is_default=r.is_default, created_at=r.created_at)


@strawberry.enum
class AssignmentStatus(Enum):
    ASSIGNED = "ASSIGNED"
    IN_PROGRESS = "IN_PROGRESS"
    SUBMITTED = "SUBMITTED"
    REOPENED = "REOPENED"
    WITHDRAWN = strawberry.enum_value(
        "WITHDRAWN",
        description="Started, then its coder was removed from the project: the layer is "
        "kept, but no longer compared in agreement or consensus, nor awaited for the reveal.",
    )


@strawberry.type(name="Assignment")
class AssignmentType:
    id: strawberry.ID
    document_id: strawberry.ID
    round_id: strawberry.ID
    coder_id: strawberry.ID
    status: AssignmentStatus
    coding_count: int
    last_activity_at: datetime | None
    submitted_at: datetime | None
    reopen_reason: str | None

    @classmethod
    def of(cls, a: Assignment) -> "AssignmentType":
        return cls(
            id=_id(a.id),
            document_id=_id(a.document_id),
            round_id=_id(a.round_id),
            coder_id=_id(a.user_id),
            status=AssignmentStatus(a.status),
            coding_count=a.coding_count,
            last_activity_at=a.last_activity_at,
            submitted_at=a.submitted_at,
            reopen_reason=a.reopen_reason,
        )

    @strawberry.field
    async def coder(self, info: Info[Context, None]) -> UserType | None:
        return await loaders.user_type(info, parse_id(self.coder_id, "User"))

    @strawberry.field(description="The document's title, without loading its text.")
    async def document_title(self, info: Info[Context, None]) -> str:
        return await loaders.document_titles(info).load(parse_id(self.document_id, "Document"))

    @strawberry.field
    async def document(
        self, info: Info[Context, None]
    ) -> Annotated["DocumentType", strawberry.lazy("accord.graphql.documents")]:
        from accord.graphql.documents import load_document

        return await load_document(info, self.document_id)


@strawberry.type
class Reveal:
    document_id: strawberry.ID
    round_id: strawberry.ID
    revealed_at: datetime


@strawberry.type
class AutoAssignment:
    created: list[AssignmentType]
    seed: int = strawberry.field(
        description="The seed used: the one given, or one chosen at random; the same seed "
        "on the same project and round gives the same assignments."
    )


@strawberry.type
class DeletedCoding:
    id: strawberry.ID


@strawberry.input
class ApplyCodeInput:
    document_id: strawberry.ID
    code_id: strawberry.ID
    start: int
    end: int
    memo: str | None = None
    round_id: strawberry.ID | None = None


@strawberry.input
class UpdateCodingInput:
    start: int | None = None
    end: int | None = None
    code_id: strawberry.ID | None = None
    memo: str | None = None


RoundResult: TypeAlias = Annotated[RoundType | Errors, strawberry.union("RoundResult")]
AssignmentResult: TypeAlias = Annotated[
    AssignmentType | Errors, strawberry.union("AssignmentResult")
]
AutoAssignResult: TypeAlias = Annotated[
    AutoAssignment | Errors, strawberry.union("AutoAssignResult")
]
CodingResult: TypeAlias = Annotated[CodingType | Errors, strawberry.union("CodingResult")]
DeleteCodingResult: TypeAlias = Annotated[
    DeletedCoding | Errors, strawberry.union("DeleteCodingResult")
]
RevealResult: TypeAlias = Annotated[Reveal | Errors, strawberry.union("RevealResult")]


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Add a coding round, e.g. 'Calibration 1'.")
    async def create_round(
        self, info: Info[Context, None], project_id: strawberry.ID, name: str
    ) -> RoundResult:
        async def run(conn: asyncpg.Connection, user: User) -> RoundType:
            return RoundType.of(
                await rounds.create_round(conn, user, parse_id(project_id, "Project"), name)
            )

        return await mutate(info, run)

    @strawberry.mutation(description="Assign a document to a coder or lead for a round.")
    async def assign_document(
        self,
        info: Info[Context, None],
        document_id: strawberry.ID,
        user_id: strawberry.ID,
        round_id: strawberry.ID | None = None,
    ) -> AssignmentResult:
        async def run(conn: asyncpg.Connection, user: User) -> AssignmentType:
            made = await assignments.assign_document(conn, user, document_id, user_id, round_id)
            return AssignmentType.of(made)

        return await mutate(info, run)

    @strawberry.mutation(description="Spread the documents evenly and at random (seeded).")
    async def auto_assign(
        self,
        info: Info[Context, None],
        project_id: strawberry.ID,
        coder_ids: list[strawberry.ID],
        coders_per_document: int,
        round_id: strawberry.ID | None = None,
        seed: int | None = None,
    ) -> AutoAssignResult:
        chosen = seed if seed is not None else secrets.randbelow(1_000_000)

        async def run(conn: asyncpg.Connection, user: User) -> AutoAssignment:
            made = await assignments.auto_assign(
                conn,
                user,
                parse_id(project_id, "Project"),
                [str(c) for c in coder_ids],
                coders_per_document,
                round_id,
                chosen,
            )
            return AutoAssignment(created=[AssignmentType.of(a) for a in made], seed=chosen)

        return await mutate(info, run)

    @strawberry.mutation(description="Remove an assignment that has no codings yet.")
    async def unassign(
        self,
        info: Info[Context, None],
        document_id: strawberry.ID,
        user_id: strawberry.ID,
        round_id: strawberry.ID | None = None,
    ) -> AssignmentResult:
        async def run(conn: asyncpg.Connection, user: User) -> AssignmentType:
            return AssignmentType.of(
                await assignments.unassign(conn, user, document_id, user_id, round_id)
            )

        return await mutate(info, run)

    @strawberry.mutation(
        description="Submit your coding of a document; your layer becomes read-only."
    )
    async def submit_assignment(
        self,
        info: Info[Context, None],
        document_id: strawberry.ID,
        round_id: strawberry.ID | None = None,
    ) -> AssignmentResult:
        async def run(conn: asyncpg.Connection, user: User) -> AssignmentType:
            return AssignmentType.of(await assignments.submit(conn, user, document_id, round_id))

        return await mutate(info, run)

    @strawberry.mutation(
        description="Reopen a coder's submitted assignment (leads), with a reason."
    )
    async def reopen_assignment(
        self,
        info: Info[Context, None],
        document_id: strawberry.ID,
        user_id: strawberry.ID,
        reason: str,
        round_id: strawberry.ID | None = None,
    ) -> AssignmentResult:
        async def run(conn: asyncpg.Connection, user: User) -> AssignmentType:
            made = await assignments.reopen(conn, user, document_id, user_id, reason, round_id)
            return AssignmentType.of(made)

        return await mutate(info, run)

    @strawberry.mutation(
        description="Reveal every coder's layer on a document for a round (leads)."
    )
    async def reveal_document(
        self,
        info: Info[Context, None],
        document_id: strawberry.ID,
        round_id: strawberry.ID | None = None,
    ) -> RevealResult:
        async def run(conn: asyncpg.Connection, user: User) -> Reveal:
            did, rid, at = await reveals.reveal(conn, user, document_id, round_id)
            return Reveal(document_id=_id(did), round_id=_id(rid), revealed_at=at)

        return await mutate(info, run)

    @strawberry.mutation(description="Code a segment in your own layer.")
    async def apply_code(
        self,
        info: Info[Context, None],
        input: ApplyCodeInput,
        idempotency_key: Annotated[str | None, strawberry.argument(description=KEY_DOC)] = None,
    ) -> CodingResult:
        data = {
            "documentId": str(input.document_id),
            "codeId": str(input.code_id),
            "start": input.start,
            "end": input.end,
            "memo": input.memo,
            "roundId": None if input.round_id is None else str(input.round_id),
        }

        async def run(conn: asyncpg.Connection, user: User) -> CodingType:
            made = await idempotency.once(
                conn,
                user,
                idempotency_key,
                "applyCode",
                data,
                lambda: applying.apply_code(conn, user, data),
            )
            return CodingType.of(made)

        return await mutate(info, run)

    @strawberry.mutation(description="Change one of your codings; a stale version gets CONFLICT.")
    async def update_coding(
        self,
        info: Info[Context, None],
        id: strawberry.ID,
        input: UpdateCodingInput,
        version: Version,
        idempotency_key: Annotated[str | None, strawberry.argument(description=KEY_DOC)] = None,
    ) -> CodingResult:
        data = {
            "start": input.start,
            "end": input.end,
            "codeId": None if input.code_id is None else str(input.code_id),
            "memo": input.memo,
        }
        request = {"id": str(id), "input": data, "version": version}

        async def run(conn: asyncpg.Connection, user: User) -> CodingType:
            changed = await idempotency.once(
                conn,
                user,
                idempotency_key,
                "updateCoding",
                request,
                lambda: codings.update_coding(conn, user, id, data, version),
            )
            return CodingType.of(changed)

        return await mutate(info, run)

    @strawberry.mutation(description="Delete one of your codings.")
    async def delete_coding(
        self,
        info: Info[Context, None],
        id: strawberry.ID,
        idempotency_key: Annotated[str | None, strawberry.argument(description=KEY_DOC)] = None,
    ) -> DeleteCodingResult:
        async def run(conn: asyncpg.Connection, user: User) -> DeletedCoding:
            gone = await idempotency.once(
                conn,
                user,
                idempotency_key,
                "deleteCoding",
                {"id": str(id)},
                lambda: codings.delete_coding(conn, user, id),
            )
            return DeletedCoding(id=_id(gone.id))

        return await mutate(info, run)
