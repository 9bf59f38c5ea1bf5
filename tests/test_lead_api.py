"""The reads and writes the lead's screens added: the progress matrix, the audit log's
filter, adopting proposed codes, the auto-assign seed, and the agreement report's n,
code ids and methods paragraph."""

from __future__ import annotations

from typing import Any

from tests.support import Api
from tests.test_coding_flow import apply, code
from tests.test_lead_drilldown import DOC1, START, SUBMIT, Study, at, study

MATRIX = """query($p: ID!, $r: ID) { project(id: $p) { progressMatrix(roundId: $r) {
  round { name isDefault } coders { id email }
  documents { documentId title revealed consensusStatus openItems decidedItems
    assignments { coderId status codingCount lastActivityAt submittedAt } } } } }"""
AUDIT = """query($p: ID!, $f: AuditLogFilterInput, $a: String, $n: Int) {
  auditLog(projectId: $p, filter: $f, after: $a, first: $n) {
  totalCount pageInfo { hasNextPage endCursor } nodes { id kind documentId actor { id } } } }"""
ADOPT = """mutation($id: ID!, $v: Int! = 1, $r: String) { adoptCode(id: $id, version: $v,
  rationale: $r) { __typename ... on Code { id name proposedById version }
  ... on UserError { code message } } }"""
CODEBOOK = """query($p: ID!) { project(id: $p) { codes { id name proposedById } } }"""
AUTO = """mutation($p: ID!, $c: [ID!]!, $s: Int, $r: ID) { autoAssign(projectId: $p, coderIds: $c,
  codersPerDocument: 2, seed: $s, roundId: $r) { __typename ... on AutoAssignment { seed
  created { documentId coderId } } ... on UserError { code message } } }"""
ROUND = """mutation($p: ID!, $n: String!) { createRound(projectId: $p, name: $n) {
  ... on Round { id } } }"""
REPORT = """query($p: ID!, $i: AgreementInput) { agreement(projectId: $p, input: $i) {
  methodsParagraph perCode { key label codeId segmentCount coefficients { name value } }
  perDocument { label codeId segmentCount } coderPairs { key segmentCount } } }"""


def cells(matrix: dict[str, Any], s: Study) -> dict[tuple[str, str], dict[str, Any]]:
    names = {s.b.id: "B", s.c.id: "C", s.d.id: "D"}
    return {
        (d["title"], names[a["coderId"]]): a for d in matrix["documents"] for a in d["assignments"]
    }


async def test_the_progress_matrix_shows_every_document_and_coder_at_once(api: Api) -> None:
    s = await study(api)
    for who in (s.b, s.c):
        await api.gql(SUBMIT, {"d": s.docs[0]}, as_=who)
    await api.gql(START, {"d": s.docs[0]}, as_=s.lead)
    matrix = (await api.gql(MATRIX, {"p": s.project}, as_=s.lead))["project"]["progressMatrix"]
    assert matrix["round"] == {"name": "Main", "isDefault": True}
    assert [c["id"] for c in matrix["coders"]] == sorted(
        [s.b.id, s.c.id, s.d.id], key=lambda i: {s.b.id: 0, s.c.id: 1, s.d.id: 2}[i]
    )
    rows = {d["title"]: d for d in matrix["documents"]}
    assert list(rows) == ["P01", "P02", "P03"]
    assert rows["P01"]["revealed"] and not rows["P02"]["revealed"]
    assert rows["P01"]["consensusStatus"] == "OPEN"
    assert rows["P02"]["consensusStatus"] == "NOT_STARTED"
    # P01's items: the exact agreement auto-accepted, the boundary and the omission open.
    assert (rows["P01"]["openItems"], rows["P01"]["decidedItems"]) == (2, 1)
    grid = cells(matrix, s)
    assert set(grid) == {
        ("P01", "B"),
        ("P01", "C"),
        ("P02", "B"),
        ("P02", "C"),
        ("P02", "D"),
        ("P03", "C"),
    }
    assert grid["P01", "B"]["status"] == "SUBMITTED" and grid["P01", "B"]["codingCount"] == 3
    assert grid["P01", "C"]["codingCount"] == 2 and grid["P01", "C"]["submittedAt"]
    assert grid["P02", "D"]["status"] == "IN_PROGRESS" and grid["P02", "D"]["lastActivityAt"]
    assert grid["P03", "C"] | {"lastActivityAt": None} == {
        "coderId": s.c.id,
        "status": "ASSIGNED",
        "codingCount": 0,
        "lastActivityAt": None,
        "submittedAt": None,
    }
    viewer = (await api.gql(MATRIX, {"p": s.project}, as_=s.viewer))["project"]["progressMatrix"]
    assert viewer == matrix


async def test_coders_and_strangers_get_no_progress_matrix(api: Api) -> None:
    s = await study(api)
    body = await api.raw(MATRIX, {"p": s.project}, as_=s.b)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # The project answers; only the matrix, which a coder may not read, is null.
    assert body["data"]["project"]["progressMatrix"] is None
    assert body["errors"][0]["path"] == ["project", "progressMatrix"]
    stranger = await api.person("stranger")
    assert await api.error_code(MATRIX, {"p": s.project}, as_=stranger) == "NOT_FOUND"
    other_round = await api.error_code(
        MATRIX, {"p": s.project, "r": "00000000-0000-0000-0000-000000000001"}, as_=s.lead
    )
    assert other_round == "NOT_FOUND"


async def test_the_audit_log_filters_by_kind_actor_document_and_time(api: Api) -> None:
    s = await study(api)

    async def log(**f: Any) -> dict[str, Any]:
        data = await api.gql(AUDIT, {"p": s.project, "f": f or None, "n": 200}, as_=s.lead)
        result: dict[str, Any] = data["auditLog"]
        return result

    everything = await log()
    codes = await log(kinds=["code"])
    assert codes["totalCount"] == 6 and {e["kind"] for e in codes["nodes"]} == {"code.created"}
    applied = await log(kinds=["coding.applied"], actorId=s.b.id)
    assert applied["totalCount"] == 4
    assert {e["actor"]["id"] for e in applied["nodes"]} == {s.b.id}
    on_p02 = await log(kinds=["coding"], documentId=s.docs[1])
    assert on_p02["totalCount"] == 3
    assert (await log(since="2999-01-01T00:00:00+00:00"))["totalCount"] == 0
    assert (await log(until="2999-01-01T00:00:00+00:00"))["totalCount"] == everything["totalCount"]
    newest = await log(newestFirst=True)
    assert [e["id"] for e in newest["nodes"]] == [e["id"] for e in reversed(everything["nodes"])]

    # Pages of two, newest first, walk the whole log once.
    seen: list[str] = []
    after = None
    while True:
        page = (
            await api.gql(
                AUDIT, {"p": s.project, "f": {"newestFirst": True}, "a": after, "n": 2}, as_=s.lead
            )
        )["auditLog"]
        seen += [e["id"] for e in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [e["id"] for e in newest["nodes"]]

    assert await api.error_code(AUDIT, {"p": s.project}, as_=s.b) == "FORBIDDEN"


async def test_a_lead_adopts_a_proposed_code_into_the_shared_codebook(api: Api) -> None:
    s = await study(api, inductive=True)
    proposed = await code(api, s.c, s.project, "Online search", s.codes["help"])
    await apply(api, s.c, s.docs[0], proposed["id"], *at(DOC1, "waited"))
    seen_by_b = (await api.gql(CODEBOOK, {"p": s.project}, as_=s.b))["project"]["codes"]
    assert "Online search" not in {c["name"] for c in seen_by_b}

    refused = (await api.gql(ADOPT, {"id": proposed["id"]}, as_=s.c))["adoptCode"]
    assert refused["code"] == "FORBIDDEN"
    stale = (await api.gql(ADOPT, {"id": proposed["id"], "v": 99}, as_=s.lead))["adoptCode"]
    assert stale["code"] == "CONFLICT"
    adopted = (
        await api.gql(ADOPT, {"id": proposed["id"], "r": "Several coders needed it"}, as_=s.lead)
    )["adoptCode"]
    assert adopted["__typename"] == "Code" and adopted["proposedById"] is None
    seen_by_b = (await api.gql(CODEBOOK, {"p": s.project}, as_=s.b))["project"]["codes"]
    assert "Online search" in {c["name"] for c in seen_by_b}
    # B sees the adoption in no way that names C, and C's codings stay C's.
    again = await api.gql(ADOPT, {"id": proposed["id"], "v": adopted["version"]}, as_=s.lead)
    again = again["adoptCode"]
    assert again["code"] == "INVALID_INPUT"
    events = await api.gql(
        AUDIT, {"p": s.project, "f": {"kinds": ["code.adopted"]}, "n": 10}, as_=s.lead
    )
    (event,) = events["auditLog"]["nodes"]
    assert event["actor"]["id"] == s.lead.id
    full = await api.gql(
        'query($p: ID!) { auditLog(projectId: $p, filter: {kinds: ["code.adopted"]}) '
        "{ nodes { after } } }",
        {"p": s.project},
        as_=s.lead,
    )
    after = full["auditLog"]["nodes"][0]["after"]
    assert s.c.id not in str(after) and after["rationale"] == "Several coders needed it"

    # A proposal under another proposal waits for its parent; a name taken is a conflict.
    parent = await code(api, s.d, s.project, "Waiting", codable=False)
    child = await code(api, s.d, s.project, "Waiting long", parent["id"])
    blocked = (await api.gql(ADOPT, {"id": child["id"]}, as_=s.lead))["adoptCode"]
    assert blocked["code"] == "INVALID_INPUT" and "adopt that one first" in blocked["message"]
    twin = await code(api, s.d, s.project, "Twin", s.codes["people"])
    await code(api, s.lead, s.project, "twin", s.codes["people"])
    clash = (await api.gql(ADOPT, {"id": twin["id"]}, as_=s.lead))["adoptCode"]
    assert clash["code"] == "CONFLICT"


async def test_auto_assign_reports_the_seed_it_used(api: Api) -> None:
    s = await study(api)
    coders = [s.b.id, s.c.id, s.d.id]
    first_round = await api.gql(ROUND, {"p": s.project, "n": "Calibration"}, as_=s.lead)
    second_round = await api.gql(ROUND, {"p": s.project, "n": "Calibration 2"}, as_=s.lead)
    r1, r2 = first_round["createRound"]["id"], second_round["createRound"]["id"]
    chosen = (await api.gql(AUTO, {"p": s.project, "c": coders, "r": r1}, as_=s.lead))["autoAssign"]
    assert isinstance(chosen["seed"], int) and len(chosen["created"]) == 6
    again = (
        await api.gql(AUTO, {"p": s.project, "c": coders, "r": r2, "s": chosen["seed"]}, as_=s.lead)
    )["autoAssign"]
    assert again["seed"] == chosen["seed"]

    def plan(result: dict[str, Any]) -> set[tuple[str, str]]:
        return {(a["documentId"], a["coderId"]) for a in result["created"]}

    assert plan(again) == plan(chosen)


async def test_the_agreement_report_gives_n_code_ids_and_the_methods_paragraph(
    api: Api,
) -> None:
    s = await study(api)
    report = (await api.gql(REPORT, {"p": s.project}, as_=s.lead))["agreement"]
    per_code = {b["label"]: b for b in report["perCode"]}
    assert per_code["Help > People > Colleague"]["codeId"] == s.codes["colleague"]
    assert per_code["Help > People > Colleague"]["segmentCount"] == 4
    assert per_code["Help > Services > Phone line"]["segmentCount"] == 2
    assert {b["label"]: b["segmentCount"] for b in report["perDocument"]} == {
        "P01": 5,
        "P02": 3,
        "P03": 0,
    }
    assert all(b["codeId"] is None for b in report["perDocument"])
    assert report["methodsParagraph"].startswith("Inter-coder reliability was assessed with")

    grouped = (await api.gql(REPORT, {"p": s.project, "i": {"codeLevel": "GROUP"}}, as_=s.lead))[
        "agreement"
    ]
    groups = {b["label"]: b for b in grouped["perCode"]}
    assert groups["Help > People"]["codeId"] == s.codes["people"]
    assert groups["Help > People"]["segmentCount"] == 6


async def test_the_printable_report_opens_in_the_browser_under_a_strict_policy(api: Api) -> None:
    s = await study(api)
    url_of = """query($p: ID!, $f: ExportFormat!, $i: Boolean!) {
      exportUrl(projectId: $p, format: $f, inline: $i) }"""
    url = (await api.gql(url_of, {"p": s.project, "f": "REPORT", "i": True}, as_=s.viewer))[
        "exportUrl"
    ]
    assert "view=inline" in url
    auth = {"authorization": f"Bearer {s.viewer.token}"}
    response = await api.client.get(url, headers=auth)
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("inline;")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert "Inter-coder reliability was assessed with" in response.text
    # The plain link opens in the browser too; view=download downloads it.
    plain = await api.client.get(url.replace("&view=inline", ""), headers=auth)
    assert plain.headers["content-disposition"].startswith("inline;")
    download = await api.client.get(url.replace("view=inline", "view=download"), headers=auth)
    assert download.headers["content-disposition"].startswith("attachment;")
    odd = await api.client.get(url.replace("view=inline", "view=sideways"), headers=auth)
    assert odd.status_code == 400
    refused = await api.error_code(url_of, {"p": s.project, "f": "QDPX", "i": True}, as_=s.lead)
    assert refused == "INVALID_INPUT"
    csv = await api.client.get(f"/exports/{s.project}?format=csv&view=inline", headers=auth)
    assert csv.status_code == 400
