"""argon2 runs in a few threads off the event loop, with a bounded queue: logins past it
are refused at once, and an unknown email takes the same path as a wrong password."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import argon2
import asyncpg
import httpx
import pytest
from asgi_lifespan import LifespanManager

from accord.app import create_app
from tests.conftest import SECRET_KEY, settings_for
from tests.support import Api

LOGIN = """mutation($e: String!, $p: String!) { login(email: $e, password: $p) {
  __typename ... on UserError { message code } } }"""


class Spy:
    """Records which thread each argon2 check ran on; can make each one take longer."""

    def __init__(self, pause: float = 0.0) -> None:
        self.threads: list[int] = []
        self.pause = pause


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Iterator[Spy]:
    recorder = Spy()
    original = argon2.PasswordHasher.verify

    def verify(self: argon2.PasswordHasher, hash: Any, password: Any) -> bool:
        recorder.threads.append(threading.get_ident())
        time.sleep(recorder.pause)
        result: bool = original(self, hash, password)
        return result

    monkeypatch.setattr(argon2.PasswordHasher, "verify", verify)
    yield recorder


async def login(api: Api, email: str, password: str) -> dict[str, Any]:
    data = await api.gql(LOGIN, {"e": email, "p": password})
    result: dict[str, Any] = data["login"]
    return result


@asynccontextmanager
async def own_app(database_url: str, pool: asyncpg.Pool, **env: str) -> AsyncIterator[Api]:
    """An app and a client of the test's own: logging in sets a session cookie, which the
    session's shared client must never carry."""
    app = create_app(settings_for(database_url, **env), database_url, SECRET_KEY)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield Api(c, pool)


async def test_argon2_runs_off_the_event_loop_on_one_path_for_every_login(
    database_url: str, pool: asyncpg.Pool, spy: Spy
) -> None:
    async with own_app(database_url, pool) as api:
        await check_one_path(api, spy)


async def check_one_path(api: Api, spy: Spy) -> None:
    someone = await api.person("argon")
    loop_thread = threading.get_ident()
    assert (await login(api, someone.email, someone.password))["__typename"] == "User"
    wrong = await login(api, someone.email, "not-the-password")
    unknown = await login(api, "nobody-at-all@example.org", "not-the-password")
    assert wrong == unknown  # the same answer...
    assert wrong["code"] == "UNAUTHENTICATED"
    assert len(spy.threads) == 3  # ...after the same single argon2 check each
    assert loop_thread not in spy.threads


@pytest.fixture
async def one_thread_no_queue(database_url: str, pool: asyncpg.Pool) -> AsyncIterator[Api]:
    env = {"ACCORD_PASSWORD_THREADS": "1", "ACCORD_MAX_PASSWORD_QUEUE": "0"}
    async with own_app(database_url, pool, **env) as api:
        yield api


async def test_logins_past_the_queue_are_refused_at_once(
    one_thread_no_queue: Api, spy: Spy
) -> None:
    api = one_thread_no_queue
    someone = await api.person("queue")
    spy.pause = 0.3  # each check holds the one thread long enough for the others to arrive
    answers = await asyncio.gather(*(login(api, someone.email, someone.password) for _ in range(8)))
    kinds = [a["__typename"] for a in answers]
    assert "User" in kinds
    refused = [a for a in answers if a["__typename"] != "User"]
    assert refused, kinds
    for answer in refused:
        assert answer["code"] == "RATE_LIMITED"
        assert "busy" in answer["message"]
    spy.pause = 0.0
    assert (await login(api, someone.email, someone.password))["__typename"] == "User"
