"""Finding a project from what a person types on the command line: its id or its name."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from accord.errors import InvalidInput, NotFound
from accord.projects import repo


async def resolve_project(conn: asyncpg.Connection, reference: str) -> UUID:
    """The project whose id, or else whose exact name, is ``reference``.

    A name several projects share names none of them: the error lists their ids."""
    text = reference.strip()
    try:
        project_id = UUID(text)
    except ValueError:
        pass
    else:
        if await repo.project_exists(conn, project_id):
            return project_id
    ids = await repo.ids_named(conn, text)
    if not ids:
        raise NotFound(
            f"No project has the id or the name {text!r}; `accord project list` shows them.",
            field="project",
        )
    if len(ids) > 1:
        listed = ", ".join(str(i) for i in ids)
        raise InvalidInput(
            f"{len(ids)} projects are named {text!r}; give one of their ids instead: {listed}.",
            field="project",
        )
    return ids[0]
