"""The per-request GraphQL context: who is calling, the pool, settings, loaders."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, cast

import asyncpg
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from accord.config import Settings
from accord.errors import Unauthenticated
from accord.users.model import User


@dataclass
class Context:
    request: Request | WebSocket
    response: Response | WebSocket | None
    pool: asyncpg.Pool
    settings: Settings
    secret_key: str
    request_id: str
    user: User | None
    session_id: str | None = None
    # DataLoaders and other per-request caches, created lazily by the features.
    loaders: dict[str, Any] = field(default_factory=dict)
    connection_params: dict[str, Any] | None = None

    def require_user(self) -> User:
        if self.user is None:
            raise Unauthenticated("Log in, or send an API token as 'Authorization: Bearer …'.")
        return self.user

    @property
    def client_address(self) -> str:
        client = self.request.client
        return client.host if client else "unknown"

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[asyncpg.Connection]:
        async with self.pool.acquire() as conn:
            yield cast(asyncpg.Connection, conn)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[asyncpg.Connection]:
        async with self.pool.acquire() as conn, conn.transaction():
            yield cast(asyncpg.Connection, conn)

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[asyncpg.Connection]:
        # One repeatable-read snapshot per read, so what a resolver returns is consistent.
        async with (
            self.pool.acquire() as conn,
            conn.transaction(isolation="repeatable_read", readonly=True),
        ):
            yield cast(asyncpg.Connection, conn)
