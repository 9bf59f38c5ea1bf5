"""The consensus workflow over GraphQL: planted disagreements of every class, the
auto-accept, every resolution action, concurrent leads, reopening, completion, blinding."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg

from accord.coding.access import scope_for_project
from accord.events import feed
from accord.permissions import Action
from accord.users.model import User
from tests.support import Api, Person
from tests.test_coding_flow import apply, code

TEXT = "Jeg ringte kollegatelefonen og fikk svar med én gang. " * 10

ITEMS = """query($d: ID!) { disagreements(documentId: $d) {
  id key kind status start end version meetsRule rationale
  resolution { action coderId start end codeIds }
  segments { codingId coderId start end text code { name } }
  coders { coderId segments { start end } }
  consensusCodings { start end code { name } } } }"""
LAYER = """query($d: ID!) { document(id: $d) { codings(layer: CONSENSUS) {
  nodes { start end text coder { id } code { name } } } } }"""
PROGRESS = """query($d: ID!) { consensusProgress(documentId: $d) {
  status forced open autoAccepted resolved total } }"""
START = """mutation($d: ID!, $f: Boolean!) { startConsensus(documentId: $d, force: $f) {
  __typename ... on ConsensusSession { id status forced progress { open autoAccepted } }
  ... on UserError { code message } } }"""
RESOLVE = """mutation($i: ID!, $r: ResolutionInput!, $v: Int!, $why: String) {
  resolveDisagreement(itemId: $i, resolution: $r, version: $v, rationale: $why) {
  __typename ... on DisagreementItem { id status version rationale resolution { action } }
  ... on UserError { code message } } }"""
REOPEN = """mutation($i: ID!, $v: Int!, $why: String) {
  reopenDisagreement(itemId: $i, version: $v, rationale: $why) {
  __typename ... on DisagreementItem { id status version resolution { action } }
  ... on UserError { code message } } }"""
COMPLETE = """mutation($d: ID!) { completeConsensus(documentId: $d) {
  __typename ... on ConsensusSession { status completedAt }
  ... on UserError { code message } } }"""
SUBMIT = """mutation($d: ID!) { submitAssignment(documentId: $d) { __typename } }"""
ASSIGN = """mutation($d: ID!, $u: ID!) { assignDocument(documentId: $d, userId: $u) {
  __typename } }"""


@dataclass
class Study:
    project: str
    lead: Person
    lead2: Person
    viewer: Person
    coders: dict[str, Person]
    codes: dict[str, str]  # name -> id
    docs: list[str]


async def study(api: Api, plan: dict[int, dict[str, list[tuple[str, int, int]]]]) -> Study:
    """A project with codes X, Y, Z and one document per entry of ``plan``, each coded by
    coders A, B and C as planned: doc index -> coder -> [(code, start, end)]."""
    lead, lead2, viewer = await api.person("lead"), await api.person("lead2"), await api.person("v")
    coders = {name: await api.person(f"coder{name.lower()}") for name in "ABC"}
    project = await api.project(lead)
    await api.add_member(lead, project, lead2, "LEAD")
    await api.add_member(lead, project, viewer, "VIEWER")
    for who in coders.values():
        await api.add_member(lead, project, who, "CODER")
    heading = await code(api, lead, project, "Help-seeking", codable=False)
    codes = {n: (await code(api, lead, project, n, heading["id"]))["id"] for n in "XYZ"}
    docs = []
    for n in sorted(plan):
        doc = (await api.import_document(lead, project, TEXT, title=f"Interview {n}"))["id"]
        docs.append(doc)
        for who in coders.values():
            assert (await api.gql(ASSIGN, {"d": doc, "u": who.id}, as_=lead))["assignDocument"]
        for coder, segments in plan[n].items():
            for name, start, end in segments:
                made = await apply(api, coders[coder], doc, codes[name], start, end)
                assert made["__typename"] == "Coding", made
    return Study(project, lead, lead2, viewer, coders, codes, docs)


async def items(api: Api, who: Person, doc: str) -> list[dict[str, Any]]:
    data = await api.gql(ITEMS, {"d": doc}, as_=who)
    found: list[dict[str, Any]] = data["disagreements"]
    return found


async def layer(api: Api, who: Person, doc: str) -> set[tuple[str, int, int]]:
    nodes = (await api.gql(LAYER, {"d": doc}, as_=who))["document"]["codings"]["nodes"]
    assert all(n["coder"] is None for n in nodes)
    assert all(n["text"] == TEXT[n["start"] : n["end"]] for n in nodes)
    return {(n["code"]["name"], n["start"], n["end"]) for n in nodes}


async def resolve(
    api: Api, who: Person, item: dict[str, Any], resolution: dict[str, Any], why: str | None = None
) -> dict[str, Any]:
    data = await api.gql(
        RESOLVE,
        {"i": item["id"], "r": resolution, "v": item["version"], "why": why},
        as_=who,
    )
    result: dict[str, Any] = data["resolveDisagreement"]
    return result


async def submit_all(api: Api, s: Study, doc: str, coders: str = "ABC") -> None:
    for name in coders:
        await api.gql(SUBMIT, {"d": doc}, as_=s.coders[name])


async def start(api: Api, who: Person, doc: str, force: bool = False) -> dict[str, Any]:
    result: dict[str, Any] = (await api.gql(START, {"d": doc, "f": force}, as_=who))[
        "startConsensus"
    ]
    return result


# Document 1: an exact agreement, a small boundary difference that meets the 90 % rule,
# a large boundary difference, a code difference and an omission.
DOC1 = {
    "A": [("X", 0, 20), ("X", 30, 80), ("Y", 100, 140), ("X", 200, 230), ("Z", 260, 290)],
    "B": [("X", 0, 20), ("X", 30, 80), ("Y", 100, 160), ("Y", 200, 230), ("Z", 262, 290)],
    "C": [("X", 0, 20), ("X", 30, 79), ("Y", 110, 150), ("X", 205, 230)],
}
DOC1_KINDS = [
    ("EXACT_AGREEMENT", 0, 20, True),
    ("BOUNDARY_DIFFERENCE", 30, 80, True),
    ("BOUNDARY_DIFFERENCE", 100, 160, False),
    ("CODE_DIFFERENCE", 200, 230, False),
    ("OMISSION", 260, 290, False),
]
# Document 2: an exact agreement, a lone coder's segment, a code difference and a
# coder who split one meaning unit in two.
DOC2 = {
    "A": [("Y", 0, 15), ("X", 40, 60), ("X", 100, 150), ("Z", 200, 240)],
    "B": [("Y", 0, 15), ("Z", 100, 150), ("Z", 200, 220), ("Z", 225, 240)],
    "C": [("Y", 0, 15), ("X", 100, 150), ("Z", 200, 240)],
}
DOC2_KINDS = [
    ("EXACT_AGREEMENT", 0, 15, True),
    ("OMISSION", 40, 60, False),
    ("CODE_DIFFERENCE", 100, 150, False),
    ("BOUNDARY_DIFFERENCE", 200, 240, False),
]


def kinds(found: list[dict[str, Any]]) -> list[tuple[str, int, int, bool]]:
    return [(i["kind"], i["start"], i["end"], i["meetsRule"]) for i in found]


async def test_planted_disagreements_auto_accept_and_every_resolution(api: Api) -> None:
    s = await study(api, {1: DOC1, 2: DOC2})
    doc1, doc2 = s.docs
    a, b, c = (s.coders[n] for n in "ABC")

    # Before consensus, leads and viewers see the items aligned live; nothing is stored.
    live = await items(api, s.lead, doc1)
    assert kinds(live) == DOC1_KINDS
    assert all(i["id"] is None and i["status"] == "OPEN" for i in live)
    assert kinds(await items(api, s.viewer, doc2)) == DOC2_KINDS
    omission = live[4]
    assert {seg["coderId"] for seg in omission["segments"]} == {a.id, b.id}
    assert [len(cs["segments"]) for cs in omission["coders"] if cs["coderId"] == c.id] == [0]
    assert all(seg["text"] == TEXT[seg["start"] : seg["end"]] for seg in live[3]["segments"])

    # Consensus waits for every submission unless forced.
    early = await start(api, s.lead, doc1)
    assert early["code"] == "CONFLICT" and "force" in early["message"]
    await submit_all(api, s, doc1)
    session = await start(api, s.lead, doc1)
    assert session["status"] == "OPEN" and not session["forced"]
    assert session["progress"] == {"open": 3, "autoAccepted": 2}
    assert (await start(api, s.lead2, doc1))["code"] == "CONFLICT"

    stored = await items(api, s.lead, doc1)
    assert kinds(stored) == DOC1_KINDS
    assert [i["key"] for i in stored] == [i["key"] for i in live]
    assert [i["status"] for i in stored] == ["AUTO_ACCEPTED"] * 2 + ["OPEN"] * 3
    assert await layer(api, s.lead, doc1) == {("X", 0, 20), ("X", 30, 80)}
    assert stored[1]["consensusCodings"] == [{"start": 30, "end": 80, "code": {"name": "X"}}]

    completing = (await api.gql(COMPLETE, {"d": doc1}, as_=s.lead))["completeConsensus"]
    assert completing["code"] == "CONFLICT" and "open" in completing["message"]

    union = await resolve(api, s.lead, stored[2], {"action": "UNION"}, "Both readings hold")
    assert union["status"] == "RESOLVED" and union["rationale"] == "Both readings hold"
    stale = await resolve(api, s.lead, stored[2], {"action": "DROP"})
    assert stale["code"] == "CONFLICT"
    took = await resolve(api, s.lead2, stored[3], {"action": "TAKE_CODER", "coderId": b.id})
    assert took["resolution"] == {"action": "TAKE_CODER"}
    both = await resolve(api, s.lead, stored[4], {"action": "INTERSECTION"}, "Core only")
    assert both["status"] == "RESOLVED"
    assert await layer(api, s.lead, doc1) == {
        ("X", 0, 20),
        ("X", 30, 80),
        ("Y", 100, 160),
        ("Y", 200, 230),
        ("Z", 262, 290),
    }
    progress = (await api.gql(PROGRESS, {"d": doc1}, as_=s.viewer))["consensusProgress"]
    assert progress == {
        "status": "OPEN",
        "forced": False,
        "open": 0,
        "autoAccepted": 2,
        "resolved": 3,
        "total": 5,
    }
    done = (await api.gql(COMPLETE, {"d": doc1}, as_=s.lead))["completeConsensus"]
    assert done["status"] == "COMPLETED" and done["completedAt"]

    # Document 2 starts before coder C submits: forced, and recorded as such.
    await submit_all(api, s, doc2, "AB")
    forced = await start(api, s.lead, doc2, force=True)
    assert forced["forced"] and forced["progress"] == {"open": 3, "autoAccepted": 1}
    stored2 = await items(api, s.lead, doc2)
    custom_without_codes = await resolve(
        api, s.lead, stored2[2], {"action": "CUSTOM", "start": 105, "end": 148}
    )
    assert custom_without_codes["code"] == "INVALID_INPUT"
    outside = await resolve(
        api, s.lead, stored2[2], {"action": "CUSTOM", "start": 0, "end": 10, "codeIds": []}
    )
    assert outside["code"] == "INVALID_INPUT"
    dropped = await resolve(api, s.lead, stored2[1], {"action": "DROP"}, "A passing remark")
    assert dropped["status"] == "RESOLVED"
    custom = {
        "action": "CUSTOM",
        "start": 105,
        "end": 148,
        "codeIds": [s.codes["X"], s.codes["Z"]],
    }
    assert (await resolve(api, s.lead, stored2[2], custom, "Both codes apply"))["status"] == (
        "RESOLVED"
    )
    before_split = await layer(api, s.lead, doc2)
    assert before_split == {("Y", 0, 15), ("X", 105, 148), ("Z", 105, 148)}

    # Two leads decide the split item at once: exactly one wins.
    split = stored2[3]
    results = await asyncio.gather(
        resolve(api, s.lead, split, {"action": "UNION"}),
        resolve(api, s.lead2, split, {"action": "TAKE_CODER", "coderId": b.id}),
    )
    assert sorted(r["__typename"] for r in results) == ["ConflictError", "DisagreementItem"]
    winner = next(r for r in results if r["__typename"] == "DisagreementItem")
    after_split = await layer(api, s.lead, doc2)
    assert after_split - before_split in (
        {("Z", 200, 240)},
        {("Z", 200, 220), ("Z", 225, 240)},
    )

    # Reopening undoes the decision exactly, for resolved and auto-accepted items alike.
    reopened = (await api.gql(REOPEN, {"i": split["id"], "v": winner["version"]}, as_=s.lead))[
        "reopenDisagreement"
    ]
    assert reopened["status"] == "OPEN" and reopened["resolution"] is None
    assert await layer(api, s.lead, doc2) == before_split
    again = await api.gql(REOPEN, {"i": split["id"], "v": reopened["version"]}, as_=s.lead)
    assert again["reopenDisagreement"]["code"] == "CONFLICT"
    auto = stored2[0]
    undone = await api.gql(REOPEN, {"i": auto["id"], "v": auto["version"], "why": "?"}, as_=s.lead)
    assert undone["reopenDisagreement"]["status"] == "OPEN"
    assert await layer(api, s.lead, doc2) == {("X", 105, 148), ("Z", 105, 148)}
    redo = (await items(api, s.lead, doc2))[0]
    assert (await resolve(api, s.lead, redo, {"action": "TAKE_CODER", "coderId": a.id}))[
        "status"
    ] == "RESOLVED"
    assert await layer(api, s.lead, doc2) == before_split

    # Reopening an item of a completed document opens the document's consensus again.
    first = (await items(api, s.lead, doc1))[0]
    await api.gql(REOPEN, {"i": first["id"], "v": first["version"]}, as_=s.lead)
    assert (await api.gql(PROGRESS, {"d": doc1}, as_=s.lead))["consensusProgress"][
        "status"
    ] == "OPEN"
    assert ("X", 0, 20) not in await layer(api, s.lead, doc1)


async def consensus_events_seen(pool: asyncpg.Pool, who: Person, project: str) -> list[str]:
    """The consensus events of a project that ``who`` would receive live."""
    async with pool.acquire() as conn:
        user = User(UUID(who.id), who.email, who.name)
        scope = await scope_for_project(conn, UUID(project), user, Action.VIEW_PROJECT)
        ids = await conn.fetch(
            "SELECT id FROM events WHERE project_id = $1 AND kind LIKE 'consensus.%' ORDER BY id",
            UUID(project),
        )
        seen = [await feed.visible_event(conn, scope, r["id"]) for r in ids]
    return [row["kind"] for row in seen if row is not None]


async def test_blinding_and_roles(api: Api) -> None:
    s = await study(api, {1: DOC1, 2: DOC2})
    doc1, doc2 = s.docs
    a, c = s.coders["A"], s.coders["C"]

    # An unrevealed document: a coder gets an error, never data.
    assert await api.error_code(ITEMS, {"d": doc1}, as_=a) == "FORBIDDEN"
    assert await api.error_code(PROGRESS, {"d": doc1}, as_=a) == "FORBIDDEN"
    assert (await start(api, a, doc1, force=True))["code"] == "FORBIDDEN"
    outsider = await api.person("outsider")
    assert await api.error_code(ITEMS, {"d": doc1}, as_=outsider) == "NOT_FOUND"

    # A forced start leaves the document unrevealed: the consensus layer and its events
    # stay hidden from coders until the reveal.
    forced = await start(api, s.lead, doc1, force=True)
    assert forced["forced"]
    assert await layer(api, c, doc1) == set()
    assert await api.error_code(ITEMS, {"d": doc1}, as_=c) == "FORBIDDEN"
    live = ["consensus.started", "consensus.auto_accepted", "consensus.auto_accepted"]
    assert await consensus_events_seen(api.pool, s.lead, s.project) == live
    assert await consensus_events_seen(api.pool, c, s.project) == []

    # Once revealed, coders read the items but cannot decide them.
    await submit_all(api, s, doc1)
    seen = await items(api, a, doc1)
    assert kinds(seen) == DOC1_KINDS
    assert await layer(api, c, doc1) == {("X", 0, 20), ("X", 30, 80)}
    assert await consensus_events_seen(api.pool, c, s.project) == live
    denied = await resolve(api, a, seen[2], {"action": "DROP"})
    assert denied["code"] == "FORBIDDEN"
    reopen = await api.gql(REOPEN, {"i": seen[0]["id"], "v": seen[0]["version"]}, as_=a)
    assert reopen["reopenDisagreement"]["code"] == "FORBIDDEN"
    assert (await api.gql(COMPLETE, {"d": doc1}, as_=a))["completeConsensus"]["code"] == (
        "FORBIDDEN"
    )
    viewer_try = await resolve(api, s.viewer, seen[2], {"action": "DROP"})
    assert viewer_try["code"] == "FORBIDDEN"
    assert (await start(api, s.viewer, doc2))["code"] == "FORBIDDEN"
    missing = await resolve(api, s.lead, {"id": s.project, "version": 1}, {"action": "DROP"})
    assert missing["code"] == "NOT_FOUND"


async def test_reopen_refuses_after_a_merge_changed_what_the_decision_wrote(api: Api) -> None:
    """Two items' consensus codings joined by a merge: reopening either would no longer
    undo its own decision exactly, so it is refused until the merge is undone."""
    from tests.test_consolidation import MERGE, UNDO

    s = await study(
        api, {1: {c: [("X", 0, 20), ("Y", 40, 60)] for c in "ABC"}}
    )  # two exact agreements, auto-accepted
    doc = s.docs[0]
    await submit_all(api, s, doc)
    assert (await start(api, s.lead, doc))["__typename"] == "ConsensusSession"
    first, second = sorted(await items(api, s.lead, doc), key=lambda i: i["start"])
    assert first["status"] == second["status"] == "AUTO_ACCEPTED"
    # The second decision, taken again, reaches into the first item's stretch (Y, not X).
    reopened = (await api.gql(REOPEN, {"i": second["id"], "v": second["version"]}, as_=s.lead))[
        "reopenDisagreement"
    ]
    wide = await resolve(
        api,
        s.lead,
        reopened,
        {"action": "CUSTOM", "start": 10, "end": 60, "codeIds": [s.codes["Y"]]},
        "Covers the whole answer",
    )
    assert wide["__typename"] == "DisagreementItem", wide
    merged = (
        await api.gql(
            MERGE,
            {"s": [s.codes["X"], s.codes["Y"]], "t": {"newCode": {"name": "Contact"}}},
            as_=s.lead,
        )
    )["mergeCodes"]
    assert merged["__typename"] == "CodeMerge" and merged["change"]["joinedCount"] >= 1
    assert await layer(api, s.lead, doc) == {("Contact", 0, 60)}

    for item in (first, wide):
        current = next(i for i in await items(api, s.lead, doc) if i["id"] == item["id"])
        refused = (
            await api.gql(REOPEN, {"i": current["id"], "v": current["version"]}, as_=s.lead)
        )["reopenDisagreement"]
        assert refused["code"] == "CONFLICT" and "undo that change" in refused["message"]
    assert await layer(api, s.lead, doc) == {("Contact", 0, 60)}  # nothing removed

    undone = (await api.gql(UNDO, {"e": merged["eventId"]}, as_=s.lead))["undoMerge"]
    assert undone["__typename"] == "MergeUndone", undone
    current = next(i for i in await items(api, s.lead, doc) if i["id"] == first["id"])
    again = (await api.gql(REOPEN, {"i": current["id"], "v": current["version"]}, as_=s.lead))[
        "reopenDisagreement"
    ]
    assert again["__typename"] == "DisagreementItem" and again["status"] == "OPEN"
    assert await layer(api, s.lead, doc) == {("Y", 10, 60)}
