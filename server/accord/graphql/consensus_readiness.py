"""Before starting consensus on a document, over GraphQL: the rule and who has submitted."""

import asyncpg
import strawberry
from strawberry.types import Info

from accord.consensus import readiness
from accord.consensus.readiness import DocumentConsensus, Readiness
from accord.graphql.coding import AssignmentType
from accord.graphql.consensus import ConsensusProgress, ConsensusSession
from accord.graphql.context import Context
from accord.graphql.errors import read
from accord.users.model import User


@strawberry.type(
    description="What a lead needs before starting consensus on a document in a round."
)
class ConsensusReadiness:
    document_id: strawberry.ID
    round_id: strawberry.ID
    rule: str = strawberry.field(
        description="The project's consensus rule in plain words: which items are accepted "
        "without a lead's decision."
    )
    assignments: list[AssignmentType] = strawberry.field(
        description="Every assignment of the document in the round: the coders compared."
    )
    pending: list[AssignmentType] = strawberry.field(
        description="The assignments not submitted yet; starting now needs force."
    )
    session: ConsensusSession | None = strawberry.field(
        description="The consensus session; null until started."
    )

    @classmethod
    def of(cls, r: Readiness) -> "ConsensusReadiness":
        return cls(
            document_id=strawberry.ID(str(r.document_id)),
            round_id=strawberry.ID(str(r.round_id)),
            rule=r.rule,
            assignments=[AssignmentType.of(a) for a in r.assignments],
            pending=[AssignmentType.of(a) for a in r.pending],
            session=ConsensusSession.of(r.session) if r.session else None,
        )


@strawberry.type(
    name="DocumentConsensus",
    description="Where consensus stands on one document in a round.",
)
class DocumentConsensusType:
    document_id: strawberry.ID
    title: str
    assigned: int = strawberry.field(description="Coders assigned the document in the round.")
    submitted: int = strawberry.field(description="Of them, those who submitted.")
    progress: ConsensusProgress

    @classmethod
    def of(cls, d: DocumentConsensus) -> "DocumentConsensusType":
        return cls(
            document_id=strawberry.ID(str(d.document_id)),
            title=d.title,
            assigned=d.assigned,
            submitted=d.submitted,
            progress=ConsensusProgress.of(d.progress),
        )


@strawberry.type
class Query:
    @strawberry.field(
        description="Every document of the project and where consensus stands on it in the "
        "round (leads and viewers)."
    )
    async def consensus_overview(
        self,
        info: Info[Context, None],
        project_id: strawberry.ID,
        round_id: strawberry.ID | None = None,
    ) -> list[DocumentConsensusType] | None:
        async def run(conn: asyncpg.Connection, user: User) -> list[DocumentConsensusType]:
            found = await readiness.overview(conn, user, str(project_id), round_id)
            return [DocumentConsensusType.of(d) for d in found]

        return await read(info, run)

    @strawberry.field(
        description="Before consensus on a document (leads and viewers): the rule in plain "
        "words, the coders, and who has not submitted."
    )
    async def consensus_readiness(
        self,
        info: Info[Context, None],
        document_id: strawberry.ID,
        round_id: strawberry.ID | None = None,
    ) -> ConsensusReadiness | None:
        async def run(conn: asyncpg.Connection, user: User) -> ConsensusReadiness:
            found = await readiness.readiness(conn, user, str(document_id), round_id)
            return ConsensusReadiness.of(found)

        return await read(info, run)
