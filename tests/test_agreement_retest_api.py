"""Test–retest over the API: `agreement(input: {compare: ROUNDS, roundIds: [...]})`, a
coder coding the same document in a second round, per coder and pooled values that the
CLI reproduces from the run's CSV, the methods paragraph and the HTML report, blinding,
and bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from uuid import UUID

import asyncpg
import pytest

from accord.agreement.cli import main
from accord.exchange import exporting
from accord.reports import agreement
from accord.users import service as users
from tests.support import Api, Person
from tests.test_agreement_report import TEXT
from tests.test_coding_flow import code

REPORT = """query($p: ID!, $i: AgreementInput) { agreement(projectId: $p, input: $i) {
  parameters { compare rounds roundIds interval { pairs measured } coders { id name } }
  headline verdict counts { segments coderDocuments rounds } rawCsv methodsParagraph
  coefficients { name value undefinedReason }
  perCoder { key label segmentCount coders { id name }
    coefficients { name value undefinedReason } }
  perCode { label coefficients { name value } }
  perDocument { label coefficients { name value } }
  perRound { label } coderPairs { label } } }"""
APPLY = """mutation($i: ApplyCodeInput!) { applyCode(input: $i) {
  __typename ... on UserError { code message } } }"""
ASSIGN = """mutation($d: ID!, $u: ID!, $r: ID) {
  assignDocument(documentId: $d, userId: $u, roundId: $r) { __typename } }"""
SUBMIT = """mutation($d: ID!, $r: ID) { submitAssignment(documentId: $d, roundId: $r) {
  __typename ... on UserError { code message } } }"""

COLLEAGUE = TEXT.index("I called a colleague")
PHONE = TEXT.index("Then I phoned")
RELIEF = TEXT.index("I felt relieved")


async def _apply(
    api: Api, who: Person, doc: str, code_id: str, start: int, end: int, r: str | None
) -> None:
    data = await api.gql(
        APPLY,
        {"i": {"documentId": doc, "codeId": code_id, "start": start, "end": end, "roundId": r}},
        as_=who,
    )
    assert data["applyCode"]["__typename"] == "Coding", data


async def _study(api: Api, *, submit: bool = True) -> dict[str, Any]:
    """Coders b and c code one document in round Main and again in round Retest: b the
    same way twice, c differently the second time; then submit (and so reveal) it."""
    lead, b, c = await api.person("lead"), await api.person("coderb"), await api.person("coderc")
    project = await api.project(lead)
    for who in (b, c):
        await api.add_member(lead, project, who, "CODER")
    phone = (await code(api, lead, project, "Phone"))["id"]
    colleague = (await code(api, lead, project, "Colleague"))["id"]
    doc = (await api.import_document(lead, project, TEXT))["id"]
    made = await api.gql(
        """mutation($p: ID!) { createRound(projectId: $p, name: "Retest") {
             ... on Round { id } } }""",
        {"p": project},
        as_=lead,
    )
    retest = made["createRound"]["id"]
    rounds = await api.gql(
        "query($p: ID!) { project(id: $p) { rounds { id name isDefault } } }",
        {"p": project},
        as_=lead,
    )
    main_round = next(r["id"] for r in rounds["project"]["rounds"] if r["isDefault"])
    for r in (main_round, retest):
        for who in (b, c):
            await api.gql(ASSIGN, {"d": doc, "u": who.id, "r": r}, as_=lead)
    for r in (main_round, retest):
        await _apply(api, b, doc, colleague, COLLEAGUE, COLLEAGUE + 26, r)
        await _apply(api, b, doc, phone, PHONE, PHONE + 29, r)
    await _apply(api, c, doc, colleague, COLLEAGUE, COLLEAGUE + 26, main_round)
    await _apply(api, c, doc, phone, PHONE, PHONE + 29, main_round)
    await _apply(api, c, doc, colleague, PHONE, PHONE + 29, retest)
    await _apply(api, c, doc, phone, RELIEF, RELIEF + 15, retest)
    for r in (main_round, retest) if submit else ():
        for who in (b, c):
            done = await api.gql(SUBMIT, {"d": doc, "r": r}, as_=who)
            assert done["submitAssignment"]["__typename"] == "Assignment", done
    return {
        "lead": lead, "b": b, "c": c, "project": project, "doc": doc,
        "rounds": [main_round, retest],
    }  # fmt: skip


def _values(items: list[dict[str, Any]]) -> dict[str, Any]:
    # The API names coefficients in capitals; the CLI's JSON keeps the lower-case ids.
    return {c["name"].lower(): c["value"] for c in items}


async def test_each_coder_against_their_own_second_round(
    api: Api, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    s = await _study(api)
    data = await api.gql(
        REPORT,
        {"p": s["project"], "i": {"compare": "ROUNDS", "roundIds": s["rounds"]}},
        as_=s["lead"],
    )
    report = data["agreement"]
    p = report["parameters"]
    assert p["compare"] == "ROUNDS" and p["rounds"] == ["Main", "Retest"]
    assert p["roundIds"] == s["rounds"]
    assert p["interval"]["measured"] == p["interval"]["pairs"] == 2
    per_coder = {b["key"]: _values(b["coefficients"]) for b in report["perCoder"]}
    assert set(per_coder) == {s["b"].id, s["c"].id}
    assert {b["label"] for b in report["perCoder"]} == {s["b"].name, s["c"].name}
    assert per_coder[s["b"].id]["u_alpha"] == pytest.approx(1.0)  # coded the same twice
    assert per_coder[s["c"].id]["u_alpha"] < 1.0
    assert report["counts"]["rounds"] == ["Main", "Retest"]
    assert report["counts"]["coderDocuments"] == 2
    assert report["perRound"] == [] and report["coderPairs"] == []
    assert len(report["perDocument"]) == 1
    # The run's CSV, read back by the CLI with its round column, gives the same values.
    csv_path = tmp_path / "retest.csv"
    csv_path.write_text(report["rawCsv"], encoding="utf-8")
    assert report["rawCsv"].splitlines()[0] == "document,coder,code,start,end,round"
    extent = f"{s['doc']}=0:{len(TEXT)}"
    argv = ["agreement", str(csv_path), "--round-column", "round", "--extent", extent]
    assert main([*argv, "--format", "json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    pooled = {n: c["value"] for n, c in cli["pooled"]["coefficients"].items()}
    assert _values(report["coefficients"]) == pytest.approx(pooled)
    email_of = {s["b"].id: s["b"].email, s["c"].id: s["c"].email}
    for coder_id, values in per_coder.items():
        email = email_of[coder_id]
        from_cli = {n: c["value"] for n, c in cli["per_coder"][email]["coefficients"].items()}
        assert values == pytest.approx(from_cli)
    # The methods paragraph names the rounds, the interval and what was compared.
    text = report["methodsParagraph"]
    assert "Stability (test–retest, intra-coder reliability)" in text
    assert "“Main”" in text and "“Retest”" in text and "days" in text
    assert "2 coders coded the same 1 document twice" in text


@pytest.mark.parametrize("mode", ["UNITS", "SEGMENT_MATCH", "CHARACTER"])
async def test_every_unit_mode_compares_rounds(api: Api, mode: str) -> None:
    s = await _study(api)
    data = await api.gql(
        REPORT,
        {"p": s["project"], "i": {"compare": "ROUNDS", "roundIds": s["rounds"], "unitMode": mode}},
        as_=s["lead"],
    )
    report = data["agreement"]
    assert report["coefficients"]
    for item in report["perCoder"]:
        for c in item["coefficients"]:
            assert (c["value"] is None) != (c["undefinedReason"] is None), c


EXPORT_URL = """query($p: ID!, $a: AgreementInput) {
  exportUrl(projectId: $p, format: REPORT, agreement: $a) }"""


async def test_report_link_carries_the_round_comparison(api: Api) -> None:
    s = await _study(api)
    given = {"compare": "ROUNDS", "roundIds": s["rounds"]}
    url = (await api.gql(EXPORT_URL, {"p": s["project"], "a": given}, as_=s["lead"]))["exportUrl"]
    response = await api.client.get(url, headers={"authorization": f"Bearer {s['lead'].token}"})
    assert response.status_code == 200, response.text
    assert "<h2>Per coder (stability)</h2>" in response.text
    assert "“Main”" in response.text and "“Retest”" in response.text


async def test_html_report_has_the_stability_section(api: Api, pool: asyncpg.Pool) -> None:
    s = await _study(api)
    req = agreement.AgreementRequest(compare="ROUNDS", round_ids=s["rounds"])
    async with pool.acquire() as conn:
        lead = await users.user_by_email(conn, s["lead"].email)
        export = await exporting.export_project(
            conn, lead, UUID(s["project"]), "report", request=req
        )
    page = export.content.decode()
    assert "<h2>Per coder (stability)</h2>" in page
    assert s["b"].email in page and s["c"].email in page
    assert "Stability (test–retest" in page
    assert "each coder is compared with themself" in page and "Fewer than two coders" not in page
    for word in ("NaN", "Infinity", ">nan<", ">inf<"):
        assert word not in page


async def test_a_coder_compares_only_their_own_rounds(api: Api) -> None:
    s = await _study(api, submit=False)
    b, c = s["b"], s["c"]
    query = {"p": s["project"], "i": {"compare": "ROUNDS", "roundIds": s["rounds"]}}
    # Blinding is on and nothing is revealed: b's own layers are b's to read, no one else's.
    body = await api.raw(REPORT, query, as_=b)
    assert "errors" not in body, body
    assert [x["key"] for x in body["data"]["agreement"]["perCoder"]] == [b.id]
    assert body["data"]["agreement"]["parameters"]["coders"] == [{"id": b.id, "name": b.name}]
    assert c.email not in json.dumps(body)
    everyone = await api.gql(REPORT, query, as_=s["lead"])
    assert len(everyone["agreement"]["perCoder"]) == 2
    named = {"p": s["project"], "i": {**query["i"], "coderIds": [c.id]}}
    refused = await api.raw(REPORT, named, as_=b)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert c.email not in json.dumps(refused)
    # A coder with no assignment in both rounds hears so without learning anything else.
    other = await api.person("coderd")
    await api.add_member(s["lead"], s["project"], other, "CODER")
    none = await api.raw(REPORT, query, as_=other)
    assert none["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    assert "for you" in none["errors"][0]["message"]


async def test_bad_round_comparisons(api: Api) -> None:
    s = await _study(api)
    lead, project, (first, second) = s["lead"], s["project"], s["rounds"]
    cases = [
        ({"compare": "ROUNDS"}, "INVALID_INPUT"),
        ({"compare": "ROUNDS", "roundIds": [first]}, "INVALID_INPUT"),
        ({"compare": "ROUNDS", "roundIds": [first, first]}, "INVALID_INPUT"),
        ({"compare": "ROUNDS", "roundIds": [first, first.upper()]}, "INVALID_INPUT"),
        ({"compare": "ROUNDS", "roundIds": [first, second], "roundId": first}, "INVALID_INPUT"),
        ({"roundIds": [first, second]}, "INVALID_INPUT"),
        ({"compare": "ROUNDS", "roundIds": [first, "Um91bmQ6bm9wZQ=="]}, "INVALID_INPUT"),
    ]
    for given, expected in cases:
        body = await api.raw(REPORT, {"p": project, "i": given}, as_=lead)
        assert body["errors"][0]["extensions"]["code"] == expected, (given, body)
        assert body["errors"][0]["message"], given


@pytest.mark.parametrize("compare", ["CODERS", "ROUNDS"])
async def test_api_responses_hold_no_nan_or_infinity(api: Api, compare: str) -> None:
    """Every unit mode on a study where one round has no codings at all: the response
    is strict JSON and every coefficient has a value or a reason."""
    s = await _study(api, submit=False)
    lead = s["lead"]
    empty = await api.gql(
        """mutation($p: ID!) { createRound(projectId: $p, name: "Empty") {
             ... on Round { id } } }""",
        {"p": s["project"]},
        as_=lead,
    )
    empty_round = empty["createRound"]["id"]
    for who in (s["b"], s["c"]):
        await api.gql(ASSIGN, {"d": s["doc"], "u": who.id, "r": empty_round}, as_=lead)
    for mode in ("CONTINUUM", "UNITS", "SEGMENT_MATCH", "CHARACTER"):
        for rounds in ([s["rounds"][0], empty_round], s["rounds"]):
            given: dict[str, Any] = {"unitMode": mode, "bootstrap": {"resamples": 100}}
            if compare == "ROUNDS":
                given.update(compare="ROUNDS", roundIds=rounds)
            else:
                given.update(roundId=rounds[1])
            response = await api.client.post(
                "/graphql",
                json={"query": REPORT, "variables": {"p": s["project"], "i": given}},
                headers={"authorization": f"Bearer {lead.token}"},
            )
            for word in ("NaN", "Infinity"):
                assert word not in response.text, (mode, given)
            body = response.json()
            assert "errors" not in body, body
            report = body["data"]["agreement"]
            items = [report["coefficients"], *(b["coefficients"] for b in report["perCoder"])]
            for c in (c for group in items for c in group):
                assert (c["value"] is None) != (c["undefinedReason"] is None), (mode, c)
