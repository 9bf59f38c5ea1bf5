"""Export downloads: ``GET /exports/{projectId}?format=...``.

The path comes from the GraphQL ``exportUrl`` field. The caller is identified exactly as
for GraphQL (a bearer token, else the session cookie); a non-member gets 404 and a coder
403, with errors in the same JSON shape as GraphQL's. A GET changes nothing, so a
cross-site link can at most start a download the attacker cannot read.

Every format is a file attachment except the reliability report, which opens in the
browser (``Content-Disposition: inline``) under a policy that runs nothing, with a link
at its top that downloads it (``view=download``); ``view=inline`` asks for the browser
view explicitly.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Literal, cast
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from accord.config import Settings
from accord.db.pool import connection as pooled
from accord.errors import AccordError, InvalidInput
from accord.exchange.exporting import ADVICE, check_format, prepare_export
from accord.graphql.context import not_identified
from accord.graphql.view import identify
from accord.ids import parse_id
from accord.reports.agreement import AgreementLimits, AgreementRequest

EXPORT_PATH = "/exports"
_STATUS = {
    "UNAUTHENTICATED": 401,
    "FORBIDDEN": 403,
    "NOT_FOUND": 404,
    "TOO_LARGE": 413,
    "RATE_LIMITED": 429,
}


# What each AgreementRequest field may hold in a link (checked before the service sees it).
_KINDS: dict[str, tuple[type, ...]] = {
    "unit_mode": (str,),
    "unit_kind": (str,),
    "min_coverage": (int, float),
    "overlap_percent": (int, float),
    "coder_ids": (list, type(None)),
    "document_ids": (list, type(None)),
    "code_ids": (list, type(None)),
    "round_id": (str, type(None)),
    "code_level": (str,),
    "bootstrap_resamples": (int, type(None)),
    "bootstrap_seed": (int,),
    "bootstrap_method": (str,),
    "population": (int, type(None)),
    "compare": (str,),
    "round_ids": (list, type(None)),
}


def request_to_query(request: AgreementRequest) -> str:
    """An agreement request as one query-string value (JSON)."""
    return json.dumps(dataclasses.asdict(request), separators=(",", ":"))


def _agreement(raw: str | None) -> AgreementRequest:
    if not raw:
        return AgreementRequest()
    try:
        values = json.loads(raw)
        defaults = AgreementRequest()
        if not isinstance(values, dict):
            raise ValueError
        for key, value in values.items():
            if key not in _KINDS or not isinstance(value, _KINDS[key]):
                raise ValueError
        return dataclasses.replace(defaults, **values)
    except (ValueError, TypeError):
        raise InvalidInput("The agreement parameters of this link are malformed.") from None


def _error(exc: AccordError) -> JSONResponse:
    body = {"errors": [{"message": exc.message, "extensions": {"code": exc.code}}]}
    return JSONResponse(body, status_code=_STATUS.get(exc.code, 400))


async def download(request: Request, secret_key: str, settings: Settings) -> Response:
    try:
        user, _session = await identify(
            request, request.state.pool, secret_key, request.headers.get("authorization")
        )
        if user is None:
            raise not_identified(request.headers.get("authorization"))
        project_id = parse_id(request.path_params["project_id"], "Project")
        fmt = check_format(request.query_params.get("format", ""))
        positions = request.query_params.get("positions", "codepoints")
        if positions not in ("codepoints", "utf16"):
            raise InvalidInput("positions must be codepoints or utf16.", field="positions")
        agreement = _agreement(request.query_params.get("agreement"))
        view = request.query_params.get("view", "")
        if view not in ("", "inline", "download"):
            raise InvalidInput("view must be inline or download.", field="view")
        if view == "inline" and fmt != "report":
            raise InvalidInput("Only the reliability report opens in the browser.", field="view")
        inline = fmt == "report" and view != "download"
        download_href = None
        if inline:
            kept = [(k, v) for k, v in request.query_params.multi_items() if k != "view"]
            download_href = "?" + urlencode([*kept, ("view", "download")])
        # The data is read on the event loop and its connection released; the file is
        # made in a worker process, within the caller's heavy-work slot.
        with request.state.heavy.admit(user.id, "This export", ADVICE) as run:
            async with (
                pooled(request.state.pool) as conn,
                conn.transaction(isolation="repeatable_read", readonly=True),
            ):
                export = await prepare_export(
                    conn,
                    user,
                    project_id,
                    fmt,
                    positions=cast(Literal["codepoints", "utf16"], positions),
                    request=agreement,
                    limits=AgreementLimits.of(settings),
                    download_href=download_href,
                )
            content = await run(export.build)
    except AccordError as exc:
        return _error(exc)
    headers = {
        "content-disposition": f'attachment; filename="{export.filename}"',
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
    }
    if inline:
        # The printable report opened in a tab: a page of our origin, so it may run
        # nothing and load nothing; its own styles are all it needs.
        headers["content-disposition"] = f'inline; filename="{export.filename}"'
        headers["content-security-policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"
        )
    return Response(content, media_type=export.media_type, headers=headers)


def routes(secret_key: str, settings: Settings) -> list[Route]:
    """The download route; ``secret_key`` verifies session cookies, as for GraphQL."""

    async def endpoint(request: Request) -> Response:
        return await download(request, secret_key, settings)

    return [Route(EXPORT_PATH + "/{project_id}", endpoint, methods=["GET"])]
