"""Blinding without side channels: coder B tries to read or infer coder C's unrevealed
work through memos and their events, cursors and event ids, code paths, and the cost of
a NOT_FOUND. Each attack must fail."""

from __future__ import annotations

import asyncio
import base64
import binascii
import csv
import io
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

import asyncpg

from accord.coding import codebook, codings, memos
from accord.consensus import consolidation, synthesis
from accord.errors import NotFound
from accord.users.model import User
from tests.support import Api, Person
from tests.test_blinding import (
    PROJECT_MEMOS,
    Team,
    apply,
    create_code,
    doc_codings,
    memo,
    set_settings,
    submit,
)
from tests.test_subscriptions import connect, subscribe, ws_app

__all__ = ["ws_app"]  # the WebSocket app fixture, shared with test_subscriptions

CODING_MEMOS = """query($p: ID!, $t: MemoTarget!, $id: ID!) { project(id: $p) {
  memos(targetType: $t, targetId: $id) { id text } } }"""
DOC_MEMOS = """query($d: ID!) { document(id: $d) { memos { id } } }"""


async def memo_ids(api: Api, who: Person, project: str) -> set[str]:
    data = await api.gql(PROJECT_MEMOS, {"p": project}, as_=who)
    return {m["id"] for m in data["project"]["memos"]}


async def test_memos_on_hidden_work_take_its_blinding(api: Api, ws_app: Any) -> None:
    """A lead's memo on C's unrevealed coding, or on C's proposed code, is as hidden from
    B as that work: in every memo read and in the live events, which would also carry
    the hidden coding's id."""
    t = await Team(api).build()
    await set_settings(api, t.lead, t.project, inductiveCodes=True)
    proposal = await create_code(api, t.c, t.project, "Kafé-vane", t.group["id"])
    c_coding = await apply(api, t.c, t.doc, t.phone["id"], 0, 10)
    b_coding = await apply(api, t.b, t.doc, t.phone["id"], 12, 20)

    async with connect(ws_app, {"authorization": f"Bearer {t.b.token}"}) as ws:
        await subscribe(ws, api, t.lead, t.project)
        on_coding = await memo(api, t.lead, "CODING", c_coding["id"], "Lead: is this phone?")
        on_proposal = await memo(api, t.lead, "CODE", proposal["id"], "Lead: merge later")
        on_own = await memo(api, t.lead, "CODING", b_coding["id"], "Lead: to B")
        shared = await memo(api, t.lead, "DOCUMENT", t.doc, "Lead: guidance")
        heard = await subscribe_probe_all(ws, api, t.lead, t.project)
    memo_events = [e for e in heard if e["subjectType"] == "memo"]
    assert {e["subjectId"] for e in memo_events} == {on_own["id"], shared["id"]}, memo_events
    assert c_coding["id"] not in str(heard) and proposal["id"] not in str(heard)

    hidden = {on_coding["id"], on_proposal["id"]}
    seen = await memo_ids(api, t.b, t.project)
    assert not hidden & seen and {on_own["id"], shared["id"]} <= seen
    on_document = (await api.gql(DOC_MEMOS, {"d": t.doc}, as_=t.b))["document"]["memos"]
    assert not hidden & {m["id"] for m in on_document}
    for target_type, target in (("CODING", c_coding["id"]), ("CODE", proposal["id"])):
        data = await api.gql(
            CODING_MEMOS, {"p": t.project, "t": target_type, "id": target}, as_=t.b
        )
        assert data["project"]["memos"] == []
    # Changing or deleting the hidden memo answers like an id that does not exist.
    for mutation in ('updateMemo(id: $id, text: "x", version: 1)', "deleteMemo(id: $id)"):
        selection = "{ __typename ... on UserError { message } }"
        query = f"mutation($id: ID!) {{ r: {mutation} {selection} }}"
        real = (await api.gql(query, {"id": on_coding["id"]}, as_=t.b))["r"]
        fake = (await api.gql(query, {"id": str(uuid.uuid4())}, as_=t.b))["r"]
        assert real == fake and real["__typename"] == "NotFoundError"

    # C, the lead and the viewer see both; C sees them as memos on C's own work.
    for who in (t.c, t.lead, t.viewer):
        assert hidden <= await memo_ids(api, who, t.project)

    # Once the document is revealed, the memo on C's coding shows; the proposal's stays.
    assert (await submit(api, t.b, t.doc))["status"] == "SUBMITTED"
    assert (await submit(api, t.c, t.doc))["status"] == "SUBMITTED"
    seen = await memo_ids(api, t.b, t.project)
    assert on_coding["id"] in seen and on_proposal["id"] not in seen


async def subscribe_probe_all(
    ws: Any, api: Api, lead: Person, project: str
) -> list[dict[str, Any]]:
    """Everything the subscriber heard until a fresh probe event arrived."""
    from tests.test_subscriptions import subscribe_probe

    return await subscribe_probe(ws, api, lead, project)


# --- 8: cursors and event ids ---------------------------------------------------------

PAGE = """query($p: ID!, $after: String) { project(id: $p) {
  codings(first: 1, after: $after) { nodes { id } pageInfo { endCursor hasNextPage } } } }"""


def readable_numbers(token: str) -> list[int]:
    """The numbers a client can read out of an id or cursor: the id itself when it is a
    number (as event ids were), or the number in its base64 decoding (as cursors were:
    ``coding:74``)."""
    if token.isdigit():
        return [int(token)]
    try:
        decoded = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (ValueError, binascii.Error):
        return []
    return [int(n) for n in re.findall(r"^[a-z]+:(\d+)$", decoded.decode("latin-1"))]


async def test_cursors_and_event_ids_reveal_no_sequence(api: Api, pool: asyncpg.Pool) -> None:
    t = await Team(api).build()
    await apply(api, t.b, t.doc, t.phone["id"], 0, 4)
    first = (await api.gql(PAGE, {"p": t.project}, as_=t.b))["project"]["codings"]
    for i in range(7):  # C's hidden work between B's two codings
        await apply(api, t.c, t.doc, t.phone["id"], 10 + i * 5, 13 + i * 5)
    await apply(api, t.b, t.doc, t.phone["id"], 50, 54)
    cursor_one = first["pageInfo"]["endCursor"]
    second = (await api.gql(PAGE, {"p": t.project, "after": cursor_one}, as_=t.b))["project"][
        "codings"
    ]
    assert len(second["nodes"]) == 1 and second["nodes"][0]["id"] != first["nodes"][0]["id"]
    cursor_two = second["pageInfo"]["endCursor"]
    seqs = {
        r["seq"]
        for r in await pool.fetch("SELECT seq FROM codings WHERE project_id = $1", UUID(t.project))
    }
    for cursor in (cursor_one, cursor_two):
        assert not seqs & set(readable_numbers(cursor)), cursor
    # A cursor is bound to its list: tampered, or from another list, it is refused.
    other = await api.project(t.b, "B's own project")
    for bad, project in (
        (cursor_one[:-2] + ("AA" if not cursor_one.endswith("AA") else "BB"), t.project),
        (cursor_one, other),
        (base64.urlsafe_b64encode(b"coding:1").decode(), t.project),
    ):
        body = await api.raw(PAGE, {"p": project, "after": bad}, as_=t.b)
        assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT", body
    docs = """query($p: ID!, $after: String) { project(id: $p) {
      documents(first: 1, after: $after) { pageInfo { endCursor } } } }"""
    doc_cursor = (await api.gql(docs, {"p": t.project}, as_=t.b))["project"]["documents"][
        "pageInfo"
    ]["endCursor"]
    doc_seqs = {r["seq"] for r in await pool.fetch("SELECT seq FROM documents")}
    assert not doc_seqs & set(readable_numbers(doc_cursor))
    body = await api.raw(docs, {"p": t.project, "after": cursor_one}, as_=t.b)
    assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT"

    # Event ids: the audit log (leads) and its cursors show no global number either.
    audit = """query($p: ID!) { auditLog(projectId: $p, first: 100) {
      edges { cursor node { id kind } } } }"""
    edges = (await api.gql(audit, {"p": t.project}, as_=t.lead))["auditLog"]["edges"]
    event_ids = {r["id"] for r in await pool.fetch("SELECT id FROM events")}
    for edge in edges:
        for token in (edge["cursor"], edge["node"]["id"]):
            assert not event_ids & set(readable_numbers(token)), token
    assert len({e["node"]["id"] for e in edges}) == len(edges)


async def test_event_ids_are_one_opaque_id_for_every_member(api: Api, ws_app: Any) -> None:
    """B's live events carry ids that neither count C's hidden events nor differ from
    the ids the lead reads for the same events in the audit log."""
    t = await Team(api).build()
    async with connect(ws_app, {"authorization": f"Bearer {t.b.token}"}) as ws:
        await subscribe(ws, api, t.lead, t.project)
        await apply(api, t.b, t.doc, t.phone["id"], 0, 4)
        for i in range(5):
            await apply(api, t.c, t.doc, t.phone["id"], 10 + i * 5, 13 + i * 5)
        await apply(api, t.b, t.doc, t.phone["id"], 50, 54)
        heard = await subscribe_probe_all(ws, api, t.lead, t.project)
    mine = [e for e in heard if e["kind"] == "coding.applied"]
    assert len(mine) == 2 and all(e["actor"]["email"] == t.b.email for e in mine)
    for event in heard:
        assert readable_numbers(event["id"]) == [], event["id"]
    audit = """query($p: ID!) { auditLog(projectId: $p, first: 200) { nodes { id subjectId } } }"""
    by_subject = {
        e["subjectId"]: e["id"]
        for e in (await api.gql(audit, {"p": t.project}, as_=t.lead))["auditLog"]["nodes"]
    }
    assert [by_subject[e["subjectId"]] for e in mine] == [e["id"] for e in mine]


async def test_merge_event_ids_are_sealed_and_the_decision_log_numbers_its_rows(
    api: Api,
) -> None:
    lead = await api.person("lead")
    project = await api.project(lead)
    one = (await create_code(api, lead, project, "One"))["id"]
    two = (await create_code(api, lead, project, "Two"))["id"]
    merge = """mutation($s: [ID!]!, $t: ID!) { mergeCodes(sourceIds: $s, target: {codeId: $t}) {
      __typename ... on CodeMerge { eventId } } }"""
    merged = (await api.gql(merge, {"s": [one], "t": two}, as_=lead))["mergeCodes"]
    assert not merged["eventId"].isdigit()
    undo = """mutation($e: ID!) { undoMerge(eventId: $e) {
      __typename ... on MergeUndone { eventId } ... on UserError { code } } }"""
    number = await api.pool.fetchval(
        "SELECT max(id) FROM events WHERE project_id = $1 AND kind = 'code.merged'", UUID(project)
    )
    # The old, guessable form is no id at all.
    assert (await api.gql(undo, {"e": str(number)}, as_=lead))["undoMerge"]["code"] == "NOT_FOUND"
    undone = (await api.gql(undo, {"e": merged["eventId"]}, as_=lead))["undoMerge"]
    assert undone["__typename"] == "MergeUndone" and not undone["eventId"].isdigit()
    log = """query($p: ID!) { decisionLog(projectId: $p) { eventId kind }
      decisionLogCsv(projectId: $p) }"""
    data = await api.gql(log, {"p": project}, as_=lead)
    merges = [d["eventId"] for d in data["decisionLog"] if d["kind"].startswith("code.merge")]
    assert merges == [merged["eventId"], undone["eventId"]]
    rows = list(csv.DictReader(io.StringIO(data["decisionLogCsv"])))
    assert [r["number"] for r in rows] == [str(n) for n in range(1, len(rows) + 1)]
    assert len(rows) == len(data["decisionLog"])
    events = """query($p: ID!) { auditLog(projectId: $p, first: 100) { nodes { kind after } } }"""
    nodes = (await api.gql(events, {"p": project}, as_=lead))["auditLog"]["nodes"]
    undo_event = next(n for n in nodes if n["kind"] == "code.merge_undone")
    assert undo_event["after"]["mergeEventId"] == merged["eventId"]


# --- 9: code paths --------------------------------------------------------------------

CODING_PATHS = """query($d: ID!) { document(id: $d) { codings { nodes {
  appliedCode: code { id name path pathNames } } } } }"""


async def test_a_code_path_never_names_a_hidden_proposal(api: Api) -> None:
    t = await Team(api).build()
    await set_settings(api, t.lead, t.project, inductiveCodes=True)
    proposal = await create_code(api, t.c, t.project, "Secret idea", t.group["id"])
    # A lead makes a shared code under C's proposal; B codes with it.
    shared = await create_code(api, t.lead, t.project, "Under it", proposal["id"])
    assert shared["path"] == "Help > Channels > Secret idea > Under it"
    made = await apply(api, t.b, t.doc, shared["id"], 0, 5)
    assert made["__typename"] == "Coding", made

    def names_proposal(value: object) -> bool:
        return "Secret idea" in str(value)

    assert not names_proposal(made)
    data = await api.gql(CODING_PATHS, {"d": t.doc}, as_=t.b)
    assert data["document"]["codings"]["nodes"][0]["appliedCode"]["path"] == "Under it"
    assert not names_proposal(data)
    listing = await api.gql(
        "query($p: ID!) { project(id: $p) { codes { id path pathNames } } }",
        {"p": t.project},
        as_=t.b,
    )
    assert not names_proposal(listing)
    mine = await create_code(api, t.b, t.project, "B's idea", shared["id"])
    assert mine["path"] == "Under it > B's idea" and not names_proposal(mine)
    # Once revealed, the agreement report names B's code at category level without it.
    assert (await apply(api, t.c, t.doc, shared["id"], 0, 5))["__typename"] == "Coding"
    for who in (t.b, t.c):
        assert (await submit(api, who, t.doc))["status"] == "SUBMITTED"
    report = await api.gql(
        """query($p: ID!) { agreement(projectId: $p, input: {codeLevel: CATEGORY}) {
             perCode { label } parameters { coders { id name } codeIds } rawCsv } }""",
        {"p": t.project},
        as_=t.b,
    )
    assert report["agreement"]["perCode"] and not names_proposal(report)
    # The lead sees the whole path.
    data = await api.gql(CODING_PATHS, {"d": t.doc}, as_=t.lead)
    assert data["document"]["codings"]["nodes"][0]["appliedCode"]["path"] == (
        "Help > Channels > Secret idea > Under it"
    )


# --- 10: NOT_FOUND for hidden and random ids takes the same statements ------------------

Op = Callable[[asyncpg.Connection, User, str], Awaitable[object]]


def _ops() -> dict[str, Op]:
    move = {"codeId": None, "newCode": {"name": "N"}}
    return {
        "updateCoding": lambda c, u, i: codings.update_coding(c, u, i, {"end": 9}, 1),
        "deleteCoding": lambda c, u, i: codings.delete_coding(c, u, i),
        "createMemo(CODING)": lambda c, u, i: memos.create_memo(c, u, "CODING", i, "x"),
        "createMemo(CODE)": lambda c, u, i: memos.create_memo(c, u, "CODE", i, "x"),
        "updateMemo": lambda c, u, i: memos.update_memo(c, u, i, "x", None),
        "deleteMemo": lambda c, u, i: memos.delete_memo(c, u, i),
        "updateCode": lambda c, u, i: codebook.update_code(c, u, i, {"name": "X"}, 1),
        "renameCode": lambda c, u, i: codebook.rename_code(c, u, i, "X", None),
        "moveCode": lambda c, u, i: codebook.move_code(c, u, i, None, None),
        "retireCode": lambda c, u, i: codebook.retire_code(c, u, i, None),
        "mergeCodes": lambda c, u, i: consolidation.merge_codes(c, u, [i], move, None),
        "splitCode": lambda c, u, i: consolidation.split_code(c, u, i, [move], [], None),
        "categoryContent": lambda c, u, i: synthesis.category_content(c, u, i),
        "setCondensate": lambda c, u, i: synthesis.set_condensate(c, u, i, "x", None),
    }


# Which hidden row each operation is aimed at.
TARGETS = {
    "updateCoding": "coding",
    "deleteCoding": "coding",
    "createMemo(CODING)": "coding",
    "createMemo(CODE)": "proposal",
    "updateMemo": "memo",
    "deleteMemo": "memo",
}


async def statements(pool: asyncpg.Pool, op: Op, user: User, row_id: str) -> tuple[list[str], str]:
    """The statements an operation sends before it answers NOT_FOUND, and its message."""
    sent: list[str] = []

    def log(query: Any) -> None:
        sent.append(query.query)

    message = None
    async with pool.acquire() as conn:
        conn.add_query_logger(log)
        try:
            async with conn.transaction():
                try:
                    await op(conn, user, row_id)
                except NotFound as exc:
                    message = exc.message
            await conn.execute("SELECT 'done'")
            # asyncpg calls loggers soon after each statement, not during it.
            while not sent or sent[-1] != "SELECT 'done'":
                await asyncio.sleep(0)
        finally:
            conn.remove_query_logger(log)
    assert message is not None, "the operation did not answer NOT_FOUND"
    return [q for q in sent[:-1] if q not in ("BEGIN;", "COMMIT;")], message


async def test_not_found_takes_one_path_for_hidden_and_random_ids(api: Api) -> None:
    t = await Team(api).build()
    await set_settings(api, t.lead, t.project, inductiveCodes=True)
    proposal = await create_code(api, t.c, t.project, "Private", t.group["id"])
    hidden_coding = await apply(api, t.c, t.doc, t.phone["id"], 0, 10)
    hidden_memo = await memo(api, t.c, "CODING", hidden_coding["id"], "C's thought")
    rows = {"coding": hidden_coding["id"], "proposal": proposal["id"], "memo": hidden_memo["id"]}
    b = User(UUID(t.b.id), t.b.email, t.b.name)
    for name, op in _ops().items():
        hidden = rows[TARGETS.get(name, "proposal")]
        real, real_message = await statements(api.pool, op, b, hidden)
        fake, fake_message = await statements(api.pool, op, b, str(uuid.uuid4()))
        assert real_message == fake_message, (name, real_message, fake_message)
        assert real == fake, (name, real, fake)
        assert len(real) == 1, (name, real)
    # Nothing of C's changed.
    assert (await doc_codings(api, t.lead, t.doc))["totalCount"] == 1
