"""Errors a user can cause. Services raise them; the GraphQL layer turns them into data.

Anything else that escapes a service is a bug: it is logged with a request id and the
client sees only that id.
"""

from __future__ import annotations


class AccordError(Exception):
    """An error caused by the caller's input or rights, with a machine code."""

    code = "INVALID_INPUT"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class Unauthenticated(AccordError):
    code = "UNAUTHENTICATED"


class Forbidden(AccordError):
    code = "FORBIDDEN"


class NotFound(AccordError):
    code = "NOT_FOUND"


class InvalidInput(AccordError):
    code = "INVALID_INPUT"


class Conflict(AccordError):
    code = "CONFLICT"


class TooLarge(AccordError):
    code = "TOO_LARGE"


class RateLimited(AccordError):
    code = "RATE_LIMITED"

    def __init__(self, message: str, *, retry_after_seconds: int | None = None) -> None:
        super().__init__(message)
        # Lets a client say how long to wait, and count down, without parsing the message.
        self.retry_after_seconds = retry_after_seconds
