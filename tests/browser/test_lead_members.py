"""The members screen: invitations listed with who sent them and until when, revoked
behind a confirmation, closed ones on request with their state; and the last lead kept
(a refused role change goes back, a refused removal says why in its dialog)."""

from __future__ import annotations

import re
import secrets

from playwright.async_api import BrowserContext, expect

from tests.browser.conftest import Live, assert_accessible, log_in
from tests.browser.demo_study import DemoCopy, listening, socket_frames
from tests.support import link_token

ACCEPT = """mutation($t: String!, $n: String!, $p: String!) {
  acceptInvitation(token: $t, name: $n, password: $p) {
    __typename ... on UserError { message } } }"""
INVITATIONS = """query($p: ID!) { project(id: $p) { invitations(includeClosed: true) {
  email status } } }"""


async def test_invitations_listed_revoked_and_closed_ones_shown(
    context: BrowserContext, live: Live
) -> None:
    api = live.api
    lead, ada = await api.person("lead"), await api.person("ada")
    project = await api.project(lead, "Members study")
    await api.add_member(lead, project, ada, "CODER")
    await log_in(context, lead)
    page = await context.new_page()
    frames = socket_frames(page)
    await page.goto(f"/p/{project}/setup/members")
    await listening(live, frames, DemoCopy(project, lead, {}, {}))
    invitations = page.get_by_role("region", name="Invitations")
    await expect(invitations).to_contain_text("No open invitations.")

    new = {k: f"{k}-{secrets.token_hex(3)}@example.org" for k in ("cy", "di")}
    links = {}
    for key, role in (("cy", "CODER"), ("di", "VIEWER")):
        await page.get_by_label("Email").fill(new[key])
        await page.get_by_label("Role", exact=True).select_option(role)
        await page.get_by_role("button", name="Invite", exact=True).click()
        # The list updates at once, without a reload.
        await expect(invitations.get_by_role("rowheader", name=new[key])).to_be_visible()
        links[key] = await page.get_by_label("Invitation link").input_value()
    table = invitations.get_by_role("table", name="2 open invitations")
    row = table.get_by_role("row", name=re.compile(re.escape(new["cy"])))
    await expect(row).to_contain_text("Coder")
    await expect(row).to_contain_text(lead.name)
    await expect(row.get_by_role("cell").nth(2)).to_have_text(re.compile(r"\d{4}"))
    await expect(table.get_by_role("row", name=re.compile(re.escape(new["di"])))).to_contain_text(
        "Viewer"
    )
    await assert_accessible(page, "members with open invitations")

    # Cy accepts (the invitation page does this); the lead revokes Di's.
    accepted = await api.gql(
        ACCEPT, {"t": link_token(links["cy"]), "n": "Cy Berg", "p": secrets.token_urlsafe(14)}
    )
    assert accepted["acceptInvitation"]["__typename"] == "InvitationAccepted", accepted
    # Live: Cy is a member and no longer invited, without a reload.
    await expect(page.get_by_role("cell", name=new["cy"])).to_be_visible(timeout=15_000)
    await expect(invitations.get_by_role("rowheader", name=new["cy"])).to_have_count(0)
    await page.get_by_role("button", name=f"Revoke the invitation for {new['di']}").click()
    dialog = page.get_by_role("dialog", name=f"Revoke the invitation for {new['di']}?")
    await expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    await assert_accessible(page, "members: the revoke dialog")
    await dialog.get_by_role("button", name="Revoke").click()
    await expect(dialog).to_be_hidden()
    await expect(invitations).to_contain_text("No open invitations.")
    # The link shown for Di no longer works, so it is no longer shown.
    await expect(page.get_by_label("Invitation link")).to_have_count(0)

    await invitations.get_by_label("Show closed invitations (accepted, revoked, expired)").check()
    closed = invitations.get_by_role("table", name="3 invitations, open or closed")
    await expect(closed.get_by_role("row", name=re.compile(re.escape(new["cy"])))).to_contain_text(
        "Accepted by Cy Berg on"
    )
    await expect(closed.get_by_role("row", name=re.compile(re.escape(new["di"])))).to_contain_text(
        "Revoked on"
    )
    await expect(closed.get_by_role("button", name=re.compile("^Revoke"))).to_have_count(0)
    await assert_accessible(page, "members with closed invitations")
    states = (await api.gql(INVITATIONS, {"p": project}, as_=lead))["project"]["invitations"]
    assert {(i["email"], i["status"]) for i in states} == {
        (ada.email, "USED"),
        (new["cy"], "USED"),
        (new["di"], "REVOKED"),
    }

    # The last lead: demoting oneself is refused and the choice goes back; so is leaving.
    own = page.get_by_label(f"Role of {lead.name}")
    await own.select_option("CODER")
    members = page.get_by_role("region", name="Members")
    await expect(members.get_by_role("alert")).to_contain_text("at least one lead")
    await expect(own).to_have_value("LEAD")
    await page.get_by_role("button", name=f"Remove {lead.name}").click()
    remove = page.get_by_role("dialog", name=f"Remove {lead.name}?")
    await remove.get_by_role("button", name="Remove").click()
    await expect(remove.get_by_role("alert")).to_contain_text("at least one lead")
    await remove.get_by_role("button", name="Cancel").click()
    await expect(page.get_by_role("cell", name=lead.email)).to_be_visible()
