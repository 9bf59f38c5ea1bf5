"""The synthesis over GraphQL: category content, its quotes by participant, the participant
× category coverage, and the synthesis as Markdown."""

from datetime import datetime
from typing import Annotated, Any, TypeAlias, cast
from uuid import UUID

import asyncpg
import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from accord.coding.access import scope_for_project
from accord.consensus import synthesis, synthesis_read
from accord.consensus.synthesis import CategoryContent
from accord.consensus.synthesis_export import synthesis_markdown
from accord.consensus.synthesis_read import Coverage, Quote
from accord.graphql.agreement_types import CodeLevel
from accord.graphql.codebook import CodeType
from accord.graphql.coding_types import CodingType
from accord.graphql.context import Context
from accord.graphql.errors import Errors, Version, mutate, read
from accord.ids import parse_id
from accord.permissions import Action
from accord.users.model import User


def _id(value: Any) -> strawberry.ID:
    return strawberry.ID(str(value))


@strawberry.input(
    description="Documents whose attribute `name` reads as one of `values` (several filters: "
    "all must hold)."
)
class AttributeFilterInput:
    name: str
    values: list[str]


def _filters(given: list[AttributeFilterInput] | None) -> list[synthesis_read.AttributeFilter]:
    return synthesis_read.clean_filters((f.name, f.values) for f in given or [])


@strawberry.type(description="A consensus-layer coding as a quote, with where it comes from.")
class SynthesisQuote:
    coding: CodingType
    document_title: str
    attributes: JSON = strawberry.field(description="The document's attributes.")
    participant: str = strawberry.field(
        description="The document's participant attribute, else its title."
    )
    position: int | None = strawberry.field(
        description="Its place among the category's chosen quotes (0 first); null when not chosen."
    )

    @classmethod
    def of(cls, q: Quote) -> "SynthesisQuote":
        return cls(
            coding=CodingType.of(q.coding),
            document_title=q.document_title,
            attributes=cast(JSON, q.attributes),
            participant=q.participant,
            position=q.position,
        )


@strawberry.type(name="CategoryContent")
class CategoryContentType:
    code: CodeType
    condensate: str = strawberry.field(description="The condensed meaning, participants' voice.")
    analytic_text: str
    quotes: list[CodingType] = strawberry.field(
        description="Consensus-layer codings, in the chosen order; a coder gets only those on "
        "documents revealed to them."
    )
    version: int = strawberry.field(description="0 while nothing has been written.")
    updated_at: datetime | None
    _code_id: strawberry.Private[UUID]

    @classmethod
    def of(cls, c: CategoryContent) -> "CategoryContentType":
        return cls(
            code=CodeType.of(c.code),
            condensate=c.condensate,
            analytic_text=c.analytic_text,
            quotes=[CodingType.of(q) for q in c.quotes],
            version=c.version,
            updated_at=c.updated_at,
            _code_id=c.code.id,
        )

    @strawberry.field(
        description="Every consensus coding of this category and the codes under it that the "
        "caller may see, as quotes: the chosen ones first in their order, then the rest in "
        "document order; `attributes` keeps those of matching documents."
    )
    async def consensus_quotes(
        self, info: Info[Context, None], attributes: list[AttributeFilterInput] | None = None
    ) -> list[SynthesisQuote]:
        filters = _filters(attributes)
        code_id = str(self._code_id)

        async def run(conn: asyncpg.Connection, user: User) -> list[SynthesisQuote]:
            found = await synthesis_read.category_quotes(conn, user, code_id, filters)
            return [SynthesisQuote.of(q) for q in found]

        return await read(info, run)


@strawberry.type(description="One participant's consensus codings and chosen quotes in a column.")
class CoverageCell:
    code_id: strawberry.ID
    codings: int
    quotes: int


@strawberry.type(description="One participant: their documents and a cell per column.")
class CoverageRow:
    participant: str
    document_ids: list[strawberry.ID]
    cells: list[CoverageCell] = strawberry.field(description="In the order of `categories`.")


@strawberry.type(
    description="Participant × category: how many consensus codings (and chosen quotes) each "
    "participant's documents hold under each category, as far as the caller may see."
)
class SynthesisCoverage:
    attribute: str = strawberry.field(description="The attribute that names participants.")
    level: CodeLevel
    categories: list[CodeType] = strawberry.field(description="The columns.")
    rows: list[CoverageRow] = strawberry.field(
        description="One per participant (documents without the attribute by title)."
    )

    @classmethod
    def of(cls, c: Coverage) -> "SynthesisCoverage":
        return cls(
            attribute=c.attribute,
            level=CodeLevel(c.level),
            categories=[CodeType.of(code) for code in c.columns],
            rows=[
                CoverageRow(
                    participant=r.participant,
                    document_ids=[_id(d) for d in r.document_ids],
                    cells=[
                        CoverageCell(code_id=_id(x.code_id), codings=x.codings, quotes=x.quotes)
                        for x in r.cells
                    ],
                )
                for r in c.rows
            ],
        )


CategoryContentResult: TypeAlias = Annotated[
    CategoryContentType | Errors, strawberry.union("CategoryContentResult")
]


@strawberry.type
class Query:
    @strawberry.field(description="The synthesis of a category or group.")
    async def category_content(
        self, info: Info[Context, None], code_id: strawberry.ID
    ) -> CategoryContentType:
        async def run(conn: asyncpg.Connection, user: User) -> CategoryContentType:
            return CategoryContentType.of(await synthesis.category_content(conn, user, code_id))

        return await read(info, run)

    @strawberry.field(description="The participant × category matrix of the consensus layer.")
    async def synthesis_coverage(
        self,
        info: Info[Context, None],
        project_id: strawberry.ID,
        attribute: str = synthesis_read.PARTICIPANT,
        level: CodeLevel = CodeLevel.CATEGORY,
    ) -> SynthesisCoverage:
        async def run(conn: asyncpg.Connection, user: User) -> SynthesisCoverage:
            found = await synthesis_read.coverage(
                conn, user, str(project_id), attribute, CodeLevel(level).value
            )
            return SynthesisCoverage.of(found)

        return await read(info, run)

    @strawberry.field(
        description="The synthesis as Markdown: per category and group its condensate, "
        "analytic text and chosen quotes (leads and viewers)."
    )
    async def synthesis_markdown(
        self, info: Info[Context, None], project_id: strawberry.ID
    ) -> str | None:
        async def run(conn: asyncpg.Connection, user: User) -> str:
            scope = await scope_for_project(
                conn, parse_id(project_id, "Project"), user, Action.EXPORT
            )
            return synthesis_markdown(
                scope.project.name, await synthesis_read.sections(conn, scope)
            )

        return await read(info, run)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Set a category's condensate (leads).")
    async def set_condensate(
        self,
        info: Info[Context, None],
        code_id: strawberry.ID,
        text: str,
        version: Version,
    ) -> CategoryContentResult:
        async def run(conn: asyncpg.Connection, user: User) -> CategoryContentType:
            c = await synthesis.set_condensate(conn, user, str(code_id), text, version)
            return CategoryContentType.of(c)

        return await mutate(info, run)

    @strawberry.mutation(description="Set a category's analytic text (leads).")
    async def set_analytic_text(
        self,
        info: Info[Context, None],
        code_id: strawberry.ID,
        text: str,
        version: Version,
    ) -> CategoryContentResult:
        async def run(conn: asyncpg.Connection, user: User) -> CategoryContentType:
            c = await synthesis.set_analytic_text(conn, user, str(code_id), text, version)
            return CategoryContentType.of(c)

        return await mutate(info, run)

    @strawberry.mutation(
        description="Choose a category's quotes, in order: consensus-layer codings of it or its "
        "codes. Reorder them by sending the same ids in the new order."
    )
    async def set_quotes(
        self,
        info: Info[Context, None],
        code_id: strawberry.ID,
        coding_ids: list[strawberry.ID],
        version: Version,
    ) -> CategoryContentResult:
        async def run(conn: asyncpg.Connection, user: User) -> CategoryContentType:
            c = await synthesis.set_quotes(
                conn, user, str(code_id), [str(i) for i in coding_ids], version
            )
            return CategoryContentType.of(c)

        return await mutate(info, run)
