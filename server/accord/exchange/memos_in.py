"""Notes from an imported project as Accord memos.

Notes on the project, a document, a code or a coding keep their target: a note on a
coding (or on its selection) becomes a memo on that coding, in its layer as a memo
written in Accord would be (a selection's own comment arrives as the coding's memo
text). A coder's note on a document belongs to that coder's layer; the documents are
revealed, so every member may read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import asyncpg

from accord.coding.blinding import CONSENSUS_LAYER
from accord.interop import ExchangeMemo, ExchangeProject, ImportReport
from accord.users.model import User

MAX_MEMO = 50_000


@dataclass(frozen=True)
class ImportedCoding:
    """A coding the import wrote: its id, document and coder (None: consensus)."""

    id: UUID
    document_id: UUID
    coder_id: UUID | None


@dataclass(frozen=True)
class _Target:
    kind: str
    id: UUID
    document_id: UUID | None = None
    #: For a coding: the layer the coding belongs to.
    layer: UUID | None = None


def _memo_target(
    memo: ExchangeMemo,
    project_id: UUID,
    code_ids: dict[str, UUID],
    document_ids: dict[str, UUID],
    codings: dict[str, ImportedCoding],
) -> _Target | None:
    guid = memo.target_guid or ""
    if memo.target_kind == "project":
        return _Target("PROJECT", project_id)
    if memo.target_kind == "code":
        code = code_ids.get(guid)
        return _Target("CODE", code) if code is not None else None
    if memo.target_kind == "coding":
        coding = codings.get(guid)
        if coding is None:
            return None
        layer = coding.coder_id if coding.coder_id is not None else CONSENSUS_LAYER
        return _Target("CODING", coding.id, coding.document_id, layer)
    document = document_ids.get(guid)
    return _Target("DOCUMENT", document, document) if document is not None else None


def _holds(body: str, title: str) -> bool:
    """Whether the memo's text already says its title (Accord's own export names a note
    by the first words of its text, "…" marking a cut), white space aside."""
    flat_title = " ".join(title.split()).removesuffix("…").strip()
    return flat_title in " ".join(body.split())


async def insert_memos(
    conn: asyncpg.Connection,
    user: User,
    project_id: UUID,
    round_id: UUID,
    exchange: ExchangeProject,
    layer_of: dict[str, UUID],
    code_ids: dict[str, UUID],
    document_ids: dict[str, UUID],
    codings: dict[str, ImportedCoding],
    report: ImportReport,
) -> int:
    written = 0
    for memo in exchange.memos:
        body = memo.text.replace("\x00", "").strip()
        label = memo.title or memo.guid
        if not body:
            report.skip("note", label, "it is empty")
            continue
        if memo.title and not _holds(body, memo.title):
            body = f"{memo.title}\n\n{body}"
        target = _memo_target(memo, project_id, code_ids, document_ids, codings)
        if target is None:
            report.skip("note", label, f"the {memo.target_kind} it belongs to was not imported")
            continue
        author = layer_of.get(memo.author_guid or "", user.id)
        document_id = target.document_id
        layer = author if author != user.id and document_id is not None else None
        await conn.execute(
            "INSERT INTO memos (project_id, author_id, target_type, target_id, document_id, "
            "round_id, layer_user_id, target_layer_user_id, body) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            project_id,
            author,
            target.kind,
            target.id,
            document_id,
            round_id if document_id is not None else None,
            layer,
            target.layer,
            body[:MAX_MEMO],
        )
        written += 1
    return written
