"""The Starlette GraphQL view: resolves the caller for every request."""

from typing import Any

from starlette.requests import HTTPConnection, Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from server.auth import cookies
from server.auth.secrets import TOKEN_PREFIX
from server.config import Settings
from server.graphql.context import Context
from server.users import service as users
from server.users.model import User


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
    async with pool.acquire() as conn:
        if token is not None:
            if not token.startswith(TOKEN_PREFIX):
                return None, None
            return await users.user_for_token(conn, token), None
        signed = connection.cookies.get(cookies.COOKIE_NAME)
        session_id = cookies.unsign(secret_key, signed) if signed else None
        if session_id is None:
            return None, None
        return await users.user_for_session(conn, session_id), session_id


class AccordGraphQL(GraphQL[Context, None]):
    def __init__(self, schema: Any, settings: Settings, secret_key: str) -> None:
        super().__init__(schema, graphql_ide="graphiql", allow_queries_via_get=True)
        self.settings = settings
        self.secret_key = secret_key

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        pool = request.state.pool
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
            user=user,
            session_id=session_id,
        )
