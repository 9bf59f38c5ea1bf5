"""What the projects screen reads: the caller's own assignments whatever the role, the
documents' titles without their text, and why a project is final."""

from __future__ import annotations

from tests.support import Api
from tests.test_blinding import assign, submit

MY_WORK = """query($p: ID!) { project(id: $p) { status
  myAssignments { documentId documentTitle coderId status }
  assignments { coderId }
  finalization { at rationale by { email } } } }"""
FINALIZE = """mutation($p: ID!, $why: String) { finalizeProject(projectId: $p, rationale: $why) {
  __typename } }"""
UNFINALIZE = """mutation($p: ID!, $why: String!) {
  unfinalizeProject(projectId: $p, rationale: $why) { __typename } }"""


async def test_my_assignments_are_the_callers_own_for_leads_and_coders(api: Api) -> None:
    lead = await api.person("lead")
    project = await api.project(lead)
    coder = await api.person("coder")
    await api.add_member(lead, project, coder, "CODER")
    first = (await api.import_document(lead, project, "One.", title="Interview one"))["id"]
    second = (await api.import_document(lead, project, "Two.", title="Interview two"))["id"]
    await assign(api, lead, first, coder)
    await assign(api, lead, second, coder)
    await assign(api, lead, second, lead)
    await submit(api, coder, first)

    seen_by_lead = (await api.gql(MY_WORK, {"p": project}, as_=lead))["project"]
    assert len(seen_by_lead["assignments"]) == 3  # a lead sees everyone's...
    assert seen_by_lead["myAssignments"] == [  # ...and their own apart
        {
            "documentId": second,
            "documentTitle": "Interview two",
            "coderId": lead.id,
            "status": "ASSIGNED",
        }
    ]
    mine = (await api.gql(MY_WORK, {"p": project}, as_=coder))["project"]["myAssignments"]
    assert {(a["documentTitle"], a["status"]) for a in mine} == {
        ("Interview one", "SUBMITTED"),
        ("Interview two", "ASSIGNED"),
    }
    assert {a["coderId"] for a in mine} == {coder.id}


async def test_finalization_says_when_who_and_why_until_unfinalised(api: Api) -> None:
    lead = await api.person("lead")
    viewer = await api.person("viewer")
    project = await api.project(lead)
    await api.add_member(lead, project, viewer, "VIEWER")
    assert (await api.gql(MY_WORK, {"p": project}, as_=viewer))["project"]["finalization"] is None

    await api.gql(FINALIZE, {"p": project, "why": "Published in BMJ Open"}, as_=lead)
    seen = (await api.gql(MY_WORK, {"p": project}, as_=viewer))["project"]
    assert seen["status"] == "FINAL"
    assert seen["finalization"]["rationale"] == "Published in BMJ Open"
    assert seen["finalization"]["by"] == {"email": lead.email}

    await api.gql(UNFINALIZE, {"p": project, "why": "A reviewer asked for a new round"}, as_=lead)
    assert (await api.gql(MY_WORK, {"p": project}, as_=viewer))["project"]["finalization"] is None
    await api.gql(FINALIZE, {"p": project, "why": None}, as_=lead)
    again = (await api.gql(MY_WORK, {"p": project}, as_=viewer))["project"]["finalization"]
    assert again["rationale"] is None  # the latest finalisation, not the first
