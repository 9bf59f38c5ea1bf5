"""The API's types and rules a client programs against: enums and typed objects, one rule
for versions and page sizes, the real codingCount, unknown ids in filters, fields some
members may not read, units one kind a call, errors that carry their code, errorCode, and
the README's applyCode example run as written."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from accord.agreement.naming import NAMING
from accord.graphql.agreement_types import CoefficientName
from accord.graphql.schema import sdl
from tests.support import REPO_ROOT, Api
from tests.test_agreement_report import REPORT, _code_both, _study
from tests.test_coding_flow import apply, code

ASSIGN = """mutation($d: ID!, $u: ID!) { assignDocument(documentId: $d, userId: $u) {
  __typename } }"""
SUBMIT = """mutation($d: ID!) { submitAssignment(documentId: $d) {
  __typename ... on Assignment { status codingCount } ... on UserError { errorCode message } } }"""
REOPEN = """mutation($d: ID!, $u: ID!) { reopenAssignment(documentId: $d, userId: $u,
  reason: "One passage was skipped") {
  __typename ... on Assignment { status codingCount } ... on UserError { errorCode message } } }"""
CODINGS = """query($p: ID!, $f: CodingFilterInput) { project(id: $p) {
  codings(filter: $f) { totalCount } } }"""


def _error(body: dict[str, Any]) -> dict[str, Any]:
    assert body.get("errors"), body
    error: dict[str, Any] = body["errors"][0]
    return error


# --- 11: enums and typed objects ------------------------------------------------------


def test_the_schema_types_fixed_sets_as_enums_and_echoes_as_objects() -> None:
    schema = sdl()
    for line in (
        "verdict: Verdict",
        "headline: CoefficientName!",
        "parameters: AgreementParameters!",
        "counts: AgreementCounts!",
        "name: CoefficientName!",
        "layer: Layer!",
        "status: ProjectStatus!",
        "effect: DecisionEffect!",
        "errorCode: ErrorCode!",
        "coder: User!",
    ):
        assert line in schema, line
    assert "JSON" not in re.search(r"type AgreementReport \{.*?\n\}", schema, re.S)[0]  # type: ignore[index]


def test_every_coefficient_the_report_names_is_in_the_enum() -> None:
    # Every coefficient the engine gives has a name in the literature; the API names
    # every one of them too.
    assert set(NAMING) <= {c.value for c in CoefficientName}


async def test_agreement_answers_in_enums_and_typed_objects(api: Api) -> None:
    lead, b, c, project, _doc, ids = await _study(api)
    await _code_both(api, b, c, _doc, ids)
    report = (await api.gql(REPORT, {"p": project, "i": {"unitMode": "UNITS"}}, as_=lead))[
        "agreement"
    ]
    assert report["headline"] == "UNITS_MASI_ALPHA"
    assert report["verdict"] in {"RELIABLE", "TENTATIVE", "NOT_RELIABLE", "UNDEFINED"}
    assert {x["name"] for x in report["coefficients"]} <= {c.name for c in CoefficientName}
    assert report["parameters"]["unitMode"] == "UNITS"
    assert (
        report["counts"]["units"]
        == report["counts"]["unitsUsed"] + (report["counts"]["unitsExcluded"])
    )
    assert {u["id"] for u in report["counts"]["coders"]} == {b.id, c.id}


# --- 13: versions and page sizes ------------------------------------------------------


async def test_every_versioned_write_requires_the_version(api: Api) -> None:
    lead = await api.person("lead")
    project = await api.project(lead)
    made = await code(api, lead, project, "Phone")
    for mutation in (
        'renameCode(id: $id, name: "Telephone")',
        "moveCode(id: $id, parentId: null)",
        "retireCode(id: $id)",
        "adoptCode(id: $id)",
        'updateMemo(id: $id, text: "x")',
        'setCondensate(codeId: $id, text: "x")',
        'setAnalyticText(codeId: $id, text: "x")',
        "setQuotes(codeId: $id, codingIds: [])",
    ):
        body = await api.raw(
            f"mutation($id: ID!) {{ {mutation} {{ __typename }} }}", {"id": made["id"]}, as_=lead
        )
        error = _error(body)
        assert error["extensions"]["code"] == "INVALID_INPUT", (mutation, error)
        assert "(version:)' of type 'Int!' is required" in error["message"], error
    rename = """mutation($id: ID!, $v: Int!) { renameCode(id: $id, name: "Telephone", version: $v)
      { __typename ... on Code { name version } ... on UserError { errorCode } } }"""
    stale = (await api.gql(rename, {"id": made["id"], "v": 7}, as_=lead))["renameCode"]
    assert stale == {"__typename": "ConflictError", "errorCode": "CONFLICT"}
    done = (await api.gql(rename, {"id": made["id"], "v": 1}, as_=lead))["renameCode"]
    assert done == {"__typename": "Code", "name": "Telephone", "version": 2}


async def test_every_list_of_objects_pages_by_the_same_rule(api: Api) -> None:
    lead = await api.person("lead")
    project = await api.project(lead)
    doc = (await api.import_document(lead, project, "P01: Ja.\n\nP02: Nei."))["id"]
    lists = {
        "documents": f'project(id: "{project}") {{ documents(first: $n) {{ totalCount }} }}',
        "codings": f'project(id: "{project}") {{ codings(first: $n) {{ totalCount }} }}',
        "document codings": f'document(id: "{doc}") {{ codings(first: $n) {{ totalCount }} }}',
        "audit log": f'auditLog(projectId: "{project}", first: $n) {{ totalCount }}',
        "accounts": "accounts(first: $n) { pageInfo { hasNextPage } }",
    }
    admin = await api.person("admin", is_admin=True)
    for name, field in lists.items():
        query = f"query($n: Int) {{ {field} }}"
        who = admin if name == "accounts" else lead
        assert (await api.raw(query, {"n": 200}, as_=who)).get("errors") is None, name
        error = _error(await api.raw(query, {"n": 201}, as_=who))
        assert error["extensions"]["code"] == "INVALID_INPUT", name
        assert error["message"] == "first must be between 1 and 200.", name
    table = f'query {{ document(id: "{doc}") {{ codingTable(first: 10000) {{ count }} }} }}'
    assert (await api.gql(table, as_=lead))["document"]["codingTable"]["count"] == 0
    assert "at most 200 (the page size of every list of objects)" in sdl()


# --- 14: codingCount after submitting and reopening -----------------------------------


async def test_submit_and_reopen_return_the_real_coding_count(api: Api) -> None:
    lead, b, _c, _project, doc, ids = await _study(api)
    await apply(api, b, doc, ids["phone"], 0, 10)
    await apply(api, b, doc, ids["colleague"], 20, 30)
    submitted = (await api.gql(SUBMIT, {"d": doc}, as_=b))["submitAssignment"]
    assert submitted == {"__typename": "Assignment", "status": "SUBMITTED", "codingCount": 2}
    reopened = (await api.gql(REOPEN, {"d": doc, "u": b.id}, as_=lead))["reopenAssignment"]
    assert reopened == {"__typename": "Assignment", "status": "REOPENED", "codingCount": 2}


# --- 15: unknown ids in filters ---------------------------------------------------------


async def test_unknown_ids_in_every_filter_are_refused_by_name(api: Api) -> None:
    lead, b, c, project, doc, ids = await _study(api)
    await _code_both(api, b, c, doc, ids)
    ghost, junk = str(uuid.uuid4()), "not-an-id"
    for field, kind in (("codeIds", "code"), ("coderIds", "coder"), ("documentIds", "document")):
        body = await api.raw(REPORT, {"p": project, "i": {field: [ghost, junk]}}, as_=lead)
        error = _error(body)
        assert error["extensions"]["code"] == "INVALID_INPUT", (field, error)
        assert error["message"] == (
            f"{field} names ids of no {kind} in this project: {junk}, {ghost}."
        ), error
    # The same agreement selection in the drill-down, and a coding filter.
    drill = """query($p: ID!, $f: DisagreementFilterInput) { projectDisagreements(
      projectId: $p, filter: $f) { coderIds } }"""
    error = _error(await api.raw(drill, {"p": project, "f": {"coderIds": [ghost]}}, as_=lead))
    assert error["extensions"]["code"] == "INVALID_INPUT" and ghost in error["message"]
    for filter_field in ("codeId", "coderId", "documentId", "roundId"):
        body = await api.raw(CODINGS, {"p": project, "f": {filter_field: ghost}}, as_=lead)
        error = _error(body)
        assert error["extensions"]["code"] == "INVALID_INPUT", (filter_field, error)
        assert error["message"].startswith(f"{filter_field} names an id of no "), error
        assert ghost in error["message"]
    known = await api.gql(CODINGS, {"p": project, "f": {"codeId": ids["phone"]}}, as_=lead)
    assert known["project"]["codings"]["totalCount"] == 1


async def test_a_hidden_proposal_is_refused_like_an_id_that_does_not_exist(api: Api) -> None:
    lead, b, c = await api.person("lead"), await api.person("coderb"), await api.person("coderc")
    project = await api.project(lead)
    await api.gql(
        """mutation($p: ID!) { updateProject(id: $p, settings: {inductiveCodes: true}) {
             __typename } }""",
        {"p": project},
        as_=lead,
    )
    for who in (b, c):
        await api.add_member(lead, project, who, "CODER")
    proposal = await code(api, c, project, "C's own idea")
    assert proposal["__typename"] == "Code", proposal
    ghost = str(uuid.uuid4())
    answers = []
    for named in (proposal["id"], ghost):
        for query, variables in (
            (CODINGS, {"p": project, "f": {"codeId": named}}),
            (REPORT, {"p": project, "i": {"codeIds": [named]}}),
        ):
            error = _error(await api.raw(query, variables, as_=b))
            answers.append((error["message"].replace(named, "…"), error["extensions"]))
    assert answers[:2] == answers[2:]
    assert "C's own idea" not in str(answers)


# --- 16: a field the caller may not read -----------------------------------------------


async def test_a_field_the_caller_may_not_read_is_null_and_the_rest_stands(api: Api) -> None:
    lead, b, _c, project, _doc, _ids = await _study(api)
    query = """query($p: ID!) { project(id: $p) { name assignments { documentId }
      progress { submitted } progressMatrix { round { name } } invitations { id } } }"""
    body = await api.raw(query, {"p": project}, as_=b)
    data = body["data"]["project"]
    assert data["name"] == "Peer support study" and len(data["assignments"]) == 1
    assert data["progress"] is None and data["progressMatrix"] is None
    assert data["invitations"] is None
    refused = {tuple(e["path"]): e["extensions"]["code"] for e in body["errors"]}
    assert refused == {
        ("project", "progress"): "FORBIDDEN",
        ("project", "progressMatrix"): "FORBIDDEN",
        ("project", "invitations"): "FORBIDDEN",
    }
    as_lead = await api.gql(query, {"p": project}, as_=lead)
    assert as_lead["project"]["progress"] is not None
    # The same at the top: a query only leads and viewers may make.
    both = """query($p: ID!) { me { id } auditLog(projectId: $p) { totalCount } }"""
    body = await api.raw(both, {"p": project}, as_=b)
    assert body["data"] == {"me": {"id": b.id}, "auditLog": None}
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [
        (["auditLog"], "FORBIDDEN")
    ]


# --- 17: units, one kind a call ----------------------------------------------------------


async def test_units_need_their_kind(api: Api) -> None:
    lead = await api.person("lead")
    project = await api.project(lead)
    doc = (await api.import_document(lead, project, "I: Hei. Og så?\n\nP07: Ja."))["id"]
    error = _error(await api.raw(f'{{ document(id: "{doc}") {{ units {{ start }} }} }}', as_=lead))
    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert "(kind:)' of type 'UnitKind!' is required" in error["message"], error
    both = await api.gql(
        f"""{{ document(id: "{doc}") {{ turns: units(kind: SPEAKER_TURN) {{ kind speaker }}
             sentences: units(kind: SENTENCE) {{ kind }} }} }}""",
        as_=lead,
    )
    assert [u["speaker"] for u in both["document"]["turns"]] == ["I", "P07"]
    assert {u["kind"] for u in both["document"]["sentences"]} == {"SENTENCE"}


# --- 18: errors that say what is wrong --------------------------------------------------


async def test_scalar_and_enum_errors_carry_their_code(api: Api) -> None:
    lead = await api.person("lead")
    project = await api.project(lead)
    doc = (await api.import_document(lead, project, "P01: Ja."))["id"]
    codings = f'document(id: "{doc}")'
    for query, variables, words in (
        (f"{{ {codings} {{ codings(layer: consensus) {{ totalCount }} }} }}", None, "CONSENSUS"),
        (
            f"query($l: Layer) {{ {codings} {{ codings(layer: $l) {{ totalCount }} }} }}",
            {"l": "everyone"},
            "Layer is one of CODER, CONSENSUS.",
        ),
        (
            f"query($n: Int) {{ {codings} {{ codings(first: $n) {{ totalCount }} }} }}",
            {"n": "x"},
            "Int",
        ),
        (
            f'{{ auditLog(projectId: "{project}", filter: {{since: "soon"}}) {{ totalCount }} }}',
            None,
            "DateTime",
        ),
    ):
        error = _error(await api.raw(query, variables, as_=lead))
        assert error["extensions"]["code"] == "INVALID_INPUT", error
        assert words in error["message"], error


async def test_a_bogus_or_revoked_token_is_called_not_valid(api: Api) -> None:
    me = "{ me { id } }"
    for token in ("accord_" + "x" * 43, "nonsense"):
        response = await api.client.post(
            "/graphql", json={"query": me}, headers={"authorization": f"Bearer {token}"}
        )
        error = _error(response.json())
        assert error["extensions"]["code"] == "UNAUTHENTICATED"
        assert error["message"].startswith("The API token is not valid"), error
    who = await api.person("leaving")
    tokens = await api.gql("{ apiTokens { id } }", as_=who)
    for t in tokens["apiTokens"]:
        await api.gql(
            "mutation($id: ID!) { revokeApiToken(id: $id) { __typename } }",
            {"id": t["id"]},
            as_=who,
        )
    error = _error(await api.raw(me, as_=who))
    assert error["message"].startswith("The API token is not valid"), error
    anonymous = _error(await api.raw(me))
    assert anonymous["message"].startswith("Log in, or send an API token"), anonymous


async def test_an_empty_title_is_named(api: Api) -> None:
    lead = await api.person("lead")
    project = await api.project(lead)
    made = await api.import_document(lead, project, "P01: Ja.", title="   ")
    assert made["code"] == "INVALID_INPUT"
    assert made["message"] == "A document needs a title: `title` is empty."


# --- 19: errorCode, and the README's example as written ---------------------------------


def _readme_example() -> str:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"```graphql\n(\s*mutation ApplyCode.*?)```", readme, re.S)
    assert match, "README.md shows no applyCode example"
    return match.group(1)


async def test_the_readme_apply_code_example_runs_as_written(api: Api) -> None:
    _lead, b, _c, _project, doc, ids = await _study(api)
    example = _readme_example()
    assert "errorCode" in example and "code { id name path }" in example
    variables = {
        "input": {"documentId": doc, "codeId": ids["phone"], "start": 0, "end": 12},
        "key": str(uuid.uuid4()),
    }
    made = (await api.gql(example, variables, as_=b))["applyCode"]
    assert made["__typename"] == "Coding" and made["code"]["id"] == ids["phone"], made
    assert made["start"] == 0 and made["end"] == 12 and made["version"] == 1
    bad = {**variables, "input": {**variables["input"], "end": 10_000}, "key": None}
    refused = (await api.gql(example, bad, as_=b))["applyCode"]
    assert refused["__typename"] == "InvalidInputError", refused
    assert refused["errorCode"] == "INVALID_INPUT" and refused["message"]
    # The variables the README shows parse as JSON with the same keys.
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.search(r'`(\{"input": \{"documentId".*?\})`', readme)
    assert shown, "README.md shows no variables for the example"
    assert set(json.loads(shown.group(1))) == set(variables)


async def test_error_code_and_code_agree(api: Api) -> None:
    lead = await api.person("lead")
    missing = await api.gql(
        """mutation { deleteCoding(id: "00000000-0000-0000-0000-000000000000") {
             ... on UserError { code errorCode } } }""",
        as_=lead,
    )
    assert missing["deleteCoding"] == {"code": "NOT_FOUND", "errorCode": "NOT_FOUND"}
