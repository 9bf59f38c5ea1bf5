"""User errors as data: every mutation returns its result or one of these types."""

import logging
from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Annotated, Any, TypeVar, Union

import asyncpg
import strawberry
from strawberry.types import Info

from accord.errors import AccordError, RateLimited
from accord.events.log import collecting_notifications, notify_committed
from accord.graphql.context import Context
from accord.users.model import User

log = logging.getLogger("accord.graphql")


@strawberry.enum(description="What kind of error the caller can fix.")
class ErrorCode(Enum):
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    INVALID_INPUT = "INVALID_INPUT"
    CONFLICT = "CONFLICT"
    TOO_LARGE = "TOO_LARGE"
    RATE_LIMITED = "RATE_LIMITED"


@strawberry.interface(description="An error the caller can fix: a message and a machine code.")
class UserError:
    message: str
    code: str = strawberry.field(
        description="The same as errorCode, as a string; kept for older clients. Prefer "
        "errorCode: a selection that also asks for Coding.code must alias this one."
    )

    @strawberry.field(description="The machine code of the error: what clients branch on.")
    def error_code(self) -> ErrorCode:
        return ErrorCode(self.code)


@strawberry.type(description="Not logged in, or the credentials are wrong.")
class UnauthenticatedError(UserError):
    pass


@strawberry.type(description="A member's role does not allow this.")
class ForbiddenError(UserError):
    pass


@strawberry.type(description="No such thing, or not visible to the caller.")
class NotFoundError(UserError):
    pass


@strawberry.type(description="The input is not acceptable; `field` names the culprit.")
class InvalidInputError(UserError):
    field: str | None


@strawberry.type(description="A stale version or a clash with existing data.")
class ConflictError(UserError):
    field: str | None


@strawberry.type(description="The input is larger than a configured limit.")
class TooLargeError(UserError):
    field: str | None


@strawberry.type(description="Too many attempts; wait and try again.")
class RateLimitedError(UserError):
    retry_after_seconds: int | None = strawberry.field(
        default=None, description="Seconds until a new attempt can succeed, when known."
    )


# Every write to something with a version takes the version the caller read: one rule,
# so no client overwrites a change it never saw.
Version = Annotated[
    int,
    strawberry.argument(
        description="The version you read (0 for content never written); if it changed "
        "since, nothing is written and the answer is CONFLICT."
    ),
]

ERROR_TYPES: dict[str, Any] = {
    "UNAUTHENTICATED": UnauthenticatedError,
    "FORBIDDEN": ForbiddenError,
    "NOT_FOUND": NotFoundError,
    "INVALID_INPUT": InvalidInputError,
    "CONFLICT": ConflictError,
    "TOO_LARGE": TooLargeError,
    "RATE_LIMITED": RateLimitedError,
}

# The members every result union carries besides its success type.
Errors = Union[  # noqa: UP007 - strawberry needs a typing.Union to flatten
    UnauthenticatedError,
    ForbiddenError,
    NotFoundError,
    InvalidInputError,
    ConflictError,
    TooLargeError,
    RateLimitedError,
]


def to_error(exc: AccordError) -> Any:
    if isinstance(exc, RateLimited):
        return RateLimitedError(
            message=exc.message, code=exc.code, retry_after_seconds=exc.retry_after_seconds
        )
    cls = ERROR_TYPES[exc.code]
    if "field" in cls.__annotations__:
        return cls(message=exc.message, code=exc.code, field=exc.field)
    return cls(message=exc.message, code=exc.code)


T = TypeVar("T")


async def mutate(
    info: Info[Context, None], fn: Callable[[asyncpg.Connection, User], Awaitable[T]]
) -> Any:
    """Run one use case in one transaction; a user error rolls it back and becomes data."""

    async def as_caller(conn: asyncpg.Connection) -> T:
        return await fn(conn, info.context.require_user())

    return await _committed(info, as_caller)


async def _committed(
    info: Info[Context, None], fn: Callable[[asyncpg.Connection], Awaitable[T]]
) -> Any:
    """Once the transaction has committed, the result is the answer: neither a failed
    NOTIFY (sent by the process's notifier, without the answer waiting for it) nor a
    connection that breaks as it goes back to the pool turns a committed write into an
    error, which the client would retry into a CONFLICT.
    """
    committed = False
    notifier = info.context.notifier
    try:
        async with info.context.connection() as conn:
            with collecting_notifications() as notifications:
                async with conn.transaction():
                    result = await fn(conn)
            committed = True
            if notifier is not None:
                notifier.send(notifications)  # several mutations' in one statement
            else:
                await notify_committed(conn, notifications)
        return result
    except AccordError as exc:
        return to_error(exc)
    except Exception:
        if not committed:
            raise
        log.warning("a committed mutation's connection failed on release", exc_info=True)
        return result


async def read(
    info: Info[Context, None], fn: Callable[[asyncpg.Connection, User], Awaitable[T]]
) -> T:
    """Run a read for the caller; a user error surfaces as a GraphQL error with its code."""
    user = info.context.require_user()
    async with info.context.reading() as conn:
        return await fn(conn, user)


async def mutate_public(
    info: Info[Context, None], fn: Callable[[asyncpg.Connection], Awaitable[T]]
) -> Any:
    """Like :func:`mutate`, for the few mutations anyone may call without logging in:
    those that use a one-time link (accepting an invitation, resetting a password)."""
    return await _committed(info, fn)


async def read_public(
    info: Info[Context, None], fn: Callable[[asyncpg.Connection], Awaitable[T]]
) -> T:
    """Like :func:`read`, for queries anyone may make (what a one-time link is for)."""
    async with info.context.reading() as conn:
        return await fn(conn)
