"""Consensus in Chromium, as issue 13's done-when has it: two leads in two browser contexts
resolve a document of the demo study with every action, one reopens an item the other
decided and gets the CONFLICT view, they complete consensus, merge two codes and undo the
merge, write a condensate with two quotes and finalise; the decision log then lists every
decision with its rationale, and agreement compares each coder with the consensus."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest_asyncio
from playwright.async_api import Browser, BrowserContext, Page, Route, expect

from accord.demo import content
from tests.browser.conftest import Live, assert_accessible, log_in
from tests.browser.demo_study import (
    DemoCopy,
    demo_copy,
    listening,
    second_lead,
    socket_frames,
)

TALLY = "tally"

# Where "I felt lighter" starts in interview 4 (code points).
LIGHTER = content.INTERVIEWS[3][2].index("I felt lighter")


@pytest_asyncio.fixture
async def other_context(browser: Browser, live: Live) -> AsyncIterator[BrowserContext]:
    ctx = await browser.new_context(base_url=live.base, viewport={"width": 1280, "height": 800})
    ctx.set_default_timeout(15_000)
    try:
        yield ctx
    finally:
        await ctx.close()


async def tally(page: Page, text: str) -> None:
    await expect(page.get_by_test_id(TALLY)).to_contain_text(text)


async def item(page: Page, number: int) -> None:
    """Make queue item `number` the current one, as a click in the queue does."""
    button = page.get_by_role("list", name="Items").get_by_role("button", name=f"Item {number}:")
    await button.click()
    await expect(button).to_have_attribute("aria-current", "true")


async def decide(page: Page, key: str, rationale: str) -> None:
    """Press a decision key, give the rationale, confirm with Enter."""
    await page.keyboard.press(key)
    reason = page.get_by_label("Rationale (Enter confirms", exact=False)
    await expect(reason).to_be_focused()
    await reason.fill(rationale)
    await reason.press("Enter")


async def reopen(page: Page, rationale: str) -> None:
    await page.keyboard.press("r")
    reason = page.get_by_label("Why reopen it?", exact=False)
    await expect(reason).to_be_focused()
    await reason.fill(rationale)
    await reason.press("Enter")
    await expect(page.get_by_role("heading", name="Open", exact=True)).to_be_visible()


async def hold(page: Page, operation: str) -> Callable[[], Awaitable[None]]:
    """Keep the page's `operation` requests unanswered until the returned function is
    called: the server's answer then arrives after whatever the test does meanwhile."""
    released = asyncio.Event()

    async def route(r: Route) -> None:
        if f"mutation {operation}" in (r.request.post_data or ""):
            await released.wait()
        await r.continue_()

    await page.route("**/graphql", route)

    async def release() -> None:
        released.set()

    return release


async def gql(live: Live, who: Any, query: str, **variables: Any) -> dict[str, Any]:
    return await live.api.gql(query, variables, as_=who)


async def test_two_leads_take_a_document_from_consensus_to_a_final_project(
    context: BrowserContext, other_context: BrowserContext, live: Live
) -> None:
    study: DemoCopy = await demo_copy(live)
    kari, bodil = study.lead, await second_lead(live, study)
    doc = study.document("Interview 4")
    review = f"/p/{study.project_id}/consensus/{doc}"
    await log_in(context, kari)
    await log_in(other_context, bodil)
    a, b = await context.new_page(), await other_context.new_page()
    heard_by_a, heard_by_b = socket_frames(a), socket_frames(b)

    await a.goto(review)
    await expect(a.get_by_role("heading", name="Start consensus")).to_be_visible()
    await expect(a.get_by_text("every assigned coder coded it")).to_be_visible()
    await a.get_by_role("button", name="Start consensus").click()
    await tally(a, "2 open, 0 resolved, 3 accepted by the rule, of 5 items")
    await assert_accessible(a, "consensus review")
    items = await gql(live, kari, "query($d: ID!) { disagreements(documentId: $d) { key } }", d=doc)
    omission = items["disagreements"][4]["key"]
    await b.goto(f"{review}?item={omission}")  # as the agreement drill-down's "Resolve" links
    await tally(b, "2 open")
    await expect(b.get_by_role("heading", name="Item 5 of 5: Omission")).to_be_visible()
    await listening(live, heard_by_a, study)
    await listening(live, heard_by_b, study)

    # Kari takes the first coder's version of the boundary difference (item 2).
    await expect(a.get_by_role("heading", name="Item 2 of 5: Boundary difference")).to_be_visible()
    await decide(a, "1", "Coder one's extent is the meaning unit")
    await tally(a, "1 open, 1 resolved")
    await tally(b, "1 open, 1 resolved")  # live, with no reload
    # Bodil drops the omission (item 5), where her link opened the review.
    await decide(b, "d", "Not codable under the codebook")
    await tally(b, "0 open, 2 resolved")
    await tally(a, "0 open, 2 resolved")
    log_beside = a.get_by_role("complementary", name="Decision log")
    await expect(log_beside).to_contain_text("Not codable under the codebook")  # live
    # Kari reviews two of the rule's decisions: a union, an intersection.
    await item(a, 1)
    await reopen(a, "Check the rule's extent")
    await a.keyboard.press("u")
    await a.get_by_role("button", name="The whole meaning unit carries the code").click()
    # The union's answer comes back only once Kari has moved on to item 3 and begun
    # reopening it: it must leave her place and her focus alone.
    release = await hold(a, "ResolveItem")
    await a.get_by_label("Rationale (Enter confirms", exact=False).press("Enter")
    await item(a, 3)
    await a.keyboard.press("r")
    why = a.get_by_label("Why reopen it?", exact=False)
    await expect(why).to_be_focused()
    await release()
    await tally(a, "0 open, 3 resolved")
    await expect(why).to_be_focused()
    await expect(a.get_by_role("heading", name="Item 3 of 5")).to_be_visible()
    await a.unroute("**/graphql")
    await why.fill("Look again")
    await why.press("Enter")
    await expect(a.get_by_role("heading", name="Open", exact=True)).to_be_visible()
    await decide(a, "i", "Only the shared core carries the code")
    # Bodil sets a custom extent on item 4 ("I felt lighter"): the start handle by keys
    # (Ctrl+→ over "I", → over the space), the end handle dragged to after "felt".
    await item(b, 4)
    await reopen(b, "The phrase is shorter")
    await b.keyboard.press("c")
    custom = b.get_by_test_id("custom-extent")
    start = b.get_by_role("slider", name="Start of the custom extent")
    await start.focus()
    await start.press("Control+ArrowRight")
    await start.press("ArrowRight")
    await expect(start).to_have_attribute("aria-valuenow", str(LIGHTER + 2))
    await expect(custom).to_contain_text("Text: felt lighter")
    end = b.get_by_role("slider", name="End of the custom extent")
    spot = await b.evaluate(
        """() => {
          const strip = document.querySelector('[data-testid=compare-strip]');
          const walker = document.createTreeWalker(strip, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const at = n.textContent.indexOf(' lighter');
            if (at >= 0) {
              const range = document.createRange();
              range.setStart(n, at);
              range.setEnd(n, at + 1);
              const r = range.getBoundingClientRect();
              return { x: r.left + 1, y: r.top + r.height / 2 };
            }
          }
          return null;
        }"""
    )
    assert spot, "the strip shows the item's text"
    await end.hover()
    await b.mouse.down()
    await b.mouse.move(spot["x"], spot["y"], steps=8)
    await b.mouse.up()
    await expect(end).to_have_attribute("aria-valuenow", str(LIGHTER + 6))
    await expect(custom).to_contain_text("Text: felt")
    await assert_accessible(b, "a custom extent with its handles")
    await custom.get_by_label("Start").press("Enter")
    reason = b.get_by_label("Rationale (Enter confirms", exact=False)
    await expect(reason).to_be_focused()
    await reason.fill("Custom: the feeling, not the speaker")
    await reason.press("Enter")
    await tally(b, "0 open, 5 resolved, 0 accepted by the rule")

    # Bodil begins reopening Kari's item 2; meanwhile Kari reopens and decides it again.
    await item(b, 2)
    await b.keyboard.press("r")
    await b.get_by_label("Why reopen it?", exact=False).fill("I read it differently")
    await item(a, 2)
    await reopen(a, "Second thoughts")
    await decide(a, "2", "The second coder's extent after all")
    await tally(a, "0 open, 5 resolved")
    await b.get_by_role("button", name="Reopen", exact=True).click()
    conflict = b.get_by_test_id("conflict")
    await expect(conflict).to_contain_text("Another lead decided this item")
    await expect(conflict).to_contain_text("The second coder's extent after all")
    await expect(conflict).to_contain_text("Kari Nordby took")
    await assert_accessible(b, "the CONFLICT view")
    # Bodil decides again from what Kari decided: reopens it, then takes the union.
    await conflict.get_by_role("button", name="Decide again").click()
    again = b.get_by_label("Why reopen it?", exact=False)
    await expect(again).to_be_focused()
    await again.fill("I still read it differently")
    await again.press("Enter")
    await expect(b.get_by_role("heading", name="Open", exact=True)).to_be_visible()
    await decide(b, "u", "Both extents together")
    await tally(a, "0 open, 5 resolved")

    await a.get_by_role("button", name="Complete consensus").click()
    await expect(a.get_by_text("Consensus completed by Kari Nordby")).to_be_visible()
    progress = await gql(
        live, kari, "query($d: ID!) { consensusProgress(documentId: $d) { status } }", d=doc
    )
    assert progress["consensusProgress"]["status"] == "COMPLETED"

    # Merge two codes into a new one with the preview, then undo from the toast.
    await a.goto(f"/p/{study.project_id}/consensus")
    await a.get_by_label("Merge Seeking help > Barriers > Fear of stigma").check()
    await a.get_by_label("Merge Seeking help > Barriers > Lack of time").check()
    await a.get_by_role("button", name="Merge the 2 ticked codes").click()
    dialog = a.get_by_role("dialog", name="Merge codes")
    await dialog.get_by_label("A new code").check()
    await dialog.get_by_label("Name of the new code").fill("Barriers to seeking help")
    await dialog.get_by_role("button", name="Preview what moves").click()
    await expect(dialog.get_by_test_id("merge-preview")).to_contain_text("recoded")
    await expect(dialog.get_by_test_id("merge-preview")).to_contain_text("Consensus")
    await assert_accessible(a, "the merge preview")
    await dialog.get_by_label("Rationale (recorded in the decision log)").fill(
        "Both are barriers; one code is enough"
    )
    await dialog.get_by_role("button", name="Merge", exact=True).click()
    await a.get_by_role("button", name="Undo", exact=True).click()
    notices = a.get_by_role("region", name="Notifications")
    await expect(notices.get_by_text("Merge undone")).to_be_visible()
    codes = await gql(
        live,
        kari,
        "query($p: ID!) { project(id: $p) { codes { name status } } }",
        p=study.project_id,
    )
    states = {c["name"]: c["status"] for c in codes["project"]["codes"]}
    assert states["Fear of stigma"] == states["Lack of time"] == "ACTIVE"
    assert "Barriers to seeking help" not in states
    await assert_accessible(a, "the consensus hub")

    # A condensate with two quotes, the second moved up by keyboard.
    await a.goto(f"/p/{study.project_id}/synthesis")
    await (
        a.get_by_role("navigation", name="Categories")
        .get_by_role("button", name="Change", exact=True)
        .click()
    )
    await expect(a.get_by_role("heading", name="Afterwards > Change")).to_be_visible()
    condensate = "Afterwards we sleep again, and we say no to the extra shifts."
    await a.get_by_label("Condensate").fill(condensate)
    await expect(a.get_by_text("Not saved yet")).to_have_count(0)
    choose = a.get_by_role("button", name="Choose the quote")
    await choose.first.click()
    chosen = a.get_by_test_id("chosen-quotes").get_by_role("listitem")
    await expect(chosen).to_have_count(1)
    await choose.first.click()
    await expect(chosen).to_have_count(2)
    await chosen.nth(1).get_by_role("button", name="Quote 2 of 2").press("Alt+ArrowUp")
    await expect(chosen.nth(0).get_by_role("button", name="Quote 1 of 2")).to_be_focused()
    change = next(
        c["id"]
        for c in (
            await gql(
                live,
                kari,
                "query($p: ID!) { project(id: $p) { codes { id path } } }",
                p=study.project_id,
            )
        )["project"]["codes"]
        if c["path"] == "Afterwards > Change"
    )
    content = (
        await gql(
            live,
            kari,
            "query($c: ID!) { categoryContent(codeId: $c) { condensate quotes { id } "
            "consensusQuotes { position coding { id } } } }",
            c=change,
        )
    )["categoryContent"]
    assert content["condensate"] == condensate and len(content["quotes"]) == 2
    await assert_accessible(a, "the synthesis")

    # Finalise: read-only everywhere, with the reason, for the other lead too (live).
    await a.get_by_label("Reason (optional)").fill("Analysis closed for the paper")
    await a.get_by_role("button", name="Finalise", exact=True).click()
    await expect(a.get_by_test_id("final-banner")).to_contain_text("Analysis closed for the paper")
    await expect(b.get_by_test_id("final-banner")).to_contain_text("Analysis closed for the paper")
    await expect(b.get_by_role("button", name="Reopen this item")).to_have_count(0)
    await expect(a.get_by_label("Condensate")).to_have_attribute("readonly", "")

    log = (
        await gql(
            live, kari, "query($p: ID!) { decisionLogMarkdown(projectId: $p) }", p=study.project_id
        )
    )["decisionLogMarkdown"]
    for rationale in (
        "Coder one's extent is the meaning unit",
        "Not codable under the codebook",
        "Check the rule's extent",
        "The whole meaning unit carries the code",
        "Look again",
        "Only the shared core carries the code",
        "The phrase is shorter",
        "Custom: the feeling, not the speaker",
        "Second thoughts",
        "The second coder's extent after all",
        "I still read it differently",
        "Both extents together",
        "Both are barriers; one code is enough",
        "Undone right after merging",
        "Analysis closed for the paper",
    ):
        assert rationale in log, rationale
    for decision in (
        "took the union",
        "took the intersection",
        f"set a custom extent {LIGHTER + 2}–{LIGHTER + 6}",
        "dropped it",
        *(f"took {coder.name}'s version" for coder in study.coders.values()),
        "Reopened boundary difference",
        "Completed consensus",
        "Merged",
        "Undid the merge",
        "Finalised the project",
    ):
        assert decision in log, decision

    agreement = await gql(
        live,
        kari,
        "query($p: ID!) { agreement(projectId: $p) { coderVsConsensus { coder { id } "
        "coefficients { name value } } } }",
        p=study.project_id,
    )
    against = agreement["agreement"]["coderVsConsensus"]
    assert {c["coder"]["id"] for c in against} == {p.id for p in study.coders.values()}

    # The agreement dashboard shows each coder against the consensus reached here.
    await a.goto(f"/p/{study.project_id}/agreement")
    versus = a.get_by_role("region", name="Each coder against consensus")
    await versus.get_by_role("button", name="Table").click()
    table = versus.get_by_role("table")
    for coder in study.coders.values():
        await expect(table.get_by_role("row", name=coder.name)).to_have_count(1)
