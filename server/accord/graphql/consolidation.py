"""Consolidating the codebook (merge, undo a merge, split) and the synthesis over GraphQL."""

from datetime import datetime
from typing import Annotated, Any, TypeAlias

import asyncpg
import strawberry
from strawberry.types import Info

from accord.consensus import consolidation, synthesis
from accord.consensus.consolidation import Outcome
from accord.consensus.synthesis import CategoryContent
from accord.graphql.codebook import CodeInput, CodeType
from accord.graphql.coding_types import CodingType
from accord.graphql.context import Context
from accord.graphql.errors import Errors, mutate, read
from accord.users.model import User


@strawberry.input(description="An existing code (codeId) or a new one (newCode); give one.")
class CodeTargetInput:
    code_id: strawberry.ID | None = None
    new_code: CodeInput | None = strawberry.field(
        default=None,
        description="Created in the shared codebook; without parentId it goes under the "
        "parent of the (first) code merged or split.",
    )


@strawberry.input
class SegmentAssignmentInput:
    coding_id: strawberry.ID
    into_index: int = strawberry.field(description="The position of the code in `into`.")


def _target(t: CodeTargetInput) -> dict[str, Any]:
    new = None
    if t.new_code is not None:
        n = t.new_code
        new = {
            "name": n.name,
            "definition": n.definition,
            "inclusion": n.inclusion,
            "exclusion": n.exclusion,
            "example": n.example,
            "color": n.color,
            "codable": n.codable,
            "parentId": n.parent_id,
        }
    return {"codeId": t.code_id, "newCode": new}


@strawberry.type(
    description="What a merge, undo or split changed in the coders' and consensus layers."
)
class LayerChange:
    repointed_count: int
    joined_count: int = strawberry.field(description="Segments that absorbed others.")
    removed_count: int = strawberry.field(description="Segments absorbed by a join.")


def _change(o: Outcome) -> LayerChange:
    c = o.change
    if c is None:
        return LayerChange(repointed_count=0, joined_count=0, removed_count=0)
    return LayerChange(
        repointed_count=len(c.repointed), joined_count=len(c.joined), removed_count=len(c.removed)
    )


@strawberry.type
class CodeMerge:
    event_id: strawberry.ID = strawberry.field(description="Give it to undoMerge.")
    target: CodeType
    sources: list[CodeType]
    change: LayerChange


@strawberry.type
class MergeUndone:
    event_id: strawberry.ID
    codes: list[CodeType] = strawberry.field(
        description="The restored codes: the target (unless the merge created it) and sources."
    )
    restored_coding_count: int


@strawberry.type
class CodeSplit:
    event_id: strawberry.ID
    source: CodeType = strawberry.field(description="The code split (retired unless in `into`).")
    into: list[CodeType]
    change: LayerChange


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

    @classmethod
    def of(cls, c: CategoryContent) -> "CategoryContentType":
        return cls(
            code=CodeType.of(c.code),
            condensate=c.condensate,
            analytic_text=c.analytic_text,
            quotes=[CodingType.of(q) for q in c.quotes],
            version=c.version,
            updated_at=c.updated_at,
        )


MergeCodesResult: TypeAlias = Annotated[CodeMerge | Errors, strawberry.union("MergeCodesResult")]
UndoMergeResult: TypeAlias = Annotated[MergeUndone | Errors, strawberry.union("UndoMergeResult")]
SplitCodeResult: TypeAlias = Annotated[CodeSplit | Errors, strawberry.union("SplitCodeResult")]
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


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Merge codes into an existing or new code across every layer (leads)."
    )
    async def merge_codes(
        self,
        info: Info[Context, None],
        source_ids: list[strawberry.ID],
        target: CodeTargetInput,
        rationale: str | None = None,
    ) -> MergeCodesResult:
        async def run(conn: asyncpg.Connection, user: User) -> CodeMerge:
            o = await consolidation.merge_codes(
                conn, user, [str(s) for s in source_ids], _target(target), rationale
            )
            codes = [CodeType.of(c) for c in o.codes]
            return CodeMerge(
                event_id=strawberry.ID(info.context.ids.event(o.event_id)),
                target=codes[0],
                sources=codes[1:],
                change=_change(o),
            )

        return await mutate(info, run)

    @strawberry.mutation(description="Undo a merge exactly, unless later changes depend on it.")
    async def undo_merge(
        self, info: Info[Context, None], event_id: strawberry.ID, rationale: str | None = None
    ) -> UndoMergeResult:
        async def run(conn: asyncpg.Connection, user: User) -> MergeUndone:
            number = info.context.ids.event_number(str(event_id))
            o = await consolidation.undo_merge(conn, user, number, rationale)
            return MergeUndone(
                event_id=strawberry.ID(info.context.ids.event(o.event_id)),
                codes=[CodeType.of(c) for c in o.codes],
                restored_coding_count=o.restored_codings,
            )

        return await mutate(info, run)

    @strawberry.mutation(
        description="Split a code: every one of its codings goes to one code of `into` (leads)."
    )
    async def split_code(
        self,
        info: Info[Context, None],
        code_id: strawberry.ID,
        into: list[CodeTargetInput],
        segment_assignments: list[SegmentAssignmentInput],
        rationale: str | None = None,
    ) -> SplitCodeResult:
        async def run(conn: asyncpg.Connection, user: User) -> CodeSplit:
            o = await consolidation.split_code(
                conn,
                user,
                str(code_id),
                [_target(t) for t in into],
                [{"codingId": a.coding_id, "intoIndex": a.into_index} for a in segment_assignments],
                rationale,
            )
            codes = [CodeType.of(c) for c in o.codes]
            return CodeSplit(
                event_id=strawberry.ID(info.context.ids.event(o.event_id)),
                source=codes[0],
                into=codes[1:],
                change=_change(o),
            )

        return await mutate(info, run)

    @strawberry.mutation(description="Set a category's condensate (leads).")
    async def set_condensate(
        self,
        info: Info[Context, None],
        code_id: strawberry.ID,
        text: str,
        version: int | None = None,
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
        version: int | None = None,
    ) -> CategoryContentResult:
        async def run(conn: asyncpg.Connection, user: User) -> CategoryContentType:
            c = await synthesis.set_analytic_text(conn, user, str(code_id), text, version)
            return CategoryContentType.of(c)

        return await mutate(info, run)

    @strawberry.mutation(
        description="Choose a category's quotes: consensus-layer codings of it or its codes."
    )
    async def set_quotes(
        self,
        info: Info[Context, None],
        code_id: strawberry.ID,
        coding_ids: list[strawberry.ID],
        version: int | None = None,
    ) -> CategoryContentResult:
        async def run(conn: asyncpg.Connection, user: User) -> CategoryContentType:
            c = await synthesis.set_quotes(
                conn, user, str(code_id), [str(i) for i in coding_ids], version
            )
            return CategoryContentType.of(c)

        return await mutate(info, run)
