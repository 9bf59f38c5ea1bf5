"""Connections to one chosen worker of `accord serve --workers N`.

The workers share one listening socket and the kernel hands each connection to whichever
worker accepts it first, so a test connects until the worker it wants has the other end
(psutil shows which process holds the accepted socket). Nothing in Accord reports a pid.
"""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psutil
from websockets.sync.client import ClientConnection, connect

from tests.processes import START_TIMEOUT, Server

ATTEMPTS = 400  # connections tried before giving up on reaching one worker
PROTOCOL = "graphql-transport-ws"


def worker_pids(server: Server) -> set[int]:
    """The supervisor's children that listen on the server's port."""
    found = set()
    for child in psutil.Process(server.process.pid).children():
        try:
            listening = [
                c
                for c in child.net_connections("tcp")
                if c.status == psutil.CONN_LISTEN and c.laddr.port == server.port
            ]
        except psutil.Error:
            continue
        if listening:
            found.add(child.pid)
    return found


def wait_for_workers(server: Server, count: int, without: set[int] = frozenset()) -> set[int]:
    """The worker pids once ``count`` serve (none of them in ``without``), and each answers."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        assert server.process.poll() is None, server.stderr
        pids = worker_pids(server)
        if len(pids) == count and not pids & without:
            return pids
        time.sleep(0.1)
    raise AssertionError(f"{count} workers never listened:\n{server.stderr}")


def owner(server: Server, client_port: int, pids: set[int]) -> int | None:
    """Which worker accepted the connection from ``client_port``; None while none has."""
    for pid in pids:
        try:
            for c in psutil.Process(pid).net_connections("tcp"):
                if c.raddr and c.raddr.port == client_port and c.laddr.port == server.port:
                    return pid
        except psutil.Error:
            continue
    return None


def _accepted_by(server: Server, client_port: int, pids: set[int]) -> int:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        found = owner(server, client_port, pids)
        if found is not None:
            return found
        time.sleep(0.01)
    raise AssertionError("no worker accepted the connection")


def http_to(server: Server, pid: int, pids: set[int]) -> http.client.HTTPConnection:
    """An HTTP connection whose other end is worker ``pid``."""
    for _ in range(ATTEMPTS):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=START_TIMEOUT)
        conn.connect()
        assert conn.sock is not None
        if _accepted_by(server, conn.sock.getsockname()[1], pids) == pid:
            return conn
        conn.close()
    raise AssertionError(f"{ATTEMPTS} connections never reached worker {pid}")


@contextmanager
def ws_to(server: Server, pid: int, pids: set[int]) -> Iterator[ClientConnection]:
    """A graphql-transport-ws connection whose other end is worker ``pid``."""
    url = f"ws://127.0.0.1:{server.port}/graphql"
    for _ in range(ATTEMPTS):
        with connect(url, subprotocols=[PROTOCOL]) as ws:  # type: ignore[list-item]
            if _accepted_by(server, ws.socket.getsockname()[1], pids) == pid:
                yield ws
                return
    raise AssertionError(f"{ATTEMPTS} WebSockets never reached worker {pid}")


def gql_on(
    server: Server,
    pid: int,
    pids: set[int],
    query: str,
    variables: dict[str, Any] | None = None,
    token: str | None = None,
) -> dict[str, Any]:
    """One GraphQL request answered by worker ``pid``; its ``data``."""
    conn = http_to(server, pid, pids)
    try:
        headers = {"content-type": "application/json"}
        if token is not None:
            headers["authorization"] = f"Bearer {token}"
        body = json.dumps({"query": query, "variables": variables or {}})
        conn.request("POST", "/graphql", body=body, headers=headers)
        response = conn.getresponse()
        answer = json.loads(response.read())
    finally:
        conn.close()
    assert response.status == 200 and not answer.get("errors"), answer
    data: dict[str, Any] = answer["data"]
    return data
