"""The request limits, over HTTP and over WebSocket alike: fields per document (counted
before validation, whatever the operation is called), tokens, depth, aliases, message
size and JSON nesting, each answered with Accord's error shape and nothing in the log."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
import pytest_asyncio
from asgi_lifespan import LifespanManager
from graphql import parse
from httpx_ws import AsyncWebSocketSession, WebSocketDisconnect, aconnect_ws
from httpx_ws.transport import ASGIWebSocketTransport

from accord.app import create_app
from accord.graphql.document_limits import count_fields
from tests.conftest import SECRET_KEY, settings_for
from tests.support import Api, Person

WAIT = 10.0  # an upper bound on one wait, never an assertion about speed
SMALL_LIMIT = 200_000  # ACCORD_MAX_REQUEST_BYTES of this module's app
MANY_FIELDS = "{ " + " ".join(["me { id }"] * 900) + " }"


def fragments(levels: int) -> str:
    """Each fragment spreads the one before twice: 2^levels copies of `id`."""
    return f"query Nested {{ me {{ ...F{levels} }} }} fragment F0 on User {{ id }} " + " ".join(
        f"fragment F{i} on User {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels + 1)
    )


MANY_TOKENS = "{ " + " ".join(["me { id }"] * 1100) + " }"  # 4,402 tokens; fields first
TOO_DEEP = "{ " + "me { " * 14 + "id" + " }" * 14 + " }"
ALIASES = "{ " + " ".join(f"a{i}: me {{ id }}" for i in range(40)) + " }"


def nested(levels: int) -> str:
    return "[" * levels + "]" * levels


@pytest_asyncio.fixture(scope="module")
async def limited_app(database_url: str) -> AsyncIterator[Any]:
    settings = settings_for(database_url, ACCORD_MAX_REQUEST_BYTES=str(SMALL_LIMIT))
    app = create_app(settings, database_url, SECRET_KEY)
    async with LifespanManager(app) as manager:
        yield manager.app


@asynccontextmanager
async def socket(app: Any, who: Person) -> AsyncIterator[AsyncWebSocketSession]:
    transport = ASGIWebSocketTransport(app=app)
    async with (
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
        aconnect_ws("/graphql", client, subprotocols=["graphql-transport-ws"]) as ws,
    ):
        await ws.send_json(
            {"type": "connection_init", "payload": {"authorization": f"Bearer {who.token}"}}
        )
        ack = await ws.receive_json(timeout=WAIT)
        assert ack["type"] == "connection_ack", ack
        yield ws


async def ws_answer(ws: AsyncWebSocketSession, op: str, query: str) -> dict[str, Any]:
    await ws.send_json({"id": op, "type": "subscribe", "payload": {"query": query}})
    message: dict[str, Any] = await ws.receive_json(timeout=WAIT)
    assert message.get("id") == op, message
    return message


def no_errors_logged(caplog: pytest.LogCaptureFixture) -> None:
    bad = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not bad, [r.getMessage() for r in bad]


# --- fields per document (finding 4) ---------------------------------------------------


@pytest.mark.parametrize("name", ["First", "Renamed"])
async def test_too_many_fields_are_refused_before_validation_under_any_name(
    api: Api, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    body = await api.raw(MANY_FIELDS.replace("{", f"query {name} {{", 1))
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "TOO_LARGE"
    assert "ACCORD_MAX_QUERY_FIELDS" in error["message"]
    no_errors_logged(caplog)


async def test_fragments_count_each_time_they_are_spread(api: Api) -> None:
    someone = await api.person("fragments")
    body = await api.raw(fragments(9), as_=someone)  # 512 fields from 10 short lines
    assert body["errors"][0]["extensions"]["code"] == "TOO_LARGE", body
    assert (await api.gql(fragments(3), as_=someone))["me"]["id"] == someone.id


def test_the_count_stops_at_the_limit_and_survives_cycles() -> None:
    assert count_fields(parse(MANY_FIELDS), 500) == 501
    assert count_fields(parse("{ me { id email } }"), 500) == 3
    cyclic = parse("{ me { ...A } } fragment A on User { id ...B } fragment B on User { ...A }")
    assert count_fields(cyclic, 500) <= 4


async def test_an_ordinary_query_passes(api: Api) -> None:
    someone = await api.person("ordinary")
    data = await api.gql("query Me { me { id email name } }", as_=someone)
    assert data["me"]["email"] == someone.email


# --- JSON nesting over HTTP (finding 6) ---------------------------------------------------


async def test_json_nested_5000_deep_is_a_400_not_a_500(
    app_client: httpx.AsyncClient, api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    someone = await api.person("deep")
    body = '{"query": "{ me { id } }", "variables": {"x": ' + nested(5000) + "}}"
    response = await app_client.post(
        "/graphql",
        content=body,
        headers={"content-type": "application/json", "authorization": f"Bearer {someone.token}"},
    )
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert "nested deeper" in error["message"]
    no_errors_logged(caplog)


async def test_json_a_decoder_could_read_is_still_held_to_the_depth_limit(
    app_client: httpx.AsyncClient, api: Api
) -> None:
    lead = await api.person("lead")
    project = await api.project(lead)
    query = """mutation($p: ID!, $a: JSON) { importDocument(projectId: $p, title: "T",
        text: "Some text.", attributes: $a) { __typename } }"""
    body = json.dumps({"query": query, "variables": {"p": project, "a": None}})
    body = body.replace('"a": null', '"a": ' + nested(200))
    response = await app_client.post(
        "/graphql",
        content=body,
        headers={"content-type": "application/json", "authorization": f"Bearer {lead.token}"},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    shallow = await api.gql(query, {"p": project, "a": {"site": {"city": ["Oslo"]}}}, as_=lead)
    assert shallow["importDocument"]["__typename"] == "Document"


# --- the same limits over WebSocket (finding 6) -----------------------------------------


async def test_a_message_over_the_request_limit_is_refused(limited_app: Any, api: Api) -> None:
    someone = await api.person("big")
    async with socket(limited_app, someone) as ws:
        await ws.send_json(
            {
                "id": "1",
                "type": "subscribe",
                "payload": {"query": "{ me { id } }", "variables": {"x": "a" * SMALL_LIMIT}},
            }
        )
        with pytest.raises(WebSocketDisconnect) as closed:
            await ws.receive_json(timeout=WAIT)
    assert closed.value.code == 1009
    assert "ACCORD_MAX_REQUEST_BYTES" in (closed.value.reason or "")


async def test_a_small_message_is_still_answered(limited_app: Any, api: Api) -> None:
    someone = await api.person("small")
    async with socket(limited_app, someone) as ws:
        answer = await ws_answer(ws, "1", "{ me { id } }")
    assert answer["type"] == "next"
    assert answer["payload"]["data"]["me"]["id"] == someone.id


async def test_over_the_token_limit_is_an_error_message_not_a_bare_complete(
    limited_app: Any, api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    someone = await api.person("tokens")
    async with socket(limited_app, someone) as ws:
        answer = await ws_answer(ws, "t", MANY_TOKENS)
        assert answer["type"] == "error", answer
        assert answer["payload"][0]["extensions"]["code"] == "TOO_LARGE"
        assert "ACCORD_MAX_TOKENS" in answer["payload"][0]["message"]
        after = await ws_answer(ws, "u", "{ me { id } }")  # the socket still works
        assert after["type"] == "next"
    no_errors_logged(caplog)


async def test_the_token_limit_has_the_same_shape_over_http(api: Api) -> None:
    body = await api.raw(MANY_TOKENS)
    [error] = body["errors"]
    assert error["extensions"]["code"] == "TOO_LARGE"
    assert "ACCORD_MAX_TOKENS" in error["message"]


async def test_json_nested_5000_deep_over_websocket_is_an_error_message(
    limited_app: Any, api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    someone = await api.person("deepws")
    async with socket(limited_app, someone) as ws:
        await ws.send_text(
            '{"id":"d","type":"subscribe","payload":{"query":"{ me { id } }",'
            '"variables":{"x":' + nested(5000) + "}}}"
        )
        answer = await ws.receive_json(timeout=WAIT)
        assert answer["id"] == "d" and answer["type"] == "error", answer
        assert answer["payload"][0]["extensions"]["code"] == "INVALID_INPUT"
        after = await ws_answer(ws, "e", "{ me { id } }")
        assert after["type"] == "next"
    no_errors_logged(caplog)


@pytest.mark.parametrize(
    "query", [TOO_DEEP, ALIASES, MANY_FIELDS], ids=["depth", "aliases", "fields"]
)
async def test_validation_limits_answer_alike_on_both_transports(
    limited_app: Any, api: Api, query: str
) -> None:
    someone = await api.person("alike")
    over_http = (await api.raw(query, as_=someone))["errors"]
    async with socket(limited_app, someone) as ws:
        answer = await ws_answer(ws, "v", query)
    assert answer["type"] == "error", answer
    assert [e["message"] for e in answer["payload"]] == [e["message"] for e in over_http]
    assert [e.get("extensions") for e in answer["payload"]] == [
        e.get("extensions") for e in over_http
    ]
