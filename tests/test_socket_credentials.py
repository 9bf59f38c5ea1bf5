"""WebSockets hold authority only while their credential does, and only Accord's own
origin may open one (issue 10, findings 1 and 2).

The sockets are opened on a second app instance, as in test_subscriptions: revocations
made through the session app reach them only through PostgreSQL NOTIFY, as they reach
another server process.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

import httpx
import pytest
from httpx_ws import AsyncWebSocketSession, WebSocketDisconnect, WebSocketUpgradeError, aconnect_ws
from httpx_ws.transport import ASGIWebSocketTransport
from strawberry.http.async_base_view import AsyncBaseHTTPView

from accord.auth import cookies
from accord.auth import secrets as auth_secrets
from accord.auth.cookies import COOKIE_NAME
from accord.auth.passwords import IN_PROCESS
from accord.auth.revocation import CLOSE_CODE, credentials_ended
from accord.config import Settings
from accord.users import service as users
from tests.conftest import SECRET_KEY
from tests.support import Api, Person
from tests.test_subscriptions import PROTOCOL, SUBSCRIBE, WAIT, ws_app

__all__ = ["ws_app"]  # the second app instance, shared with test_subscriptions

CREATE_TOKEN = """mutation { createApiToken(name: "from a socket") {
  __typename ... on CreatedApiToken { token } ... on UserError { code } } }"""
REVOKE = """mutation($id: ID!) { revokeApiToken(id: $id) { __typename } }"""
LOGOUT = "mutation { logout { __typename } }"


@asynccontextmanager
async def socket(
    app: Any, payload: dict[str, Any] | None = None, headers: dict[str, str] | None = None
) -> AsyncIterator[AsyncWebSocketSession]:
    transport = ASGIWebSocketTransport(app=app)
    async with (
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
        aconnect_ws("/graphql", client, subprotocols=[PROTOCOL], headers=headers or {}) as ws,
    ):
        await ws.send_json({"type": "connection_init", "payload": payload or {}})
        yield ws


async def opened(ws: AsyncWebSocketSession) -> None:
    assert (await ws.receive_json(timeout=WAIT))["type"] == "connection_ack"


async def still_open(ws: AsyncWebSocketSession) -> None:
    await ws.send_json({"type": "ping"})
    assert (await ws.receive_json(timeout=WAIT))["type"] == "pong"


async def closed_with(ws: AsyncWebSocketSession) -> int:
    """The close code once the server ends the socket (messages before it are skipped)."""
    with pytest.raises(WebSocketDisconnect) as ended:
        for _ in range(100):
            await ws.receive_json(timeout=WAIT)
    return ended.value.code


async def run(ws: AsyncWebSocketSession, query: str, op: str = "op") -> dict[str, Any]:
    await ws.send_json({"id": op, "type": "subscribe", "payload": {"query": query}})
    message: dict[str, Any] = await ws.receive_json(timeout=WAIT)
    return message


async def new_token(api: Api, who: Person) -> tuple[Person, str]:
    data = await api.gql(
        """mutation { createApiToken(name: "socket") {
             ... on CreatedApiToken { token apiToken { id } } } }""",
        as_=who,
    )
    made = data["createApiToken"]
    return Person(who.id, who.email, who.name, made["token"], who.password), made["apiToken"]["id"]


async def tokens_of(api: Api, who: Person) -> int:
    count: int = await api.pool.fetchval(
        "SELECT count(*) FROM api_tokens WHERE user_id = $1", UUID(who.id)
    )
    return count


async def test_revoking_a_token_closes_its_sockets_only(api: Api, ws_app: Any) -> None:
    owner = await api.person("owner")
    project = await api.project(owner)
    second, second_id = await new_token(api, owner)
    async with (
        socket(ws_app, {"authorization": f"Bearer {second.token}"}) as doomed,
        socket(ws_app, {"authorization": f"Bearer {owner.token}"}) as kept,
    ):
        await opened(doomed)
        await opened(kept)
        # A live subscription on the doomed socket ends with it.
        await doomed.send_json(
            {
                "id": "events",
                "type": "subscribe",
                "payload": {"query": SUBSCRIBE, "variables": {"p": project}},
            }
        )
        await still_open(doomed)
        await api.gql(REVOKE, {"id": second_id}, as_=owner)
        assert await closed_with(doomed) == CLOSE_CODE
        await still_open(kept)
        assert (await run(kept, "{ me { id } }"))["payload"]["data"]["me"]["id"] == owner.id


async def test_an_operation_on_a_socket_checks_its_credential_first(api: Api, ws_app: Any) -> None:
    """Even when no notice arrives (revoked behind the broker's back), the next
    operation on the socket finds the token revoked: no new token is issued."""
    owner = await api.person("owner")
    second, second_id = await new_token(api, owner)
    async with socket(ws_app, {"authorization": f"Bearer {second.token}"}) as ws:
        await opened(ws)
        await api.pool.execute(
            "UPDATE api_tokens SET revoked_at = now() WHERE id = $1", UUID(second_id)
        )
        before = await tokens_of(api, owner)
        await ws.send_json({"id": "t", "type": "subscribe", "payload": {"query": CREATE_TOKEN}})
        assert await closed_with(ws) == CLOSE_CODE
        assert await tokens_of(api, owner) == before


async def login_cookie(api: Api, settings: Settings, who: Person) -> str:
    """A browser session for ``who``, opened by the real login, as its cookie value."""
    async with api.pool.acquire() as conn:
        _user, session_id = await users.login(
            conn,
            settings,
            who.email,
            who.password,
            f"10.9.{secrets.randbelow(250)}.1",
            passwords=IN_PROCESS,
        )
    return cookies.sign(SECRET_KEY, session_id)


async def logout(app: Any, cookie: str) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        client.cookies.set(COOKIE_NAME, cookie)
        response = await client.post("/graphql", json={"query": LOGOUT})
        assert response.json()["data"]["logout"]["__typename"] == "LoggedOut"


async def test_logout_closes_that_sessions_sockets(
    api: Api, settings: Settings, ws_app: Any
) -> None:
    person = await api.person("browser")
    one, two = await login_cookie(api, settings, person), await login_cookie(api, settings, person)
    cookie = {"cookie": f"{COOKIE_NAME}={one}"}
    async with (
        socket(ws_app, headers=cookie) as ending,
        socket(ws_app, headers={"cookie": f"{COOKIE_NAME}={two}"}) as other_session,
        socket(ws_app, {"authorization": f"Bearer {person.token}"}) as by_token,
    ):
        for ws in (ending, other_session, by_token):
            await opened(ws)
        await logout(ws_app, one)
        assert await closed_with(ending) == CLOSE_CODE
        await still_open(other_session)
        await still_open(by_token)
    # The ended session opens no new socket.
    async with socket(ws_app, headers=cookie) as again:
        assert await closed_with(again) == 4403


async def test_ending_every_credential_of_an_account_closes_all_its_sockets(
    api: Api, settings: Settings, ws_app: Any
) -> None:
    """The account-wide case (password change or reset, deactivation): the caller ends
    the sessions and tokens and calls credentials_ended in the same transaction."""
    person, bystander = await api.person("leaving"), await api.person("bystander")
    second, _ = await new_token(api, person)
    cookie = await login_cookie(api, settings, person)
    async with (
        socket(ws_app, {"authorization": f"Bearer {person.token}"}) as first,
        socket(ws_app, {"token": second.token}) as by_second,
        socket(ws_app, headers={"cookie": f"{COOKIE_NAME}={cookie}"}) as by_cookie,
        socket(ws_app, {"authorization": f"Bearer {bystander.token}"}) as unrelated,
    ):
        for ws in (first, by_second, by_cookie, unrelated):
            await opened(ws)
        async with api.pool.acquire() as conn, conn.transaction():
            await conn.execute("DELETE FROM sessions WHERE user_id = $1", UUID(person.id))
            await conn.execute(
                "UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1", UUID(person.id)
            )
            await credentials_ended(conn, user_id=UUID(person.id))
        for ws in (first, by_second, by_cookie):
            assert await closed_with(ws) == CLOSE_CODE
        await still_open(unrelated)
    for payload in ({"authorization": f"Bearer {person.token}"}, {"token": second.token}):
        async with socket(ws_app, payload) as again:
            assert await closed_with(again) == 4403


async def test_a_notice_names_only_what_ended(api: Api, ws_app: Any) -> None:
    """A session notice for an account does not close its token sockets, and a token
    notice does not close another token's."""
    person = await api.person("person")
    async with socket(ws_app, {"authorization": f"Bearer {person.token}"}) as ws:
        await opened(ws)
        async with api.pool.acquire() as conn, conn.transaction():
            await credentials_ended(
                conn, user_id=UUID(person.id), session_hash=auth_secrets.digest("other")
            )
            await credentials_ended(
                conn, user_id=UUID(person.id), token_id=UUID("00000000-0000-4000-8000-000000000000")
            )
        await still_open(ws)
        assert (await run(ws, "{ me { id } }"))["payload"]["data"]["me"]["id"] == person.id


# --- 2: the origin check is Accord's own ----------------------------------------------


async def upgrade(app: Any, payload: dict[str, Any], headers: dict[str, str]) -> str:
    """What happens to an upgrade: "ack", "closed CODE" after it was accepted, or
    "refused ..." when it was never accepted."""
    try:
        async with socket(app, payload, headers) as ws:
            try:
                message = await ws.receive_json(timeout=WAIT)
            except WebSocketDisconnect as exc:
                return f"closed {exc.code}"
            return "ack" if message["type"] == "connection_ack" else str(message)
    except Exception as exc:  # the refusal may come wrapped in an exception group
        refusal = _refusal(exc)
        if refusal is None:
            raise
        return refusal


def _refusal(exc: BaseException) -> str | None:
    if isinstance(exc, WebSocketDisconnect):
        return f"refused {exc.code}"
    if isinstance(exc, WebSocketUpgradeError):
        return f"refused {exc.response.status_code}"
    if isinstance(exc, BaseExceptionGroup):
        for inner in exc.exceptions:
            if (found := _refusal(inner)) is not None:
                return found
    return None


@pytest.fixture
def without_strawberrys_origin_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """Accord's check must hold on its own, whatever the GraphQL library does."""
    monkeypatch.setattr(AsyncBaseHTTPView, "_check_websocket_origin", lambda self, r: True)


async def test_no_payload_skips_the_origin_check(
    api: Api,
    settings: Settings,
    ws_app: Any,
    without_strawberrys_origin_check: None,
) -> None:
    person = await api.person("victim")
    cookie = {"cookie": f"{COOKIE_NAME}={await login_cookie(api, settings, person)}"}
    evil = {**cookie, "origin": "http://evil.example"}
    for payload in (
        {},
        {"authorization": "anything"},
        {"authorization": "Bearer accord_forged"},
        {"authorization": f"Bearer {person.token}"},
        {"token": person.token},
    ):
        outcome = await upgrade(ws_app, payload, evil)
        assert outcome.startswith("refused"), (payload, outcome)
    for origin in ("null", "http://testserver.evil.example", "https://evil.example/testserver"):
        outcome = await upgrade(ws_app, {}, {**cookie, "origin": origin})
        assert outcome.startswith("refused"), (origin, outcome)
    # Accord's own pages, and clients that are not browsers, are welcome.
    assert await upgrade(ws_app, {}, {**cookie, "origin": "http://testserver"}) == "ack"
    assert await upgrade(ws_app, {"authorization": f"Bearer {person.token}"}, {}) == "ack"


async def test_credentials_that_are_no_bearer_token_are_refused_not_replaced_by_the_cookie(
    api: Api,
    settings: Settings,
    ws_app: Any,
    without_strawberrys_origin_check: None,
) -> None:
    person = await api.person("cookie-holder")
    cookie = {"cookie": f"{COOKIE_NAME}={await login_cookie(api, settings, person)}"}
    for payload in (
        {"authorization": "Basic dXNlcjpwYXNz"},
        {"authorization": "Token accord_abc"},
        {"Authorization": "bearer"},
        {"authorization": 42},
        {"token": ["x"]},
    ):
        assert await upgrade(ws_app, payload, cookie) == "closed 4403", payload
    # No credentials named: the cookie decides, and a browser's own Basic header on the
    # upgrade proves nothing either way.
    assert await upgrade(ws_app, {}, cookie) == "ack"
    assert await upgrade(ws_app, {"authorization": ""}, cookie) == "ack"
    basic = {**cookie, "authorization": "Basic dXNlcjpwYXNz"}
    assert await upgrade(ws_app, {}, basic) == "ack"
