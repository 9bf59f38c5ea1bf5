"""Text PostgreSQL cannot store, and numbers past bigint, are user errors (issue 10, #14).

NUL characters, unpaired UTF-16 surrogates sent as JSON escapes, NaN in a JSON scalar and
integers past int64 in event ids and cursors used to fail inside PostgreSQL and answer
INTERNAL. They are refused at the edge: a mutation answers with an InvalidInputError
member of its union naming the argument, a query with an INVALID_INPUT error, and
nothing is written.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from accord.graphql.input_guard import first_problem
from accord.text_input import unstorable
from tests.support import Api, Person

RESULT = "__typename ... on UserError { message code } ... on InvalidInputError { field }"


async def post_escaped(
    api: Api, query: str, variables: dict[str, Any], who: Person | None = None
) -> dict[str, Any]:
    """Send the body with every non-ASCII character as a JSON \\u escape, as a hostile
    client would: a lone surrogate then arrives as "\\ud800", which is valid JSON."""
    body = json.dumps({"query": query, "variables": variables}, ensure_ascii=True)
    headers = {"content-type": "application/json"}
    if who is not None:
        headers["authorization"] = f"Bearer {who.token}"
    response = await api.client.post("/graphql", content=body.encode(), headers=headers)
    assert response.status_code == 200, response.text
    decoded: dict[str, Any] = response.json()
    return decoded


def mutation(variables: str, call: str) -> str:
    return f"mutation({variables}) {{ {call} {{ {RESULT} }} }}"


def refused(body: dict[str, Any], field: str, argument: str) -> dict[str, Any]:
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"][field]
    assert result["__typename"] == "InvalidInputError", result
    assert result["code"] == "INVALID_INPUT"
    assert result["field"] == argument
    return result


NUL = "Hjelp\x00 fra kolleger"
SURROGATE = "Hjelp \ud83d fra kolleger"  # the first half of 😀, alone


@pytest.mark.parametrize("hostile", [NUL, SURROGATE], ids=["NUL", "lone surrogate"])
async def test_unstorable_text_is_invalid_input_everywhere(api: Api, hostile: str) -> None:
    lead = await api.person("lead")
    coder = await api.person("coder")
    project = await api.project(lead)
    import_doc = 'importDocument(projectId: $p, title: "Intervju", text: "Tekst", attributes: $a)'
    cases: list[tuple[str, dict[str, Any], str, str]] = [
        (
            mutation("$p: ID!, $i: CodeInput!", "createCode(projectId: $p, input: $i)"),
            {"p": project, "i": {"name": "Kollega", "definition": hostile}},
            "createCode",
            "definition",
        ),
        (
            mutation("$d: String", 'createProject(name: "Studie", description: $d)'),
            {"d": hostile},
            "createProject",
            "description",
        ),
        (
            mutation("$n: String", "createApiToken(name: $n)"),
            {"n": hostile},
            "createApiToken",
            "name",
        ),
        (
            mutation("$p: ID!, $e: String!", "addMember(projectId: $p, email: $e, role: CODER)"),
            {"p": project, "e": coder.email.replace("@", hostile[5:7] + "@")},
            "addMember",
            "email",
        ),
        (
            mutation("$p: ID!, $a: JSON", import_doc),
            {"p": project, "a": {"participants": [{"site": hostile}]}},
            "importDocument",
            "attributes",
        ),
    ]
    paths = ["input.definition", "description", "name", "email", "attributes.participants[0].site"]
    for (query, variables, field, argument), path in zip(cases, paths, strict=True):
        result = refused(await post_escaped(api, query, variables, lead), field, argument)
        assert result["message"].startswith(path + " contains "), result
    # Nothing was half-written: no project, token or member came of it.
    seen = await api.gql(
        """query($p: ID!) { projects { id } apiTokens { name }
             project(id: $p) { members { user { id } } documents { totalCount } } }""",
        {"p": project},
        as_=lead,
    )
    assert [p["id"] for p in seen["projects"]] == [project]
    assert [t["name"] for t in seen["apiTokens"]] == ["tests"]
    assert len(seen["project"]["members"]) == 1
    assert seen["project"]["documents"]["totalCount"] == 0


async def test_unstorable_text_in_a_query_argument_is_invalid_input(api: Api) -> None:
    lead = await api.person("lead")
    body = await post_escaped(
        api, "query($p: ID!) { project(id: $p) { name } }", {"p": SURROGATE}, lead
    )
    assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT", body
    assert "surrogate" in body["errors"][0]["message"]


async def test_login_with_a_nul_is_invalid_input(api: Api) -> None:
    body = await post_escaped(
        api,
        f'mutation($e: String!) {{ login(email: $e, password: "whatever-it-is") {{ {RESULT} }} }}',
        {"e": "lead\x00@example.org"},
    )
    refused(body, "login", "email")


async def test_nan_in_a_json_argument_is_invalid_input(api: Api) -> None:
    lead = await api.person("lead")
    project = await api.project(lead)
    # Python's JSON reader, which the server uses, accepts NaN; PostgreSQL's jsonb does not.
    query = mutation(
        "$p: ID!, $a: JSON", 'importDocument(projectId: $p, title: "T", text: "x", attributes: $a)'
    )
    body = json.dumps({"query": query, "variables": {"p": project, "a": {"age": float("nan")}}})
    assert "NaN" in body
    response = await api.client.post(
        "/graphql",
        content=body.encode(),
        headers={"content-type": "application/json", "authorization": f"Bearer {lead.token}"},
    )
    result = response.json()["data"]["importDocument"]
    assert result["__typename"] == "InvalidInputError" and result["field"] == "attributes"


HUGE = "9" * 30


async def test_event_ids_past_bigint_are_not_found(api: Api) -> None:
    lead = await api.person("lead")
    for event_id in (HUGE, str(2**63), "-1"):
        body = await post_escaped(
            api,
            f"mutation($e: ID!) {{ undoMerge(eventId: $e) {{ {RESULT} }} }}",
            {"e": event_id},
            lead,
        )
        result = body["data"]["undoMerge"]
        # Event ids are sealed tokens: a number of any size is simply not one of them.
        assert result["code"] == "NOT_FOUND", (event_id, result)


@pytest.mark.parametrize(
    "cursor",
    [
        base64.urlsafe_b64encode(f"event:{HUGE}".encode()).decode(),
        base64.urlsafe_b64encode(f"event:{2**63}".encode()).decode(),
        base64.urlsafe_b64encode(b"event:-5").decode(),
        base64.urlsafe_b64encode("event:١٢".encode()).decode(),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
        "not base64 at all!",
        "x" * 5000,
    ],
)
async def test_cursors_past_bigint_or_malformed_are_invalid_input(api: Api, cursor: str) -> None:
    lead = await api.person("lead")
    project = await api.project(lead)
    body = await post_escaped(
        api,
        "query($p: ID!, $a: String) { auditLog(projectId: $p, after: $a) { totalCount } }",
        {"p": project, "a": cursor},
        lead,
    )
    assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT", body
    assert body["errors"][0]["message"] == "The cursor is not one this list gave out."


def test_the_rule_and_the_walk() -> None:
    assert unstorable("æøå 😀 e\u0301") is None
    assert unstorable("\ud800") is not None and "U+D800" in str(unstorable("\ud800"))
    assert unstorable("a\x00") is not None
    deep: Any = "ok"
    for _ in range(5000):  # deeper than Python's recursion limit: the walk is iterative
        deep = [deep]
    assert first_problem({"attributes": deep}) is None
    key = first_problem({"attributes": {"a\x00": 1}})
    assert key is not None and (key.field, key.path) == ("attributes", "attributes")
    assert key.reason.startswith("has a key that contains a NUL")
    number = first_problem({"project_id": "x", "min_coverage": [1.0, float("inf")]})
    assert number is not None
    assert (number.field, number.path) == ("minCoverage", "minCoverage[1]")
    assert number.message == "minCoverage[1] is not a finite number."
