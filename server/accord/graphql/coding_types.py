"""Codings over GraphQL: one object per coding, pages of them, and whole layers as columns."""

from datetime import datetime
from typing import TYPE_CHECKING, Any, NewType

import strawberry
from strawberry.types import Info
from strawberry.types.scalar import ScalarDefinition

from accord.coding.codings import Coding
from accord.graphql import loaders
from accord.graphql.codebook import CodeType
from accord.graphql.context import Context
from accord.graphql.pagination import Edge, PageInfo
from accord.graphql.users import UserType
from accord.graphql.vocabulary import Layer

if TYPE_CHECKING:
    pass


def _id(value: Any) -> strawberry.ID:
    return strawberry.ID(str(value))


@strawberry.type(name="Coding")
class CodingType:
    id: strawberry.ID
    start: int
    end: int
    text: str
    memo: str
    version: int
    layer: Layer
    document_id: strawberry.ID
    round_id: strawberry.ID
    created_at: datetime
    _coding: strawberry.Private[Coding]
    # Filled by `coding_nodes` so that long lists resolve without an await per field.
    _code: strawberry.Private[CodeType | None] = None
    _coder: strawberry.Private[UserType | None] = None

    @classmethod
    def of(cls, c: Coding) -> "CodingType":
        return cls(
            id=_id(c.id),
            start=c.start,
            end=c.end,
            text=c.text,
            memo=c.memo,
            version=c.version,
            layer=Layer(c.layer),
            document_id=_id(c.document_id),
            round_id=_id(c.round_id),
            created_at=c.created_at,
            _coding=c,
        )

    # Plain (not async) resolvers: they answer at once when the value was prefetched and
    # hand graphql-core an awaitable otherwise, which it awaits.
    @strawberry.field
    def code(self, info: Info[Context, None]) -> CodeType:
        if self._code is not None:
            return self._code
        return loaders.code_type(info, self._coding.project_id, self._coding.code_id)  # type: ignore[return-value]

    @strawberry.field(description="The coder whose layer holds it; null on the consensus layer.")
    def coder(self, info: Info[Context, None]) -> UserType | None:
        if self._coder is not None or self._coding.coder_id is None:
            return self._coder
        return loaders.user_type(info, self._coding.coder_id)  # type: ignore[return-value]


async def coding_nodes(info: Info[Context, None], found: list[Coding]) -> list[CodingType]:
    """GraphQL codings with their code and coder read up front: one query each."""
    nodes = [CodingType.of(c) for c in found]
    coder_ids = list({c.coder_id for c in found if c.coder_id is not None})
    coders = dict(zip(coder_ids, await loaders.users(info).load_many(coder_ids), strict=True))
    for node, c in zip(nodes, found, strict=True):
        node._code = await loaders.code_type(info, c.project_id, c.code_id)
        user = coders.get(c.coder_id) if c.coder_id is not None else None
        node._coder = UserType.of(user) if user else None
    return nodes


@strawberry.type
class CodingConnection:
    edges: list[Edge[CodingType]]
    page_info: PageInfo
    total_count: int

    @strawberry.field
    def nodes(self) -> list[CodingType]:
        return [e.node for e in self.edges]


# Columns of a coding table go out as one value each: a GraphQL list of 5,000 items
# costs graphql-core a completion per item, a scalar holding the list costs one.
IdColumn = NewType("IdColumn", list[str | None])
IntColumn = NewType("IntColumn", list[int])
TextColumn = NewType("TextColumn", list[str])

COLUMN_SCALARS: dict[object, ScalarDefinition] = {
    IdColumn: strawberry.scalar(
        name="IdColumn",
        description="A column of IDs (strings; null where a coding has none), sent as one list.",
        serialize=list,
        parse_value=list,
    ),
    IntColumn: strawberry.scalar(
        name="IntColumn",
        description="A column of integers, sent as one list.",
        serialize=list,
        parse_value=list,
    ),
    TextColumn: strawberry.scalar(
        name="TextColumn",
        description="A column of strings, sent as one list.",
        serialize=list,
        parse_value=list,
    ),
}


@strawberry.type(
    description="A layer's codings as columns: entry i of every column is coding i, oldest "
    "first. For a view that draws a whole transcript, much lighter than one object per coding."
)
class CodingTable:
    count: int
    ids: IdColumn
    starts: IntColumn
    ends: IntColumn
    code_ids: IdColumn
    coder_ids: IdColumn = strawberry.field(description="Null on the consensus layer.")
    versions: IntColumn
    texts: TextColumn
    memos: TextColumn = strawberry.field(description="The coding's own memo ('' for none).")
    has_next_page: bool = strawberry.field(
        default=False, description="More codings follow (only when `first` was given)."
    )
    end_cursor: str | None = strawberry.field(
        default=None, description="Pass as `after` for the next page (only when `first` was given)."
    )

    @classmethod
    def of(
        cls, found: list[Coding], *, has_next_page: bool = False, end_cursor: str | None = None
    ) -> "CodingTable":
        return cls(
            has_next_page=has_next_page,
            end_cursor=end_cursor,
            memos=TextColumn([c.memo for c in found]),
            count=len(found),
            ids=IdColumn([str(c.id) for c in found]),
            starts=IntColumn([c.start for c in found]),
            ends=IntColumn([c.end for c in found]),
            code_ids=IdColumn([str(c.code_id) for c in found]),
            coder_ids=IdColumn([str(c.coder_id) if c.coder_id else None for c in found]),
            versions=IntColumn([c.version for c in found]),
            texts=TextColumn([c.text for c in found]),
        )
