"""The coding issue's end-to-end script: codebook, assignment, blind coding, reveal."""

from __future__ import annotations

from typing import Any

from tests.support import Api, Person

TEXT = "Interviewer: Hvordan fikk du hjelp?\nP07: Jeg ringte kollegatelefonen 😊 og fikk svar.\n"

CREATE_CODE = """mutation($p: ID!, $i: CodeInput!) { createCode(projectId: $p, input: $i) {
  __typename ... on Code { id name path version } ... on UserError { code message } } }"""
APPLY = """mutation($i: ApplyCodeInput!) { applyCode(input: $i) {
  __typename ... on Coding { id start end text version appliedCode: code { name } coder { email } }
  ... on UserError { code message } } }"""
DOC_CODINGS = """query($d: ID!) { document(id: $d) { codings { totalCount nodes {
  id text coder { email } } } } }"""


async def code(
    api: Api, who: Person, project: str, name: str, parent: str | None = None, codable: bool = True
) -> dict[str, Any]:
    data = await api.gql(
        CREATE_CODE,
        {"p": project, "i": {"name": name, "parentId": parent, "codable": codable}},
        as_=who,
    )
    result: dict[str, Any] = data["createCode"]
    return result


async def apply(
    api: Api, who: Person, doc: str, code_id: str, start: int, end: int
) -> dict[str, Any]:
    data = await api.gql(
        APPLY, {"i": {"documentId": doc, "codeId": code_id, "start": start, "end": end}}, as_=who
    )
    result: dict[str, Any] = data["applyCode"]
    return result


async def test_blind_coding_then_reveal(api: Api) -> None:
    lead, b, c = await api.person("lead"), await api.person("coderb"), await api.person("coderc")
    project = await api.project(lead)
    for who in (b, c):
        await api.add_member(lead, project, who, "CODER")
    category = await code(api, lead, project, "Help-seeking", codable=False)
    group = await code(api, lead, project, "Channels", category["id"], codable=False)
    phone = await code(api, lead, project, "Phone", group["id"])
    assert phone["path"] == "Help-seeking > Channels > Phone"
    doc = (await api.import_document(lead, project, TEXT))["id"]
    for who in (b, c):
        data = await api.gql(
            """mutation($d: ID!, $u: ID!) {
                 assignDocument(documentId: $d, userId: $u) { __typename } }""",
            {"d": doc, "u": who.id},
            as_=lead,
        )
        assert data["assignDocument"]["__typename"] == "Assignment"

    made_b = await apply(api, b, doc, phone["id"], 40, 60)
    assert made_b["__typename"] == "Coding", made_b
    made_c = await apply(api, c, doc, phone["id"], 45, 70)
    assert made_c["__typename"] == "Coding"
    # a heading is not codable, an overlap of one's own same-code segment is refused
    assert (await apply(api, b, doc, category["id"], 0, 5))["code"] == "INVALID_INPUT"
    overlap = await apply(api, b, doc, phone["id"], 50, 80)
    assert overlap["code"] == "CONFLICT" and "extend" in overlap["message"]
    assert (await apply(api, b, doc, phone["id"], 0, 10_000))["code"] == "INVALID_INPUT"

    seen_b = (await api.gql(DOC_CODINGS, {"d": doc}, as_=b))["document"]["codings"]
    assert seen_b["totalCount"] == 1 and seen_b["nodes"][0]["coder"]["email"] == b.email
    assert (await api.gql(DOC_CODINGS, {"d": doc}, as_=lead))["document"]["codings"][
        "totalCount"
    ] == 2
    other = await api.gql(
        "mutation($id: ID!) { deleteCoding(id: $id) { __typename ... on UserError { code } } }",
        {"id": made_c["id"]},
        as_=b,
    )
    assert other["deleteCoding"]["code"] == "NOT_FOUND"

    submit = """mutation($d: ID!) { submitAssignment(documentId: $d) {
      __typename ... on Assignment { status } } }"""
    assert (await api.gql(submit, {"d": doc}, as_=b))["submitAssignment"]["status"] == "SUBMITTED"
    assert (await apply(api, b, doc, phone["id"], 0, 5))["code"] == "FORBIDDEN"
    assert (await api.gql(DOC_CODINGS, {"d": doc}, as_=b))["document"]["codings"]["totalCount"] == 1
    await api.gql(submit, {"d": doc}, as_=c)
    revealed = (await api.gql(DOC_CODINGS, {"d": doc}, as_=b))["document"]["codings"]
    assert revealed["totalCount"] == 2


async def test_stale_code_version_conflicts(api: Api) -> None:
    lead = await api.person("lead")
    project = await api.project(lead)
    made = await code(api, lead, project, "Support")
    update = """mutation($id: ID!, $v: Int!, $n: String!) {
      updateCode(id: $id, input: {name: $n}, version: $v) {
      __typename ... on Code { version } ... on UserError { code } } }"""
    first = await api.gql(
        update, {"id": made["id"], "v": made["version"], "n": "Peer support"}, as_=lead
    )
    assert first["updateCode"]["version"] == made["version"] + 1
    stale = await api.gql(update, {"id": made["id"], "v": made["version"], "n": "Other"}, as_=lead)
    assert stale["updateCode"]["code"] == "CONFLICT"
