"""Reading the synthesis: a category's consensus quotes filtered by participant attributes
and in the chosen order, the participant × category coverage, the synthesis as Markdown
and in the JSON export; each as blinding allows."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import asyncpg

from accord.exchange.exporting import export_project
from accord.users.model import User
from tests.support import Api, Person
from tests.test_coding_flow import code
from tests.test_consolidation import TEXT, at, consensus_coding

QUOTES = """query($c: ID!, $a: [AttributeFilterInput!]) { categoryContent(codeId: $c) {
  version consensusQuotes(attributes: $a) { participant documentTitle attributes position
  coding { id text layer } } } }"""
SET_QUOTES = """mutation($c: ID!, $q: [ID!]!, $v: Int! = 0) { setQuotes(codeId: $c, codingIds: $q,
  version: $v) { __typename ... on CategoryContent { version quotes { id } }
  ... on UserError { code message } } }"""
CONDENSATE = """mutation($c: ID!, $t: String!) { setCondensate(codeId: $c, text: $t, version: 0) {
  __typename } }"""
ANALYTIC = """mutation($c: ID!, $t: String!, $v: Int! = 1) {
  setAnalyticText(codeId: $c, text: $t, version: $v) {
  __typename } }"""
COVERAGE = """query($p: ID!, $a: String!, $l: CodeLevel!) {
  synthesisCoverage(projectId: $p, attribute: $a, level: $l) {
  attribute level categories { name } rows { participant documentIds
  cells { codeId codings quotes } } } }"""
MARKDOWN = """query($p: ID!) { synthesisMarkdown(projectId: $p) }"""
EXPORT_URL = """query($p: ID!) { exportUrl(projectId: $p, format: SYNTHESIS_MD) }"""
REVEAL = """mutation($d: ID!) { revealDocument(documentId: $d) { __typename } }"""
ASSIGN = """mutation($d: ID!, $u: ID!) { assignDocument(documentId: $d, userId: $u) {
  __typename } }"""


async def setup(api: Api) -> dict[str, Any]:
    """Two interviews (P01, woman; P02, man) coded by coder b, with consensus codings of
    Colleague and Phone (group Kolleger) and Walk (category Støtte) in both."""
    lead, b = await api.person("lead"), await api.person("coderb")
    project = await api.project(lead)
    await api.add_member(lead, project, b, "CODER")
    category = await code(api, lead, project, "Støtte", codable=False)
    other = await code(api, lead, project, "Andre", codable=False)
    group = await code(api, lead, project, "Kolleger", category["id"], codable=False)
    ids = {
        "category": category["id"],
        "other": other["id"],
        "group": group["id"],
        "colleague": (await code(api, lead, project, "Colleague", group["id"]))["id"],
        "phone": (await code(api, lead, project, "Phone", group["id"]))["id"],
        "walk": (await code(api, lead, project, "Walk", category["id"]))["id"],
    }
    docs = []
    for title, attrs in (
        ("Interview 1", {"participant": "P01", "gender": "F", "age": 41}),
        ("Interview 2", {"participant": "P02", "gender": "M", "age": 52}),
    ):
        doc = (await api.import_document(lead, project, TEXT, title, attrs))["id"]
        await api.gql(ASSIGN, {"d": doc, "u": b.id}, as_=lead)
        docs.append(doc)
    quotes: dict[str, str] = {}
    for n, doc in enumerate(docs, 1):
        quotes[f"colleague{n}"] = await consensus_coding(
            api, project, doc, ids["colleague"], at("ringte en kollega")
        )
        quotes[f"phone{n}"] = await consensus_coding(api, project, doc, ids["phone"], at("Åse"))
        quotes[f"walk{n}"] = await consensus_coding(
            api, project, doc, ids["walk"], at("tur med hunden")
        )
    return {"lead": lead, "b": b, "project": project, "ids": ids, "docs": docs, "q": quotes}


async def quotes_of(
    api: Api, who: Person, code_id: str, filters: list[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    data = await api.gql(QUOTES, {"c": code_id, "a": filters}, as_=who)
    found: list[dict[str, Any]] = data["categoryContent"]["consensusQuotes"]
    return found


async def test_quotes_come_chosen_first_in_order_and_filter_by_attributes(api: Api) -> None:
    s = await setup(api)
    lead, group, q = s["lead"], s["ids"]["group"], s["q"]
    every = await quotes_of(api, lead, group)
    # the group's own codes only (Walk sits in the category, not the group), document order
    assert [x["coding"]["id"] for x in every] == [
        q["colleague1"],
        q["phone1"],
        q["colleague2"],
        q["phone2"],
    ]
    assert {x["coding"]["layer"] for x in every} == {"CONSENSUS"}
    assert [x["position"] for x in every] == [None] * 4
    assert every[0]["participant"] == "P01" and every[0]["documentTitle"] == "Interview 1"
    assert every[0]["attributes"] == {"participant": "P01", "gender": "F", "age": 41}
    # chosen, then reordered as a drag would: the same ids in a new order
    chosen = await api.gql(SET_QUOTES, {"c": group, "q": [q["phone2"], q["colleague1"]]}, as_=lead)
    assert chosen["setQuotes"]["version"] == 1
    reordered = await api.gql(
        SET_QUOTES, {"c": group, "q": [q["colleague1"], q["phone2"]], "v": 1}, as_=lead
    )
    assert [x["id"] for x in reordered["setQuotes"]["quotes"]] == [q["colleague1"], q["phone2"]]
    stale = await api.gql(SET_QUOTES, {"c": group, "q": [q["phone2"]], "v": 1}, as_=lead)
    assert stale["setQuotes"]["code"] == "CONFLICT"
    listed = await quotes_of(api, lead, group)
    assert [(x["coding"]["id"], x["position"]) for x in listed] == [
        (q["colleague1"], 0),
        (q["phone2"], 1),
        (q["phone1"], None),
        (q["colleague2"], None),
    ]
    men = await quotes_of(api, lead, group, [{"name": "gender", "values": ["M"]}])
    assert [x["coding"]["id"] for x in men] == [q["phone2"], q["colleague2"]]
    # numbers match as text; several filters must all hold
    both = await quotes_of(
        api,
        lead,
        s["ids"]["category"],
        [{"name": "age", "values": ["41", "99"]}, {"name": "participant", "values": ["P01"]}],
    )
    assert {x["coding"]["id"] for x in both} == {q["colleague1"], q["phone1"], q["walk1"]}
    assert await quotes_of(api, lead, group, [{"name": "site", "values": ["Oslo"]}]) == []
    for bad in ([{"name": " ", "values": ["x"]}], [{"name": "gender", "values": []}]):
        assert await api.error_code(QUOTES, {"c": group, "a": bad}, as_=lead) == "INVALID_INPUT"


async def test_a_blinded_coder_reads_no_quote_or_count_of_an_unrevealed_document(
    api: Api,
) -> None:
    s = await setup(api)
    lead, b, project, group = s["lead"], s["b"], s["project"], s["ids"]["group"]
    await api.gql(SET_QUOTES, {"c": group, "q": [s["q"]["colleague2"]]}, as_=lead)
    assert await quotes_of(api, b, group) == []
    coverage = await api.gql(COVERAGE, {"p": project, "a": "participant", "l": "CATEGORY"}, as_=b)
    cells = [c for r in coverage["synthesisCoverage"]["rows"] for c in r["cells"]]
    assert cells and all(c["codings"] == 0 and c["quotes"] == 0 for c in cells)
    await api.gql(REVEAL, {"d": s["docs"][1]}, as_=lead)
    seen = await quotes_of(api, b, group)
    assert [x["coding"]["id"] for x in seen] == [s["q"]["colleague2"], s["q"]["phone2"]]
    after = await api.gql(COVERAGE, {"p": project, "a": "participant", "l": "CATEGORY"}, as_=b)
    rows = {r["participant"]: r["cells"] for r in after["synthesisCoverage"]["rows"]}
    assert rows["P01"][0]["codings"] == 0
    assert rows["P02"][0] == {"codeId": s["ids"]["category"], "codings": 3, "quotes": 1}
    # Markdown is an export: leads and viewers only
    assert await api.error_code(MARKDOWN, {"p": project}, as_=b) == "FORBIDDEN"
    stranger = await api.person("stranger")
    assert await api.error_code(QUOTES, {"c": group}, as_=stranger) == "NOT_FOUND"
    assert (
        await api.error_code(
            COVERAGE, {"p": project, "a": "participant", "l": "CATEGORY"}, as_=stranger
        )
        == "NOT_FOUND"
    )


async def test_coverage_counts_per_participant_and_level(api: Api) -> None:
    s = await setup(api)
    lead, project, ids, q = s["lead"], s["project"], s["ids"], s["q"]
    await api.gql(SET_QUOTES, {"c": ids["category"], "q": [q["walk1"], q["phone1"]]}, as_=lead)
    found = (
        await api.gql(COVERAGE, {"p": project, "a": "participant", "l": "CATEGORY"}, as_=lead)
    )["synthesisCoverage"]
    assert [c["name"] for c in found["categories"]] == ["Støtte", "Andre"]
    rows = {r["participant"]: r for r in found["rows"]}
    assert list(rows) == ["P01", "P02"]
    assert [(c["codings"], c["quotes"]) for c in rows["P01"]["cells"]] == [(3, 2), (0, 0)]
    assert [(c["codings"], c["quotes"]) for c in rows["P02"]["cells"]] == [(3, 0), (0, 0)]
    assert rows["P01"]["documentIds"] == [s["docs"][0]]
    groups = (await api.gql(COVERAGE, {"p": project, "a": "participant", "l": "GROUP"}, as_=lead))[
        "synthesisCoverage"
    ]
    # a code straight under a category is its own group, as in agreement at group level
    assert [c["name"] for c in groups["categories"]] == ["Kolleger", "Walk"]
    assert [[c["codings"] for c in r["cells"]] for r in groups["rows"]] == [[2, 1], [2, 1]]
    by_gender = (await api.gql(COVERAGE, {"p": project, "a": "gender", "l": "CODE"}, as_=lead))[
        "synthesisCoverage"
    ]
    assert [c["name"] for c in by_gender["categories"]] == ["Colleague", "Phone", "Walk"]
    assert [r["participant"] for r in by_gender["rows"]] == ["F", "M"]
    # documents without the attribute are listed by title
    by_site = await api.gql(COVERAGE, {"p": project, "a": "site", "l": "CATEGORY"}, as_=lead)
    titles = [r["participant"] for r in by_site["synthesisCoverage"]["rows"]]
    assert titles == ["Interview 1", "Interview 2"]


async def _lead_user(pool: asyncpg.Pool, person: Person) -> User:
    return User(UUID(person.id), person.email, person.name)


async def test_synthesis_as_markdown_and_in_the_json_export(api: Api) -> None:
    s = await setup(api)
    lead, project, ids, q = s["lead"], s["project"], s["ids"], s["q"]
    await api.gql(
        CONDENSATE, {"c": ids["group"], "t": "Jeg ringte en kollega.\nDet hjalp."}, as_=lead
    )
    await api.gql(ANALYTIC, {"c": ids["group"], "t": "Peer contact is informal."}, as_=lead)
    await api.gql(
        SET_QUOTES, {"c": ids["group"], "q": [q["phone2"], q["colleague1"]], "v": 2}, as_=lead
    )
    md = (await api.gql(MARKDOWN, {"p": project}, as_=lead))["synthesisMarkdown"]
    assert md.startswith("# Synthesis: Peer support study\n")
    assert "1 category or groups written, with 2 quote(s)" in md
    # the group under its category's heading; the unwritten category "Andre" is left out
    assert md.index("## Støtte") < md.index("### Kolleger") and "Andre" not in md
    assert "> Jeg ringte en kollega.\n> Det hjalp." in md
    assert "**Analytic text**\n\nPeer contact is informal." in md
    start, end = at("Åse")
    assert md.index("“Åse”") < md.index("“ringte en kollega”")  # the chosen order
    assert f"> — P02 (Interview 2, {start}–{end})" in md
    lead_user = await _lead_user(api.pool, lead)
    async with api.pool.acquire() as conn:
        exported = await export_project(conn, lead_user, UUID(project), "synthesis-md")
        whole = await export_project(conn, lead_user, UUID(project), "json")
    assert exported.content.decode() == md and exported.filename.endswith(".synthesis.md")
    url = (await api.gql(EXPORT_URL, {"p": project}, as_=lead))["exportUrl"]
    response = await api.client.get(url, headers={"authorization": f"Bearer {lead.token}"})
    assert response.status_code == 200 and response.text == md
    assert response.headers["content-type"].startswith("text/markdown")
    b = {"authorization": f"Bearer {s['b'].token}"}
    assert (await api.client.get(url, headers=b)).status_code == 403
    synthesis = json.loads(whole.content)["synthesis"]
    assert len(synthesis) == 1
    entry = synthesis[0]
    assert entry["codeId"] == ids["group"] and entry["path"] == ["Støtte", "Kolleger"]
    assert entry["condensate"] == "Jeg ringte en kollega.\nDet hjalp."
    assert entry["quoteIds"] == [q["phone2"], q["colleague1"]] and entry["version"] == 3
