"""Writing an imported codebook into a project's shared codebook, parents first.

Imported names are held to the codebook's rules: one line, at most 200 characters (a
longer name is shortened, kept whole at the head of the definition, and reported), unique
among siblings regardless of case. A clash inside the file gets a numbered name (and a
warning); a clash with a code the project already has reuses that code when asked to
(``.qdc`` into an existing codebook) and is reported as skipped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from uuid import UUID

import asyncpg

from accord.coding import codes_repo
from accord.events.log import append_event
from accord.exchange.names_in import MAX_NAME, one_line, shorten
from accord.interop import ExchangeCode, ImportReport
from accord.users.model import User

_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
MAX_TEXT = 20_000


def _name(code: ExchangeCode) -> str:
    return shorten(code.name, MAX_NAME) or "Unnamed code"


def _definition(code: ExchangeCode, report: ImportReport) -> str:
    """The code's description; a shortened name is kept whole at its head."""
    definition = (code.description or "").replace("\x00", "").strip()
    full = one_line(code.name)
    if len(full) > MAX_NAME:
        report.warnings.append(
            f"The code {shorten(full, 60)!r} has a name of {len(full):,} characters; Accord "
            f"shortened it to {MAX_NAME} and kept the full name at the head of its definition."
        )
        definition = f"Full name: {full}\n\n{definition}".strip()
    return definition[:MAX_TEXT]


async def insert_codes(
    conn: asyncpg.Connection,
    user: User,
    project_id: UUID,
    codes: Sequence[ExchangeCode],
    report: ImportReport,
    *,
    merge_existing: bool = False,
) -> dict[str, UUID]:
    """Insert ``codes`` (parents listed first); returns file GUID → code id."""
    taken: dict[tuple[UUID | None, str], UUID] = {}
    if merge_existing:
        for row in await conn.fetch(
            "SELECT id, parent_id, name FROM codes WHERE project_id = $1 AND owner_id IS NULL "
            "AND status <> 'MERGED'",
            project_id,
        ):
            taken[(row["parent_id"], row["name"].lower())] = row["id"]
    existing = set(taken.values())
    ids: dict[str, UUID] = {}
    created = 0
    for code in codes:
        parent = ids.get(code.parent_guid) if code.parent_guid else None
        name = _name(code)
        clash = taken.get((parent, name.lower()))
        if clash is not None and clash in existing:
            ids[code.guid] = clash
            report.skip("code", name, "the codebook already has a code of that name here")
            continue
        if clash is not None:
            base, n = name, 2
            while (parent, name.lower()) in taken:
                name = f"{base[: MAX_NAME - 6]} ({n})"
                n += 1
            report.warnings.append(
                f"Two codes under one parent are both named {base!r}; the second is {name!r}."
            )
        color = code.color.upper() if code.color and _COLOR.match(code.color) else None
        if code.color and color is None:
            report.warnings.append(f"The colour {code.color!r} of {name!r} was not kept.")
        fields = {
            "name": name,
            "definition": _definition(code, report),
            "inclusion": "",
            "exclusion": "",
            "example": "",
            "color": color,
            "codable": code.codable,
        }
        row = await codes_repo.insert_code(conn, project_id, parent, fields, None, user.id)
        ids[code.guid] = row["id"]
        taken[(parent, name.lower())] = row["id"]
        created += 1
        await append_event(
            conn,
            project_id=project_id,
            actor_id=user.id,
            kind="code.created",
            subject_type="code",
            subject_id=row["id"],
            after={**fields, "parent_id": parent, "status": "ACTIVE", "imported": True},
        )
    report.counts["codes"] = created
    return ids
