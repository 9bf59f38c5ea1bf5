"""A lead runs a study in Chromium from an empty project to the disagreements, with two
coders in browsers of their own: the lead creates the project and invites the coders, who
set their passwords through the links; uploads a .docx and a .vtt, builds a three-level
codebook and auto-assigns with a seed; watches the coders' progress change live while they
code in the workspace by keyboard; opens the agreement dashboard once both submitted (the
same numbers as the `agreement` query), drills from the worst code down to a disagreeing
segment and its "Resolve" link, and downloads the reliability report and a .qdpx that
validates against the REFI-QDA schema. axe checks every screen on the way."""

from __future__ import annotations

import io
import re
import secrets
import zipfile
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import xmlschema
from playwright.async_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import Live, assert_accessible, log_in
from tests.browser.demo_study import DemoCopy, listening, socket_frames
from tests.browser.test_workspace import STATUS, _apply_by_search, _select_turn
from tests.support import REFI_DATA

DOCX_TEXT = (
    "Interviewer: How did you get help?",
    "P01: I called a colleague first. Then I phoned the service and waited for an answer.",
)
VTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
<v Interviewer>What happened next?

00:00:04.500 --> 00:00:11.000
<v P02>My colleague drove me there. Later a friend phoned the office for me.
"""

STUDY = """query($p: ID!) { project(id: $p) {
  members { role user { id email } }
  documents { nodes { id title } }
  assignments { documentId coderId } } }"""
AGREEMENT = """query($p: ID!) { agreement(projectId: $p) {
  coefficients { name value undefinedReason }
  perCode { label codeId coefficients { name value } } } }"""
# What each coder codes, by keyboard: the second turn of each document, with these codes.
PLAN = {
    "ada": {"Interview docx": ("Colleague", "Phone line"), "Interview vtt": ("Colleague",)},
    "bo": {"Interview docx": ("Colleague",), "Interview vtt": ("Phone line",)},
}


@dataclass
class Coder:
    key: str
    name: str
    email: str
    page: Page


def docx_file() -> bytes:
    document = docx.Document()
    for line in DOCX_TEXT:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


async def new_project(page: Page) -> str:
    await page.goto("/")
    await page.get_by_role("button", name="New project").click()
    dialog = page.get_by_role("dialog", name="New project")
    await dialog.get_by_label("Name").fill("Peer support, pilot")
    await dialog.get_by_role("button", name="Create project").click()
    await expect(page).to_have_url(re.compile(r"/p/[^/]+$"))
    await (
        page.get_by_role("navigation", name=re.compile("project", re.I))
        .get_by_role("link", name="Setup")
        .click()
    )
    await expect(page.get_by_role("heading", name="Members", level=2)).to_be_visible()
    return page.url.split("/p/", 1)[1].split("/", 1)[0]


async def invite(page: Page, emails: list[str]) -> dict[str, str]:
    """Each email invited as a coder on the members screen; their links, by email."""
    links = {}
    invitations = page.get_by_role("region", name="Invitations")
    for email in emails:
        await page.get_by_label("Email").fill(email)
        await page.get_by_label("Role", exact=True).select_option("CODER")
        await page.get_by_role("button", name="Invite", exact=True).click()
        await expect(invitations.get_by_role("rowheader", name=email)).to_be_visible()
        links[email] = await page.get_by_label("Invitation link").input_value()
    await expect(invitations.get_by_role("table", name="2 open invitations")).to_be_visible()
    await assert_accessible(page, "setup: members, with open invitations")
    return links


async def join(context: BrowserContext, link: str, name: str, project_id: str, axe: bool) -> Page:
    """The invited coder opens the link in their own browser and sets a password."""
    page = await context.new_page()
    await page.goto("/invite/" + link.rstrip("/").rsplit("/", 1)[1])
    main = page.get_by_role("main")
    await expect(page.get_by_role("heading", name="Join Peer support, pilot")).to_be_visible()
    if axe:
        await assert_accessible(page, "the invitation page")
    password = secrets.token_urlsafe(14)
    await main.get_by_label("Your name").fill(name)
    await main.get_by_label("Password", exact=True).fill(password)
    await main.get_by_label("Repeat the password").fill(password)
    await page.get_by_role("button", name="Make my account and join").click()
    await expect(page).to_have_url(re.compile(rf"/p/{project_id}$"))
    await expect(page.get_by_text("Your role: Coder")).to_be_visible()
    return page


async def documents_codebook_rounds(page: Page, tmp: Path) -> None:
    """The rest of the lead's setup, all through the screens."""
    await page.get_by_role("link", name="Documents").click()
    (tmp / "Interview docx.docx").write_bytes(docx_file())
    (tmp / "Interview vtt.vtt").write_text(VTT, encoding="utf-8")
    await page.get_by_label(re.compile("^Files")).set_input_files(
        [tmp / "Interview docx.docx", tmp / "Interview vtt.vtt"]
    )
    await page.get_by_role("button", name="Import", exact=True).click()
    await expect(page.get_by_role("rowheader", name="Interview vtt")).to_be_visible()
    await expect(page.get_by_role("rowheader", name="Interview docx")).to_be_visible()
    await expect(page.get_by_text("Nothing was skipped.")).to_have_count(2)
    await expect(page.get_by_text("Came in: 1 document, 2 speaker turns.")).to_be_visible()
    await page.get_by_role("button", name="Units of Interview vtt").click()
    await expect(page.get_by_text("speaker turn 2, P02, 0:04")).to_be_visible()
    await assert_accessible(page, "setup: documents")

    await page.get_by_role("link", name="Codebook").click()
    form = page.get_by_role("form", name="Add a code")
    for name, under, heading in (
        ("Help", None, True),
        ("People", "Help", True),
        ("Colleague", "Help > People", False),
        ("Phone line", "Help > People", False),
    ):
        await form.get_by_label("Name").fill(name)
        await form.get_by_label("Under").select_option(label=under or "The top level")
        await form.get_by_label(
            "A heading (category or group)" if heading else "A code coders apply"
        ).check()
        await form.get_by_role("button", name="Add").click()
        await expect(
            page.get_by_role("list", name="Codebook").get_by_role(
                "button", name=re.compile(f"^{name}")
            )
        ).to_be_visible()
    await assert_accessible(page, "setup: codebook")

    await page.get_by_role("link", name="Rounds and assignments").click()
    await page.get_by_label("Seed").fill("7")
    await page.get_by_role("button", name="Auto-assign with seed 7").click()
    await expect(page.get_by_test_id("auto-assign-result")).to_contain_text(
        "4 assignments with seed 7"
    )
    await assert_accessible(page, "setup: rounds and assignments")


async def code_and_submit(coder: Coder, project_id: str, title: str, lead: Page) -> None:
    """The coder opens the document from their project page, codes its second turn by
    keyboard and submits; the lead's open progress page follows without a reload."""
    page = coder.page
    cell = lead.locator("tr", has_text=title).locator(f'td[data-coder="{coder.email}"]')
    await expect(cell).to_contain_text("Not started")
    await page.goto(f"/p/{project_id}")
    await page.get_by_role("table", name="Your assignments").get_by_role("link", name=title).click()
    await expect(page.locator(".workspace[data-drawn=yes]")).to_be_visible()
    codes = PLAN[coder.key][title]
    await _select_turn(page, 2)
    for code in codes:
        await _apply_by_search(page, code)
    await expect(page.locator(STATUS)).to_contain_text("Saved")
    n = len(codes)
    # Live: the lead's page hears it through its subscription (a busy machine may be slow).
    await expect(cell).to_contain_text(
        f"In progress, {n} coding{'s' if n > 1 else ''}", timeout=15_000
    )
    await page.get_by_role("button", name="Submit…").click()
    await page.get_by_role("dialog").get_by_role("button", name="Submit", exact=True).click()
    await expect(page.get_by_text("You submitted this document.")).to_be_visible()
    await expect(cell).to_contain_text(f"Submitted, {n} coding", timeout=15_000)


async def test_a_lead_runs_a_study_with_two_coders_from_invitations_to_the_disagreements(
    browser: Browser, context: BrowserContext, live: Live, tmp_path: Path
) -> None:
    api = live.api
    lead = await api.person("lead")
    await log_in(context, lead)
    page = await context.new_page()
    frames = socket_frames(page)
    project_id = await new_project(page)
    names = {"ada": "Ada Lund", "bo": "Bo Dahl"}
    emails = {k: f"{k}-{secrets.token_hex(3)}@example.org" for k in names}
    links = await invite(page, list(emails.values()))
    probe = DemoCopy(project_id, lead, {}, {})
    await listening(live, frames, probe)

    async with AsyncExitStack() as stack:
        coders = {}
        for k, name in names.items():
            ctx = await browser.new_context(
                base_url=live.base, viewport={"width": 1280, "height": 800}
            )
            ctx.set_default_timeout(15_000)
            stack.push_async_callback(ctx.close)
            coder_page = await join(ctx, links[emails[k]], name, project_id, axe=k == "ada")
            coders[k] = Coder(k, name, emails[k], coder_page)

        # The members screen follows without a reload.
        for email in emails.values():
            await expect(page.get_by_role("cell", name=email)).to_be_visible()
        await expect(page.get_by_role("region", name="Invitations")).to_contain_text(
            "No open invitations."
        )
        await documents_codebook_rounds(page, tmp_path)

        study = (await api.gql(STUDY, {"p": project_id}, as_=lead))["project"]
        ids = {m["user"]["email"]: m["user"]["id"] for m in study["members"]}
        assert {x["coderId"] for x in study["assignments"]} == {ids[e] for e in emails.values()}
        assert len(study["assignments"]) == 4
        docs = {d["title"]: d["id"] for d in study["documents"]["nodes"]}

        # The coders code while the lead watches the progress matrix.
        frames = socket_frames(page)
        await page.goto(f"/p/{project_id}/progress")
        await expect(page.get_by_role("table")).to_be_visible()
        await listening(live, frames, probe)
        await assert_accessible(page, "progress")
        for k in ("ada", "bo"):
            for title in ("Interview docx", "Interview vtt"):
                await code_and_submit(coders[k], project_id, title, page)
            if k == "ada":
                await assert_accessible(coders[k].page, "the coder's workspace, submitted")
        for title in ("Interview docx", "Interview vtt"):
            await expect(page.locator("tr", has_text=title)).to_contain_text(
                re.compile("^(?!.*Not revealed).*Revealed"), timeout=15_000
            )

    # The dashboard shows what the agreement query says.
    await page.goto(f"/p/{project_id}/agreement")
    await expect(page.get_by_role("heading", name=re.compile("^Verdict"))).to_be_visible()
    report = (await api.gql(AGREEMENT, {"p": project_id}, as_=lead))["agreement"]
    for c in report["coefficients"]:
        shown = page.locator(f'tr[data-coefficient="{c["name"]}"] [data-testid="value"]')
        await expect(shown).to_have_text(
            f"{c['value']:.3f}" if c["value"] is not None else f"undefined: {c['undefinedReason']}"
        )
    await assert_accessible(page, "the agreement dashboard")

    # From the worst code down to its disagreeing segments, side by side.
    def value(b: dict[str, Any]) -> float:
        found = next(c["value"] for c in b["coefficients"] if c["name"] == "UNITIZING_ALPHA_2004")
        assert found is not None, report
        return float(found)

    worst = min(report["perCode"], key=value)
    first = page.locator('section[aria-labelledby="per-code-title"] svg a').first
    await expect(first).to_contain_text(worst["label"].split(" > ")[-1])
    # By keyboard: the chart's rows are links.
    await first.focus()
    await page.keyboard.press("Enter")
    await expect(
        page.get_by_role("heading", name=f"Disagreements on ‘{worst['label']}’")
    ).to_be_focused()
    await page.locator("section.drill").get_by_role("link", name="Interview vtt").click()
    item = page.get_by_role("article").first
    await expect(item).to_contain_text("Code difference")
    await expect(item.get_by_role("blockquote")).to_have_count(2)
    await expect(item.get_by_role("blockquote").first).to_contain_text(
        "My colleague drove me there"
    )
    resolve = item.get_by_role("link", name=re.compile("^Resolve"))
    assert re.search(
        rf"/p/{project_id}/(consensus|code)/{docs['Interview vtt']}",
        await resolve.get_attribute("href") or "",
    )
    await assert_accessible(page, "the drill-down")

    async with page.expect_download() as got:
        await page.get_by_role("link", name="Download the reliability report (HTML)").click()
    html = Path(await (await got.value).path()).read_text(encoding="utf-8")
    assert "Inter-coder reliability was assessed with" in html

    # "Resolve" opens the document's consensus review at that disagreement.
    await resolve.click()
    await expect(page.get_by_role("heading", name="Consensus: Interview vtt")).to_be_visible()
    await page.get_by_role("button", name="Start consensus").click()
    await expect(
        page.get_by_role("heading", name=re.compile(r"^Item \d+ of \d+: Code difference"))
    ).to_be_visible()

    await page.goto(f"/p/{project_id}/exports")
    await page.get_by_label("UTF-16 units, for NVivo").check()
    async with page.expect_download() as got:
        await page.get_by_role("link", name="Download the .qdpx").click()
    download = await got.value
    assert download.suggested_filename.endswith(".qdpx")
    schema = xmlschema.XMLSchema(str(REFI_DATA / "Project.xsd"))
    with zipfile.ZipFile(await download.path()) as archive:
        schema.validate(archive.read("project.qde").decode())
    await assert_accessible(page, "exports and logs")
