"""Invitations over GraphQL: leads invite, list and revoke; the invited person reads the
invitation behind a link and accepts it."""

from datetime import datetime
from typing import Annotated, TypeAlias

import asyncpg
import strawberry
from starlette.responses import Response
from strawberry.types import Info

from accord.auth import cookies
from accord.graphql import loaders
from accord.graphql.context import Context
from accord.graphql.errors import Errors, mutate, mutate_public, read, read_public
from accord.graphql.projects import ProjectType, RoleEnum
from accord.graphql.users import UserType
from accord.ids import parse_id
from accord.invitations import service as invitations
from accord.invitations.service import Accepted, Invitation
from accord.links import LinkStatus, base_url, invitation_link
from accord.permissions import Role
from accord.users.model import User

LinkStatusEnum = strawberry.enum(
    LinkStatus,
    name="LinkStatus",
    description="Where a one-time link stands: OPEN (usable), USED, REVOKED or EXPIRED.",
)


@strawberry.type(name="Invitation", description="An invitation to join a project, as leads see it.")
class InvitationType:
    id: strawberry.ID
    email: str
    role: RoleEnum  # type: ignore[valid-type]
    status: LinkStatusEnum  # type: ignore[valid-type]
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None
    _invitation: strawberry.Private[Invitation]

    @classmethod
    def of(cls, invitation: Invitation) -> "InvitationType":
        return cls(
            id=strawberry.ID(str(invitation.id)),
            email=invitation.email,
            role=invitation.role,
            status=invitation.status,
            created_at=invitation.created_at,
            expires_at=invitation.expires_at,
            accepted_at=invitation.accepted_at,
            revoked_at=invitation.revoked_at,
            _invitation=invitation,
        )

    @strawberry.field(description="The lead who sent it.")
    async def invited_by(self, info: Info[Context, None]) -> UserType | None:
        return await loaders.user_type(info, self._invitation.invited_by)

    @strawberry.field(description="The account that accepted it.")
    async def accepted_by(self, info: Info[Context, None]) -> UserType | None:
        return await loaders.user_type(info, self._invitation.accepted_by)


@strawberry.type(
    description="A new invitation and its one-time link. The link is shown this once: "
    "send it to the person. The answer is the same whether or not the email has an account."
)
class IssuedInvitation:
    invitation: InvitationType
    link: str


@strawberry.type(
    description="What an invitation link offers, for the page that opens it; anyone "
    "holding the link may read it."
)
class InvitationPreview:
    project_name: str
    invited_by_name: str | None
    email: str
    role: RoleEnum  # type: ignore[valid-type]
    expires_at: datetime
    status: LinkStatusEnum  # type: ignore[valid-type]
    valid: bool = strawberry.field(description="Whether the link can be used now.")
    problem: str | None = strawberry.field(
        description="Why the link cannot be used, in words a person can act on; null while it can."
    )
    password_min_length: int = strawberry.field(
        description="The shortest password this site accepts (ACCORD_PASSWORD_MIN_LENGTH), "
        "to say up front."
    )


@strawberry.type(description="The invited person is now a member, and logged in.")
class InvitationAccepted:
    user: UserType
    project: ProjectType


InviteMemberResult: TypeAlias = Annotated[
    IssuedInvitation | Errors, strawberry.union("InviteMemberResult")
]
InvitationResult: TypeAlias = Annotated[
    InvitationType | Errors, strawberry.union("InvitationResult")
]
AcceptInvitationResult: TypeAlias = Annotated[
    InvitationAccepted | Errors, strawberry.union("AcceptInvitationResult")
]


def _accepted(info: Info[Context, None], accepted: Accepted) -> InvitationAccepted:
    ctx = info.context
    if accepted.session_id is not None and isinstance(ctx.response, Response):
        cookies.set_session_cookie(
            ctx.response, ctx.request, ctx.secret_key, accepted.session_id, ctx.settings
        )
    return InvitationAccepted(
        user=UserType.of(accepted.user), project=ProjectType.of(accepted.project)
    )


@strawberry.type
class Query:
    @strawberry.field(
        description="The invitation behind a link's token. No login needed. An unknown "
        "token is NOT_FOUND."
    )
    async def invitation(self, info: Info[Context, None], token: str) -> InvitationPreview:
        async def run(conn: asyncpg.Connection) -> InvitationPreview:
            p = await invitations.preview(conn, token)
            return InvitationPreview(
                project_name=p.project_name,
                invited_by_name=p.inviter_name,
                email=p.email,
                role=p.role,
                expires_at=p.expires_at,
                status=p.status,
                valid=p.problem is None,
                problem=p.problem,
                password_min_length=info.context.settings.password_min_length,
            )

        return await read_public(info, run)


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Invite someone to the project by email (leads). Returns a one-time link "
        "(/invite/<token>, valid ACCORD_INVITE_DAYS) to send them; it never tells whether "
        "the email has an account. Inviting the same email again replaces the open invitation."
    )
    async def invite_member(
        self,
        info: Info[Context, None],
        project_id: strawberry.ID,
        email: str,
        role: RoleEnum,  # type: ignore[valid-type]
    ) -> InviteMemberResult:
        ctx = info.context

        async def run(conn: asyncpg.Connection, user: User) -> IssuedInvitation:
            issued = await invitations.invite_member(
                conn, ctx.settings, user, parse_id(project_id, "Project"), email, Role(role).value
            )
            base = base_url(ctx.settings, str(ctx.request.base_url))
            return IssuedInvitation(
                invitation=InvitationType.of(issued.invitation),
                link=invitation_link(base, issued.token),
            )

        return await mutate(info, run)

    @strawberry.mutation(description="Withdraw an invitation that was not accepted (leads).")
    async def revoke_invitation(
        self, info: Info[Context, None], id: strawberry.ID
    ) -> InvitationResult:
        async def run(conn: asyncpg.Connection, user: User) -> InvitationType:
            revoked = await invitations.revoke_invitation(conn, user, parse_id(id, "Invitation"))
            return InvitationType.of(revoked)

        return await mutate(info, run)

    @strawberry.mutation(
        description="Accept an invitation with a new account: choose a name and a password. "
        "Logs the new account in (sets the session cookie). No login needed. If the email "
        "already has an account, this is refused: log in and use joinByInvitation."
    )
    async def accept_invitation(
        self, info: Info[Context, None], token: str, name: str, password: str
    ) -> AcceptInvitationResult:
        async def run(conn: asyncpg.Connection) -> Accepted:
            return await invitations.accept_invitation(
                conn, info.context.settings, token, name, password, info.context.passwords
            )

        result = await mutate_public(info, run)
        return _accepted(info, result) if isinstance(result, Accepted) else result

    @strawberry.mutation(
        description="Accept an invitation as the logged-in account it was sent to."
    )
    async def join_by_invitation(
        self, info: Info[Context, None], token: str
    ) -> AcceptInvitationResult:
        async def run(conn: asyncpg.Connection, user: User) -> Accepted:
            return await invitations.join_by_invitation(conn, user, token)

        result = await mutate(info, run)
        return _accepted(info, result) if isinstance(result, Accepted) else result


async def project_invitations(
    info: Info[Context, None], project_id: strawberry.ID, include_closed: bool
) -> list[InvitationType]:
    """`Project.invitations`: leads only."""

    async def run(conn: asyncpg.Connection, user: User) -> list[InvitationType]:
        found = await invitations.invitations_of(
            conn, user, parse_id(project_id, "Project"), include_closed
        )
        return [InvitationType.of(i) for i in found]

    return await read(info, run)
