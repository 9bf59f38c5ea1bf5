"""The review's transcript and its links: the whole document with a lane per coder and one
for consensus (each named, each with its own line, each can be hidden), the current item
marked; a click on a coding's line goes to its item; `?item=<key>` opens an item, follows
the current one and survives a reload; an unknown key says so and opens the first open
item."""

from __future__ import annotations

from typing import Any

from playwright.async_api import BrowserContext, Page, expect

from tests.browser.conftest import Live, assert_accessible, log_in
from tests.browser.demo_study import demo_copy

ITEMS = """query($d: ID!) { disagreements(documentId: $d) {
  key kind segments { codingId coderId } } }"""


SEEN = """([id, inside]) => {
  const box = document.querySelector('[data-testid=review-transcript]');
  const mark = box && box.querySelector(`.pc[data-ids~="${id}"]`);
  if (!mark || box.scrollHeight <= box.clientHeight) return false;
  const a = box.getBoundingClientRect();
  const b = mark.getBoundingClientRect();
  return (b.top >= a.top && b.bottom <= a.bottom) === inside;
}"""


def current(page: Page) -> Any:
    return page.get_by_role("list", name="Items").locator("[aria-current=true]")


async def test_the_transcript_shows_every_layer_and_links_keep_the_place(
    context: BrowserContext, live: Live
) -> None:
    study = await demo_copy(live)
    doc = study.document("Interview 4")
    lead = study.lead
    items = (await live.api.gql(ITEMS, {"d": doc}, as_=lead))["disagreements"]
    kinds = [i["kind"] for i in items]
    assert kinds.count("OMISSION") == 1 and len(items) == 5, kinds
    omission = kinds.index("OMISSION")
    await live.api.gql(
        "mutation($d: ID!) { startConsensus(documentId: $d, force: false) { __typename } }",
        {"d": doc},
        as_=lead,
    )
    await log_in(context, lead)
    page = await context.new_page()
    review = f"/p/{study.project_id}/consensus/{doc}"

    # A link opens its item; the URL then follows J/K, and a reload keeps the place.
    await page.goto(f"{review}?item={items[2]['key']}")
    await expect(page.get_by_role("heading", name="Item 3 of 5:")).to_be_visible()
    marked = page.get_by_test_id("transcript-marked")
    await expect(marked).to_contain_text("Marked: item 3")
    await page.keyboard.press("j")
    await expect(page.get_by_role("heading", name="Item 4 of 5:")).to_be_visible()
    await expect(page).to_have_url(f"{live.base}{review}?item={items[3]['key']}")
    await page.reload()
    await expect(page.get_by_role("heading", name="Item 4 of 5:")).to_be_visible()
    await expect(marked).to_contain_text("Marked: item 4")

    # The transcript scrolls in a pane of its own and keeps the current item in view.
    last = f"c:{items[4]['segments'][0]['codingId']}"
    for n in (3, 2, 1):
        await page.keyboard.press("k")
        await expect(marked).to_contain_text(f"Marked: item {n}")
    await page.wait_for_function(SEEN, arg=[last, False])
    for n in (2, 3, 4, 5):
        await page.keyboard.press("j")
        await expect(marked).to_contain_text(f"Marked: item {n}")
    await page.wait_for_function(SEEN, arg=[last, True])

    # The queue's filters.
    await page.get_by_role("combobox", name="Kind").select_option(label="Omission")
    await expect(page.get_by_text("1 of 5 items shown.")).to_be_visible()
    await page.get_by_role("combobox", name="Kind").select_option(label="Any kind")
    names = [c.name for c in study.coders.values()]
    await page.get_by_role("combobox", name="Coder").select_option(label=names[1])
    await expect(page.get_by_text("5 of 5 items shown.")).to_be_visible()
    await page.get_by_role("combobox", name="Status").select_option(label="Open")
    await expect(page.get_by_text("2 of 5 items shown.")).to_be_visible()
    await page.get_by_role("combobox", name="Status").select_option(label="Any status")
    await page.get_by_role("combobox", name="Coder").select_option(label="Any coder")

    # A lane per coder and one for consensus, named in the legend with its line, and in
    # each unit's list of codings for screen readers.
    transcript = page.get_by_test_id("review-transcript")
    legend = page.get_by_role("group", name="Lanes, from the text down")
    for name in names:
        await expect(legend.get_by_role("checkbox", name=name)).to_be_checked()
        await expect(transcript.locator("li", has_text=f"({name})").first).to_be_attached()
    await expect(legend).to_contain_text("Consensus (dash-dot line)")
    await expect(transcript.locator("li", has_text="(Consensus)").first).to_be_attached()
    await assert_accessible(page, "consensus review with the transcript")
    hidden = names[0]
    await legend.get_by_role("checkbox", name=hidden).uncheck()
    await expect(transcript.locator("li", has_text=f"({hidden})")).to_have_count(0)
    await expect(transcript.locator("li", has_text=f"({names[1]})").first).to_be_attached()
    await legend.get_by_role("checkbox", name=hidden).check()
    await expect(transcript.locator("li", has_text=f"({hidden})").first).to_be_attached()

    # A click on the omission's coding in the transcript makes it the current item.
    coding = items[omission]["segments"][0]["codingId"]
    await transcript.locator(f'.pc[data-ids~="c:{coding}"]').first.click()
    await expect(current(page)).to_contain_text(f"Item {omission + 1}: Omission")
    await expect(marked).to_contain_text(f"Marked: item {omission + 1}, omission")
    await expect(page).to_have_url(f"{live.base}{review}?item={items[omission]['key']}")

    # An unknown key: a polite note, and the first open item.
    await page.goto(f"{review}?item=no-such-item")
    note = page.get_by_test_id("link-note")
    await expect(note).to_contain_text("not in this document's queue")
    await expect(note).to_have_attribute("role", "status")
    await expect(current(page)).to_contain_text("Open")
