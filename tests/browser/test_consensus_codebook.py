"""Codebook consolidation and synthesis in Chromium: split a code by sorting its codings
with keys, rename, move and retire with rationales (each in the decision log); filter a
category's quotes by a participant attribute; the coverage matrix; both screens pass axe,
the synthesis also in the dark theme."""

from __future__ import annotations

import re
from typing import Any

from playwright.async_api import BrowserContext, expect

from tests.browser.conftest import Live, assert_accessible, log_in
from tests.browser.demo_study import DemoCopy, demo_copy

CODES = "query($p: ID!) { project(id: $p) { codes { id name path status } } }"


async def codes(live: Live, study: DemoCopy) -> dict[str, dict[str, Any]]:
    data = await live.api.gql(CODES, {"p": study.project_id}, as_=study.lead)
    return {c["path"]: c for c in data["project"]["codes"]}


async def test_split_by_keys_rename_move_and_retire_with_rationales(
    context: BrowserContext, live: Live
) -> None:
    study = await demo_copy(live)
    await log_in(context, study.lead)
    page = await context.new_page()
    await page.goto(f"/p/{study.project_id}/consensus")
    await expect(page.get_by_role("heading", name="Codebook consolidation")).to_be_visible()

    await page.get_by_role("button", name="Split Afterwards > Change > Relief").click()
    panel = page.get_by_test_id("split-panel")
    await panel.get_by_label("Name of code 1").fill("Relief from talking")
    await panel.get_by_label("Name of code 2").fill("Relief in the body")
    codings = panel.get_by_role("list", name="Codings of Relief").get_by_role("button")
    await expect(panel.get_by_text(re.compile(r"^0 of \d+ codings sorted"))).to_be_visible()
    total = await codings.count()
    assert total >= 4  # both coders' layers and the consensus layer
    await codings.first.focus()
    for n in range(total):
        await page.keyboard.press("1" if n % 2 == 0 else "2")
    await expect(panel.get_by_text(f"{total} of {total} codings sorted")).to_be_visible()
    await expect(codings.filter(has_text="Into Relief in the body")).to_have_count(total // 2)
    await assert_accessible(page, "the split panel")
    await panel.get_by_label("Rationale (recorded in the decision log)").fill("Two kinds of relief")
    await panel.get_by_role("button", name="Split", exact=True).click()
    await expect(panel).to_have_count(0)
    after = await codes(live, study)
    assert after["Afterwards > Change > Relief"]["status"] == "RETIRED"
    assert "Afterwards > Change > Relief from talking" in after

    await page.get_by_role(
        "button", name="Rename Seeking help > Ways in > Colleague contact"
    ).click()
    dialog = page.get_by_role("dialog", name="Rename “Colleague contact”")
    await dialog.get_by_label("New name").fill("Contact through a colleague")
    await dialog.get_by_label("Rationale (recorded in the decision log)").fill("Clearer name")
    await dialog.get_by_role("button", name="Rename", exact=True).click()
    await expect(page.get_by_role("row", name="Contact through a colleague")).to_be_visible()

    await page.get_by_role(
        "button", name="Move The peer conversation > Setting > Confidentiality"
    ).click()
    dialog = page.get_by_role("dialog", name="Move “Confidentiality”")
    await dialog.get_by_label("New place").select_option(
        label="Under The peer conversation > What helped"
    )
    await dialog.get_by_label("Rationale (recorded in the decision log)").fill(
        "Confidentiality is part of what helped"
    )
    await dialog.get_by_role("button", name="Move", exact=True).click()
    await expect(dialog).to_be_hidden()

    await page.get_by_role("button", name="Retire Seeking help > Barriers > Lack of time").click()
    dialog = page.get_by_role("dialog", name="Retire “Lack of time”")
    await dialog.get_by_label("Rationale (recorded in the decision log)").fill("Folded into stigma")
    await dialog.get_by_role("button", name="Retire", exact=True).click()
    await expect(
        page.get_by_role("row", name="Lack of time").get_by_text("retired")
    ).to_be_visible()

    log = page.get_by_test_id("hub-decision-log")
    for text in (
        "Two kinds of relief",
        "Clearer name",
        "Confidentiality is part of what helped",
        "Folded into stigma",
    ):
        await expect(log).to_contain_text(text)
    after = await codes(live, study)
    assert "The peer conversation > What helped > Confidentiality" in after
    assert after["Seeking help > Barriers > Lack of time"]["status"] == "RETIRED"
    assert "Seeking help > Ways in > Contact through a colleague" in after
    await assert_accessible(page, "the consensus hub after consolidation")


async def test_quotes_filter_by_attribute_and_the_coverage_shows_gaps(
    context: BrowserContext, live: Live
) -> None:
    study = await demo_copy(live)
    await log_in(context, study.lead)
    page = await context.new_page()
    await page.add_init_script(
        "localStorage.setItem('accord.display', JSON.stringify({ theme: 'dark' }))"
    )
    await page.goto(f"/p/{study.project_id}/synthesis")
    await expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    # The demo's interview 1 went through consensus: P01 is a woman in general practice.
    await (
        page.get_by_role("navigation", name="Categories")
        .get_by_role("button", name="Seeking help", exact=True)
        .click()
    )
    quotes = page.get_by_role("list", name="Other consensus quotes of this category")
    await expect(quotes.get_by_role("listitem")).not_to_have_count(0)
    await page.get_by_role("combobox", name="Attribute").select_option("gender")
    await page.get_by_role("checkbox", name="M", exact=True).check()
    await expect(page.get_by_text("No other consensus codings match the filter")).to_be_visible()
    await expect(quotes.get_by_role("listitem")).to_have_count(0)
    await page.get_by_role("checkbox", name="F", exact=True).check()
    await expect(quotes.get_by_role("listitem").first).to_contain_text("P01")
    await page.get_by_role("button", name="Show all").click()

    coverage = page.get_by_test_id("coverage")
    await expect(coverage.get_by_role("row")).to_have_count(1 + len(study.documents))
    p01 = coverage.get_by_role("row", name="P01")
    await expect(p01.get_by_role("cell").first).not_to_have_text("–")
    await expect(coverage.get_by_role("row", name="P02")).to_contain_text("none")
    await page.get_by_label("Columns").select_option("GROUP")
    await expect(coverage.get_by_role("columnheader", name="Ways in")).to_be_visible()
    await assert_accessible(page, "the synthesis in the dark theme")
