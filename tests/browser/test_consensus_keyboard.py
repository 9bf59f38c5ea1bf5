"""A whole document's consensus queue by keyboard alone: start, move with J/K, decide each
open item with its key and Enter, reopen the rule's decisions and decide them again with
a custom extent and a drop, complete; no mouse."""

from __future__ import annotations

from playwright.async_api import BrowserContext, Page, expect

from tests.browser.conftest import Live, assert_accessible, log_in
from tests.browser.demo_study import demo_copy


async def tab_to(page: Page, name: str, limit: int = 60) -> None:
    """Press Tab until the focused element is the button called `name`."""
    for _ in range(limit):
        await page.keyboard.press("Tab")
        text = await page.evaluate(
            "() => document.activeElement && document.activeElement.textContent.trim()"
        )
        if text == name:
            return
    raise AssertionError(f"Tab never reached {name!r}")


async def test_a_documents_queue_is_resolved_by_keyboard_alone(
    context: BrowserContext, live: Live
) -> None:
    study = await demo_copy(live)
    doc = study.document("Interview 2")
    await log_in(context, study.lead)
    page = await context.new_page()
    await page.goto(f"/p/{study.project_id}/consensus/{doc}")
    await expect(page.get_by_role("heading", name="Start consensus")).to_be_visible()

    await tab_to(page, "Start consensus")
    await page.keyboard.press("Enter")
    tally = page.get_by_test_id("tally")
    await expect(tally).to_contain_text("2 open, 0 resolved, 2 accepted by the rule")
    # J and K move through the queue; the current item is announced by focus.
    current = page.get_by_role("list", name="Items").locator("[aria-current=true]")
    first = await current.inner_text()
    await page.keyboard.press("j")
    await expect(current).not_to_have_text(first)
    await page.keyboard.press("k")
    await expect(current).to_have_text(first)
    await expect(current).to_be_focused()

    # Each open item: its key, a rationale, Enter; the next open item follows.
    for n, (key, rationale) in enumerate(
        (("1", "The first coder keeps the unit whole"), ("u", "Both belong")), 1
    ):
        await expect(tally).to_contain_text(f"{3 - n} open, {n - 1} resolved")
        await page.keyboard.press(key)
        await expect(page.get_by_label("Rationale (Enter confirms", exact=False)).to_be_focused()
        await page.keyboard.type(rationale)
        await page.keyboard.press("Enter")
    await expect(tally).to_contain_text("0 open, 2 resolved")
    complete = page.get_by_role("button", name="Complete consensus")
    await expect(complete).to_be_focused()

    # The rule's two decisions, reviewed: reopen each (R), then a custom extent (C: the
    # start field has the focus, ↑ moves it a character) and a drop (D).
    items = await live.api.gql(
        "query($d: ID!) { disagreements(documentId: $d) { status } }", {"d": doc}, as_=study.lead
    )
    ruled = [n for n, i in enumerate(items["disagreements"]) if i["status"] == "AUTO_ACCEPTED"]
    assert len(ruled) == 2, items
    for n, (key, rationale) in zip(
        ruled, (("c", "Only the feeling itself"), ("d", "Context, not a meaning unit")), strict=True
    ):
        for _ in range(len(items["disagreements"])):
            await page.keyboard.press("k")
        for _ in range(n):
            await page.keyboard.press("j")
        await expect(current).to_contain_text(f"Item {n + 1}:")
        await page.keyboard.press("r")
        await expect(page.get_by_label("Why reopen it?", exact=False)).to_be_focused()
        await page.keyboard.type("Review the rule's decision")
        await page.keyboard.press("Enter")
        # The focus goes on to the ways of deciding it again.
        await expect(page.get_by_role("button", name="Take", exact=False).first).to_be_focused()
        await page.keyboard.press(key)
        if key == "c":
            start = page.get_by_test_id("custom-extent").get_by_label("Start")
            await expect(start).to_be_focused()
            before = int(await start.input_value())
            await page.keyboard.press("ArrowUp")
            await expect(start).to_have_value(str(before + 1))
            await page.keyboard.press("Enter")
        await expect(page.get_by_label("Rationale (Enter confirms", exact=False)).to_be_focused()
        await page.keyboard.type(rationale)
        await page.keyboard.press("Enter")
        # Saved, and nothing is open: the focus waits on Complete consensus.
        await expect(complete).to_be_focused()
    await expect(tally).to_contain_text("0 open, 4 resolved, 0 accepted by the rule")
    await page.keyboard.press("Enter")
    await expect(page.get_by_text("Consensus completed by Kari Nordby")).to_be_visible()
    await assert_accessible(page, "consensus review, completed")

    done = await live.api.gql(
        "query($d: ID!) { consensusProgress(documentId: $d) { status resolved open } }",
        {"d": doc},
        as_=study.lead,
    )
    assert done["consensusProgress"] == {"status": "COMPLETED", "resolved": 4, "open": 0}
