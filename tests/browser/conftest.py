"""Browser tests: a real `accord serve` process, Debian's Chromium driven by Playwright.

Playwright never downloads a browser here: it drives the system's Chromium through
`executable_path`. In CI (`CI` set) a missing Chromium is a failure, not a skip.

Fixtures:
- `live`: one `accord serve` process for the session on a fresh database built by the
  real migrations, with `live.api` (GraphQL over HTTP to that process, `tests.support.Api`)
  and `live.pool` (the same database) to set up people and projects.
- `browser`: one Chromium for the session; `context` a fresh browser context per test
  (its own cookies and storage), whose pages open relative URLs on the live server.
- `log_in(context, person)`: a session cookie for the person, set through the API.
- `assert_accessible(page, name)`: axe-core finds no serious or critical violation.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import pytest
import pytest_asyncio
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

from accord.db.pool import create_pool
from accord.db.target import apply_migrations
from tests.conftest import settings_for
from tests.processes import Server, serve_env
from tests.support import Api, Person

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
# Chromium as root in a container, with no network of its own to talk to.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    message = "Debian's chromium is not installed (apt-get install chromium); .ci/run installs it."
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@dataclass
class Live:
    base: str
    api: Api
    pool: asyncpg.Pool
    server: Server


@pytest_asyncio.fixture(scope="session")
async def live(make_database: Callable[[], Awaitable[str]]) -> AsyncIterator[Live]:
    url = await make_database()
    await apply_migrations(url)
    logs = Path(tempfile.mkdtemp(prefix="accord-browser-"))
    server = Server(serve_env(logs / "data", url), logs)
    try:
        await asyncio.to_thread(server.wait_ready)
        pool = await create_pool(url, settings_for(url))
        try:
            async with httpx.AsyncClient(base_url=server.base, timeout=30) as client:
                yield Live(server.base, Api(client, pool), pool, server)
        finally:
            await pool.close()
    finally:
        server.kill()
    assert "Traceback" not in server.stderr, server.stderr


@pytest_asyncio.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    executable = chromium_path()
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            await chromium.close()


@pytest_asyncio.fixture
async def context(browser: Browser, live: Live) -> AsyncIterator[BrowserContext]:
    ctx = await browser.new_context(base_url=live.base, viewport={"width": 1280, "height": 800})
    ctx.set_default_timeout(15_000)
    try:
        yield ctx
    finally:
        await ctx.close()


async def log_in(context: BrowserContext, person: Person) -> None:
    """Give the context the person's session cookie, as the login form would."""
    response = await context.request.post(
        "/graphql",
        data={
            "query": """mutation($e: String!, $p: String!) {
                login(email: $e, password: $p) { __typename } }""",
            "variables": {"e": person.email, "p": person.password},
        },
    )
    body = await response.json()
    assert body["data"]["login"]["__typename"] == "User", body


_axe = Axe()


async def assert_accessible(page: Page, screen: str) -> None:
    """No serious or critical axe-core violation on what the page shows now."""
    results = await _axe.run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    details = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] if n.get("target") else "?" for n in v["nodes"][:5])
        for v in bad
    )
    assert not bad, f"axe found serious or critical violations on {screen}:\n{details}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)
