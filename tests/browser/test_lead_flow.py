"""A lead runs a study in Chromium from an empty project to the disagreements: creates the
project, adds two coders, uploads a .docx and a .vtt, builds a three-level codebook,
auto-assigns with a seed, watches the coders' progress change live while they code,
opens the agreement dashboard (the same numbers as the `agreement` query), drills from
the worst code down to a disagreeing segment, and downloads the reliability report and
a .qdpx that validates against the REFI-QDA schema. axe checks every screen on the way."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import docx
import xmlschema
from playwright.async_api import BrowserContext, Page, expect

from tests.browser.conftest import Live, assert_accessible, log_in
from tests.support import REFI_DATA, Api, Person

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

APPLY = """mutation($i: ApplyCodeInput!) { applyCode(input: $i) {
  __typename ... on UserError { message } } }"""
SUBMIT = """mutation($d: ID!) { submitAssignment(documentId: $d) {
  __typename ... on UserError { message } } }"""
STUDY = """query($p: ID!) { project(id: $p) {
  codes { id name } documents { nodes { id title text } }
  assignments { documentId coderId } } }"""
AGREEMENT = """query($p: ID!) { agreement(projectId: $p) {
  coefficients { name value } perCode { label codeId coefficients { name value } } } }"""


def docx_file() -> bytes:
    document = docx.Document()
    for line in DOCX_TEXT:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


async def code_as(api: Api, who: Person, doc: dict[str, Any], code_id: str, phrase: str) -> None:
    start = doc["text"].index(phrase)
    data = await api.gql(
        APPLY,
        {
            "i": {
                "documentId": doc["id"],
                "codeId": code_id,
                "start": start,
                "end": start + len(phrase),
            }
        },
        as_=who,
    )
    assert data["applyCode"]["__typename"] == "Coding", data


async def set_up_by_hand(page: Page, api: Api, a: Person, b: Person, tmp: Path) -> str:
    """The lead's setup, all through the screens: project, members, documents, codebook."""
    await page.goto("/")
    await page.get_by_role("button", name="New project").click()
    dialog = page.get_by_role("dialog", name="New project")
    await dialog.get_by_label("Name").fill("Peer support, pilot")
    await dialog.get_by_role("button", name="Create project").click()
    await expect(page).to_have_url(re.compile(r"/p/[^/]+$"))
    project_id = page.url.rsplit("/", 1)[1]

    await (
        page.get_by_role("navigation", name=re.compile("project", re.I))
        .get_by_role("link", name="Setup")
        .click()
    )
    await expect(page.get_by_role("heading", name="Members", level=2)).to_be_visible()
    for coder in (a, b):
        await page.get_by_label("Email").fill(coder.email)
        await page.get_by_label("Role", exact=True).select_option("CODER")
        await page.get_by_role("button", name="Invite", exact=True).click()
        link = await page.get_by_label("Invitation link").input_value()
        joined = await api.gql(
            "mutation($t: String!) { joinByInvitation(token: $t) { __typename } }",
            {"t": link.rsplit("/", 1)[1]},
            as_=coder,
        )
        assert joined["joinByInvitation"]["__typename"] == "InvitationAccepted", joined
    await assert_accessible(page, "setup: members, an invitation link shown")
    await page.reload()
    for coder in (a, b):
        await expect(page.get_by_role("cell", name=coder.email)).to_be_visible()

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
    return project_id


async def test_a_lead_runs_a_study_from_setup_to_the_disagreements(
    context: BrowserContext, live: Live, tmp_path: Path
) -> None:
    api = live.api
    lead, a, b = await api.person("lead"), await api.person("ada"), await api.person("bo")
    await log_in(context, lead)
    page = await context.new_page()
    project_id = await set_up_by_hand(page, api, a, b, tmp_path)

    study = (await api.gql(STUDY, {"p": project_id}, as_=lead))["project"]
    docs = {d["title"]: d for d in study["documents"]["nodes"]}
    codes = {c["name"]: c["id"] for c in study["codes"]}
    assert {(x["documentId"], x["coderId"]) for x in study["assignments"]} == {
        (d["id"], p.id) for d in docs.values() for p in (a, b)
    }

    # The coders code while the lead watches the progress matrix.
    await page.goto(f"/p/{project_id}/progress")
    await expect(page.get_by_role("table")).to_be_visible()
    await assert_accessible(page, "progress")
    cell = page.locator("tr", has_text="Interview docx").locator(f'td[data-coder="{a.email}"]')
    await expect(cell).to_contain_text("Not started")
    docx_doc, vtt_doc = docs["Interview docx"], docs["Interview vtt"]
    await code_as(api, a, docx_doc, codes["Colleague"], "called a colleague")
    await expect(cell).to_contain_text("In progress, 1 coding")
    await code_as(api, b, docx_doc, codes["Colleague"], "called a colleague")
    await code_as(api, a, docx_doc, codes["Phone line"], "Then I phoned the service and waited")
    await code_as(api, b, docx_doc, codes["Phone line"], "phoned the service")
    await code_as(api, a, vtt_doc, codes["Colleague"], "My colleague drove me there")
    await code_as(api, b, vtt_doc, codes["Phone line"], "My colleague drove me there")
    for who in (a, b):
        for doc in (docx_doc, vtt_doc):
            assert (await api.gql(SUBMIT, {"d": doc["id"]}, as_=who))["submitAssignment"][
                "__typename"
            ] == "Assignment"
    await expect(cell).to_contain_text("Submitted, 2 codings")
    await expect(page.locator("tr", has_text="Interview vtt")).to_contain_text("Revealed")

    # The dashboard shows what the agreement query says.
    await page.goto(f"/p/{project_id}/agreement")
    await expect(page.get_by_role("heading", name=re.compile("^Verdict"))).to_be_visible()
    report = (await api.gql(AGREEMENT, {"p": project_id}, as_=lead))["agreement"]
    for c in report["coefficients"]:
        shown = page.locator(f'tr[data-coefficient="{c["name"]}"] [data-testid="value"]')
        await expect(shown).to_have_text(
            f"{c['value']:.3f}" if c["value"] is not None else re.compile("^undefined")
        )
    await assert_accessible(page, "the agreement dashboard")

    # From the worst code down to its disagreeing segments, side by side.
    worst = min(
        report["perCode"],
        key=lambda b: next(
            c["value"] for c in b["coefficients"] if c["name"] == "unitizing_alpha_2004"
        ),
    )
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
    await expect(item.get_by_role("blockquote").first).to_have_text("My colleague drove me there")
    resolve = item.get_by_role("link", name=re.compile("^Resolve"))
    assert re.search(
        rf"/p/{project_id}/(consensus|code)/{vtt_doc['id']}",
        await resolve.get_attribute("href") or "",
    )
    await assert_accessible(page, "the drill-down")

    async with page.expect_download() as got:
        await page.get_by_role("link", name="Download the reliability report (HTML)").click()
    html = Path(await (await got.value).path()).read_text(encoding="utf-8")
    assert "Inter-coder reliability was assessed with" in html

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
