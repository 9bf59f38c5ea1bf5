"""At 200 % zoom (a 1280 × 800 window shows 640 × 400 CSS pixels) every main screen still
fits its width, and a coder can still select, code and submit by keyboard."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio
from playwright.async_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import Live, log_in

TEXT = "Interviewer: Hvordan var det?\nP01: Jeg ringte en kollega 😊 en kveld.\n"


@pytest_asyncio.fixture
async def zoomed(browser: Browser, live: Live) -> AsyncIterator[BrowserContext]:
    ctx = await browser.new_context(
        base_url=live.base, viewport={"width": 640, "height": 400}, device_scale_factor=2
    )
    ctx.set_default_timeout(15_000)
    try:
        yield ctx
    finally:
        await ctx.close()


async def _fits(page: Page, screen: str) -> None:
    """Nothing wider than the window: no sideways scrolling to read a screen."""
    overflow = await page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"{screen} is {overflow} px wider than the window at 200 % zoom"


async def test_a_coder_codes_and_submits_at_200_percent(zoomed: BrowserContext, live: Live) -> None:
    api = live.api
    lead, coder = await api.person("zoomlead"), await api.person("zoomcoder")
    project = await api.project(lead, "Zoom study")
    await api.add_member(lead, project, coder, "CODER")
    made = await api.gql(
        """mutation($p: ID!) { createCode(projectId: $p, input: {name: "Reaching out"})
           { ... on Code { id } } }""",
        {"p": project},
        as_=lead,
    )
    code = made["createCode"]["id"]
    doc = (await api.import_document(lead, project, TEXT, "Interview Z"))["id"]
    await api.gql(
        "mutation($d: ID!, $u: ID!) { assignDocument(documentId: $d, userId: $u) { __typename } }",
        {"d": doc, "u": coder.id},
        as_=lead,
    )

    page = await zoomed.new_page()
    await page.goto("/login")
    await expect(page.get_by_role("main").get_by_label("Email")).to_be_visible()
    await _fits(page, "the login page")

    await log_in(zoomed, coder)
    await page.goto("/")
    await expect(page.get_by_role("link", name="Continue coding")).to_be_visible()
    await _fits(page, "the projects page")

    await page.get_by_role("link", name="Continue coding").click()
    await expect(page.locator(".workspace[data-drawn=yes]")).to_be_visible()
    await _fits(page, "the workspace")
    await page.locator(".transcript").focus()
    await page.keyboard.press("Home")
    await page.keyboard.press("Alt+ArrowDown")
    await page.keyboard.press("Alt+ArrowDown")
    await page.keyboard.press("/")
    await expect(page.get_by_role("combobox")).to_be_focused()
    await _fits(page, "the code search")
    await page.keyboard.type("Reaching")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("combobox")).to_have_count(0)

    await expect(page.locator("[data-testid=status-line]")).to_contain_text("Saved")
    data = await api.gql(
        "query($d: ID!) { document(id: $d) { codings(first: 10) { nodes { text code { id } } } } }",
        {"d": doc},
        as_=coder,
    )
    nodes = data["document"]["codings"]["nodes"]
    assert [(n["text"], n["code"]["id"]) for n in nodes] == [
        ("P01: Jeg ringte en kollega 😊 en kveld.", code)
    ]

    await page.get_by_role("button", name="Submit…").click()
    dialog = page.get_by_role("dialog")
    await expect(dialog).to_be_visible()
    await _fits(page, "the submit dialog")
    await dialog.get_by_role("button", name="Submit", exact=True).press("Enter")
    await expect(dialog).to_have_count(0)
    await expect(page.get_by_text("submitted").first).to_be_visible()


async def test_the_leads_screens_fit_at_200_percent(zoomed: BrowserContext, live: Live) -> None:
    api = live.api
    lead, coder = await api.person("zoomlead2"), await api.person("zoomcoder2")
    project = await api.project(lead, "Zoom study, lead")
    await api.add_member(lead, project, coder, "CODER")
    await api.import_document(lead, project, TEXT, "Interview with a rather long title")
    await log_in(zoomed, lead)
    page = await zoomed.new_page()
    for path, heading in (
        ("", "Zoom study, lead"),
        ("/setup/members", "Setup"),
        ("/setup/documents", "Setup"),
        ("/setup/codebook", "Setup"),
        ("/setup/settings", "Setup"),
        ("/setup/rounds", "Setup"),
        ("/progress", "Progress"),
        ("/agreement", "Agreement"),
        ("/exports", "Exports"),
        ("/consensus", "Consensus"),
        ("/synthesis", "Synthesis"),
    ):
        await page.goto(f"/p/{project}{path}")
        await expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        await expect(page.get_by_text("Loading", exact=False)).to_have_count(0)
        await _fits(page, f"the lead's {path or 'project home'}")
