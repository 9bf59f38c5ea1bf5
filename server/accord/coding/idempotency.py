"""Idempotency keys: a coder's change sent twice is made once.

The browser queues each change to a layer (applyCode, updateCoding, deleteCoding) with a
key it made, and sends it again when it never heard the answer: after a lost connection
or a reload. The first call with a key makes the change and stores what it returned; a
later call with the same key and the same arguments returns that again and changes
nothing; the same key with other arguments is refused, since it would otherwise be
silently ignored.

Keys belong to one user (the table's key starts with the user), so two coders' keys never
meet. A replay still requires the caller to be a member of the project, and returns only
what that caller's own first call returned.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from accord.coding.codings import Coding
from accord.errors import InvalidInput
from accord.permissions import Action
from accord.projects import service as projects
from accord.users.model import User

_KEY = re.compile(r"^[A-Za-z0-9_.:-]{8,128}$")
# The two-integer form of advisory locks is a key space of its own, apart from the
# single-bigint locks the migration runner and the demo loader take.
_LOCK_CLASS = 0x1D3


def check_key(key: str) -> str:
    if not _KEY.match(key):
        raise InvalidInput(
            "An idempotency key is 8 to 128 letters, digits, '_', '-', '.' or ':' "
            "(a UUID will do).",
            field="idempotencyKey",
        )
    return key


def _encode(c: Coding) -> dict[str, Any]:
    return {
        "id": str(c.id),
        "seq": c.seq,
        "projectId": str(c.project_id),
        "documentId": str(c.document_id),
        "roundId": str(c.round_id),
        "layer": c.layer,
        "coderId": str(c.coder_id) if c.coder_id else None,
        "codeId": str(c.code_id),
        "start": c.start,
        "end": c.end,
        "text": c.text,
        "memo": c.memo,
        "version": c.version,
        "createdAt": c.created_at.isoformat(),
    }


def _decode(d: dict[str, Any]) -> Coding:
    return Coding(
        id=UUID(d["id"]),
        seq=d["seq"],
        project_id=UUID(d["projectId"]),
        document_id=UUID(d["documentId"]),
        round_id=UUID(d["roundId"]),
        layer=d["layer"],
        coder_id=UUID(d["coderId"]) if d["coderId"] else None,
        code_id=UUID(d["codeId"]),
        start=d["start"],
        end=d["end"],
        text=d["text"],
        memo=d["memo"],
        version=d["version"],
        created_at=datetime.fromisoformat(d["createdAt"]),
    )


async def once(
    conn: asyncpg.Connection,
    user: User,
    key: str | None,
    operation: str,
    request: dict[str, Any],
    change: Callable[[], Awaitable[Coding]],
) -> Coding:
    """Run ``change`` unless ``key`` was used before; then return what it returned."""
    if key is None:
        return await change()
    check_key(key)
    # Two calls with one key at once: the second waits here until the first commits,
    # then finds its answer.
    await conn.execute(
        "SELECT pg_advisory_xact_lock($1, hashtext($2::uuid::text || ':' || $3::text))",
        _LOCK_CLASS,
        user.id,
        key,
    )
    row = await conn.fetchrow(
        "SELECT project_id, operation, request, response FROM idempotency_keys "
        "WHERE user_id = $1 AND key = $2",
        user.id,
        key,
    )
    if row is not None:
        if row["operation"] != operation or row["request"] != request:
            raise InvalidInput(
                f"This idempotency key was already used for another change ({row['operation']}"
                " with other arguments). Send each change with a new key, and the same key "
                "only to repeat the same change.",
                field="idempotencyKey",
            )
        # A member who left the project learns nothing more from a replay.
        await projects.load(conn, row["project_id"], user, Action.VIEW_PROJECT)
        return _decode(row["response"])
    result = await change()
    await conn.execute(
        "INSERT INTO idempotency_keys (user_id, key, project_id, operation, request, response) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        user.id,
        key,
        result.project_id,
        operation,
        request,
        _encode(result),
    )
    return result
