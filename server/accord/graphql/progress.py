"""The progress matrix over GraphQL: `Project.progressMatrix`."""

from uuid import UUID

import asyncpg
import strawberry
from strawberry.types import Info

from accord.coding import progress
from accord.coding.access import Scope
from accord.graphql.coding import AssignmentType, RoundType
from accord.graphql.consensus import ConsensusStatus
from accord.graphql.context import Context
from accord.graphql.project_coding import in_scope
from accord.graphql.users import UserType


@strawberry.type(description="One document's row of the progress matrix.")
class DocumentProgress:
    document_id: strawberry.ID
    title: str
    revealed: bool = strawberry.field(
        description="Every coder's layer is visible to every member for the round."
    )
    consensus_status: ConsensusStatus
    open_items: int = strawberry.field(
        description="Disagreement items still open; 0 until consensus starts."
    )
    decided_items: int = strawberry.field(
        description="Items auto-accepted or resolved; 0 until consensus starts."
    )
    assignments: list[AssignmentType] = strawberry.field(
        description="One cell per assigned coder (status, codings, last activity)."
    )


@strawberry.type(
    description="Every document × coder of a round at once: what a lead watches while a "
    "study runs. Leads and viewers only."
)
class ProgressMatrix:
    round: RoundType
    coders: list[UserType] = strawberry.field(
        description="The columns: the project's coders and anyone else assigned in the "
        "round, by name."
    )
    documents: list[DocumentProgress] = strawberry.field(
        description="The rows: every document, oldest first."
    )


def _of(m: progress.Matrix) -> ProgressMatrix:
    return ProgressMatrix(
        round=RoundType.of(m.round),
        coders=[UserType.of(c) for c in m.coders],
        documents=[
            DocumentProgress(
                document_id=strawberry.ID(str(d.document_id)),
                title=d.title,
                revealed=d.revealed,
                consensus_status=ConsensusStatus(d.consensus_status),
                open_items=d.open_items,
                decided_items=d.decided_items,
                assignments=[AssignmentType.of(a) for a in d.assignments],
            )
            for d in m.documents
        ],
    )


async def project_progress_matrix(
    info: Info[Context, None], project_id: UUID, round_id: strawberry.ID | None
) -> ProgressMatrix:
    async def run(conn: asyncpg.Connection, scope: Scope) -> ProgressMatrix:
        return _of(await progress.progress_matrix(conn, scope, round_id))

    return await in_scope(info, project_id, run)
