"""Passwords over GraphQL: changing one's own, and password-reset links."""

from datetime import datetime
from typing import Annotated, TypeAlias

import asyncpg
import strawberry
from starlette.responses import Response
from strawberry.types import Info

from accord.auth import cookies
from accord.errors import AccordError
from accord.graphql.accounts import AccountType
from accord.graphql.context import Context
from accord.graphql.errors import Errors, mutate, mutate_public, read_public, to_error
from accord.graphql.invitations import LinkStatusEnum
from accord.graphql.users import UserType
from accord.ids import parse_id
from accord.links import base_url, reset_link
from accord.users import password_changes
from accord.users.model import User


@strawberry.type(
    description="The password changed. Every other session and every API token of the "
    "account ended; the session that changed it stays."
)
class PasswordChanged:
    user: UserType
    sessions_ended: int
    tokens_revoked: int


@strawberry.type(
    description="A one-time password-reset link. It is shown this once: send it to the "
    "account's owner. It replaces any earlier link for the account."
)
class IssuedPasswordReset:
    account: AccountType
    link: str
    expires_at: datetime


@strawberry.type(description="What a password-reset link is for, for the page that opens it.")
class PasswordResetPreview:
    email: str
    name: str
    expires_at: datetime
    status: LinkStatusEnum  # type: ignore[valid-type]
    valid: bool = strawberry.field(description="Whether the link can be used now.")
    problem: str | None = strawberry.field(
        description="Why the link cannot be used, in words; null while it can."
    )
    password_min_length: int = strawberry.field(
        description="The shortest password this site accepts (ACCORD_PASSWORD_MIN_LENGTH), "
        "to say up front."
    )


ChangePasswordResult: TypeAlias = Annotated[
    PasswordChanged | Errors, strawberry.union("ChangePasswordResult")
]
IssuePasswordResetResult: TypeAlias = Annotated[
    IssuedPasswordReset | Errors, strawberry.union("IssuePasswordResetResult")
]
ResetPasswordResult: TypeAlias = Annotated[
    UserType | Errors, strawberry.union("ResetPasswordResult")
]


@strawberry.type
class Query:
    @strawberry.field(
        description="The password-reset link behind a token. No login needed. An unknown "
        "token is NOT_FOUND."
    )
    async def password_reset(self, info: Info[Context, None], token: str) -> PasswordResetPreview:
        async def run(conn: asyncpg.Connection) -> PasswordResetPreview:
            p = await password_changes.reset_preview(conn, token)
            return PasswordResetPreview(
                email=p.email,
                name=p.name,
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
        description="Change your password. Every other session and every API token of "
        "your account ends; the session that asks stays (asked with an API token, that "
        "token ends too). A wrong current password counts against the login limits."
    )
    async def change_password(
        self, info: Info[Context, None], current_password: str, new_password: str
    ) -> ChangePasswordResult:
        ctx = info.context
        try:
            user = ctx.require_user()
            # No surrounding transaction: a wrong current password must be recorded.
            async with ctx.connection() as conn:
                ended = await password_changes.change_password(
                    conn,
                    ctx.settings,
                    user,
                    current_password,
                    new_password,
                    session_id=ctx.session_id,
                    address=ctx.client_address,
                    passwords=ctx.passwords,
                )
        except AccordError as exc:
            return to_error(exc)
        return PasswordChanged(
            user=UserType.of(user), sessions_ended=ended.sessions, tokens_revoked=ended.tokens
        )

    @strawberry.mutation(
        description="Issue a one-time password-reset link (/reset/<token>, valid "
        "ACCORD_RESET_HOURS) for an account (site administrators). Using it ends the "
        "account's sessions and tokens."
    )
    async def issue_password_reset(
        self, info: Info[Context, None], user_id: strawberry.ID
    ) -> IssuePasswordResetResult:
        ctx = info.context

        async def run(conn: asyncpg.Connection, user: User) -> IssuedPasswordReset:
            issued = await password_changes.issue_reset(
                conn, ctx.settings, user, parse_id(user_id, "Account")
            )
            base = base_url(ctx.settings, str(ctx.request.base_url))
            return IssuedPasswordReset(
                account=AccountType.of(issued.account),
                link=reset_link(base, issued.token),
                expires_at=issued.expires_at,
            )

        return await mutate(info, run)

    @strawberry.mutation(
        description="Choose a new password through a reset link. Every session and API "
        "token of the account ends, and a new session starts (sets the cookie). No login "
        "needed."
    )
    async def reset_password(
        self, info: Info[Context, None], token: str, password: str
    ) -> ResetPasswordResult:
        ctx = info.context

        async def run(conn: asyncpg.Connection) -> tuple[User, str]:
            return await password_changes.reset_password(
                conn, ctx.settings, token, password, passwords=ctx.passwords
            )

        result = await mutate_public(info, run)
        if not isinstance(result, tuple):
            return result
        user, session_id = result
        if isinstance(ctx.response, Response):
            cookies.set_session_cookie(
                ctx.response, ctx.request, ctx.secret_key, session_id, ctx.settings
            )
        return UserType.of(user)
