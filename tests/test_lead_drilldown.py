"""projectDisagreements: the agreement dashboard's drill-down, and attacks on it.

A lead goes from a code's coefficient to the documents where the coders disagree on it
and to the segments side by side. The selection is the agreement report's, so nothing
the parameters left out shows; a coder sees only documents revealed to them, and
nothing of another coder's unrevealed work, not even as a count.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from tests.support import Api, Person
from tests.test_coding_flow import apply, code

DOC1 = "P01: I called a colleague first. Then I phoned the service and waited. My sister came.\n"
DOC2 = "P02: A colleague drove me there. Later a friend phoned the office for me.\n"
DOC3 = "P03: Nobody helped at first.\n"

DRILL = """query($p: ID!, $f: DisagreementFilterInput) { projectDisagreements(projectId: $p,
  filter: $f) {
  roundId coderIds coders { email }
  excluded { documentId title reason }
  documents { documentId title coderIds consensusStatus
    counts { boundaryDifference codeDifference omission exactAgreement total }
    items { id key kind status version start end
      coders { coderId segments { codingId text start end codeId code { name } } } } } } }"""
ASSIGN = """mutation($d: ID!, $u: ID!) { assignDocument(documentId: $d, userId: $u) {
  __typename ... on UserError { message } } }"""
SUBMIT = """mutation($d: ID!) { submitAssignment(documentId: $d) {
  __typename ... on UserError { message } } }"""
START = """mutation($d: ID!) { startConsensus(documentId: $d) {
  __typename ... on UserError { message } } }"""


@dataclass
class Study:
    lead: Person
    b: Person
    c: Person
    d: Person
    viewer: Person
    project: str
    docs: list[str]
    codes: dict[str, str]


def at(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


async def study(api: Api, *, inductive: bool = False) -> Study:
    lead = await api.person("lead")
    b, c, d = [await api.person(n) for n in ("coderb", "coderc", "coderd")]
    viewer = await api.person("viewer")
    project = await api.project(lead)
    if inductive:
        await api.gql(
            """mutation($p: ID!) { updateProject(id: $p, settings: {inductiveCodes: true}) {
              __typename } }""",
            {"p": project},
            as_=lead,
        )
    for who in (b, c, d):
        await api.add_member(lead, project, who, "CODER")
    await api.add_member(lead, project, viewer, "VIEWER")
    help_ = (await code(api, lead, project, "Help", codable=False))["id"]
    people = (await code(api, lead, project, "People", help_, codable=False))["id"]
    services = (await code(api, lead, project, "Services", help_, codable=False))["id"]
    codes = {
        "help": help_,
        "people": people,
        "colleague": (await code(api, lead, project, "Colleague", people))["id"],
        "family": (await code(api, lead, project, "Family", people))["id"],
        "phone": (await code(api, lead, project, "Phone line", services))["id"],
    }
    docs = []
    for k, text in enumerate((DOC1, DOC2, DOC3)):
        docs.append((await api.import_document(lead, project, text, title=f"P0{k + 1}"))["id"])
    plan = {0: (b, c), 1: (b, c, d), 2: (c,)}
    for k, who in plan.items():
        for person in who:
            await api.gql(ASSIGN, {"d": docs[k], "u": person.id}, as_=lead)
    s = Study(lead, b, c, d, viewer, project, docs, codes)
    # P01: exact agreement on Colleague, a boundary difference on Phone line, and an
    # omission (only B coded the sister).
    for who in (b, c):
        await apply(api, who, docs[0], codes["colleague"], *at(DOC1, "called a colleague"))
    await apply(api, b, docs[0], codes["phone"], *at(DOC1, "Then I phoned the service"))
    await apply(api, c, docs[0], codes["phone"], *at(DOC1, "phoned the service"))
    await apply(api, b, docs[0], codes["family"], *at(DOC1, "My sister came"))
    # P02: B and D say Colleague where C says Family: a code difference, which is
    # agreement at the group level (both are People).
    for who, name in ((b, "colleague"), (c, "family"), (d, "colleague")):
        await apply(api, who, docs[1], codes[name], *at(DOC2, "A colleague drove me"))
    return s


async def drill(api: Api, s: Study, who: Person | None = None, **filter: Any) -> dict[str, Any]:
    data = await api.gql(DRILL, {"p": s.project, "f": filter or None}, as_=who or s.lead)
    result: dict[str, Any] = data["projectDisagreements"]
    return result


def by_title(result: dict[str, Any]) -> dict[str, Any]:
    return {d["title"]: d for d in result["documents"]}


def texts(item: dict[str, Any]) -> dict[str, list[str]]:
    return {c["coderId"]: [s["text"] for s in c["segments"]] for c in item["coders"]}


async def test_a_lead_drills_from_a_code_to_the_segments_side_by_side(api: Api) -> None:
    s = await study(api)
    everything = await drill(api, s)
    docs = by_title(everything)
    assert list(docs) == ["P01", "P02"]
    assert everything["excluded"] == [
        {
            "documentId": s.docs[2],
            "title": "P03",
            "reason": "fewer than two of the compared coders are assigned to it and have started "
            "it in this round",
        }
    ]
    assert {c["email"] for c in everything["coders"]} == {s.b.email, s.c.email, s.d.email}
    # Exact agreement is not a disagreement: listed only when asked for.
    assert docs["P01"]["counts"] == {
        "boundaryDifference": 1,
        "codeDifference": 0,
        "omission": 1,
        "exactAgreement": 0,
        "total": 2,
    }
    assert [i["kind"] for i in docs["P02"]["items"]] == ["CODE_DIFFERENCE"]
    assert docs["P02"]["coderIds"] == sorted([s.b.id, s.c.id, s.d.id])

    phone = by_title(await drill(api, s, codeId=s.codes["phone"]))
    assert phone["P02"]["items"] == []
    (item,) = phone["P01"]["items"]
    assert item["kind"] == "BOUNDARY_DIFFERENCE" and item["id"] is None
    assert item["status"] == "OPEN"
    assert texts(item) == {s.b.id: ["Then I phoned the service"], s.c.id: ["phoned the service"]}
    assert (item["start"], item["end"]) == at(DOC1, "Then I phoned the service")
    segment = item["coders"][0]["segments"][0]
    assert segment["code"]["name"] == "Phone line" and segment["codeId"] == s.codes["phone"]

    exact = by_title(await drill(api, s, kinds=["EXACT_AGREEMENT"]))
    (agreed,) = exact["P01"]["items"]
    assert texts(agreed) == {s.b.id: ["called a colleague"], s.c.id: ["called a colleague"]}


async def test_the_drill_down_keeps_the_agreement_selection(api: Api) -> None:
    s = await study(api)
    # At the group level Colleague and Family are both People: P02 agrees there, and a
    # focus on Colleague stands for its whole group (the sister's omission on P01).
    grouped = by_title(await drill(api, s, codeLevel="GROUP", codeId=s.codes["colleague"]))
    assert grouped["P02"]["items"] == []
    assert [i["kind"] for i in grouped["P01"]["items"]] == ["OMISSION"]
    assert texts(grouped["P01"]["items"][0]) == {s.b.id: ["My sister came"], s.c.id: []}

    # A coder pair: B and D share only P02, where they agree.
    pair = await drill(api, s, coderIds=[s.b.id, s.d.id])
    assert [d["title"] for d in pair["documents"]] == ["P02"]
    assert pair["documents"][0]["items"] == []
    assert {e["title"] for e in pair["excluded"]} == {"P01", "P03"}
    assert sorted(pair["coderIds"]) == sorted([s.b.id, s.d.id])

    # Codes left out of the agreement are left out here: no omission of Family.
    phone_only = by_title(await drill(api, s, codeIds=[s.codes["phone"]]))
    assert [i["kind"] for i in phone_only["P01"]["items"]] == ["BOUNDARY_DIFFERENCE"]
    assert phone_only["P02"]["items"] == []

    named = await drill(api, s, documentIds=[s.docs[1]])
    assert [d["title"] for d in named["documents"]] == ["P02"] and named["excluded"] == []


async def test_bad_drill_down_filters_are_clear_errors(api: Api) -> None:
    s = await study(api)
    random_code = str(uuid.uuid4())
    body = await api.raw(DRILL, {"p": s.project, "f": {"codeId": random_code}}, as_=s.lead)
    assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    assert body["errors"][0]["message"] == (
        f"codeId names an id of no code in this project: {random_code}."
    )
    assert (
        await api.error_code(DRILL, {"p": s.project, "f": {"kinds": []}}, as_=s.lead)
        == "INVALID_INPUT"
    )
    assert (
        await api.error_code(DRILL, {"p": s.project, "f": {"roundId": random_code}}, as_=s.lead)
        == "INVALID_INPUT"
    )
    stranger = await api.person("stranger")
    assert await api.error_code(DRILL, {"p": s.project}, as_=stranger) == "NOT_FOUND"
    # A viewer reads what a lead reads.
    assert await drill(api, s, s.viewer) == await drill(api, s)


async def test_a_coder_sees_no_unrevealed_work_through_the_drill_down(api: Api) -> None:
    s = await study(api, inductive=True)
    proposed = await code(api, s.c, s.project, "C's own idea")
    assert proposed["__typename"] == "Code"
    await apply(api, s.c, s.docs[0], proposed["id"], *at(DOC1, "waited"))

    before = await drill(api, s, s.b)
    assert before["documents"] == [] and before["coders"] == []
    assert {(e["title"], e["reason"]) for e in before["excluded"]} == {
        (t, "not revealed to you for this round") for t in ("P01", "P02", "P03")
    }
    body = await api.raw(DRILL, {"p": s.project, "f": {"documentIds": [s.docs[0]]}}, as_=s.b)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert "C's own idea" not in str(body) and "phoned" not in str(body)
    # Another coder's proposed code is answered exactly like a random id.
    # (The message names the id given; with it taken out, nothing tells them apart.)
    random_id = str(uuid.uuid4())
    hidden = await api.raw(DRILL, {"p": s.project, "f": {"codeId": proposed["id"]}}, as_=s.b)
    random = await api.raw(DRILL, {"p": s.project, "f": {"codeId": random_id}}, as_=s.b)
    assert hidden["errors"][0]["message"].replace(proposed["id"], "…") == random["errors"][0][
        "message"
    ].replace(random_id, "…")
    assert hidden["errors"][0]["extensions"] == random["errors"][0]["extensions"]
    assert hidden["errors"][0]["extensions"] == random["errors"][0]["extensions"]

    # Once both submit P01 it is revealed, and B sees C's segments there, and only there.
    for who in (s.b, s.c):
        await api.gql(SUBMIT, {"d": s.docs[0]}, as_=who)
    after = await drill(api, s, s.b)
    assert [d["title"] for d in after["documents"]] == ["P01"]
    assert {e["title"] for e in after["excluded"]} == {"P02", "P03"}
    seen = str(after)
    assert "phoned the service" in seen and "waited" in seen
    assert "drove me" not in seen


async def test_items_carry_their_consensus_state_once_consensus_starts(api: Api) -> None:
    s = await study(api)
    for who in (s.b, s.c):
        await api.gql(SUBMIT, {"d": s.docs[0]}, as_=who)
    started = await api.gql(START, {"d": s.docs[0]}, as_=s.lead)
    assert started["startConsensus"]["__typename"] == "ConsensusSession"
    kinds = ["EXACT_AGREEMENT", "BOUNDARY_DIFFERENCE", "OMISSION", "CODE_DIFFERENCE"]
    p01 = by_title(await drill(api, s, kinds=kinds))["P01"]
    assert p01["consensusStatus"] == "OPEN"
    state = {i["kind"]: (i["status"], i["id"] is not None) for i in p01["items"]}
    assert state == {
        "EXACT_AGREEMENT": ("AUTO_ACCEPTED", True),
        "BOUNDARY_DIFFERENCE": ("OPEN", True),
        "OMISSION": ("OPEN", True),
    }
    stored = await api.gql(
        "query($d: ID!) { disagreements(documentId: $d) { id key } }", {"d": s.docs[0]}, as_=s.lead
    )
    assert {i["id"] for i in p01["items"]} == {i["id"] for i in stored["disagreements"]}
