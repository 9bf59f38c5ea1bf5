"""Site administration over GraphQL: the account list and what administrators change."""

from datetime import datetime
from typing import Annotated, TypeAlias

import asyncpg
import strawberry
from strawberry.types import Info

from accord.graphql.context import Context
from accord.graphql.errors import Errors, mutate, read
from accord.graphql.pagination import (
    PAGE,
    Edge,
    First,
    PageInfo,
    decode_cursor,
    encode_cursor,
    page_size,
)
from accord.ids import parse_id
from accord.users import admin
from accord.users.admin import Account
from accord.users.model import User

CURSOR = "account"


@strawberry.type(name="Account", description="An account as site administrators see it.")
class AccountType:
    id: strawberry.ID
    email: str
    name: str
    is_admin: bool
    active: bool = strawberry.field(description="False once deactivated: it cannot log in.")
    deactivated_at: datetime | None
    has_password: bool = strawberry.field(
        description="False for placeholder accounts made by an import, which cannot log in "
        "until a password is set (issuePasswordReset)."
    )
    last_login_at: datetime | None
    created_at: datetime

    @classmethod
    def of(cls, account: Account) -> "AccountType":
        return cls(
            id=strawberry.ID(str(account.id)),
            email=account.email,
            name=account.name,
            is_admin=account.is_admin,
            active=account.active,
            deactivated_at=account.deactivated_at,
            has_password=account.has_password,
            last_login_at=account.last_login_at,
            created_at=account.created_at,
        )


@strawberry.type
class AccountConnection:
    edges: list[Edge[AccountType]]
    page_info: PageInfo


@strawberry.type(description="The failed logins counted against an email were forgotten.")
class LoginLimitCleared:
    email: str
    failures_cleared: int


AccountResult: TypeAlias = Annotated[AccountType | Errors, strawberry.union("AccountResult")]
ClearLoginLimitResult: TypeAlias = Annotated[
    LoginLimitCleared | Errors, strawberry.union("ClearLoginLimitResult")
]


@strawberry.type
class Query:
    @strawberry.field(
        description="Every account, oldest first (site administrators only). `search` "
        "matches part of an email or name."
    )
    async def accounts(
        self,
        info: Info[Context, None],
        first: First = PAGE,
        after: str | None = None,
        search: str | None = None,
    ) -> AccountConnection | None:
        size = page_size(first)
        after_seq = decode_cursor(info.context, CURSOR, "accounts", after)

        async def run(conn: asyncpg.Connection, user: User) -> AccountConnection:
            found, more = await admin.list_accounts(conn, user, after_seq, size, search)
            edges = [
                Edge(
                    cursor=encode_cursor(info.context, CURSOR, "accounts", a.seq),
                    node=AccountType.of(a),
                )
                for a in found
            ]
            end = edges[-1].cursor if edges else None
            return AccountConnection(
                edges=edges, page_info=PageInfo(has_next_page=more, end_cursor=end)
            )

        return await read(info, run)


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Deactivate an account (site administrators): it cannot log in, and its "
        "sessions, API tokens and reset links end at once. Its work and memberships stay."
    )
    async def deactivate_account(
        self, info: Info[Context, None], user_id: strawberry.ID
    ) -> AccountResult:
        async def run(conn: asyncpg.Connection, user: User) -> AccountType:
            return AccountType.of(await admin.deactivate(conn, user, parse_id(user_id, "Account")))

        return await mutate(info, run)

    @strawberry.mutation(
        description="Let a deactivated account log in again (site administrators). Its old "
        "sessions and tokens stay ended."
    )
    async def reactivate_account(
        self, info: Info[Context, None], user_id: strawberry.ID
    ) -> AccountResult:
        async def run(conn: asyncpg.Connection, user: User) -> AccountType:
            return AccountType.of(await admin.reactivate(conn, user, parse_id(user_id, "Account")))

        return await mutate(info, run)

    @strawberry.mutation(
        description="Make an account a site administrator, or not (site administrators). "
        "The last active administrator stays one."
    )
    async def set_administrator(
        self, info: Info[Context, None], user_id: strawberry.ID, is_admin: bool
    ) -> AccountResult:
        async def run(conn: asyncpg.Connection, user: User) -> AccountType:
            account = await admin.set_admin(conn, user, parse_id(user_id, "Account"), is_admin)
            return AccountType.of(account)

        return await mutate(info, run)

    @strawberry.mutation(
        description="Forget the failed logins counted against an email, so it can log in "
        "again at once (site administrators)."
    )
    async def clear_login_limit(
        self, info: Info[Context, None], email: str
    ) -> ClearLoginLimitResult:
        async def run(conn: asyncpg.Connection, user: User) -> LoginLimitCleared:
            cleared = await admin.clear_login_limit(conn, user, email)
            return LoginLimitCleared(email=cleared.email, failures_cleared=cleared.failures_cleared)

        return await mutate(info, run)
