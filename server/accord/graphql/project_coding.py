"""The coding fields of Project and Document: codebook, rounds, assignments, codings, memos.

Every one reads through the blinding-aware services, so a coder sees only what the
blinding rules allow.
"""

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar
from uuid import UUID

import asyncpg
import strawberry
from strawberry.types import Info

from accord.coding import assignments, codebook, codings, filter_ids, memos, reveals, rounds
from accord.coding.access import Scope, scope_for_project
from accord.coding.codings import CodingFilter
from accord.coding.filter_ids import parse_filter_id
from accord.errors import Forbidden, InvalidInput
from accord.graphql.codebook import CodeType, tree
from accord.graphql.coding import AssignmentType, RoundType
from accord.graphql.coding_types import CodingConnection, CodingTable, coding_nodes
from accord.graphql.context import Context
from accord.graphql.errors import read
from accord.graphql.memos import MemoTarget, MemoType
from accord.graphql.pagination import (
    MAX_TABLE,
    Edge,
    PageInfo,
    decode_cursor,
    encode_cursor,
    page_size,
)
from accord.graphql.users import UserType
from accord.graphql.vocabulary import Layer
from accord.ids import parse_id
from accord.permissions import Action, can
from accord.users.model import User

T = TypeVar("T")
MAX_CODING_PAGE = MAX_TABLE


async def in_scope(
    info: Info[Context, None],
    project_id: UUID,
    fn: Callable[[asyncpg.Connection, Scope], Awaitable[T]],
) -> T:
    async def run(conn: asyncpg.Connection, user: User) -> T:
        return await fn(conn, await scope_for_project(conn, project_id, user, Action.VIEW_PROJECT))

    return await read(info, run)


async def known_filter(conn: asyncpg.Connection, scope: Scope, f: CodingFilter) -> None:
    """Every id the filter names is one the caller may see (see filter_ids)."""
    for field, kind, value in (
        ("documentId", "document", f.document_id),
        ("roundId", "round", f.round_id),
        ("coderId", "coder", f.coder_id),
        ("codeId", "code", f.code_id),
    ):
        await filter_ids.known_id(conn, scope, field, kind, value)


@strawberry.input
class CodingFilterInput:
    document_id: strawberry.ID | None = None
    round_id: strawberry.ID | None = None
    coder_id: strawberry.ID | None = None
    code_id: strawberry.ID | None = None
    layer: Layer | None = None

    def to_filter(self) -> CodingFilter:
        return CodingFilter(
            document_id=parse_filter_id(self.document_id, "documentId", "document"),
            round_id=parse_filter_id(self.round_id, "roundId", "round"),
            coder_id=parse_filter_id(self.coder_id, "coderId", "coder"),
            code_id=parse_filter_id(self.code_id, "codeId", "code"),
            layer=self.layer.value if self.layer else None,
        )


async def coding_page(
    info: Info[Context, None],
    project_id: UUID,
    f: CodingFilter,
    first: int | None,
    after: str | None,
) -> CodingConnection:
    size = page_size(first)
    after_seq = decode_cursor(info.context, "coding", project_id, after)

    async def run(conn: asyncpg.Connection, scope: Scope) -> CodingConnection:
        await known_filter(conn, scope, f)
        found, total = await codings.page(conn, scope, f, after_seq, size + 1)
        assert total is not None  # counted: with_total defaults on
        nodes = await coding_nodes(info, found[:size])
        edges = [
            Edge(cursor=encode_cursor(info.context, "coding", project_id, c.seq), node=node)
            for c, node in zip(found[:size], nodes, strict=True)
        ]
        return CodingConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=len(found) > size, end_cursor=edges[-1].cursor if edges else None
            ),
            total_count=total,
        )

    return await in_scope(info, project_id, run)


async def coding_table(
    info: Info[Context, None],
    project_id: UUID,
    f: CodingFilter,
    first: int | None = None,
    after: str | None = None,
) -> CodingTable:
    """Every visible coding matching the filter, as columns, oldest first; or one page of
    them when ``first`` is given."""
    after_seq = decode_cursor(info.context, "coding", project_id, after)

    async def run(conn: asyncpg.Connection, scope: Scope) -> CodingTable:
        await known_filter(conn, scope, f)
        if first is not None:
            size = page_size(first, default=MAX_CODING_PAGE, maximum=MAX_CODING_PAGE)
            found, _ = await codings.page(conn, scope, f, after_seq, size + 1, with_total=False)
            more = len(found) > size
            found = found[:size]
            return CodingTable.of(
                found,
                has_next_page=more,
                end_cursor=(
                    encode_cursor(info.context, "coding", project_id, found[-1].seq)
                    if found
                    else after
                ),
            )
        found, _ = await codings.page(
            conn, scope, f, after_seq, MAX_CODING_PAGE + 1, with_total=False
        )
        if len(found) > MAX_CODING_PAGE:
            raise InvalidInput(
                f"More than {MAX_CODING_PAGE:,} codings match: narrow the filter, give `first` "
                "and page with `after`, or page through `codings`."
            )
        return CodingTable.of(found)

    return await in_scope(info, project_id, run)


@strawberry.type
class CoderProgress:
    coder: UserType
    assignments: list[AssignmentType]
    submitted: int
    total: int
    coding_count: int
    last_activity_at: datetime | None


async def project_codebook(info: Info[Context, None], project_id: UUID) -> list[CodeType]:
    async def run(conn: asyncpg.Connection, scope: Scope) -> list[CodeType]:
        return tree(await codebook.codebook(conn, scope))[0]

    return await in_scope(info, project_id, run)


async def project_codes(info: Info[Context, None], project_id: UUID) -> list[CodeType]:
    async def run(conn: asyncpg.Connection, scope: Scope) -> list[CodeType]:
        return tree(await codebook.codebook(conn, scope))[1]

    return await in_scope(info, project_id, run)


async def project_rounds(info: Info[Context, None], project_id: UUID) -> list[RoundType]:
    async def run(conn: asyncpg.Connection, scope: Scope) -> list[RoundType]:
        return [RoundType.of(r) for r in await rounds.rounds_of(conn, project_id)]

    return await in_scope(info, project_id, run)


async def project_assignments(
    info: Info[Context, None],
    project_id: UUID,
    round_id: strawberry.ID | None,
    document_id: UUID | None,
    *,
    own_only: bool = False,
) -> list[AssignmentType]:
    async def run(conn: asyncpg.Connection, scope: Scope) -> list[AssignmentType]:
        rid = (await rounds.resolve(conn, project_id, round_id)).id if round_id else None
        found = await assignments.assignments_for(conn, scope, rid, document_id, own_only=own_only)
        return [AssignmentType.of(a) for a in found]

    return await in_scope(info, project_id, run)


async def project_progress(
    info: Info[Context, None], project_id: UUID, round_id: strawberry.ID | None
) -> list[CoderProgress]:
    async def run(conn: asyncpg.Connection, scope: Scope) -> list[CoderProgress]:
        if not can(scope.project.role, Action.VIEW_PROGRESS):
            raise Forbidden("Only leads and viewers see every coder's progress.")
        rid = (await rounds.resolve(conn, project_id, round_id)).id
        rows = await assignments.assignments_for(conn, scope, rid)
        grouped: dict[UUID, list[assignments.Assignment]] = {}
        for a in rows:
            grouped.setdefault(a.user_id, []).append(a)
        users = await conn.fetch(
            "SELECT id, email, name FROM users WHERE id = ANY($1::uuid[])", list(grouped)
        )
        by_id = {u["id"]: User(u["id"], u["email"], u["name"]) for u in users}
        result = []
        for uid, items in grouped.items():
            activity = [a.last_activity_at for a in items if a.last_activity_at]
            result.append(
                CoderProgress(
                    coder=UserType.of(by_id[uid]),
                    assignments=[AssignmentType.of(a) for a in items],
                    submitted=sum(a.status == "SUBMITTED" for a in items),
                    total=len(items),
                    coding_count=sum(a.coding_count for a in items),
                    last_activity_at=max(activity) if activity else None,
                )
            )
        return sorted(result, key=lambda p: p.coder.email)

    return await in_scope(info, project_id, run)


async def project_memos(
    info: Info[Context, None],
    project_id: UUID,
    target_type: MemoTarget | None,
    target_id: strawberry.ID | None,
) -> list[MemoType]:
    async def run(conn: asyncpg.Connection, scope: Scope) -> list[MemoType]:
        found = await memos.memos_for(
            conn,
            scope,
            target_type.value if target_type else None,
            parse_id(target_id, "Memo target") if target_id else None,
        )
        return [MemoType.of(m) for m in found]

    return await in_scope(info, project_id, run)


async def document_revealed(
    info: Info[Context, None], project_id: UUID, document_id: UUID, round_id: strawberry.ID | None
) -> bool:
    async def run(conn: asyncpg.Connection, scope: Scope) -> bool:
        rid = (await rounds.resolve(conn, project_id, round_id)).id
        return await reveals.is_revealed(conn, document_id, rid)

    return await in_scope(info, project_id, run)
