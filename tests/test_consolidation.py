"""Consolidating the codebook over GraphQL: merge, undo a merge, split, and agreement after."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from accord.graphql.opaque import opaque_ids
from tests.conftest import SECRET_KEY
from tests.support import Api, Person
from tests.test_coding_flow import apply, code

TEXT = (
    "Interviewer: Hvem snakket du med?\n"
    "P03: Jeg ringte en kollega 😊, så snakket jeg med Åse på telefonen om natten.\n"
    "Interviewer: Og etterpå?\n"
    "P03: Etterpå gikk jeg tur med hunden og følte meg lettere.\n"
)

MERGE = """mutation($s: [ID!]!, $t: CodeTargetInput!, $r: String) {
  mergeCodes(sourceIds: $s, target: $t, rationale: $r) {
    __typename
    ... on CodeMerge { eventId target { id name status path } sources { id status mergedIntoId }
                       change { repointedCount joinedCount removedCount } }
    ... on UserError { code message } } }"""
UNDO = """mutation($e: ID!) { undoMerge(eventId: $e, rationale: "Too coarse") {
  __typename ... on MergeUndone { eventId restoredCodingCount codes { id status } }
  ... on UserError { code message } } }"""
SPLIT = """mutation($c: ID!, $i: [CodeTargetInput!]!, $a: [SegmentAssignmentInput!]!) {
  splitCode(codeId: $c, into: $i, segmentAssignments: $a, rationale: "Two meanings") {
    __typename ... on CodeSplit { eventId source { status } into { id name }
                                  change { repointedCount joinedCount removedCount } }
    ... on UserError { code message } } }"""
MARKDOWN = "query($p: ID!) { decisionLogMarkdown(projectId: $p) }"
AGREEMENT = """query($p: ID!, $i: AgreementInput) { agreement(projectId: $p, input: $i) {
  coefficients { name value }
  coderVsConsensus { coder { id } coefficients { name value }
    perCode { label coderSegments consensusSegments matchedCoderSegments
              matchedConsensusSegments precision recall f1 alpha { value } } } } }"""


def at(phrase: str, length: int | None = None) -> tuple[int, int]:
    start = TEXT.index(phrase)
    return start, start + (length if length is not None else len(phrase))


async def consensus_coding(api: Api, project: str, doc: str, code_id: str, span: Any) -> str:
    """A consensus-layer coding, written as the consensus workflow would write one."""
    async with api.pool.acquire() as conn:
        round_id = await conn.fetchval(
            "SELECT id FROM rounds WHERE project_id = $1 AND is_default", UUID(project)
        )
        made = await conn.fetchval(
            "INSERT INTO codings (project_id, document_id, round_id, layer, code_id, "
            "start_offset, end_offset) VALUES ($1, $2, $3, 'CONSENSUS', $4, $5, $6) RETURNING id",
            UUID(project),
            UUID(doc),
            round_id,
            UUID(code_id),
            span[0],
            span[1],
        )
    return str(made)


async def snapshot(api: Api, project: str) -> dict[str, Any]:
    """Every column of every code and coding of the project, ids and sequence included."""
    async with api.pool.acquire() as conn:
        codes = await conn.fetch(
            "SELECT to_jsonb(c) AS r FROM codes c WHERE project_id = $1 ORDER BY id", UUID(project)
        )
        codings = await conn.fetch(
            "SELECT to_jsonb(c) AS r FROM codings c WHERE project_id = $1 ORDER BY id",
            UUID(project),
        )
    return {"codes": [r["r"] for r in codes], "codings": [r["r"] for r in codings]}


async def layer(api: Api, project: str, coder: Person | None) -> list[tuple[str, int, int]]:
    async with api.pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT code_id, start_offset, end_offset FROM codings WHERE project_id = $1 "
            "AND coder_id IS NOT DISTINCT FROM $2 ORDER BY start_offset, end_offset",
            UUID(project),
            UUID(coder.id) if coder else None,
        )
    return [(str(r["code_id"]), r["start_offset"], r["end_offset"]) for r in rows]


async def study(api: Api) -> dict[str, Any]:
    """Two coders; 'Colleague' and 'Phone' overlap in coder b's layer and in consensus."""
    lead, b, c = await api.person("lead"), await api.person("coderb"), await api.person("coderc")
    project = await api.project(lead)
    for who in (b, c):
        await api.add_member(lead, project, who, "CODER")
    category = await code(api, lead, project, "Støtte", codable=False)
    group = await code(api, lead, project, "Kolleger", category["id"], codable=False)
    ids = {
        "category": category["id"],
        "group": group["id"],
        "colleague": (await code(api, lead, project, "Colleague", group["id"]))["id"],
        "phone": (await code(api, lead, project, "Phone", group["id"]))["id"],
        "walk": (await code(api, lead, project, "Walk", category["id"]))["id"],
    }
    doc = (await api.import_document(lead, project, TEXT))["id"]
    for who in (b, c):
        await api.gql(
            "mutation($d: ID!, $u: ID!) { assignDocument(documentId: $d, userId: $u) "
            "{ __typename } }",
            {"d": doc, "u": who.id},
            as_=lead,
        )
    colleague = at("ringte en kollega")
    phone = (colleague[0] + 6, at("på telefonen")[1])
    await apply(api, b, doc, ids["colleague"], *colleague)
    await apply(api, b, doc, ids["phone"], *phone)
    await apply(api, c, doc, ids["colleague"], *colleague)
    await apply(api, c, doc, ids["walk"], *at("gikk jeg tur med hunden"))
    await consensus_coding(api, project, doc, ids["colleague"], colleague)
    await consensus_coding(api, project, doc, ids["phone"], phone)
    return {"lead": lead, "b": b, "c": c, "project": project, "doc": doc, "ids": ids,
            "span": (colleague[0], phone[1])}  # fmt: skip


async def test_merge_then_undo_restores_every_layer_exactly(api: Api) -> None:
    s = await study(api)
    lead, ids, project = s["lead"], s["ids"], s["project"]
    before = await snapshot(api, project)
    merged = (
        await api.gql(
            MERGE,
            {
                "s": [ids["colleague"], ids["phone"]],
                "t": {"newCode": {"name": "Colleague", "parentId": ids["group"]}},
                "r": "Same meaning: contact with a colleague",
            },
            as_=lead,
        )
    )["mergeCodes"]
    assert merged["__typename"] == "CodeMerge", merged
    target = merged["target"]["id"]
    assert merged["target"]["path"] == "Støtte > Kolleger > Colleague"
    assert {x["status"] for x in merged["sources"]} == {"MERGED"}
    assert {x["mergedIntoId"] for x in merged["sources"]} == {target}
    # b's two segments and the two consensus segments overlap: each pair is joined.
    assert merged["change"] == {"repointedCount": 5, "joinedCount": 2, "removedCount": 2}
    start, end = s["span"]
    assert await layer(api, project, s["b"]) == [(target, start, end)]
    assert await layer(api, project, None) == [(target, start, end)]
    assert [x[0] for x in await layer(api, project, s["c"])] == [target, ids["walk"]]

    async with api.pool.acquire() as conn:
        event = await conn.fetchrow(
            "SELECT kind, after FROM events WHERE id = $1",
            opaque_ids(SECRET_KEY).event_number(merged["eventId"]),
        )
    assert event["kind"] == "code.merged"
    assert event["after"]["rationale"] == "Same meaning: contact with a colleague"
    assert len(event["after"]["removed"]) == 2 and "memo" in event["after"]["removed"][0]
    assert {j["before"]["end"] for j in event["after"]["joined"]} == {at("ringte en kollega")[1]}

    undone = (await api.gql(UNDO, {"e": merged["eventId"]}, as_=lead))["undoMerge"]
    assert undone["__typename"] == "MergeUndone", undone
    assert {x["status"] for x in undone["codes"]} == {"ACTIVE"}
    assert await snapshot(api, project) == before
    again = (await api.gql(UNDO, {"e": merged["eventId"]}, as_=lead))["undoMerge"]
    assert again["code"] == "CONFLICT" and "already undone" in again["message"]

    # The merge made a new code and the undo deleted it; the log still names it.
    log = (await api.gql(MARKDOWN, {"p": project}, as_=lead))["decisionLogMarkdown"]
    assert "into “Colleague” (a new code)" in log, log
    assert "Undid the merge of" in log and "into “Colleague”" in log.split("Undid the merge")[1]
    assert target not in log and "a code”" not in log, log


async def test_merge_into_an_existing_code_joins_overlaps_and_undo_refuses_later_changes(
    api: Api,
) -> None:
    s = await study(api)
    lead, ids, project = s["lead"], s["ids"], s["project"]
    merged = (
        await api.gql(MERGE, {"s": [ids["phone"]], "t": {"codeId": ids["colleague"]}}, as_=lead)
    )["mergeCodes"]
    assert merged["change"] == {"repointedCount": 2, "joinedCount": 2, "removedCount": 2}
    start, end = s["span"]
    assert await layer(api, project, s["b"]) == [(ids["colleague"], start, end)]
    rename = """mutation($id: ID!, $v: Int!) {
      renameCode(id: $id, name: "Kollega", version: $v) { __typename } }"""
    codes = await api.gql(
        "query($p: ID!) { project(id: $p) { codes { id version } } }", {"p": project}, as_=lead
    )
    version = next(c["version"] for c in codes["project"]["codes"] if c["id"] == ids["colleague"])
    renamed = await api.gql(rename, {"id": ids["colleague"], "v": version}, as_=lead)
    assert renamed["renameCode"]["__typename"] == "Code"
    refused = (await api.gql(UNDO, {"e": merged["eventId"]}, as_=lead))["undoMerge"]
    assert refused["code"] == "CONFLICT"
    assert "later change depends" in refused["message"] and "code.renamed" in refused["message"]
    # A coder applying the target after a merge is a dependent change too.
    other = await study(api)
    merged = (
        await api.gql(
            MERGE,
            {"s": [other["ids"]["phone"]], "t": {"codeId": other["ids"]["colleague"]}},
            as_=other["lead"],
        )
    )["mergeCodes"]
    await apply(api, other["c"], other["doc"], other["ids"]["colleague"], *at("Og etterpå"))
    refused = (await api.gql(UNDO, {"e": merged["eventId"]}, as_=other["lead"]))["undoMerge"]
    assert refused["code"] == "CONFLICT" and "coding.applied" in refused["message"]


async def test_split_needs_every_segment_assigned(api: Api) -> None:
    s = await study(api)
    lead, ids, project = s["lead"], s["ids"], s["project"]
    async with api.pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT id, coder_id FROM codings WHERE code_id = $1 ORDER BY seq",
            UUID(ids["colleague"]),
        )
    coding_ids = [str(r["id"]) for r in rows]
    assert len(coding_ids) == 3  # b, c and consensus
    into = [{"newCode": {"name": "Colleague at work"}}, {"codeId": ids["walk"]}]
    partial = [{"codingId": coding_ids[0], "intoIndex": 0}]
    missing = await api.gql(SPLIT, {"c": ids["colleague"], "i": into, "a": partial}, as_=lead)
    assert missing["splitCode"]["code"] == "INVALID_INPUT"
    assert "2 of the 3 codings" in missing["splitCode"]["message"]
    every = [{"codingId": cid, "intoIndex": 0 if i < 2 else 1} for i, cid in enumerate(coding_ids)]
    done = (await api.gql(SPLIT, {"c": ids["colleague"], "i": into, "a": every}, as_=lead))[
        "splitCode"
    ]
    assert done["__typename"] == "CodeSplit", done
    assert done["source"]["status"] == "RETIRED"
    new_id = done["into"][0]["id"]
    assert done["into"][1]["id"] == ids["walk"]
    assert done["change"]["repointedCount"] == 3
    assert [x[0] for x in await layer(api, project, s["b"])] == [new_id, ids["phone"]]
    assert [x[0] for x in await layer(api, project, None)] == [ids["walk"], ids["phone"]]


async def test_coders_cannot_consolidate_and_a_final_project_refuses(api: Api) -> None:
    s = await study(api)
    ids, b = s["ids"], s["b"]
    as_coder = await api.gql(MERGE, {"s": [ids["phone"]], "t": {"codeId": ids["walk"]}}, as_=b)
    assert as_coder["mergeCodes"]["code"] == "FORBIDDEN"
    split = await api.gql(
        SPLIT, {"c": ids["phone"], "i": [{"codeId": ids["walk"]}], "a": []}, as_=b
    )
    assert split["splitCode"]["code"] == "FORBIDDEN"
    merged = await api.gql(
        MERGE, {"s": [ids["phone"]], "t": {"codeId": ids["walk"]}}, as_=s["lead"]
    )
    assert (await api.gql(UNDO, {"e": merged["mergeCodes"]["eventId"]}, as_=b))["undoMerge"][
        "code"
    ] == "FORBIDDEN"
    async with api.pool.acquire() as conn:
        await conn.execute("UPDATE projects SET status = 'FINAL' WHERE id = $1", UUID(s["project"]))
    final = await api.gql(
        MERGE, {"s": [ids["colleague"]], "t": {"codeId": ids["walk"]}}, as_=s["lead"]
    )
    assert final["mergeCodes"]["code"] == "FORBIDDEN"
    assert "final" in final["mergeCodes"]["message"]


async def test_category_agreement_after_a_merge_matches_the_hand_count(api: Api) -> None:
    lead, b, c = await api.person("lead"), await api.person("coderb"), await api.person("coderc")
    project = await api.project(lead)
    for who in (b, c):
        await api.add_member(lead, project, who, "CODER")
    cat_a = await code(api, lead, project, "A", codable=False)
    cat_b = await code(api, lead, project, "B", codable=False)
    a1 = (await code(api, lead, project, "a1", cat_a["id"]))["id"]
    b1 = (await code(api, lead, project, "b1", cat_b["id"]))["id"]
    b2 = (await code(api, lead, project, "b2", cat_b["id"]))["id"]
    doc = (await api.import_document(lead, project, "x" * 60))["id"]
    for who in (b, c):
        await api.gql(
            "mutation($d: ID!, $u: ID!) { assignDocument(documentId: $d, userId: $u) "
            "{ __typename } }",
            {"d": doc, "u": who.id},
            as_=lead,
        )
    await apply(api, b, doc, a1, 0, 10)
    await apply(api, b, doc, b1, 20, 30)
    await apply(api, c, doc, a1, 0, 10)
    await apply(api, c, doc, b2, 20, 30)
    await apply(api, c, doc, a1, 40, 50)
    await consensus_coding(api, project, doc, a1, (0, 10))
    await consensus_coding(api, project, doc, a1, (20, 30))

    def percent(report: dict[str, Any]) -> float:
        return float(
            next(x["value"] for x in report["coefficients"] if x["name"] == "PERCENT_AGREEMENT")
        )

    query = {"p": project, "i": {"unitMode": "SEGMENT_MATCH", "codeLevel": "CATEGORY"}}
    # Segment matching counts each segment once per other coder: agreements / segments.
    # Before: b's A[0,10) and B[20,30) match c's; c's A[0,10) and B[20,30) match, A[40,50)
    # does not: 4 of 5.
    assert percent((await api.gql(AGREEMENT, query, as_=lead))["agreement"]) == 4 / 5
    await api.gql(MERGE, {"s": [b2], "t": {"codeId": a1}}, as_=lead)
    # After b2 → a1, c's [20,30) is in category A while b's stays in B: only the two
    # A[0,10) segments match: 2 of 5.
    report = (await api.gql(AGREEMENT, query, as_=lead))["agreement"]
    assert percent(report) == 2 / 5

    by_code = {"p": project, "i": {"unitMode": "SEGMENT_MATCH"}}
    versus = (await api.gql(AGREEMENT, by_code, as_=lead))["agreement"]["coderVsConsensus"]
    mine = next(v for v in versus if v["coder"]["id"] == b.id)
    codes = {x["label"]: x for x in mine["perCode"]}
    # b's a1[0,10) matches the consensus a1[0,10): precision 1/1, recall 1/2,
    # F1 = 2·1·½ / (1 + ½) = 2/3. b's b1 has no consensus segment: recall undefined.
    assert codes["A > a1"]["precision"] == 1.0 and codes["A > a1"]["recall"] == 0.5
    assert abs(codes["A > a1"]["f1"] - 2 / 3) < 1e-12
    assert codes["B > b1"]["precision"] == 0.0 and codes["B > b1"]["recall"] is None
    assert codes["B > b1"]["f1"] is None
    theirs = next(v for v in versus if v["coder"]["id"] == c.id)
    assert {x["label"]: x["f1"] for x in theirs["perCode"]}["A > a1"] == 2 * (2 / 3) * 1 / (
        2 / 3 + 1
    )


async def test_an_empty_target_code_id_names_no_code(api: Api) -> None:
    """An empty codeId is an id that names nothing, not a missing one: NOT_FOUND, never a
    new code without a name (which failed as an internal error)."""
    s = await study(api)
    lead, ids = s["lead"], s["ids"]
    merged = await api.gql(MERGE, {"s": [ids["phone"]], "t": {"codeId": ""}}, as_=lead)
    assert merged["mergeCodes"]["code"] == "NOT_FOUND", merged
    async with api.pool.acquire() as conn:
        rows = await conn.fetch("SELECT id FROM codings WHERE code_id = $1", UUID(ids["colleague"]))
    every = [{"codingId": str(r["id"]), "intoIndex": 0} for r in rows]
    into = [{"codeId": ""}, {"codeId": ids["walk"]}]
    split = await api.gql(SPLIT, {"c": ids["colleague"], "i": into, "a": every}, as_=lead)
    assert split["splitCode"]["code"] == "NOT_FOUND", split
    async with api.pool.acquire() as conn:
        live = await conn.fetchval(
            "SELECT count(*) FROM codes WHERE id = ANY($1::uuid[]) AND status = 'ACTIVE'",
            [UUID(ids["phone"]), UUID(ids["colleague"])],
        )
    assert live == 2  # nothing was merged or split
