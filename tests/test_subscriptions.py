"""projectEvents over a real WebSocket (graphql-transport-ws), per-subscriber blinding,
WebSocket authentication, and delivery across two real server processes."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from uuid import UUID

import asyncpg
import httpx
import pytest
import pytest_asyncio
import websockets
from asgi_lifespan import LifespanManager
from httpx_ws import AsyncWebSocketSession, WebSocketDisconnect, aconnect_ws
from httpx_ws.transport import ASGIWebSocketTransport

from accord.app import create_app
from accord.config import Settings
from accord.db.target import apply_migrations
from accord.graphql.opaque import opaque_ids
from accord.users import service as users
from tests.conftest import SECRET_KEY
from tests.support import Api, Person, link_token
from tests.test_coding_flow import APPLY, apply, code

ROOT = Path(__file__).resolve().parent.parent
PROTOCOL = "graphql-transport-ws"
WAIT = 10.0  # an upper bound on any single wait, never an assertion about speed
TEXT = "Interviewer: Hvordan fikk du hjelp?\nP07: Jeg ringte kollegatelefonen 😊 og fikk svar.\n"
SUBSCRIBE = """subscription($p: ID!) { projectEvents(projectId: $p) {
  id kind subjectType subjectId documentId after actor { email } } }"""


@pytest_asyncio.fixture(scope="module")
async def ws_app(database_url: str, settings: Settings) -> AsyncIterator[Any]:
    """A second app instance in this process; mutations go through the session app, so
    events reach it only through PostgreSQL."""
    app = create_app(settings, database_url, SECRET_KEY)
    async with LifespanManager(app) as manager:
        yield manager.app


@asynccontextmanager
async def connect(app: Any, payload: dict[str, Any] | None) -> AsyncIterator[AsyncWebSocketSession]:
    transport = ASGIWebSocketTransport(app=app)
    async with (
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
        aconnect_ws("/graphql", client, subprotocols=[PROTOCOL]) as ws,
    ):
        await ws.send_json({"type": "connection_init", "payload": payload or {}})
        yield ws


async def next_event(ws: AsyncWebSocketSession) -> dict[str, Any]:
    message = await ws.receive_json(timeout=WAIT)
    assert message["type"] == "next", message
    assert not message["payload"].get("errors"), message
    event: dict[str, Any] = message["payload"]["data"]["projectEvents"]
    return event


async def subscribe(
    ws: AsyncWebSocketSession, api: Api, lead: Person, project: str
) -> list[dict[str, Any]]:
    """Subscribe, then prove the stream is live: a probe event (a shared code, which every
    member sees) is created until one arrives. Returns what arrived up to that probe."""
    ack = await ws.receive_json(timeout=WAIT)
    assert ack["type"] == "connection_ack", ack
    await ws.send_json(
        {
            "id": "1",
            "type": "subscribe",
            "payload": {"query": SUBSCRIBE, "variables": {"p": project}},
        }
    )
    for _ in range(20):
        name = f"probe-{secrets.token_hex(3)}"
        await code(api, lead, project, name)
        seen: list[dict[str, Any]] = []
        try:
            while True:
                message = await ws.receive_json(timeout=1.0)
                assert message["type"] == "next", message
                event = message["payload"]["data"]["projectEvents"]
                if event["kind"] == "code.created" and event["after"]["name"] == name:
                    return seen
                seen.append(event)
        except TimeoutError:
            continue  # the subscription was not listening yet when this probe committed
    raise AssertionError("the subscription never delivered a probe event")


async def coding_project(api: Api) -> tuple[Person, Person, Person, str, str, str]:
    lead, b, c = await api.person("lead"), await api.person("coderb"), await api.person("coderc")
    project = await api.project(lead)
    for who in (b, c):
        await api.add_member(lead, project, who, "CODER")
    phone = (await code(api, lead, project, "Phone"))["id"]
    doc = (await api.import_document(lead, project, TEXT))["id"]
    for who in (b, c):
        await api.gql(
            """mutation($d: ID!, $u: ID!) {
                 assignDocument(documentId: $d, userId: $u) { __typename } }""",
            {"d": doc, "u": who.id},
            as_=lead,
        )
    return lead, b, c, project, phone, doc


async def test_lead_sees_a_coders_coding_live(api: Api, ws_app: Any) -> None:
    lead, b, _c, project, phone, doc = await coding_project(api)
    async with connect(ws_app, {"authorization": f"Bearer {lead.token}"}) as ws:
        await subscribe(ws, api, lead, project)
        made = await apply(api, b, doc, phone, 40, 60)
        event = await next_event(ws)
        while event["kind"] != "coding.applied":  # e.g. the assignment starting
            event = await next_event(ws)
        assert event["subjectId"] == made["id"] and event["documentId"] == doc
        assert event["actor"]["email"] == b.email and event["after"]["start"] == 40


async def test_blinded_coder_hears_nothing_of_another_layer_until_reveal(
    api: Api, ws_app: Any
) -> None:
    lead, b, c, project, phone, doc = await coding_project(api)
    # Both start coding first, so the assignments are already in progress.
    assert (await apply(api, b, doc, phone, 0, 5))["__typename"] == "Coding"
    assert (await apply(api, c, doc, phone, 0, 5))["__typename"] == "Coding"
    async with connect(ws_app, {"token": b.token}) as ws:
        before = await subscribe(ws, api, lead, project)
        assert all(e["actor"]["email"] != c.email for e in before)

        c_made = await apply(api, c, doc, phone, 10, 20)
        b_made = await apply(api, b, doc, phone, 30, 40)
        own = await next_event(ws)
        assert own["kind"] == "coding.applied" and own["subjectId"] == b_made["id"], own
        assert own["actor"]["email"] == b.email

        revealed = await api.gql(
            """mutation($d: ID!) { revealDocument(documentId: $d) { __typename } }""",
            {"d": doc},
            as_=lead,
        )
        assert "Error" not in revealed["revealDocument"]["__typename"], revealed
        after_reveal = await apply(api, c, doc, phone, 50, 60)
        event = await next_event(ws)
        while event["kind"] != "coding.applied":
            event = await next_event(ws)
        assert event["subjectId"] == after_reveal["id"] and event["actor"]["email"] == c.email
        assert c_made["id"] != event["subjectId"]


async def test_token_in_header_of_payload_and_refusals(api: Api, ws_app: Any) -> None:
    lead, _b, _c, project, _phone, _doc = await coding_project(api)
    stranger = await api.person("stranger")
    for payload in ({}, {"authorization": "Bearer accord_not-a-real-token"}, {"token": "nope"}):
        async with connect(ws_app, payload) as ws:
            with pytest.raises(WebSocketDisconnect) as refused:
                await ws.receive_json(timeout=WAIT)
            assert refused.value.code == 4403
    # A member of nothing gets NOT_FOUND, not data.
    async with connect(ws_app, {"token": stranger.token}) as ws:
        assert (await ws.receive_json(timeout=WAIT))["type"] == "connection_ack"
        await ws.send_json(
            {
                "id": "s",
                "type": "subscribe",
                "payload": {"query": SUBSCRIBE, "variables": {"p": project}},
            }
        )
        message = await ws.receive_json(timeout=WAIT)
        assert message["type"] in ("error", "next"), message
        errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
        assert errors[0]["extensions"]["code"] == "NOT_FOUND", errors
    # A bearer token may also be given in the upgrade request's header.
    transport = ASGIWebSocketTransport(app=ws_app)
    async with (
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
        aconnect_ws(
            "/graphql",
            client,
            subprotocols=[PROTOCOL],
            headers={"authorization": f"Bearer {lead.token}"},
        ) as ws,
    ):
        await ws.send_json({"type": "connection_init", "payload": {}})
        assert (await ws.receive_json(timeout=WAIT))["type"] == "connection_ack"


# --- two real server processes sharing one database ------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


async def wait_ready(base: str, proc: subprocess.Popen[bytes]) -> None:
    async with httpx.AsyncClient(base_url=base) as client:
        for _ in range(300):
            assert proc.poll() is None, "the server exited during start-up"
            try:
                if (await client.get("/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"{base} never became ready")


@pytest.mark.slow
async def test_event_reaches_a_subscriber_on_another_process(
    make_database: Callable[[], Awaitable[str]], tmp_path: Path
) -> None:
    url = await make_database()
    await apply_migrations(url)
    conn = await asyncpg.connect(url)
    try:
        people = {}
        async with conn.transaction():
            for name in ("lead", "coder"):
                user = await users.create_user(conn, f"{name}@example.org", name, "pw-" + "x" * 12)
                people[name] = (await users.create_token(conn, user, "tests")).token
    finally:
        await conn.close()

    env = {**os.environ, "ACCORD_DATABASE_URL": url, "ACCORD_SECRET_KEY": SECRET_KEY}
    env.pop("ACCORD_DATA_DIR", None)
    ports = [free_port(), free_port()]
    logs = [(tmp_path / f"serve-{p}.log").open("wb") for p in ports]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "accord.cli.main", "serve", "--port", str(p)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for p, log in zip(ports, logs, strict=True)
    ]
    try:
        one, two = (f"http://127.0.0.1:{p}" for p in ports)
        for base, proc in zip((one, two), procs, strict=True):
            await wait_ready(base, proc)

        async with httpx.AsyncClient(base_url=one, timeout=WAIT) as http:

            async def gql(token: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
                body = (
                    await http.post(
                        "/graphql",
                        json={"query": query, "variables": variables},
                        headers={"authorization": f"Bearer {token}"},
                    )
                ).json()
                assert not body.get("errors"), body
                data: dict[str, Any] = body["data"]
                return data

            lead, coder = people["lead"], people["coder"]
            project = (
                await gql(
                    lead, 'mutation { createProject(name: "Two") { ... on Project { id } } }', {}
                )
            )["createProject"]["id"]
            link = (
                await gql(
                    lead,
                    """mutation($p: ID!) { inviteMember(projectId: $p, email: "coder@example.org",
                         role: CODER) { ... on IssuedInvitation { link } } }""",
                    {"p": project},
                )
            )["inviteMember"]["link"]
            await gql(
                coder,
                "mutation($t: String!) { joinByInvitation(token: $t) { __typename } }",
                {"t": link_token(link)},
            )
            phone = (
                await gql(
                    lead,
                    """mutation($p: ID!) { createCode(projectId: $p, input: {name: "Phone"}) {
                         ... on Code { id } } }""",
                    {"p": project},
                )
            )["createCode"]["id"]
            doc = (
                await gql(
                    lead,
                    """mutation($p: ID!, $x: String!) { importDocument(projectId: $p,
                         title: "One", text: $x) { ... on Document { id } } }""",
                    {"p": project, "x": TEXT},
                )
            )["importDocument"]["id"]
            coder_id = (await gql(coder, "query { me { id } }", {}))["me"]["id"]
            await gql(
                lead,
                """mutation($d: ID!, $u: ID!) { assignDocument(documentId: $d, userId: $u) {
                     __typename } }""",
                {"d": doc, "u": coder_id},
            )

            ws_url = two.replace("http", "ws") + "/graphql"
            async with websockets.connect(ws_url, subprotocols=[PROTOCOL]) as ws:  # type: ignore[list-item]
                await ws.send(json.dumps({"type": "connection_init", "payload": {"token": lead}}))
                ack = json.loads(await asyncio.wait_for(ws.recv(), WAIT))
                assert ack["type"] == "connection_ack", ack
                await ws.send(
                    json.dumps(
                        {
                            "id": "1",
                            "type": "subscribe",
                            "payload": {"query": SUBSCRIBE, "variables": {"p": project}},
                        }
                    )
                )
                # Until the subscription is listening, applied codings may go unheard;
                # code successive segments until one arrives.
                made_ids: set[str] = set()
                for attempt in range(20):
                    made = (
                        await gql(
                            coder,
                            APPLY,
                            {
                                "i": {
                                    "documentId": doc,
                                    "codeId": phone,
                                    "start": attempt * 3,
                                    "end": attempt * 3 + 2,
                                }
                            },
                        )
                    )["applyCode"]
                    assert made["__typename"] == "Coding", made
                    made_ids.add(made["id"])
                    try:
                        while True:
                            raw = await asyncio.wait_for(ws.recv(), 1.0)
                            message = json.loads(raw)
                            assert message["type"] == "next", message
                            event = message["payload"]["data"]["projectEvents"]
                            if event["kind"] == "coding.applied":
                                assert event["subjectId"] in made_ids
                                assert event["actor"]["email"] == "coder@example.org"
                                return
                    except TimeoutError:
                        continue
                raise AssertionError("no event crossed from process one to process two")
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=WAIT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for log in logs:
            log.close()


async def test_events_committed_while_the_listener_reconnects_arrive_once(
    api: Api, ws_app: Any, pool: Any
) -> None:
    """A notification missed while the LISTEN connection was down is not lost: after it
    reconnects, the subscriber reads what was committed meanwhile from the events table,
    and delivers nothing twice."""
    lead, _b, _c, project, _phone, _doc = await coding_project(api)
    async with connect(ws_app, {"authorization": f"Bearer {lead.token}"}) as ws:
        await subscribe(ws, api, lead, project)
        # An event whose NOTIFY nobody heard, as if committed while the listener was down.
        missed = await pool.fetchval(
            "INSERT INTO events (project_id, actor_id, kind, subject_type, after) "
            "VALUES ($1, $2, 'project.note', 'project', '{}'::jsonb) RETURNING id",
            UUID(project),
            UUID(lead.id),
        )
        killed = await pool.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND query ILIKE 'LISTEN%'"
        )
        assert killed >= 1
        event = await next_event(ws)
        assert event["id"] == opaque_ids(SECRET_KEY).event(missed), event
        assert event["kind"] == "project.note", event
        after = await subscribe_probe(ws, api, lead, project)
        assert [e for e in after if e["id"] == event["id"]] == []


async def subscribe_probe(
    ws: AsyncWebSocketSession, api: Api, lead: Person, project: str
) -> list[dict[str, Any]]:
    """Everything delivered before a fresh probe event arrives."""
    name = f"probe-{secrets.token_hex(3)}"
    await code(api, lead, project, name)
    seen: list[dict[str, Any]] = []
    while True:
        event = await next_event(ws)
        if event["kind"] == "code.created" and event["after"]["name"] == name:
            return seen
        seen.append(event)


@pytest.mark.parametrize("blinding", [True, False])
async def test_a_coder_hears_nothing_of_invitations(api: Api, ws_app: Any, blinding: bool) -> None:
    """Invitations are for leads (`project { invitations }`); their events name people who
    are not members, so a coder's stream never carries them, blinded project or not."""
    lead, coder = await api.person("lead"), await api.person("coder")
    project = await api.project(lead)
    await api.add_member(lead, project, coder, "CODER")
    changed = await api.gql(
        """mutation($p: ID!, $b: Boolean!) { updateProject(id: $p, settings: {blinding: $b})
             { __typename } }""",
        {"p": project, "b": blinding},
        as_=lead,
    )
    assert changed["updateProject"]["__typename"] == "Project", changed
    invited = f"not-yet-a-member-{secrets.token_hex(3)}@example.org"
    async with (
        connect(ws_app, {"authorization": f"Bearer {coder.token}"}) as ws,
        connect(ws_app, {"authorization": f"Bearer {lead.token}"}) as lead_ws,
    ):
        await subscribe(ws, api, lead, project)
        await subscribe(lead_ws, api, lead, project)
        await api.invite(lead, project, invited, "CODER")
        listed = await api.gql(
            "query($p: ID!) { project(id: $p) { invitations { id } } }", {"p": project}, as_=lead
        )
        revoked = await api.gql(
            "mutation($i: ID!) { revokeInvitation(id: $i) { __typename } }",
            {"i": listed["project"]["invitations"][0]["id"]},
            as_=lead,
        )
        assert revoked["revokeInvitation"]["__typename"] == "Invitation", revoked
        probe = f"probe-after-{secrets.token_hex(3)}"
        await code(api, lead, project, probe)

        async def until_probe(socket: AsyncWebSocketSession) -> list[dict[str, Any]]:
            heard = []
            event = await next_event(socket)
            while not (event["kind"] == "code.created" and event["after"]["name"] == probe):
                heard.append(event)
                event = await next_event(socket)
            return heard

        lead_heard = await until_probe(lead_ws)
        coder_heard = await until_probe(ws)
    # The lead's stream has them, so the coder's silence is the rule, not a lull.
    assert {"member.invited", "invitation.revoked"} <= {e["kind"] for e in lead_heard}
    assert not [e for e in coder_heard if invited in json.dumps(e)], coder_heard
    assert not {e["kind"] for e in coder_heard} & {"member.invited", "invitation.revoked"}
