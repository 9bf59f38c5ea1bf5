"""Relay-style cursors: a rising sequence number, sealed (see accord.graphql.opaque)."""

from typing import Generic, TypeVar

import strawberry

from accord.errors import InvalidInput
from accord.graphql.context import Context

MAX_PAGE = 200

N = TypeVar("N")


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Edge(Generic[N]):
    cursor: str
    node: N


def encode_cursor(ctx: Context, kind: str, scope: object, position: int) -> str:
    """An opaque cursor for ``position`` (a row's sequence) in ``kind`` of ``scope``."""
    return ctx.ids.seal(f"cursor:{kind}", position, str(scope))


def decode_cursor(ctx: Context, kind: str, scope: object, cursor: str | None) -> int:
    """The position a cursor of this list holds; 0 (the start) for no cursor."""
    if cursor is None:
        return 0
    position = ctx.ids.open(f"cursor:{kind}", cursor, str(scope))
    if position is None:
        raise InvalidInput("The cursor is not one this list gave out.", field="after")
    return position


def page_size(first: int | None, default: int = 50, maximum: int = MAX_PAGE) -> int:
    size = default if first is None else first
    if not 1 <= size <= maximum:
        raise InvalidInput(f"first must be between 1 and {maximum}.", field="first")
    return size
