"""The web app: its built files, and its page for every client-side route.

The UI routes in the browser (`/p/<id>/code/<doc>`, `/invite/<token>` ...), so a reload
asks the server for such a path: it answers with the app's page. Paths that belong to the
server (the API, health checks, downloads, built assets) are never answered with the page:
an unknown one among them is a plain 404, so a mistyped API path does not look like HTML.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

# First path segments that the server owns.
SERVER_PREFIXES = frozenset({"graphql", "healthz", "readyz", "exports", "assets", "api"})


def routes(ui: Path) -> list[BaseRoute]:
    index = ui / "index.html"

    async def page(request: Request) -> Response:
        path = request.path_params["path"]
        first = path.split("/", 1)[0]
        if first in SERVER_PREFIXES:
            return JSONResponse({"error": "Not found."}, status_code=404)
        # Top-level files of the build (favicon and the like) are served as themselves.
        if path and "/" not in path and path != "explorer.html":
            candidate = ui / path
            if candidate.is_file():
                return FileResponse(candidate)
        # Only HTML navigation gets the app; a missing image or script stays a 404.
        if "." in path.rsplit("/", 1)[-1]:
            return JSONResponse({"error": "Not found."}, status_code=404)
        return FileResponse(index, headers={"cache-control": "no-cache"})

    return [
        Mount("/assets", app=StaticFiles(directory=ui / "assets"), name="assets"),
        Route("/{path:path}", page, methods=["GET", "HEAD"]),
    ]
