"""The account page in Chromium against a real server: reached from the header's menu,
API tokens made (the secret shown once), used and revoked after a confirmation; the
password changed after a wrong current password, which logs out a second browser of the
same account on its next action and ends a token made before; axe on each state."""

from __future__ import annotations

import re

from playwright.async_api import BrowserContext, expect

from tests.browser.conftest import Live, assert_accessible, log_in
from tests.support import Api

ME = "{ me { email } }"


async def _token_works(api: Api, token: str) -> bool:
    response = await api.client.post(
        "/graphql", json={"query": ME}, headers={"authorization": f"Bearer {token}"}
    )
    body = response.json()
    return bool(body.get("data") and body["data"].get("me"))


async def test_tokens_and_a_password_change_that_ends_other_sessions(
    context: BrowserContext, live: Live
) -> None:
    ada = await live.api.person("ada")
    await live.api.project(ada, "Account study")
    assert await _token_works(live.api, ada.token)

    # A second browser of the same account, open on the projects.
    other = await context.browser.new_context(base_url=live.base)  # type: ignore[union-attr]
    try:
        await log_in(other, ada)
        other_page = await other.new_page()
        await other_page.goto("/")
        await expect(other_page.get_by_role("heading", name="Account study")).to_be_visible()

        await log_in(context, ada)
        page = await context.new_page()
        await page.goto("/")
        await page.get_by_role("button", name=f"Your account: {ada.name}").click()
        await page.get_by_role("link", name="Account", exact=True).click()
        await expect(page.get_by_role("heading", name="Your account", level=1)).to_be_visible()
        main = page.get_by_role("main")
        await expect(main.get_by_text(ada.email)).to_be_visible()
        await expect(main.get_by_role("cell", name="tests")).to_be_visible()
        await assert_accessible(page, "the account page")

        # A new token: shown once, with a copy button; it works, then is revoked.
        await main.get_by_label("Token name").fill("nightly export")
        await main.get_by_role("button", name="Make a token").click()
        secret_box = main.get_by_label("The token “nightly export”")
        await expect(secret_box).to_be_visible()
        await expect(main.get_by_text("shown only this once")).to_be_visible()
        await expect(
            main.get_by_role("button", name=re.compile(r"^Copy\b.*nightly export"))
        ).to_be_visible()
        secret = await secret_box.input_value()
        assert await _token_works(live.api, secret)
        await assert_accessible(page, "the account page with a new token")

        await main.get_by_role("button", name="Revoke the token nightly export").click()
        dialog = page.get_by_role("dialog", name="Revoke the token “nightly export”?")
        await expect(dialog).to_be_visible()
        await expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
        await dialog.get_by_role("button", name="Revoke").click()
        await expect(dialog).to_be_hidden()
        row = main.get_by_role("row").filter(has_text="nightly export")
        await expect(row).to_contain_text("Revoked")
        assert not await _token_works(live.api, secret)

        # A wrong current password, said next to it.
        current = main.get_by_label("Current password")
        new = main.get_by_label("New password")
        again = main.get_by_label("Repeat the password")
        await current.fill("not my password at all")
        await new.fill("a fresh winter morning")
        await again.fill("a fresh winter morning")
        await main.get_by_role("button", name="Change the password").click()
        await expect(main.get_by_text("Your current password is not correct.")).to_be_visible()
        await expect(current).to_have_attribute("aria-invalid", "true")

        await current.fill(ada.password)
        await new.fill("a fresh winter morning")
        await again.fill("a fresh winter morning")
        await main.get_by_role("button", name="Change the password").click()
        await expect(
            main.get_by_text("Your password is changed. 1 other session and 1 API token ended")
        ).to_be_visible()
        await assert_accessible(page, "the account page after a password change")

        # The token made before stops working; this browser stays logged in.
        assert not await _token_works(live.api, ada.token)
        await page.reload()
        await expect(page.get_by_role("heading", name="Your account", level=1)).to_be_visible()

        # The other browser's next action asks to log in again.
        await other_page.get_by_role("link", name="Account study").first.click()
        await expect(
            other_page.get_by_role("dialog", name="Your session has ended")
        ).to_be_visible()
    finally:
        await other.close()
