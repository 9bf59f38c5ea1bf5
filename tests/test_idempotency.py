"""Idempotency keys on applyCode, updateCoding and deleteCoding: a replay changes nothing
and returns what the first call returned; keys are scoped to their coder."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID

from tests.support import Api, Person
from tests.test_coding_flow import code

TEXT = "Interviewer: Hvordan gikk det?\nP01: Jeg ringte 😊 kollegaen min, og det hjalp.\n"

APPLY = """mutation($i: ApplyCodeInput!, $k: String) { applyCode(input: $i, idempotencyKey: $k) {
  __typename ... on Coding { id start end text version memo }
  ... on UserError { code message } ... on InvalidInputError { field } } }"""
UPDATE = """mutation($id: ID!, $i: UpdateCodingInput!, $v: Int!, $k: String) {
  updateCoding(id: $id, input: $i, version: $v, idempotencyKey: $k) {
  __typename ... on Coding { id start end version memo }
  ... on UserError { code message } ... on InvalidInputError { field } } }"""
DELETE = """mutation($id: ID!, $k: String) { deleteCoding(id: $id, idempotencyKey: $k) {
  __typename ... on DeletedCoding { id } ... on UserError { code message } } }"""


async def _study(api: Api) -> tuple[Person, Person, Person, str, str, str]:
    lead, b, c = await api.person("lead"), await api.person("coderb"), await api.person("coderc")
    project = await api.project(lead)
    for who in (b, c):
        await api.add_member(lead, project, who, "CODER")
    phone = (await code(api, lead, project, "Phone"))["id"]
    doc = (await api.import_document(lead, project, TEXT))["id"]
    for who in (b, c):
        await api.gql(
            "mutation($d: ID!, $u: ID!) { assignDocument(documentId: $d, userId: $u) "
            "{ __typename } }",
            {"d": doc, "u": who.id},
            as_=lead,
        )
    return lead, b, c, project, doc, phone


async def _apply(
    api: Api, who: Person, doc: str, code_id: str, start: int, end: int, key: str | None
) -> dict[str, Any]:
    data = await api.gql(
        APPLY,
        {"i": {"documentId": doc, "codeId": code_id, "start": start, "end": end}, "k": key},
        as_=who,
    )
    result: dict[str, Any] = data["applyCode"]
    return result


async def _count(api: Api, doc: str, coder: Person) -> int:
    found: int = await api.pool.fetchval(
        "SELECT count(*) FROM codings WHERE document_id = $1 AND coder_id = $2",
        UUID(doc),
        UUID(coder.id),
    )
    return found


async def test_apply_replayed_with_its_key_makes_one_coding(api: Api) -> None:
    _, b, _, _, doc, phone = await _study(api)
    start = TEXT.index("ringte")
    end = TEXT.index(" kollegaen")
    first = await _apply(api, b, doc, phone, start, end, "key-apply-0001")
    assert first["__typename"] == "Coding" and first["text"] == "ringte 😊"
    again = await _apply(api, b, doc, phone, start, end, "key-apply-0001")
    assert again == first
    assert await _count(api, doc, b) == 1
    # Without a key the same span is a second attempt, which the overlap rule refuses:
    # the key is what told the server it was a repeat.
    assert (await _apply(api, b, doc, phone, start, end, None))["code"] == "CONFLICT"


async def test_same_key_with_other_arguments_is_refused_and_changes_nothing(api: Api) -> None:
    _, b, _, _, doc, phone = await _study(api)
    await _apply(api, b, doc, phone, 0, 5, "key-reused-0001")
    other = await _apply(api, b, doc, phone, 10, 20, "key-reused-0001")
    assert other["code"] == "INVALID_INPUT" and other["field"] == "idempotencyKey"
    assert "already used for another change" in other["message"]
    assert await _count(api, doc, b) == 1
    made = await _apply(api, b, doc, phone, 10, 20, "key-reused-0002")
    as_delete = await api.gql(DELETE, {"id": made["id"], "k": "key-reused-0001"}, as_=b)
    assert as_delete["deleteCoding"]["code"] == "INVALID_INPUT"
    assert await _count(api, doc, b) == 2


async def test_update_replay_returns_the_first_answer_without_a_conflict(api: Api) -> None:
    _, b, _, _, doc, phone = await _study(api)
    made = await _apply(api, b, doc, phone, 0, 5, "key-upd-apply")
    variables = {"id": made["id"], "i": {"end": 9, "memo": "first"}, "v": 1, "k": "key-upd-0001"}
    first = (await api.gql(UPDATE, variables, as_=b))["updateCoding"]
    assert first["version"] == 2 and first["end"] == 9
    # The answer was lost; the browser sends the same change again with version 1.
    again = (await api.gql(UPDATE, variables, as_=b))["updateCoding"]
    assert again == first
    events = await api.pool.fetchval(
        "SELECT count(*) FROM events WHERE kind = 'coding.updated' AND subject_id = $1",
        made["id"],
    )
    assert events == 1
    version = await api.pool.fetchval("SELECT version FROM codings WHERE id = $1", UUID(made["id"]))
    assert version == 2
    # A new change with the stale version is still a conflict.
    stale = {**variables, "k": "key-upd-0002", "i": {"end": 12}}
    assert (await api.gql(UPDATE, stale, as_=b))["updateCoding"]["code"] == "CONFLICT"


async def test_delete_replay_does_not_double_delete(api: Api) -> None:
    _, b, _, _, doc, phone = await _study(api)
    made = await _apply(api, b, doc, phone, 0, 5, "key-del-apply")
    first = (await api.gql(DELETE, {"id": made["id"], "k": "key-del-0001"}, as_=b))["deleteCoding"]
    again = (await api.gql(DELETE, {"id": made["id"], "k": "key-del-0001"}, as_=b))["deleteCoding"]
    assert first == again == {"__typename": "DeletedCoding", "id": made["id"]}
    plain = (await api.gql(DELETE, {"id": made["id"], "k": None}, as_=b))["deleteCoding"]
    assert plain["code"] == "NOT_FOUND"
    deleted = await api.pool.fetchval(
        "SELECT count(*) FROM events WHERE kind = 'coding.deleted' AND subject_id = $1",
        made["id"],
    )
    assert deleted == 1


async def test_keys_are_scoped_to_their_coder(api: Api) -> None:
    _, b, c, _, doc, phone = await _study(api)
    mine = await _apply(api, b, doc, phone, 0, 5, "shared-key-0001")
    # Another coder sending the very same key and request gets a change of their own,
    # never b's answer.
    theirs = await _apply(api, c, doc, phone, 0, 5, "shared-key-0001")
    assert theirs["__typename"] == "Coding" and theirs["id"] != mine["id"]
    # ... and with other arguments, no refusal that would tell them the key exists.
    other = await _apply(api, c, doc, phone, 10, 20, "shared-key-0002")
    again = await _apply(api, b, doc, phone, 10, 20, "shared-key-0002")
    assert other["__typename"] == again["__typename"] == "Coding"
    assert other["id"] != again["id"]
    # c cannot delete b's coding by replaying a key b used either.
    refused = await api.gql(DELETE, {"id": mine["id"], "k": "shared-key-0001"}, as_=c)
    assert refused["deleteCoding"]["code"] == "INVALID_INPUT"  # c's own key, other args
    refused = await api.gql(DELETE, {"id": mine["id"], "k": "shared-key-0003"}, as_=c)
    assert refused["deleteCoding"]["code"] == "NOT_FOUND"
    assert await _count(api, doc, b) == 2 and await _count(api, doc, c) == 2


async def test_concurrent_calls_with_one_key_make_one_coding(api: Api) -> None:
    _, b, _, _, doc, phone = await _study(api)
    results = await asyncio.gather(
        *(_apply(api, b, doc, phone, 3, 8, "key-race-0001") for _ in range(4))
    )
    assert {r["__typename"] for r in results} == {"Coding"}
    assert len({r["id"] for r in results}) == 1
    assert await _count(api, doc, b) == 1


async def test_a_refused_first_call_is_not_remembered(api: Api) -> None:
    _, b, _, _, doc, phone = await _study(api)
    blocking = await _apply(api, b, doc, phone, 0, 10, "key-fail-0001")
    refused = await _apply(api, b, doc, phone, 5, 15, "key-fail-0002")
    assert refused["code"] == "CONFLICT"
    await api.gql(DELETE, {"id": blocking["id"], "k": "key-fail-0003"}, as_=b)
    # The refusal rolled back with its key, so the same key now makes the change.
    assert (await _apply(api, b, doc, phone, 5, 15, "key-fail-0002"))["__typename"] == "Coding"


async def test_bad_keys_and_replays_after_leaving_the_project(api: Api) -> None:
    lead, b, _, project, doc, phone = await _study(api)
    for bad in ("short", "has space in it", "x" * 129, "semi;colon-key"):
        result = await _apply(api, b, doc, phone, 0, 5, bad)
        assert result["code"] == "INVALID_INPUT" and result["field"] == "idempotencyKey"
    assert await _count(api, doc, b) == 0
    await _apply(api, b, doc, phone, 0, 5, "key-leave-0001")
    await api.gql(
        "mutation($p: ID!, $u: ID!) { removeMember(projectId: $p, userId: $u) { __typename } }",
        {"p": project, "u": b.id},
        as_=lead,
    )
    gone = await _apply(api, b, doc, phone, 0, 5, "key-leave-0001")
    assert gone["code"] == "NOT_FOUND"
