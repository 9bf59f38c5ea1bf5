"""The consensus workflow on one document and round: items, auto-accept, completion.

Each use case is one transaction: permission, validation, SQL, event. The pure engine
(:mod:`accord.consensus`) decides what goes to the consensus layer; the workflow stores
items with a version each, writes and removes consensus codings, and records every
decision in the audit log with its rationale and the segments it affected, which is what
the decision log (:mod:`accord.consensus.decisions`) is built from. Resolving and
reopening items is in :mod:`accord.consensus.workflow_resolve`.
"""

from __future__ import annotations

from uuid import UUID

import asyncpg

from accord.coding.codings import Coding
from accord.consensus import workflow_repo as repo
from accord.consensus.rules import auto_accept, meets_rule
from accord.consensus.workflow_items import (
    ITEM_NOT_FOUND,
    ItemSegment,
    ItemView,
    Progress,
    Session,
    affected,
    live_items,
    reading_scope,
    record_event,
    rule_of,
    view_of_row,
    writing_scope,
)
from accord.errors import Conflict, InvalidInput, NotFound
from accord.users.model import User


async def disagreements(
    conn: asyncpg.Connection, user: User, document_id: str, round_id: str | None
) -> list[ItemView]:
    """The document's items: stored once consensus started, else aligned from the layers."""
    scope, did, rid = await reading_scope(conn, user, document_id, round_id)
    rule = rule_of(scope)
    session = await repo.session_for(conn, did, rid)
    if session is not None:
        coders = tuple(session["coders"])
        return [view_of_row(r, coders, rule) for r in await repo.items_of(conn, session["id"])]
    assigned = [r["user_id"] for r in await repo.assignments_of(conn, did, rid)]
    if not assigned:
        return []
    views = []
    for item, segments in await live_items(conn, did, rid, assigned):
        views.append(
            ItemView(
                id=None,
                project_id=scope.project.id,
                document_id=did,
                round_id=rid,
                key=item.key,
                kind=item.kind.value,
                status="OPEN",
                start=item.start,
                end=item.end,
                coders=tuple(assigned),
                segments=segments,
                meets_rule=meets_rule(item, rule, [str(c) for c in assigned]),
            )
        )
    return views


async def progress(
    conn: asyncpg.Connection, user: User, document_id: str, round_id: str | None
) -> Progress:
    """Counts by status; before consensus starts every aligned item counts as open."""
    _scope, did, rid = await reading_scope(conn, user, document_id, round_id)
    session = await repo.session_for(conn, did, rid)
    if session is None:
        items = await disagreements(conn, user, document_id, str(rid))
        return Progress(did, rid, "NOT_STARTED", False, len(items), 0, 0)
    counts = await repo.status_counts(conn, session["id"])
    return Progress(
        did,
        rid,
        session["status"],
        session["forced"],
        counts.get("OPEN", 0),
        counts.get("AUTO_ACCEPTED", 0),
        counts.get("RESOLVED", 0),
    )


async def item_codings(conn: asyncpg.Connection, user: User, item_id: UUID) -> list[Coding]:
    """The consensus codings an item wrote, for whoever may see the item."""
    row = await repo.item_by_id(conn, item_id)
    if row is None:
        raise NotFound(ITEM_NOT_FOUND)
    await reading_scope(conn, user, str(row["document_id"]), str(row["round_id"]))
    return await repo.item_codings(conn, item_id)


async def start(
    conn: asyncpg.Connection, user: User, document_id: str, round_id: str | None, force: bool
) -> Session:
    """Build the items, and accept those meeting the project's rule into the consensus layer."""
    scope, did, rid = await writing_scope(conn, user, document_id, round_id)
    rule = rule_of(scope)
    assigned = await repo.assignments_of(conn, did, rid)
    if not assigned:
        raise InvalidInput(
            "No one is assigned this document in this round, so there is nothing to compare.",
            field="documentId",
        )
    pending = [r["user_id"] for r in assigned if r["status"] != "SUBMITTED"]
    if pending and not force:
        raise Conflict(
            f"{len(pending)} of {len(assigned)} assignments of this document are not submitted "
            f"yet ({await _names(conn, pending)}). Wait for them, or start with "
            "force: true (recorded in the audit log).",
            field="force",
        )
    coders = [r["user_id"] for r in assigned]
    row = await repo.insert_session(
        conn, scope.project.id, did, rid, coders, user.id, bool(pending)
    )
    if row is None:
        raise Conflict("Consensus has already started on this document in this round.")
    names = [str(c) for c in coders]
    accepted: list[tuple[asyncpg.Record, tuple[ItemSegment, ...], list[Coding]]] = []
    live = await live_items(conn, did, rid, coders)
    for ordinal, (item, segments) in enumerate(live):
        stored = await repo.insert_item(
            conn,
            row,
            ordinal,
            {
                "key": item.key,
                "kind": item.kind.value,
                "start": item.start,
                "end": item.end,
                "segments": [s.snapshot() for s in segments],
            },
        )
        written = auto_accept(item, rule, names)
        if written is None:
            continue
        for segment in written:
            await repo.insert_consensus_coding(
                conn, stored, UUID(segment.code), segment.start, segment.end
            )
        await repo.update_item(conn, stored["id"], "AUTO_ACCEPTED", None, None, None)
        accepted.append((stored, segments, await repo.item_codings(conn, stored["id"])))
    session = Session.from_row(row)
    await record_event(
        conn,
        scope,
        "consensus.started",
        "consensus_session",
        session.id,
        did,
        rid,
        after={
            "forced": session.forced,
            "pendingCoders": [str(c) for c in pending],
            "coders": names,
            "items": len(live),
            "autoAccepted": len(accepted),
            "rule": {
                "requireAllCoders": rule.require_all_coders,
                "requireSameCode": rule.require_same_code,
                "minPairwiseOverlap": rule.min_pairwise_overlap,
                "overlapMeasure": rule.overlap_measure.value,
            },
        },
    )
    for stored, segments, codings in accepted:
        await record_event(
            conn,
            scope,
            "consensus.auto_accepted",
            "consensus_item",
            stored["id"],
            did,
            rid,
            automatic=True,
            after={
                "itemId": str(stored["id"]),
                "key": stored["key"],
                "kind": stored["kind"],
                "start": stored["start_offset"],
                "end": stored["end_offset"],
                "status": "AUTO_ACCEPTED",
                "startedBy": str(user.id),
                "segments": affected(segments, codings, "ADDED"),
            },
        )
    return session


async def _names(conn: asyncpg.Connection, user_ids: list[UUID]) -> str:
    """'Ingrid Solberg and Lars Haugen': the people named, for a refusal's message."""
    rows = await conn.fetch(
        "SELECT name, email FROM users WHERE id = ANY($1::uuid[]) ORDER BY name, email", user_ids
    )
    names: list[str] = [r["name"] or r["email"] for r in rows]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


async def session_of(
    conn: asyncpg.Connection, user: User, document_id: str, round_id: str | None
) -> Session | None:
    _scope, did, rid = await reading_scope(conn, user, document_id, round_id)
    row = await repo.session_for(conn, did, rid)
    return Session.from_row(row) if row else None


async def complete(
    conn: asyncpg.Connection, user: User, document_id: str, round_id: str | None
) -> Session:
    """Close consensus on the document; refused while any item is open."""
    scope, did, rid = await writing_scope(conn, user, document_id, round_id)
    row = await repo.session_for(conn, did, rid, lock=True)
    if row is None:
        raise NotFound("Consensus has not started on this document in this round.")
    if row["status"] == "COMPLETED":
        raise Conflict("Consensus on this document is already complete.")
    counts = await repo.status_counts(conn, row["id"])
    if counts.get("OPEN", 0):
        raise Conflict(
            f"{counts['OPEN']} item(s) are still open; resolve them before completing.",
            field="documentId",
        )
    done = Session.from_row(await repo.set_session_status(conn, row["id"], "COMPLETED", user.id))
    await record_event(
        conn,
        scope,
        "consensus.completed",
        "consensus_session",
        done.id,
        did,
        rid,
        before={"status": "OPEN"},
        after={
            "status": "COMPLETED",
            "autoAccepted": counts.get("AUTO_ACCEPTED", 0),
            "resolved": counts.get("RESOLVED", 0),
        },
    )
    return done
