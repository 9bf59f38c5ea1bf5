"""The Starlette GraphQL view: resolves the caller for every request."""

from typing import Any, cast

from cross_web import HTTPException
from starlette.requests import ClientDisconnect, HTTPConnection, Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UnsetType

from accord.auth import cookies
from accord.auth.secrets import TOKEN_PREFIX
from accord.config import Settings
from accord.db import availability
from accord.db.pool import connection as pooled
from accord.graphql import transport_limits
from accord.graphql.context import Context
from accord.graphql.sockets import CredentialCheckedHandler
from accord.http.failures import failure_response, request_id_of
from accord.resources import ui_dir
from accord.users import service as users
from accord.users.model import User


def bearer_token(value: str | None) -> str | None:
    if not value:
        return None
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def identify(
    connection: HTTPConnection, pool: Any, secret_key: str, authorization: str | None
) -> tuple[User | None, str | None]:
    """The caller from a bearer token, else from the session cookie."""
    token = bearer_token(authorization)
    async with pooled(pool) as conn:
        if token is not None:
            if not token.startswith(TOKEN_PREFIX):
                return None, None
            return await users.user_for_token(conn, token), None
        signed = connection.cookies.get(cookies.COOKIE_NAME)
        session_id = cookies.unsign(secret_key, signed) if signed else None
        if session_id is None:
            return None, None
        return await users.user_for_session(conn, session_id), session_id


class NotABearerToken(Exception):
    """A WebSocket client named credentials that are not an API token."""


def connection_authorization(params: Any) -> str | None:
    """The credentials a WebSocket client put in its ``connection_init`` payload:
    ``{"authorization": "Bearer <token>"}`` or ``{"token": "<token>"}``; None when it
    named none. Anything else it names is refused (:class:`NotABearerToken`), never
    read as "no credentials" and replaced by the session cookie."""
    if not isinstance(params, dict):
        return None
    for key in ("authorization", "Authorization", "token"):
        value = params.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if not isinstance(value, str):
            raise NotABearerToken(key)
        given = value if key != "token" else f"Bearer {value.strip()}"
        if bearer_token(given) is None:
            raise NotABearerToken(key)
        return given
    return None


def _unavailable(data: GraphQLHTTPResponse | list[GraphQLHTTPResponse]) -> bool:
    """Whether a result failed because the database could not be reached."""
    for result in data if isinstance(data, list) else [data]:
        errors: list[dict[str, Any]] = cast(list[dict[str, Any]], result.get("errors") or [])
        if any((e.get("extensions") or {}).get("code") == availability.CODE for e in errors):
            return True
    return False


class AccordGraphQL(GraphQL[Context, None]):
    # WebSocket messages meet the limits HTTP requests meet (see transport_limits), and
    # every operation on a socket checks its credential first (see sockets).
    websocket_adapter_class = transport_limits.LimitedWebSocketAdapter
    graphql_transport_ws_handler_class = CredentialCheckedHandler

    def __init__(self, schema: Any, settings: Settings, secret_key: str) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql",
            allow_queries_via_get=True,
            multipart_uploads_enabled=True,
            # Only the protocol whose handler checks the credential before each operation.
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        )
        self.settings = settings
        self.secret_key = secret_key

    async def render_graphql_ide(self, request: Request) -> Response:
        """The API explorer (GraphiQL) from the package's built UI: every script and style
        comes from this server, so it works on a machine with no internet."""
        page = (ui_dir() / "explorer.html").read_text(encoding="utf-8")
        return HTMLResponse(page)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        # As strawberry's own, except that a failure outside execution (the caller could
        # not be identified because the database is down, say) is answered in the JSON
        # error shape with the request id, not as a plain-text 500, and that uploads are
        # always closed.
        request = Request(scope=scope, receive=receive)
        response: Response
        try:
            response = await self.run(request)
        except transport_limits.JsonTooDeep as exc:
            body = transport_limits.error_body(str(exc), "INVALID_INPUT")
            response = JSONResponse(body, status_code=400)
        except ClientDisconnect:
            # The client left (a browser tab closed) before its request arrived in full:
            # nothing was done, and no one is left to answer.
            return
        except HTTPException as exc:
            response = PlainTextResponse(exc.reason, status_code=exc.status_code)
        except Exception as exc:
            response = failure_response(exc, request_id_of(request))
        finally:
            # Uploads are spooled to temporary files; close them however the request
            # went (refused before any resolver, unauthenticated, failed).
            await request.close()
        await response(scope, receive, send)

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        response = super().create_response(response_data, sub_response)
        if _unavailable(response_data):
            response.status_code = 503
            response.headers["retry-after"] = str(availability.RETRY_AFTER)
        return response

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        pool = request.state.pool
        if isinstance(request, WebSocket):
            # Identified at connection_init (on_ws_connect), where the payload arrives.
            user, session_id = None, None
        else:
            user, session_id = await identify(
                request, pool, self.secret_key, request.headers.get("authorization")
            )
        return Context(
            request=request,
            response=response,
            pool=pool,
            settings=self.settings,
            secret_key=self.secret_key,
            request_id=request.scope.get("state", {}).get("request_id", "-"),
            heavy=request.state.heavy,
            passwords=request.state.passwords,
            user=user,
            session_id=session_id,
            notifier=getattr(request.state, "notifier", None),
        )

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """Authenticate a WebSocket: a bearer token in the connection payload, else the
        upgrade request's bearer token or session cookie. No caller, no connection.

        The upgrade has already passed Accord's origin check (accord.http.ws_origin).
        The context keeps a way to check the credential again, which every operation on
        the socket does (accord.graphql.sockets)."""
        connection = context.request
        try:
            authorization = connection_authorization(context.connection_params)
        except NotABearerToken:
            raise ConnectionRejectionError(
                {"message": "Send an API token as 'authorization': 'Bearer <token>'."}
            ) from None
        if authorization is None and bearer_token(connection.headers.get("authorization")):
            authorization = connection.headers.get("authorization")
        # Any other Authorization header is a browser's own (HTTP Basic, say): it proves
        # nothing, and the session cookie decides, as for HTTP requests.
        pool, secret_key = context.pool, self.secret_key
        user, session_id = await identify(connection, pool, secret_key, authorization)
        if user is None:
            raise ConnectionRejectionError({"message": "Not authenticated."})
        async with context.connection() as conn:
            credential = await users.credential_of(
                conn, user, token=bearer_token(authorization), session_id=session_id
            )

        async def holds() -> bool:
            again, _ = await identify(connection, pool, secret_key, authorization)
            return again is not None and again.id == user.id

        context.user = user
        context.session_id = session_id
        context.credential = credential
        context.credential_holds = holds
        return await super().on_ws_connect(context)

    def decode_json(self, data: str | bytes) -> object:
        return transport_limits.decode_json(data)
