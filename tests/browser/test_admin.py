"""Site administration in Chromium against a real server: an administrator finds a coder
by filtering, issues a reset link (shown once), makes and unmakes an administrator, and
deactivates the coder, whose open browser is logged out on its next action; reactivates;
clears a login limit; a non-administrator gets no link and a plain refusal; axe."""

from __future__ import annotations

import re

from playwright.async_api import BrowserContext, Page, expect

from tests.browser.conftest import Live, assert_accessible, log_in


async def _act(page: Page, name: str, action: str) -> None:
    await page.get_by_role("button", name=f"Actions for {name}").click()
    await page.get_by_role("button", name=action, exact=True).click()


async def test_an_administrator_manages_a_coders_account(
    context: BrowserContext, live: Live
) -> None:
    admin = await live.api.person("siteadmin", is_admin=True)
    coder = await live.api.person("quinncoder")
    await live.api.project(coder, "Admin study")

    coder_context = await context.browser.new_context(base_url=live.base)  # type: ignore[union-attr]
    try:
        await log_in(coder_context, coder)
        coder_page = await coder_context.new_page()
        await coder_page.goto("/")
        await expect(coder_page.get_by_role("heading", name="Admin study")).to_be_visible()

        await log_in(context, admin)
        page = await context.new_page()
        await page.goto("/")
        await page.get_by_role("button", name=f"Your account: {admin.name}").click()
        await page.get_by_role("link", name="Administration").click()
        await expect(page.get_by_role("heading", name="Administration", level=1)).to_be_visible()
        main = page.get_by_role("main")
        table = main.get_by_role("table", name="Accounts, oldest first")
        await expect(table.get_by_role("rowheader", name=admin.name).first).to_be_visible()
        await assert_accessible(page, "the administration page")

        # Filter by text: only the coder is left.
        await main.get_by_label("Filter by name or email").fill(coder.email)
        row = table.get_by_role("row").filter(has_text=coder.email)
        await expect(row).to_be_visible()
        await expect(table.get_by_role("row")).to_have_count(2)  # the header and the coder
        await expect(row).to_contain_text("Active")

        # A reset link, shown once with a copy button.
        await _act(page, coder.name, "Issue a password-reset link")
        link = main.get_by_label(f"Reset link for {coder.name}")
        await expect(link).to_have_value(re.compile(r"/reset/"))
        await expect(main.get_by_role("button", name=re.compile(r"^Copy\b"))).to_be_visible()

        # Make and unmake an administrator, with confirmations.
        await _act(page, coder.name, "Make site administrator")
        dialog = page.get_by_role("dialog", name=f"Make {coder.name} a site administrator?")
        await dialog.get_by_role("button", name="Make administrator").click()
        await expect(dialog).to_be_hidden()
        await expect(row.get_by_role("cell", name="Yes")).to_be_visible()
        await _act(page, coder.name, "Remove administrator rights")
        dialog = page.get_by_role("dialog", name=f"Remove {coder.name}'s administrator rights?")
        await dialog.get_by_role("button", name="Remove rights").click()
        await expect(row.get_by_role("cell", name="No", exact=True)).to_be_visible()

        # Deactivate: asked first; the coder's open browser is logged out.
        await _act(page, coder.name, "Deactivate")
        dialog = page.get_by_role("dialog", name=f"Deactivate {coder.name}?")
        await expect(dialog).to_contain_text("logged out everywhere")
        await expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
        await assert_accessible(page, "the deactivation dialog")
        await dialog.get_by_role("button", name="Deactivate").click()
        await expect(dialog).to_be_hidden()
        await expect(row).to_contain_text("Deactivated")
        await coder_page.get_by_role("link", name="Admin study").first.click()
        await expect(
            coder_page.get_by_role("dialog", name="Your session has ended")
        ).to_be_visible()
        await coder_page.goto("/")
        await expect(coder_page).to_have_url(re.compile(r"/login"))

        await _act(page, coder.name, "Reactivate")
        dialog = page.get_by_role("dialog", name=f"Reactivate {coder.name}?")
        await dialog.get_by_role("button", name="Reactivate").click()
        await expect(row).not_to_contain_text("Deactivated")

        # Clear the login limit for an email.
        await main.get_by_label("Email", exact=True).fill(coder.email)
        await main.get_by_role("button", name="Clear the login limit").click()
        await expect(main.get_by_text(coder.email).last).to_be_visible()
        await expect(
            main.get_by_text(re.compile(r"nothing to clear|can log in again now"))
        ).to_be_visible()
        await assert_accessible(page, "the administration page after changes")
    finally:
        await coder_context.close()


async def test_the_last_administrator_message_is_shown(context: BrowserContext, live: Live) -> None:
    admin = await live.api.person("soleadmin", is_admin=True)
    await log_in(context, admin)
    # Every other administrator steps down, so this one is the last; they come back after.
    data = await live.api.gql(
        "{ accounts(first: 100) { edges { node { id isAdmin active } } } }", as_=admin
    )
    others = [
        e["node"]["id"]
        for e in data["accounts"]["edges"]
        if e["node"]["isAdmin"] and e["node"]["id"] != admin.id
    ]
    set_admin = (
        "mutation($u: ID!, $a: Boolean!) { setAdministrator(userId: $u, isAdmin: $a) "
        "{ __typename } }"
    )
    for other in others:
        await live.api.gql(set_admin, {"u": other, "a": False}, as_=admin)
    try:
        page = await context.new_page()
        await page.goto("/admin")
        await page.get_by_label("Filter by name or email").fill(admin.email)
        await _act(page, admin.name, "Remove administrator rights")
        dialog = page.get_by_role("dialog", name=f"Remove {admin.name}'s administrator rights?")
        await dialog.get_by_role("button", name="Remove rights").click()
        await expect(dialog.get_by_role("alert")).to_contain_text(
            "Accord needs at least one active site administrator"
        )
        await expect(dialog).to_be_visible()
    finally:
        for other in others:
            await live.api.gql(set_admin, {"u": other, "a": True}, as_=admin)


async def test_a_non_administrator_is_refused_plainly(context: BrowserContext, live: Live) -> None:
    await live.api.person("someadmin", is_admin=True)
    coder = await live.api.person("plaincoder")
    await log_in(context, coder)
    page = await context.new_page()
    await page.goto("/")
    await page.get_by_role("button", name=f"Your account: {coder.name}").click()
    await expect(page.get_by_role("link", name="Account", exact=True)).to_be_visible()
    await expect(page.get_by_role("link", name="Administration")).to_have_count(0)

    await page.goto("/admin")
    await expect(page.get_by_role("heading", name="Administration", level=1)).to_be_visible()
    await expect(page.get_by_role("main").get_by_role("alert")).to_contain_text(
        "Only a site administrator may"
    )
    await expect(page.get_by_role("table")).to_have_count(0)
    await assert_accessible(page, "the administration page refused")
