"""Synthesis over GraphQL: category content set and read, quotes validated, blinding."""

from __future__ import annotations

from tests.support import Api
from tests.test_consolidation import at, consensus_coding, study

CONTENT = """query($c: ID!) { categoryContent(codeId: $c) {
  code { name } condensate analyticText version quotes { id text layer } } }"""
CONDENSATE = """mutation($c: ID!, $t: String!, $v: Int!) {
  setCondensate(codeId: $c, text: $t, version: $v) {
  __typename ... on CategoryContent { condensate version } ... on UserError { code message } } }"""
ANALYTIC = """mutation($c: ID!, $t: String!, $v: Int! = 1) {
  setAnalyticText(codeId: $c, text: $t, version: $v) {
  __typename ... on CategoryContent { analyticText version } ... on UserError { code } } }"""
QUOTES = """mutation($c: ID!, $q: [ID!]!, $v: Int! = 0) {
  setQuotes(codeId: $c, codingIds: $q, version: $v) {
  __typename ... on CategoryContent { quotes { id text } } ... on UserError { code message } } }"""


async def test_category_content_is_set_and_read_with_versions(api: Api) -> None:
    s = await study(api)
    lead, group = s["lead"], s["ids"]["group"]
    empty = (await api.gql(CONTENT, {"c": group}, as_=lead))["categoryContent"]
    assert empty == {
        "code": {"name": "Kolleger"},
        "condensate": "",
        "analyticText": "",
        "version": 0,
        "quotes": [],
    }
    text = "Vi ringer en kollega når natten blir lang."
    first = (await api.gql(CONDENSATE, {"c": group, "t": text, "v": 0}, as_=lead))["setCondensate"]
    assert first == {"__typename": "CategoryContent", "condensate": text, "version": 1}
    stale = (await api.gql(CONDENSATE, {"c": group, "t": "x", "v": 0}, as_=lead))["setCondensate"]
    assert stale["code"] == "CONFLICT"
    analytic = await api.gql(ANALYTIC, {"c": group, "t": "Peer contact is informal."}, as_=lead)
    assert analytic["setAnalyticText"]["version"] == 2
    quote = await consensus_coding(api, s["project"], s["doc"], s["ids"]["phone"], at("Åse"))
    set_q = (await api.gql(QUOTES, {"c": group, "q": [quote], "v": 2}, as_=lead))["setQuotes"]
    assert set_q["quotes"] == [{"id": quote, "text": "Åse"}]
    read = (await api.gql(CONTENT, {"c": s["ids"]["category"]}, as_=lead))["categoryContent"]
    assert read["version"] == 0  # the category's own content is separate from its group's
    read = (await api.gql(CONTENT, {"c": group}, as_=lead))["categoryContent"]
    assert read["condensate"] == text and read["analyticText"] == "Peer contact is informal."
    assert [q["layer"] for q in read["quotes"]] == ["CONSENSUS"]
    # a leaf code holds no synthesis
    leaf = await api.raw(CONTENT, {"c": s["ids"]["phone"]}, as_=lead)
    assert leaf["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


async def test_quotes_must_be_consensus_codings_of_the_category(api: Api) -> None:
    s = await study(api)
    lead, ids = s["lead"], s["ids"]
    async with api.pool.acquire() as conn:
        coder_coding = await conn.fetchval(
            "SELECT id::text FROM codings WHERE coder_id IS NOT NULL LIMIT 1"
        )
    refused = await api.gql(QUOTES, {"c": ids["group"], "q": [coder_coding]}, as_=lead)
    assert refused["setQuotes"]["code"] == "INVALID_INPUT"
    walk = await consensus_coding(api, s["project"], s["doc"], ids["walk"], at("tur med hunden"))
    # "Walk" sits in the category but not in the group "Kolleger"
    outside = (await api.gql(QUOTES, {"c": ids["group"], "q": [walk]}, as_=lead))["setQuotes"]
    assert outside["code"] == "INVALID_INPUT" and "not consensus-layer" in outside["message"]
    inside = (await api.gql(QUOTES, {"c": ids["category"], "q": [walk]}, as_=lead))["setQuotes"]
    assert [q["id"] for q in inside["quotes"]] == [walk]


async def test_blinded_coders_read_no_unrevealed_quotes_and_write_nothing(api: Api) -> None:
    s = await study(api)
    lead, b, group = s["lead"], s["b"], s["ids"]["group"]
    quote = await consensus_coding(api, s["project"], s["doc"], s["ids"]["phone"], at("Åse"))
    await api.gql(QUOTES, {"c": group, "q": [quote]}, as_=lead)
    await api.gql(CONDENSATE, {"c": group, "t": "Kollegaer hjelper.", "v": 1}, as_=lead)
    seen = (await api.gql(CONTENT, {"c": group}, as_=b))["categoryContent"]
    assert seen["condensate"] == "Kollegaer hjelper." and seen["quotes"] == []
    for query, variables in (
        (CONDENSATE, {"c": group, "t": "mine", "v": 2}),
        (ANALYTIC, {"c": group, "t": "mine", "v": 2}),
        (QUOTES, {"c": group, "q": [], "v": 2}),
    ):
        result = next(iter((await api.gql(query, variables, as_=b)).values()))
        assert result["code"] == "FORBIDDEN"
    await api.gql(
        "mutation($d: ID!) { revealDocument(documentId: $d) { __typename } }",
        {"d": s["doc"]},
        as_=lead,
    )
    after = (await api.gql(CONTENT, {"c": group}, as_=b))["categoryContent"]
    assert [q["id"] for q in after["quotes"]] == [quote]
