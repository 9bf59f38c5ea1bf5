"""Assignments and codings: who may be assigned, the status cycle, segment validation,
unassigning, automatic assignment, coding versions, progress and rounds."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

from tests.support import Api, Person
from tests.test_blinding import TEXT, apply, assign, create_code, submit

STATUS = """query($p: ID!) { project(id: $p) { assignments {
  coderId status codingCount reopenReason submittedAt lastActivityAt } } }"""
REOPEN = """mutation($d: ID!, $u: ID!, $x: String!) {
  reopenAssignment(documentId: $d, userId: $u, reason: $x) {
  __typename ... on Assignment { status reopenReason } ... on UserError { code message } } }"""
UNASSIGN = """mutation($d: ID!, $u: ID!) { unassign(documentId: $d, userId: $u) {
  __typename ... on Assignment { id } ... on UserError { code message } } }"""
AUTO = """mutation($p: ID!, $c: [ID!]!, $n: Int!, $s: Int, $r: ID) {
  autoAssign(projectId: $p, coderIds: $c, codersPerDocument: $n, seed: $s, roundId: $r) {
  __typename ... on AutoAssignment { created { documentId coderId } }
  ... on UserError { code message } } }"""
UPDATE_CODING = """mutation($id: ID!, $v: Int!, $i: UpdateCodingInput!) {
  updateCoding(id: $id, input: $i, version: $v) {
  __typename ... on Coding { start end version } ... on UserError { code message } } }"""


async def team(api: Api, coders: int = 2) -> tuple[Person, str, list[Person], str, str]:
    lead = await api.person("lead")
    project = await api.project(lead)
    people = [await api.person(f"coder{i}") for i in range(coders)]
    for who in people:
        await api.add_member(lead, project, who, "CODER")
    code = (await create_code(api, lead, project, "Phone"))["id"]
    doc = (await api.import_document(lead, project, TEXT))["id"]
    return lead, project, people, code, doc


async def status_of(api: Api, who: Person, project: str) -> dict[str, Any]:
    rows = (await api.gql(STATUS, {"p": project}, as_=who))["project"]["assignments"]
    assert len(rows) == 1
    result: dict[str, Any] = rows[0]
    return result


async def test_who_may_be_assigned(api: Api) -> None:
    lead, project, (coder,), _, doc = await team(api, 1)
    viewer, stranger = await api.person("viewer"), await api.person("stranger")
    await api.add_member(lead, project, viewer, "VIEWER")
    assert (await assign(api, lead, doc, viewer))["code"] == "INVALID_INPUT"
    assert (await assign(api, lead, doc, stranger))["code"] in ("INVALID_INPUT", "NOT_FOUND")
    data = await api.gql(
        """mutation($d: ID!, $u: ID!) { assignDocument(documentId: $d, userId: $u) {
             __typename ... on UserError { code } } }""",
        {"d": doc, "u": str(uuid.uuid4())},
        as_=lead,
    )
    assert data["assignDocument"]["code"] in ("INVALID_INPUT", "NOT_FOUND")
    assert (await assign(api, lead, doc, coder))["status"] == "ASSIGNED"
    assert (await assign(api, lead, doc, coder))["code"] == "CONFLICT"
    assert (await assign(api, lead, doc, lead))["__typename"] == "Assignment"
    # a coder cannot assign
    other = await api.person("other")
    await api.add_member(lead, project, other, "CODER")
    assert (await assign(api, coder, doc, other))["code"] == "FORBIDDEN"


async def test_status_cycle_and_refusals(api: Api) -> None:
    lead, project, (coder,), code, doc = await team(api, 1)
    length = len(TEXT)
    # without an assignment
    assert (await apply(api, coder, doc, code, 0, 5))["code"] == "FORBIDDEN"
    await assign(api, lead, doc, coder)
    assert (await status_of(api, coder, project))["status"] == "ASSIGNED"
    assert (await apply(api, coder, doc, code, 0, length + 1))["code"] == "INVALID_INPUT"
    assert (await apply(api, coder, doc, code, 10, 10))["code"] == "INVALID_INPUT"
    assert (await apply(api, coder, doc, code, 12, 10))["code"] == "INVALID_INPUT"
    assert (await apply(api, coder, doc, code, -1, 10))["code"] == "INVALID_INPUT"
    assert (await status_of(api, coder, project))["status"] == "ASSIGNED"
    first = await apply(api, coder, doc, code, 0, 10)
    assert first["__typename"] == "Coding" and first["text"] == TEXT[0:10]
    whole = await apply(api, coder, doc, code, length - 5, length)
    assert whole["text"] == TEXT[length - 5 :]
    state = await status_of(api, coder, project)
    assert state["status"] == "IN_PROGRESS" and state["codingCount"] == 2
    assert state["lastActivityAt"] is not None
    # overlapping one's own same-code segment: refused, suggesting to extend it
    overlap = await apply(api, coder, doc, code, 5, 15)
    assert overlap["code"] == "CONFLICT" and "extend" in overlap["message"]
    other_code = (await create_code(api, lead, project, "Relief"))["id"]
    assert (await apply(api, coder, doc, other_code, 5, 15))["__typename"] == "Coding"
    # adjacent segments do not overlap
    assert (await apply(api, coder, doc, code, 10, 12))["__typename"] == "Coding"

    assert (await submit(api, coder, doc))["status"] == "SUBMITTED"
    assert (await submit(api, coder, doc))["__typename"] != "Assignment"
    after = await apply(api, coder, doc, code, 20, 25)
    assert after["code"] == "FORBIDDEN"
    data = await api.gql(UPDATE_CODING, {"id": first["id"], "v": 1, "i": {"end": 4}}, as_=coder)
    assert data["updateCoding"]["code"] == "FORBIDDEN"

    # reopening: leads only, with a reason
    variables = {"d": doc, "u": coder.id, "x": "Please code the second turn"}
    assert (await api.gql(REOPEN, variables, as_=coder))["reopenAssignment"]["code"] == "FORBIDDEN"
    empty = await api.gql(REOPEN, {**variables, "x": "   "}, as_=lead)
    assert empty["reopenAssignment"]["code"] == "INVALID_INPUT"
    reopened = (await api.gql(REOPEN, variables, as_=lead))["reopenAssignment"]
    assert reopened == {
        "__typename": "Assignment",
        "status": "REOPENED",
        "reopenReason": "Please code the second turn",
    }
    assert (await apply(api, coder, doc, code, 20, 25))["__typename"] == "Coding"
    assert (await submit(api, coder, doc))["status"] == "SUBMITTED"
    state = await status_of(api, coder, project)
    assert state["status"] == "SUBMITTED" and state["submittedAt"] is not None


async def test_unassign_only_without_codings(api: Api) -> None:
    lead, _project, (b, c), code, doc = await team(api, 2)
    await assign(api, lead, doc, b)
    await assign(api, lead, doc, c)
    await apply(api, b, doc, code, 0, 5)
    refused = (await api.gql(UNASSIGN, {"d": doc, "u": b.id}, as_=lead))["unassign"]
    assert refused["__typename"] != "Assignment"
    assert (await api.gql(UNASSIGN, {"d": doc, "u": c.id}, as_=c))["unassign"][
        "code"
    ] == "FORBIDDEN"
    done = (await api.gql(UNASSIGN, {"d": doc, "u": c.id}, as_=lead))["unassign"]
    assert done["__typename"] == "Assignment"
    gone = (await api.gql(UNASSIGN, {"d": doc, "u": c.id}, as_=lead))["unassign"]
    assert gone["code"] == "NOT_FOUND"
    assert (await apply(api, c, doc, code, 0, 5))["code"] == "FORBIDDEN"


async def auto_project(api: Api, lead: Person, coders: list[Person], docs: int) -> str:
    project = await api.project(lead)
    for who in coders:
        await api.add_member(lead, project, who, "CODER")
    for i in range(docs):
        await api.import_document(lead, project, f"Interview {i}\n{TEXT}", title=f"Interview {i}")
    return project


async def auto(
    api: Api, lead: Person, project: str, coders: list[Person], n: int, seed: int | None = 7
) -> dict[str, Any]:
    data = await api.gql(
        AUTO, {"p": project, "c": [c.id for c in coders], "n": n, "s": seed}, as_=lead
    )
    result: dict[str, Any] = data["autoAssign"]
    return result


async def titles(api: Api, lead: Person, project: str) -> dict[str, str]:
    data = await api.gql(
        "query($p: ID!) { project(id: $p) { documents { nodes { id title } } } }",
        {"p": project},
        as_=lead,
    )
    return {d["id"]: d["title"] for d in data["project"]["documents"]["nodes"]}


async def test_auto_assign_spreads_evenly_and_reproducibly(api: Api) -> None:
    lead = await api.person("lead")
    coders = [await api.person(f"coder{i}") for i in range(4)]
    first = await auto_project(api, lead, coders, 7)
    made = await auto(api, lead, first, coders, 2)
    assert made["__typename"] == "AutoAssignment", made
    pairs = made["created"]
    assert len(pairs) == 14
    per_doc = Counter(p["documentId"] for p in pairs)
    assert set(per_doc.values()) == {2} and len(per_doc) == 7
    assert len({(p["documentId"], p["coderId"]) for p in pairs}) == 14
    load = Counter(p["coderId"] for p in pairs)
    assert set(load) == {c.id for c in coders}
    assert max(load.values()) - min(load.values()) <= 1
    # running again adds nothing: every document already has its coders
    assert (await auto(api, lead, first, coders, 2))["created"] == []

    # the same seed on an identical project gives the same assignment
    second = await auto_project(api, lead, coders, 7)
    again = await auto(api, lead, second, coders, 2)
    names1, names2 = await titles(api, lead, first), await titles(api, lead, second)
    assert sorted((names1[p["documentId"]], p["coderId"]) for p in pairs) == sorted(
        (names2[p["documentId"]], p["coderId"]) for p in again["created"]
    )

    # inputs are validated
    third = await auto_project(api, lead, coders, 2)
    assert (await auto(api, lead, third, coders, 0))["code"] == "INVALID_INPUT"
    assert (await auto(api, lead, third, coders, 5))["code"] == "INVALID_INPUT"
    assert (await auto(api, lead, third, [], 1))["code"] == "INVALID_INPUT"
    viewer = await api.person("viewer")
    await api.add_member(lead, third, viewer, "VIEWER")
    assert (await auto(api, lead, third, [*coders, viewer], 1))["code"] == "INVALID_INPUT"
    assert (await auto(api, coders[0], third, coders, 1))["code"] == "FORBIDDEN"
    data = await api.gql(
        AUTO, {"p": third, "c": [coders[0].id], "n": 1, "r": str(uuid.uuid4())}, as_=lead
    )
    assert data["autoAssign"]["code"] == "NOT_FOUND"
    # nothing was written by the refused calls
    data = await api.gql(
        "query($p: ID!) { project(id: $p) { assignments { id } } }", {"p": third}, as_=lead
    )
    assert data["project"]["assignments"] == []


async def test_update_coding_versions_and_ownership(api: Api) -> None:
    lead, _project, (b, c), code, doc = await team(api, 2)
    await assign(api, lead, doc, b)
    await assign(api, lead, doc, c)
    made = await apply(api, b, doc, code, 0, 5)
    done = await api.gql(UPDATE_CODING, {"id": made["id"], "v": 1, "i": {"end": 9}}, as_=b)
    assert done["updateCoding"] == {"__typename": "Coding", "start": 0, "end": 9, "version": 2}
    stale = await api.gql(UPDATE_CODING, {"id": made["id"], "v": 1, "i": {"end": 12}}, as_=b)
    assert stale["updateCoding"]["code"] == "CONFLICT"
    bad = await api.gql(UPDATE_CODING, {"id": made["id"], "v": 2, "i": {"end": 10_000}}, as_=b)
    assert bad["updateCoding"]["code"] == "INVALID_INPUT"
    # another coder, even once the document is revealed, cannot change B's layer
    for who in (c, lead):
        other = await api.gql(UPDATE_CODING, {"id": made["id"], "v": 2, "i": {"end": 3}}, as_=who)
        assert other["updateCoding"]["__typename"] in ("NotFoundError", "ForbiddenError")
    await api.gql(
        "mutation($d: ID!) { revealDocument(documentId: $d) { __typename } }", {"d": doc}, as_=lead
    )
    other = await api.gql(UPDATE_CODING, {"id": made["id"], "v": 2, "i": {"end": 3}}, as_=c)
    assert other["updateCoding"]["__typename"] in ("NotFoundError", "ForbiddenError")
    delete = await api.gql(
        "mutation($id: ID!) { deleteCoding(id: $id) { __typename } }", {"id": made["id"]}, as_=c
    )
    assert delete["deleteCoding"]["__typename"] != "DeletedCoding"
    # the coding is unchanged
    data = await api.gql(
        "query($d: ID!) { document(id: $d) { codings { nodes { end version } } } }",
        {"d": doc},
        as_=lead,
    )
    assert data["document"]["codings"]["nodes"] == [{"end": 9, "version": 2}]


async def test_progress_for_leads(api: Api) -> None:
    lead, project, (b, c), code, doc = await team(api, 2)
    doc2 = (await api.import_document(lead, project, TEXT, title="Interview 2"))["id"]
    for d in (doc, doc2):
        await assign(api, lead, d, b)
    await assign(api, lead, doc, c)
    await apply(api, b, doc, code, 0, 5)
    await apply(api, b, doc, code, 6, 9)
    await submit(api, b, doc)
    data = await api.gql(
        """query($p: ID!) { project(id: $p) { progress { coder { id } submitted total
             codingCount lastActivityAt assignments { documentId status codingCount } } } }""",
        {"p": project},
        as_=lead,
    )
    progress = {p["coder"]["id"]: p for p in data["project"]["progress"]}
    assert set(progress) == {b.id, c.id}
    pb, pc = progress[b.id], progress[c.id]
    assert (pb["submitted"], pb["total"], pb["codingCount"]) == (1, 2, 2)
    assert pb["lastActivityAt"] is not None
    statuses = {a["documentId"]: (a["status"], a["codingCount"]) for a in pb["assignments"]}
    assert statuses == {doc: ("SUBMITTED", 2), doc2: ("ASSIGNED", 0)}
    assert (pc["submitted"], pc["total"], pc["codingCount"]) == (0, 1, 0)
    assert pc["lastActivityAt"] is None


async def test_rounds(api: Api) -> None:
    lead, project, (b,), code, doc = await team(api, 1)
    create = """mutation($p: ID!, $n: String!) { createRound(projectId: $p, name: $n) {
      __typename ... on Round { id name isDefault } ... on UserError { code } } }"""
    made = (await api.gql(create, {"p": project, "n": "Calibration 1"}, as_=lead))["createRound"]
    assert made["__typename"] == "Round" and made["isDefault"] is False
    again = await api.gql(create, {"p": project, "n": "calibration 1"}, as_=lead)
    assert again["createRound"]["code"] == "CONFLICT"
    assert (await api.gql(create, {"p": project, "n": "X"}, as_=b))["createRound"][
        "code"
    ] == "FORBIDDEN"
    rid = made["id"]
    data = await api.gql(
        "query($p: ID!) { project(id: $p) { rounds { name isDefault } } }",
        {"p": project},
        as_=b,
    )
    assert [r["isDefault"] for r in data["project"]["rounds"]].count(True) == 1
    assert (await assign(api, lead, doc, b, rid))["__typename"] == "Assignment"
    # only the calibration round is assigned: the default round refuses codings
    assert (await apply(api, b, doc, code, 0, 5))["code"] == "FORBIDDEN"
    coding = await apply(api, b, doc, code, 0, 5, rid)
    assert coding["__typename"] == "Coding"
    data = await api.gql(
        """query($d: ID!, $r: ID!) { document(id: $d) {
             inRound: codings(roundId: $r) { totalCount nodes { roundId } }
             all: codings { totalCount } } }""",
        {"d": doc, "r": rid},
        as_=b,
    )
    assert data["document"]["inRound"] == {"totalCount": 1, "nodes": [{"roundId": rid}]}
    assert (await submit(api, b, doc, rid))["status"] == "SUBMITTED"
    assert (await submit(api, b, doc))["code"] == "FORBIDDEN"
    # an unknown round is NOT_FOUND everywhere it is taken
    unknown = str(uuid.uuid4())
    assert (await apply(api, b, doc, code, 10, 15, unknown))["code"] == "NOT_FOUND"
    assert (await assign(api, lead, doc, b, unknown))["code"] == "NOT_FOUND"
    assert (await submit(api, b, doc, unknown))["code"] == "NOT_FOUND"
    other_project = await api.project(lead, "Elsewhere")
    data = await api.gql(
        "query($p: ID!) { project(id: $p) { rounds { id } } }", {"p": other_project}, as_=lead
    )
    foreign = data["project"]["rounds"][0]["id"]
    assert (await assign(api, lead, doc, b, foreign))["code"] == "NOT_FOUND"
