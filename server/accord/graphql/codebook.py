"""The codebook over GraphQL."""

from enum import Enum
from typing import Annotated, Any, TypeAlias

import asyncpg
import strawberry
from strawberry.types import Info

from accord.coding import codebook
from accord.coding.codebook import PATH_SEPARATOR, Code
from accord.graphql.context import Context
from accord.graphql.errors import Errors, Version, mutate
from accord.ids import parse_id
from accord.users.model import User


@strawberry.enum
class CodeStatus(Enum):
    ACTIVE = "ACTIVE"
    MERGED = "MERGED"
    RETIRED = "RETIRED"


@strawberry.type(name="Code")
class CodeType:
    id: strawberry.ID
    name: str
    path: str = strawberry.field(description='Names from the root, joined by " > ".')
    path_names: list[str]
    depth: int
    definition: str
    inclusion: str
    exclusion: str
    example: str
    color: str | None
    codable: bool = strawberry.field(description="False for headings (categories, groups).")
    status: CodeStatus
    parent_id: strawberry.ID | None
    merged_into_id: strawberry.ID | None
    proposed_by_id: strawberry.ID | None = strawberry.field(
        description="The coder who proposed it (inductive mode); null for the shared codebook."
    )
    version: int
    _children: strawberry.Private[list["CodeType"]]

    @strawberry.field(description="Codes directly under this one.")
    def children(self) -> list["CodeType"]:
        return self._children

    @classmethod
    def of(cls, code: Code) -> "CodeType":
        def opt(value: Any) -> strawberry.ID | None:
            return strawberry.ID(str(value)) if value is not None else None

        return cls(
            id=strawberry.ID(str(code.id)),
            name=code.name,
            path=PATH_SEPARATOR.join(code.path),
            path_names=list(code.path),
            depth=len(code.path) - 1,
            definition=code.definition,
            inclusion=code.inclusion,
            exclusion=code.exclusion,
            example=code.example,
            color=code.color,
            codable=code.codable,
            status=CodeStatus(code.status),
            parent_id=opt(code.parent_id),
            merged_into_id=opt(code.merged_into),
            proposed_by_id=opt(code.owner_id),
            version=code.version,
            _children=[],
        )


def tree(codes: list[Code]) -> tuple[list[CodeType], list[CodeType]]:
    """(roots, all in tree order) with children linked."""
    nodes = [CodeType.of(c) for c in codes]
    by_id = {n.id: n for n in nodes}
    roots = []
    for node in nodes:
        parent = by_id.get(node.parent_id) if node.parent_id else None
        if parent is None:
            roots.append(node)
        else:
            parent._children.append(node)
    return roots, nodes


@strawberry.input
class CodeInput:
    name: str
    definition: str | None = None
    inclusion: str | None = None
    exclusion: str | None = None
    example: str | None = None
    color: str | None = strawberry.field(default=None, description="#RRGGBB")
    parent_id: strawberry.ID | None = None
    codable: bool | None = True


@strawberry.input
class UpdateCodeInput:
    name: str | None = None
    definition: str | None = None
    inclusion: str | None = None
    exclusion: str | None = None
    example: str | None = None
    color: str | None = None
    codable: bool | None = None


def _fields(obj: Any) -> dict[str, Any]:
    return {
        "name": obj.name,
        "definition": obj.definition,
        "inclusion": obj.inclusion,
        "exclusion": obj.exclusion,
        "example": obj.example,
        "color": obj.color,
        "codable": obj.codable,
    }


CodeResult: TypeAlias = Annotated[CodeType | Errors, strawberry.union("CodeResult")]


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Add a code (leads; coders too in inductive mode).")
    async def create_code(
        self, info: Info[Context, None], project_id: strawberry.ID, input: CodeInput
    ) -> CodeResult:
        async def run(conn: asyncpg.Connection, user: User) -> CodeType:
            fields = {**_fields(input), "parentId": input.parent_id}
            code = await codebook.create_code(conn, user, parse_id(project_id, "Project"), fields)
            return CodeType.of(code)

        return await mutate(info, run)

    @strawberry.mutation(description="Change a code; a stale version gets CONFLICT.")
    async def update_code(
        self, info: Info[Context, None], id: strawberry.ID, input: UpdateCodeInput, version: Version
    ) -> CodeResult:
        async def run(conn: asyncpg.Connection, user: User) -> CodeType:
            return CodeType.of(await codebook.update_code(conn, user, id, _fields(input), version))

        return await mutate(info, run)

    @strawberry.mutation(description="Rename a code.")
    async def rename_code(
        self,
        info: Info[Context, None],
        id: strawberry.ID,
        name: str,
        version: Version,
        rationale: str | None = None,
    ) -> CodeResult:
        async def run(conn: asyncpg.Connection, user: User) -> CodeType:
            return CodeType.of(await codebook.rename_code(conn, user, id, name, version, rationale))

        return await mutate(info, run)

    @strawberry.mutation(description="Move a code under another (null: to the top). No cycles.")
    async def move_code(
        self,
        info: Info[Context, None],
        id: strawberry.ID,
        version: Version,
        parent_id: strawberry.ID | None = None,
        rationale: str | None = None,
    ) -> CodeResult:
        async def run(conn: asyncpg.Connection, user: User) -> CodeType:
            moved = await codebook.move_code(conn, user, id, parent_id, version, rationale)
            return CodeType.of(moved)

        return await mutate(info, run)

    @strawberry.mutation(description="Retire a code: no new codings; its old ones stay.")
    async def retire_code(
        self,
        info: Info[Context, None],
        id: strawberry.ID,
        version: Version,
        rationale: str | None = None,
    ) -> CodeResult:
        async def run(conn: asyncpg.Connection, user: User) -> CodeType:
            return CodeType.of(await codebook.retire_code(conn, user, id, version, rationale))

        return await mutate(info, run)

    @strawberry.mutation(
        description="Take a coder's proposed code into the shared codebook (leads); to "
        "reject one, retire it or merge it into another code."
    )
    async def adopt_code(
        self,
        info: Info[Context, None],
        id: strawberry.ID,
        version: Version,
        rationale: str | None = None,
    ) -> CodeResult:
        async def run(conn: asyncpg.Connection, user: User) -> CodeType:
            return CodeType.of(await codebook.adopt_code(conn, user, id, version, rationale))

        return await mutate(info, run)
