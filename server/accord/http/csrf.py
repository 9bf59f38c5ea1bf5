"""CSRF: a cookie-authenticated POST must be JSON.

A cross-site form can send a cookie but cannot set a JSON content type (or a custom
header) without a CORS preflight, which Accord never grants. Bearer-token requests carry
no ambient credentials and are not affected. Mutations over GET are refused by the
GraphQL view itself.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Receive, Scope, Send

from accord.auth.cookies import COOKIE_NAME

# Multipart uploads from the browser prove they are same-origin with this header.
UPLOAD_HEADER = b"x-accord-upload"


class CsrfMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            headers = dict(scope["headers"])
            cookie = headers.get(b"cookie", b"").decode("latin-1")
            has_session = f"{COOKIE_NAME}=" in cookie
            if has_session and not _bearer(headers.get(b"authorization", b"")):
                ctype = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
                json_ok = ctype == b"application/json"
                upload_ok = ctype == b"multipart/form-data" and UPLOAD_HEADER in headers
                if not (json_ok or upload_ok):
                    await _refuse(send)
                    return
        await self.app(scope, receive, send)


def _bearer(authorization: bytes) -> bool:
    """True for a bearer token, which then replaces the cookie (see graphql.view).

    Any other Authorization header proves nothing: a browser attaches HTTP Basic
    credentials to cross-site requests on its own, and the cookie still authenticates.
    """
    scheme, _, token = authorization.partition(b" ")
    return scheme.lower() == b"bearer" and bool(token.strip())


async def _refuse(send: Send) -> None:
    body = json.dumps(
        {
            "errors": [
                {
                    "message": "A request made with a session cookie must have the content "
                    "type application/json.",
                    "extensions": {"code": "FORBIDDEN"},
                }
            ]
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body})
