"""Finalising a project, and the decision log with its CSV and Markdown exports."""

from __future__ import annotations

import csv
import io
from typing import Any

from accord.projects.service import PROJECT_IS_FINAL
from tests.support import Api
from tests.test_coding_flow import CREATE_CODE, apply
from tests.test_consensus_workflow import (
    DOC1,
    REOPEN,
    TEXT,
    items,
    layer,
    resolve,
    start,
    study,
    submit_all,
)

FINALIZE = """mutation($p: ID!, $why: String) { finalizeProject(projectId: $p, rationale: $why) {
  __typename ... on Project { status } ... on UserError { code message } } }"""
UNFINALIZE = """mutation($p: ID!, $why: String!) {
  unfinalizeProject(projectId: $p, rationale: $why) {
  __typename ... on Project { status } ... on UserError { code message } } }"""
LOG = """query($p: ID!) { decisionLog(projectId: $p) {
  eventId kind actor automatic what rationale document
  segments { layer effect code start end text coder } } }"""
MERGE = """mutation($s: [ID!]!, $t: CodeTargetInput!, $r: String) {
  mergeCodes(sourceIds: $s, target: $t, rationale: $r) {
  __typename ... on CodeMerge { eventId } ... on UserError { code message } } }"""
UNDO = """mutation($e: ID!) { undoMerge(eventId: $e, rationale: "Keep them apart") {
  __typename ... on UserError { code message } } }"""
EXPORTS = """query($p: ID!) { decisionLogCsv(projectId: $p) decisionLogMarkdown(projectId: $p) }"""


async def log(api: Api, who: Any, project: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = (await api.gql(LOG, {"p": project}, as_=who))["decisionLog"]
    return entries


async def test_finalize_blocks_every_change_until_unfinalized(api: Api) -> None:
    s = await study(api, {1: DOC1, 2: {"A": [("X", 0, 10)]}})
    doc1, doc2 = s.docs
    await submit_all(api, s, doc1)
    await start(api, s.lead, doc1)
    open_item = (await items(api, s.lead, doc1))[2]

    assert (await api.gql(FINALIZE, {"p": s.project}, as_=s.coders["A"]))["finalizeProject"][
        "code"
    ] == "FORBIDDEN"
    final = await api.gql(FINALIZE, {"p": s.project, "why": "Analysis closed"}, as_=s.lead)
    assert final["finalizeProject"]["status"] == "FINAL"
    assert (await api.gql(FINALIZE, {"p": s.project}, as_=s.lead))["finalizeProject"][
        "code"
    ] == "CONFLICT"

    refused = [
        await apply(api, s.coders["A"], doc2, s.codes["Y"], 20, 30),
        (await api.gql(CREATE_CODE, {"p": s.project, "i": {"name": "Late idea"}}, as_=s.lead))[
            "createCode"
        ],
        await resolve(api, s.lead, open_item, {"action": "UNION"}),
        (await api.gql(REOPEN, {"i": open_item["id"], "v": open_item["version"]}, as_=s.lead))[
            "reopenDisagreement"
        ],
    ]
    for result in refused:
        assert result["code"] == "FORBIDDEN" and result["message"] == PROJECT_IS_FINAL, result
    assert await layer(api, s.lead, doc1) == {("X", 0, 20), ("X", 30, 80)}

    assert (await api.gql(UNFINALIZE, {"p": s.project, "why": "x"}, as_=s.lead2))[
        "unfinalizeProject"
    ]["status"] == "ACTIVE"
    assert (await api.gql(UNFINALIZE, {"p": s.project, "why": "y"}, as_=s.lead))[
        "unfinalizeProject"
    ]["code"] == "CONFLICT"
    blank = await api.gql(FINALIZE, {"p": s.project}, as_=s.lead)
    assert blank["finalizeProject"]["status"] == "FINAL"
    no_reason = await api.gql(UNFINALIZE, {"p": s.project, "why": "  "}, as_=s.lead)
    assert no_reason["unfinalizeProject"]["code"] == "INVALID_INPUT"
    await api.gql(UNFINALIZE, {"p": s.project, "why": "Reviewer asked for a recode"}, as_=s.lead)
    assert (await resolve(api, s.lead, open_item, {"action": "UNION"}))["status"] == "RESOLVED"
    assert (await apply(api, s.coders["A"], doc2, s.codes["Y"], 20, 30))["__typename"] == ("Coding")


async def test_decision_log_lists_every_decision_with_its_rationale(api: Api) -> None:
    s = await study(api, {1: DOC1})
    (doc,) = s.docs
    await submit_all(api, s, doc)
    await start(api, s.lead, doc)
    found = await items(api, s.lead, doc)
    await resolve(api, s.lead, found[2], {"action": "UNION"}, "Both | readings, hold")
    took = await resolve(
        api, s.lead2, found[3], {"action": "TAKE_CODER", "coderId": s.coders["B"].id}
    )
    await resolve(api, s.lead, found[4], {"action": "DROP"}, "Only background talk")
    await api.gql(
        REOPEN, {"i": found[3]["id"], "v": took["version"], "why": "Recheck with B"}, as_=s.lead
    )
    merged = await api.gql(
        MERGE,
        {"s": [s.codes["Z"]], "t": {"codeId": s.codes["Y"]}, "r": "Same meaning"},
        as_=s.lead,
    )
    assert merged["mergeCodes"]["__typename"] == "CodeMerge", merged
    undone = await api.gql(UNDO, {"e": merged["mergeCodes"]["eventId"]}, as_=s.lead)
    assert undone["undoMerge"]["__typename"] == "MergeUndone", undone
    await api.gql(FINALIZE, {"p": s.project, "why": "Codebook settled"}, as_=s.lead)
    await api.gql(UNFINALIZE, {"p": s.project, "why": "One more item"}, as_=s.lead)

    entries = await log(api, s.viewer, s.project)
    kinds = [e["kind"] for e in entries]
    assert kinds == [
        *["code.created"] * 4,
        "consensus.started",
        "consensus.auto_accepted",
        "consensus.auto_accepted",
        "consensus.resolved",
        "consensus.resolved",
        "consensus.resolved",
        "consensus.reopened",
        "code.merged",
        "code.merge_undone",
        "project.finalized",
        "project.unfinalized",
    ]
    automatic = [e for e in entries if e["automatic"]]
    assert [e["kind"] for e in automatic] == ["consensus.auto_accepted"] * 2
    assert all(e["actor"] == "automatic" for e in automatic)
    assert {e["actor"] for e in entries if not e["automatic"]} == {s.lead.name, s.lead2.name}
    rationales = [e["rationale"] for e in entries if e["rationale"]]
    assert rationales == [
        "Both | readings, hold",
        "Only background talk",
        "Recheck with B",
        "Same meaning",
        "Keep them apart",
        "Codebook settled",
        "One more item",
    ]

    union = entries[7]
    assert union["document"] == "Interview 1" and "union" in union["what"]
    added = [seg for seg in union["segments"] if seg["effect"] == "ADDED"]
    assert added == [
        {
            "layer": "CONSENSUS",
            "effect": "ADDED",
            "code": "Help-seeking > Y",
            "start": 100,
            "end": 160,
            "text": TEXT[100:160],
            "coder": None,
        }
    ]
    considered = {(seg["coder"], seg["start"], seg["end"]) for seg in union["segments"]}
    assert (s.coders["C"].name, 110, 150) in considered
    assert s.coders["B"].name in entries[8]["what"]
    assert [seg["effect"] for seg in entries[10]["segments"]] == ["REMOVED"]
    merge, undo = entries[11], entries[12]
    assert merge["what"] == "Merged “Help-seeking > Z” into “Help-seeking > Y”"
    assert undo["what"].startswith("Undid the merge of “Help-seeking > Z”")
    recoded = {(seg["layer"], seg["coder"], seg["start"], seg["end"]) for seg in merge["segments"]}
    assert ("CODER", s.coders["A"].name, 260, 290) in recoded
    assert {seg["effect"] for seg in merge["segments"]} == {"RECODED"}
    assert {seg["effect"] for seg in undo["segments"]} == {"RESTORED"}
    auto = entries[5]
    assert [seg["effect"] for seg in auto["segments"]] == ["CONSIDERED"] * 3 + ["ADDED"]

    exports = await api.gql(EXPORTS, {"p": s.project}, as_=s.lead)
    rows = list(csv.DictReader(io.StringIO(exports["decisionLogCsv"])))
    assert [r["kind"] for r in rows] == kinds
    assert [r["rationale"] for r in rows if r["rationale"]] == rationales
    assert rows[5]["who"] == "automatic" and "Y 100–160" in rows[7]["segments"]
    markdown = exports["decisionLogMarkdown"]
    assert markdown.startswith("# Decision log: Peer support study\n")
    assert "Both \\| readings, hold" in markdown
    for text in rationales[1:]:
        assert text in markdown
    # Creating the four codes is setup: listed apart, never counted as a decision.
    decisions, _, setup = markdown.partition("\n## Codebook setup\n")
    assert "\n11 decisions: 2 automatic under the consensus rule, 9 by members of the team.\n" in (
        decisions
    )
    assert len(entries) == 11 + 4
    assert decisions.count("\n| ") == 11 + 1  # the header row and one per decision
    assert "Created code" not in decisions
    assert "4 setup changes (codes created, definitions edited)" in setup
    assert setup.count("\n| ") == 4 + 1 and setup.count("Created code") == 4

    assert await api.error_code(LOG, {"p": s.project}, as_=s.coders["A"]) == "FORBIDDEN"
    assert await api.error_code(EXPORTS, {"p": s.project}, as_=await api.person("x")) == (
        "NOT_FOUND"
    )
