"""Memos on a project, a document, a code or a coding.

A coder's memo is part of their layer for blinding; a lead's or viewer's memo is shared
with every member. A memo on a coding or on a proposed code also takes its target's
blinding (its layer, document and round), so a memo never shows work its reader may
not see, nor the id of such work in its event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import asyncpg

from accord.coding import codebook, codings, rounds
from accord.coding.access import Scope, scope_for, scope_for_project, scope_for_visible
from accord.coding.blinding import CONSENSUS_LAYER, memo_visible_sql
from accord.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.events.log import append_event
from accord.ids import parse_id
from accord.permissions import Action, Role
from accord.text_input import clean_text
from accord.users.model import User

TARGETS = ("PROJECT", "DOCUMENT", "CODE", "CODING")
MEMO_NOT_FOUND = "Memo not found."
MAX_MEMO = 50_000
COLUMNS = (
    "m.id, m.seq, m.project_id, m.author_id, m.target_type, m.target_id, m.document_id, "
    "m.round_id, m.layer_user_id, m.target_layer_user_id, m.body, m.version, m.created_at, "
    "m.updated_at"
)


@dataclass(frozen=True)
class Memo:
    id: UUID
    project_id: UUID
    author_id: UUID
    target_type: str
    target_id: UUID
    text: str
    version: int
    created_at: datetime
    updated_at: datetime
    document_id: UUID | None
    round_id: UUID | None
    layer_user_id: UUID | None
    # The layer the target belongs to: a coding's coder (CONSENSUS_LAYER for the
    # consensus layer) or a proposed code's owner; None for shared targets.
    target_layer_user_id: UUID | None = None

    @classmethod
    def from_row(cls, r: asyncpg.Record) -> Memo:
        return cls(
            r["id"],
            r["project_id"],
            r["author_id"],
            r["target_type"],
            r["target_id"],
            r["body"],
            r["version"],
            r["created_at"],
            r["updated_at"],
            r["document_id"],
            r["round_id"],
            r["layer_user_id"],
            r["target_layer_user_id"],
        )


def _clean(text: str) -> str:
    return clean_text(text, what="A memo", field="text", max_length=MAX_MEMO, required=True)


@dataclass(frozen=True)
class _Target:
    scope: Scope
    document_id: UUID | None = None
    round_id: UUID | None = None
    layer_user_id: UUID | None = None


async def _target_scope(
    conn: asyncpg.Connection, user: User, target_type: str, target_id: UUID
) -> _Target:
    """The scope of the target's project, the document and round the memo concerns,
    and the layer the target belongs to."""
    if target_type == "PROJECT":
        return _Target(await scope_for_project(conn, target_id, user, Action.WRITE_MEMO))
    if target_type == "DOCUMENT":
        scope = await scope_for(
            conn, "documents", target_id, user, Action.WRITE_MEMO, what="Document"
        )
        return _Target(scope, target_id)
    if target_type == "CODE":
        scope = await scope_for_visible(
            conn, "codes", target_id, user, Action.WRITE_MEMO, what="Code"
        )
        code = await codebook.load_code(conn, scope, target_id)
        return _Target(scope, layer_user_id=code.owner_id)
    scope = await scope_for_visible(
        conn, "codings", target_id, user, Action.WRITE_MEMO, what="Coding"
    )
    coding = await codings.visible_coding(conn, scope, target_id)
    layer = coding.coder_id if coding.coder_id is not None else CONSENSUS_LAYER
    return _Target(scope, coding.document_id, coding.round_id, layer)


async def _document_memo_round(
    conn: asyncpg.Connection, scope: Scope, document_id: UUID, user_id: UUID
) -> UUID:
    """The round a coder's memo on a document belongs to, so the document's reveal for
    that round (and only that one) shows it: the round of the coder's open assignment
    on the document, else their latest one, else the project's default round."""
    found: UUID | None = await conn.fetchval(
        "SELECT round_id FROM assignments WHERE document_id = $1 AND user_id = $2 "
        "ORDER BY (status <> 'SUBMITTED') DESC, created_at DESC LIMIT 1",
        document_id,
        user_id,
    )
    if found is not None:
        return found
    return (await rounds.resolve(conn, scope.project.id, None)).id


async def create_memo(
    conn: asyncpg.Connection, user: User, target_type: str, target_id: str, text: str
) -> Memo:
    if target_type not in TARGETS:
        raise InvalidInput(f"A memo attaches to one of {', '.join(TARGETS)}.", field="targetType")
    tid = parse_id(target_id, target_type.title())
    body = _clean(text)
    target = await _target_scope(conn, user, target_type, tid)
    scope, document_id, round_id = target.scope, target.document_id, target.round_id
    layer = user.id if scope.project.role is Role.CODER else None
    if layer is not None and document_id is not None and round_id is None:
        round_id = await _document_memo_round(conn, scope, document_id, user.id)
    row = await conn.fetchrow(
        "INSERT INTO memos AS m (project_id, author_id, target_type, target_id, document_id, "
        "round_id, layer_user_id, target_layer_user_id, body) "
        f"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING {COLUMNS}",
        scope.project.id,
        user.id,
        target_type,
        tid,
        document_id,
        round_id,
        layer,
        target.layer_user_id,
        body,
    )
    assert row is not None
    memo = Memo.from_row(row)
    await _event(conn, scope, "memo.created", memo, after={"text": memo.text})
    return memo


async def _event(
    conn: asyncpg.Connection,
    scope: Scope,
    kind: str,
    memo: Memo,
    before: object = None,
    after: object = None,
) -> None:
    await append_event(
        conn,
        project_id=scope.project.id,
        actor_id=scope.user.id,
        kind=kind,
        subject_type="memo",
        subject_id=memo.id,
        document_id=memo.document_id,
        round_id=memo.round_id,
        # The event is as hidden as the memo: its author's layer, else its target's.
        layer_user_id=memo.layer_user_id or memo.target_layer_user_id,
        before=before,
        after={**(after or {}), "targetType": memo.target_type, "targetId": memo.target_id}
        if isinstance(after, dict) or after is None
        else after,
    )


async def _own(conn: asyncpg.Connection, user: User, memo_id: str) -> tuple[Scope, Memo]:
    mid = parse_id(memo_id, "Memo")
    scope = await scope_for_visible(
        conn, "memos", mid, user, Action.VIEW_PROJECT, what="Memo", lock=True
    )
    row = await conn.fetchrow(
        f"SELECT {COLUMNS} FROM memos m WHERE m.id = $1 AND "
        f"{memo_visible_sql(scope.sight, 'm', '$2')} FOR UPDATE",
        mid,
        user.id,
    )
    if row is None:
        raise NotFound(MEMO_NOT_FOUND)
    memo = Memo.from_row(row)
    scope.ensure_open()
    if memo.author_id != user.id:
        raise Forbidden("Only a memo's author may change it.")
    return scope, memo


async def update_memo(
    conn: asyncpg.Connection, user: User, memo_id: str, text: str, version: int | None
) -> Memo:
    scope, memo = await _own(conn, user, memo_id)
    if version is not None and version != memo.version:
        raise Conflict(
            f"The memo changed elsewhere (now version {memo.version}); reload it.", field="version"
        )
    row = await conn.fetchrow(
        f"UPDATE memos AS m SET body = $2, version = version + 1, updated_at = now() "
        f"WHERE id = $1 RETURNING {COLUMNS}",
        memo.id,
        _clean(text),
    )
    assert row is not None
    updated = Memo.from_row(row)
    await _event(
        conn,
        scope,
        "memo.updated",
        updated,
        before={"text": memo.text},
        after={"text": updated.text},
    )
    return updated


async def delete_memo(conn: asyncpg.Connection, user: User, memo_id: str) -> Memo:
    scope, memo = await _own(conn, user, memo_id)
    await conn.execute("DELETE FROM memos WHERE id = $1", memo.id)
    await _event(conn, scope, "memo.deleted", memo, before={"text": memo.text})
    return memo


async def memos_for(
    conn: asyncpg.Connection, scope: Scope, target_type: str | None, target_id: UUID | None
) -> list[Memo]:
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM memos m WHERE m.project_id = $1 AND "
        f"{memo_visible_sql(scope.sight, 'm', '$2')} AND ($3::text IS NULL OR m.target_type = $3) "
        "AND ($4::uuid IS NULL OR m.target_id = $4) ORDER BY m.seq",
        scope.project.id,
        scope.user.id,
        target_type,
        target_id,
    )
    return [Memo.from_row(r) for r in rows]
