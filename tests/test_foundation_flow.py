"""The foundation's end-to-end script, over HTTP with bearer tokens."""

from __future__ import annotations

from tests.support import Api

TEXT = "Lege: Jeg søkte støtte 😊 fordi…\r\nP07: Ja."


async def test_lead_coder_and_outsider(api: Api) -> None:
    a, b, c = await api.person("lead"), await api.person("coder"), await api.person("outsider")
    project_id = await api.project(a)
    await api.add_member(a, project_id, b, "CODER")

    imported = await api.import_document(a, project_id, TEXT, attributes={"participant": "P07"})
    assert imported["__typename"] == "Document"

    data = await api.gql(
        """query($id: ID!) { document(id: $id) {
             text length attributes units(kind: SPEAKER_TURN) { speaker start end text } } }""",
        {"id": imported["id"]},
        as_=b,
    )
    doc = data["document"]
    expected = "Lege: Jeg søkte støtte 😊 fordi…\nP07: Ja."
    assert doc["text"] == expected
    assert doc["length"] == len(expected) == 40
    assert doc["attributes"] == {"participant": "P07"}
    turns = doc["units"]
    assert [t["speaker"] for t in turns] == ["Lege", "P07"]
    assert [t["text"] for t in turns] == ["Lege: Jeg søkte støtte 😊 fordi…", "P07: Ja."]
    assert turns[1]["start"] == expected.index("P07")

    denied = await api.gql(
        """mutation($p: ID!, $e: String!) { inviteMember(projectId: $p, email: $e, role: CODER) {
             __typename ... on UserError { code message } } }""",
        {"p": project_id, "e": c.email},
        as_=b,
    )
    assert denied["inviteMember"]["__typename"] == "ForbiddenError"
    assert denied["inviteMember"]["code"] == "FORBIDDEN"

    body = await api.raw(
        "query($id: ID!) { project(id: $id) { id name } }", {"id": project_id}, as_=c
    )
    assert body["data"] is None or body["data"]["project"] is None
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert body["errors"][0]["message"] == "Project not found."
