"""`accord serve --workers N`: several processes on one port, one embedded PostgreSQL.

Real processes: a subscriber on one worker hears a coding made through the other, login
limits count failures made on either, a killed worker is replaced, and SIGTERM stops
all of it with nothing left behind. Which worker has a connection is found with psutil
(``tests.pinned``), not from anything Accord says.
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest
from websockets.sync.client import ClientConnection

from accord.db.target import apply_migrations
from tests.pinned import gql_on, wait_for_workers, ws_to
from tests.processes import Server, postgres_for, run_cli, serve_env, wait_no_postgres
from tests.support import link_token
from tests.test_coding_flow import APPLY, CREATE_CODE

pytestmark = pytest.mark.slow

WAIT = 10.0  # an upper bound on any single wait, never an assertion about speed
TEXT = "Interviewer: How did you get help?\nP07: I rang the colleague line and got an answer.\n"
SUBSCRIBE = """subscription($p: ID!) { projectEvents(projectId: $p) {
  id kind subjectId actor { email } } }"""
LOGIN = """mutation($e: String!, $p: String!) { login(email: $e, password: $p) {
  __typename ... on UserError { code } } }"""


def account(env: dict[str, str], email: str, password: str) -> str:
    run_cli(env, "user", "create", email, "--password-stdin", stdin=password)
    return run_cli(env, "token", "create", email).strip()


def study(
    server: Server, one: int, two: int, pids: set[int], lead: str, coder: str
) -> tuple[str, str, str]:
    """A project with a coder assigned to a document, made half through each worker."""
    project = gql_on(
        server,
        one,
        pids,
        'mutation { createProject(name: "Two workers") { ... on Project { id } } }',
        token=lead,
    )["createProject"]["id"]
    link = gql_on(
        server,
        one,
        pids,
        """mutation($p: ID!) { inviteMember(projectId: $p, email: "coder@example.org",
             role: CODER) { ... on IssuedInvitation { link } } }""",
        {"p": project},
        lead,
    )["inviteMember"]["link"]
    joined = gql_on(
        server,
        two,
        pids,
        "mutation($t: String!) { joinByInvitation(token: $t) { __typename } }",
        {"t": link_token(link)},
        coder,
    )
    assert joined["joinByInvitation"]["__typename"] == "InvitationAccepted", joined
    phone = gql_on(server, two, pids, CREATE_CODE, {"p": project, "i": {"name": "Phone"}}, lead)[
        "createCode"
    ]["id"]
    doc = gql_on(
        server,
        one,
        pids,
        """mutation($p: ID!, $x: String!) { importDocument(projectId: $p, title: "One",
             text: $x) { ... on Document { id } } }""",
        {"p": project, "x": TEXT},
        lead,
    )["importDocument"]["id"]
    coder_id = gql_on(server, two, pids, "{ me { id } }", token=coder)["me"]["id"]
    gql_on(
        server,
        one,
        pids,
        "mutation($d: ID!, $u: ID!) { assignDocument(documentId: $d, userId: $u) { __typename } }",
        {"d": doc, "u": coder_id},
        lead,
    )
    return project, phone, doc


def subscribe(ws: ClientConnection, token: str, project: str) -> None:
    ws.send(json.dumps({"type": "connection_init", "payload": {"token": token}}))
    ack = json.loads(ws.recv(timeout=WAIT))
    assert ack["type"] == "connection_ack", ack
    payload = {"query": SUBSCRIBE, "variables": {"p": project}}
    ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))


def coding_crosses(
    server: Server,
    ws: ClientConnection,
    writer: int,
    pids: set[int],
    coder: str,
    doc: str,
    code: str,
    first: int,
) -> dict[str, Any]:
    """Code successive segments from offset ``first`` through worker ``writer`` until
    the subscriber hears one (until its subscription is listening, a coding may go
    unheard); the event."""
    made: set[str] = set()
    for attempt in range(20):
        answer = gql_on(
            server,
            writer,
            pids,
            APPLY,
            {
                "i": {
                    "documentId": doc,
                    "codeId": code,
                    "start": first + attempt * 2,
                    "end": first + attempt * 2 + 1,
                }
            },
            coder,
        )["applyCode"]
        assert answer["__typename"] == "Coding", answer
        made.add(answer["id"])
        try:
            while True:
                message = json.loads(ws.recv(timeout=1.0))
                assert message["type"] == "next", message
                event: dict[str, Any] = message["payload"]["data"]["projectEvents"]
                if event["kind"] == "coding.applied":
                    assert event["subjectId"] in made, event
                    return event
        except TimeoutError:
            continue
    raise AssertionError("no coding event crossed from one worker to the other")


def login(server: Server, pid: int, pids: set[int], email: str, password: str) -> str:
    answer = gql_on(server, pid, pids, LOGIN, {"e": email, "p": password})["login"]
    return str(answer.get("code", answer["__typename"]))


def test_two_workers_share_events_login_limits_and_one_database(
    pg_tmp: Path, servers: Callable[..., Server]
) -> None:
    data_dir = pg_tmp / "data"
    env = {**serve_env(data_dir), "ACCORD_LOGIN_MAX_ATTEMPTS": "4"}
    server = servers(env, "--workers", "2")
    try:
        server.wait_ready()
        pids = wait_for_workers(server, 2)
        one, two = sorted(pids)
        # One PostgreSQL, started by the supervisor, not one per worker.
        postmasters = {p.pid for p in postgres_for(data_dir) if "-D" in " ".join(p.cmdline())}
        assert len(postmasters) == 1
        assert server.stderr.count("Embedded PostgreSQL data:") == 1

        lead = account(env, "lead@example.org", "lead-password-1")
        coder = account(env, "coder@example.org", "coder-password-1")
        project, phone, doc = study(server, one, two, pids, lead, coder)

        # A subscriber on one worker hears a coding made through the other, both ways.
        for listener, writer, first in ((one, two, 0), (two, one, 40)):
            with ws_to(server, listener, pids) as ws:
                subscribe(ws, lead, project)
                event = coding_crosses(server, ws, writer, pids, coder, doc, phone, first)
                assert event["actor"]["email"] == "coder@example.org"

        # Failed logins count wherever they land: four wrong passwords, two on each
        # worker, and the right one is refused on both (per process, each had seen two).
        for n in range(4):
            assert login(server, (one, two)[n % 2], pids, "coder@example.org", f"wrong-{n}-pw") == (
                "UNAUTHENTICATED"
            )
        for pid in (one, two):
            assert (
                login(server, pid, pids, "coder@example.org", "coder-password-1") == "RATE_LIMITED"
            )
        assert login(server, one, pids, "lead@example.org", "lead-password-1") == "User"

        # A worker that dies is replaced, and the replacement serves.
        os.kill(one, signal.SIGKILL)
        now = wait_for_workers(server, 2, without={one})
        (fresh,) = now - {two}
        assert "was killed by SIGKILL; starting another in its place" in server.stderr
        assert gql_on(server, fresh, now, "{ me { email } }", token=lead)["me"]["email"] == (
            "lead@example.org"
        )

        # SIGTERM stops every worker and then the embedded PostgreSQL.
        assert server.stop() == 0, server.stderr
        assert "Traceback" not in server.stderr, server.stderr
        assert not any(psutil.pid_exists(pid) for pid in now)
        assert not wait_no_postgres(data_dir), "the embedded PostgreSQL outlived accord serve"
    finally:
        for proc in postgres_for(data_dir):  # never leave a server behind a failed test
            proc.kill()


async def test_workers_bad_counts_and_pools_too_big_are_refused(
    tmp_path: Path,
    make_database: Callable[[], Awaitable[str]],
    servers: Callable[..., Server],
) -> None:
    url = await make_database()
    await apply_migrations(url)
    env = serve_env(tmp_path / "unused", url)

    for bad in ("0", "two"):
        refused = servers(env, "--workers", bad)
        assert refused.wait_exit() == 2
        assert "--workers: must be" in refused.stderr, refused.stderr

    refused = servers({**env, "ACCORD_WORKERS": "many"})
    assert refused.wait_exit() == 1
    assert "ACCORD_WORKERS must be a whole number" in refused.stderr, refused.stderr

    # 3 × (400 + 1) connections cannot fit any default max_connections.
    refused = servers({**env, "ACCORD_POOL_MAX_SIZE": "400"}, "--workers", "3")
    assert refused.wait_exit() == 1
    assert "need up to 1203 PostgreSQL connections" in refused.stderr, refused.stderr
    assert "max_connections" in refused.stderr and "Traceback" not in refused.stderr

    # Two processes on an external database: ready, and stopped by SIGTERM.
    server = servers(env, "--workers", "2")
    server.wait_ready()
    assert len(wait_for_workers(server, 2)) == 2
    assert httpx.get(server.base + "/readyz").json()["status"] == "ready"
    assert server.stop() == 0, server.stderr
