"""The codebook: a tree of codes of any depth (category > group > code, as REFI nests them).

Non-codable codes are headings. Codes are never deleted: retiring keeps a code's old
codings, merging (in consensus) keeps the source pointing to its target. In inductive
mode a coder may propose codes, which belong to their layer for blinding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import asyncpg

from accord.coding import codes_repo as repo
from accord.coding.access import Scope, scope_for_project, scope_for_visible
from accord.coding.blinding import code_visible_sql
from accord.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.events.log import append_event
from accord.ids import parse_id
from accord.permissions import Action, Role
from accord.text_input import clean_name, clean_text
from accord.users.model import User

CODE_NOT_FOUND = "Code not found."
_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
MAX_NAME = 200
MAX_TEXT = 20_000
PATH_SEPARATOR = " > "


@dataclass(frozen=True)
class Code:
    id: UUID
    project_id: UUID
    parent_id: UUID | None
    name: str
    definition: str
    inclusion: str
    exclusion: str
    example: str
    color: str | None
    codable: bool
    status: str
    merged_into: UUID | None
    owner_id: UUID | None
    version: int
    path: tuple[str, ...] = field(default=())

    @classmethod
    def from_row(cls, row: asyncpg.Record, path: tuple[str, ...] = ()) -> Code:
        return cls(
            id=row["id"],
            project_id=row["project_id"],
            parent_id=row["parent_id"],
            name=row["name"],
            definition=row["definition"],
            inclusion=row["inclusion"],
            exclusion=row["exclusion"],
            example=row["example"],
            color=row["color"],
            codable=row["codable"],
            status=row["status"],
            merged_into=row["merged_into"],
            owner_id=row["owner_id"],
            version=row["version"],
            path=path or (row["name"],),
        )


def with_paths(rows: list[asyncpg.Record]) -> list[Code]:
    """Codes in tree order (pre-order, siblings by creation) with their paths."""
    by_id = {r["id"]: r for r in rows}
    children: dict[UUID | None, list[asyncpg.Record]] = {}
    for r in rows:
        parent = r["parent_id"] if r["parent_id"] in by_id else None
        children.setdefault(parent, []).append(r)
    ordered: list[Code] = []

    def walk(parent: UUID | None, path: tuple[str, ...]) -> None:
        for r in children.get(parent, []):
            own = (*path, r["name"])
            ordered.append(Code.from_row(r, own))
            walk(r["id"], own)

    walk(None, ())
    return ordered


async def codebook(conn: asyncpg.Connection, scope: Scope) -> list[Code]:
    rows = await repo.codes_of(
        conn, scope.project.id, code_visible_sql(scope.sight, "c", "$2"), scope.user.id
    )
    return with_paths(rows)


def _clean(input: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "name" in input and input["name"] is not None:
        out["name"] = clean_name(str(input["name"]), what="A code", max_length=MAX_NAME)
    elif not partial:
        raise InvalidInput("A code needs a name.", field="name")
    for key in ("definition", "inclusion", "exclusion", "example"):
        value = input.get(key)
        if value is not None:
            if len(value) > MAX_TEXT:
                raise InvalidInput(f"{key} can be at most {MAX_TEXT} characters.", field=key)
            out[key] = value.strip()
        elif not partial:
            out[key] = ""
    color = input.get("color")
    if color is not None:
        if not _COLOR.match(color):
            raise InvalidInput("A colour is written #RRGGBB, e.g. #1F77B4.", field="color")
        out["color"] = color.upper()
    elif not partial:
        out["color"] = None
    codable = input.get("codable")
    if codable is not None:
        out["codable"] = bool(codable)
    elif not partial:
        out["codable"] = True
    return out


async def _visible_code(
    conn: asyncpg.Connection, scope: Scope, code_id: UUID, *, lock: bool = False
) -> asyncpg.Record:
    row = await repo.code_by_id(conn, code_id, for_update=lock)
    if row is None or row["project_id"] != scope.project.id:
        raise NotFound(CODE_NOT_FOUND)
    if not scope.sight.sees_all and row["owner_id"] not in (None, scope.user.id):
        raise NotFound(CODE_NOT_FOUND)
    return row


async def _check_parent(
    conn: asyncpg.Connection, scope: Scope, parent_id: UUID | None
) -> asyncpg.Record | None:
    if parent_id is None:
        return None
    try:
        parent = await _visible_code(conn, scope, parent_id)
    except NotFound:
        raise NotFound("The parent code was not found in this project.", field="parentId") from None
    if parent["status"] != "ACTIVE":
        raise InvalidInput("A code cannot go under a retired or merged code.", field="parentId")
    return parent


async def _check_unique(
    conn: asyncpg.Connection,
    scope: Scope,
    parent_id: UUID | None,
    name: str,
    owner_id: UUID | None,
    exclude: UUID | None = None,
) -> None:
    clash = await repo.sibling_named(conn, scope.project.id, parent_id, name, owner_id, exclude)
    if clash is not None:
        raise Conflict(
            f"A sibling code is already named {clash['name']!r}; names are unique among "
            "siblings regardless of case.",
            field="name",
        )


def _owner_for_new_code(scope: Scope) -> UUID | None:
    if scope.project.role is Role.LEAD:
        return None
    if scope.project.role is Role.CODER and scope.project.settings["inductiveCodes"]:
        return scope.user.id
    if scope.project.role is Role.CODER:
        raise Forbidden("This project does not allow coders to create codes (inductiveCodes).")
    raise Forbidden("Your role (viewer) may not change the codebook.")


def _can_edit(scope: Scope, row: asyncpg.Record) -> None:
    if scope.project.role is Role.LEAD:
        return
    if row["owner_id"] is not None and row["owner_id"] == scope.user.id:
        return
    raise Forbidden(f"Your role ({scope.project.role.value.lower()}) may not change this code.")


def _event_layer(row: asyncpg.Record) -> UUID | None:
    return row["owner_id"] if row["owner_id"] is not None else None


def _snapshot(row: asyncpg.Record) -> dict[str, Any]:
    return {k: row[k] for k in (*repo.EDITABLE, "parent_id", "status", "owner_id", "version")}


async def create_code(
    conn: asyncpg.Connection, user: User, project_id: UUID, input: dict[str, Any]
) -> Code:
    scope = await scope_for_project(conn, project_id, user, Action.VIEW_PROJECT, lock=True)
    scope.ensure_open()
    owner = _owner_for_new_code(scope)
    fields = _clean(input, partial=False)
    parent_id = parse_id(input["parentId"], "Parent code") if input.get("parentId") else None
    await _check_parent(conn, scope, parent_id)
    await _check_unique(conn, scope, parent_id, fields["name"], owner)
    try:
        row = await repo.insert_code(conn, project_id, parent_id, fields, owner, user.id)
    except asyncpg.UniqueViolationError:
        raise Conflict("A sibling code already has that name.", field="name") from None
    await append_event(
        conn,
        project_id=project_id,
        actor_id=user.id,
        kind="code.created",
        subject_type="code",
        subject_id=row["id"],
        layer_user_id=_event_layer(row),
        after=_snapshot(row),
    )
    return await load_code(conn, scope, row["id"])


async def load_code(conn: asyncpg.Connection, scope: Scope, code_id: UUID) -> Code:
    row = await _visible_code(conn, scope, code_id)
    visible = code_visible_sql(scope.sight, "c", "$2")
    names = await repo.path_names(conn, code_id, visible, scope.user.id)
    return Code.from_row(row, tuple(names))


async def _changing(
    conn: asyncpg.Connection, user: User, code_id: str, version: int | None
) -> tuple[Scope, asyncpg.Record]:
    cid = parse_id(code_id, "Code")
    scope = await scope_for_visible(
        conn, "codes", cid, user, Action.VIEW_PROJECT, what="Code", lock=True
    )
    row = await _visible_code(conn, scope, cid, lock=True)
    scope.ensure_open()
    _can_edit(scope, row)
    if version is not None and row["version"] != version:
        raise Conflict(
            f"The code was changed by someone else (now version {row['version']}, you sent "
            f"{version}). Reload it and apply your change again.",
            field="version",
        )
    return scope, row


async def _apply(
    conn: asyncpg.Connection,
    scope: Scope,
    row: asyncpg.Record,
    changes: dict[str, Any],
    kind: str,
    rationale: str | None = None,
) -> Code:
    if changes:
        try:
            updated = await repo.update_code(conn, row["id"], changes)
        except asyncpg.UniqueViolationError:
            raise Conflict("A sibling code already has that name.", field="name") from None
        await append_event(
            conn,
            project_id=scope.project.id,
            actor_id=scope.user.id,
            kind=kind,
            subject_type="code",
            subject_id=row["id"],
            layer_user_id=_event_layer(row),
            before=_snapshot(row),
            # The decision log quotes the rationale of codebook decisions.
            after={**_snapshot(updated), "rationale": _rationale(rationale)},
        )
    return await load_code(conn, scope, row["id"])


def _rationale(rationale: str | None) -> str:
    return clean_text(
        rationale, what="A rationale", field="rationale", max_length=MAX_TEXT, required=False
    )


async def update_code(
    conn: asyncpg.Connection, user: User, code_id: str, input: dict[str, Any], version: int
) -> Code:
    scope, row = await _changing(conn, user, code_id, version)
    changes = {k: v for k, v in _clean(input, partial=True).items() if row[k] != v}
    if "name" in changes:
        await _check_unique(
            conn, scope, row["parent_id"], changes["name"], row["owner_id"], row["id"]
        )
    return await _apply(conn, scope, row, changes, "code.updated")


async def rename_code(
    conn: asyncpg.Connection,
    user: User,
    code_id: str,
    name: str,
    version: int | None,
    rationale: str | None = None,
) -> Code:
    scope, row = await _changing(conn, user, code_id, version)
    changes = {k: v for k, v in _clean({"name": name}, partial=True).items() if row[k] != v}
    if changes:
        await _check_unique(
            conn, scope, row["parent_id"], changes["name"], row["owner_id"], row["id"]
        )
    return await _apply(conn, scope, row, changes, "code.renamed", rationale)


async def move_code(
    conn: asyncpg.Connection,
    user: User,
    code_id: str,
    parent_id: str | None,
    version: int | None,
    rationale: str | None = None,
) -> Code:
    scope, row = await _changing(conn, user, code_id, version)
    new_parent = parse_id(parent_id, "Parent code") if parent_id else None
    await _check_parent(conn, scope, new_parent)
    if new_parent is not None and row["id"] in await repo.ancestors(conn, new_parent):
        raise InvalidInput(
            "A code cannot move under itself or one of its descendants.", field="parentId"
        )
    if new_parent == row["parent_id"]:
        return await load_code(conn, scope, row["id"])
    await _check_unique(conn, scope, new_parent, row["name"], row["owner_id"], row["id"])
    return await _apply(conn, scope, row, {"parent_id": new_parent}, "code.moved", rationale)


async def retire_code(
    conn: asyncpg.Connection,
    user: User,
    code_id: str,
    version: int | None,
    rationale: str | None = None,
) -> Code:
    scope, row = await _changing(conn, user, code_id, version)
    if row["status"] == "MERGED":
        raise InvalidInput("A merged code cannot be retired; undo the merge instead.")
    changes = {"status": "RETIRED"} if row["status"] != "RETIRED" else {}
    return await _apply(conn, scope, row, changes, "code.retired", rationale)


async def adopt_code(
    conn: asyncpg.Connection,
    user: User,
    code_id: str,
    version: int | None,
    rationale: str | None = None,
) -> Code:
    """Take a coder's proposed code into the shared codebook (leads), where every coder
    sees it. Its parent must be shared already; the proposer's codings keep the code."""
    scope, row = await _changing(conn, user, code_id, version)
    if scope.project.role is not Role.LEAD:
        raise Forbidden(f"Your role ({scope.project.role.value.lower()}) may not adopt codes.")
    if row["owner_id"] is None:
        raise InvalidInput(f"{row['name']!r} is already in the shared codebook.")
    if row["status"] != "ACTIVE":
        raise InvalidInput(f"{row['name']!r} is retired or merged; only active codes are adopted.")
    if row["parent_id"] is not None:
        parent = await repo.code_by_id(conn, row["parent_id"])
        if parent is not None and parent["owner_id"] is not None:
            raise InvalidInput(
                f"{row['name']!r} sits under another proposed code, {parent['name']!r}: "
                "adopt that one first, or move this code.",
                field="parentId",
            )
    await _check_unique(conn, scope, row["parent_id"], row["name"], None, row["id"])
    updated = await repo.update_code(conn, row["id"], {"owner_id": None})
    # A shared event, since the code is now shared; who proposed it stays out of it.
    await append_event(
        conn,
        project_id=scope.project.id,
        actor_id=scope.user.id,
        kind="code.adopted",
        subject_type="code",
        subject_id=row["id"],
        after={
            **{k: v for k, v in _snapshot(updated).items() if k != "owner_id"},
            "rationale": _rationale(rationale),
        },
    )
    return await load_code(conn, scope, row["id"])


async def codable_code(conn: asyncpg.Connection, scope: Scope, code_id: UUID) -> asyncpg.Record:
    """A code the caller may apply: in the project, visible, codable and active."""
    try:
        row = await _visible_code(conn, scope, code_id)
    except NotFound:
        raise NotFound("Code not found in this project.", field="codeId") from None
    if not row["codable"]:
        raise InvalidInput(
            f"{row['name']!r} is a heading (not codable); choose a code under it.", field="codeId"
        )
    if row["status"] != "ACTIVE":
        state = "retired" if row["status"] == "RETIRED" else "merged into another code"
        raise InvalidInput(f"{row['name']!r} is {state} and takes no new codings.", field="codeId")
    return row
