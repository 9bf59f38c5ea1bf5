"""The per-request GraphQL context: who is calling, the pools, settings, loaders."""

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import asyncpg
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from accord.auth.password_pool import PasswordPool
from accord.auth.revocation import Credential
from accord.config import Settings
from accord.db.pool import connection as pooled
from accord.errors import Unauthenticated
from accord.events.notifier import Notifier
from accord.graphql.opaque import OpaqueIds, opaque_ids
from accord.heavy import HeavyWork
from accord.users.model import User


def not_identified(authorization: str | None) -> Unauthenticated:
    """Why a request has no caller, in words that say what to do: a token was sent and
    is not valid (revoked, from another server, mistyped), or nothing identified it."""
    given = (authorization or "").strip()
    scheme, _, token = given.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return Unauthenticated(
            "The API token is not valid: it was revoked, or it was never issued here. "
            "Create a new one (createApiToken, or `accord token create`)."
        )
    if given:
        return Unauthenticated(
            "The Authorization header is not an API token: send 'Authorization: Bearer "
            "<token>', or log in."
        )
    return Unauthenticated("Log in, or send an API token as 'Authorization: Bearer …'.")


@dataclass
class Context:
    request: Request | WebSocket
    response: Response | WebSocket | None
    pool: asyncpg.Pool
    settings: Settings
    secret_key: str
    request_id: str
    heavy: HeavyWork  # worker processes for agreement, reports, imports and exports
    passwords: PasswordPool  # argon2 threads
    user: User | None
    session_id: str | None = None
    # DataLoaders and other per-request caches, created lazily by the features.
    loaders: dict[str, Any] = field(default_factory=dict)
    connection_params: dict[str, Any] | None = None
    # WebSockets only: what the socket was opened with, and a check that it still holds
    # (the session or token is valid and the account active).
    credential: Credential | None = None
    credential_holds: Callable[[], Awaitable[bool]] | None = None
    # Sends the NOTIFYs of committed mutations (None: each mutation sends its own).
    notifier: Notifier | None = None

    @property
    def ids(self) -> OpaqueIds:
        """Seals positions and event ids (see accord.graphql.opaque)."""
        return opaque_ids(self.secret_key)

    def require_user(self) -> User:
        if self.user is None:
            sent = self.request.headers.get("authorization")
            raise not_identified(sent if isinstance(self.request, Request) else None)
        return self.user

    @property
    def client_address(self) -> str:
        client = self.request.client
        return client.host if client else "unknown"

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[asyncpg.Connection]:
        async with pooled(self.pool) as conn:
            yield conn

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[asyncpg.Connection]:
        async with pooled(self.pool) as conn, conn.transaction():
            yield conn

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[asyncpg.Connection]:
        # One repeatable-read snapshot per read, so what a resolver returns is consistent.
        async with (
            pooled(self.pool) as conn,
            conn.transaction(isolation="repeatable_read", readonly=True),
        ):
            yield conn
