"""Relay-style cursors over a rising sequence number."""

import base64
from typing import Generic, TypeVar

import strawberry

from accord.errors import InvalidInput
from accord.ids import serial_number

MAX_PAGE = 200
# Far longer than any cursor this module gives out.
MAX_CURSOR_LENGTH = 200

N = TypeVar("N")


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Edge(Generic[N]):
    cursor: str
    node: N


def encode_cursor(kind: str, seq: int) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{seq}".encode()).decode()


def decode_cursor(kind: str, cursor: str | None) -> int:
    if cursor is None:
        return 0
    # A cursor is whatever the client sends back: any text, of any length. Decode it
    # defensively and refuse, rather than let a huge number reach PostgreSQL.
    refused = InvalidInput("The cursor is not one this list gave out.", field="after")
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise refused
    try:
        prefix, value = base64.urlsafe_b64decode(cursor.encode()).decode().split(":", 1)
    except (ValueError, UnicodeError):
        raise refused from None
    seq = serial_number(value)
    if prefix != kind or seq is None:
        raise refused
    return seq


def page_size(first: int | None, default: int = 50, maximum: int = MAX_PAGE) -> int:
    size = default if first is None else first
    if not 1 <= size <= maximum:
        raise InvalidInput(f"first must be between 1 and {maximum}.", field="first")
    return size
