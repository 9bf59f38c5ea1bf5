"""The values of the consensus workflow and the helpers its use cases share.

Consensus events belong to the consensus layer of one document, which a coder may see
only once the document is revealed. The audit log's blinding rule shows events of no
layer (``layer_user_id`` NULL) to every member, so these events carry
:data:`CONSENSUS_LAYER`, an id no account has: a coder then sees them exactly when the
document is revealed for the round, even when a lead started consensus early.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from accord.coding import reveals, rounds
from accord.coding.access import Scope, scope_for
from accord.coding.blinding import CONSENSUS_LAYER
from accord.coding.codings import Coding
from accord.consensus import workflow_repo as repo
from accord.consensus.align import Item, align
from accord.consensus.rules import (
    ConsensusRule,
    RuleSettingsError,
    meets_rule,
    rule_from_settings,
)
from accord.consensus.segments import Segment
from accord.errors import Forbidden, InvalidInput
from accord.events.log import append_event
from accord.ids import parse_id
from accord.permissions import Action
from accord.users.model import User

ITEM_NOT_FOUND = "Disagreement item not found."
MAX_RATIONALE = 20_000


@dataclass(frozen=True)
class ItemSegment:
    """One coder's segment in an item, as it was when consensus started."""

    coding_id: UUID
    coder_id: UUID
    code_id: UUID
    start: int
    end: int
    text: str

    def snapshot(self) -> dict[str, Any]:
        return {
            "codingId": str(self.coding_id),
            "coderId": str(self.coder_id),
            "codeId": str(self.code_id),
            "start": self.start,
            "end": self.end,
            "text": self.text,
        }

    @classmethod
    def from_snapshot(cls, data: dict[str, Any]) -> ItemSegment:
        return cls(
            UUID(data["codingId"]),
            UUID(data["coderId"]),
            UUID(data["codeId"]),
            int(data["start"]),
            int(data["end"]),
            str(data["text"]),
        )

    def engine(self) -> Segment:
        return Segment(
            str(self.coding_id), str(self.coder_id), str(self.code_id), self.start, self.end
        )


@dataclass(frozen=True)
class ItemView:
    """A disagreement item as members see it; ``id`` is None before consensus starts."""

    id: UUID | None
    project_id: UUID
    document_id: UUID
    round_id: UUID
    key: str
    kind: str
    status: str
    start: int
    end: int
    coders: tuple[UUID, ...]
    segments: tuple[ItemSegment, ...]
    meets_rule: bool
    version: int = 0
    resolution: dict[str, Any] | None = None
    rationale: str | None = None
    resolved_by: UUID | None = None
    resolved_at: datetime | None = None


@dataclass(frozen=True)
class Session:
    id: UUID
    project_id: UUID
    document_id: UUID
    round_id: UUID
    coders: tuple[UUID, ...]
    started_by: UUID
    started_at: datetime
    forced: bool
    status: str
    completed_by: UUID | None
    completed_at: datetime | None

    @classmethod
    def from_row(cls, row: asyncpg.Record) -> Session:
        return cls(
            row["id"],
            row["project_id"],
            row["document_id"],
            row["round_id"],
            tuple(row["coders"]),
            row["started_by"],
            row["started_at"],
            row["forced"],
            row["status"],
            row["completed_by"],
            row["completed_at"],
        )


@dataclass(frozen=True)
class Progress:
    """Counts of a document's items by status; ``status`` is NOT_STARTED, OPEN or COMPLETED."""

    document_id: UUID
    round_id: UUID
    status: str
    forced: bool
    open: int
    auto_accepted: int
    resolved: int

    @property
    def total(self) -> int:
        return self.open + self.auto_accepted + self.resolved


def rule_of(scope: Scope) -> ConsensusRule:
    try:
        return rule_from_settings(scope.project.settings)
    except RuleSettingsError as exc:
        raise InvalidInput(str(exc), field=exc.key) from None


def engine_item(segments: tuple[ItemSegment, ...], coders: tuple[UUID, ...]) -> Item:
    found = align([s.engine() for s in segments], [str(c) for c in coders])
    assert len(found) == 1, "a stored item holds exactly one cluster"
    return found[0]


def view_of_row(row: asyncpg.Record, coders: tuple[UUID, ...], rule: ConsensusRule) -> ItemView:
    segments = tuple(ItemSegment.from_snapshot(s) for s in row["segments"])
    item = engine_item(segments, coders)
    return ItemView(
        id=row["id"],
        project_id=row["project_id"],
        document_id=row["document_id"],
        round_id=row["round_id"],
        key=row["key"],
        kind=row["kind"],
        status=row["status"],
        start=row["start_offset"],
        end=row["end_offset"],
        coders=coders,
        segments=segments,
        meets_rule=meets_rule(item, rule, [str(c) for c in coders]),
        version=row["version"],
        resolution=row["resolution"],
        rationale=row["rationale"],
        resolved_by=row["resolved_by"],
        resolved_at=row["resolved_at"],
    )


async def live_items(
    conn: asyncpg.Connection, document_id: UUID, round_id: UUID, coders: list[UUID]
) -> list[tuple[Item, tuple[ItemSegment, ...]]]:
    rows = await repo.coder_segments(conn, document_id, round_id, coders)
    by_id = {
        str(r["id"]): ItemSegment(
            r["id"], r["coder_id"], r["code_id"], r["start_offset"], r["end_offset"], r["text"]
        )
        for r in rows
    }
    items = align([s.engine() for s in by_id.values()], [str(c) for c in coders])
    return [(item, tuple(by_id[s.id] for s in item.segments)) for item in items]


async def reading_scope(
    conn: asyncpg.Connection, user: User, document_id: str, round_id: str | None
) -> tuple[Scope, UUID, UUID]:
    did = parse_id(document_id, "Document")
    scope = await scope_for(conn, "documents", did, user, Action.VIEW_DOCUMENTS, what="Document")
    the_round = await rounds.resolve(conn, scope.project.id, round_id)
    if not scope.sight.sees_all and not await reveals.is_revealed(conn, did, the_round.id):
        raise Forbidden(
            "Disagreements show every coder's work, so a coder sees them once the document "
            "is revealed for the round."
        )
    return scope, did, the_round.id


def affected(
    segments: tuple[ItemSegment, ...], written: list[Coding], effect: str
) -> list[dict[str, Any]]:
    """The segments a decision affected: the coders' segments it considered, and the
    consensus codings it added or removed."""
    considered = [{**s.snapshot(), "layer": "CODER", "effect": "CONSIDERED"} for s in segments]
    changed = [
        {
            "codingId": str(c.id),
            "codeId": str(c.code_id),
            "start": c.start,
            "end": c.end,
            "text": c.text,
            "layer": "CONSENSUS",
            "effect": effect,
        }
        for c in written
    ]
    return considered + changed


async def record_event(
    conn: asyncpg.Connection,
    scope: Scope,
    kind: str,
    subject_type: str,
    subject_id: UUID,
    document_id: UUID,
    round_id: UUID,
    *,
    automatic: bool = False,
    before: Any = None,
    after: Any = None,
) -> None:
    await append_event(
        conn,
        project_id=scope.project.id,
        actor_id=None if automatic else scope.user.id,
        kind=kind,
        subject_type=subject_type,
        subject_id=subject_id,
        document_id=document_id,
        round_id=round_id,
        layer_user_id=CONSENSUS_LAYER,
        before=before,
        after=after,
    )


def clean_rationale(rationale: str | None, *, required: bool = False) -> str | None:
    """A decision's rationale: trimmed, None when blank, bounded, no NUL characters."""
    text = (rationale or "").strip()
    if required and not text:
        raise InvalidInput("Give a rationale for this decision.", field="rationale")
    if len(text) > MAX_RATIONALE:
        raise InvalidInput(
            f"A rationale can be at most {MAX_RATIONALE:,} characters.", field="rationale"
        )
    if "\x00" in text:
        raise InvalidInput("The rationale contains NUL characters.", field="rationale")
    return text or None


async def writing_scope(
    conn: asyncpg.Connection, user: User, document_id: str, round_id: str | None
) -> tuple[Scope, UUID, UUID]:
    did = parse_id(document_id, "Document")
    # Locking the project row orders consensus writes after a concurrent finalisation.
    scope = await scope_for(
        conn, "documents", did, user, Action.RUN_CONSENSUS, what="Document", lock=True
    )
    the_round = await rounds.resolve(conn, scope.project.id, round_id)
    return scope, did, the_round.id
