"""applyCode's two-statement path (accord.coding.applying) against the checked one.

Every refusal must be the one the checked path (codings.apply_code) gives, with the
same code, message and field; a coding made the short way must leave the same event;
concurrent requests of one coder must still never overlap; and every connection a
request used (with asyncpg's reset query left out, see accord.db.pool) and the one the
notifier used must go back to the pool however the request ends.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import asyncpg
import httpx
from asgi_lifespan import LifespanManager

from accord.app import create_app
from accord.coding import applying, codings
from accord.config import Settings
from accord.errors import AccordError
from accord.events.log import collecting_notifications
from accord.users import service as users
from tests.conftest import SECRET_KEY
from tests.support import Api, Person
from tests.test_blinding import set_settings
from tests.test_coding_flow import APPLY, apply, code

TEXT = "Interviewer: Hvordan fikk du hjelp?\nP07: Jeg ringte kollegatelefonen 😊 og fikk svar.\n"


async def study(api: Api) -> dict[str, Any]:
    lead, coder, other = (
        await api.person("lead"),
        await api.person("coder"),
        await api.person("other"),
    )
    viewer = await api.person("viewer")
    project = await api.project(lead)
    await api.add_member(lead, project, coder, "CODER")
    await api.add_member(lead, project, other, "CODER")
    await api.add_member(lead, project, viewer, "VIEWER")
    phone = (await code(api, lead, project, "Phone"))["id"]
    heading = (await code(api, lead, project, "Channels", codable=False))["id"]
    retired = (await code(api, lead, project, "Old"))["id"]
    retiring = await api.gql(
        "mutation($c: ID!) { retireCode(id: $c, version: 1) { __typename } }",
        {"c": retired},
        as_=lead,
    )
    assert retiring["retireCode"]["__typename"] == "Code", retiring
    # A code of the other coder's own (inductive mode), which the coder may not see.
    await set_settings(api, lead, project, inductiveCodes=True)
    private = await code(api, other, project, "Mine")
    doc = (await api.import_document(lead, project, TEXT))["id"]
    unassigned = (await api.import_document(lead, project, TEXT, title="Interview 2"))["id"]
    for who in (coder, other):
        await api.gql(
            "mutation($d: ID!, $u: ID!) { assignDocument(documentId: $d, userId: $u)"
            " { __typename } }",
            {"d": doc, "u": who.id},
            as_=lead,
        )
    return {
        "lead": lead,
        "coder": coder,
        "other": other,
        "viewer": viewer,
        "project": project,
        "phone": phone,
        "heading": heading,
        "retired": retired,
        "private": private["id"],
        "doc": doc,
        "unassigned": unassigned,
    }


async def refusal(
    pool: asyncpg.Pool, how: Any, person: Person, data: dict[str, Any]
) -> tuple[str, str, str | None] | str:
    """What one way of applying refuses with, in a transaction that is rolled back."""
    async with pool.acquire() as conn:
        user = await users.user_for_token(conn, person.token)
        assert user is not None
        tx = conn.transaction()
        await tx.start()
        try:
            with collecting_notifications():
                made = await how(conn, user, data)
            return f"made {made.start}-{made.end}"
        except AccordError as exc:
            return (exc.code, exc.message, exc.field)
        finally:
            await tx.rollback()


async def test_every_refusal_is_the_checked_paths(api: Api) -> None:
    s = await study(api)
    await apply(api, s["coder"], s["doc"], s["phone"], 10, 20)

    def data(**change: Any) -> dict[str, Any]:
        base = {
            "documentId": s["doc"],
            "codeId": s["phone"],
            "start": 30,
            "end": 35,
            "memo": None,
            "roundId": None,
        }
        return base | change

    cases: list[tuple[Person, dict[str, Any]]] = [
        (s["coder"], data()),  # accepted both ways
        (s["coder"], data(memo="  a memo  ")),
        (s["viewer"], data()),  # FORBIDDEN: a viewer does not code
        (s["lead"], data()),  # no assignment
        (await api.person("stranger"), data()),  # NOT_FOUND: not a member
        (s["coder"], data(documentId=str(uuid.uuid4()))),
        (s["coder"], data(documentId=s["unassigned"])),
        (s["coder"], data(roundId=str(uuid.uuid4()))),
        (s["coder"], data(roundId="not an id")),
        (s["coder"], data(start=-1)),
        (s["coder"], data(start=5, end=5)),
        (s["coder"], data(end=10_000)),
        (s["coder"], data(codeId=s["heading"])),
        (s["coder"], data(codeId=s["retired"])),
        (s["coder"], data(codeId=s["private"])),  # another coder's own code
        (s["coder"], data(codeId=str(uuid.uuid4()))),
        (s["coder"], data(codeId="not an id")),
        (s["viewer"], data(codeId="not an id")),  # the permission check comes first
        (s["coder"], data(start=15, end=25)),  # overlaps the coder's 10-20
        (s["other"], data(start=15, end=25)),  # another layer: no overlap
        (s["coder"], data(memo="x" * (codings.MAX_MEMO + 1))),
        (s["coder"], data(memo="nul \x00 byte")),
    ]
    for person, given in cases:
        checked = await refusal(api.pool, codings.apply_code, person, given)
        short = await refusal(api.pool, applying.apply_code, person, given)
        assert short == checked, (given, checked, short)
    # Some of them really are refusals of each kind.
    outcomes = [await refusal(api.pool, applying.apply_code, p, g) for p, g in cases]
    codes = {o[0] for o in outcomes if isinstance(o, tuple)}
    assert {"FORBIDDEN", "NOT_FOUND", "INVALID_INPUT", "CONFLICT"} <= codes, outcomes


async def test_submitted_layer_refused_the_same_way(api: Api) -> None:
    s = await study(api)
    await apply(api, s["coder"], s["doc"], s["phone"], 10, 20)
    submitted = await api.gql(
        """mutation($d: ID!) { submitAssignment(documentId: $d) {
             __typename ... on UserError { code message } } }""",
        {"d": s["doc"]},
        as_=s["coder"],
    )
    assert submitted["submitAssignment"]["__typename"] == "Assignment", submitted
    given = {"documentId": s["doc"], "codeId": s["phone"], "start": 40, "end": 45}
    checked = await refusal(api.pool, codings.apply_code, s["coder"], given)
    short = await refusal(api.pool, applying.apply_code, s["coder"], given)
    assert short == checked and isinstance(short, tuple) and short[0] == "FORBIDDEN"


async def test_the_event_is_the_one_append_event_writes(api: Api) -> None:
    s = await study(api)
    made = await api.gql(
        APPLY,
        {"i": {"documentId": s["doc"], "codeId": s["phone"], "start": 40, "end": 52}},
        as_=s["coder"],
    )
    coding_id = made["applyCode"]["id"]
    async with api.pool.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT * FROM events WHERE kind = 'coding.applied' AND subject_id = $1", coding_id
        )
        coding = await conn.fetchrow("SELECT * FROM codings WHERE id = $1", uuid.UUID(coding_id))
    assert row is not None and coding is not None
    assert row["project_id"] == coding["project_id"]
    assert str(row["actor_id"]) == s["coder"].id
    assert row["subject_type"] == "coding"
    assert row["document_id"] == coding["document_id"]
    assert row["round_id"] == coding["round_id"]
    assert row["layer_user_id"] == coding["coder_id"]
    assert row["before"] is None
    snapshot = codings.Coding.from_row(
        await api.pool.fetchrow(
            f"SELECT {codings.COLUMNS} FROM codings c WHERE c.id = $1", uuid.UUID(coding_id)
        )
    ).snapshot()
    assert row["after"] == json.loads(json.dumps(snapshot, default=str))
    assert row["after"] == {
        "documentId": s["doc"],
        "roundId": str(coding["round_id"]),
        "codeId": s["phone"],
        "start": 40,
        "end": 52,
        "memo": "",
        "version": 1,
    }


async def test_concurrent_overlapping_requests_make_one_coding(api: Api) -> None:
    s = await study(api)
    results = await asyncio.gather(
        *(
            api.gql(
                APPLY,
                {"i": {"documentId": s["doc"], "codeId": s["phone"], "start": i, "end": i + 8}},
                as_=s["coder"],
            )
            for i in range(10, 18)
        )
    )
    kinds = sorted(r["applyCode"]["__typename"] for r in results)
    assert kinds.count("Coding") == 1, kinds
    assert kinds.count("ConflictError") == 7, kinds


async def test_a_request_hands_its_connection_back(
    api: Api, database_url: str, settings: Settings
) -> None:
    s = await study(api)
    # Requests of every kind of ending: a read, a write, a refusal, a GraphQL error, a
    # stranger, and ones that need no database after the caller is known.
    requests: list[tuple[str, dict[str, Any], Person | None]] = [
        ("{ me { id } }", {}, s["coder"]),
        ("{ me { id } }", {}, None),
        ("{ nosuchfield }", {}, s["coder"]),
        (
            APPLY,
            {"i": {"documentId": s["doc"], "codeId": s["phone"], "start": 1, "end": 2}},
            s["coder"],
        ),
        (
            APPLY,
            {"i": {"documentId": s["doc"], "codeId": s["heading"], "start": 3, "end": 4}},
            s["coder"],
        ),
        ("query($p: ID!) { project(id: $p) { name } }", {"p": s["project"]}, s["coder"]),
    ]
    app = create_app(settings, database_url, SECRET_KEY)
    async with LifespanManager(app) as manager:
        pool = manager._state["pool"]
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            own = Api(c, api.pool)
            for query, variables, who in requests:
                await own.raw(query, variables, as_=who)
                await manager._state["notifier"].close()  # its NOTIFY statement is sent
                # Each request has ended: all the pool's connections are idle again.
                assert pool.get_idle_size() == pool.get_size(), query
