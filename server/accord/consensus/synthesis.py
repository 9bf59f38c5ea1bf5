"""Synthesis (systematic text condensation, steps 3 and 4): per category or group, the
condensate, the analytic text and the chosen quotes.

Leads write; every member reads. Quotes are consensus-layer codings, and a coder sees a
consensus coding only where blinding lets them see the document's layers (revealed, or
blinding off): the quotes a coder reads are filtered by the same rule as every other
read of codings, so the synthesis never shows a coder text they could not open.

Each write carries an optional ``version``; a stale one gets CONFLICT. Version 0 means
nothing was written yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from accord.coding import codebook
from accord.coding import codings as coding_service
from accord.coding.access import Scope, scope_for_visible
from accord.coding.blinding import coding_visible_sql
from accord.coding.codebook import Code
from accord.coding.codings import Coding
from accord.errors import Conflict, InvalidInput, NotFound
from accord.events.log import append_event
from accord.ids import parse_id
from accord.permissions import Action
from accord.text_input import clean_text
from accord.users.model import User

MAX_TEXT = 200_000
MAX_QUOTES = 200


@dataclass(frozen=True)
class CategoryContent:
    code: Code
    condensate: str
    analytic_text: str
    quotes: list[Coding]
    version: int
    updated_by: UUID | None
    updated_at: datetime | None


async def category_of(conn: asyncpg.Connection, scope: Scope, code_id: UUID) -> Code:
    code = await codebook.load_code(conn, scope, code_id)
    if code.owner_id is not None:
        raise NotFound(codebook.CODE_NOT_FOUND)
    if code.codable:
        has_children = await conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM codes WHERE parent_id = $1 AND status <> 'MERGED')",
            code_id,
        )
        if not has_children:
            raise InvalidInput(
                f"{code.name!r} is a code, not a category or group: synthesis is written for "
                "headings and codes with codes under them.",
                field="codeId",
            )
    return code


async def _quotes(conn: asyncpg.Connection, scope: Scope, ids: list[UUID]) -> list[Coding]:
    visible = coding_visible_sql(scope.sight, "c", "$2")
    rows = await conn.fetch(
        f"SELECT {coding_service.COLUMNS} FROM codings c JOIN documents d ON d.id = c.document_id "
        f"WHERE c.id = ANY($1::uuid[]) AND c.project_id = $3 AND c.layer = 'CONSENSUS' "
        f"AND {visible}",
        ids,
        scope.user.id,
        scope.project.id,
    )
    by_id = {r["id"]: Coding.from_row(r) for r in rows}
    return [by_id[i] for i in ids if i in by_id]


async def _read(conn: asyncpg.Connection, scope: Scope, code: Code) -> CategoryContent:
    row = await conn.fetchrow("SELECT * FROM category_contents WHERE code_id = $1", code.id)
    if row is None:
        return CategoryContent(code, "", "", [], 0, None, None)
    return CategoryContent(
        code=code,
        condensate=row["condensate"],
        analytic_text=row["analytic_text"],
        quotes=await _quotes(conn, scope, list(row["quote_ids"])),
        version=row["version"],
        updated_by=row["updated_by"],
        updated_at=row["updated_at"],
    )


async def category_content(conn: asyncpg.Connection, user: User, code_id: str) -> CategoryContent:
    cid = parse_id(code_id, "Code")
    scope = await scope_for_visible(conn, "codes", cid, user, Action.VIEW_PROJECT, what="Code")
    return await _read(conn, scope, await category_of(conn, scope, cid))


async def _write(
    conn: asyncpg.Connection,
    user: User,
    code_id: str,
    column: str,
    value: Any,
    version: int | None,
) -> CategoryContent:
    cid = parse_id(code_id, "Code")
    scope = await scope_for_visible(
        conn, "codes", cid, user, Action.RUN_CONSENSUS, what="Code", lock=True
    )
    code = await category_of(conn, scope, cid)
    if column == "quote_ids":
        await _check_quotes(conn, scope, cid, value)
    row = await conn.fetchrow("SELECT * FROM category_contents WHERE code_id = $1 FOR UPDATE", cid)
    current = row["version"] if row else 0
    if version is not None and version != current:
        raise Conflict(
            f"The synthesis of {code.name!r} was changed by someone else (now version "
            f"{current}, you sent {version}). Reload it and apply your change again.",
            field="version",
        )
    await conn.execute(
        f"INSERT INTO category_contents (code_id, project_id, {column}, updated_by) "
        f"VALUES ($1, $2, $3, $4) ON CONFLICT (code_id) DO UPDATE SET {column} = $3, "
        "updated_by = $4, updated_at = now(), version = category_contents.version + 1",
        cid,
        scope.project.id,
        value,
        user.id,
    )
    old = row[column] if row else ([] if column == "quote_ids" else "")
    field = {"condensate": "condensate", "analytic_text": "analyticText", "quote_ids": "quoteIds"}
    await append_event(
        conn,
        project_id=scope.project.id,
        actor_id=user.id,
        kind=f"synthesis.{field[column]}_set",
        subject_type="code",
        subject_id=cid,
        # Quotes name consensus codings of documents a blinded coder may not see yet.
        layer_user_id=user.id if column == "quote_ids" else None,
        before={field[column]: [str(q) for q in old] if column == "quote_ids" else old},
        after={field[column]: [str(q) for q in value] if column == "quote_ids" else value},
    )
    return await _read(conn, scope, code)


async def _check_quotes(
    conn: asyncpg.Connection, scope: Scope, category: UUID, ids: list[UUID]
) -> None:
    if len(ids) > MAX_QUOTES:
        raise InvalidInput(f"Choose at most {MAX_QUOTES} quotes.", field="codingIds")
    if len(set(ids)) != len(ids):
        raise InvalidInput("A coding is named twice among the quotes.", field="codingIds")
    good = await conn.fetch(
        """
        WITH RECURSIVE down(id) AS (
            SELECT $1::uuid
            UNION ALL
            SELECT c.id FROM codes c JOIN down ON c.parent_id = down.id
        )
        SELECT id FROM codings
        WHERE id = ANY($2::uuid[]) AND project_id = $3 AND layer = 'CONSENSUS'
          AND code_id IN (SELECT id FROM down)
        """,
        category,
        ids,
        scope.project.id,
    )
    bad = [i for i in ids if i not in {r["id"] for r in good}]
    if bad:
        raise InvalidInput(
            f"{len(bad)} of the quotes are not consensus-layer codings of this category or "
            f"the codes under it (first: {bad[0]}).",
            field="codingIds",
        )


def _text(value: str, what: str, field: str) -> str:
    return clean_text(value, what=what, field=field, max_length=MAX_TEXT, required=False)


async def set_condensate(
    conn: asyncpg.Connection, user: User, code_id: str, text: str, version: int | None
) -> CategoryContent:
    value = _text(text, "A condensate", "text")
    return await _write(conn, user, code_id, "condensate", value, version)


async def set_analytic_text(
    conn: asyncpg.Connection, user: User, code_id: str, text: str, version: int | None
) -> CategoryContent:
    value = _text(text, "An analytic text", "text")
    return await _write(conn, user, code_id, "analytic_text", value, version)


async def set_quotes(
    conn: asyncpg.Connection, user: User, code_id: str, coding_ids: list[str], version: int | None
) -> CategoryContent:
    ids = [parse_id(c, "Coding") for c in coding_ids]
    return await _write(conn, user, code_id, "quote_ids", ids, version)
