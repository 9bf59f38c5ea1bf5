"""Per-request DataLoaders, created lazily in the context, against N+1 queries."""

import asyncio
from typing import Any, TypeVar
from uuid import UUID

from strawberry.dataloader import DataLoader
from strawberry.types import Info

from accord.coding import codebook, codes_repo
from accord.coding.access import scope_for_project
from accord.coding.blinding import coding_code_visible_sql
from accord.coding.codebook import Code
from accord.graphql.codebook import CodeType
from accord.graphql.context import Context
from accord.graphql.users import UserType
from accord.permissions import Action
from accord.users import repo as users_repo
from accord.users.model import User

K = TypeVar("K")
V = TypeVar("V")


class SharedLoader(DataLoader[K, V]):
    """A DataLoader whose awaiters cannot cancel one another.

    One batch answers many fields. When the executor abandons one of them (a sibling's
    error nulls their parent, or the request ends), cancelling that field's task must not
    cancel the batch's shared future, which other fields still await: each caller gets a
    shield of it.
    """

    def load(self, key: K) -> "asyncio.Future[V]":
        return asyncio.shield(super().load(key))


def users(info: Info[Context, None]) -> DataLoader[UUID, User | None]:
    ctx = info.context
    if "users" not in ctx.loaders:

        async def load(ids: list[UUID]) -> list[User | None]:
            async with ctx.connection() as conn:
                rows = await users_repo.users_by_ids(conn, list(ids))
            found = {r["id"]: User.from_row(r) for r in rows}
            return [found.get(i) for i in ids]

        ctx.loaders["users"] = SharedLoader(load_fn=load)
    loader: DataLoader[UUID, User | None] = ctx.loaders["users"]
    return loader


async def user_type(info: Info[Context, None], user_id: UUID | None) -> UserType | None:
    """The GraphQL User for an id, through the per-request loader; None for no one."""
    if user_id is None:
        return None
    user = await users(info).load(user_id)
    return UserType.of(user) if user else None


def document_titles(info: Info[Context, None]) -> DataLoader[UUID, str]:
    """Documents' titles without their text, for lists that name many documents."""
    ctx = info.context
    if "document_titles" not in ctx.loaders:

        async def load(ids: list[UUID]) -> list[str]:
            async with ctx.connection() as conn:
                rows = await conn.fetch(
                    "SELECT id, title FROM documents WHERE id = ANY($1::uuid[])", list(ids)
                )
            found = {r["id"]: r["title"] for r in rows}
            return [found.get(i, "") for i in ids]

        ctx.loaders["document_titles"] = SharedLoader(load_fn=load)
    loader: DataLoader[UUID, str] = ctx.loaders["document_titles"]
    return loader


async def project_codes(info: Info[Context, None], project_id: UUID) -> dict[UUID, Code]:
    """The codes of a project the caller may see named on a coding, with their paths,
    read once per request.

    Used to describe the code of a coding the caller may already see; listing the
    codebook itself goes through the blinding-aware service. The read applies the
    blinding rule too, so no path names another coder's hidden proposal. The cache
    holds the pending read, so thousands of codings resolved at once share one query.
    """
    key = f"codes:{project_id}"
    cache: dict[str, Any] = info.context.loaders
    if key not in cache:

        async def read() -> dict[UUID, Code]:
            async with info.context.reading() as conn:
                user = info.context.require_user()
                scope = await scope_for_project(conn, project_id, user, Action.VIEW_PROJECT)
                rows = await conn.fetch(
                    f"SELECT {codes_repo.COLUMNS} FROM codes c WHERE project_id = $1 AND "
                    f"{coding_code_visible_sql(scope.sight, 'c', '$2')} ORDER BY seq",
                    project_id,
                    user.id,
                )
            return {c.id: c for c in codebook.with_paths(list(rows))}

        cache[key] = asyncio.ensure_future(read())
    # Shielded: one field abandoned by the executor must not cancel the shared read.
    codes: dict[UUID, Code] = await asyncio.shield(cache[key])
    return codes


async def code_type(info: Info[Context, None], project_id: UUID, code_id: UUID) -> CodeType:
    """The GraphQL Code for a coding's code, built once per code per request."""
    key = f"code-types:{project_id}"
    built: dict[UUID, CodeType] = info.context.loaders.setdefault(key, {})
    if code_id not in built:
        built[code_id] = CodeType.of((await project_codes(info, project_id))[code_id])
    return built[code_id]
