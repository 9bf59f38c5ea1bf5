"""Two leads at once: every consensus, codebook and synthesis decision one makes reaches
the other's projectEvents live, which is what the consensus screens refetch on."""

from __future__ import annotations

from typing import Any

from tests.support import Api
from tests.test_consensus_workflow import DOC1, REOPEN, items, resolve, start, study, submit_all
from tests.test_subscriptions import connect, next_event, subscribe, ws_app  # noqa: F401

MERGE = """mutation($s: [ID!]!, $t: CodeTargetInput!) { mergeCodes(sourceIds: $s, target: $t,
  rationale: "Same meaning") { __typename ... on CodeMerge { eventId } } }"""
UNDO = """mutation($e: ID!) { undoMerge(eventId: $e) { __typename } }"""
CONDENSATE = """mutation($c: ID!) { setCondensate(codeId: $c, text: "Vi ringte.", version: 0) {
  __typename } }"""
FINALIZE = """mutation($p: ID!) { finalizeProject(projectId: $p, rationale: "Done") {
  __typename } }"""


async def test_a_lead_hears_every_decision_of_another_lead(api: Api, ws_app: Any) -> None:  # noqa: F811
    s = await study(api, {1: DOC1})
    (doc,) = s.docs
    await submit_all(api, s, doc)
    async with connect(ws_app, {"authorization": f"Bearer {s.lead2.token}"}) as ws:
        await subscribe(ws, api, s.lead2, s.project)

        async def heard(kind: str) -> dict[str, Any]:
            event = await next_event(ws)
            while event["kind"] != kind:
                event = await next_event(ws)
            return event

        await start(api, s.lead, doc)
        assert (await heard("consensus.started"))["documentId"] == doc
        item = next(i for i in await items(api, s.lead, doc) if i["status"] == "OPEN")
        decided = await resolve(api, s.lead, item, {"action": "UNION"}, "Both readings hold")
        event = await heard("consensus.resolved")
        assert event["after"]["itemId"] == item["id"]
        assert event["after"]["rationale"] == "Both readings hold"
        assert event["actor"]["email"] == s.lead.email
        await api.gql(REOPEN, {"i": item["id"], "v": decided["version"]}, as_=s.lead)
        assert (await heard("consensus.reopened"))["after"]["status"] == "OPEN"
        merged = await api.gql(
            MERGE, {"s": [s.codes["Y"]], "t": {"codeId": s.codes["X"]}}, as_=s.lead
        )
        assert (await heard("code.merged"))["after"]["rationale"] == "Same meaning"
        await api.gql(UNDO, {"e": merged["mergeCodes"]["eventId"]}, as_=s.lead)
        await heard("code.merge_undone")
        heading = await api.gql(
            """query($p: ID!) { project(id: $p) { codebook { id } } }""",
            {"p": s.project},
            as_=s.lead,
        )
        await api.gql(CONDENSATE, {"c": heading["project"]["codebook"][0]["id"]}, as_=s.lead)
        await heard("synthesis.condensate_set")
        await api.gql(FINALIZE, {"p": s.project}, as_=s.lead)
        assert (await heard("project.finalized"))["after"]["rationale"] == "Done"
