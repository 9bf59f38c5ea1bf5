"""Accounts over GraphQL: me, login and logout, API tokens."""

from datetime import datetime
from typing import Annotated, TypeAlias

import asyncpg
import strawberry
from starlette.responses import Response
from strawberry.types import Info

from accord.auth import cookies
from accord.errors import AccordError
from accord.graphql.context import Context
from accord.graphql.errors import Errors, mutate, read, to_error
from accord.ids import parse_id
from accord.users import repo
from accord.users import service as users
from accord.users.model import User


@strawberry.type(name="User")
class UserType:
    id: strawberry.ID
    email: str
    name: str

    @classmethod
    def of(cls, user: User) -> "UserType":
        return cls(id=strawberry.ID(str(user.id)), email=user.email, name=user.name)


@strawberry.type
class ApiToken:
    id: strawberry.ID
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, row: asyncpg.Record) -> "ApiToken":
        return cls(
            id=strawberry.ID(str(row["id"])),
            name=row["name"],
            created_at=row["created_at"],
            last_used_at=row["last_used_at"],
            revoked_at=row["revoked_at"],
        )


@strawberry.type(description="A new API token. `token` is shown this once and never again.")
class CreatedApiToken:
    token: str
    api_token: ApiToken


@strawberry.type
class LoggedOut:
    ok: bool


LoginResult: TypeAlias = Annotated[UserType | Errors, strawberry.union("LoginResult")]
LogoutResult: TypeAlias = Annotated[LoggedOut | Errors, strawberry.union("LogoutResult")]
CreateApiTokenResult: TypeAlias = Annotated[
    CreatedApiToken | Errors, strawberry.union("CreateApiTokenResult")
]
RevokeApiTokenResult: TypeAlias = Annotated[
    ApiToken | Errors, strawberry.union("RevokeApiTokenResult")
]


@strawberry.type
class Query:
    @strawberry.field(description="The caller.")
    async def me(self, info: Info[Context, None]) -> UserType:
        return UserType.of(info.context.require_user())

    @strawberry.field(description="The caller's API tokens, revoked ones included.")
    async def api_tokens(self, info: Info[Context, None]) -> list[ApiToken]:
        async def run(conn: asyncpg.Connection, user: User) -> list[ApiToken]:
            return [ApiToken.of(r) for r in await repo.tokens_of(conn, user.id)]

        return await read(info, run)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Open a browser session (sets an HttpOnly cookie).")
    async def login(self, info: Info[Context, None], email: str, password: str) -> LoginResult:
        ctx = info.context
        client = ctx.request.client
        address = client.host if client else "unknown"
        try:
            # No surrounding transaction: a failed attempt must be recorded, not rolled back.
            async with ctx.connection() as conn:
                user, session_id = await users.login(
                    conn, ctx.settings, email, password, address, passwords=ctx.passwords
                )
        except AccordError as exc:
            return to_error(exc)
        if isinstance(ctx.response, Response):
            cookies.set_session_cookie(
                ctx.response, ctx.request, ctx.secret_key, session_id, ctx.settings
            )
        return UserType.of(user)

    @strawberry.mutation(description="End the browser session.")
    async def logout(self, info: Info[Context, None]) -> LogoutResult:
        ctx = info.context
        if ctx.session_id is not None and ctx.user is not None:
            async with ctx.transaction() as conn:
                await users.logout(conn, ctx.user, ctx.session_id)
        if isinstance(ctx.response, Response):
            cookies.clear_session_cookie(ctx.response, ctx.request)
        return LoggedOut(ok=True)

    @strawberry.mutation(description="Issue an API token for scripts; it is shown once.")
    async def create_api_token(
        self, info: Info[Context, None], name: str | None = None
    ) -> CreateApiTokenResult:
        async def run(conn: asyncpg.Connection, user: User) -> CreatedApiToken:
            issued = await users.create_token(conn, user, name)
            rows = await repo.tokens_of(conn, user.id)
            row = next(r for r in rows if r["id"] == issued.id)
            return CreatedApiToken(token=issued.token, api_token=ApiToken.of(row))

        return await mutate(info, run)

    @strawberry.mutation(description="Revoke one of your API tokens.")
    async def revoke_api_token(
        self, info: Info[Context, None], id: strawberry.ID
    ) -> RevokeApiTokenResult:
        async def run(conn: asyncpg.Connection, user: User) -> ApiToken:
            return ApiToken.of(await users.revoke_token(conn, user, parse_id(id, "Token")))

        return await mutate(info, run)
