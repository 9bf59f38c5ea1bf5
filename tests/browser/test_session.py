"""Logging in and out in Chromium against a real server: the login limit with its wait,
logging out (and the back button after it), and a session that expires while a coder
works: logged in again in place, with the codings made meanwhile sent exactly once."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest_asyncio
from playwright.async_api import BrowserContext, Locator, Page, Route, expect

from tests.browser.conftest import Live, assert_accessible, log_in
from tests.support import Person

TEXT = (
    "Interviewer: Hvem snakket du med først?\n"
    "P02: Søsteren min. Hun ringte meg hver kveld.\n"
    "Interviewer: Hjalp det?\n"
    "P02: Ja, jeg følte meg hørt for første gang.\n"
    "Interviewer: Og nå?\n"
    "P02: Nå sover jeg om nettene igjen.\n"
)
STATUS = "[data-testid=status-line]"
WRONG = "Email or password is incorrect."
# ACCORD_LOGIN_MAX_ATTEMPTS: the live server runs with the default.
MAX_ATTEMPTS = 10

CODINGS = """query($d: ID!, $c: ID) { document(id: $d) { codings(coderId: $c, first: 100) {
  nodes { id start end text code { name } } } } }"""


@pytest_asyncio.fixture
async def forget_failures(live: Live) -> AsyncIterator[list[str]]:
    """Emails whose failed logins are cleared after the test: every browser test logs in
    from the same address, whose own limit the failures here must not use up."""
    emails: list[str] = []
    try:
        yield emails
    finally:
        async with live.pool.acquire() as conn:
            await conn.execute(
                "DELETE FROM login_failures WHERE email = ANY($1::text[])",
                [e.lower() for e in emails],
            )


async def _submit(form: Locator, password: str) -> None:
    """Type a password into the login form and send it; wait for the answer (the form
    empties the password field after a refusal)."""
    field = form.get_by_label("Password")
    await field.fill(password)
    await form.get_by_role("button", name="Log in", exact=True).click()
    await expect(field).to_have_value("")


async def test_login_limit_says_how_long_to_wait(
    context: BrowserContext, live: Live, forget_failures: list[str]
) -> None:
    who = await live.api.person("limited")
    forget_failures.append(who.email)
    page = await context.new_page()
    await page.goto("/login")
    await expect(page.get_by_role("heading", name="Log in to Accord")).to_be_visible()
    form = page.get_by_role("main")
    await form.get_by_label("Email").fill(who.email)
    alert = form.get_by_role("alert")
    for _ in range(MAX_ATTEMPTS):
        await _submit(form, "not-the-password")
        await expect(alert).to_have_text(WRONG)

    # One more, and the server refuses to check it: the form says how long to wait.
    await _submit(form, "not-the-password")
    await expect(alert).to_contain_text("Too many failed logins")
    await expect(alert).to_contain_text(re.compile(r"Try again in \d+ minutes?\."))
    await expect(alert).to_contain_text(re.compile(r"You can try again at \d{1,2}:\d{2}"))
    await expect(alert).not_to_contain_text("incorrect")
    # The fields keep their labels, the email what was typed.
    await expect(form.get_by_label("Email")).to_have_value(who.email)
    await expect(form.get_by_label("Password")).to_be_visible()
    await assert_accessible(page, "the login form refusing a rate-limited login")

    # While the limit holds, the right password is refused too, with the wait.
    await _submit(form, who.password)
    await expect(alert).to_contain_text("Too many failed logins")
    await expect(alert).not_to_contain_text("incorrect")
    assert page.url.endswith("/login")
    await expect(page.get_by_role("heading", name="Log in to Accord")).to_be_visible()


async def test_logout_and_the_back_button(context: BrowserContext, live: Live) -> None:
    lead = await live.api.person("leaving")
    await live.api.project(lead, "Logout study")
    await log_in(context, lead)
    page = await context.new_page()
    await page.goto("/")
    await page.get_by_role("link", name=re.compile("Logout study")).first.click()
    await expect(page).to_have_url(re.compile(r"/p/[^/]+$"))
    await expect(page.get_by_text("Logout study").first).to_be_visible()

    await page.get_by_role("button", name=f"Your account: {lead.name}").click()
    await page.get_by_role("button", name="Log out").click()
    await expect(page).to_have_url(re.compile(r"/login$"))
    await expect(page.get_by_role("heading", name="Log in to Accord")).to_be_visible()

    # The server ended the session, not just the page.
    answer = await context.request.post("/graphql", data={"query": "{ me { id } }"})
    body = await answer.json()
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", body

    # Back: the previous screen's data does not come back; the app lands on login.
    await page.go_back()
    await expect(page).to_have_url(re.compile(r"/login(\?next=.*)?$"))
    await expect(page.get_by_role("heading", name="Log in to Accord")).to_be_visible()
    await expect(page.get_by_text("Logout study")).to_have_count(0)
    # A reload of whatever the back button shows asks the server again: still logged out.
    await page.reload()
    await expect(page.get_by_role("heading", name="Log in to Accord")).to_be_visible()
    await expect(page.get_by_text("Logout study")).to_have_count(0)


async def _coder_with_assignment(live: Live) -> tuple[Person, Person, str]:
    api = live.api
    lead, coder = await api.person("lead"), await api.person("carrying")
    project = await api.project(lead, "Session study")
    await api.add_member(lead, project, coder, "CODER")
    for name in ("Family", "Being heard", "Sleep"):
        await api.gql(
            """mutation($p: ID!, $n: String!) { createCode(projectId: $p, input: {name: $n,
               definition: "Defined here"}) { ... on Code { id } } }""",
            {"p": project, "n": name},
            as_=lead,
        )
    doc = (await api.import_document(lead, project, TEXT, "Interview S"))["id"]
    await api.gql(
        "mutation($d: ID!, $u: ID!) { assignDocument(documentId: $d, userId: $u) { __typename } }",
        {"d": doc, "u": coder.id},
        as_=lead,
    )
    return lead, coder, f"/p/{project}/code/{doc}"


async def _select_turn(page: Page, n: int) -> None:
    """Alt+↓ from the top: the n-th turn (1-based)."""
    await page.keyboard.press("Escape")
    await page.locator(".transcript").focus()
    await page.keyboard.press("Home")
    for _ in range(n):
        await page.keyboard.press("Alt+ArrowDown")


async def test_expired_session_logs_in_again_in_place(
    context: BrowserContext, live: Live, forget_failures: list[str]
) -> None:
    lead, coder, url = await _coder_with_assignment(live)
    forget_failures.append(coder.email)
    doc = url.rsplit("/", 1)[-1]
    await log_in(context, coder)
    page = await context.new_page()
    await page.goto(url)
    await expect(page.locator(".workspace[data-drawn=yes]")).to_be_visible()
    # Something only this page load holds: gone if the page ever reloads or navigates.
    await page.evaluate("window.__sameLoad = true")

    await _select_turn(page, 2)
    await page.keyboard.press("1")
    await expect(page.locator(STATUS)).to_contain_text("Saved")

    # The session expires on the server while the page is open.
    async with live.pool.acquire() as conn:
        ended = await conn.execute(
            "UPDATE sessions SET expires_at = now() - interval '1 minute' WHERE user_id = $1",
            coder.id,
        )
    assert ended == "UPDATE 1", ended

    # Two codings by keyboard. The first request is held until both are made, so that
    # the keys reach the transcript rather than the login dialog they lead to.
    held = asyncio.Event()

    async def hold(route: Route) -> None:
        await held.wait()
        await route.continue_()

    await page.route("**/graphql", hold)
    await _select_turn(page, 4)
    await page.keyboard.press("2")
    await _select_turn(page, 6)
    await page.keyboard.press("3")
    units = page.locator(".unit-codings")
    await expect(units.filter(has_text="Being heard")).to_have_count(1)
    await expect(units.filter(has_text="Sleep")).to_have_count(1)
    held.set()  # the route stays, letting everything through from now on

    dialog = page.get_by_role("dialog", name="Your session has ended")
    await expect(dialog).to_be_visible()
    await expect(page.locator(STATUS)).to_contain_text("2 changes waiting")
    await expect(page.locator(STATUS)).to_contain_text("session ended")
    # Password only, for the same account, whose email is shown.
    await expect(dialog.get_by_text(coder.email)).to_be_visible()
    await expect(dialog.get_by_label("Email")).to_have_count(0)
    password = dialog.get_by_label("Password")
    await expect(password).to_be_focused()
    await assert_accessible(page, "the log-in-again dialog")

    await password.fill("not-the-password")
    await dialog.get_by_role("button", name="Log in and carry on").click()
    await expect(dialog.get_by_role("alert")).to_have_text(WRONG)
    await expect(dialog).to_be_visible()
    await expect(page.locator(STATUS)).to_contain_text("2 changes waiting")

    await password.fill(coder.password)
    await dialog.get_by_role("button", name="Log in and carry on").click()
    await expect(dialog).to_be_hidden()
    await expect(page.locator(STATUS)).to_contain_text("Saved")

    # Sent, and stored once each.
    data: dict[str, Any] = await live.api.gql(CODINGS, {"d": doc, "c": coder.id}, as_=lead)
    stored = sorted((c["code"]["name"], c["text"]) for c in data["document"]["codings"]["nodes"])
    assert stored == [
        ("Being heard", "P02: Ja, jeg følte meg hørt for første gang."),
        ("Family", "P02: Søsteren min. Hun ringte meg hver kveld."),
        ("Sleep", "P02: Nå sover jeg om nettene igjen."),
    ], stored

    # The page never left: same load, same URL, the selection as it was.
    assert await page.evaluate("window.__sameLoad === true")
    assert page.url.endswith(url)
    selection = page.get_by_role("region", name="Selection", exact=True)
    await expect(selection).to_contain_text("Nå sover jeg om nettene igjen.")
