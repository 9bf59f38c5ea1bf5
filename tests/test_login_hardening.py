"""Login limits that hold under concurrency and behind proxies (issue 10, findings 11
and 12): failures are counted and recorded atomically, and forwarded addresses count
only from the proxies named in ACCORD_TRUSTED_PROXIES."""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from accord.app import create_app
from accord.config import ConfigError, Settings
from accord.db.target import apply_migrations
from tests.conftest import SECRET_KEY, settings_for
from tests.support import Api, Person
from tests.test_subscriptions import free_port, wait_ready

ROOT = Path(__file__).resolve().parent.parent
LOGIN = """mutation($e: String!, $p: String!) { login(email: $e, password: $p) {
  __typename ... on UserError { code } } }"""


@pytest.fixture(scope="module")
async def asgi_app(database_url: str, settings: Settings) -> AsyncIterator[Any]:
    """The real app, for clients with addresses of their own."""
    async with LifespanManager(create_app(settings, database_url, SECRET_KEY)) as manager:
        yield manager.app


def address() -> str:
    return f"127.1.{secrets.randbelow(250) + 1}.{secrets.randbelow(250) + 1}"


async def login(
    client: httpx.AsyncClient, email: str, password: str, headers: dict[str, str] | None = None
) -> str:
    response = await client.post(
        "/graphql",
        json={"query": LOGIN, "variables": {"e": email, "p": password}},
        headers=headers or {},
    )
    answer: dict[str, Any] = response.json()["data"]["login"]
    return str(answer.get("code", answer["__typename"]))


async def test_concurrent_wrong_logins_check_at_most_the_limit(
    api: Api, asgi_app: Any, settings: Settings
) -> None:
    """40 wrong passwords at once for one email: no more than the limit are checked
    (answered UNAUTHENTICATED); the rest are refused before any check."""
    person = await api.person("target")
    limit = settings.login_max_attempts
    clients = [
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=asgi_app, client=(address(), 1)),
            base_url="http://testserver",
        )
        for _ in range(40)
    ]
    try:
        answers = await asyncio.gather(
            *(login(c, person.email, f"wrong-{n}-password") for n, c in enumerate(clients))
        )
    finally:
        for c in clients:
            await c.aclose()
    checked = answers.count("UNAUTHENTICATED")
    assert checked <= limit, answers
    assert checked + answers.count("RATE_LIMITED") == 40, answers
    failures = await api.pool.fetchval(
        "SELECT count(*) FROM login_failures WHERE email = $1", person.email.lower()
    )
    assert failures == checked
    # The right password is refused as well until the window passes.
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=asgi_app, client=(address(), 1)),
        base_url="http://testserver",
    ) as client:
        assert await login(client, person.email, person.password) == "RATE_LIMITED"


async def test_a_successful_login_is_not_counted_as_a_failure(
    api: Api, asgi_app: Any, settings: Settings
) -> None:
    person = await api.person("regular")
    transport = httpx.ASGITransport(app=asgi_app, client=(address(), 1))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        for _ in range(settings.login_max_attempts + 2):
            assert await login(client, person.email, person.password) == "User"
    assert (
        await api.pool.fetchval(
            "SELECT count(*) FROM login_failures WHERE email = $1", person.email.lower()
        )
        == 0
    )


# --- 11: forwarded addresses -----------------------------------------------------------


@asynccontextmanager
async def app_with(database_url: str, **env: str) -> AsyncIterator[Any]:
    settings = settings_for(
        database_url,
        ACCORD_LOGIN_MAX_ATTEMPTS="1000",
        ACCORD_LOGIN_MAX_ATTEMPTS_PER_ADDRESS="2",
        **env,
    )
    async with LifespanManager(create_app(settings, database_url, SECRET_KEY)) as manager:
        yield manager.app


def client_from(app: Any, peer: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(peer, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def limited_after(
    client: httpx.AsyncClient, forged: Callable[[str], dict[str, str]]
) -> list[str]:
    """Three wrong logins for fresh emails, each claiming another forwarded address."""
    base = f"203.{secrets.randbelow(250)}.{secrets.randbelow(250)}"
    return [
        await login(
            client, f"x{n}-{secrets.token_hex(3)}@example.org", "pw123456", forged(f"{base}.{n}")
        )
        for n in range(3)
    ]


FORGERIES: dict[str, Callable[[str], dict[str, str]]] = {
    "x-forwarded-for": lambda a: {"x-forwarded-for": a},
    "forwarded": lambda a: {"forwarded": f"for={a}"},
    "x-real-ip": lambda a: {"x-real-ip": a},
}


@pytest.mark.parametrize("header", sorted(FORGERIES))
async def test_forwarding_headers_from_an_untrusted_peer_count_for_nothing(
    database_url: str, header: str
) -> None:
    async with app_with(database_url) as app, client_from(app, address()) as client:
        answers = await limited_after(client, FORGERIES[header])
    assert answers == ["UNAUTHENTICATED", "UNAUTHENTICATED", "RATE_LIMITED"]


async def test_a_trusted_proxy_names_the_client(api: Api, database_url: str) -> None:
    person = await api.person("behind-a-proxy")
    async with app_with(database_url, ACCORD_TRUSTED_PROXIES="10.0.0.0/8, ::1") as app:
        async with client_from(app, f"10.1.2.{secrets.randbelow(250) + 1}") as proxy:
            # Each client behind the proxy has a limit of its own...
            for header in sorted(FORGERIES):
                answers = await limited_after(proxy, FORGERIES[header])
                assert answers == ["UNAUTHENTICATED"] * 3, (header, answers)
            # ...and a client cannot hide behind addresses it writes itself: the nearest
            # address that is no trusted proxy is the client.
            chain = [
                await login(
                    proxy,
                    f"y{n}-{secrets.token_hex(3)}@example.org",
                    "pw123456",
                    {"x-forwarded-for": f"198.51.100.{n}, 192.0.2.77, 10.9.9.9"},
                )
                for n in range(3)
            ]
            assert chain == ["UNAUTHENTICATED", "UNAUTHENTICATED", "RATE_LIMITED"]
            # The scheme the proxy saw decides the session cookie's Secure flag.
            https = {"forwarded": 'for="[2001:db8::7]:4711";proto=https'}
            assert "secure" in await cookie_flags(proxy, person, https)
            assert "secure" not in await cookie_flags(proxy, person, {})
        # The same headers from a peer outside the list still count for nothing.
        # 192.0.2.77 is the client the chain above rate-limited: the stranger is another.
        async with client_from(app, f"192.0.2.{secrets.randbelow(70) + 1}") as stranger:
            assert "secure" not in await cookie_flags(stranger, person, https)
            answers = await limited_after(stranger, FORGERIES["x-forwarded-for"])
            assert answers == ["UNAUTHENTICATED", "UNAUTHENTICATED", "RATE_LIMITED"]


async def cookie_flags(client: httpx.AsyncClient, who: Person, headers: dict[str, str]) -> set[str]:
    response = await client.post(
        "/graphql",
        json={"query": LOGIN, "variables": {"e": who.email, "p": who.password}},
        headers=headers,
    )
    client.cookies.clear()
    cookie = response.headers["set-cookie"]
    return {part.strip().lower() for part in cookie.split(";")[1:]}


@pytest.mark.parametrize("value", ["10.0.0.300", "proxy.example", "10.0.0.0/33", "1.2.3.4,,"])
def test_a_malformed_proxy_list_stops_start_up(value: str) -> None:
    with pytest.raises(ConfigError, match="ACCORD_TRUSTED_PROXIES"):
        Settings.from_env({"ACCORD_TRUSTED_PROXIES": value})


def test_no_proxies_are_trusted_by_default() -> None:
    assert Settings.from_env({}).trusted_proxies == ()
    assert Settings.from_env({"ACCORD_TRUSTED_PROXIES": "none"}).trusted_proxies == ()


@pytest.mark.slow
async def test_accord_serve_believes_no_forwarded_address_from_localhost(
    make_database: Callable[[], Awaitable[str]], tmp_path: Path
) -> None:
    """The real server: a client on the same host cannot spread its failed logins over
    invented addresses with X-Forwarded-For (uvicorn alone would believe 127.0.0.1)."""
    url = await make_database()
    await apply_migrations(url)
    env = {
        **os.environ,
        "ACCORD_DATABASE_URL": url,
        "ACCORD_SECRET_KEY": SECRET_KEY,
        "ACCORD_LOGIN_MAX_ATTEMPTS": "1000",
        "ACCORD_LOGIN_MAX_ATTEMPTS_PER_ADDRESS": "2",
    }
    env.pop("ACCORD_DATA_DIR", None)
    env.pop("ACCORD_TRUSTED_PROXIES", None)
    port = free_port()
    with (tmp_path / "serve.log").open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "accord.cli.main", "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            await wait_ready(base, proc)
            async with httpx.AsyncClient(base_url=base, timeout=10.0) as client:
                answers = await limited_after(client, FORGERIES["x-forwarded-for"])
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    assert answers == ["UNAUTHENTICATED", "UNAUTHENTICATED", "RATE_LIMITED"]
