"""GraphQL conventions: query limits, error masking, result unions, request size."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import strawberry
from asgi_lifespan import LifespanManager
from graphql import get_introspection_query
from strawberry.asgi import GraphQL

from accord.app import create_app
from accord.errors import NotFound
from accord.graphql.errors import ERROR_TYPES
from accord.graphql.masking import UserErrorsAndMasking
from accord.http.request_id import RequestIdMiddleware
from tests.conftest import SECRET_KEY, settings_for
from tests.support import Api


@pytest.fixture(scope="module")
async def small_app(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """The real app with small limits."""
    settings = settings_for(
        database_url,
        ACCORD_MAX_QUERY_DEPTH="3",
        ACCORD_MAX_ALIASES="2",
        ACCORD_MAX_TOKENS="60",
        ACCORD_MAX_REQUEST_BYTES="2000",
    )
    async with LifespanManager(create_app(settings, database_url, SECRET_KEY)) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


async def _post(client: httpx.AsyncClient, query: str) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query})
    body: dict[str, Any] = response.json()
    return body


async def test_small_query_runs(small_app: httpx.AsyncClient) -> None:
    body = await _post(small_app, "{ me { id } }")
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize(
    "query, words",
    [
        pytest.param(
            '{ project(id: "x") { documents { edges { node { id } } } } }',
            "exceeds maximum operation depth",
            id="depth",
        ),
        pytest.param(
            'fragment F on Query { project(id: "x") { documents { edges { node { id } } } } }'
            " { ...F }",
            "exceeds maximum operation depth",
            id="depth through a fragment",
        ),
        pytest.param(
            "{ a: me { id } b: me { id } c: me { id } }",
            "3 aliases found. allowed: 2",
            id="aliases",
        ),
        pytest.param(
            "{ me { " + " ".join(["id"] * 60) + " } }",
            "more than 60 tokens",
            id="tokens",
        ),
    ],
)
async def test_oversized_queries_are_refused(
    small_app: httpx.AsyncClient, query: str, words: str
) -> None:
    body = await _post(small_app, query)
    assert body.get("data") is None
    messages = " ".join(e["message"] for e in body["errors"])
    assert words in messages.lower()


async def test_default_alias_limit(api: Api) -> None:
    person = await api.person("alias")
    query = "{ " + " ".join(f"a{i}: me {{ id }}" for i in range(31)) + " }"
    body = await api.raw(query, as_=person)
    assert body.get("data") is None
    assert "aliases" in body["errors"][0]["message"]
    fine = "{ " + " ".join(f"a{i}: me {{ id }}" for i in range(30)) + " }"
    assert (await api.gql(fine, as_=person))["a29"]["id"] == person.id


async def test_introspection_is_not_depth_limited(api: Api) -> None:
    # GraphiQL's own introspection query is deeper than the limit of 12.
    data = await api.gql(get_introspection_query())
    assert data["__schema"]["queryType"]["name"] == "Query"


# Masking, on a tiny schema of our own.


@strawberry.type
class Query:
    @strawberry.field
    def boom(self) -> str:
        raise RuntimeError("secret detail: password=hunter2")

    @strawberry.field
    def missing(self) -> str:
        raise NotFound("Project not found.")

    @strawberry.field
    def fine(self) -> str:
        return "ok"


@pytest.fixture
async def tiny() -> AsyncIterator[httpx.AsyncClient]:
    schema = strawberry.Schema(query=Query, extensions=[UserErrorsAndMasking])
    app = RequestIdMiddleware(GraphQL(schema))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


async def test_unexpected_errors_are_masked(
    tiny: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="accord.graphql")
    response = await tiny.post("/graphql", json={"query": "{ fine boom }"})
    request_id = response.headers["x-request-id"]
    assert len(request_id) >= 8
    body = response.json()
    assert body["data"] is None
    (error,) = body["errors"]
    assert "hunter2" not in response.text and "RuntimeError" not in response.text
    assert request_id in error["message"]
    assert error["extensions"] == {"code": "INTERNAL", "requestId": request_id}
    assert error["path"] == ["boom"]
    # The log has the detail, under the same id.
    logged = [r for r in caplog.records if r.name == "accord.graphql"]
    assert logged and request_id in logged[0].getMessage()
    assert logged[0].exc_info and "hunter2" in str(logged[0].exc_info[1])


async def test_each_request_gets_its_own_id(tiny: httpx.AsyncClient) -> None:
    first = await tiny.post("/graphql", json={"query": "{ boom }"})
    second = await tiny.post("/graphql", json={"query": "{ boom }"})
    ids = [r.headers["x-request-id"] for r in (first, second)]
    assert ids[0] != ids[1]
    for response, request_id in zip((first, second), ids, strict=True):
        assert response.json()["errors"][0]["extensions"]["requestId"] == request_id


async def test_user_errors_keep_message_and_code(tiny: httpx.AsyncClient) -> None:
    body = (await tiny.post("/graphql", json={"query": "{ missing }"})).json()
    assert body["errors"][0]["message"] == "Project not found."
    assert body["errors"][0]["extensions"] == {"code": "NOT_FOUND"}


async def test_validation_errors_are_shown(tiny: httpx.AsyncClient) -> None:
    body = (await tiny.post("/graphql", json={"query": "{ nope }"})).json()
    assert "nope" in body["errors"][0]["message"]


async def test_real_app_answers_carry_a_request_id(api: Api) -> None:
    response = await api.client.get("/healthz")
    assert response.status_code == 200 and len(response.headers["x-request-id"]) >= 8


# Result unions.

INTROSPECT = """{
  __schema { mutationType { fields { name type { kind ofType { kind name
    possibleTypes { name } } } } } }
  __type(name: "UserError") { kind possibleTypes { name } } }"""


async def test_every_mutation_returns_a_union_with_user_errors(api: Api) -> None:
    data = await api.gql(INTROSPECT)
    fields = data["__schema"]["mutationType"]["fields"]
    assert len(fields) >= 12
    error_names = {cls.__name__ for cls in ERROR_TYPES.values()}
    assert data["__type"]["kind"] == "INTERFACE"
    assert {t["name"] for t in data["__type"]["possibleTypes"]} >= error_names
    for field in fields:
        outer = field["type"]
        assert outer["kind"] == "NON_NULL", field["name"]
        union = outer["ofType"]
        assert union["kind"] == "UNION", field["name"]
        members = {t["name"] for t in union["possibleTypes"]}
        assert error_names <= members, field["name"]
        assert members - error_names, f"{field['name']} has no success type"


# Request size.


async def test_declared_oversized_body_gets_413(small_app: httpx.AsyncClient) -> None:
    response = await small_app.post("/graphql", json={"query": "{ me { id } }", "x": "a" * 3000})
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "TOO_LARGE"
    assert "ACCORD_MAX_REQUEST_BYTES" in response.json()["errors"][0]["message"]


async def test_streamed_oversized_body_gets_413_before_read_whole(
    small_app: httpx.AsyncClient,
) -> None:
    sent = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal sent
        yield b'{"query": "{ me { id } }", "x": "'
        for _ in range(100):  # 100 kB in all, 50 times the limit
            sent += 1
            yield b"a" * 1000
        yield b'"}'

    response = await small_app.post(
        "/graphql", content=body(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413, response.text
    assert response.json()["errors"][0]["extensions"]["code"] == "TOO_LARGE"
    assert sent < 10


async def test_body_under_the_limit_is_served(small_app: httpx.AsyncClient) -> None:
    response = await small_app.post("/graphql", json={"query": "{ me { id } }", "x": "a" * 1000})
    assert response.status_code == 200
