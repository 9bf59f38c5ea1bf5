"""The reliability report and methods paragraph of a study built through the API, read as
a reviewer would: what was compared and what was left out, verdicts only where a
published threshold applies, q(α < α_min), the parameters in words, one coefficient
family per sentence, a clean headline, whole chart labels, and the report opening in
the browser with its own download link."""

from __future__ import annotations

import os
import re
from html import unescape
from typing import Any

import pytest
from playwright.async_api import async_playwright

from accord.agreement.methods import number
from tests.support import Api, Person
from tests.test_coding_flow import apply, code
from tests.test_report_html import _browser

TEXT = (
    "Interviewer: How did you find help?\n\n"
    "P01: I called a colleague first. Then I phoned the service.\n\n"
    "Interviewer: And afterwards?\n\n"
    "P01: I felt relieved, and I told my partner about it.\n"
)
LONG = "Reaching out to a trusted colleague at work before any formal service (informal)"

REPORT = """query($p: ID!, $i: AgreementInput) { agreement(projectId: $p, input: $i) {
  headline verdict methodsParagraph
  coefficients { name value verdict qBelowMin }
  perCode { label coefficients { name value verdict } } } }"""
EXPORT_URL = """query($p: ID!, $i: AgreementInput) {
  exportUrl(projectId: $p, format: REPORT, agreement: $i) }"""


class Study:
    def __init__(self, lead: Person, b: Person, c: Person, project: str, docs: list[str]):
        self.lead, self.b, self.c, self.project, self.docs = lead, b, c, project, docs


async def _assign(api: Api, lead: Person, doc: str, who: Person) -> None:
    await api.gql(
        """mutation($d: ID!, $u: ID!) {
             assignDocument(documentId: $d, userId: $u) { __typename } }""",
        {"d": doc, "u": who.id},
        as_=lead,
    )


async def _study(api: Api) -> Study:
    """Two coders on two interviews. Four more cannot be compared: C is assigned to one
    coder only, D to nobody, E to both but only one has started it, F to both and
    neither has started it (work to come, not two empty layers)."""
    lead, b, c = await api.person("lead"), await api.person("coderb"), await api.person("coderc")
    project = await api.project(lead)
    for who in (b, c):
        await api.add_member(lead, project, who, "CODER")
    cat = await code(api, lead, project, "Help-seeking", codable=False)
    grp = await code(api, lead, project, "Channels", cat["id"], codable=False)
    phone = (await code(api, lead, project, "Phone", grp["id"]))["id"]
    colleague = (await code(api, lead, project, LONG, grp["id"]))["id"]
    docs = []
    for letter in "ABCDEF":
        docs.append((await api.import_document(lead, project, TEXT, f"Interview {letter}"))["id"])
    for doc in docs[:2]:
        await _assign(api, lead, doc, b)
        await _assign(api, lead, doc, c)
    await _assign(api, lead, docs[2], b)
    for doc in docs[4:]:
        await _assign(api, lead, doc, b)
        await _assign(api, lead, doc, c)
    at = TEXT.index("I called a colleague")
    then = TEXT.index("Then I phoned")
    relieved = TEXT.index("I felt relieved")
    for doc in docs[:2]:
        await apply(api, b, doc, colleague, at, at + 26)
        await apply(api, c, doc, colleague, at, at + 24)
        await apply(api, b, doc, phone, then, then + 29)
        await apply(api, c, doc, phone, then, then + 29)
        await apply(api, b, doc, phone, relieved, relieved + 15)
    await apply(api, c, docs[0], colleague, relieved, relieved + 15)
    await apply(api, b, docs[2], phone, then, then + 29)
    await apply(api, b, docs[4], phone, then, then + 29)
    return Study(lead, b, c, project, docs)


@pytest.fixture
async def study(api: Api) -> Study:
    return await _study(api)


async def _page(api: Api, s: Study, given: dict[str, Any]) -> tuple[str, Any]:
    """The report as the API's link serves it, and the response."""
    url = (await api.gql(EXPORT_URL, {"p": s.project, "i": given}, as_=s.lead))["exportUrl"]
    response = await api.client.get(url, headers={"authorization": f"Bearer {s.lead.token}"})
    assert response.status_code == 200, response.text
    return response.text, response


def _methods(page: str) -> str:
    found = re.search(r'<p class="methods" id="methods">(.*?)</p>', page, re.S)
    assert found
    return unescape(found.group(1))


def _headline(page: str) -> str:
    """The headline's text, without its markup."""
    found = re.search(r'<p class="headline" id="headline">(.*?)</p>', page, re.S)
    assert found
    return unescape(re.sub(r"<[^>]+>", "", found.group(1)))


def _table_after(page: str, heading: str) -> dict[str, str]:
    section = page.split(f"<h2>{heading}</h2>", 1)[1].split("<h2>", 1)[0]
    return {
        unescape(k): unescape(v)
        for k, v in re.findall(r"<tr><th>(.*?)</th><td>(.*?)</td></tr>", section, re.S)
    }


async def test_only_compared_documents_are_counted_and_the_rest_are_named(
    api: Api, study: Study
) -> None:
    page, _ = await _page(api, study, {})
    methods = _methods(page)
    assert "2 coders coded 2 documents independently" in methods
    assert (
        "4 further documents were not compared, because fewer than two coders had coded "
        "them in the round: “Interview C”, “Interview D”, “Interview E” and “Interview F”."
    ) in methods
    exclusions = _table_after(page, "Units and exclusions")
    assert exclusions["Documents compared"] == "2"
    assert exclusions["Documents not compared"] == "4"
    assert exclusions["“Interview C” not compared"] == (
        "only one of the compared coders was assigned to it in this round"
    )
    assert exclusions["“Interview D” not compared"] == "no coder was assigned to it in this round"
    assert exclusions["“Interview E” not compared"] == (
        "only one of the 2 coders assigned to it in this round had started it (made a coding "
        "or submitted it)"
    )
    assert exclusions["“Interview F” not compared"] == (
        "none of the 2 coders assigned to it in this round had started it (made a coding or "
        "submitted it)"
    )
    assert exclusions["Coded segments compared"] == "11"
    assert exclusions["Coded segments on documents not compared"] == "2"
    parameters = _table_after(page, "Parameters")
    assert (
        parameters["Documents"] == "2 documents compared; 4 not compared (see Units and exclusions)"
    )
    assert "Documents</th><td class='num'>4" not in page
    # In units mode the units of the documents not compared go with them, not counted
    # again as units no two coders gave a value.
    units, _ = await _page(api, study, {"unitMode": "UNITS", "unitKind": "PARAGRAPH"})
    methods = _methods(units)
    assert "2 coders coded 2 documents independently (8 paragraphs;" in methods
    assert "gave a value there" not in methods
    # The drill-down compares the same coders: a coder who has not started a document
    # shows no "omission" there; the document is left out with the reason.
    drill = (
        await api.gql(
            """query($p: ID!) { projectDisagreements(projectId: $p) {
                 excluded { title reason } documents { title } } }""",
            {"p": study.project},
            as_=study.lead,
        )
    )["projectDisagreements"]
    assert [d["title"] for d in drill["documents"]] == ["Interview A", "Interview B"]
    assert {e["title"] for e in drill["excluded"]} == {f"Interview {x}" for x in "CDEF"}
    exclusions = _table_after(units, "Units and exclusions")
    assert exclusions["Units on the documents compared"] == "8"
    assert exclusions["Units excluded"] == "none"


@pytest.mark.parametrize("mode", ["CONTINUUM", "UNITS", "SEGMENT_MATCH", "CHARACTER"])
async def test_verdicts_only_where_a_published_threshold_applies(
    api: Api, study: Study, mode: str
) -> None:
    given = {"unitMode": mode, "unitKind": "PARAGRAPH"}
    report = (await api.gql(REPORT, {"p": study.project, "i": given}, as_=study.lead))["agreement"]
    alphas = {
        "U_ALPHA", "BINARY_U_ALPHA", "CU_ALPHA", "UNITIZING_ALPHA_2004", "K_U_ALPHA",
        "UNITS_MASI_ALPHA", "KRIPPENDORFF_ALPHA",
    }  # fmt: skip
    every = report["coefficients"] + [c for b in report["perCode"] for c in b["coefficients"]]
    if mode == "UNITS":  # per code, α beside percent agreement and the κ-like ones
        names = {c["name"] for c in every}
        assert "KRIPPENDORFF_ALPHA" in names and "PERCENT_AGREEMENT" in names
    for c in every:
        if c["name"] in alphas:
            assert c["verdict"] in {"RELIABLE", "TENTATIVE", "NOT_RELIABLE", "UNDEFINED"}
        else:
            assert c["verdict"] is None, c
    page, _ = await _page(api, study, given)
    headline = _headline(page)
    methods = _methods(page)
    if mode in ("SEGMENT_MATCH", "CHARACTER"):
        # The headline is the mode's own coefficient, shown without a verdict.
        assert report["headline"] == {"SEGMENT_MATCH": "BRENNAN_PREDIGER"}.get(mode, "COHEN_KAPPA")
        assert report["verdict"] is None
        assert "No verdict: no published reliability threshold applies to" in headline
        assert "so no verdict is given" in methods and "the result is" not in methods
    else:
        assert report["verdict"] in {"RELIABLE", "TENTATIVE", "NOT_RELIABLE"}
        assert "Verdict: " in headline
        assert "Following Krippendorff (2004, p. 241)" in methods
    overall = page.split("<h2>Overall</h2>", 1)[1].split("<h2>", 1)[0]
    assert "Verdicts are given for Krippendorff&#x27;s α and its unitizing family only" in overall
    for name, verdict_cell in re.findall(r"<tr><td>(.*?)</td>.*?<td class=\"(\w+)\">", overall):
        said_alpha = "Krippendorff" in unescape(name)
        assert (verdict_cell != "NONE") == said_alpha, (name, verdict_cell)


async def test_q_is_shown_wherever_the_bootstrap_computes_it(api: Api, study: Study) -> None:
    given = {"unitMode": "UNITS", "unitKind": "PARAGRAPH", "bootstrap": {"resamples": 300}}
    report = (await api.gql(REPORT, {"p": study.project, "i": given}, as_=study.lead))["agreement"]
    page, _ = await _page(api, study, given)
    masi = {c["name"]: c for c in report["coefficients"]}["UNITS_MASI_ALPHA"]
    assert masi["qBelowMin"] is not None
    q = f"{masi['qBelowMin']:.3f}"
    headline = _headline(page)
    assert f"q(α < 0.800) = {q}" in headline and "— —" not in headline
    assert f"the probability that it lies below 0.800 was q = {q}" in _methods(page)
    assert page.count("<th>q(α &lt; 0.800)</th>") == 2  # the overall and per-code tables
    per_code = page.split("<h2>Per code</h2>", 1)[1].split("<h2>", 1)[0]
    assert len(re.findall(r"<td class='num'>\d\.\d{3}</td><td class=\"", per_code)) >= 2
    # Without a bootstrap there is no q column at all.
    plain, _ = await _page(api, study, {"unitMode": "UNITS"})
    assert "q(α" not in plain


async def test_parameters_are_the_ones_that_applied_in_words(api: Api, study: Study) -> None:
    raw = ("unitMode", "unitKind", "minCoverage", "overlapPercent", "roundId", "codeLevel")
    continuum = _table_after((await _page(api, study, {}))[0], "Parameters")
    assert continuum["Unit of analysis"].startswith("Continuum (unitizing)")
    assert continuum["Round"] == "Main"
    assert continuum["Codes"] == "Codes, each on its own"
    assert continuum["Bootstrap"] == "none: no confidence intervals"
    assert not any("overlap" in k.lower() or "coverage" in k.lower() for k in continuum)
    units = _table_after(
        (await _page(api, study, {"unitMode": "UNITS", "unitKind": "SPEAKER_TURN",
                                  "minCoverage": 0.5, "codeLevel": "GROUP"}))[0],
        "Parameters",
    )  # fmt: skip
    assert units["Units"] == "speaker turns"
    assert (
        units["A code is present in a unit when"] == "a coder's segment covers at least 50% of it"
    )
    assert units["Codes"].startswith("Code groups")
    matching = _table_after(
        (await _page(api, study, {"unitMode": "SEGMENT_MATCH", "overlapPercent": 80}))[0],
        "Parameters",
    )
    assert matching["Segments match when"] == "they overlap by at least 80%"
    for table in (continuum, units, matching):
        assert not set(raw) & set(table)
        assert not any(re.fullmatch(r"[0-9a-f-]{36}", v) for v in table.values())


async def test_one_coefficient_family_per_sentence_each_cited(api: Api, study: Study) -> None:
    methods = _methods((await _page(api, study, {}))[0])
    sentences = re.split(r"(?<=[.)])\s+(?=[A-Z0-9])", methods)
    (headline,) = [s for s in sentences if s.startswith("Inter-coder reliability")]
    assert headline == (
        "Inter-coder reliability was assessed with Krippendorff's uα (Krippendorff, Mathet, "
        "Bouvry & Widlöcher, 2016)."
    )
    (older,) = [s for s in sentences if "α_U" in s]
    assert older.startswith("Krippendorff's α_U (Krippendorff, 2004) was ")
    assert "2016" not in older and "uα" not in older
    for sentence in sentences:
        if "uα" in sentence:
            assert "α_U" not in sentence and "(Krippendorff, 2004)" not in sentence


async def test_headline_chart_and_the_page_in_the_browser(api: Api, study: Study) -> None:
    page, response = await _page(api, study, {"bootstrap": {"resamples": 200}})
    # The API's link opens the report in the browser; its download link downloads it.
    assert response.headers["content-disposition"].startswith("inline;")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    link = re.search(r'<p class="download"><a href="([^"]+)" download>', page)
    assert link
    url = str(response.url).split("?")[0] + unescape(link.group(1))
    download = await api.client.get(url, headers={"authorization": f"Bearer {study.lead.token}"})
    assert download.headers["content-disposition"].startswith("attachment;")
    assert 'class="download"' not in download.text  # a saved file needs no download link
    report = (await api.gql(REPORT, {"p": study.project}, as_=study.lead))["agreement"]
    value = {c["name"]: c for c in report["coefficients"]}["U_ALPHA"]["value"]
    headline = _headline(page)
    assert headline.startswith(f"Krippendorff's uα (2016) = {number('u_alpha', value)}")
    assert re.search(
        r"\. Verdict: (reliable|tentative|not reliable) \(reliable at α ≥ 0\.800", headline
    )
    assert "— —" not in headline and "—" not in headline
    path = f"Help-seeking > Channels > {LONG}"
    assert path in unescape(" ".join(re.findall(r"<tspan[^>]*>([^<]*)</tspan>", page)))

    browser = _browser()
    if browser is None:
        message = "no headless Chromium on this machine (Debian: apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=browser, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            tab = await chromium.new_page(viewport={"width": 1000, "height": 900})
            await tab.set_content(page)
            labels = await tab.evaluate(
                """() => [...document.querySelectorAll('figure svg')].flatMap(svg => {
                     const box = svg.viewBox.baseVal;
                     return [...svg.querySelectorAll('text')].map(t => {
                       const b = t.getBBox();
                       return {text: [...t.querySelectorAll('tspan')].map(s => s.textContent)
                                 .join(' ') || t.textContent,
                               inside: b.x >= 0 && b.y >= 0 && b.x + b.width <= box.width
                                       && b.y + b.height <= box.height};
                     });
                   })"""
            )
        finally:
            await chromium.close()
    assert labels and all(label["inside"] for label in labels), labels
    assert any(label["text"] == path for label in labels)
