"""The agreement report when each document is assigned to some of the coders only.

An unassigned coder's empty layer is no disagreement: the report compares, on every
document, the coders assigned to it in the round.
"""

from __future__ import annotations

from typing import Any

from tests.support import Api, Person
from tests.test_coding_flow import apply, code

TEXTS = (
    "P01: I called a colleague first. Then I phoned the service and waited.\n",
    "P02: My partner drove me there. Later a friend phoned the office for me.\n",
    "P03: Nobody helped at first. I searched online and then phoned a line.\n",
)

REPORT = """query($p: ID!, $i: AgreementInput) { agreement(projectId: $p, input: $i) {
  headline counts { documentsExcluded }
  coefficients { name value undefinedReason }
  perDocument { label coefficients { name value } }
  coderPairs { key label coefficients { name value } } } }"""

AUTO_ASSIGN = """mutation($p: ID!, $c: [ID!]!, $n: Int!, $s: Int) {
  autoAssign(projectId: $p, coderIds: $c, codersPerDocument: $n, seed: $s) {
  __typename ... on AutoAssignment { created { documentId coderId } }
  ... on UserError { code message } } }"""

ASSIGN = """mutation($d: ID!, $u: ID!) { assignDocument(documentId: $d, userId: $u) {
  __typename } }"""


async def _project(api: Api, n_coders: int) -> tuple[Person, list[Person], str, dict[str, str]]:
    lead = await api.person("lead")
    project = await api.project(lead)
    coders = [await api.person(f"coder{i}") for i in range(n_coders)]
    for who in coders:
        await api.add_member(lead, project, who, "CODER")
    ids = {
        "help": (await code(api, lead, project, "Help from people"))["id"],
        "phone": (await code(api, lead, project, "Phone"))["id"],
    }
    return lead, coders, project, ids


async def _code_identically(
    api: Api, who: Person, doc: str, text: str, ids: dict[str, str]
) -> None:
    """The same two codings on a document, whoever codes it."""
    first = text.index(" ") + 1
    await apply(api, who, doc, ids["help"], first, first + 20)
    phoned = text.index("phoned")
    await apply(api, who, doc, ids["phone"], phoned, phoned + 6)


def _values(block: dict[str, Any]) -> dict[str, Any]:
    return {c["name"].lower(): c["value"] for c in block["coefficients"]}


async def test_each_document_coded_alike_by_its_two_coders_is_perfect_agreement(
    api: Api,
) -> None:
    lead, coders, project, ids = await _project(api, 3)
    docs = {}
    for k, text in enumerate(TEXTS):
        made = await api.import_document(lead, project, text, title=f"Interview {k + 1}")
        docs[made["id"]] = text
    assigned = await api.gql(
        AUTO_ASSIGN, {"p": project, "c": [c.id for c in coders], "n": 2, "s": 3}, as_=lead
    )
    created = assigned["autoAssign"]["created"]
    by_id = {c.id: c for c in coders}
    holders: dict[str, set[str]] = {}
    for a in created:
        holders.setdefault(a["documentId"], set()).add(by_id[a["coderId"]].id)
        await _code_identically(
            api, by_id[a["coderId"]], a["documentId"], docs[a["documentId"]], ids
        )
    assert sorted(len(h) for h in holders.values()) == [2, 2, 2]

    continuum = (await api.gql(REPORT, {"p": project, "i": {"unitMode": "CONTINUUM"}}, as_=lead))[
        "agreement"
    ]
    assert continuum["headline"] == "U_ALPHA"
    overall = _values(continuum)
    assert overall["u_alpha"] == 1.0
    assert overall["unitizing_alpha_2004"] == 1.0
    assert continuum["counts"]["documentsExcluded"] == 0
    for block in continuum["perDocument"]:
        assert _values(block)["u_alpha"] == 1.0, block
    sharing = {frozenset((a, b)) for h in holders.values() for a in h for b in h if a < b}
    listed = {frozenset(p["key"].split("|")) for p in continuum["coderPairs"]}
    assert listed == sharing
    for pair in continuum["coderPairs"]:
        assert _values(pair)["u_alpha"] == 1.0, pair

    matching = (
        await api.gql(REPORT, {"p": project, "i": {"unitMode": "SEGMENT_MATCH"}}, as_=lead)
    )["agreement"]
    assert _values(matching)["percent_agreement"] == 1.0
    for pair in matching["coderPairs"]:
        assert _values(pair)["percent_agreement"] == 1.0, pair

    units = (
        await api.gql(
            REPORT, {"p": project, "i": {"unitMode": "UNITS", "unitKind": "PARAGRAPH"}}, as_=lead
        )
    )["agreement"]
    assert _values(units)["units_masi_alpha"] in (1.0, None)


async def test_coder_pairs_that_share_no_document_are_not_listed(api: Api) -> None:
    lead, coders, project, ids = await _project(api, 4)
    a, b, c, d = coders
    plan = {0: (a, b), 1: (c, d)}
    for k, pair in plan.items():
        doc = (await api.import_document(lead, project, TEXTS[k], title=f"Interview {k}"))["id"]
        for who in pair:
            await api.gql(ASSIGN, {"d": doc, "u": who.id}, as_=lead)
            await _code_identically(api, who, doc, TEXTS[k], ids)
    report = (await api.gql(REPORT, {"p": project, "i": {"unitMode": "CHARACTER"}}, as_=lead))[
        "agreement"
    ]
    assert {frozenset(p["key"].split("|")) for p in report["coderPairs"]} == {
        frozenset((a.id, b.id)),
        frozenset((c.id, d.id)),
    }
    assert _values(report)["percent_agreement"] == 1.0
    for pair in report["coderPairs"]:
        assert _values(pair)["percent_agreement"] == 1.0, pair
