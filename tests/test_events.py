"""The audit log: every mutation appends an event, events never change, and only leads
and viewers may read the log, page by page."""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest

from accord.graphql.opaque import opaque_ids
from tests.conftest import SECRET_KEY
from tests.support import Api, Person
from tests.test_coding_flow import apply, code

TEXT = "Interviewer: Hvordan fikk du hjelp?\nP07: Jeg ringte kollegatelefonen 😊 og fikk svar.\n"

AUDIT = """query($p: ID!, $after: String, $first: Int) {
  auditLog(projectId: $p, after: $after, first: $first) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id kind subjectType subjectId documentId roundId before after
      createdAt actor { email } } } } }"""


def number(event_id: str) -> int:
    found = opaque_ids(SECRET_KEY).event_number(event_id)
    assert found is not None, event_id
    return found


async def setup(api: Api) -> tuple[Person, Person, str, str, str]:
    lead, coder = await api.person("lead"), await api.person("coder")
    project = await api.project(lead)
    await api.add_member(lead, project, coder, "CODER")
    phone = (await code(api, lead, project, "Phone"))["id"]
    doc = (await api.import_document(lead, project, TEXT))["id"]
    await api.gql(
        """mutation($d: ID!, $u: ID!) {
             assignDocument(documentId: $d, userId: $u) { __typename } }""",
        {"d": doc, "u": coder.id},
        as_=lead,
    )
    return lead, coder, project, phone, doc


async def all_events(api: Api, who: Person, project: str) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        page = (await api.gql(AUDIT, {"p": project, "after": after, "first": 200}, as_=who))[
            "auditLog"
        ]
        nodes += [e["node"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]


async def test_every_mutation_appends_an_event(api: Api) -> None:
    lead, coder, project, phone, doc = await setup(api)
    made = await apply(api, coder, doc, phone, 40, 60)
    assert made["__typename"] == "Coding", made
    updated = await api.gql(
        """mutation($id: ID!, $v: Int!) { updateCoding(id: $id, input: {end: 62}, version: $v) {
             __typename ... on Coding { end } ... on UserError { code message } } }""",
        {"id": made["id"], "v": made["version"]},
        as_=coder,
    )
    assert updated["updateCoding"]["__typename"] == "Coding", updated

    events = await all_events(api, lead, project)
    kinds = [e["kind"] for e in events]
    for kind in (
        "project.created",
        "member.added",
        "code.created",
        "document.imported",
        "assignment.created",
        "coding.applied",
        "coding.updated",
    ):
        assert kind in kinds, (kind, kinds)
    # Ids are opaque to members; the server's own key reads them back in order.
    numbers = [number(e["id"]) for e in events]
    assert numbers == sorted(numbers)

    applied = next(e for e in events if e["kind"] == "coding.applied")
    assert applied["actor"]["email"] == coder.email
    assert applied["subjectType"] == "coding" and applied["subjectId"] == made["id"]
    assert applied["documentId"] == doc and applied["roundId"] is not None
    assert applied["before"] is None
    assert applied["after"]["start"] == 40 and applied["after"]["end"] == 60
    changed = next(e for e in events if e["kind"] == "coding.updated")
    assert changed["before"]["end"] == 60 and changed["after"]["end"] == 62
    assert changed["createdAt"] >= applied["createdAt"]


async def test_events_cannot_be_changed_or_deleted(api: Api, pool: asyncpg.Pool) -> None:
    lead = await api.person("lead")
    project = await api.project(lead)
    async with pool.acquire() as conn:
        event_id = await conn.fetchval(
            "SELECT max(id) FROM events WHERE project_id = $1::uuid", project
        )
        assert event_id is not None
        with pytest.raises(asyncpg.RaiseError, match="append-only"):
            await conn.execute("UPDATE events SET kind = 'forged' WHERE id = $1", event_id)
        with pytest.raises(asyncpg.RaiseError, match="append-only"):
            await conn.execute("DELETE FROM events WHERE id = $1", event_id)
        assert await conn.fetchval("SELECT kind FROM events WHERE id = $1", event_id) == (
            "project.created"
        )


async def test_audit_log_is_for_leads_and_viewers(api: Api) -> None:
    lead, coder, project, phone, doc = await setup(api)
    viewer, stranger = await api.person("viewer"), await api.person("stranger")
    await api.add_member(lead, project, viewer, "VIEWER")
    assert (await apply(api, coder, doc, phone, 0, 5))["__typename"] == "Coding"

    assert await api.error_code(AUDIT, {"p": project}, as_=coder) == "FORBIDDEN"
    assert await api.error_code(AUDIT, {"p": project}, as_=stranger) == "NOT_FOUND"
    assert await api.error_code(AUDIT, {"p": project}) == "UNAUTHENTICATED"
    seen = await all_events(api, viewer, project)
    assert "coding.applied" in [e["kind"] for e in seen]


async def test_audit_log_pages_by_cursor(api: Api) -> None:
    lead = await api.person("lead")
    project = await api.project(lead)
    for i in range(7):
        await code(api, lead, project, f"Code {i}")
    total = (await api.gql(AUDIT, {"p": project, "first": 1}, as_=lead))["auditLog"]["totalCount"]
    assert total >= 8  # project.created and seven code.created

    ids: list[int] = []
    after = None
    pages = 0
    while True:
        page = (await api.gql(AUDIT, {"p": project, "after": after, "first": 3}, as_=lead))[
            "auditLog"
        ]
        assert page["totalCount"] == total
        assert len(page["edges"]) <= 3
        ids += [number(e["node"]["id"]) for e in page["edges"]]
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        after = page["pageInfo"]["endCursor"]
    assert len(ids) == total and ids == sorted(set(ids))
    assert pages == -(-total // 3)
    assert await api.error_code(AUDIT, {"p": project, "after": "bogus"}, as_=lead) == (
        "INVALID_INPUT"
    )
    assert await api.error_code(AUDIT, {"p": project, "first": 0}, as_=lead) == "INVALID_INPUT"
