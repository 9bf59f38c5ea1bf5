"""Exports and logs: the decision log, the audit log filtered as the API filters it,
finalising and opening again with a rationale; and a .qdpx imported as a new project
with its report."""

from __future__ import annotations

import re

from playwright.async_api import BrowserContext, expect

from tests.browser.conftest import Live, assert_accessible, log_in
from tests.support import REFI_DATA

CODE = """mutation($p: ID!, $n: String!) { createCode(projectId: $p, input: {name: $n}) {
  __typename } }"""
AUDIT = """query($p: ID!, $f: AuditLogFilterInput) { auditLog(projectId: $p, filter: $f) {
  totalCount } }"""
STATUS = """query($p: ID!) { project(id: $p) { status finalization { rationale } } }"""


async def test_a_lead_reads_the_logs_and_finalises_the_project(
    context: BrowserContext, live: Live
) -> None:
    api = live.api
    lead, coder = await api.person("lead"), await api.person("cy")
    project = await api.project(lead, "Logs study")
    await api.add_member(lead, project, coder, "CODER")
    for name in ("Help", "Phone"):
        await api.gql(CODE, {"p": project, "n": name}, as_=lead)
    await api.import_document(lead, project, "P01: I phoned.\n", title="P01")

    await log_in(context, lead)
    page = await context.new_page()
    await page.goto(f"/p/{project}/exports")
    decisions = page.get_by_role("region", name="Decision log")
    await expect(
        decisions.get_by_role("row", name=re.compile("Created code “Phone”"))
    ).to_be_visible()

    audit = page.get_by_role("region", name="Audit log")
    everything = (await api.gql(AUDIT, {"p": project}, as_=lead))["auditLog"]["totalCount"]
    await expect(audit.get_by_role("status")).to_have_text(f"{everything} changes match.")
    await audit.get_by_label("What").select_option(label="Codebook")
    codes = (await api.gql(AUDIT, {"p": project, "f": {"kinds": ["code"]}}, as_=lead))["auditLog"]
    assert codes["totalCount"] == 2
    await expect(audit.get_by_role("status")).to_have_text("2 changes match.")
    await expect(audit.get_by_role("listitem")).to_have_count(2)
    await expect(audit.get_by_role("listitem").first).to_contain_text(
        "Lead created a code: “Phone”."
    )
    await audit.get_by_label("What").select_option(label="Every change")
    await audit.get_by_label("Who").select_option(label="Cy")
    # Cy's own changes: joining the project through the invitation.
    by_cy = (await api.gql(AUDIT, {"p": project, "f": {"actorId": coder.id}}, as_=lead))["auditLog"]
    assert 0 < by_cy["totalCount"] < everything
    await expect(audit.get_by_role("status")).to_have_text(f"{by_cy['totalCount']} changes match.")
    await assert_accessible(page, "exports and logs")

    await page.get_by_label("Rationale (optional, goes to the audit log)").fill("Analysis done")
    await page.get_by_role("button", name="Finalise the project").click()
    await expect(page.get_by_role("heading", name="The project is final")).to_be_visible()
    await expect(page.get_by_text("Rationale: “Analysis done”.")).to_be_visible()
    assert (await api.gql(STATUS, {"p": project}, as_=lead))["project"]["status"] == "FINAL"
    reopen = page.get_by_role("button", name="Open the project again")
    await expect(reopen).to_be_disabled()
    await page.get_by_label(re.compile("^Why open it again")).fill("A reviewer asked for a change")
    await reopen.click()
    await expect(page.get_by_role("heading", name="Finalise the project")).to_be_visible()
    assert (await api.gql(STATUS, {"p": project}, as_=lead))["project"]["status"] != "FINAL"


async def test_a_qdpx_becomes_a_project_with_the_import_report(
    context: BrowserContext, live: Live
) -> None:
    lead = await live.api.person("lead")
    await log_in(context, lead)
    page = await context.new_page()
    await page.goto("/")
    await page.get_by_role("link", name="Import a .qdpx project").click()
    await expect(page.get_by_role("heading", name="Import a project", level=1)).to_be_focused()
    await page.get_by_label("Project file (.qdpx)").set_input_files(
        REFI_DATA / "atlasti-8.4-testproject.qdpx"
    )
    await page.get_by_role("button", name="Import", exact=True).click()
    report = page.get_by_role("region", name=re.compile("^Imported"))
    await expect(report).to_contain_text("Came in:")
    await expect(report).to_contain_text(re.compile(r"\d+ documents"))
    # The file's texts are missing from the archive: what was lost comes first, loudly.
    await expect(report.get_by_role("heading", level=2)).to_have_text(
        re.compile("without 16 of its codings$")
    )
    lost = report.get_by_role("alert")
    await expect(lost).to_contain_text("LOST: 16 of the 16 codings in the file do not come in.")
    await expect(lost).to_contain_text("on time spans in a video source")
    await assert_accessible(page, "import a project")
    await report.get_by_role("link", name="Open the project").click()
    await expect(page).to_have_url(re.compile(r"/p/[^/]+$"))
    await expect(page.get_by_role("heading", level=1)).to_contain_text("ATLAS.ti")
