"""Consolidating the codebook over GraphQL: preview a merge, merge, undo a merge, split."""

from enum import Enum
from typing import Annotated, Any, TypeAlias
from uuid import UUID

import asyncpg
import strawberry
from strawberry.types import Info

from accord.consensus import consolidation, merge_preview
from accord.consensus.consolidation import Outcome
from accord.consensus.merge_preview import MergePreview, MovingCoding
from accord.graphql import loaders
from accord.graphql.codebook import CodeInput, CodeType
from accord.graphql.context import Context
from accord.graphql.errors import Errors, mutate, read
from accord.graphql.users import UserType
from accord.graphql.vocabulary import Layer
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


@strawberry.enum(description="What a merge does to one coding.")
class MergeEffect(Enum):
    RECODED = "RECODED"
    ABSORBED = "ABSORBED"
    EXTENDED = "EXTENDED"


def _opt_id(value: UUID | None) -> strawberry.ID | None:
    return strawberry.ID(str(value)) if value is not None else None


@strawberry.type(
    description="A coding a merge will change. RECODED: it gets the target code. ABSORBED: "
    "recoded, then joined into `joinedIntoId` (an overlapping segment of the same layer and "
    "code) and removed. EXTENDED: a segment of the target code that grows to take in "
    "recoded ones. `newStart`/`newEnd`: its extent after the merge (the survivor's when "
    "absorbed)."
)
class MergePreviewCoding:
    coding_id: strawberry.ID
    document_id: strawberry.ID
    document: str = strawberry.field(description="The document's title.")
    round_id: strawberry.ID
    round: str = strawberry.field(description="The round's name.")
    layer: Layer
    coder_id: strawberry.ID | None
    code_id: strawberry.ID = strawberry.field(description="Its code now.")
    start: int
    end: int
    text: str
    effect: MergeEffect
    joined_into_id: strawberry.ID | None
    new_start: int
    new_end: int
    _project_id: strawberry.Private[UUID]
    _coder_id: strawberry.Private[UUID | None]

    @classmethod
    def of(cls, project_id: UUID, c: MovingCoding) -> "MergePreviewCoding":
        return cls(
            coding_id=strawberry.ID(str(c.coding_id)),
            document_id=strawberry.ID(str(c.document_id)),
            document=c.document,
            round_id=strawberry.ID(str(c.round_id)),
            round=c.round,
            layer=Layer(c.layer),
            coder_id=_opt_id(c.coder_id),
            code_id=strawberry.ID(str(c.code_id)),
            start=c.start,
            end=c.end,
            text=c.text,
            effect=MergeEffect(c.effect),
            joined_into_id=_opt_id(c.joined_into),
            new_start=c.new_start,
            new_end=c.new_end,
            _project_id=project_id,
            _coder_id=c.coder_id,
        )

    @strawberry.field(description="The coder whose layer holds it; null on the consensus layer.")
    async def coder(self, info: Info[Context, None]) -> UserType | None:
        return await loaders.user_type(info, self._coder_id)

    @strawberry.field
    async def code(self, info: Info[Context, None]) -> CodeType:
        return await loaders.code_type(info, self._project_id, UUID(self.code_id))


@strawberry.type(
    name="MergePreview",
    description="What mergeCodes with the same input will do, before it is done.",
)
class MergePreviewType:
    sources: list[CodeType]
    target: CodeType | None = strawberry.field(
        description="The existing target; null when the merge makes a new code."
    )
    new_target_name: str | None
    codings: list[MergePreviewCoding] = strawberry.field(
        description="Every coding the merge changes, in every layer and round, by document, "
        "layer and position (at most 5,000; `total` counts all)."
    )
    total: int
    truncated: bool
    change: LayerChange = strawberry.field(
        description="The counts mergeCodes will report: recoded, joined, removed."
    )
    layer_count: int = strawberry.field(description="Coders' and consensus layers touched.")
    document_count: int

    @classmethod
    def of(cls, p: MergePreview) -> "MergePreviewType":
        project_id = p.sources[0].project_id
        return cls(
            sources=[CodeType.of(c) for c in p.sources],
            target=CodeType.of(p.target) if p.target else None,
            new_target_name=p.new_target_name,
            codings=[MergePreviewCoding.of(project_id, c) for c in p.codings],
            total=p.total,
            truncated=p.truncated,
            change=LayerChange(
                repointed_count=p.recoded, joined_count=p.joined, removed_count=p.removed
            ),
            layer_count=p.layers,
            document_count=p.documents,
        )


MergeCodesResult: TypeAlias = Annotated[CodeMerge | Errors, strawberry.union("MergeCodesResult")]
UndoMergeResult: TypeAlias = Annotated[MergeUndone | Errors, strawberry.union("UndoMergeResult")]
SplitCodeResult: TypeAlias = Annotated[CodeSplit | Errors, strawberry.union("SplitCodeResult")]


@strawberry.type
class Query:
    @strawberry.field(
        description="Preview a merge (leads): the same checks as mergeCodes, and every coding "
        "it would change in every layer, without changing anything."
    )
    async def merge_preview(
        self,
        info: Info[Context, None],
        source_ids: list[strawberry.ID],
        target: CodeTargetInput,
    ) -> MergePreviewType | None:
        async def run(conn: asyncpg.Connection, user: User) -> MergePreviewType:
            p = await merge_preview.preview_merge(
                conn, user, [str(s) for s in source_ids], _target(target)
            )
            return MergePreviewType.of(p)

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
