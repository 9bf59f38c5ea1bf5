"""The codebook editor: move codes by dragging and by keyboard, a stale edit that shows
what someone else changed, and a coder's proposal adopted into the shared codebook."""

from __future__ import annotations

import re
from typing import Any

from playwright.async_api import BrowserContext, expect

from tests.browser.conftest import Live, assert_accessible, log_in
from tests.support import Api, Person

CODE = """mutation($p: ID!, $i: CodeInput!) { createCode(projectId: $p, input: $i) {
  __typename ... on Code { id version } } }"""
CODES = """query($p: ID!) { project(id: $p) { codes { id name parentId definition version
  proposedById } } }"""
UPDATE = """mutation($id: ID!, $v: Int!, $d: String!) { updateCode(id: $id, version: $v,
  input: {definition: $d}) { __typename } }"""
INDUCTIVE = """mutation($p: ID!) { updateProject(id: $p, settings: {inductiveCodes: true}) {
  __typename } }"""


async def codebook(api: Api, lead: Person, project: str) -> dict[str, dict[str, Any]]:
    data = await api.gql(CODES, {"p": project}, as_=lead)
    return {c["name"]: c for c in data["project"]["codes"]}


async def test_a_lead_moves_codes_by_drag_and_by_keyboard_and_sees_a_stale_edit(
    context: BrowserContext, live: Live
) -> None:
    api = live.api
    lead, coder = await api.person("lead"), await api.person("cy")
    project = await api.project(lead, "Codebook study")
    await api.add_member(lead, project, coder, "CODER")
    await api.gql(INDUCTIVE, {"p": project}, as_=lead)

    async def code(name: str, parent: str | None = None, codable: bool = True) -> str:
        made = await api.gql(
            CODE,
            {"p": project, "i": {"name": name, "parentId": parent, "codable": codable}},
            as_=lead,
        )
        return str(made["createCode"]["id"])

    help_ = await code("Help", codable=False)
    people = await code("People", help_, codable=False)
    await code("Colleague", people)
    services = await code("Services", codable=False)
    await code("Phone")
    proposal = await api.gql(CODE, {"p": project, "i": {"name": "Online forum"}}, as_=coder)
    assert proposal["createCode"]["__typename"] == "Code"

    await log_in(context, lead)
    page = await context.new_page()
    await page.goto(f"/p/{project}/setup/codebook")
    tree = page.get_by_role("list", name="Codebook")
    notes = page.get_by_role("region", name="Notifications")
    await expect(tree.get_by_role("button", name="Phone")).to_be_visible()
    await assert_accessible(page, "setup: codebook")

    # Drag "Phone" onto "Services".
    await tree.get_by_role("button", name="Phone").drag_to(
        tree.get_by_role("button", name=re.compile("^Services"))
    )
    await expect(notes.get_by_text("Moved Phone under Services.")).to_be_visible()
    assert (await codebook(api, lead, project))["Phone"]["parentId"] == services

    # The keyboard: Alt+← moves Colleague up beside People, Alt+→ back under it.
    colleague = tree.get_by_role("button", name="Colleague")
    await colleague.focus()
    await page.keyboard.press("Alt+ArrowLeft")
    await expect(notes.get_by_text("Moved Colleague under Help.")).to_be_visible()
    assert (await codebook(api, lead, project))["Colleague"]["parentId"] == help_
    await expect(tree.get_by_role("button", name="Colleague")).to_be_focused()
    await page.keyboard.press("Alt+ArrowRight")
    await expect(notes.get_by_text("Moved Colleague under People.")).to_be_visible()
    assert (await codebook(api, lead, project))["Colleague"]["parentId"] == people

    # A stale edit: someone changes the definition while the lead edits it.
    await tree.get_by_role("button", name="Colleague").click()
    details = page.get_by_role("form", name="Details of Colleague")
    await details.get_by_label("Definition").fill("Help from someone at work.")
    current = (await codebook(api, lead, project))["Colleague"]
    await api.gql(
        UPDATE, {"id": current["id"], "v": current["version"], "d": "A colleague helps."}, as_=lead
    )
    await details.get_by_role("button", name="Save details").click()
    alert = page.get_by_role("alert").filter(has_text="Someone changed this code")
    await expect(alert).to_contain_text("Definition: was “(empty)”, now “A colleague helps.”.")
    await assert_accessible(page, "setup: codebook with a stale edit")
    await alert.get_by_role("button", name="Apply my change to their version").click()
    await expect(notes.get_by_text("Saved Colleague.")).to_be_visible()
    assert (await codebook(api, lead, project))["Colleague"]["definition"] == (
        "Help from someone at work."
    )

    # The coder's proposal, adopted with a rationale.
    proposals = page.get_by_role("region", name=re.compile("^Proposed by coders"))
    await expect(proposals).to_contain_text("Proposed by Cy")
    await proposals.get_by_label("Rationale (for the decision log)").fill("Two coders needed it")
    await proposals.get_by_role("button", name="Adopt Online forum").click()
    await expect(
        notes.get_by_text("Adopted Online forum into the shared codebook.")
    ).to_be_visible()
    assert (await codebook(api, lead, project))["Online forum"]["proposedById"] is None
    await expect(tree.get_by_role("button", name="Online forum")).to_be_visible()
