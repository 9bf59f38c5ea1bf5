"""Identifiers as the API shows them: UUID strings, and serial numbers of rows."""

from __future__ import annotations

from uuid import UUID

from accord.errors import NotFound

# PostgreSQL's bigint: no serial number (event id, sequence) can lie outside it.
MAX_SERIAL = 2**63 - 1


def parse_id(value: str | UUID, what: str) -> UUID:
    """Parse an id from the API. A malformed id is simply something that does not exist."""
    if isinstance(value, UUID):
        return value
    try:
        return UUID(str(value).strip())
    except ValueError:
        raise NotFound(f"{what} not found.") from None


def serial_number(value: str) -> int | None:
    """A non-negative bigint written in ASCII digits, or None for anything else.

    ``int()`` alone would take "١٢" (Arabic-Indic digits), "1_000", signs and numbers of
    any size, which PostgreSQL then refuses with an internal error.
    """
    text = value.strip()
    if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_SERIAL)):
        return None
    number = int(text)
    return number if number <= MAX_SERIAL else None
