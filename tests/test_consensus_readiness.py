"""Before consensus starts: the rule in plain words and who has not submitted; and, once a
project is final, why (the decision that made it so), for every member."""

from __future__ import annotations

from tests.support import Api
from tests.test_consensus_workflow import DOC1, start, study, submit_all

READINESS = """query($d: ID!) { consensusReadiness(documentId: $d) {
  documentId rule assignments { coder { name } status } pending { coder { name email } status }
  session { status } } }"""
RULE = """query($p: ID!) { project(id: $p) { settings { consensusRuleDescription } } }"""
SETTINGS = """mutation($p: ID!, $s: ProjectSettingsInput!) { updateProject(id: $p, settings: $s) {
  __typename } }"""
FINALIZATION = """query($p: ID!) { project(id: $p) { status
  finalization { at rationale by { email } } } }"""
FINALIZE = """mutation($p: ID!, $why: String) { finalizeProject(projectId: $p, rationale: $why) {
  __typename } }"""
UNFINALIZE = """mutation($p: ID!) { unfinalizeProject(projectId: $p, rationale: "One more pass") {
  __typename } }"""


async def test_readiness_names_who_has_not_submitted_and_the_rule(api: Api) -> None:
    s = await study(api, {1: DOC1})
    (doc,) = s.docs
    await submit_all(api, s, doc, coders="A")
    ready = (await api.gql(READINESS, {"d": doc}, as_=s.lead))["consensusReadiness"]
    assert ready["documentId"] == doc and ready["session"] is None
    assert len(ready["assignments"]) == 3
    assert sorted(p["coder"]["name"] for p in ready["pending"]) == ["Coderb", "Coderc"]
    assert ready["rule"].startswith("An item goes to the consensus layer on its own when every")
    assert "90 %" in ready["rule"]
    # The refusal to start names them too, so a forced start is a knowing one.
    refused = await start(api, s.lead, doc)
    assert refused["code"] == "CONFLICT"
    assert "(Coderb and Coderc)" in refused["message"], refused["message"]
    forced = await start(api, s.lead2, doc, force=True)
    assert forced["forced"] is True
    after = (await api.gql(READINESS, {"d": doc}, as_=s.viewer))["consensusReadiness"]
    assert after["session"] == {"status": "OPEN"}
    # The rule follows the settings, in words.
    await api.gql(
        SETTINGS,
        {"p": s.project, "s": {"consensusMinOverlap": 0.75, "consensusRequireAllCoders": False}},
        as_=s.lead,
    )
    words = (await api.gql(RULE, {"p": s.project}, as_=s.coders["A"]))["project"]["settings"]
    assert "75 %" in words["consensusRuleDescription"]
    assert "at least two coders" in words["consensusRuleDescription"]


async def test_a_coder_cannot_learn_who_else_has_submitted(api: Api) -> None:
    s = await study(api, {1: DOC1})
    (doc,) = s.docs
    await submit_all(api, s, doc, coders="B")
    body = await api.raw(READINESS, {"d": doc}, as_=s.coders["A"])
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert "Coderb" not in str(body) and (body.get("data") or {}).get("consensusReadiness") is None
    stranger = await api.person("stranger")
    assert await api.error_code(READINESS, {"d": doc}, as_=stranger) == "NOT_FOUND"


async def test_finalization_says_who_finalised_and_why_to_every_member(api: Api) -> None:
    s = await study(api, {1: DOC1})
    coder = s.coders["A"]
    open_project = (await api.gql(FINALIZATION, {"p": s.project}, as_=coder))["project"]
    assert open_project == {"status": "ACTIVE", "finalization": None}
    await api.gql(FINALIZE, {"p": s.project, "why": "Analysis closed for the paper"}, as_=s.lead)
    for who in (coder, s.viewer, s.lead2):
        seen = (await api.gql(FINALIZATION, {"p": s.project}, as_=who))["project"]
        assert seen["status"] == "FINAL"
        assert seen["finalization"]["rationale"] == "Analysis closed for the paper"
        assert seen["finalization"]["by"] == {"email": s.lead.email}
    await api.gql(UNFINALIZE, {"p": s.project}, as_=s.lead2)
    assert (await api.gql(FINALIZATION, {"p": s.project}, as_=coder))["project"][
        "finalization"
    ] is None
    # Finalised again by another lead, without a rationale: the latest decision counts.
    await api.gql(FINALIZE, {"p": s.project}, as_=s.lead2)
    again = (await api.gql(FINALIZATION, {"p": s.project}, as_=coder))["project"]["finalization"]
    assert again["rationale"] is None and again["by"] == {"email": s.lead2.email}


OVERVIEW = """query($p: ID!) { consensusOverview(projectId: $p) { documentId title assigned
  submitted progress { status open autoAccepted resolved total } } }"""


async def test_overview_says_where_each_document_stands(api: Api) -> None:
    s = await study(api, {1: DOC1, 2: {"A": [("X", 0, 10)]}})
    doc1, doc2 = s.docs
    await submit_all(api, s, doc1)
    await start(api, s.lead, doc1)
    found = (await api.gql(OVERVIEW, {"p": s.project}, as_=s.viewer))["consensusOverview"]
    assert [(d["documentId"], d["title"], d["assigned"], d["submitted"]) for d in found] == [
        (doc1, "Interview 1", 3, 3),
        (doc2, "Interview 2", 3, 0),
    ]
    assert found[0]["progress"] == {
        "status": "OPEN",
        "open": 3,
        "autoAccepted": 2,
        "resolved": 0,
        "total": 5,
    }
    assert found[1]["progress"]["status"] == "NOT_STARTED"
    assert found[1]["progress"]["total"] == 1  # coder A's lone segment, aligned live
    assert await api.error_code(OVERVIEW, {"p": s.project}, as_=s.coders["A"]) == "FORBIDDEN"
    stranger = await api.person("stranger")
    assert await api.error_code(OVERVIEW, {"p": s.project}, as_=stranger) == "NOT_FOUND"
