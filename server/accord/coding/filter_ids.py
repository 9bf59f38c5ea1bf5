"""Ids a caller names in a filter (codeIds, coderIds, documentIds, roundId, ...): each must
name something of the project the caller may see, or the request is refused with
INVALID_INPUT naming every id that does not, so no filter is silently empty.

Blinding: another coder's hidden proposed code is looked up by the same one statement as
any id and, like an id that does not exist, named as unknown; the answer cannot tell
them apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from uuid import UUID

import asyncpg

from accord.coding.access import Scope
from accord.coding.blinding import coding_code_visible_sql
from accord.errors import InvalidInput

# Each kind: what an error calls it, and which of its ids the caller may name.
_KNOWN_SQL = {
    "document": (
        "document",
        "SELECT id FROM documents WHERE project_id = $1 AND id = ANY($2::uuid[])",
    ),
    "round": ("round", "SELECT id FROM rounds WHERE project_id = $1 AND id = ANY($2::uuid[])"),
    # Members, and anyone who ever held an assignment (a removed member's layer stays).
    "coder": (
        "coder",
        "SELECT user_id AS id FROM project_members WHERE project_id = $1 "
        "AND user_id = ANY($2::uuid[]) UNION SELECT user_id FROM assignments "
        "WHERE project_id = $1 AND user_id = ANY($2::uuid[])",
    ),
    # The audit log (leads and viewers) names former members and deleted documents too.
    "actor": (
        "member",
        "SELECT user_id AS id FROM project_members WHERE project_id = $1 "
        "AND user_id = ANY($2::uuid[]) UNION SELECT actor_id FROM events "
        "WHERE project_id = $1 AND actor_id = ANY($2::uuid[])",
    ),
    "logged document": (
        "document",
        "SELECT id FROM documents WHERE project_id = $1 AND id = ANY($2::uuid[]) "
        "UNION SELECT document_id FROM events WHERE project_id = $1 "
        "AND document_id = ANY($2::uuid[])",
    ),
}


def _parse(values: Iterable[str | UUID]) -> tuple[list[UUID], list[str]]:
    parsed: list[UUID] = []
    malformed: list[str] = []
    for value in values:
        if isinstance(value, UUID):
            parsed.append(value)
            continue
        try:
            parsed.append(UUID(str(value).strip()))
        except ValueError:
            malformed.append(str(value))
    return parsed, malformed


async def known_ids(
    conn: asyncpg.Connection,
    scope: Scope,
    field: str,
    kind: str,
    values: Sequence[str | UUID] | None,
) -> list[UUID] | None:
    """The ids of ``values`` (None: no filter), once every one names a ``kind`` (code,
    or one of ``_KNOWN_SQL``) of the project the caller may see; otherwise INVALID_INPUT
    on ``field`` listing the others."""
    if values is None:
        return None
    parsed, unknown = _parse(values)
    ids = list(set(parsed))
    label = _KNOWN_SQL[kind][0] if kind in _KNOWN_SQL else kind
    if kind == "code":
        rows = await conn.fetch(
            "SELECT id FROM codes c WHERE project_id = $1 AND id = ANY($2::uuid[]) AND "
            + coding_code_visible_sql(scope.sight, "c", "$3"),
            scope.project.id,
            ids,
            scope.user.id,
        )
    else:
        rows = await conn.fetch(_KNOWN_SQL[kind][1], scope.project.id, ids)
    found = {r["id"] for r in rows}
    unknown += [str(v) for v in parsed if v not in found]
    if unknown:
        listed = ", ".join(dict.fromkeys(unknown))
        raise InvalidInput(
            f"{field} names {'an id' if len(unknown) == 1 else 'ids'} of no {label} in this "
            f"project: {listed}.",
            field=field,
        )
    return parsed


async def known_id(
    conn: asyncpg.Connection, scope: Scope, field: str, kind: str, value: str | UUID | None
) -> UUID | None:
    """Like :func:`known_ids`, for a filter that names one id."""
    found = await known_ids(conn, scope, field, kind, None if value is None else [value])
    return None if found is None else found[0]


def parse_filter_id(value: str | None, field: str, kind: str) -> UUID | None:
    """An id named in a filter, before it is looked up: a malformed one is refused in
    the words :func:`known_ids` uses for an unknown one."""
    if value is None:
        return None
    parsed, malformed = _parse([value])
    if malformed:
        raise InvalidInput(
            f"{field} names an id of no {kind} in this project: {malformed[0]}.", field=field
        )
    return parsed[0]
