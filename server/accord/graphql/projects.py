"""Projects and members over GraphQL."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias
from uuid import UUID

import asyncpg
import strawberry
from strawberry.types import Info

from accord.coding import member_removal
from accord.coding.codings import CodingFilter
from accord.consensus.rules import RuleSettingsError, describe_rule, rule_from_settings
from accord.graphql import loaders
from accord.graphql import project_coding as pc
from accord.graphql.codebook import CodeType
from accord.graphql.coding import AssignmentType, RoundType
from accord.graphql.coding_types import CodingConnection
from accord.graphql.context import Context
from accord.graphql.documents import DocumentConnection, document_page
from accord.graphql.errors import Errors, mutate, read
from accord.graphql.memos import MemoTarget, MemoType
from accord.graphql.pagination import PAGE, First
from accord.graphql.progress import ProgressMatrix, project_progress_matrix
from accord.graphql.users import UserType
from accord.graphql.vocabulary import ProjectStatus
from accord.ids import parse_id
from accord.permissions import Role
from accord.projects import finalizing
from accord.projects import service as projects
from accord.projects.service import Member, Project
from accord.users.model import User

if TYPE_CHECKING:
    from accord.graphql.invitations import InvitationType

RoleEnum = strawberry.enum(Role, name="Role")


# Fields some members may not read are nullable, so that refusing one (or an argument of
# one) leaves the rest of the answer standing.
NOT_YOURS = (
    "Null, with an error at its path (FORBIDDEN, or INVALID_INPUT for an argument), when "
    "the caller may not read it; the rest of the answer stands."
)


def _rule_words(settings: dict[str, Any]) -> str:
    try:
        return describe_rule(rule_from_settings(settings))
    except RuleSettingsError as exc:
        return f"The consensus rule cannot be read: {exc}"


@strawberry.type
class ProjectSettings:
    blinding: bool = strawberry.field(description="Coders see only their own layer until reveal.")
    inductive_codes: bool = strawberry.field(description="Coders may propose codes.")
    alpha_min: float = strawberry.field(description="Reliability threshold for α (default 0.800).")
    consensus_require_all_coders: bool
    consensus_require_same_code: bool
    consensus_min_overlap: float = strawberry.field(
        description="Share (0–1] each pair of segments must overlap to auto-accept."
    )
    consensus_rule_description: str = strawberry.field(
        description="The consensus rule these settings make, in plain words."
    )


@strawberry.input
class ProjectSettingsInput:
    blinding: bool | None = None
    inductive_codes: bool | None = None
    alpha_min: float | None = None
    consensus_require_all_coders: bool | None = None
    consensus_require_same_code: bool | None = None
    consensus_min_overlap: float | None = None

    def changes(self) -> dict[str, object]:
        return {
            "blinding": self.blinding,
            "inductiveCodes": self.inductive_codes,
            "alphaMin": self.alpha_min,
            "consensusRequireAllCoders": self.consensus_require_all_coders,
            "consensusRequireSameCode": self.consensus_require_same_code,
            "consensusMinOverlap": self.consensus_min_overlap,
        }


@strawberry.type(name="Member")
class MemberType:
    user: UserType
    role: RoleEnum  # type: ignore[valid-type]

    @classmethod
    def of(cls, member: Member) -> "MemberType":
        return cls(user=UserType.of(member.user), role=member.role)


@strawberry.type
class ProjectFinalization:
    at: datetime
    by: UserType | None
    rationale: str | None


@strawberry.type(name="Project")
class ProjectType:
    id: strawberry.ID
    name: str
    description: str
    status: ProjectStatus
    version: int
    my_role: RoleEnum  # type: ignore[valid-type]
    settings: ProjectSettings
    _id: strawberry.Private[UUID]

    @classmethod
    def of(cls, project: Project) -> "ProjectType":
        s = project.settings
        return cls(
            id=strawberry.ID(str(project.id)),
            name=project.name,
            description=project.description,
            status=ProjectStatus(project.status),
            version=project.version,
            my_role=project.role,
            _id=project.id,
            settings=ProjectSettings(
                blinding=s["blinding"],
                inductive_codes=s["inductiveCodes"],
                alpha_min=s["alphaMin"],
                consensus_require_all_coders=s["consensusRequireAllCoders"],
                consensus_require_same_code=s["consensusRequireSameCode"],
                consensus_min_overlap=s["consensusMinOverlap"],
                consensus_rule_description=_rule_words(s),
            ),
        )

    @strawberry.field
    async def members(self, info: Info[Context, None]) -> list[MemberType]:
        async with info.context.connection() as conn:
            grouped = await projects.members(conn, [parse_id(self.id, "Project")])
        return [MemberType.of(m) for m in next(iter(grouped.values()))]

    @strawberry.field(
        description="Invitations to the project, newest first (leads only): open ones, or "
        "all of them with includeClosed. " + NOT_YOURS
    )
    async def invitations(
        self, info: Info[Context, None], include_closed: bool = False
    ) -> list[Annotated["InvitationType", strawberry.lazy("accord.graphql.invitations")]] | None:
        from accord.graphql.invitations import project_invitations

        return await project_invitations(info, self.id, include_closed)

    @strawberry.field(description="The code tree: top-level codes, each with its children.")
    async def codebook(self, info: Info[Context, None]) -> list[CodeType]:
        return await pc.project_codebook(info, self._id)

    @strawberry.field(description="Every code the caller may see, in tree order.")
    async def codes(self, info: Info[Context, None]) -> list[CodeType]:
        return await pc.project_codes(info, self._id)

    @strawberry.field
    async def rounds(self, info: Info[Context, None]) -> list[RoundType]:
        return await pc.project_rounds(info, self._id)

    @strawberry.field(description="Leads and viewers see all; a coder sees their own.")
    async def assignments(
        self,
        info: Info[Context, None],
        round_id: strawberry.ID | None = None,
        document_id: strawberry.ID | None = None,
    ) -> list[AssignmentType]:
        doc = parse_id(document_id, "Document") if document_id else None
        return await pc.project_assignments(info, self._id, round_id, doc)

    @strawberry.field(
        description="The caller's own assignments (whatever the role), in every round unless "
        "one is named."
    )
    async def my_assignments(
        self, info: Info[Context, None], round_id: strawberry.ID | None = None
    ) -> list[AssignmentType]:
        return await pc.project_assignments(info, self._id, round_id, None, own_only=True)

    @strawberry.field(description="When, by whom and why the project was made final; else null.")
    async def finalization(self, info: Info[Context, None]) -> ProjectFinalization | None:
        if self.status is not ProjectStatus.FINAL:
            return None
        async with info.context.reading() as conn:
            found = await finalizing.finalization(conn, self._id)
        if found is None:
            return None
        return ProjectFinalization(
            at=found.at,
            by=await loaders.user_type(info, found.actor_id),
            rationale=found.rationale,
        )

    @strawberry.field(
        description="Each coder's assignments, status, codings and last activity (leads "
        "and viewers). " + NOT_YOURS
    )
    async def progress(
        self, info: Info[Context, None], round_id: strawberry.ID | None = None
    ) -> list[pc.CoderProgress] | None:
        return await pc.project_progress(info, self._id, round_id)

    @strawberry.field(
        description="Every document × coder of a round (the default round unless given): "
        "status, codings, last activity, reveal and consensus state. Leads and viewers. "
        + NOT_YOURS
    )
    async def progress_matrix(
        self, info: Info[Context, None], round_id: strawberry.ID | None = None
    ) -> ProgressMatrix | None:
        return await project_progress_matrix(info, self._id, round_id)

    @strawberry.field(description="Codings the caller may see, oldest first.")
    async def codings(
        self,
        info: Info[Context, None],
        filter: pc.CodingFilterInput | None = None,
        first: First = PAGE,
        after: str | None = None,
    ) -> CodingConnection:
        f = filter.to_filter() if filter else CodingFilter()
        return await pc.coding_page(info, self._id, f, first, after)

    @strawberry.field(description="Memos the caller may see.")
    async def memos(
        self,
        info: Info[Context, None],
        target_type: MemoTarget | None = None,
        target_id: strawberry.ID | None = None,
    ) -> list[MemoType]:
        return await pc.project_memos(info, self._id, target_type, target_id)

    @strawberry.field(description="The project's documents, oldest first.")
    async def documents(
        self, info: Info[Context, None], first: First = PAGE, after: str | None = None
    ) -> DocumentConnection:
        return await document_page(info, self.id, first, after)


ProjectResult: TypeAlias = Annotated[ProjectType | Errors, strawberry.union("ProjectResult")]
MemberResult: TypeAlias = Annotated[MemberType | Errors, strawberry.union("MemberResult")]


@strawberry.type
class Query:
    @strawberry.field(description="A project the caller is a member of.")
    async def project(self, info: Info[Context, None], id: strawberry.ID) -> ProjectType:
        async def run(conn: asyncpg.Connection, user: User) -> ProjectType:
            from accord.permissions import Action

            return ProjectType.of(
                await projects.load(conn, parse_id(id, "Project"), user, Action.VIEW_PROJECT)
            )

        return await read(info, run)

    @strawberry.field(description="The caller's projects.")
    async def projects(self, info: Info[Context, None]) -> list[ProjectType]:
        async def run(conn: asyncpg.Connection, user: User) -> list[ProjectType]:
            return [ProjectType.of(p) for p in await projects.projects_of(conn, user)]

        return await read(info, run)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create a project; the caller becomes its lead.")
    async def create_project(
        self,
        info: Info[Context, None],
        name: str,
        description: str | None = None,
        settings: ProjectSettingsInput | None = None,
    ) -> ProjectResult:
        async def run(conn: asyncpg.Connection, user: User) -> ProjectType:
            changes = settings.changes() if settings else {}
            return ProjectType.of(
                await projects.create_project(conn, user, name, description, changes)
            )

        return await mutate(info, run)

    @strawberry.mutation(description="Change a project's name, description or settings.")
    async def update_project(
        self,
        info: Info[Context, None],
        id: strawberry.ID,
        name: str | None = None,
        description: str | None = None,
        settings: ProjectSettingsInput | None = None,
    ) -> ProjectResult:
        async def run(conn: asyncpg.Connection, user: User) -> ProjectType:
            changes = settings.changes() if settings else {}
            project = await projects.update_project(
                conn, user, parse_id(id, "Project"), name, description, changes
            )
            return ProjectType.of(project)

        return await mutate(info, run)

    @strawberry.mutation(description="Change a member's role. The last lead stays a lead.")
    async def change_role(
        self,
        info: Info[Context, None],
        project_id: strawberry.ID,
        user_id: strawberry.ID,
        role: RoleEnum,  # type: ignore[valid-type]
    ) -> MemberResult:
        async def run(conn: asyncpg.Connection, user: User) -> MemberType:
            member = await projects.change_role(
                conn,
                user,
                parse_id(project_id, "Project"),
                parse_id(user_id, "Member"),
                Role(role).value,
            )
            return MemberType.of(member)

        return await mutate(info, run)

    @strawberry.mutation(
        description="Remove a member. The last lead cannot be removed. Their unstarted "
        "assignments are removed, started ones WITHDRAWN (kept, no longer compared or "
        "awaited), submitted ones kept."
    )
    async def remove_member(
        self, info: Info[Context, None], project_id: strawberry.ID, user_id: strawberry.ID
    ) -> MemberResult:
        async def run(conn: asyncpg.Connection, user: User) -> MemberType:
            member = await member_removal.remove_member(
                conn, user, parse_id(project_id, "Project"), parse_id(user_id, "Member")
            )
            return MemberType.of(member)

        return await mutate(info, run)
