"""Refuse a WebSocket upgrade from another origin, whatever it carries.

A browser sends the session cookie with a WebSocket upgrade to any site, cross-site
pages included, and WebSockets have no CORS. So Accord accepts an upgrade only from its
own origin (or from a client that sends no Origin, which is not a browser). The check
runs before any other code sees the socket, so nothing the client sends later (a
``connection_init`` payload with or without credentials) can skip it, and it does not
depend on the GraphQL library's own check.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

# A policy violation: the upgrade is refused before it is accepted (HTTP 403).
REFUSED = 1008


def same_origin(headers: dict[bytes, bytes]) -> bool:
    origin = headers.get(b"origin")
    if origin is None:
        return True
    host = headers.get(b"host")
    if host is None:
        return False
    netloc = urlsplit(origin.decode("latin-1").strip()).netloc.lower()
    return bool(netloc) and netloc == host.decode("latin-1").strip().lower()


class WebSocketOriginMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket" and not same_origin(dict(scope["headers"])):
            message = await receive()  # websocket.connect: the upgrade request
            if message["type"] == "websocket.connect":
                await send(
                    {"type": "websocket.close", "code": REFUSED, "reason": "Cross-origin refused."}
                )
            return
        await self.app(scope, receive, send)
