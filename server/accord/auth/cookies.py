"""The signed browser session cookie.

The cookie carries a random session id signed with the secret key; the database holds
only a hash of the id, so logout ends a session everywhere. HttpOnly and SameSite=Lax
always, Secure whenever the request came over https.
"""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer
from starlette.requests import HTTPConnection
from starlette.responses import Response

from accord.config import Settings

COOKIE_NAME = "accord_session"
_SALT = "accord.session"


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=_SALT)


def sign(secret_key: str, session_id: str) -> str:
    return str(_serializer(secret_key).dumps(session_id))


def unsign(secret_key: str, value: str) -> str | None:
    try:
        loaded = _serializer(secret_key).loads(value)
    except BadSignature:
        return None
    return loaded if isinstance(loaded, str) else None


def set_session_cookie(
    response: Response,
    request: HTTPConnection,
    secret_key: str,
    session_id: str,
    settings: Settings,
) -> None:
    response.set_cookie(
        COOKIE_NAME,
        sign(secret_key, session_id),
        max_age=settings.session_days * 86400,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme in ("https", "wss"),
        path="/",
    )


def clear_session_cookie(response: Response, request: HTTPConnection) -> None:
    response.delete_cookie(
        COOKIE_NAME,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme in ("https", "wss"),
        path="/",
    )
