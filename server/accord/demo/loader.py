"""Loading the demo study through Accord's own services, once per database.

Every step goes through the service a user's request would use (accounts, project,
members, codebook, documents, assignments, codings, submissions, the consensus workflow
and the synthesis), so the demo's audit log reads like a real project's. A row in
``demo_studies`` marks the study as loaded; a transaction-scoped advisory lock keeps two
servers starting at once from loading it twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import asyncpg

from accord.coding import assignments, codebook, codings
from accord.config import Settings
from accord.consensus import synthesis, workflow, workflow_resolve
from accord.demo import content
from accord.documents import service as documents
from accord.errors import NotFound
from accord.projects import service as projects
from accord.users import service as users
from accord.users.model import User

_LOCK_KEY = 0x0ACC0_DE30


@dataclass(frozen=True)
class DemoStudy:
    project_id: UUID
    created: bool
    accounts: tuple[tuple[str, str, str], ...]
    """(email, password, role) of each demo account."""


def accounts() -> tuple[tuple[str, str, str], ...]:
    return tuple((email, password, role) for _, email, _, password, role in content.ACCOUNTS)


async def load(conn: asyncpg.Connection, settings: Settings) -> DemoStudy:
    """Load the demo study unless it is already there; one transaction."""
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", _LOCK_KEY)
        existing = await conn.fetchval(
            "SELECT project_id FROM demo_studies WHERE marker = $1", content.MARKER
        )
        if existing is not None:
            return DemoStudy(existing, False, accounts())
        project_id = await _build(conn, settings)
        await conn.execute(
            "INSERT INTO demo_studies (marker, project_id) VALUES ($1, $2)",
            content.MARKER,
            project_id,
        )
        return DemoStudy(project_id, True, accounts())


async def _account(conn: asyncpg.Connection, email: str, name: str, password: str) -> User:
    try:
        return await users.user_by_email(conn, email)
    except NotFound:
        # Never the site administrator: the demo prints these passwords.
        return await users.create_user(conn, email, name, password, first_is_admin=False)


async def _build(conn: asyncpg.Connection, settings: Settings) -> UUID:
    people = {
        key: await _account(conn, email, name, password)
        for key, email, name, password, _ in content.ACCOUNTS
    }
    lead = people["lead"]
    project = await projects.create_project(
        conn, lead, content.PROJECT_NAME, content.PROJECT_DESCRIPTION, None
    )
    for key, email, _, _, role in content.ACCOUNTS:
        if key != "lead":
            await projects.add_member(conn, lead, project.id, email, role)
    code_ids: dict[str, UUID] = {}
    group_ids: dict[tuple[str, str], UUID] = {}
    for category, about, groups in content.CODEBOOK:
        cat = await codebook.create_code(
            conn, lead, project.id, {"name": category, "codable": False, "definition": about}
        )
        for group, group_about, codes in groups:
            grp = await codebook.create_code(
                conn,
                lead,
                project.id,
                {"name": group, "codable": False, "parentId": cat.id, "definition": group_about},
            )
            group_ids[(category, group)] = grp.id
            for name, (definition, inclusion, exclusion, example) in codes:
                made = await codebook.create_code(
                    conn,
                    lead,
                    project.id,
                    {
                        "name": name,
                        "parentId": grp.id,
                        "definition": definition,
                        "inclusion": inclusion,
                        "exclusion": exclusion,
                        "example": example,
                    },
                )
                code_ids[name] = made.id
    coders = (people["ingrid"], people["lars"])
    doc_ids = []
    for (title, attributes, text), readings in zip(
        content.INTERVIEWS, content.CODINGS, strict=True
    ):
        doc = await documents.import_document(
            conn, settings, lead, project.id, title, text, attributes
        )
        doc_ids.append(doc.id)
        for coder in coders:
            await assignments.assign_document(conn, lead, str(doc.id), str(coder.id), None)
        for reading in readings:
            for coder, code_name, phrase in (
                (coders[0], reading[0], reading[1]),
                (coders[1], reading[2], reading[3]),
            ):
                if code_name is None or phrase is None:
                    continue
                start = text.index(phrase)
                await codings.apply_code(
                    conn,
                    coder,
                    {
                        "documentId": str(doc.id),
                        "codeId": str(code_ids[code_name]),
                        "start": start,
                        "end": start + len(phrase),
                    },
                )
        for coder in coders:
            await assignments.submit(conn, coder, str(doc.id), None)
    await _consensus(conn, lead, coders[0], doc_ids[content.CONSENSUS_INTERVIEW])
    for title, attributes, text in content.TO_CODE:
        doc = await documents.import_document(
            conn, settings, lead, project.id, title, text, attributes
        )
        for coder in coders:
            await assignments.assign_document(conn, lead, str(doc.id), str(coder.id), None)
    synthesis_group = str(group_ids[content.SYNTHESIS_GROUP])
    await synthesis.set_condensate(conn, lead, synthesis_group, content.SYNTHESIS_CONDENSATE, None)
    return project.id


async def _consensus(conn: asyncpg.Connection, lead: User, chosen: User, doc_id: UUID) -> None:
    """Carry one interview through consensus: the rule accepts the agreed items, and the
    lead takes the chosen coder's version of the rest (or drops an item she left out)."""
    await workflow.start(conn, lead, str(doc_id), None, False)
    for item in await workflow.disagreements(conn, lead, str(doc_id), None):
        if item.status != "OPEN" or item.id is None:
            continue
        has_chosen = any(s.coder_id == chosen.id for s in item.segments)
        resolution = (
            {"action": "TAKE_CODER", "coderId": str(chosen.id)}
            if has_chosen
            else {"action": "DROP"}
        )
        await workflow_resolve.resolve_item(
            conn, lead, str(item.id), resolution, content.CONSENSUS_RATIONALE, item.version
        )
    await workflow.complete(conn, lead, str(doc_id), None)


async def load_copy(conn: asyncpg.Connection, settings: Settings) -> UUID:
    """A fresh copy of the demo study beside any other, outside the once-per-database
    marker: for tests and for trying things without changing the demo `--demo` loaded.
    The demo accounts are shared by every copy."""
    async with conn.transaction():
        return await _build(conn, settings)
