"""The Accord ASGI application."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, cast

import asyncpg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute

from accord.auth.password_pool import PasswordPool
from accord.config import Settings
from accord.db import migrations
from accord.db.embedded_watch import DatabaseWatch
from accord.db.pool import connection as pooled
from accord.db.pool import create_pool
from accord.events.broker import Broker
from accord.events.notifier import Notifier
from accord.graphql.schema import build_schema
from accord.graphql.view import AccordGraphQL
from accord.heavy import HeavyWork
from accord.http import downloads, link_pages, webapp
from accord.http.body_limit import BodyLimitMiddleware
from accord.http.csrf import CsrfMiddleware
from accord.http.failures import request_id_of, server_error
from accord.http.proxies import TrustedProxyMiddleware
from accord.http.request_id import RequestIdMiddleware
from accord.http.ws_origin import WebSocketOriginMiddleware
from accord.resources import ui_dir

log = logging.getLogger("accord")


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    watch: DatabaseWatch | None = getattr(request.state, "watch", None)
    if watch is not None and watch.problem is not None:
        return JSONResponse(
            {"status": "unavailable", "reason": watch.problem, "requestId": request_id_of(request)},
            status_code=503,
        )
    try:
        async with pooled(request.state.pool) as conn:
            status = await migrations.status(conn)
    except Exception as exc:  # any failure means "not ready"; the detail is for the log
        request_id = request_id_of(request)
        log.warning(
            "readyz %s: the database is not reachable (%s: %s)", request_id, type(exc).__name__, exc
        )
        return JSONResponse(
            {
                "status": "unavailable",
                "reason": "The database cannot be reached.",
                "requestId": request_id,
            },
            status_code=503,
        )
    if not status.current:
        pending = [m.name for m in status.pending]
        return JSONResponse(
            {"status": "unavailable", "reason": "migrations pending", "pending": pending},
            status_code=503,
        )
    return JSONResponse({"status": "ready", "migrations": status.applied[-1:] or []})


def create_app(
    settings: Settings, database_url: str, secret_key: str, watch: DatabaseWatch | None = None
) -> Any:
    """Build the app. The pool is made in lifespan and refused on an unmigrated database.
    ``watch`` (embedded mode) runs for the app's lifetime and speaks in /readyz."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, Any]]:
        pool = await create_pool(database_url, settings)
        try:
            async with pool.acquire() as conn:
                await migrations.require_current(cast(asyncpg.Connection, conn))
            # One LISTEN connection per process, opened on the first subscriber.
            broker = Broker(database_url)
            # Worker processes start on the first heavy request; argon2 threads on the
            # first login.
            heavy = HeavyWork(settings)
            passwords = PasswordPool(settings)
            watching = asyncio.create_task(watch.run()) if watch is not None else None
            # The NOTIFYs of committed mutations, sent several to a statement.
            notifier = Notifier(pool)
            try:
                yield {
                    "pool": pool,
                    "notifier": notifier,
                    "broker": broker,
                    "heavy": heavy,
                    "passwords": passwords,
                    "watch": watch,
                }
            finally:
                if watching is not None:
                    watching.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await watching
                await notifier.close()
                await broker.close()
                await heavy.close()
                await asyncio.to_thread(passwords.close)
        finally:
            await pool.close()

    graphql = AccordGraphQL(build_schema(settings), settings, secret_key)
    routes = [
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/graphql", graphql, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),
        *downloads.routes(secret_key, settings),
        *link_pages.routes(),
        *webapp.routes(ui_dir()),
    ]
    # Any route's unexpected failure is answered as JSON with the request id.
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={Exception: server_error})
    wrapped: Any = CsrfMiddleware(app)
    wrapped = WebSocketOriginMiddleware(wrapped)
    wrapped = BodyLimitMiddleware(wrapped, settings.max_request_bytes)
    wrapped = RequestIdMiddleware(wrapped)
    # Outermost: everything after it sees the real client (ACCORD_TRUSTED_PROXIES).
    wrapped = TrustedProxyMiddleware(wrapped, settings.trusted_proxies)
    return wrapped
