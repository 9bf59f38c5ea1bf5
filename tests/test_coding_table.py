"""document.codingTable in pages (first/after) and with each coding's memo: the coder's
workspace reads a layer of 20,000 codings this way."""

from __future__ import annotations

from uuid import UUID

from tests.support import Api
from tests.test_coding_flow import code

TABLE = """query($d: ID!, $f: Int, $a: String) { document(id: $d) {
  codingTable(first: $f, after: $a) { count starts memos hasNextPage endCursor } } }"""


async def test_coding_table_pages_through_a_layer_in_order(api: Api) -> None:
    lead = await api.person("lead")
    project = await api.project(lead)
    code_id = (await code(api, lead, project, "Phone"))["id"]
    doc = (await api.import_document(lead, project, "abcd " * 40))["id"]
    round_id = await api.pool.fetchval(
        "SELECT id FROM rounds WHERE project_id = $1 AND is_default", UUID(project)
    )
    await api.pool.execute(
        "INSERT INTO codings (project_id, document_id, round_id, coder_id, code_id, "
        "start_offset, end_offset, memo) SELECT $1, $2, $3, $4, $5, g * 5, g * 5 + 4, "
        "'memo ' || g FROM generate_series(0, 24) g",
        UUID(project),
        UUID(doc),
        round_id,
        UUID(lead.id),
        UUID(code_id),
    )
    starts: list[int] = []
    memos: list[str] = []
    after = None
    pages = 0
    while True:
        data = await api.gql(TABLE, {"d": doc, "f": 10, "a": after}, as_=lead)
        table = data["document"]["codingTable"]
        starts += table["starts"]
        memos += table["memos"]
        pages += 1
        if not table["hasNextPage"]:
            break
        after = table["endCursor"]
    assert pages == 3
    assert starts == [g * 5 for g in range(25)]
    assert memos == [f"memo {g}" for g in range(25)]
    whole = (await api.gql(TABLE, {"d": doc}, as_=lead))["document"]["codingTable"]
    assert whole["count"] == 25 and not whole["hasNextPage"] and whole["endCursor"] is None
    bad = await api.raw(TABLE, {"d": doc, "f": 10_001}, as_=lead)
    assert bad["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
