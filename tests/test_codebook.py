"""The codebook: validation, unique sibling names, versions, moves, retiring, headings,
who may create codes, and the tree and flat listings."""

from __future__ import annotations

import uuid
from typing import Any

from tests.support import Api, Person
from tests.test_blinding import apply, assign, create_code, doc_codings, set_settings

TEXT = "P01: Jeg snakket med en kollega på telefonen, og det hjalp mye.\n"


async def setup(api: Api) -> tuple[Person, str]:
    lead = await api.person("lead")
    return lead, await api.project(lead)


async def test_create_code_validation(api: Api) -> None:
    lead, project = await setup(api)
    assert (await create_code(api, lead, project, "   "))["code"] == "INVALID_INPUT"
    for color in ("red", "#12345", "#GGGGGG", "123456"):
        bad = await create_code(api, lead, project, "Colour", color=color)
        assert bad["code"] == "INVALID_INPUT", (color, bad)
    good = await create_code(api, lead, project, "Colour", color="#1f77b4")
    assert good["__typename"] == "Code"
    unknown = await create_code(api, lead, project, "Orphan", str(uuid.uuid4()))
    assert unknown["code"] == "NOT_FOUND"
    other_project = await api.project(lead, "Another study")
    elsewhere = await create_code(api, lead, other_project, "Elsewhere")
    crossing = await create_code(api, lead, project, "Crossing", elsewhere["id"])
    assert crossing["code"] == "NOT_FOUND"
    assert crossing["message"] == unknown["message"]


async def test_sibling_names_unique_regardless_of_case(api: Api) -> None:
    lead, project = await setup(api)
    a = await create_code(api, lead, project, "Emotions", codable=False)
    b = await create_code(api, lead, project, "Practical", codable=False)
    first = await create_code(api, lead, project, "Relief", a["id"])
    assert first["__typename"] == "Code"
    clash = await create_code(api, lead, project, "  rELIEF ", a["id"])
    assert clash["code"] == "CONFLICT", clash
    assert (await create_code(api, lead, project, "emotions"))["code"] == "CONFLICT"
    other = await create_code(api, lead, project, "Relief", b["id"])
    assert other["__typename"] == "Code" and other["path"] == "Practical > Relief"
    # renaming into a clash is refused too
    rename = await api.gql(
        """mutation($id: ID!) { updateCode(id: $id, input: {name: "RELIEF"}, version: 1) {
             __typename ... on UserError { code } } }""",
        {"id": other["id"]},
        as_=lead,
    )
    assert rename["updateCode"]["__typename"] == "Code"
    move = await api.gql(
        """mutation($id: ID!, $p: ID) { moveCode(id: $id, parentId: $p, version: 2) {
             __typename ... on UserError { code } } }""",
        {"id": other["id"], "p": a["id"]},
        as_=lead,
    )
    assert move["moveCode"]["code"] == "CONFLICT"


UPDATE = """mutation($id: ID!, $v: Int!, $i: UpdateCodeInput!) {
  updateCode(id: $id, input: $i, version: $v) {
  __typename ... on Code { name definition version } ... on UserError { code message } } }"""
MOVE = """mutation($id: ID!, $p: ID, $v: Int! = 1) { moveCode(id: $id, parentId: $p, version: $v) {
  __typename ... on Code { path parentId depth } ... on UserError { code message } } }"""
RETIRE = """mutation($id: ID!, $v: Int! = 1) { retireCode(id: $id, version: $v) {
  __typename ... on Code { status } ... on UserError { code message } } }"""


async def test_update_stale_version_conflicts(api: Api) -> None:
    lead, project = await setup(api)
    made = await create_code(api, lead, project, "Support")
    first = await api.gql(
        UPDATE, {"id": made["id"], "v": 1, "i": {"definition": "Any help"}}, as_=lead
    )
    assert first["updateCode"]["version"] == 2
    stale = await api.gql(UPDATE, {"id": made["id"], "v": 1, "i": {"name": "Other"}}, as_=lead)
    assert stale["updateCode"]["code"] == "CONFLICT"
    data = await api.gql(
        "query($p: ID!) { project(id: $p) { codes { name version } } }", {"p": project}, as_=lead
    )
    assert data["project"]["codes"] == [{"name": "Support", "version": 2}]


async def test_move_refuses_cycles_and_can_go_to_the_top(api: Api) -> None:
    lead, project = await setup(api)
    top = await create_code(api, lead, project, "Top", codable=False)
    mid = await create_code(api, lead, project, "Mid", top["id"], codable=False)
    leaf = await create_code(api, lead, project, "Leaf", mid["id"])
    for target in (leaf["id"], mid["id"], top["id"]):
        refused = (await api.gql(MOVE, {"id": top["id"], "p": target}, as_=lead))["moveCode"]
        assert refused["__typename"] in ("InvalidInputError", "ConflictError"), refused
    moved = (await api.gql(MOVE, {"id": mid["id"], "p": None}, as_=lead))["moveCode"]
    assert moved == {"__typename": "Code", "path": "Mid", "parentId": None, "depth": 0}
    data = await api.gql(
        "query($p: ID!) { project(id: $p) { codes { name path depth } } }",
        {"p": project},
        as_=lead,
    )
    paths = {c["name"]: (c["path"], c["depth"]) for c in data["project"]["codes"]}
    assert paths == {"Top": ("Top", 0), "Mid": ("Mid", 0), "Leaf": ("Mid > Leaf", 1)}


async def test_retired_codes_and_headings_take_no_new_codings(api: Api) -> None:
    lead, project = await setup(api)
    coder = await api.person("coder")
    await api.add_member(lead, project, coder, "CODER")
    heading = await create_code(api, lead, project, "Heading", codable=False)
    code = await create_code(api, lead, project, "Phone", heading["id"])
    doc = (await api.import_document(lead, project, TEXT))["id"]
    await assign(api, lead, doc, coder)
    old = await apply(api, coder, doc, code["id"], 0, 4)
    assert old["__typename"] == "Coding"
    assert (await apply(api, coder, doc, heading["id"], 5, 10))["code"] == "INVALID_INPUT"
    retired = (await api.gql(RETIRE, {"id": code["id"]}, as_=lead))["retireCode"]
    assert retired == {"__typename": "Code", "status": "RETIRED"}
    refused = await apply(api, coder, doc, code["id"], 10, 20)
    assert refused["code"] == "INVALID_INPUT" and "retired" in refused["message"]
    seen = await doc_codings(api, coder, doc)
    assert ids_and_codes(seen) == {(old["id"], code["id"])}
    # a coder may not retire a shared code
    data = await api.gql(RETIRE, {"id": heading["id"]}, as_=coder)
    assert data["retireCode"]["code"] == "FORBIDDEN"


def ids_and_codes(connection: dict[str, Any]) -> set[tuple[str, str]]:
    return {(n["id"], n["appliedCode"]["id"]) for n in connection["nodes"]}


async def test_who_may_create_codes(api: Api) -> None:
    lead, project = await setup(api)
    coder, viewer = await api.person("coder"), await api.person("viewer")
    await api.add_member(lead, project, coder, "CODER")
    await api.add_member(lead, project, viewer, "VIEWER")
    assert (await create_code(api, coder, project, "Mine"))["code"] == "FORBIDDEN"
    assert (await create_code(api, viewer, project, "Mine"))["code"] == "FORBIDDEN"
    await set_settings(api, lead, project, inductiveCodes=True)
    proposed = await create_code(api, coder, project, "Mine")
    assert proposed["__typename"] == "Code" and proposed["proposedById"] == coder.id
    assert (await create_code(api, viewer, project, "Theirs"))["code"] == "FORBIDDEN"
    shared = await create_code(api, lead, project, "Shared")
    assert shared["proposedById"] is None
    # a coder cannot change the shared codebook even in inductive mode
    data = await api.gql(UPDATE, {"id": shared["id"], "v": 1, "i": {"name": "X"}}, as_=coder)
    assert data["updateCode"]["code"] == "FORBIDDEN"
    stranger = await api.person("stranger")
    assert (await create_code(api, stranger, project, "Nope"))["code"] in ("NOT_FOUND", "FORBIDDEN")


async def test_codebook_tree_and_flat_order(api: Api) -> None:
    lead, project = await setup(api)
    help_ = await create_code(api, lead, project, "Help", codable=False)
    channels = await create_code(api, lead, project, "Channels", help_["id"], codable=False)
    phone = await create_code(api, lead, project, "Phone", channels["id"])
    other = await create_code(api, lead, project, "Other")
    chat = await create_code(api, lead, project, "Chat", channels["id"])
    data = await api.gql(
        """query($p: ID!) { project(id: $p) {
             codebook { name codable children { name children { name depth children { name } } } }
             codes { id name path depth } } }""",
        {"p": project},
        as_=lead,
    )
    tree = data["project"]["codebook"]
    assert tree == [
        {
            "name": "Help",
            "codable": False,
            "children": [
                {
                    "name": "Channels",
                    "children": [
                        {"name": "Phone", "depth": 2, "children": []},
                        {"name": "Chat", "depth": 2, "children": []},
                    ],
                }
            ],
        },
        {"name": "Other", "codable": True, "children": []},
    ]
    flat = data["project"]["codes"]
    assert [c["id"] for c in flat] == [
        help_["id"],
        channels["id"],
        phone["id"],
        chat["id"],
        other["id"],
    ]
    assert [(c["path"], c["depth"]) for c in flat] == [
        ("Help", 0),
        ("Help > Channels", 1),
        ("Help > Channels > Phone", 2),
        ("Help > Channels > Chat", 2),
        ("Other", 0),
    ]


async def test_codebook_decisions_carry_their_rationale_into_the_decision_log(api: Api) -> None:
    lead = await api.person("lead")
    project = await api.project(lead)
    made = await api.gql(
        """mutation($p: ID!) { createCode(projectId: $p, input: {name: "Tlf"}) {
             ... on Code { id } } }""",
        {"p": project},
        as_=lead,
    )
    code_id = made["createCode"]["id"]
    await api.gql(
        """mutation($id: ID!) { renameCode(id: $id, name: "Phone", version: 1,
             rationale: "Spell out the abbreviation") { __typename } }""",
        {"id": code_id},
        as_=lead,
    )
    await api.gql(
        """mutation($id: ID!) { retireCode(id: $id, version: 2, rationale: "Folded into Channels") {
             __typename } }""",
        {"id": code_id},
        as_=lead,
    )
    log = await api.gql(
        "query($p: ID!) { decisionLog(projectId: $p) { kind rationale } }", {"p": project}, as_=lead
    )
    decided = {(d["kind"], d["rationale"]) for d in log["decisionLog"]}
    assert ("code.renamed", "Spell out the abbreviation") in decided
    assert ("code.retired", "Folded into Channels") in decided
