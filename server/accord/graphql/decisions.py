"""The decision log and finalising a project over GraphQL."""

from datetime import datetime

import asyncpg
import strawberry
from strawberry.types import Info

from accord.consensus import decisions
from accord.consensus.decisions import DecisionEntry, DecisionSegment
from accord.graphql.context import Context
from accord.graphql.errors import mutate, read
from accord.graphql.opaque import OpaqueIds
from accord.graphql.projects import ProjectResult, ProjectType
from accord.graphql.vocabulary import DecisionEffect, Layer, effect_of
from accord.ids import parse_id
from accord.permissions import Action
from accord.projects import finalizing
from accord.projects import service as projects
from accord.users.model import User


def _id(value: object) -> strawberry.ID:
    return strawberry.ID(str(value))


@strawberry.type(description="A segment a decision touched.")
class DecisionSegmentType:
    layer: Layer
    effect: DecisionEffect
    code_id: strawberry.ID | None
    code: str = strawberry.field(description="The code's path at the time of reading.")
    start: int
    end: int
    text: str
    coder_id: strawberry.ID | None
    coder: str | None

    @classmethod
    def of(cls, s: DecisionSegment) -> "DecisionSegmentType":
        return cls(
            layer=Layer(s.layer),
            effect=effect_of(s.effect),
            code_id=_id(s.code_id) if s.code_id else None,
            code=s.code,
            start=s.start,
            end=s.end,
            text=s.text,
            coder_id=_id(s.coder_id) if s.coder_id else None,
            coder=s.coder,
        )


@strawberry.type(name="Decision", description="One consensus or codebook decision.")
class DecisionType:
    event_id: strawberry.ID
    at: datetime
    kind: str
    actor: str = strawberry.field(description="Who decided; 'automatic' for the consensus rule.")
    automatic: bool
    what: str
    rationale: str | None
    document_id: strawberry.ID | None
    document: str | None
    round_id: strawberry.ID | None
    segments: list[DecisionSegmentType]
    undoes: strawberry.ID | None = strawberry.field(
        description="For an undone merge: the eventId of the merge it undid."
    )

    @classmethod
    def of(cls, e: DecisionEntry, ids: OpaqueIds) -> "DecisionType":
        return cls(
            event_id=strawberry.ID(ids.event(e.event_id)),
            at=e.at,
            kind=e.kind,
            actor=e.actor,
            automatic=e.automatic,
            what=e.what,
            rationale=e.rationale,
            document_id=_id(e.document_id) if e.document_id else None,
            document=e.document,
            round_id=_id(e.round_id) if e.round_id else None,
            segments=[DecisionSegmentType.of(s) for s in e.segments],
            undoes=strawberry.ID(ids.event(e.undoes)) if e.undoes else None,
        )


async def _project_log(
    info: Info[Context, None], project_id: strawberry.ID
) -> tuple[str, list[DecisionEntry]]:
    async def run(conn: asyncpg.Connection, user: User) -> tuple[str, list[DecisionEntry]]:
        pid = parse_id(project_id, "Project")
        project = await projects.load(conn, pid, user, Action.VIEW_AUDIT_LOG)
        return project.name, await decisions.decision_log(conn, user, pid)

    return await read(info, run)


@strawberry.type
class Query:
    @strawberry.field(description="Every consensus and codebook decision, oldest first.")
    async def decision_log(
        self, info: Info[Context, None], project_id: strawberry.ID
    ) -> list[DecisionType]:
        _name, entries = await _project_log(info, project_id)
        return [DecisionType.of(e, info.context.ids) for e in entries]

    @strawberry.field(description="The decision log as CSV.")
    async def decision_log_csv(self, info: Info[Context, None], project_id: strawberry.ID) -> str:
        _name, entries = await _project_log(info, project_id)
        return decisions.decision_log_csv(entries)

    @strawberry.field(description="The decision log as Markdown, for a methods appendix.")
    async def decision_log_markdown(
        self, info: Info[Context, None], project_id: strawberry.ID
    ) -> str:
        name, entries = await _project_log(info, project_id)
        return decisions.decision_log_markdown(entries, name)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Make the project final (leads): every change is refused.")
    async def finalize_project(
        self, info: Info[Context, None], project_id: strawberry.ID, rationale: str | None = None
    ) -> ProjectResult:
        async def run(conn: asyncpg.Connection, user: User) -> ProjectType:
            pid = parse_id(project_id, "Project")
            return ProjectType.of(await finalizing.finalize(conn, user, pid, rationale))

        return await mutate(info, run)

    @strawberry.mutation(description="Open a final project for changes again (leads).")
    async def unfinalize_project(
        self, info: Info[Context, None], project_id: strawberry.ID, rationale: str
    ) -> ProjectResult:
        async def run(conn: asyncpg.Connection, user: User) -> ProjectType:
            pid = parse_id(project_id, "Project")
            return ProjectType.of(await finalizing.unfinalize(conn, user, pid, rationale))

        return await mutate(info, run)
