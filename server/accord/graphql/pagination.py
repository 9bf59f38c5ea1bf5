"""Relay-style cursors: a rising sequence number, sealed (see accord.graphql.opaque).

One rule for page sizes: a list of objects (a connection) gives PAGE objects unless asked
for fewer or more, and at most MAX_PAGE; a table of columns (``codingTable``) gives up to
MAX_TABLE rows a call, as its rows are a handful of numbers each, not objects.
"""

from typing import Annotated, Generic, TypeVar

import strawberry

from accord.errors import InvalidInput
from accord.graphql.context import Context

PAGE = 50
MAX_PAGE = 200
MAX_TABLE = 10_000

# The `first` argument of every connection.
First = Annotated[
    int | None,
    strawberry.argument(
        description=f"How many to give: {PAGE} unless asked, at most {MAX_PAGE} (the page "
        "size of every list of objects); pass the page's `endCursor` as `after` for the next."
    ),
]

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


def page_size(first: int | None, default: int = PAGE, maximum: int = MAX_PAGE) -> int:
    size = default if first is None else first
    if not 1 <= size <= maximum:
        raise InvalidInput(f"first must be between 1 and {maximum}.", field="first")
    return size
