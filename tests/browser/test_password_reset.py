"""The password-reset page in Chromium against a real server: an administrator issues a
link by API, the person chooses a new password twice and lands on the projects, logged
in; the account's old browser session ends; the used link and an unknown link say so."""

from __future__ import annotations

import re

from playwright.async_api import BrowserContext, expect

from tests.browser.conftest import Live, assert_accessible, log_in
from tests.support import Api, Person, link_token


async def _issue_reset(api: Api, admin: Person, who: Person) -> str:
    data = await api.gql(
        """mutation($u: ID!) { issuePasswordReset(userId: $u) {
             __typename ... on IssuedPasswordReset { link } ... on UserError { message } } }""",
        {"u": who.id},
        as_=admin,
    )
    assert data["issuePasswordReset"]["__typename"] == "IssuedPasswordReset", data
    return f"/reset/{link_token(data['issuePasswordReset']['link'])}"


async def test_a_reset_link_sets_a_new_password_and_ends_old_sessions(
    context: BrowserContext, live: Live
) -> None:
    admin = await live.api.person("admin", is_admin=True)
    coder = await live.api.person("resetcoder")
    await live.api.project(coder, "Reset study")

    # The coder's old browser, logged in before the reset.
    old = await context.browser.new_context(base_url=live.base)  # type: ignore[union-attr]
    try:
        await log_in(old, coder)
        old_page = await old.new_page()
        await old_page.goto("/")
        await expect(old_page.get_by_role("heading", name="Reset study")).to_be_visible()

        path = await _issue_reset(live.api, admin, coder)
        page = await context.new_page()
        await page.goto(path)
        main = page.get_by_role("main")
        await expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
        await expect(main.get_by_text(coder.email)).to_be_visible()
        await expect(main.get_by_text("At least 10 characters")).to_be_visible()
        await assert_accessible(page, "the password-reset page")

        save = page.get_by_role("button", name="Save the new password and log in")
        await main.get_by_label("New password").fill("password123")
        await main.get_by_label("Repeat the password").fill("password123")
        await save.click()
        await expect(main.get_by_text("among the most common ones")).to_be_visible()
        await assert_accessible(page, "the password-reset page with a problem")

        await main.get_by_label("New password").fill("a brand new reading lamp")
        await main.get_by_label("Repeat the password").fill("a brand new reading lamp")
        await save.click()
        await expect(page).to_have_url(re.compile(r"/$"))
        await expect(page.get_by_role("heading", name="Reset study")).to_be_visible()
        await expect(page.get_by_role("button", name=f"Your account: {coder.name}")).to_be_visible()

        # The old browser's session ended: its next page asks to log in.
        await old_page.reload()
        await expect(old_page).to_have_url(re.compile(r"/login"))

        # The link again: already used.
        await page.goto(path)
        await expect(
            page.get_by_role("heading", name="This reset link was already used")
        ).to_be_visible()
        await expect(page.get_by_text("Log in with your new password.")).to_be_visible()
        await assert_accessible(page, "a used reset link")

        # The new password works; the old one no longer does.
        body = await live.api.raw(
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { __typename } }",
            {"e": coder.email, "p": coder.password},
        )
        assert body["data"]["login"]["__typename"] != "User", body
    finally:
        await old.close()


async def test_an_unknown_reset_link_says_so(context: BrowserContext, live: Live) -> None:
    page = await context.new_page()
    await page.goto("/reset/not-a-real-token")
    await expect(page.get_by_role("heading", name="This reset link is not valid")).to_be_visible()
    await expect(page.get_by_text("ask a site administrator for a new one")).to_be_visible()
