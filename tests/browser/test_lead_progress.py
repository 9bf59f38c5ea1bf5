"""The lead's progress matrix: reopen a submitted assignment with a reason in a dialog,
and reveal a document before every coder submitted."""

from __future__ import annotations

import re

from playwright.async_api import BrowserContext, expect

from tests.browser.conftest import Live, assert_accessible, log_in

ASSIGN = (
    """mutation($d: ID!, $u: ID!) { assignDocument(documentId: $d, userId: $u) { __typename } }"""
)
SUBMIT = """mutation($d: ID!) { submitAssignment(documentId: $d) { __typename } }"""
STATE = """query($p: ID!) { project(id: $p) { progressMatrix { documents { title revealed
  assignments { coderId status reopenReason } } } } }"""


async def test_a_lead_reopens_with_a_reason_and_reveals(
    context: BrowserContext, live: Live
) -> None:
    api = live.api
    lead, ada, bo = await api.person("lead"), await api.person("ada"), await api.person("bo")
    project = await api.project(lead, "Progress study")
    for who in (ada, bo):
        await api.add_member(lead, project, who, "CODER")
    doc = (await api.import_document(lead, project, "P01: I phoned.\n", title="P01"))["id"]
    for who in (ada, bo):
        await api.gql(ASSIGN, {"d": doc, "u": who.id}, as_=lead)
    await api.gql(SUBMIT, {"d": doc}, as_=ada)

    await log_in(context, lead)
    page = await context.new_page()
    await page.goto(f"/p/{project}/progress")
    await page.get_by_role("button", name="Reopen P01 for Ada").click()
    dialog = page.get_by_role("dialog", name="Reopen P01 for Ada")
    await expect(dialog.get_by_label("Why (the coder sees this)")).to_be_focused()
    await assert_accessible(page, "progress: the reopen dialog")
    await dialog.get_by_label("Why (the coder sees this)").fill("Code the second turn too")
    await dialog.get_by_role("button", name="Reopen").click()
    await expect(dialog).to_be_hidden()
    cell = page.locator(f'td[data-coder="{ada.email}"]')
    await expect(cell).to_contain_text("Reopened: Code the second turn too")

    await page.get_by_role("button", name="Reveal P01").click()
    await expect(page.locator("tr", has_text="P01")).to_contain_text(
        re.compile("^(?!.*Not revealed).*Revealed")
    )
    rows = (await api.gql(STATE, {"p": project}, as_=lead))["project"]["progressMatrix"][
        "documents"
    ]
    assert rows[0]["revealed"] is True
    ada_cell = next(a for a in rows[0]["assignments"] if a["coderId"] == ada.id)
    assert (ada_cell["status"], ada_cell["reopenReason"]) == (
        "REOPENED",
        "Code the second turn too",
    )
    await assert_accessible(page, "progress")
