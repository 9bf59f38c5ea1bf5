"""The agreement dashboard: its parameters live in the URL, its numbers are the
`agreement` query's for the same parameters, and it says what they leave out."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from playwright.async_api import BrowserContext, expect

from tests.browser.conftest import Live, assert_accessible, log_in
from tests.support import Api, Person

TEXTS = (
    "Interviewer: How did you get help?\n"
    "P01: I called a colleague first. Then I phoned the line.\n",
    "Interviewer: And then?\nP02: A friend drove me. My colleague phoned the office for me.\n",
    "Interviewer: Anything else?\nP03: Nobody helped at first. Later I phoned a line.\n",
)
CODE = """mutation($p: ID!, $n: String!) { createCode(projectId: $p, input: {name: $n}) {
  ... on Code { id } } }"""
ASSIGN = (
    """mutation($d: ID!, $u: ID!) { assignDocument(documentId: $d, userId: $u) { __typename } }"""
)
APPLY = """mutation($i: ApplyCodeInput!) { applyCode(input: $i) { __typename } }"""
SUBMIT = """mutation($d: ID!) { submitAssignment(documentId: $d) { __typename } }"""
REPORT = """query($p: ID!, $i: AgreementInput) { agreement(projectId: $p, input: $i) {
  coefficients { name value undefinedReason ciLow ciHigh }
  perCode { label codeId segmentCount coefficients { name value } }
  coderPairs { key } } }"""


async def study(api: Api) -> tuple[Person, list[Person], str, dict[str, str], list[str]]:
    lead = await api.person("lead")
    coders = [await api.person(n) for n in ("ada", "bo", "cy")]
    project = await api.project(lead, "Agreement study")
    for who in coders:
        await api.add_member(lead, project, who, "CODER")
    codes = {
        n: (await api.gql(CODE, {"p": project, "n": n}, as_=lead))["createCode"]["id"]
        for n in ("Colleague", "Phone")
    }
    docs = []
    for k, text in enumerate(TEXTS):
        doc = (await api.import_document(lead, project, text, title=f"P0{k + 1}"))["id"]
        docs.append(doc)
        for who in coders if k == 2 else coders[:2]:
            await api.gql(ASSIGN, {"d": doc, "u": who.id}, as_=lead)
    plan = {
        0: {
            0: [("Colleague", "called a colleague"), ("Phone", "phoned the line")],
            1: [("Colleague", "a colleague first"), ("Phone", "Then I phoned the line")],
        },
        1: {
            0: [("Colleague", "My colleague phoned"), ("Phone", "phoned the office")],
            1: [("Colleague", "A friend drove me"), ("Phone", "phoned the office for me")],
        },
        2: {
            0: [("Phone", "phoned a line")],
            1: [("Phone", "I phoned a line")],
            2: [("Colleague", "Nobody helped")],
        },
    }
    for k, by_coder in plan.items():
        for c, items in by_coder.items():
            for name, phrase in items:
                start = TEXTS[k].index(phrase)
                await api.gql(
                    APPLY,
                    {
                        "i": {
                            "documentId": docs[k],
                            "codeId": codes[name],
                            "start": start,
                            "end": start + len(phrase),
                        }
                    },
                    as_=coders[c],
                )
            await api.gql(SUBMIT, {"d": docs[k]}, as_=coders[c])
    return lead, coders, project, codes, docs


def fmt(value: Any) -> str:
    return f"{value:.3f}" if value is not None else "—"


def shown(c: dict[str, Any]) -> str:
    """A coefficient as the dashboard writes it: the value, or why there is none."""
    return fmt(c["value"]) if c["value"] is not None else f"undefined: {c['undefinedReason']}"


async def test_the_dashboard_shows_the_query_numbers_and_what_the_parameters_left_out(
    context: BrowserContext, live: Live
) -> None:
    lead, (ada, bo, _cy), project, codes, docs = await study(live.api)
    await log_in(context, lead)
    page = await context.new_page()
    query = (
        f"mode=UNITS&unit=SPEAKER_TURN&coders={ada.id},{bo.id}&documents={docs[0]},{docs[1]},{docs[2]}"
        f"&codes={codes['Phone']}&bootstrap=200&seed=3"
    )
    await page.goto(f"/p/{project}/agreement?{query}")
    await expect(page.get_by_role("heading", name=re.compile("^Verdict"))).to_be_visible()

    same = {
        "unitMode": "UNITS",
        "unitKind": "SPEAKER_TURN",
        "coderIds": [ada.id, bo.id],
        "documentIds": docs,
        "codeIds": [codes["Phone"]],
        "bootstrap": {"resamples": 200, "seed": 3},
    }
    report = (await live.api.gql(REPORT, {"p": project, "i": same}, as_=lead))["agreement"]
    for c in report["coefficients"]:
        row = page.locator(f'tr[data-coefficient="{c["name"]}"]')
        await expect(row.get_by_test_id("value")).to_have_text(shown(c))
        if c["ciLow"] is not None:
            await expect(row).to_contain_text(f"{fmt(c['ciLow'])} to {fmt(c['ciHigh'])}")

    # The parameters matter here: with every coder and code the numbers differ.
    everything = (await live.api.gql(REPORT, {"p": project, "i": None}, as_=lead))["agreement"]
    assert [c["value"] for c in everything["coefficients"]] != [
        c["value"] for c in report["coefficients"]
    ]

    # The page says what the parameters left out, and never counts it.
    covered = page.get_by_role("region", name="What these numbers cover")
    await expect(covered).to_contain_text("1 coder not chosen in the parameters. (Cy)")
    await expect(covered).to_contain_text("1 code not chosen in the parameters")
    await expect(covered).to_contain_text("(Colleague)")
    await expect(covered).to_contain_text("3 documents, 2 coders (Ada, Bo)")

    per_code = page.get_by_role("region", name="Per code, worst first")
    await per_code.get_by_role("button", name="Table").click()
    table = per_code.get_by_role("table")
    await expect(table.get_by_role("row")).to_have_count(1 + len(report["perCode"]))
    (phone,) = report["perCode"]
    key = next(c for c in phone["coefficients"] if c["name"] == "KRIPPENDORFF_ALPHA")
    row = table.get_by_role("row", name=re.compile("^Phone"))
    await expect(row).to_contain_text(fmt(key["value"]))
    await expect(row.get_by_role("cell").nth(4)).to_have_text(str(phone["segmentCount"]))
    # Drilling into the document Cy coded too shows only what the parameters kept.
    await page.get_by_role("region", name="Per document").get_by_role("link", name="P03").click()
    drill = page.locator("section.drill")
    await expect(drill.get_by_role("heading", level=3)).to_contain_text("P03")
    await expect(drill.get_by_role("article").first).to_contain_text("phoned a line")
    await expect(drill).to_contain_text("Ada")
    await expect(drill).not_to_contain_text("Cy")
    await expect(drill).not_to_contain_text("Nobody helped")
    await drill.get_by_role("link", name="Close the drill-down").click()
    await expect(drill).to_have_count(0)
    pairs = page.get_by_role("region", name="Coder pairs")
    await pairs.get_by_role("button", name="Table").click()
    await expect(pairs.get_by_role("table")).not_to_contain_text("Cy")
    await assert_accessible(page, "the agreement dashboard with a table view")

    async with page.expect_download() as got:
        await per_code.get_by_role("button", name=re.compile("^Download CSV")).click()
    rows = list(
        csv.reader(io.StringIO(Path(await (await got.value).path()).read_text("utf-8-sig")))
    )
    assert rows[0][:3] == ["Code", "Value", "CI low"]
    assert rows[1][0] == "Phone" and float(rows[1][1]) == key["value"]

    # Changing a parameter in the form changes the link, and the link reproduces the view.
    await page.get_by_label("Segment matching").check()
    await page.get_by_label("Overlap for a match (percent)").fill("50")
    await page.get_by_role("button", name="Compute agreement").click()
    await expect(page).to_have_url(re.compile(r"mode=SEGMENT_MATCH.*overlap=50"))
    await expect(page).not_to_have_url(re.compile("unit=SPEAKER_TURN"))
    matching = {
        "unitMode": "SEGMENT_MATCH",
        "overlapPercent": 50,
        "coderIds": [ada.id, bo.id],
        "documentIds": docs,
        "codeIds": [codes["Phone"]],
        "bootstrap": {"resamples": 200, "seed": 3},
    }
    report = (await live.api.gql(REPORT, {"p": project, "i": matching}, as_=lead))["agreement"]
    for c in report["coefficients"]:
        row = page.locator(f'tr[data-coefficient="{c["name"]}"]')
        await expect(row.get_by_test_id("value")).to_have_text(shown(c))
