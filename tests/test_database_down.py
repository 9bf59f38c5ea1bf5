"""While PostgreSQL cannot be reached (issue 10, #16).

The app runs behind a gate (tests/gate.py) that cuts and refuses its database
connections. `/graphql` must answer 503 with a JSON GraphQL error and a request id, not a
plain-text 500; `/readyz` 503 without the errno text; a subscription's error is masked as
a query's is. The database's own words go to the log only. When the gate opens again,
the same app serves again: nothing needs a restart.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest
import pytest_asyncio
from asgi_lifespan import LifespanManager

from accord.app import create_app
from accord.db.availability import database_unavailable
from tests.conftest import SECRET_KEY, settings_for
from tests.gate import Gate
from tests.support import Api
from tests.test_subscriptions import SUBSCRIBE, WAIT, connect

# Words of the failure underneath, which a client must never see.
DETAIL = ("errno", "connect call", "refused", "reset", "shutting down", "127.0.0.1", "socket")


@pytest_asyncio.fixture
async def gated(database_url: str) -> AsyncIterator[tuple[Gate, httpx.AsyncClient, Any]]:
    gate = Gate(database_url)
    await gate.open()
    try:
        app = create_app(settings_for(gate.url), gate.url, SECRET_KEY)
        async with LifespanManager(app) as manager:
            transport = httpx.ASGITransport(app=manager.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
                yield gate, c, manager.app
    finally:
        await gate.open()  # let the app's pool close cleanly before the gate goes
        await gate.close()


def assert_masked(text: str) -> None:
    lowered = text.lower()
    assert not [word for word in DETAIL if word in lowered], text


async def me(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post(
        "/graphql", json={"query": "{ me { id } }"}, headers={"authorization": f"Bearer {token}"}
    )


async def test_graphql_and_readyz_answer_503_with_a_request_id_while_the_database_is_down(
    api: Api, gated: tuple[Gate, httpx.AsyncClient, Any], caplog: pytest.LogCaptureFixture
) -> None:
    gate, client, _app = gated
    lead = await api.person("lead")
    assert (await me(client, lead.token)).json()["data"]["me"]["id"] == lead.id
    assert (await client.get("/readyz")).status_code == 200

    await gate.close()
    caplog.set_level(logging.WARNING)
    login = (
        'mutation { login(email: "lead@example.org", password: "not-a-password") { __typename } }'
    )
    anonymous = await client.post("/graphql", json={"query": login})
    for response in (await me(client, lead.token), anonymous):
        assert response.status_code == 503, response.text
        assert response.headers["content-type"] == "application/json"
        assert int(response.headers["retry-after"]) >= 1
        error = response.json()["errors"][0]
        request_id = response.headers["x-request-id"]
        assert error["extensions"] == {"code": "UNAVAILABLE", "requestId": request_id}
        assert request_id in error["message"]
        assert_masked(response.text)
        # The detail is in the log, under the same request id.
        assert any(request_id in r.getMessage() for r in caplog.records), caplog.text

    ready = await client.get("/readyz")
    assert ready.status_code == 503
    body = ready.json()
    assert body["status"] == "unavailable" and body["requestId"] == ready.headers["x-request-id"]
    assert_masked(ready.text)
    assert any(
        body["requestId"] in r.getMessage() and "Errno" in r.getMessage() for r in caplog.records
    ), caplog.text

    # Back up: the same app serves again without a restart of its own.
    await gate.open()
    for _ in range(100):
        answer = await me(client, lead.token)
        if answer.status_code == 200:
            break
        await asyncio.sleep(0.1)
    assert answer.status_code == 200 and answer.json()["data"]["me"]["id"] == lead.id
    assert (await client.get("/readyz")).status_code == 200


async def test_a_subscription_error_is_masked_while_the_database_is_down(
    api: Api, gated: tuple[Gate, httpx.AsyncClient, Any]
) -> None:
    gate, _client, app = gated
    lead = await api.person("lead")
    project = await api.project(lead)
    async with connect(app, {"authorization": f"Bearer {lead.token}"}) as ws:
        ack = await ws.receive_json(timeout=WAIT)
        assert ack["type"] == "connection_ack", ack
        await gate.close()
        await ws.send_json(
            {
                "id": "1",
                "type": "subscribe",
                "payload": {"query": SUBSCRIBE, "variables": {"p": project}},
            }
        )
        message = await ws.receive_json(timeout=WAIT)
    assert message["type"] in {"next", "error"}, message
    errors = message["payload"]["errors"] if message["type"] == "next" else message["payload"]
    assert errors[0]["extensions"]["code"] == "UNAVAILABLE", message
    assert errors[0]["extensions"]["requestId"] in errors[0]["message"]
    assert_masked(str(message))


def test_what_counts_as_the_database_being_unavailable() -> None:
    unavailable = [
        ConnectionRefusedError(111, "Connection refused"),
        OSError("Multiple exceptions: [Errno 111] Connect call failed, [Errno 99] ..."),
        FileNotFoundError(2, "No such file or directory"),  # no Unix socket: not running
        asyncpg.CannotConnectNowError("the database system is shutting down"),
        asyncpg.AdminShutdownError("terminating connection due to administrator command"),
        asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
        asyncpg.InterfaceError("cannot call Connection.fetch(): connection is closed"),
        # The server's shutdown notice came between two statements of a transaction.
        asyncpg.InternalClientError(
            "cannot switch to state 15; another operation (2) is in progress"
        ),
    ]
    assert all(database_unavailable(e) for e in unavailable)
    bugs = [
        ValueError("x"),
        asyncpg.UniqueViolationError("duplicate key"),
        asyncpg.QueryCanceledError("canceling statement due to statement timeout"),
        asyncpg.InterfaceError("cannot perform operation: another operation is in progress"),
        asyncpg.InternalClientError("something else entirely"),
        PermissionError(13, "Permission denied"),
    ]
    assert not any(database_unavailable(e) for e in bugs)
