"""The merge preview: exactly the codings mergeCodes then changes, in every layer, with
the same checks, changing nothing itself; and who may ask for it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from tests.support import Api
from tests.test_consolidation import MERGE, snapshot, study

PREVIEW = """query($s: [ID!]!, $t: CodeTargetInput!) { mergePreview(sourceIds: $s, target: $t) {
  sources { id name } target { id name } newTargetName total truncated layerCount documentCount
  change { repointedCount joinedCount removedCount }
  codings { codingId documentId document round layer coderId coder { email } codeId
            code { name } start end text effect joinedIntoId newStart newEnd } } }"""


def _changed(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Codings whose code or extent changed, or that are gone: id -> (start, end) or None."""
    now = {r["id"]: r for r in after["codings"]}
    out: dict[str, Any] = {}
    for row in before["codings"]:
        new = now.get(row["id"])
        if new is None:
            out[row["id"]] = None
        elif (new["code_id"], new["start_offset"], new["end_offset"]) != (
            row["code_id"],
            row["start_offset"],
            row["end_offset"],
        ):
            out[row["id"]] = (new["start_offset"], new["end_offset"])
    return out


async def test_preview_lists_exactly_what_the_merge_changes_in_every_layer(api: Api) -> None:
    s = await study(api)
    lead, ids, project = s["lead"], s["ids"], s["project"]
    variables = {"s": [ids["phone"]], "t": {"codeId": ids["colleague"]}}
    before = await snapshot(api, project)
    preview = (await api.gql(PREVIEW, variables, as_=lead))["mergePreview"]
    assert await snapshot(api, project) == before  # a preview changes nothing
    assert [c["name"] for c in preview["sources"]] == ["Phone"]
    assert preview["target"]["name"] == "Colleague" and preview["newTargetName"] is None
    by_id = {c["codingId"]: c for c in preview["codings"]}
    assert preview["total"] == len(by_id) == 4 and not preview["truncated"]
    # b's and the consensus layer's Colleague absorb their overlapping Phone
    assert sorted(c["effect"] for c in by_id.values()) == [
        "ABSORBED",
        "ABSORBED",
        "EXTENDED",
        "EXTENDED",
    ]
    assert {c["layer"] for c in by_id.values()} == {"CODER", "CONSENSUS"}
    assert {c["coder"]["email"] for c in by_id.values() if c["coder"]} == {s["b"].email}
    assert preview["layerCount"] == 2 and preview["documentCount"] == 1
    for c in by_id.values():
        assert c["document"] == "Interview 1" and c["round"]
        if c["effect"] == "ABSORBED":
            assert c["code"]["name"] == "Phone" and c["joinedIntoId"] in by_id
        else:
            assert c["code"]["name"] == "Colleague" and c["joinedIntoId"] is None
        assert (c["newStart"], c["newEnd"]) == s["span"]

    merged = (await api.gql(MERGE, variables, as_=lead))["mergeCodes"]
    assert merged["change"] == preview["change"]
    changed = _changed(before, await snapshot(api, project))
    assert set(changed) == set(by_id)
    for coding_id, extent in changed.items():
        entry = by_id[coding_id]
        if entry["effect"] == "ABSORBED":
            assert extent is None
        else:
            assert extent == (entry["newStart"], entry["newEnd"])


async def test_preview_of_a_merge_into_a_new_code_recodes_every_layer(api: Api) -> None:
    s = await study(api)
    lead, ids, project = s["lead"], s["ids"], s["project"]
    variables = {
        "s": [ids["colleague"], ids["phone"]],
        "t": {"newCode": {"name": "Peer contact", "parentId": ids["group"]}},
    }
    preview = (await api.gql(PREVIEW, variables, as_=lead))["mergePreview"]
    assert preview["target"] is None and preview["newTargetName"] == "Peer contact"
    effects = sorted(c["effect"] for c in preview["codings"])
    # b: Colleague + Phone join; c: Colleague recoded; consensus: Colleague + Phone join
    assert effects == ["ABSORBED", "ABSORBED", "RECODED", "RECODED", "RECODED"]
    assert {c["coderId"] for c in preview["codings"]} == {s["b"].id, s["c"].id, None}
    before = await snapshot(api, project)
    merged = (await api.gql(MERGE, variables, as_=lead))["mergeCodes"]
    assert (
        merged["change"]
        == preview["change"]
        == {
            "repointedCount": 5,
            "joinedCount": 2,
            "removedCount": 2,
        }
    )
    assert set(_changed(before, await snapshot(api, project))) == {
        c["codingId"] for c in preview["codings"]
    }


async def test_preview_refuses_what_the_merge_refuses_and_only_leads_may_ask(api: Api) -> None:
    s = await study(api)
    lead, ids, b = s["lead"], s["ids"], s["b"]
    viewer, stranger = await api.person("viewer"), await api.person("stranger")
    await api.add_member(lead, s["project"], viewer, "VIEWER")
    good = {"s": [ids["phone"]], "t": {"codeId": ids["colleague"]}}
    for bad, code in (
        ({"s": [ids["phone"]], "t": {"codeId": ids["phone"]}}, "INVALID_INPUT"),
        ({"s": [], "t": {"codeId": ids["colleague"]}}, "INVALID_INPUT"),
        ({"s": [ids["phone"]], "t": {}}, "INVALID_INPUT"),
        ({"s": [ids["phone"]], "t": {"codeId": ids["group"]}}, "INVALID_INPUT"),  # a heading
        ({"s": [ids["group"]], "t": {"codeId": ids["walk"]}}, "INVALID_INPUT"),  # has children
        ({"s": [ids["phone"]], "t": {"newCode": {"name": "  "}}}, "INVALID_INPUT"),
        ({"s": [str(UUID(int=7))], "t": {"codeId": ids["colleague"]}}, "NOT_FOUND"),
    ):
        assert await api.error_code(PREVIEW, bad, as_=lead) == code, bad
    # A coder is told no, with nothing about the layers; a stranger finds nothing.
    body = await api.raw(PREVIEW, good, as_=b)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (body.get("data") or {}).get("mergePreview") is None
    assert await api.error_code(PREVIEW, good, as_=viewer) == "FORBIDDEN"
    assert await api.error_code(PREVIEW, good, as_=stranger) == "NOT_FOUND"
    # A code of another project cannot be named as the target.
    other = await study(api)
    foreign = {"s": [ids["phone"]], "t": {"codeId": other["ids"]["colleague"]}}
    assert await api.error_code(PREVIEW, foreign, as_=lead) == "NOT_FOUND"
    async with api.pool.acquire() as conn:
        await conn.execute("UPDATE projects SET status = 'FINAL' WHERE id = $1", UUID(s["project"]))
    assert await api.error_code(PREVIEW, good, as_=lead) == "FORBIDDEN"


async def test_the_decision_log_ties_an_undo_to_its_merge(api: Api) -> None:
    s = await study(api)
    lead, ids = s["lead"], s["ids"]
    merged = (
        await api.gql(MERGE, {"s": [ids["phone"]], "t": {"codeId": ids["colleague"]}}, as_=lead)
    )["mergeCodes"]
    undo = """mutation($e: ID!) { undoMerge(eventId: $e) { __typename } }"""
    assert (await api.gql(undo, {"e": merged["eventId"]}, as_=lead))["undoMerge"] == {
        "__typename": "MergeUndone"
    }
    log = """query($p: ID!) { decisionLog(projectId: $p) { eventId kind undoes } }"""
    entries = (await api.gql(log, {"p": s["project"]}, as_=lead))["decisionLog"]
    by_kind = {e["kind"]: e for e in entries if e["kind"].startswith("code.merge")}
    assert by_kind["code.merged"]["undoes"] is None
    assert by_kind["code.merge_undone"]["undoes"] == merged["eventId"]
