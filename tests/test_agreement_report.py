"""The GraphQL agreement report: every unit mode and code level, and blinding."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import Api, Person
from tests.test_coding_flow import apply, code

TEXT = (
    "Interviewer: How did you find help?\n\n"
    "P01: I called a colleague first. Then I phoned the service.\n\n"
    "Interviewer: And afterwards?\n\n"
    "P01: I felt relieved, and I told my partner about it.\n"
)

REPORT = """query($p: ID!, $i: AgreementInput) { agreement(projectId: $p, input: $i) {
  parameters { unitMode codeLevel bootstrap { resamples seed method } coders { id name } }
  headline verdict alphaMin rawCsv
  counts { documents coders { id } segments units unitsUsed unitsExcluded }
  coefficients { name value undefinedReason ciLow ciHigh verdict }
  perCode { key label coefficients { name value } }
  perDocument { label coefficients { name value } }
  perRound { label coefficients { name value undefinedReason } }
  coderPairs { key label coders { id name } coefficients { name value } } } }"""


async def _study(api: Api) -> tuple[Person, Person, Person, str, str, dict[str, str]]:
    lead, b, c = await api.person("lead"), await api.person("coderb"), await api.person("coderc")
    project = await api.project(lead)
    for who in (b, c):
        await api.add_member(lead, project, who, "CODER")
    cat = await code(api, lead, project, "Help-seeking", codable=False)
    grp = await code(api, lead, project, "Channels", cat["id"], codable=False)
    ids = {
        "phone": (await code(api, lead, project, "Phone", grp["id"]))["id"],
        "colleague": (await code(api, lead, project, "Colleague", grp["id"]))["id"],
    }
    doc = (await api.import_document(lead, project, TEXT))["id"]
    for who in (b, c):
        await api.gql(
            """mutation($d: ID!, $u: ID!) {
                 assignDocument(documentId: $d, userId: $u) { __typename } }""",
            {"d": doc, "u": who.id},
            as_=lead,
        )
    return lead, b, c, project, doc, ids


async def _code_both(api: Api, b: Person, c: Person, doc: str, ids: dict[str, str]) -> None:
    colleague = TEXT.index("I called a colleague")
    phone = TEXT.index("Then I phoned")
    await apply(api, b, doc, ids["colleague"], colleague, colleague + 26)
    await apply(api, c, doc, ids["colleague"], colleague, colleague + 26)
    await apply(api, b, doc, ids["phone"], phone, phone + 29)
    await apply(api, c, doc, ids["colleague"], phone, phone + 29)  # a code difference


@pytest.mark.parametrize("mode", ["CONTINUUM", "UNITS", "SEGMENT_MATCH", "CHARACTER"])
@pytest.mark.parametrize("level", ["CODE", "GROUP", "CATEGORY"])
async def test_every_mode_and_level(api: Api, mode: str, level: str) -> None:
    lead, b, c, project, doc, ids = await _study(api)
    await _code_both(api, b, c, doc, ids)
    data = await api.gql(
        REPORT,
        {"p": project, "i": {"unitMode": mode, "codeLevel": level, "unitKind": "SPEAKER_TURN"}},
        as_=lead,
    )
    report: dict[str, Any] = data["agreement"]
    assert report["parameters"]["unitMode"] == mode
    assert report["parameters"]["codeLevel"] == level
    assert report["coefficients"], report
    if mode in ("CONTINUUM", "UNITS"):  # an α of Krippendorff's family leads
        assert report["verdict"] in {"RELIABLE", "TENTATIVE", "NOT_RELIABLE", "UNDEFINED"}
    else:  # no published threshold applies to Brennan–Prediger or Cohen's κ
        assert report["verdict"] is None
    labels = {p["label"] for p in report["perCode"]}
    if level == "CODE":
        assert labels == {"Help-seeking > Channels > Phone", "Help-seeking > Channels > Colleague"}
    elif level == "GROUP":
        assert labels == {"Help-seeking > Channels"}
    else:
        assert labels == {"Help-seeking"}
    # Coder pairs name their users, never their email addresses.
    (pair,) = report["coderPairs"]
    assert pair["label"] in {f"{b.name} × {c.name}", f"{c.name} × {b.name}"}
    assert b.email not in str(pair) and c.email not in str(pair)
    assert pair["key"] == "|".join(u["id"] for u in pair["coders"])
    assert {u["id"] for u in pair["coders"]} == {b.id, c.id}
    assert {u["id"] for u in report["parameters"]["coders"]} == {b.id, c.id}
    assert report["counts"]["documents"] == 1 and report["counts"]["segments"] == 4
    assert report["rawCsv"].splitlines()[0] == "document,coder,code,start,end"
    assert len(report["rawCsv"].splitlines()) == 5


async def test_category_level_agrees_fully_where_codes_differ_within_it(api: Api) -> None:
    lead, b, c, project, doc, ids = await _study(api)
    await _code_both(api, b, c, doc, ids)
    by_code = await api.gql(REPORT, {"p": project, "i": {"unitMode": "SEGMENT_MATCH"}}, as_=lead)
    by_category = await api.gql(
        REPORT,
        {"p": project, "i": {"unitMode": "SEGMENT_MATCH", "codeLevel": "CATEGORY"}},
        as_=lead,
    )

    def pct(report: dict[str, Any]) -> float:
        values = {c["name"]: c["value"] for c in report["agreement"]["coefficients"]}
        return float(values["PERCENT_AGREEMENT"])

    assert pct(by_category) == 1.0
    assert pct(by_code) < 1.0


async def test_bootstrap_gives_a_confidence_interval(api: Api) -> None:
    lead, b, c, project, doc, ids = await _study(api)
    await _code_both(api, b, c, doc, ids)
    data = await api.gql(
        REPORT,
        {"p": project, "i": {"unitMode": "UNITS", "bootstrap": {"resamples": 500, "seed": 7}}},
        as_=lead,
    )
    assert data["agreement"]["parameters"]["bootstrap"] == {
        "resamples": 500,
        "seed": 7,
        "method": "BOOTSTRAP_PAIRS",
    }
    counts = data["agreement"]["counts"]
    assert counts["unitsUsed"] + counts["unitsExcluded"] == counts["units"]
    overall = {c["name"]: c for c in data["agreement"]["coefficients"]}["UNITS_MASI_ALPHA"]
    assert overall["value"] is not None, overall
    assert overall["ciLow"] is not None and overall["ciHigh"] is not None
    assert overall["ciLow"] <= overall["value"] <= overall["ciHigh"]


async def test_a_blinded_coder_cannot_use_the_report_on_unrevealed_work(api: Api) -> None:
    lead, b, c, project, doc, ids = await _study(api)
    await _code_both(api, b, c, doc, ids)
    named = await api.raw(REPORT, {"p": project, "i": {"documentIds": [doc]}}, as_=b)
    assert named["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    unnamed = await api.raw(REPORT, {"p": project}, as_=b)
    assert unnamed["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    assert "revealed" in unnamed["errors"][0]["message"]
    await api.gql(
        "mutation($d: ID!) { revealDocument(documentId: $d) { __typename } }", {"d": doc}, as_=lead
    )
    after = await api.gql(REPORT, {"p": project, "i": {"documentIds": [doc]}}, as_=b)
    assert after["agreement"]["coefficients"]


async def test_outsiders_and_bad_parameters(api: Api) -> None:
    lead, _b, _c, project, _doc, _ids = await _study(api)
    outsider = await api.person("outsider")
    body = await api.raw(REPORT, {"p": project}, as_=outsider)
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    bad = await api.raw(REPORT, {"p": project, "i": {"minCoverage": 2.0}}, as_=lead)
    assert bad["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


async def test_per_round_reports_every_round(api: Api) -> None:
    lead, b, c, project, doc, ids = await _study(api)
    await _code_both(api, b, c, doc, ids)
    made = await api.gql(
        """mutation($p: ID!) { createRound(projectId: $p, name: "Calibration 1") {
             ... on Round { id } } }""",
        {"p": project},
        as_=lead,
    )
    calibration = made["createRound"]["id"]
    await api.gql(
        """mutation($d: ID!, $u: ID!, $r: ID) {
             assignDocument(documentId: $d, userId: $u, roundId: $r) { __typename } }""",
        {"d": doc, "u": b.id, "r": calibration},
        as_=lead,
    )
    data = await api.gql(REPORT, {"p": project, "i": {"unitMode": "SEGMENT_MATCH"}}, as_=lead)
    rounds = {r["label"]: r["coefficients"] for r in data["agreement"]["perRound"]}
    assert set(rounds) == {"Main", "Calibration 1"}
    assert any(c["value"] is not None for c in rounds["Main"])
    # One coder in the calibration round: undefined, with the reason, not a failure.
    only = rounds["Calibration 1"]
    assert [c["value"] for c in only] == [None]
