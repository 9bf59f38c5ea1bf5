"""The pages behind one-time links, ``/invite/<token>`` and ``/reset/<token>``.

Both are the web UI's own page: the UI reads the token from the address and asks
GraphQL what it is for (``invitation(token)``, ``passwordReset(token)``). The token is a
secret, so these answers are never cached and never sent on as a Referer.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from accord.links import INVITE_PATH, RESET_PATH
from accord.resources import ui_dir

_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


async def link_page(request: Request) -> Response:
    return FileResponse(ui_dir() / "index.html", headers=_HEADERS)


def routes() -> list[Route]:
    return [
        Route(INVITE_PATH + "{token}", link_page, methods=["GET", "HEAD"]),
        Route(RESET_PATH + "{token}", link_page, methods=["GET", "HEAD"]),
    ]
