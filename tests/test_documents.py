"""Documents over GraphQL: import, read, update, delete, pagination and refusals."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from tests.support import Api, Person

UNIT = "{ kind index start end speaker text }"
# Units come one kind a call; the tests read every kind.
DOC_FIELDS = (
    f"id title text length attributes version paragraphs: units(kind: PARAGRAPH) {UNIT} "
    f"turns: units(kind: SPEAKER_TURN) {UNIT} sentences: units(kind: SENTENCE) {UNIT}"
)


def units_of(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [*doc["paragraphs"], *doc["turns"], *doc["sentences"]]


IMPORT = f"""mutation($p: ID!, $t: String!, $x: String!, $a: JSON) {{
  importDocument(projectId: $p, title: $t, text: $x, attributes: $a) {{
    __typename
    ... on Document {{ {DOC_FIELDS} }}
    ... on UserError {{ message code }}
    ... on InvalidInputError {{ field }}
    ... on TooLargeError {{ field }}
  }} }}"""
UPDATE = f"""mutation($d: ID!, $i: UpdateDocumentInput!) {{
  updateDocument(id: $d, input: $i) {{
    __typename
    ... on Document {{ {DOC_FIELDS} }}
    ... on UserError {{ message code }}
  }} }}"""
READ = f"query($d: ID!) {{ document(id: $d) {{ {DOC_FIELDS} }} }}"
PAGE = """query($p: ID!, $n: Int, $a: String) { project(id: $p) {
  documents(first: $n, after: $a) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { title } } } } }"""

MAX_BYTES = 200_000  # the test settings' ACCORD_MAX_DOCUMENT_BYTES


@pytest.fixture(scope="module")
async def lead(app_client: Any, pool: Any) -> Person:
    return await Api(app_client, pool).person("lead")


@pytest.fixture
async def project_id(api: Api, lead: Person) -> str:
    return await api.project(lead)


async def _import(api: Api, lead: Person, project_id: str, text: str, **kw: Any) -> Any:
    variables = {"p": project_id, "t": kw.get("title", "Interview"), "x": text}
    variables["a"] = kw.get("attributes")
    return (await api.gql(IMPORT, variables, as_=lead))["importDocument"]


async def _stored(api: Api, project_id: str) -> tuple[int, int]:
    """Documents and audit events of the project, straight from the database."""
    async with api.pool.acquire() as conn:
        docs = await conn.fetchval(
            "SELECT count(*) FROM documents WHERE project_id = $1", project_id
        )
        events = await conn.fetchval(
            "SELECT count(*) FROM events WHERE project_id = $1", project_id
        )
    return docs, events


async def test_import_and_read_back(api: Api, lead: Person, project_id: str) -> None:
    text = "I: Hei.\n\nP07: Ja, takk."
    doc = await _import(api, lead, project_id, text, attributes={"participant": "P07", "age": 41})
    assert doc["__typename"] == "Document"
    assert doc["text"] == text and doc["length"] == len(text)
    assert doc["attributes"] == {"participant": "P07", "age": 41}
    assert doc["version"] == 1
    read = (await api.gql(READ, {"d": doc["id"]}, as_=lead))["document"]
    assert read == {k: v for k, v in doc.items() if k != "__typename"}
    kinds = [u["kind"] for u in units_of(read)]
    assert kinds.count("PARAGRAPH") == 2 and kinds.count("SPEAKER_TURN") == 2


async def test_attributes_default_to_an_empty_object(
    api: Api, lead: Person, project_id: str
) -> None:
    doc = await _import(api, lead, project_id, "Some text.")
    assert doc["attributes"] == {}


BAD_INPUTS = [
    pytest.param({"x": ""}, "INVALID_INPUT", "text", id="empty text"),
    pytest.param({"x": " \n\t\r\n "}, "INVALID_INPUT", "text", id="whitespace-only text"),
    pytest.param({"x": "\ufeff"}, "INVALID_INPUT", "text", id="only a BOM"),
    pytest.param({"x": "I: a\x00b"}, "INVALID_INPUT", "text", id="NUL in text"),
    pytest.param({"x": "a" * (MAX_BYTES + 1)}, "TOO_LARGE", "text", id="ASCII over the limit"),
    pytest.param(
        {"x": "æ" * (MAX_BYTES // 2 + 1)}, "TOO_LARGE", "text", id="bytes, not characters"
    ),
    pytest.param({"a": ["P07"]}, "INVALID_INPUT", "attributes", id="attributes a list"),
    pytest.param({"a": "P07"}, "INVALID_INPUT", "attributes", id="attributes a string"),
    pytest.param({"a": 7}, "INVALID_INPUT", "attributes", id="attributes a number"),
    pytest.param({"a": {"p": "x\x00"}}, "INVALID_INPUT", "attributes", id="NUL in attributes"),
    pytest.param({"t": ""}, "INVALID_INPUT", "title", id="empty title"),
    pytest.param({"t": "  \t "}, "INVALID_INPUT", "title", id="blank title"),
    pytest.param({"t": "x" * 501}, "INVALID_INPUT", "title", id="title too long"),
]


@pytest.mark.parametrize("change, code, field", BAD_INPUTS)
async def test_bad_import_is_refused_and_writes_nothing(
    api: Api, lead: Person, project_id: str, change: dict[str, Any], code: str, field: str
) -> None:
    before = await _stored(api, project_id)
    variables = {"p": project_id, "t": "Interview", "x": "I: Hello.", "a": None, **change}
    result = (await api.gql(IMPORT, variables, as_=lead))["importDocument"]
    assert result["code"] == code, result
    assert result["field"] == field
    assert len(result["message"]) > 10
    if code == "TOO_LARGE":
        assert "ACCORD_MAX_DOCUMENT_BYTES" in result["message"]
    assert await _stored(api, project_id) == before


async def test_text_at_the_limit_is_accepted(api: Api, lead: Person, project_id: str) -> None:
    doc = await _import(api, lead, project_id, "a" * MAX_BYTES)
    assert doc["__typename"] == "Document" and doc["length"] == MAX_BYTES


async def test_lone_surrogate_is_refused(api: Api, lead: Person, project_id: str) -> None:
    # Sent as an ASCII JSON escape, the only way a lone surrogate can arrive.
    payload = {"query": IMPORT, "variables": {"p": project_id, "t": "T", "x": "I: a\ud800b"}}
    response = await api.client.post(
        "/graphql",
        content=json.dumps(payload).encode(),
        headers={"authorization": f"Bearer {lead.token}", "content-type": "application/json"},
    )
    result = response.json()["data"]["importDocument"]
    assert result["code"] == "INVALID_INPUT"
    assert await _stored(api, project_id) == (0, 1)


async def test_bom_dropped_and_line_ends_become_lf(api: Api, lead: Person, project_id: str) -> None:
    raw = "\ufeffI: Hei.\r\nP07: Ja.\rI: Takk.\r\n\r\nP07: Bra."
    doc = await _import(api, lead, project_id, raw)
    expected = "I: Hei.\nP07: Ja.\nI: Takk.\n\nP07: Bra."
    assert doc["text"] == expected
    assert doc["length"] == len(expected)
    turns = [u for u in units_of(doc) if u["kind"] == "SPEAKER_TURN"]
    assert [(u["start"], u["end"]) for u in turns] == [(0, 7), (8, 16), (17, 25), (27, 36)]
    assert [u["text"] for u in turns] == ["I: Hei.", "P07: Ja.", "I: Takk.", "P07: Bra."]


async def test_offsets_count_code_points(api: Api, lead: Person, project_id: str) -> None:
    text = (
        "Lege: Jeg søkte støtte 😊 fordi… Dr. Ås sa at det hjalp.\n"
        "P07: Cafe\u0301 på Blåbærveien 🧑🏽‍⚕️ var fint!\n\n"
        "Interviewer: Og så?"
    )
    doc = await _import(api, lead, project_id, text)
    assert doc["text"] == text
    assert doc["length"] == len(text)  # code points, not UTF-16 units or bytes
    assert len(text.encode("utf-16-le")) // 2 != len(text)
    for unit in units_of(doc):
        assert text[unit["start"] : unit["end"]] == unit["text"], unit
    turns = [u for u in units_of(doc) if u["kind"] == "SPEAKER_TURN"]
    assert [u["speaker"] for u in turns] == ["Lege", "P07", "Interviewer"]
    assert turns[1]["start"] == text.index("P07")
    assert turns[2]["start"] == text.index("Interviewer")
    sentences = [u["text"] for u in units_of(doc) if u["kind"] == "SENTENCE"]
    assert "Lege: Jeg søkte støtte 😊 fordi…" in sentences
    assert "Dr. Ås sa at det hjalp." in sentences


async def test_pagination(api: Api, lead: Person, project_id: str) -> None:
    for n in range(5):
        await _import(api, lead, project_id, f"Text {n}.", title=f"Doc {n}")
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        data = await api.gql(PAGE, {"p": project_id, "n": 2, "a": after}, as_=lead)
        page = data["project"]["documents"]
        assert page["totalCount"] == 5
        seen += [e["node"]["title"] for e in page["edges"]]
        pages += 1
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        after = page["pageInfo"]["endCursor"]
        if not page["pageInfo"]["hasNextPage"]:
            break
    assert seen == [f"Doc {n}" for n in range(5)]
    assert pages == 3
    # Past the end: an empty page.
    data = await api.gql(PAGE, {"p": project_id, "n": 2, "a": after}, as_=lead)
    page = data["project"]["documents"]
    assert page["edges"] == [] and page["pageInfo"] == {"hasNextPage": False, "endCursor": None}


@pytest.mark.parametrize(
    "variables",
    [
        pytest.param({"a": "not a cursor"}, id="garbage"),
        pytest.param({"a": base64.urlsafe_b64encode(b"project:3").decode()}, id="other kind"),
        pytest.param({"a": base64.urlsafe_b64encode(b"document:x").decode()}, id="not a number"),
        pytest.param({"a": base64.urlsafe_b64encode(b"\xff\xfe").decode()}, id="not UTF-8"),
        pytest.param({"n": 0}, id="first 0"),
        pytest.param({"n": 201}, id="first too big"),
    ],
)
async def test_bad_page_arguments(
    api: Api, lead: Person, project_id: str, variables: dict[str, Any]
) -> None:
    code = await api.error_code(PAGE, {"p": project_id, **variables}, as_=lead)
    assert code == "INVALID_INPUT"


async def test_update_title_attributes_and_text(api: Api, lead: Person, project_id: str) -> None:
    doc = await _import(api, lead, project_id, "I: Old.", attributes={"site": "A"})
    result = (
        await api.gql(
            UPDATE,
            {"d": doc["id"], "i": {"title": "  New   title ", "attributes": {"site": "B"}}},
            as_=lead,
        )
    )["updateDocument"]
    assert result["title"] == "New title"
    assert result["attributes"] == {"site": "B"}
    assert result["text"] == "I: Old."
    assert result["version"] == 2

    new_text = "\ufeffI: New 😊.\r\n\r\nP07: Yes."
    result = (await api.gql(UPDATE, {"d": doc["id"], "i": {"text": new_text}}, as_=lead))[
        "updateDocument"
    ]
    assert result["__typename"] == "Document", result
    assert result["text"] == "I: New 😊.\n\nP07: Yes."
    assert result["length"] == len(result["text"])
    assert result["title"] == "New title"
    read = (await api.gql(READ, {"d": doc["id"]}, as_=lead))["document"]
    turns = [(u["speaker"], u["text"]) for u in units_of(read) if u["kind"] == "SPEAKER_TURN"]
    assert turns == [("I", "I: New 😊."), ("P07", "P07: Yes.")]


@pytest.mark.parametrize(
    "change, code",
    [
        pytest.param({"text": ""}, "INVALID_INPUT", id="empty text"),
        pytest.param({"text": "a\x00"}, "INVALID_INPUT", id="NUL"),
        pytest.param({"text": "a" * (MAX_BYTES + 1)}, "TOO_LARGE", id="too large"),
        pytest.param({"title": " "}, "INVALID_INPUT", id="blank title"),
        pytest.param({"attributes": [1]}, "INVALID_INPUT", id="attributes a list"),
        pytest.param({"title": "Fine", "attributes": "x"}, "INVALID_INPUT", id="half valid"),
    ],
)
async def test_bad_update_changes_nothing(
    api: Api, lead: Person, project_id: str, change: dict[str, Any], code: str
) -> None:
    doc = await _import(api, lead, project_id, "I: Keep.", attributes={"k": 1})
    before = await _stored(api, project_id)
    result = (await api.gql(UPDATE, {"d": doc["id"], "i": change}, as_=lead))["updateDocument"]
    assert result["code"] == code
    read = (await api.gql(READ, {"d": doc["id"]}, as_=lead))["document"]
    assert read == {k: v for k, v in doc.items() if k != "__typename"}
    assert await _stored(api, project_id) == before


async def test_delete(api: Api, lead: Person, project_id: str) -> None:
    doc = await _import(api, lead, project_id, "I: Gone soon.")
    data = await api.gql(
        "mutation($d: ID!) { deleteDocument(id: $d) { __typename ... on DeletedDocument { id } } }",
        {"d": doc["id"]},
        as_=lead,
    )
    assert data["deleteDocument"] == {"__typename": "DeletedDocument", "id": doc["id"]}
    assert await api.error_code(READ, {"d": doc["id"]}, as_=lead) == "NOT_FOUND"
    async with api.pool.acquire() as conn:
        units = await conn.fetchval(
            "SELECT count(*) FROM document_units WHERE document_id = $1", doc["id"]
        )
    assert units == 0
    data = await api.gql(
        "mutation($d: ID!) { deleteDocument(id: $d) { __typename ... on UserError { code } } }",
        {"d": doc["id"]},
        as_=lead,
    )
    assert data["deleteDocument"]["code"] == "NOT_FOUND"


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "00000000-0000-4000-8000-000000000000"])
async def test_unknown_document_is_not_found(api: Api, lead: Person, bad_id: str) -> None:
    assert await api.error_code(READ, {"d": bad_id}, as_=lead) == "NOT_FOUND"
