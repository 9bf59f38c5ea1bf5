"""Blinding attacks: coder B tries every route to coder C's unrevealed work.

Blinding is a security property: before a document is revealed for a round, nothing of
another coder's layer may reach a coder, through fields, nested fields, connections,
counts, memos, proposed codes, error messages or the audit log.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from tests.support import Api, Person

TEXT = (
    "Interviewer: Hvordan fikk du hjelp?\n"
    "P07: Jeg ringte kollegatelefonen 😊 og fikk svar. Det hjalp å snakke med noen som "
    "forsto jobben, og jeg følte meg mindre alene etterpå.\n"
    "Interviewer: Hva skjedde så?\n"
    "P07: Vi møttes på kafé, og det ble en vane hver fredag.\n"
)

CREATE_CODE = """mutation($p: ID!, $i: CodeInput!) { createCode(projectId: $p, input: $i) {
  __typename ... on Code { id name path version depth proposedById }
  ... on UserError { code message } } }"""
APPLY = """mutation($i: ApplyCodeInput!) { applyCode(input: $i) {
  __typename ... on Coding { id start end text version appliedCode: code { id name }
  coder { id email } }
  ... on UserError { code message } } }"""
ASSIGN = """mutation($d: ID!, $u: ID!, $r: ID) {
  assignDocument(documentId: $d, userId: $u, roundId: $r) {
  __typename ... on Assignment { id status } ... on UserError { code message } } }"""
SUBMIT = """mutation($d: ID!, $r: ID) { submitAssignment(documentId: $d, roundId: $r) {
  __typename ... on Assignment { status } ... on UserError { code message } } }"""
DOC_CODINGS = """query($d: ID!, $r: ID) { document(id: $d) {
  codings(roundId: $r) { totalCount nodes { id text coder { id } appliedCode: code { id } } }
} }"""
PROJECT_CODINGS = """query($p: ID!, $f: CodingFilterInput) { project(id: $p) {
  codings(filter: $f) { totalCount nodes { id coder { id } } } } }"""
CREATE_MEMO = """mutation($t: MemoTarget!, $id: ID!, $x: String!) {
  createMemo(targetType: $t, targetId: $id, text: $x) {
  __typename ... on Memo { id text version } ... on UserError { code message } } }"""
DOC_MEMOS = """query($d: ID!) { document(id: $d) { memos { id text author { id } } } }"""
PROJECT_MEMOS = """query($p: ID!) { project(id: $p) { memos { id text author { id } } } }"""
CODING_MEMOS = """query($p: ID!, $id: ID!) { project(id: $p) {
  memos(targetType: CODING, targetId: $id) { id text } } }"""


async def create_code(
    api: Api,
    who: Person,
    project: str,
    name: str,
    parent: str | None = None,
    codable: bool = True,
    **extra: Any,
) -> dict[str, Any]:
    data = await api.gql(
        CREATE_CODE,
        {"p": project, "i": {"name": name, "parentId": parent, "codable": codable, **extra}},
        as_=who,
    )
    result: dict[str, Any] = data["createCode"]
    return result


async def apply(
    api: Api,
    who: Person,
    doc: str,
    code_id: str,
    start: int,
    end: int,
    round_id: str | None = None,
) -> dict[str, Any]:
    data = await api.gql(
        APPLY,
        {
            "i": {
                "documentId": doc,
                "codeId": code_id,
                "start": start,
                "end": end,
                "roundId": round_id,
            }
        },
        as_=who,
    )
    result: dict[str, Any] = data["applyCode"]
    return result


async def assign(
    api: Api, lead: Person, doc: str, who: Person, round_id: str | None = None
) -> dict[str, Any]:
    data = await api.gql(ASSIGN, {"d": doc, "u": who.id, "r": round_id}, as_=lead)
    result: dict[str, Any] = data["assignDocument"]
    return result


async def submit(api: Api, who: Person, doc: str, round_id: str | None = None) -> dict[str, Any]:
    result: dict[str, Any] = (await api.gql(SUBMIT, {"d": doc, "r": round_id}, as_=who))[
        "submitAssignment"
    ]
    return result


async def doc_codings(
    api: Api, who: Person, doc: str, round_id: str | None = None
) -> dict[str, Any]:
    result: dict[str, Any] = (await api.gql(DOC_CODINGS, {"d": doc, "r": round_id}, as_=who))[
        "document"
    ]["codings"]
    return result


async def project_codings(
    api: Api, who: Person, project: str, f: dict[str, Any] | None = None
) -> dict[str, Any]:
    result: dict[str, Any] = (await api.gql(PROJECT_CODINGS, {"p": project, "f": f}, as_=who))[
        "project"
    ]["codings"]
    return result


async def memo(api: Api, who: Person, target_type: str, target: str, text: str) -> dict[str, Any]:
    result: dict[str, Any] = (
        await api.gql(CREATE_MEMO, {"t": target_type, "id": target, "x": text}, as_=who)
    )["createMemo"]
    return result


async def set_settings(api: Api, lead: Person, project: str, **settings: Any) -> None:
    data = await api.gql(
        """mutation($p: ID!, $s: ProjectSettingsInput!) {
             updateProject(id: $p, settings: $s) { __typename ... on UserError { message } } }""",
        {"p": project, "s": settings},
        as_=lead,
    )
    assert data["updateProject"]["__typename"] == "Project", data


class Team:
    """A project with a lead, two coders (B and C), a viewer, a codebook and a document."""

    def __init__(self, api: Api) -> None:
        self.api = api

    async def build(self, *, blinding: bool = True) -> Team:
        api = self.api
        self.lead = await api.person("lead")
        self.b = await api.person("coderb")
        self.c = await api.person("coderc")
        self.viewer = await api.person("viewer")
        self.project = await api.project(self.lead)
        for who in (self.b, self.c):
            await api.add_member(self.lead, self.project, who, "CODER")
        await api.add_member(self.lead, self.project, self.viewer, "VIEWER")
        if not blinding:
            await set_settings(api, self.lead, self.project, blinding=False)
        self.category = await create_code(api, self.lead, self.project, "Help", codable=False)
        self.group = await create_code(
            api, self.lead, self.project, "Channels", self.category["id"], codable=False
        )
        self.phone = await create_code(api, self.lead, self.project, "Phone", self.group["id"])
        self.peer = await create_code(api, self.lead, self.project, "Peer", self.group["id"])
        assert self.phone["path"] == "Help > Channels > Phone"
        assert self.phone["depth"] == 2
        self.doc = (await api.import_document(self.lead, self.project, TEXT))["id"]
        for who in (self.b, self.c):
            assert (await assign(api, self.lead, self.doc, who))["__typename"] == "Assignment"
        return self


def ids(connection: dict[str, Any]) -> set[str]:
    return {n["id"] for n in connection["nodes"]}


def coders(connection: dict[str, Any]) -> set[str]:
    return {n["coder"]["id"] for n in connection["nodes"]}


async def code_concurrently(t: Team, n: int = 12) -> tuple[list[str], list[str]]:
    """B and C each apply ``n`` codings at once; the segments never overlap per code."""

    def calls(who: Person) -> list[Any]:
        return [
            apply(t.api, who, t.doc, (t.phone if i % 2 else t.peer)["id"], i * 5, i * 5 + 4)
            for i in range(n)
        ]

    results = await asyncio.gather(*calls(t.b), *calls(t.c))
    assert all(r["__typename"] == "Coding" for r in results), results
    made_b = [r["id"] for r in results[:n]]
    made_c = [r["id"] for r in results[n:]]
    assert all(r["coder"]["id"] == t.b.id for r in results[:n])
    assert all(r["coder"]["id"] == t.c.id for r in results[n:])
    return made_b, made_c


async def not_found_message(api: Api, who: Person, query: str, variables: dict[str, Any]) -> str:
    data = await api.gql(query, variables, as_=who)
    result = next(iter(data.values()))
    assert result["__typename"] == "NotFoundError", result
    assert result["code"] == "NOT_FOUND"
    message: str = result["message"]
    return message


UPDATE_CODING = """mutation($id: ID!) { updateCoding(id: $id, input: {end: 100}, version: 1) {
  __typename ... on Coding { id } ... on UserError { code message } } }"""
DELETE_CODING = """mutation($id: ID!) { deleteCoding(id: $id) {
  __typename ... on DeletedCoding { id } ... on UserError { code message } } }"""
MEMO_ON_CODING = """mutation($id: ID!) { createMemo(targetType: CODING, targetId: $id, text: "x") {
  __typename ... on Memo { id } ... on UserError { code message } } }"""
UPDATE_MEMO = """mutation($id: ID!) { updateMemo(id: $id, text: "mine now", version: 1) {
  __typename ... on Memo { id text } ... on UserError { code message } } }"""
DELETE_MEMO = """mutation($id: ID!) { deleteMemo(id: $id) {
  __typename ... on DeletedMemo { id } ... on UserError { code message } } }"""


async def test_coder_sees_nothing_of_another_layer_before_reveal(api: Api) -> None:
    t = await Team(api).build()
    made_b, made_c = await code_concurrently(t)
    n = len(made_b)

    # Codings on the document: only B's own, in the nodes and in the count.
    seen = await doc_codings(api, t.b, t.doc)
    assert seen["totalCount"] == n and ids(seen) == set(made_b)
    assert coders(seen) == {t.b.id}
    # The project connection, unfiltered and filtered on C.
    seen = await project_codings(api, t.b, t.project)
    assert seen["totalCount"] == n and ids(seen) == set(made_b)
    seen = await project_codings(api, t.b, t.project, {"coderId": t.c.id})
    assert seen == {"totalCount": 0, "nodes": []}
    seen = await project_codings(
        api, t.b, t.project, {"coderId": t.c.id, "documentId": t.doc, "codeId": t.phone["id"]}
    )
    assert seen == {"totalCount": 0, "nodes": []}
    # document.codings filtered on C
    data = await api.gql(
        """query($d: ID!, $c: ID!) { document(id: $d) { codings(coderId: $c) {
             totalCount nodes { id } } } }""",
        {"d": t.doc, "c": t.c.id},
        as_=t.b,
    )
    assert data["document"]["codings"] == {"totalCount": 0, "nodes": []}
    # the document is not revealed yet
    data = await api.gql("query($d: ID!) { document(id: $d) { revealed } }", {"d": t.doc}, as_=t.b)
    assert data["document"]["revealed"] is False

    # Assignments: B sees only their own, on the project and on the document.
    data = await api.gql(
        """query($p: ID!, $d: ID!) {
             project(id: $p) { assignments { coderId codingCount status } }
             document(id: $d) { assignments { coderId codingCount } } }""",
        {"p": t.project, "d": t.doc},
        as_=t.b,
    )
    assert [a["coderId"] for a in data["project"]["assignments"]] == [t.b.id]
    assert data["project"]["assignments"][0]["codingCount"] == n
    assert [a["coderId"] for a in data["document"]["assignments"]] == [t.b.id]
    # Progress (every coder's counts) is for leads and viewers only.
    progress = "query($p: ID!) { project(id: $p) { progress { codingCount } } }"
    assert await api.error_code(progress, {"p": t.project}, as_=t.b) == "FORBIDDEN"

    # Memos: C's memo on the document and on C's coding stay hidden.
    doc_memo_c = await memo(api, t.c, "DOCUMENT", t.doc, "C thinks this is about loneliness")
    coding_memo_c = await memo(api, t.c, "CODING", made_c[0], "C: borderline phone case")
    assert doc_memo_c["__typename"] == "Memo" and coding_memo_c["__typename"] == "Memo"
    doc_memo_b = await memo(api, t.b, "DOCUMENT", t.doc, "B's own note")
    assert doc_memo_b["__typename"] == "Memo"
    lead_memo = await memo(api, t.lead, "DOCUMENT", t.doc, "Lead: shared guidance")
    memos_b = (await api.gql(DOC_MEMOS, {"d": t.doc}, as_=t.b))["document"]["memos"]
    assert {m["id"] for m in memos_b} == {doc_memo_b["id"], lead_memo["id"]}
    memos_b = (await api.gql(PROJECT_MEMOS, {"p": t.project}, as_=t.b))["project"]["memos"]
    assert {m["id"] for m in memos_b} == {doc_memo_b["id"], lead_memo["id"]}
    data = await api.gql(CODING_MEMOS, {"p": t.project, "id": made_c[0]}, as_=t.b)
    assert data["project"]["memos"] == []

    # Error messages: C's coding id answers exactly like an id that does not exist.
    random_id = str(uuid.uuid4())
    for query in (UPDATE_CODING, DELETE_CODING, MEMO_ON_CODING):
        real = await not_found_message(api, t.b, query, {"id": made_c[0]})
        fake = await not_found_message(api, t.b, query, {"id": random_id})
        assert real == fake, (query, real, fake)
    for query in (UPDATE_MEMO, DELETE_MEMO):
        real = await not_found_message(api, t.b, query, {"id": coding_memo_c["id"]})
        fake = await not_found_message(api, t.b, query, {"id": random_id})
        assert real == fake
        assert await not_found_message(api, t.b, query, {"id": doc_memo_c["id"]}) == fake
    # nothing of C's changed through those attempts
    lead_view = await doc_codings(api, t.lead, t.doc)
    assert lead_view["totalCount"] == 2 * n and ids(lead_view) == set(made_b) | set(made_c)

    # The audit log is for leads and viewers.
    audit = "query($p: ID!) { auditLog(projectId: $p) { __typename } }"
    assert await api.error_code(audit, {"p": t.project}, as_=t.b) == "FORBIDDEN"
    assert await api.error_code(audit, {"p": t.project}, as_=t.c) == "FORBIDDEN"

    # The viewer and the lead see both layers, with counts, and every memo.
    for who in (t.lead, t.viewer):
        seen = await doc_codings(api, who, t.doc)
        assert seen["totalCount"] == 2 * n and coders(seen) == {t.b.id, t.c.id}
        seen = await project_codings(api, who, t.project, {"coderId": t.c.id})
        assert seen["totalCount"] == n and ids(seen) == set(made_c)
        memos_all = (await api.gql(DOC_MEMOS, {"d": t.doc}, as_=who))["document"]["memos"]
        assert doc_memo_c["id"] in {m["id"] for m in memos_all}
        data = await api.gql(CODING_MEMOS, {"p": t.project, "id": made_c[0]}, as_=who)
        assert [m["id"] for m in data["project"]["memos"]] == [coding_memo_c["id"]]
        data = await api.gql(
            "query($p: ID!) { project(id: $p) { progress { coder { id } codingCount } } }",
            {"p": t.project},
            as_=who,
        )
        counts = {p["coder"]["id"]: p["codingCount"] for p in data["project"]["progress"]}
        assert counts == {t.b.id: n, t.c.id: n}

    # After both submit, the document is revealed automatically and B sees C's layer.
    assert (await submit(api, t.b, t.doc))["status"] == "SUBMITTED"
    assert (await doc_codings(api, t.b, t.doc))["totalCount"] == n
    assert (await submit(api, t.c, t.doc))["status"] == "SUBMITTED"
    data = await api.gql("query($d: ID!) { document(id: $d) { revealed } }", {"d": t.doc}, as_=t.b)
    assert data["document"]["revealed"] is True
    seen = await doc_codings(api, t.b, t.doc)
    assert seen["totalCount"] == 2 * n and coders(seen) == {t.b.id, t.c.id}
    seen = await project_codings(api, t.b, t.project, {"coderId": t.c.id})
    assert seen["totalCount"] == n and ids(seen) == set(made_c)
    memos_b = (await api.gql(DOC_MEMOS, {"d": t.doc}, as_=t.b))["document"]["memos"]
    assert doc_memo_c["id"] in {m["id"] for m in memos_b}
    data = await api.gql(CODING_MEMOS, {"p": t.project, "id": made_c[0]}, as_=t.b)
    assert [m["id"] for m in data["project"]["memos"]] == [coding_memo_c["id"]]
    # Revealed is read-only for others: B still cannot change C's coding or memo.
    result = (await api.gql(DELETE_CODING, {"id": made_c[0]}, as_=t.b))["deleteCoding"]
    assert result["__typename"] != "DeletedCoding"
    result = (await api.gql(UPDATE_MEMO, {"id": coding_memo_c["id"]}, as_=t.b))["updateMemo"]
    assert result["__typename"] != "Memo"


async def test_proposed_codes_stay_private_in_inductive_mode(api: Api) -> None:
    t = await Team(api).build()
    await set_settings(api, t.lead, t.project, inductiveCodes=True)
    proposed = await create_code(api, t.c, t.project, "Kafé-vane", t.group["id"])
    assert proposed["__typename"] == "Code", proposed
    assert proposed["proposedById"] == t.c.id

    listing = """query($p: ID!) { project(id: $p) {
      codebook { id children { id children { id name } } } codes { id name } } }"""
    data = (await api.gql(listing, {"p": t.project}, as_=t.b))["project"]

    def all_ids(nodes: list[dict[str, Any]]) -> set[str]:
        out: set[str] = set()
        for node in nodes:
            out.add(node["id"])
            out |= all_ids(node.get("children") or [])
        return out

    assert proposed["id"] not in all_ids(data["codebook"])
    assert proposed["id"] not in {c["id"] for c in data["codes"]}
    for who in (t.c, t.lead, t.viewer):
        data = (await api.gql(listing, {"p": t.project}, as_=who))["project"]
        assert proposed["id"] in all_ids(data["codebook"])
        assert proposed["id"] in {c["id"] for c in data["codes"]}

    # B proposes the same name (any case) under the same parent: a conflict would leak it.
    mine = await create_code(api, t.b, t.project, "kafé-VANE", t.group["id"])
    assert mine["__typename"] == "Code", mine
    # B cannot use, nest under, annotate or change C's proposal: NOT_FOUND like a random id.
    random_id = str(uuid.uuid4())
    real = await apply(api, t.b, t.doc, proposed["id"], 0, 5)
    fake = await apply(api, t.b, t.doc, random_id, 0, 5)
    assert real["code"] == fake["code"] == "NOT_FOUND" and real["message"] == fake["message"]
    real = await create_code(api, t.b, t.project, "Under", proposed["id"])
    fake = await create_code(api, t.b, t.project, "Under", random_id)
    assert real["code"] == fake["code"] == "NOT_FOUND" and real["message"] == fake["message"]
    for query in (
        """mutation($id: ID!) { updateCode(id: $id, input: {name: "X"}, version: 1) {
             __typename ... on UserError { code message } } }""",
        """mutation($id: ID!) { retireCode(id: $id, version: 1) {
             __typename ... on UserError { code message } } }""",
        """mutation($id: ID!) { createMemo(targetType: CODE, targetId: $id, text: "x") {
             __typename ... on UserError { code message } } }""",
    ):
        assert await not_found_message(
            api, t.b, query, {"id": proposed["id"]}
        ) == await not_found_message(api, t.b, query, {"id": random_id})
    # C codes with the proposal; B does not see it, the lead does.
    made = await apply(api, t.c, t.doc, proposed["id"], 0, 5)
    assert made["__typename"] == "Coding", made
    assert (await doc_codings(api, t.b, t.doc))["totalCount"] == 0
    lead_view = await doc_codings(api, t.lead, t.doc)
    assert lead_view["nodes"][0]["appliedCode"]["id"] == proposed["id"]


async def test_lead_reveals_early_and_coders_cannot(api: Api) -> None:
    t = await Team(api).build()
    made_c = await apply(api, t.c, t.doc, t.phone["id"], 0, 10)
    reveal = """mutation($d: ID!) { revealDocument(documentId: $d) {
      __typename ... on Reveal { documentId } ... on UserError { code } } }"""
    for who in (t.b, t.c):
        assert (await api.gql(reveal, {"d": t.doc}, as_=who))["revealDocument"][
            "code"
        ] == "FORBIDDEN"
    assert (await doc_codings(api, t.b, t.doc))["totalCount"] == 0
    data = await api.gql(reveal, {"d": t.doc}, as_=t.lead)
    assert data["revealDocument"]["documentId"] == t.doc
    seen = await doc_codings(api, t.b, t.doc)
    assert seen["totalCount"] == 1 and ids(seen) == {made_c["id"]}


async def test_reveals_are_per_round(api: Api) -> None:
    t = await Team(api).build()
    await apply(api, t.b, t.doc, t.phone["id"], 0, 10)
    await apply(api, t.c, t.doc, t.phone["id"], 0, 10)
    await submit(api, t.b, t.doc)
    await submit(api, t.c, t.doc)
    assert (await doc_codings(api, t.b, t.doc))["totalCount"] == 2

    data = await api.gql(
        """mutation($p: ID!) { createRound(projectId: $p, name: "Calibration 2") {
             __typename ... on Round { id isDefault } } }""",
        {"p": t.project},
        as_=t.lead,
    )
    second = data["createRound"]["id"]
    assert data["createRound"]["isDefault"] is False
    for who in (t.b, t.c):
        assert (await assign(api, t.lead, t.doc, who, second))["__typename"] == "Assignment"
    made_c = await apply(api, t.c, t.doc, t.phone["id"], 0, 10, second)
    assert made_c["__typename"] == "Coding"
    # the first round stays revealed; the second round's codings stay hidden
    assert (await doc_codings(api, t.b, t.doc, second))["totalCount"] == 0
    everything = await doc_codings(api, t.b, t.doc)
    assert everything["totalCount"] == 2 and made_c["id"] not in ids(everything)
    seen = await project_codings(api, t.b, t.project, {"roundId": second})
    assert seen["totalCount"] == 0
    message = await not_found_message(api, t.b, DELETE_CODING, {"id": made_c["id"]})
    assert message == await not_found_message(api, t.b, DELETE_CODING, {"id": str(uuid.uuid4())})
    assert (await doc_codings(api, t.lead, t.doc, second))["totalCount"] == 1


async def test_without_blinding_coders_see_each_other(api: Api) -> None:
    t = await Team(api).build(blinding=False)
    made_b, made_c = await code_concurrently(t, 3)
    seen = await doc_codings(api, t.b, t.doc)
    assert seen["totalCount"] == 6 and ids(seen) == set(made_b) | set(made_c)
    seen = await project_codings(api, t.b, t.project, {"coderId": t.c.id})
    assert ids(seen) == set(made_c)
    c_memo = await memo(api, t.c, "CODING", made_c[0], "visible")
    data = await api.gql(CODING_MEMOS, {"p": t.project, "id": made_c[0]}, as_=t.b)
    assert [m["id"] for m in data["project"]["memos"]] == [c_memo["id"]]


async def test_coding_table_shows_what_codings_shows(api: Api) -> None:
    """The columnar read goes through the same blinding as `codings`."""
    lead, b, c = await api.person("lead"), await api.person("coderb"), await api.person("coderc")
    project = await api.project(lead)
    for who in (b, c):
        await api.add_member(lead, project, who, "CODER")
    code_id = (await create_code(api, lead, project, "Phone"))["id"]
    doc = (await api.import_document(lead, project, "P01: Jeg ringte kollegatelefonen. " * 5))["id"]
    for who in (b, c):
        await assign(api, lead, doc, who)
    await apply(api, b, doc, code_id, 0, 10)
    await apply(api, c, doc, code_id, 12, 20)
    table = """query($d: ID!) { document(id: $d) {
      codingTable { count ids starts ends coderIds texts }
      codings(first: 100) { nodes { id start end text coder { id } } } } }"""
    for who, expected in ((b, 1), (lead, 2)):
        data = (await api.gql(table, {"d": doc}, as_=who))["document"]
        columns, nodes = data["codingTable"], data["codings"]["nodes"]
        assert columns["count"] == len(nodes) == expected
        assert columns["ids"] == [n["id"] for n in nodes]
        assert columns["starts"] == [n["start"] for n in nodes]
        assert columns["texts"] == [n["text"] for n in nodes]
        assert columns["coderIds"] == [n["coder"]["id"] for n in nodes]
    assert (await api.gql(table, {"d": doc}, as_=b))["document"]["codingTable"]["coderIds"] == [
        b.id
    ]


async def test_an_unknown_layer_is_refused_not_silently_empty(api: Api) -> None:
    lead = await api.person("lead")
    project = await api.project(lead)
    doc = (await api.import_document(lead, project, "P01: Ja."))["id"]
    for field in (
        'codings(layer: "consensus") { totalCount }',
        'codingTable(layer: "x") { count }',
    ):
        body = await api.raw(
            f"query($d: ID!) {{ document(id: $d) {{ {field} }} }}", {"d": doc}, as_=lead
        )
        assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
        assert "Layer is one of CODER, CONSENSUS." in body["errors"][0]["message"]
    ok = await api.gql(
        "query($d: ID!) { document(id: $d) { codings(layer: CONSENSUS) { totalCount } } }",
        {"d": doc},
        as_=lead,
    )
    assert ok["document"]["codings"]["totalCount"] == 0


async def test_coding_table_refuses_more_than_it_returns_at_once(api: Api) -> None:
    from uuid import UUID

    lead = await api.person("lead")
    project = await api.project(lead)
    code_id = (await create_code(api, lead, project, "Phone"))["id"]
    doc = (await api.import_document(lead, project, "abcd " * 12_000))["id"]
    round_id = await api.pool.fetchval(
        "SELECT id FROM rounds WHERE project_id = $1 AND is_default", UUID(project)
    )
    await api.pool.execute(
        "INSERT INTO codings (project_id, document_id, round_id, coder_id, code_id, "
        "start_offset, end_offset) SELECT $1, $2, $3, $4, $5, g * 5, g * 5 + 4 "
        "FROM generate_series(0, 10000) g",
        UUID(project),
        UUID(doc),
        round_id,
        UUID(lead.id),
        UUID(code_id),
    )
    body = await api.raw(
        "query($d: ID!) { document(id: $d) { codingTable { count } } }", {"d": doc}, as_=lead
    )
    assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    assert "narrow the filter" in body["errors"][0]["message"]
