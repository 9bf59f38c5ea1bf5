"""Identifiers as the API shows them: UUID strings."""

from __future__ import annotations

from uuid import UUID

from accord.errors import NotFound


def parse_id(value: str | UUID, what: str) -> UUID:
    """Parse an id from the API. A malformed id is simply something that does not exist."""
    if isinstance(value, UUID):
        return value
    try:
        return UUID(str(value).strip())
    except ValueError:
        raise NotFound(f"{what} not found.") from None
