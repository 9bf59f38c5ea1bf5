"""Memos over GraphQL."""

from datetime import datetime
from enum import Enum
from typing import Annotated, TypeAlias
from uuid import UUID

import asyncpg
import strawberry
from strawberry.types import Info

from accord.coding import memos
from accord.coding.memos import Memo
from accord.graphql import loaders
from accord.graphql.context import Context
from accord.graphql.errors import Errors, Version, mutate
from accord.graphql.users import UserType
from accord.users.model import User


@strawberry.enum
class MemoTarget(Enum):
    PROJECT = "PROJECT"
    DOCUMENT = "DOCUMENT"
    CODE = "CODE"
    CODING = "CODING"


@strawberry.type(name="Memo")
class MemoType:
    id: strawberry.ID
    target_type: MemoTarget
    target_id: strawberry.ID
    text: str
    version: int
    created_at: datetime
    updated_at: datetime
    _author: strawberry.Private[UUID]

    @classmethod
    def of(cls, m: Memo) -> "MemoType":
        return cls(
            id=strawberry.ID(str(m.id)),
            target_type=MemoTarget(m.target_type),
            target_id=strawberry.ID(str(m.target_id)),
            text=m.text,
            version=m.version,
            created_at=m.created_at,
            updated_at=m.updated_at,
            _author=m.author_id,
        )

    @strawberry.field
    async def author(self, info: Info[Context, None]) -> UserType | None:
        return await loaders.user_type(info, self._author)


@strawberry.type
class DeletedMemo:
    id: strawberry.ID


MemoResult: TypeAlias = Annotated[MemoType | Errors, strawberry.union("MemoResult")]
DeleteMemoResult: TypeAlias = Annotated[DeletedMemo | Errors, strawberry.union("DeleteMemoResult")]


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Write a memo on a project, document, code or coding.")
    async def create_memo(
        self,
        info: Info[Context, None],
        target_type: MemoTarget,
        target_id: strawberry.ID,
        text: str,
    ) -> MemoResult:
        async def run(conn: asyncpg.Connection, user: User) -> MemoType:
            return MemoType.of(
                await memos.create_memo(conn, user, target_type.value, target_id, text)
            )

        return await mutate(info, run)

    @strawberry.mutation(description="Change your memo.")
    async def update_memo(
        self, info: Info[Context, None], id: strawberry.ID, text: str, version: Version
    ) -> MemoResult:
        async def run(conn: asyncpg.Connection, user: User) -> MemoType:
            return MemoType.of(await memos.update_memo(conn, user, id, text, version))

        return await mutate(info, run)

    @strawberry.mutation(description="Delete your memo.")
    async def delete_memo(self, info: Info[Context, None], id: strawberry.ID) -> DeleteMemoResult:
        async def run(conn: asyncpg.Connection, user: User) -> DeletedMemo:
            return DeletedMemo(id=strawberry.ID(str((await memos.delete_memo(conn, user, id)).id)))

        return await mutate(info, run)
