"""`accord serve` notices when its embedded PostgreSQL dies or is stopped (issue 10, #18).

Real processes: `accord serve` on a fresh data dir, and its PostgreSQL killed with
SIGKILL, then stopped with SIGINT (PostgreSQL's fast shutdown, as `pg_ctl stop -m fast`).
Each time the same `accord serve` must say so in its log, start the server again and
serve the data it had, without a restart of its own. When PostgreSQL cannot start again,
`accord serve` exits with status 1 and says why, so a supervisor can restart the whole.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.processes import START_TIMEOUT, Server, postgres_for, run_cli, serve_env

pytestmark = pytest.mark.slow


def postmaster_pid(data_dir: Path) -> int:
    return int((data_dir / "pgdata" / "postmaster.pid").read_text().split()[0])


def wait_for_a_new_postmaster(server: Server, data_dir: Path, old_pid: int) -> int:
    """Wait (bounded) until /readyz is 200 again on a PostgreSQL other than ``old_pid``."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        assert server.process.poll() is None, f"accord serve exited:\n{server.stderr}"
        try:
            pid = postmaster_pid(data_dir)
            ready = httpx.get(server.base + "/readyz", timeout=5)
            if pid != old_pid and ready.status_code == 200:
                return pid
        except (FileNotFoundError, ValueError, IndexError, httpx.TransportError):
            pass
        time.sleep(0.2)
    raise AssertionError(f"PostgreSQL was not started again:\n{server.stderr}")


def test_serve_restarts_its_embedded_postgres_when_it_dies_or_stops(
    pg_tmp: Path, servers: Callable[[dict[str, str]], Server]
) -> None:
    data_dir = pg_tmp / "data"
    env = serve_env(data_dir)
    server = servers(env)
    try:
        server.wait_ready()
        run_cli(env, "user", "create", "lead@example.org", "--password-stdin", stdin="p" * 12)
        token = run_cli(env, "token", "create", "lead@example.org").strip()
        made = server.gql(
            'mutation { createProject(name: "Kept") { ... on Project { id } } }', token
        )
        project = made["data"]["createProject"]["id"]
        query = "query($p: ID!) { project(id: $p) { name } }"

        for how in (signal.SIGKILL, signal.SIGINT):
            old = postmaster_pid(data_dir)
            os.kill(old, how)
            # While it is down, /readyz says what is going on, and never the errno.
            seen: set[str] = set()
            deadline = time.monotonic() + START_TIMEOUT
            while time.monotonic() < deadline and server.stderr.count("has stopped") < (
                1 if how == signal.SIGKILL else 2
            ):
                try:
                    answer = httpx.get(server.base + "/readyz", timeout=5)
                    if answer.status_code == 503:
                        seen.add(answer.json()["reason"])
                except httpx.TransportError:
                    pass
                time.sleep(0.05)
            assert all("Errno" not in reason for reason in seen), seen
            new = wait_for_a_new_postmaster(server, data_dir, old)
            assert new != old
            again = server.gql(query, token, {"p": project})
            assert again["data"]["project"]["name"] == "Kept", again

        log = server.stderr
        assert log.count("The embedded PostgreSQL (pid") == 2, log
        assert log.count("is running again") == 2, log
        assert server.stop() == 0, server.stderr
    finally:
        for proc in postgres_for(data_dir):
            proc.kill()


def test_serve_exits_with_a_clear_message_when_postgres_cannot_start_again(
    pg_tmp: Path, servers: Callable[[dict[str, str]], Server]
) -> None:
    data_dir = pg_tmp / "data"
    env = serve_env(data_dir)
    server = servers(env)
    try:
        server.wait_ready()
        # A setting PostgreSQL refuses: every attempt to start it again fails.
        with (data_dir / "pgdata" / "postgresql.conf").open("a") as conf:
            conf.write("\nshared_buffers = 'a great many'\n")
        os.kill(postmaster_pid(data_dir), signal.SIGKILL)
        assert server.wait_exit() == 1, server.stderr
        log = server.stderr
        assert "could not be started again" in log and "supervisor" in log, log
    finally:
        for proc in postgres_for(data_dir):
            proc.kill()
