"""Notes from an imported project as Accord memos.

Notes on the project, a document or a code keep their target. Codings are stored without
their file GUIDs, so a note on one coding is kept on the coding's document (a selection's
own comment already arrives as the coding's memo). A coder's note on a document belongs
to that coder's layer; the documents are revealed, so every member may read it.
"""

from __future__ import annotations

from uuid import UUID

import asyncpg

from accord.interop import ExchangeMemo, ExchangeProject, ImportReport
from accord.users.model import User

MAX_MEMO = 50_000


def _memo_target(
    memo: ExchangeMemo,
    project_id: UUID,
    code_ids: dict[str, UUID],
    document_ids: dict[str, UUID],
    coding_documents: dict[str, UUID],
) -> tuple[str, UUID] | None:
    if memo.target_kind == "project":
        return "PROJECT", project_id
    if memo.target_kind == "code":
        code = code_ids.get(memo.target_guid or "")
        return ("CODE", code) if code is not None else None
    table = document_ids if memo.target_kind == "document" else coding_documents
    document = table.get(memo.target_guid or "")
    return ("DOCUMENT", document) if document is not None else None


async def insert_memos(
    conn: asyncpg.Connection,
    user: User,
    project_id: UUID,
    round_id: UUID,
    exchange: ExchangeProject,
    layer_of: dict[str, UUID],
    code_ids: dict[str, UUID],
    document_ids: dict[str, UUID],
    report: ImportReport,
) -> int:
    coding_documents = {c.guid: document_ids[c.document_guid] for c in exchange.codings}
    written = 0
    for memo in exchange.memos:
        body = memo.text.replace("\x00", "").strip()
        label = memo.title or memo.guid
        if not body:
            report.skip("note", label, "it is empty")
            continue
        if memo.title and memo.title not in body:
            body = f"{memo.title}\n\n{body}"
        target = _memo_target(memo, project_id, code_ids, document_ids, coding_documents)
        if target is None:
            report.skip("note", label, f"the {memo.target_kind} it belongs to was not imported")
            continue
        kind, target_id = target
        author = layer_of.get(memo.author_guid or "", user.id)
        document_id = target_id if kind == "DOCUMENT" else None
        layer = author if author != user.id and document_id is not None else None
        await conn.execute(
            "INSERT INTO memos (project_id, author_id, target_type, target_id, document_id, "
            "round_id, layer_user_id, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            project_id,
            author,
            kind,
            target_id,
            document_id,
            round_id if document_id is not None else None,
            layer,
            body[:MAX_MEMO],
        )
        written += 1
    return written
