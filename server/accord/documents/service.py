"""Documents (transcripts): import, read, change and delete; one transaction each."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from accord.config import Settings
from accord.documents import repo
from accord.documents.text import normalize_text
from accord.documents.units import Unit, compute_units
from accord.errors import Forbidden, InvalidInput, NotFound, TooLarge
from accord.events.log import append_event
from accord.permissions import Action, Role
from accord.projects import service as projects
from accord.text_input import clean_name
from accord.users.model import User

MAX_TITLE = 500
MAX_ATTRIBUTES_BYTES = 64_000
DOCUMENT_NOT_FOUND = "Document not found."


@dataclass(frozen=True)
class Document:
    id: UUID
    project_id: UUID
    seq: int
    title: str
    text: str | None  # None on listing pages, which do not read the body
    length: int
    attributes: dict[str, Any]
    version: int
    created_at: datetime
    role: Role

    @classmethod
    def from_row(cls, row: asyncpg.Record, role: Role) -> Document:
        return cls(
            id=row["id"],
            project_id=row["project_id"],
            seq=row["seq"],
            title=row["title"],
            text=row["body"],
            length=row["length"],
            attributes=row["attributes"],
            version=row["version"],
            created_at=row["created_at"],
            role=role,
        )


def clean_text(text: str, settings: Settings) -> str:
    """Validate and normalise transcript text. Size is checked before anything else."""
    # A code point is at most 4 bytes: a cheap upper bound avoids encoding huge text.
    if len(text) * 4 > settings.max_document_bytes and (
        len(text.encode("utf-8", "surrogatepass")) > settings.max_document_bytes
    ):
        raise TooLarge(
            f"The text is larger than the limit of {settings.max_document_bytes:,} bytes "
            "(ACCORD_MAX_DOCUMENT_BYTES).",
            field="text",
        )
    if "\x00" in text:
        raise InvalidInput(
            "The text contains NUL characters, which a transcript cannot hold.", field="text"
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(
            "The text is not valid Unicode (it holds lone surrogates).", field="text"
        ) from None
    text = normalize_text(text)
    if not text.strip():
        raise InvalidInput("The text is empty.", field="text")
    return text


def clean_title(title: str) -> str:
    return clean_name(title, what="A document", field="title", max_length=MAX_TITLE)


def clean_attributes(attributes: Any) -> dict[str, Any]:
    if attributes is None:
        return {}
    if not isinstance(attributes, dict):
        raise InvalidInput(
            'Attributes must be a JSON object, such as {"participant": "P07"}.', field="attributes"
        )
    encoded = json.dumps(attributes)
    if len(encoded.encode("utf-8")) > MAX_ATTRIBUTES_BYTES:
        raise TooLarge(
            f"Attributes can take at most {MAX_ATTRIBUTES_BYTES:,} bytes.", field="attributes"
        )
    if "\\u0000" in encoded:
        raise InvalidInput("Attributes contain NUL characters.", field="attributes")
    return attributes


async def import_document(
    conn: asyncpg.Connection,
    settings: Settings,
    user: User,
    project_id: UUID,
    title: str,
    text: str,
    attributes: Any,
    units: list[Unit] | None = None,
) -> Document:
    """Store a transcript. ``units`` overrides the computed ones (e.g. timed cues)."""
    body = clean_text(text, settings)
    project = await projects.load(conn, project_id, user, Action.IMPORT_DOCUMENT, lock=True)
    clean_title_ = clean_title(title)
    attrs = clean_attributes(attributes)
    row = await repo.insert_document(conn, project_id, clean_title_, body, attrs, user.id)
    await repo.insert_units(conn, row["id"], units if units is not None else compute_units(body))
    document = Document.from_row(row, project.role)
    await append_event(
        conn,
        project_id=project_id,
        actor_id=user.id,
        kind="document.imported",
        subject_type="document",
        subject_id=document.id,
        document_id=document.id,
        after={"title": document.title, "length": document.length, "attributes": attrs},
    )
    return document


async def load(
    conn: asyncpg.Connection, document_id: UUID, user: User, action: Action, *, lock: bool = False
) -> Document:
    """The document, when ``user`` may do ``action`` on it; NOT_FOUND for non-members."""
    project_id = await repo.project_of_document(conn, document_id)
    if project_id is None:
        raise NotFound(DOCUMENT_NOT_FOUND)
    project = await projects.load(
        conn, project_id, user, action, lock=lock, not_found=DOCUMENT_NOT_FOUND
    )
    row = await repo.document_by_id(conn, document_id, for_update=lock)
    if row is None:
        raise NotFound(DOCUMENT_NOT_FOUND)
    return Document.from_row(row, project.role)


async def update_document(
    conn: asyncpg.Connection,
    settings: Settings,
    user: User,
    document_id: UUID,
    title: str | None,
    text: str | None,
    attributes: Any,
) -> Document:
    new_text = clean_text(text, settings) if text is not None else None
    document = await load(conn, document_id, user, Action.EDIT_DOCUMENT, lock=True)
    assert document.text is not None
    body = document.text
    if new_text is not None and new_text != document.text:
        if await repo.has_codings(conn, document_id):
            raise Forbidden(
                "The text cannot change once anything is coded on it: offsets would move. "
                "Title and attributes can still change."
            )
        body = new_text
    new_title = clean_title(title) if title is not None else document.title
    attrs = clean_attributes(attributes) if attributes is not None else document.attributes
    row = await repo.update_document(conn, document_id, new_title, body, attrs)
    if body != document.text:
        await repo.delete_units(conn, document_id)
        await repo.insert_units(conn, document_id, compute_units(body))
    updated = Document.from_row(row, document.role)
    await append_event(
        conn,
        project_id=document.project_id,
        actor_id=user.id,
        kind="document.updated",
        subject_type="document",
        subject_id=document_id,
        document_id=document_id,
        before={
            "title": document.title,
            "attributes": document.attributes,
            "length": document.length,
        },
        after={"title": updated.title, "attributes": updated.attributes, "length": updated.length},
    )
    return updated


async def delete_document(conn: asyncpg.Connection, user: User, document_id: UUID) -> Document:
    document = await load(conn, document_id, user, Action.EDIT_DOCUMENT, lock=True)
    if await repo.has_codings(conn, document_id):
        raise Forbidden("A document with codings cannot be deleted.")
    await repo.delete_document(conn, document_id)
    await append_event(
        conn,
        project_id=document.project_id,
        actor_id=user.id,
        kind="document.deleted",
        subject_type="document",
        subject_id=document_id,
        document_id=document_id,
        before={
            "title": document.title,
            "length": document.length,
            "attributes": document.attributes,
        },
    )
    return document
