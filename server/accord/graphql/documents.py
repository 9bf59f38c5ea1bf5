"""Documents (transcripts) over GraphQL."""

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, TypeAlias, cast

import asyncpg
import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from accord.coding.codings import CodingFilter
from accord.coding.filter_ids import parse_filter_id
from accord.documents import repo
from accord.documents import service as documents
from accord.documents.service import Document
from accord.graphql.coding_types import IntColumn, TextColumn
from accord.graphql.context import Context
from accord.graphql.errors import Errors, mutate, read
from accord.graphql.memos import MemoTarget
from accord.graphql.pagination import (
    PAGE,
    Edge,
    First,
    PageInfo,
    decode_cursor,
    encode_cursor,
    page_size,
)
from accord.graphql.project_coding import (
    coding_page,
    coding_table,
    document_revealed,
    project_assignments,
    project_memos,
)
from accord.graphql.vocabulary import Layer
from accord.ids import parse_id
from accord.permissions import Action
from accord.projects import service as projects
from accord.users.model import User

if TYPE_CHECKING:
    from accord.graphql.coding import AssignmentType
    from accord.graphql.coding_types import CodingConnection, CodingTable
    from accord.graphql.memos import MemoType


@strawberry.enum
class UnitKind(Enum):
    PARAGRAPH = "PARAGRAPH"
    SPEAKER_TURN = "SPEAKER_TURN"
    SENTENCE = "SENTENCE"


@strawberry.type(description="A stretch of a document used as a unit of analysis.")
class Unit:
    kind: UnitKind
    index: int
    start: int = strawberry.field(description="Code-point offset of the first character.")
    end: int = strawberry.field(description="Code-point offset just past the last character.")
    speaker: str | None
    text: str
    start_time: float | None = strawberry.field(description="Seconds, for timed transcripts.")
    end_time: float | None


@strawberry.type(
    description="A document's units of one kind as columns, in order: entry i of every "
    "column is unit i. For a view that draws a whole transcript; no text (slice the "
    "document's text by code points)."
)
class UnitTable:
    kind: UnitKind
    count: int
    starts: IntColumn
    ends: IntColumn
    speakers: TextColumn = strawberry.field(description="Null where a unit has no speaker.")
    start_times: JSON = strawberry.field(description="Seconds, or null, per unit.")


@strawberry.type(name="Document")
class DocumentType:
    id: strawberry.ID
    project_id: strawberry.ID
    title: str
    length: int = strawberry.field(description="Length of the text in Unicode code points.")
    attributes: JSON
    version: int
    created_at: datetime
    _document: strawberry.Private[Document]

    @classmethod
    def of(cls, document: Document) -> "DocumentType":
        return cls(
            id=strawberry.ID(str(document.id)),
            project_id=strawberry.ID(str(document.project_id)),
            title=document.title,
            length=document.length,
            attributes=cast(JSON, document.attributes),
            version=document.version,
            created_at=document.created_at,
            _document=document,
        )

    async def _text(self, info: Info[Context, None]) -> str:
        if self._document.text is not None:
            return self._document.text
        async with info.context.connection() as conn:
            row = await repo.document_by_id(conn, self._document.id)
        return str(row["body"]) if row else ""

    @strawberry.field(description="The text, with LF line ends; offsets count code points.")
    async def text(self, info: Info[Context, None]) -> str:
        return await self._text(info)

    def _filter(
        self,
        round_id: strawberry.ID | None,
        coder_id: strawberry.ID | None,
        code_id: strawberry.ID | None,
        layer: Layer | None,
    ) -> CodingFilter:
        return CodingFilter(
            document_id=self._document.id,
            round_id=parse_filter_id(round_id, "roundId", "round"),
            coder_id=parse_filter_id(coder_id, "coderId", "coder"),
            code_id=parse_filter_id(code_id, "codeId", "code"),
            layer=layer.value if layer else None,
        )

    @strawberry.field(description="Codings on this document the caller may see.")
    async def codings(
        self,
        info: Info[Context, None],
        round_id: strawberry.ID | None = None,
        coder_id: strawberry.ID | None = None,
        code_id: strawberry.ID | None = None,
        layer: Layer | None = None,
        first: First = PAGE,
        after: str | None = None,
    ) -> Annotated["CodingConnection", strawberry.lazy("accord.graphql.coding_types")]:

        f = self._filter(round_id, coder_id, code_id, layer)
        return await coding_page(info, self._document.project_id, f, first, after)

    @strawberry.field(
        description="The same codings as `codings`, all at once and as columns (at most "
        "10,000): the light way to draw a whole transcript. With `first` (at most 10,000, "
        "the page size of every table of columns), one page of them: pass its `endCursor` "
        "as `after` while `hasNextPage`."
    )
    async def coding_table(
        self,
        info: Info[Context, None],
        round_id: strawberry.ID | None = None,
        coder_id: strawberry.ID | None = None,
        code_id: strawberry.ID | None = None,
        layer: Layer | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Annotated["CodingTable", strawberry.lazy("accord.graphql.coding_types")]:
        f = self._filter(round_id, coder_id, code_id, layer)
        return await coding_table(info, self._document.project_id, f, first, after)

    @strawberry.field(description="Whether every layer is visible to every member for the round.")
    async def revealed(
        self, info: Info[Context, None], round_id: strawberry.ID | None = None
    ) -> bool:

        return await document_revealed(info, self._document.project_id, self._document.id, round_id)

    @strawberry.field(description="Assignments of this document the caller may see.")
    async def assignments(
        self, info: Info[Context, None], round_id: strawberry.ID | None = None
    ) -> list[Annotated["AssignmentType", strawberry.lazy("accord.graphql.coding")]]:

        return await project_assignments(
            info, self._document.project_id, round_id, self._document.id
        )

    @strawberry.field(description="Memos on this document the caller may see.")
    async def memos(
        self, info: Info[Context, None]
    ) -> list[Annotated["MemoType", strawberry.lazy("accord.graphql.memos")]]:

        return await project_memos(
            info,
            self._document.project_id,
            MemoTarget.DOCUMENT,
            strawberry.ID(str(self._document.id)),
        )

    @strawberry.field(description="The units of one kind as columns (see UnitTable).")
    async def unit_table(self, info: Info[Context, None], kind: UnitKind) -> UnitTable:
        async with info.context.connection() as conn:
            rows = await repo.units_of(conn, [self._document.id], kind.value)
        return UnitTable(
            kind=kind,
            count=len(rows),
            starts=IntColumn([r["start_offset"] for r in rows]),
            ends=IntColumn([r["end_offset"] for r in rows]),
            speakers=TextColumn([r["speaker"] for r in rows]),
            start_times=cast(JSON, [r["data"].get("startTime") for r in rows]),
        )

    @strawberry.field(
        description="The document's paragraphs, speaker turns or sentences (one kind a "
        "call, as units of different kinds overlap), in order."
    )
    async def units(self, info: Info[Context, None], kind: UnitKind) -> list[Unit]:
        async with info.context.connection() as conn:
            rows = await repo.units_of(conn, [self._document.id], kind.value)
        text = await self._text(info) if rows else ""
        return [
            Unit(
                kind=UnitKind(r["kind"]),
                index=r["ordinal"],
                start=r["start_offset"],
                end=r["end_offset"],
                speaker=r["speaker"],
                text=text[r["start_offset"] : r["end_offset"]],
                start_time=r["data"].get("startTime"),
                end_time=r["data"].get("endTime"),
            )
            for r in rows
        ]


async def load_document(info: Info[Context, None], document_id: strawberry.ID) -> DocumentType:
    async def run(conn: asyncpg.Connection, user: User) -> DocumentType:
        doc = await documents.load(
            conn, parse_id(document_id, "Document"), user, Action.VIEW_DOCUMENTS
        )
        return DocumentType.of(doc)

    return await read(info, run)


@strawberry.type
class DocumentConnection:
    edges: list[Edge[DocumentType]]
    page_info: PageInfo
    total_count: int

    @strawberry.field
    def nodes(self) -> list[DocumentType]:
        return [e.node for e in self.edges]


async def document_page(
    info: Info[Context, None], project_id: strawberry.ID, first: int | None, after: str | None
) -> DocumentConnection:

    size = page_size(first)
    pid = parse_id(project_id, "Project")
    after_seq = decode_cursor(info.context, "document", pid, after)

    async def run(conn: asyncpg.Connection, user: User) -> DocumentConnection:
        project = await projects.load(conn, pid, user, Action.VIEW_DOCUMENTS)
        rows = await repo.page_of_documents(conn, project.id, after_seq, size + 1)
        total = await repo.count_documents(conn, project.id)
        edges = [
            Edge(
                cursor=encode_cursor(info.context, "document", pid, r["seq"]),
                node=DocumentType.of(Document.from_row(r, project.role)),
            )
            for r in rows[:size]
        ]
        return DocumentConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=len(rows) > size, end_cursor=edges[-1].cursor if edges else None
            ),
            total_count=total,
        )

    return await read(info, run)


@strawberry.input
class UpdateDocumentInput:
    title: str | None = None
    text: str | None = strawberry.field(default=None, description="Only while nothing is coded.")
    attributes: JSON | None = None


DocumentResult: TypeAlias = Annotated[DocumentType | Errors, strawberry.union("DocumentResult")]


@strawberry.type
class DeletedDocument:
    id: strawberry.ID


DeleteDocumentResult: TypeAlias = Annotated[
    DeletedDocument | Errors, strawberry.union("DeleteDocumentResult")
]


@strawberry.type
class Query:
    @strawberry.field(description="One document, for members of its project.")
    async def document(self, info: Info[Context, None], id: strawberry.ID) -> DocumentType:
        async def run(conn: asyncpg.Connection, user: User) -> DocumentType:
            doc = await documents.load(conn, parse_id(id, "Document"), user, Action.VIEW_DOCUMENTS)
            return DocumentType.of(doc)

        return await read(info, run)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Import a transcript as plain text.")
    async def import_document(
        self,
        info: Info[Context, None],
        project_id: strawberry.ID,
        title: str,
        text: str,
        attributes: JSON | None = None,
    ) -> DocumentResult:
        async def run(conn: asyncpg.Connection, user: User) -> DocumentType:
            doc = await documents.import_document(
                conn,
                info.context.settings,
                user,
                parse_id(project_id, "Project"),
                title,
                text,
                attributes,
            )
            return DocumentType.of(doc)

        return await mutate(info, run)

    @strawberry.mutation(description="Change a document's title, attributes or (uncoded) text.")
    async def update_document(
        self, info: Info[Context, None], id: strawberry.ID, input: UpdateDocumentInput
    ) -> DocumentResult:
        async def run(conn: asyncpg.Connection, user: User) -> DocumentType:
            doc = await documents.update_document(
                conn,
                info.context.settings,
                user,
                parse_id(id, "Document"),
                input.title,
                input.text,
                input.attributes,
            )
            return DocumentType.of(doc)

        return await mutate(info, run)

    @strawberry.mutation(description="Delete a document that has no codings.")
    async def delete_document(
        self, info: Info[Context, None], id: strawberry.ID
    ) -> DeleteDocumentResult:
        async def run(conn: asyncpg.Connection, user: User) -> DeletedDocument:
            doc = await documents.delete_document(conn, user, parse_id(id, "Document"))
            return DeletedDocument(id=strawberry.ID(str(doc.id)))

        return await mutate(info, run)
