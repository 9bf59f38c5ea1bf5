"""One-time links people open in a browser: ``/invite/<token>`` and ``/reset/<token>``.

The token in a link is shown once, to whoever asked for the link; the database keeps
only its SHA-256, like API tokens.
"""

from __future__ import annotations

from enum import StrEnum

from accord.config import Settings

INVITE_PATH = "/invite/"
RESET_PATH = "/reset/"
# Where the command line assumes the server is when ACCORD_PUBLIC_URL is unset and no
# --base-url is given: the address `accord serve` listens on by default.
CLI_BASE_URL = "http://127.0.0.1:8000"


class LinkStatus(StrEnum):
    OPEN = "OPEN"
    USED = "USED"
    REVOKED = "REVOKED"
    EXPIRED = "EXPIRED"


def status_of(used: object, revoked: object, expired: bool) -> LinkStatus:
    if used is not None:
        return LinkStatus.USED
    if revoked is not None:
        return LinkStatus.REVOKED
    if expired:
        return LinkStatus.EXPIRED
    return LinkStatus.OPEN


def base_url(settings: Settings, request_base: str | None) -> str:
    """ACCORD_PUBLIC_URL when set; else the address the request came to; else the CLI's.

    A request over a WebSocket came to ws(s)://; people open the link over http(s)://."""
    chosen = settings.public_url or request_base or CLI_BASE_URL
    for socket, web in (("ws://", "http://"), ("wss://", "https://")):
        if chosen.startswith(socket):
            chosen = web + chosen.removeprefix(socket)
    return chosen.rstrip("/")


def invitation_link(base: str, token: str) -> str:
    return f"{base.rstrip('/')}{INVITE_PATH}{token}"


def reset_link(base: str, token: str) -> str:
    return f"{base.rstrip('/')}{RESET_PATH}{token}"
