"""The answer to a request that failed unexpectedly, in the one error shape.

A client gets JSON in the GraphQL error shape with a code and the request id, never a
plain-text 500 or the database's own words: 503 UNAVAILABLE while the database cannot be
reached, 500 INTERNAL for anything else. The detail goes to the log under the same id.
"""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from accord.db import availability
from accord.db.availability import database_unavailable

log = logging.getLogger("accord.http")


def error_body(message: str, code: str, request_id: str) -> dict[str, object]:
    return {"errors": [{"message": message, "extensions": {"code": code, "requestId": request_id}}]}


def failure_response(exc: BaseException, request_id: str) -> JSONResponse:
    if database_unavailable(exc):
        log.warning(
            "request %s: the database is unavailable (%s: %s)",
            request_id,
            type(exc).__name__,
            exc,
        )
        return JSONResponse(
            error_body(
                f"{availability.MESSAGE} Request id {request_id}.", "UNAVAILABLE", request_id
            ),
            status_code=503,
            headers={"retry-after": str(availability.RETRY_AFTER)},
        )
    log.error("unexpected error in request %s", request_id, exc_info=exc)
    return JSONResponse(
        error_body(
            f"Internal error. Quote request id {request_id} when reporting it.",
            "INTERNAL",
            request_id,
        ),
        status_code=500,
    )


def request_id_of(request: Request) -> str:
    state = request.scope.get("state") or {}
    found: str = state.get("request_id", "-")
    return found


async def server_error(request: Request, exc: Exception) -> Response:
    """Starlette's handler of last resort, for routes other than /graphql."""
    return failure_response(exc, request_id_of(request))
