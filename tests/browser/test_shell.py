"""The web app loads in Chromium from the package's build, with no request to another host."""

from __future__ import annotations

from playwright.async_api import BrowserContext

from tests.browser.conftest import Live, assert_accessible


async def test_app_and_explorer_load_without_other_hosts(
    context: BrowserContext, live: Live
) -> None:
    page = await context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    await page.goto("/")
    await page.wait_for_load_state("networkidle")
    await assert_accessible(page, "the start page")
    await page.goto("/graphql")
    await page.get_by_text("Accord's GraphQL API explorer").first.wait_for()
    await page.wait_for_load_state("networkidle")
    elsewhere = [url for url in requested if not url.startswith(live.base)]
    assert requested and not elsewhere, elsewhere
