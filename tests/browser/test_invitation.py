"""The invitation page in Chromium against a real server: a new person makes an account
from a lead's link and lands in the project as a coder with their assignments; the same
link again, a withdrawn link and an unknown link each say so; a person who already has an
account logs in and joins; axe on each state."""

from __future__ import annotations

import re

from playwright.async_api import BrowserContext, Page, expect

from tests.browser.conftest import Live, assert_accessible, log_in
from tests.support import Api, Person, link_token

TEXT = "Interviewer: How did you reach out?\nP01: I called a colleague one evening.\n"


async def _invite(api: Api, lead: Person, project: str, email: str, role: str) -> tuple[str, str]:
    """The invitation's id and its link's path."""
    data = await api.gql(
        """mutation($p: ID!, $e: String!, $r: Role!) {
             inviteMember(projectId: $p, email: $e, role: $r) {
               ... on IssuedInvitation { link invitation { id } } } }""",
        {"p": project, "e": email, "r": role},
        as_=lead,
    )
    issued = data["inviteMember"]
    return issued["invitation"]["id"], f"/invite/{link_token(issued['link'])}"


async def _member_id(api: Api, lead: Person, project: str, email: str) -> str:
    data = await api.gql(
        "query($p: ID!) { project(id: $p) { members { user { id email } } } }",
        {"p": project},
        as_=lead,
    )
    for member in data["project"]["members"]:
        if member["user"]["email"] == email:
            found: str = member["user"]["id"]
            return found
    raise AssertionError(f"{email} is not a member")


async def _open(context: BrowserContext, path: str) -> Page:
    page = await context.new_page()
    await page.goto(path)
    return page


async def test_a_new_person_joins_as_a_coder_and_the_link_then_refuses(
    context: BrowserContext, live: Live
) -> None:
    lead = await live.api.person("lead")
    project = await live.api.project(lead, "Invitation study")
    doc = (await live.api.import_document(lead, project, TEXT, "Interview Nora"))["id"]
    email = "nora-new@example.org"
    _, path = await _invite(live.api, lead, project, email, "CODER")

    page = await _open(context, path)
    main = page.get_by_role("main")
    await expect(page.get_by_role("heading", name="Join Invitation study")).to_be_visible()
    offer = page.get_by_role("region", name="The invitation")
    await expect(offer).to_contain_text(f"Lead invites {email} to join Invitation study as a coder")
    await expect(page.get_by_text("At least 10 characters")).to_be_visible()
    await assert_accessible(page, "the invitation page")

    join = page.get_by_role("button", name="Make my account and join")
    # The two passwords differ: said next to the repeat, nothing sent.
    await main.get_by_label("Your name").fill("Nora Berg")
    await main.get_by_label("Password", exact=True).fill("a long quiet evening walk")
    await main.get_by_label("Repeat the password").fill("a long quiet evening wal")
    await join.click()
    await expect(page.get_by_text("The two passwords differ")).to_be_visible()
    await expect(main.get_by_label("Repeat the password")).to_have_attribute("aria-invalid", "true")
    # The server's rule, next to the password.
    await main.get_by_label("Password", exact=True).fill("short")
    await main.get_by_label("Repeat the password").fill("short")
    await join.click()
    await expect(page.get_by_text("A password needs at least 10 characters.")).to_be_visible()
    await expect(main.get_by_label("Password", exact=True)).to_have_attribute(
        "aria-invalid", "true"
    )
    await assert_accessible(page, "the invitation page with problems")

    await main.get_by_label("Password", exact=True).fill("a long quiet evening walk")
    await main.get_by_label("Repeat the password").fill("a long quiet evening walk")
    await join.click()
    await expect(page).to_have_url(re.compile(rf"/p/{project}$"))
    await expect(page.get_by_role("heading", name="Invitation study", level=1)).to_be_visible()
    await expect(page.get_by_text("Your role: Coder")).to_be_visible()
    await expect(page.get_by_role("button", name="Your account: Nora Berg")).to_be_visible()
    await expect(page.get_by_text("Nothing is assigned to you yet")).to_be_visible()

    # The lead assigns a document; the new coder sees it.
    nora = await _member_id(live.api, lead, project, email)
    await live.api.gql(
        "mutation($d: ID!, $u: ID!) { assignDocument(documentId: $d, userId: $u) { __typename } }",
        {"d": doc, "u": nora},
        as_=lead,
    )
    await page.reload()
    assignments = page.get_by_role("table", name="Your assignments")
    await expect(assignments.get_by_role("link", name="Interview Nora")).to_be_visible()

    # The same link again, from another browser: already used.
    other = await context.browser.new_context(base_url=live.base)  # type: ignore[union-attr]
    try:
        again = await _open(other, path)
        await expect(
            again.get_by_role("heading", name="This invitation was already used")
        ).to_be_visible()
        await expect(again.get_by_text("This invitation was already used. Log in")).to_be_visible()
        await expect(again.get_by_role("link", name="Log in")).to_be_visible()
        await expect(again.get_by_role("main").get_by_label("Your name")).to_have_count(0)
        await assert_accessible(again, "a used invitation")
    finally:
        await other.close()


async def test_withdrawn_and_unknown_links_say_so(context: BrowserContext, live: Live) -> None:
    lead = await live.api.person("lead")
    project = await live.api.project(lead, "Withdrawn study")
    invitation, path = await _invite(live.api, lead, project, "gone@example.org", "VIEWER")
    await live.api.gql(
        "mutation($i: ID!) { revokeInvitation(id: $i) { __typename } }",
        {"i": invitation},
        as_=lead,
    )
    page = await _open(context, path)
    main = page.get_by_role("main")
    await expect(page.get_by_role("heading", name="This invitation was withdrawn")).to_be_visible()
    await expect(
        page.get_by_text("withdrew this invitation. Ask them for a new one.")
    ).to_be_visible()
    await expect(main.get_by_label("Your name")).to_have_count(0)
    await assert_accessible(page, "a withdrawn invitation")

    await page.goto("/invite/no-such-token-at-all")
    await expect(
        page.get_by_role("heading", name="This invitation link is not valid")
    ).to_be_visible()
    await expect(page.get_by_text("ask the project's lead for a new one")).to_be_visible()


async def test_an_existing_account_logs_in_and_joins(context: BrowserContext, live: Live) -> None:
    lead = await live.api.person("lead")
    project = await live.api.project(lead, "Joining study")
    kim = await live.api.person("kim")
    _, path = await _invite(live.api, lead, project, kim.email, "CODER")

    page = await _open(context, path)
    main = page.get_by_role("main")
    # Trying to make a second account for the email: the page says to log in instead.
    await main.get_by_label("Your name").fill("Kim Again")
    await main.get_by_label("Password", exact=True).fill("another long passphrase")
    await main.get_by_label("Repeat the password").fill("another long passphrase")
    await page.get_by_role("button", name="Make my account and join").click()
    await expect(
        page.get_by_text(f"An account with the email {kim.email} already exists")
    ).to_be_visible()
    await assert_accessible(page, "the invitation for an existing account")
    await page.get_by_role("link", name="Log in to join").click()

    await expect(page).to_have_url(re.compile(r"/login\?next="))
    await main.get_by_label("Email").fill(kim.email)
    await main.get_by_label("Password").fill(kim.password)
    await page.get_by_role("button", name="Log in").click()

    await expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    await expect(page.get_by_text(f"You are logged in as Kim ({kim.email})")).to_be_visible()
    await assert_accessible(page, "the invitation for the logged-in account")
    await page.get_by_role("button", name="Join Joining study").click()
    await expect(page).to_have_url(re.compile(rf"/p/{project}$"))
    await expect(page.get_by_text("Your role: Coder")).to_be_visible()


async def test_another_account_is_told_the_link_is_not_theirs(
    context: BrowserContext, live: Live
) -> None:
    lead = await live.api.person("lead")
    project = await live.api.project(lead, "Mixed-up study")
    _, path = await _invite(live.api, lead, project, "someone-else@example.org", "CODER")
    await log_in(context, lead)
    page = await _open(context, path)
    main = page.get_by_role("main")
    await expect(
        page.get_by_text(f"and you are logged in as {lead.email}. Log out")
    ).to_be_visible()
    await page.get_by_role("button", name="Log out").click()
    await expect(main.get_by_label("Your name")).to_be_visible()
