"""A lead's decisions on disagreement items: resolve and reopen, each one transaction.

The item row is locked before its version is compared, so of two leads deciding the same
item at once exactly one succeeds and the other gets CONFLICT.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg

from accord.coding import codebook
from accord.coding.access import Scope, scope_for
from accord.coding.codings import Coding
from accord.consensus import workflow_repo as repo
from accord.consensus.resolution import (
    Custom,
    Drop,
    Resolution,
    ResolutionAction,
    ResolutionError,
    TakeCoder,
    TakeIntersection,
    TakeUnion,
    resolve,
)
from accord.consensus.segments import ConsensusSegment
from accord.consensus.workflow_items import (
    ITEM_NOT_FOUND,
    ItemView,
    affected,
    clean_rationale,
    engine_item,
    record_event,
    rule_of,
    view_of_row,
)
from accord.errors import Conflict, InvalidInput, NotFound
from accord.ids import parse_id
from accord.permissions import Action
from accord.users.model import User


async def _locked_item(
    conn: asyncpg.Connection, user: User, item_id: str, version: int
) -> tuple[Scope, asyncpg.Record, ItemView]:
    iid = parse_id(item_id, "Disagreement item")
    # Locking the project row orders the decision after a concurrent finalisation.
    scope = await scope_for(
        conn,
        "consensus_items",
        iid,
        user,
        Action.RUN_CONSENSUS,
        what="Disagreement item",
        lock=True,
    )
    # The row lock serialises two leads on one item; the second then sees the new version.
    row = await repo.item_by_id(conn, iid, lock=True)
    if row is None:
        raise NotFound(ITEM_NOT_FOUND)
    if row["version"] != version:
        raise Conflict(
            f"The item was changed by someone else (now version {row['version']}, you sent "
            f"{version}). Reload it and decide again.",
            field="version",
        )
    session = await repo.session_by_id(conn, row["session_id"])
    return scope, row, view_of_row(row, tuple(session["coders"]), rule_of(scope))


def _int(value: Any, name: str) -> int:
    if value is None:
        raise InvalidInput(f"A custom resolution needs {name}.", field=name)
    return int(value)


async def _resolution(
    conn: asyncpg.Connection, scope: Scope, view: ItemView, given: dict[str, Any]
) -> tuple[Resolution, dict[str, Any]]:
    """The engine's resolution for the lead's input, and the form stored on the item."""
    action = ResolutionAction(given["action"])
    stored: dict[str, Any] = {"action": action.value}
    match action:
        case ResolutionAction.TAKE_CODER:
            if given.get("coderId") is None:
                raise InvalidInput("Say whose version to take (coderId).", field="coderId")
            coder = parse_id(given["coderId"], "Coder")
            if coder not in view.coders:
                raise InvalidInput(
                    "That person is not one of the coders compared on this document.",
                    field="coderId",
                )
            stored["coderId"] = str(coder)
            return TakeCoder(str(coder)), stored
        case ResolutionAction.UNION:
            return TakeUnion(), stored
        case ResolutionAction.INTERSECTION:
            return TakeIntersection(), stored
        case ResolutionAction.DROP:
            return Drop(), stored
        case ResolutionAction.CUSTOM:
            start, end = _int(given.get("start"), "start"), _int(given.get("end"), "end")
            codes = []
            for raw in given.get("codeIds") or []:
                code = await codebook.codable_code(conn, scope, parse_id(raw, "Code"))
                codes.append(str(code["id"]))
            stored.update(start=start, end=end, codeIds=codes)
            return Custom(start, end, tuple(codes)), stored
    raise InvalidInput(f"Unknown action {action!r}.", field="action")  # pragma: no cover


async def _write(
    conn: asyncpg.Connection, row: asyncpg.Record, segments: tuple[ConsensusSegment, ...]
) -> None:
    for segment in segments:
        clash = await repo.consensus_clash(
            conn, row, UUID(segment.code), segment.start, segment.end
        )
        if clash is not None:
            raise Conflict(
                f"The consensus layer already holds this code at "
                f"{clash['start_offset']}–{clash['end_offset']}, from another item; choose "
                "an extent that does not overlap it, or reopen that item first.",
                field="resolution",
            )
        await repo.insert_consensus_coding(
            conn, row, UUID(segment.code), segment.start, segment.end
        )


async def resolve_item(
    conn: asyncpg.Connection,
    user: User,
    item_id: str,
    resolution: dict[str, Any],
    rationale: str | None,
    version: int,
) -> ItemView:
    """Decide an open item: write what the resolution gives to the consensus layer."""
    scope, row, view = await _locked_item(conn, user, item_id, version)
    if view.status != "OPEN":
        state = "accepted automatically" if view.status == "AUTO_ACCEPTED" else "resolved"
        raise Conflict(f"The item is already {state}; reopen it to decide again.", field="itemId")
    engine_resolution, stored = await _resolution(conn, scope, view, resolution)
    note = clean_rationale(rationale)
    length = await repo.document_length(conn, view.document_id)
    try:
        segments = resolve(engine_item(view.segments, view.coders), engine_resolution, length)
    except ResolutionError as exc:
        raise InvalidInput(str(exc), field="resolution") from None
    await _write(conn, row, segments)
    updated = await repo.update_item(conn, row["id"], "RESOLVED", stored, note, user.id)
    written = await repo.item_codings(conn, row["id"])
    await record_event(
        conn,
        scope,
        "consensus.resolved",
        "consensus_item",
        row["id"],
        view.document_id,
        view.round_id,
        before={"status": view.status, "version": view.version},
        after={
            "itemId": str(row["id"]),
            "key": view.key,
            "kind": view.kind,
            "start": view.start,
            "end": view.end,
            "status": "RESOLVED",
            "version": updated["version"],
            "resolution": stored,
            "rationale": note,
            "segments": affected(view.segments, written, "ADDED"),
        },
    )
    return view_of_row(updated, view.coders, rule_of(scope))


def _refuse_if_changed_since(written: list[dict[str, Any]], current: list[Coding]) -> None:
    """Reopening removes what the decision wrote. When a later change (a merge that
    re-pointed or joined those codings, a split) altered or removed any of them, removing
    what is there now would not undo the decision exactly, so it is refused."""
    now = {str(c.id): (str(c.code_id), c.start, c.end) for c in current}
    for w in written:
        if now.get(w["codingId"]) != (w["codeId"], w["start"], w["end"]):
            raise Conflict(
                "A later change to the codebook (a merge or split) altered the consensus "
                "codings this decision wrote; undo that change before reopening the item.",
                field="itemId",
            )


async def reopen_item(
    conn: asyncpg.Connection, user: User, item_id: str, rationale: str | None, version: int
) -> ItemView:
    """Undo an item's decision exactly: remove the consensus codings it wrote."""
    scope, row, view = await _locked_item(conn, user, item_id, version)
    if view.status == "OPEN":
        raise Conflict("The item is already open.", field="itemId")
    note = clean_rationale(rationale)
    session = await repo.session_by_id(conn, row["session_id"], lock=True)
    removed = await repo.item_codings(conn, row["id"])
    _refuse_if_changed_since(row["written"], removed)
    await repo.delete_codings(conn, [c.id for c in removed])
    updated = await repo.update_item(conn, row["id"], "OPEN", None, None, None)
    reopened_session = session["status"] == "COMPLETED"
    if reopened_session:
        await repo.set_session_status(conn, session["id"], "OPEN", None)
    await record_event(
        conn,
        scope,
        "consensus.reopened",
        "consensus_item",
        row["id"],
        view.document_id,
        view.round_id,
        before={
            "status": view.status,
            "version": view.version,
            "resolution": view.resolution,
            "rationale": view.rationale,
        },
        after={
            "itemId": str(row["id"]),
            "key": view.key,
            "kind": view.kind,
            "start": view.start,
            "end": view.end,
            "status": "OPEN",
            "version": updated["version"],
            "rationale": note,
            "sessionReopened": reopened_session,
            "segments": affected((), removed, "REMOVED"),
        },
    )
    return view_of_row(updated, view.coders, rule_of(scope))
