"""The codings of an imported REFI-QDA project, written in batches.

A study of 100,000 codings goes in as COPY statements of :data:`CODING_BATCH` rows in
the import's one transaction: the event loop serves other requests between batches, and
a failure in any batch still rolls back every one before it (and the whole import).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import asyncpg

from accord.exchange.memos_in import ImportedCoding
from accord.interop import ExchangeProject

MAX_CODING_MEMO = 20_000

#: Codings written per COPY; between batches the event loop serves other requests. A
#: batch is a few milliseconds of Python (building its rows) and one round trip.
CODING_BATCH = 2_000

_CODING_COLUMNS = (
    "id",
    "project_id",
    "document_id",
    "round_id",
    "layer",
    "coder_id",
    "code_id",
    "start_offset",
    "end_offset",
    "memo",
)


async def insert_codings(
    conn: asyncpg.Connection,
    project_id: UUID,
    round_id: UUID,
    exchange: ExchangeProject,
    layer_of: dict[str, UUID],
    code_ids: dict[str, UUID],
    document_ids: dict[str, UUID],
) -> dict[str, ImportedCoding]:
    """Insert every coding; returns each file coding GUID's new coding.

    The codings go in batches of :data:`CODING_BATCH` (one COPY each), all in the
    caller's transaction: a study of 100,000 codings never holds the event loop for
    long, and a failure in any batch still rolls back every one before it."""
    inserted: dict[str, ImportedCoding] = {}
    codings = exchange.codings
    for first in range(0, len(codings), CODING_BATCH):
        rows: list[tuple[Any, ...]] = []
        for c in codings[first : first + CODING_BATCH]:
            coder = layer_of.get(c.user_guid)
            memo = (c.memo or "").replace("\x00", "").strip()[:MAX_CODING_MEMO]
            coding_id = uuid4()
            document_id = document_ids[c.document_guid]
            inserted[c.guid] = ImportedCoding(coding_id, document_id, coder)
            rows.append(
                (
                    coding_id,
                    project_id,
                    document_id,
                    round_id,
                    "CODER" if coder is not None else "CONSENSUS",
                    coder,
                    code_ids[c.code_guid],
                    c.start,
                    c.end,
                    memo,
                )
            )
        await conn.copy_records_to_table("codings", records=rows, columns=_CODING_COLUMNS)
    return inserted
