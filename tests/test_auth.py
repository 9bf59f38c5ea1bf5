"""Login, sessions, CSRF, rate limits and API tokens."""

from __future__ import annotations

import json
import secrets
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest
from asgi_lifespan import LifespanManager

from accord.app import create_app
from accord.auth.cookies import COOKIE_NAME
from accord.config import Settings
from tests.conftest import SECRET_KEY, settings_for
from tests.support import Api, Person

LOGIN = """mutation($e: String!, $p: String!) { login(email: $e, password: $p) {
  __typename ... on User { id email } ... on UserError { message code } } }"""
LOGOUT = "mutation { logout { __typename ... on LoggedOut { ok } } }"
ME = "{ me { id email name } }"


@pytest.fixture(scope="module")
async def asgi_app(database_url: str, settings: Settings) -> AsyncIterator[Any]:
    """The real app, for clients of our own (the shared client must keep no cookies)."""
    async with LifespanManager(create_app(settings, database_url, SECRET_KEY)) as manager:
        yield manager.app


def client_for(app: Any, *, https: bool = False, address: str = "127.0.0.1") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    base = "https://testserver" if https else "http://testserver"
    return httpx.AsyncClient(transport=transport, base_url=base)


@pytest.fixture
async def client(asgi_app: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(asgi_app, address=_address()) as c:
        yield c


def _address() -> str:
    """A client address of the test's own, so per-address limits do not interfere."""
    return f"127.0.{secrets.randbelow(250) + 1}.{secrets.randbelow(250) + 1}"


async def gql(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None, **kw: Any
) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables}, **kw)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def login(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post(
        "/graphql", json={"query": LOGIN, "variables": {"e": email, "p": password}}
    )


def _set_cookie(response: httpx.Response) -> str:
    headers = [v for v in response.headers.get_list("set-cookie") if v.startswith(COOKIE_NAME)]
    assert len(headers) == 1, response.headers
    return headers[0]


def _flags(header: str) -> set[str]:
    return {part.strip().lower() for part in header.split(";")[1:]}


async def test_login_sets_a_safe_cookie_over_http(api: Api, client: httpx.AsyncClient) -> None:
    person = await api.person("alice")
    response = await login(client, person.email, person.password)
    assert response.json()["data"]["login"] == {
        "__typename": "User",
        "id": person.id,
        "email": person.email,
    }
    flags = _flags(_set_cookie(response))
    assert "httponly" in flags
    assert "samesite=lax" in flags
    assert "secure" not in flags
    assert "path=/" in flags
    assert any(f.startswith("max-age=") for f in flags)


async def test_login_cookie_is_secure_over_https(api: Api, asgi_app: Any) -> None:
    person = await api.person("alice")
    async with client_for(asgi_app, https=True, address=_address()) as https:
        response = await login(https, person.email, person.password)
        flags = _flags(_set_cookie(response))
        assert {"secure", "httponly", "samesite=lax"} <= flags
        assert (await gql(https, ME))["data"]["me"]["id"] == person.id


async def test_login_is_case_insensitive_on_email(api: Api, client: httpx.AsyncClient) -> None:
    person = await api.person("alice")
    response = await login(client, person.email.upper(), person.password)
    assert response.json()["data"]["login"]["id"] == person.id


async def test_cookie_session_and_logout(api: Api, client: httpx.AsyncClient) -> None:
    person = await api.person("bob")
    body = await gql(client, ME)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    await login(client, person.email, person.password)
    old_cookie = client.cookies[COOKIE_NAME]
    assert (await gql(client, ME))["data"]["me"] == {
        "id": person.id,
        "email": person.email,
        "name": person.name,
    }
    response = await client.post("/graphql", json={"query": LOGOUT})
    assert response.json()["data"]["logout"] == {"__typename": "LoggedOut", "ok": True}
    cleared = _flags(_set_cookie(response))
    assert "max-age=0" in cleared or any(f.startswith("expires=thu, 01 jan 1970") for f in cleared)
    assert COOKIE_NAME not in client.cookies

    # The old cookie, replayed, no longer opens the session.
    client.cookies.set(COOKIE_NAME, old_cookie)
    body = await gql(client, ME)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_logout_ends_only_that_session(api: Api, asgi_app: Any) -> None:
    person = await api.person("carol")
    async with client_for(asgi_app) as one, client_for(asgi_app) as two:
        await login(one, person.email, person.password)
        await login(two, person.email, person.password)
        await one.post("/graphql", json={"query": LOGOUT})
        assert (await gql(two, ME))["data"]["me"]["id"] == person.id


@pytest.mark.parametrize(
    "cookie",
    ["garbage", "eyJ9.forged.signature", "", "a" * 300],
    ids=["garbage", "forged", "empty", "long"],
)
async def test_a_bad_cookie_is_unauthenticated(client: httpx.AsyncClient, cookie: str) -> None:
    client.cookies.set(COOKIE_NAME, cookie)
    body = await gql(client, ME)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_unknown_email_and_wrong_password_answer_alike(
    api: Api, client: httpx.AsyncClient
) -> None:
    person = await api.person("dave")
    wrong = await login(client, person.email, "not-the-password")
    unknown = await login(client, f"nobody-{secrets.token_hex(4)}@example.org", "whatever1")
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.json() == unknown.json()
    assert wrong.json()["data"]["login"]["code"] == "UNAUTHENTICATED"
    assert COOKIE_NAME not in wrong.headers.get("set-cookie", "")
    assert COOKIE_NAME not in unknown.headers.get("set-cookie", "")


async def test_login_rate_limited_per_email(api: Api, asgi_app: Any) -> None:
    person = await api.person("erin")
    async with client_for(asgi_app, address=_address()) as c:
        for attempt in range(5):  # ACCORD_LOGIN_MAX_ATTEMPTS in the test settings
            email = person.email.upper() if attempt % 2 else person.email
            answer = (await login(c, email, "wrong-password")).json()["data"]["login"]
            assert answer["code"] == "UNAUTHENTICATED"
        # Now even the right password, from anywhere, is refused for that email...
        answer = (await login(c, person.email, person.password)).json()["data"]["login"]
        assert answer["code"] == "RATE_LIMITED"
        assert "minutes" in answer["message"]
        assert COOKIE_NAME not in c.cookies
    async with client_for(asgi_app, address=_address()) as elsewhere:
        answer = (await login(elsewhere, person.email, person.password)).json()["data"]["login"]
        assert answer["code"] == "RATE_LIMITED"
        # ...while other accounts are unaffected.
        other = await api.person("frank")
        answer = (await login(elsewhere, other.email, other.password)).json()["data"]["login"]
        assert answer["__typename"] == "User"


LOGIN_WAIT = """mutation($e: String!, $p: String!) { login(email: $e, password: $p) {
  __typename ... on RateLimitedError { message code retryAfterSeconds } } }"""


async def test_rate_limit_says_how_long_until_enough_failures_leave_the_window(
    api: Api, asgi_app: Any, pool: asyncpg.Pool, settings: Settings
) -> None:
    person = await api.person("hana")
    window = settings.login_window_seconds
    # Six failures, one over the limit of five: the oldest leaves the window in a minute,
    # but five would still count until the second oldest leaves, in four minutes.
    async with pool.acquire() as conn:
        for ago in (window - 60, window - 240, 300, 200, 100, 50):
            await conn.execute(
                "INSERT INTO login_failures (email, address, failed_at) "
                "VALUES ($1, 'elsewhere', now() - make_interval(secs => $2))",
                person.email.lower(),
                float(ago),
            )
    async with client_for(asgi_app, address=_address()) as c:
        response = await c.post(
            "/graphql",
            json={"query": LOGIN_WAIT, "variables": {"e": person.email, "p": person.password}},
        )
    answer = response.json()["data"]["login"]
    assert answer["code"] == "RATE_LIMITED"
    assert 230 <= answer["retryAfterSeconds"] <= 240, answer
    assert answer["message"] == "Too many failed logins. Try again in 4 minutes."


async def test_unknown_emails_are_rate_limited_alike(asgi_app: Any) -> None:
    email = f"ghost-{secrets.token_hex(4)}@example.org"
    async with client_for(asgi_app, address=_address()) as c:
        codes = [
            (await login(c, email, "x" * 10)).json()["data"]["login"]["code"] for _ in range(6)
        ]
    assert codes == ["UNAUTHENTICATED"] * 5 + ["RATE_LIMITED"]


async def test_login_rate_limited_per_address(api: Api, database_url: str) -> None:
    small = settings_for(
        database_url,
        ACCORD_LOGIN_MAX_ATTEMPTS="100",
        ACCORD_LOGIN_MAX_ATTEMPTS_PER_ADDRESS="3",
    )
    person = await api.person("grace")
    address = _address()
    async with LifespanManager(create_app(small, database_url, SECRET_KEY)) as manager:
        async with client_for(manager.app, address=address) as c:
            for n in range(3):
                answer = await login(c, f"x{n}-{secrets.token_hex(3)}@example.org", "pw123456")
                assert answer.json()["data"]["login"]["code"] == "UNAUTHENTICATED"
            answer = (await login(c, person.email, person.password)).json()["data"]["login"]
            assert answer["code"] == "RATE_LIMITED"
        async with client_for(manager.app, address=_address()) as other:
            answer = (await login(other, person.email, person.password)).json()["data"]["login"]
            assert answer["__typename"] == "User"


# CSRF


@pytest.fixture
async def logged_in(api: Api, client: httpx.AsyncClient) -> tuple[httpx.AsyncClient, Person]:
    person = await api.person("henry")
    response = await login(client, person.email, person.password)
    assert response.json()["data"]["login"]["__typename"] == "User"
    return client, person


CREATE = 'mutation { createProject(name: "Via CSRF") { __typename } }'


async def _project_count(api: Api, person: Person) -> int:
    return len((await api.gql("{ projects { id } }", as_=person))["projects"])


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"data": {"query": CREATE}}, id="form"),
        pytest.param(
            {
                "content": json.dumps({"query": CREATE}),
                "headers": {"content-type": "text/plain"},
            },
            id="text/plain",
        ),
        pytest.param(
            {"content": '{"query": "{ me { id } }"}', "headers": {"content-type": ""}},
            id="no content type",
        ),
        pytest.param({"files": {"f": ("a.txt", b"x")}, "data": {"query": CREATE}}, id="multipart"),
    ],
)
async def test_cookie_post_without_json_is_refused(
    api: Api, logged_in: tuple[httpx.AsyncClient, Person], kwargs: dict[str, Any]
) -> None:
    client, person = logged_in
    before = await _project_count(api, person)
    response = await client.post("/graphql", **kwargs)
    assert response.status_code == 403
    assert "application/json" in response.json()["errors"][0]["message"]
    assert await _project_count(api, person) == before


@pytest.mark.parametrize(
    "authorization",
    ["Basic dXNlcjpwYXNz", "Bearer", "Bearer   ", "Negotiate abc"],
    ids=["basic", "empty bearer", "blank bearer", "negotiate"],
)
async def test_an_authorization_header_that_is_no_bearer_token_keeps_the_check(
    api: Api, logged_in: tuple[httpx.AsyncClient, Person], authorization: str
) -> None:
    # A browser attaches HTTP Basic credentials to cross-site requests by itself, so such
    # a header proves nothing: the cookie still authenticates, and the check still holds.
    client, person = logged_in
    before = await _project_count(api, person)
    response = await client.post(
        "/graphql",
        content=json.dumps({"query": CREATE}),
        headers={"content-type": "text/plain", "authorization": authorization},
    )
    assert response.status_code == 403
    assert await _project_count(api, person) == before


async def test_cookie_post_with_json_works(
    api: Api, logged_in: tuple[httpx.AsyncClient, Person]
) -> None:
    client, person = logged_in
    body = await gql(client, CREATE)
    assert body["data"]["createProject"]["__typename"] == "Project"
    response = await client.post(
        "/graphql",
        content='{"query": "{ me { id } }"}',
        headers={"content-type": "application/json; charset=utf-8"},
    )
    assert response.json()["data"]["me"]["id"] == person.id


@pytest.mark.parametrize("auth", ["cookie", "bearer"])
async def test_mutation_over_get_is_refused(
    api: Api, logged_in: tuple[httpx.AsyncClient, Person], auth: str
) -> None:
    client, person = logged_in
    headers = {"authorization": f"Bearer {person.token}"} if auth == "bearer" else {}
    before = await _project_count(api, person)
    response = await client.get("/graphql", params={"query": CREATE}, headers=headers)
    assert response.status_code in (400, 405), response.text
    assert "mutation" in response.text.lower()
    assert await _project_count(api, person) == before
    # A query over GET is fine.
    response = await client.get(
        "/graphql", params={"query": "{ me { id } }"}, headers={"accept": "application/json"}
    )
    assert response.json()["data"]["me"]["id"] == person.id


# API tokens

TOKENS = "{ apiTokens { id name revokedAt } }"
CREATE_TOKEN = """mutation($n: String) { createApiToken(name: $n) {
  __typename ... on CreatedApiToken { token apiToken { id name revokedAt } } } }"""
REVOKE = """mutation($id: ID!) { revokeApiToken(id: $id) {
  __typename ... on ApiToken { id revokedAt } ... on UserError { code message } } }"""


async def test_token_lifecycle(api: Api) -> None:
    owner, other = await api.person("ivy"), await api.person("jack")
    created = (await api.gql(CREATE_TOKEN, {"n": "  nightly   export "}, as_=owner))[
        "createApiToken"
    ]
    assert created["token"].startswith("accord_")
    assert created["apiToken"]["name"] == "nightly export"
    fresh = Person(owner.id, owner.email, owner.name, created["token"], owner.password)
    assert (await api.gql(ME, as_=fresh))["me"]["id"] == owner.id

    listed = (await api.gql(TOKENS, as_=owner))["apiTokens"]
    assert [t["name"] for t in listed] == ["tests", "nightly export"]
    other_ids = {t["id"] for t in (await api.gql(TOKENS, as_=other))["apiTokens"]}
    assert not other_ids & {t["id"] for t in listed}

    # Someone else cannot revoke it, and cannot tell that it exists.
    token_id = created["apiToken"]["id"]
    denied = (await api.gql(REVOKE, {"id": token_id}, as_=other))["revokeApiToken"]
    assert denied["code"] == "NOT_FOUND"
    unknown = (await api.gql(REVOKE, {"id": "00000000-0000-4000-8000-000000000000"}, as_=other))[
        "revokeApiToken"
    ]
    assert unknown["message"] == denied["message"]
    assert (await api.gql(ME, as_=fresh))["me"]["id"] == owner.id

    revoked = (await api.gql(REVOKE, {"id": token_id}, as_=owner))["revokeApiToken"]
    assert revoked["__typename"] == "ApiToken" and revoked["revokedAt"]
    assert await api.error_code(ME, as_=fresh) == "UNAUTHENTICATED"
    # The owner's other token still works and lists the revoked one.
    listed = {t["id"]: t for t in (await api.gql(TOKENS, as_=owner))["apiTokens"]}
    assert listed[token_id]["revokedAt"] == revoked["revokedAt"]


async def test_revoking_a_malformed_id_is_not_found(api: Api) -> None:
    person = await api.person("kim")
    answer = (await api.gql(REVOKE, {"id": "nope"}, as_=person))["revokeApiToken"]
    assert answer["code"] == "NOT_FOUND"


async def test_token_mutations_need_a_caller(api: Api) -> None:
    answer = (await api.gql(CREATE_TOKEN, {"n": "x"}))["createApiToken"]
    assert answer == {"__typename": "UnauthenticatedError"}
    assert await api.error_code(TOKENS) == "UNAUTHENTICATED"


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer ",
        "Bearer    ",
        "Basic dXNlcjpwYXNz",
        "Token accord_abc",
        "Bearer not-an-accord-token",
        "Bearer accord_" + "x" * 43,
        "Bearer accord_\u00e6\u00f8\u00e5".encode(),
        "bearer",
        "garbage",
    ],
)
async def test_malformed_authorization_is_unauthenticated(api: Api, header: str | bytes) -> None:
    response = await api.client.post(
        "/graphql", json={"query": ME}, headers={"authorization": header}
    )
    assert response.status_code == 200
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_bearer_scheme_is_case_insensitive(api: Api) -> None:
    person = await api.person("lee")
    response = await api.client.post(
        "/graphql", json={"query": ME}, headers={"authorization": f"bearer {person.token}"}
    )
    assert response.json()["data"]["me"]["id"] == person.id
