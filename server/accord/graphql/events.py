"""The audit log and the live event subscription.

Both read events through ``accord.events.feed``, which applies the one blinding rule
for events; the subscription re-reads each notified event with the subscriber's own
filter, so a coder never receives another coder's unrevealed work, nor a hint of it.
"""

import asyncio
from collections import deque
from collections.abc import AsyncGenerator
from datetime import datetime
from typing import cast
from uuid import UUID

import asyncpg
import strawberry
from graphql import GraphQLError
from strawberry.scalars import JSON
from strawberry.types import Info

from accord.coding import filter_ids
from accord.coding.access import Scope, scope_for_project
from accord.coding.filter_ids import parse_filter_id
from accord.errors import AccordError, Conflict
from accord.events import feed
from accord.events.broker import CATCH_UP, Broker
from accord.graphql import loaders
from accord.graphql.context import Context
from accord.graphql.errors import read
from accord.graphql.masking import masked
from accord.graphql.opaque import OpaqueIds
from accord.graphql.pagination import (
    PAGE,
    Edge,
    First,
    PageInfo,
    decode_cursor,
    encode_cursor,
    page_size,
)
from accord.graphql.users import UserType
from accord.ids import parse_id
from accord.permissions import Action
from accord.users.model import User

# A quiet subscription still reads the table this often, for events whose NOTIFY was lost.
IDLE_CATCH_UP_SECONDS = 30.0


@strawberry.type(name="Event", description="One entry of a project's append-only audit log.")
class EventType:
    id: strawberry.ID = strawberry.field(
        description="Opaque and the same for every member; it says nothing of the order of "
        "events or of events the caller cannot see."
    )
    kind: str
    created_at: datetime
    subject_type: str
    subject_id: str | None
    document_id: strawberry.ID | None
    round_id: strawberry.ID | None
    before: JSON | None
    after: JSON | None
    actor_id: strawberry.Private[UUID | None]

    @strawberry.field(description="Who made the change; null for system actions.")
    async def actor(self, info: Info[Context, None]) -> UserType | None:
        return await loaders.user_type(info, self.actor_id)

    @classmethod
    def of(cls, row: asyncpg.Record, ids: OpaqueIds) -> "EventType":
        """The event as a member sees it: its id sealed, never the global number."""

        def opt_id(value: UUID | None) -> strawberry.ID | None:
            return strawberry.ID(str(value)) if value is not None else None

        return cls(
            id=strawberry.ID(ids.event(row["id"])),
            kind=row["kind"],
            created_at=row["created_at"],
            subject_type=row["subject_type"],
            subject_id=row["subject_id"],
            document_id=opt_id(row["document_id"]),
            round_id=opt_id(row["round_id"]),
            before=cast(JSON, _sealed(row["before"], ids)),
            after=cast(JSON, _sealed(row["after"], ids)),
            actor_id=row["actor_id"],
        )


# Keys of an event's data that hold another event's id, shown sealed like Event.id.
EVENT_ID_KEYS = ("mergeEventId",)


def _sealed(data: object, ids: OpaqueIds) -> object:
    if not isinstance(data, dict) or not any(k in data for k in EVENT_ID_KEYS):
        return data
    out = dict(data)
    for key in EVENT_ID_KEYS:
        value = out.get(key)
        if isinstance(value, str | int) and str(value).isdigit():
            out[key] = ids.event(int(value))
    return out


@strawberry.type
class EventConnection:
    edges: list[Edge[EventType]]
    page_info: PageInfo
    total_count: int

    @strawberry.field
    def nodes(self) -> list[EventType]:
        return [e.node for e in self.edges]


@strawberry.input(description="Which events of the audit log to list; every one by default.")
class AuditLogFilterInput:
    kinds: list[str] | None = strawberry.field(
        default=None,
        description='Kinds such as "code.renamed"; a name without a dot is a family: "code" '
        'lists every "code.*" kind.',
    )
    actor_id: strawberry.ID | None = None
    document_id: strawberry.ID | None = None
    since: datetime | None = strawberry.field(default=None, description="From this moment.")
    until: datetime | None = strawberry.field(default=None, description="Before this moment.")
    newest_first: bool = False

    def to_filter(self) -> feed.AuditFilter:
        return feed.AuditFilter(
            kinds=tuple(k.strip() for k in self.kinds or () if k.strip()),
            actor_id=parse_filter_id(self.actor_id, "actorId", "member"),
            document_id=parse_filter_id(self.document_id, "documentId", "document"),
            since=self.since,
            until=self.until,
            newest_first=self.newest_first,
        )


@strawberry.type
class Query:
    @strawberry.field(
        description="A project's audit log, oldest first unless the filter says newest "
        "first; leads and viewers."
    )
    async def audit_log(
        self,
        info: Info[Context, None],
        project_id: strawberry.ID,
        after: str | None = None,
        first: First = PAGE,
        filter: AuditLogFilterInput | None = None,
    ) -> EventConnection | None:
        pid = parse_id(project_id, "Project")
        size = page_size(first)
        after_id = decode_cursor(info.context, "event", pid, after) if after is not None else None
        audit_filter = filter.to_filter() if filter else None

        async def run(conn: asyncpg.Connection, user: User) -> EventConnection:
            scope = await scope_for_project(conn, pid, user, Action.VIEW_AUDIT_LOG)
            if audit_filter is not None:
                await filter_ids.known_id(conn, scope, "actorId", "actor", audit_filter.actor_id)
                await filter_ids.known_id(
                    conn, scope, "documentId", "logged document", audit_filter.document_id
                )
            rows, total = await feed.audit_page(conn, scope, after_id, size + 1, audit_filter)
            ctx = info.context
            edges = [
                Edge(
                    cursor=encode_cursor(ctx, "event", pid, r["id"]),
                    node=EventType.of(r, ctx.ids),
                )
                for r in rows[:size]
            ]
            return EventConnection(
                edges=edges,
                page_info=PageInfo(
                    has_next_page=len(rows) > size,
                    end_cursor=edges[-1].cursor if edges else None,
                ),
                total_count=total,
            )

        return await read(info, run)


async def _scope(info: Info[Context, None], project_id: UUID, user: User) -> Scope:
    async with info.context.reading() as conn:
        return await scope_for_project(conn, project_id, user, Action.VIEW_PROJECT)


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="Live events of a project, as far as the subscriber may see them."
    )
    async def project_events(
        self, info: Info[Context, None], project_id: strawberry.ID
    ) -> AsyncGenerator[EventType, None]:
        try:
            async for event in _project_events(info, parse_id(project_id, "Project")):
                yield event
        except AccordError as exc:
            # Subscriptions bypass the masking extension: give the error its code here,
            raise GraphQLError(exc.message, extensions={"code": exc.code}) from None
        except Exception as exc:
            # and mask anything else as a query's error is masked.
            raise masked(exc, info.context.request_id) from None


async def _project_events(info: Info[Context, None], pid: UUID) -> AsyncGenerator[EventType, None]:
    ctx = info.context
    user = ctx.require_user()
    await _scope(info, pid, user)  # NOT_FOUND for non-members, before anything else
    broker: Broker = ctx.request.state.broker
    async with broker.subscribe(pid) as subscriber:
        async with ctx.reading() as conn:
            last_id = await feed.latest_id(conn, pid)
        recent: deque[int] = deque(maxlen=1000)  # ids already handled, against repeats
        while True:
            try:
                event_id = await asyncio.wait_for(subscriber.queue.get(), IDLE_CATCH_UP_SECONDS)
            except TimeoutError:
                event_id = CATCH_UP
            if event_id is None:
                if subscriber.ended:
                    raise Conflict(subscriber.ended)
                return
            if event_id == CATCH_UP or event_id > last_id:
                # The table, not the notification, is the truth: an event whose NOTIFY
                # failed after its commit comes with the next one, or at the idle check.
                up_to = None if event_id == CATCH_UP else event_id
                async with ctx.reading() as conn:
                    pending = await feed.ids_after(conn, pid, last_id, up_to)
            else:
                pending = [event_id]  # committed out of id order, after a later id
            for eid in pending:
                if eid in recent:
                    continue
                recent.append(eid)
                last_id = max(last_id, eid)
                # The sight is re-read per event: a change of role or of the blinding
                # setting applies at once, and a removed member's stream ends (NOT_FOUND).
                async with ctx.reading() as conn:
                    scope = await scope_for_project(conn, pid, user, Action.VIEW_PROJECT)
                    row = await feed.visible_event(conn, scope, eid)
                if row is not None:
                    yield EventType.of(row, ctx.ids)
