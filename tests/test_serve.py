"""`accord serve` as a real process: embedded and external database, signals, restarts."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest

from accord.db.target import apply_migrations
from accord.resources import migrations_dir
from tests.conftest import SECRET_KEY
from tests.support import REPO_ROOT

pytestmark = pytest.mark.slow

START_TIMEOUT = 60.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _env(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}
    env["ACCORD_DATA_DIR"] = str(data_dir)
    env["ACCORD_LOG_LEVEL"] = "WARNING"
    if database_url:
        env["ACCORD_DATABASE_URL"] = database_url
        env["ACCORD_SECRET_KEY"] = SECRET_KEY
    return env


class Server:
    """One `accord serve` process, its output kept in files."""

    def __init__(
        self,
        env: dict[str, str],
        logs: Path,
        *,
        accord: list[str] | None = None,
        cwd: Path = REPO_ROOT,
    ) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        logs.mkdir(parents=True, exist_ok=True)
        self.stderr_path = logs / f"serve-{self.port}.err"
        self._err = self.stderr_path.open("w")
        command = accord or [sys.executable, "-m", "accord.cli.main"]
        self.process = subprocess.Popen(
            [*command, "serve", "--port", str(self.port)],
            env=env,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=self._err,
            stderr=self._err,
        )

    @property
    def stderr(self) -> str:
        return self.stderr_path.read_text()

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"accord serve exited early:\n{self.stderr}")
            try:
                if httpx.get(self.base + "/readyz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"accord serve was not ready in {START_TIMEOUT} s:\n{self.stderr}")

    def wait_exit(self, timeout: float = START_TIMEOUT) -> int:
        try:
            return self.process.wait(timeout)
        finally:
            self._err.close()

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.wait_exit()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self._err.close()

    def gql(self, query: str, token: str, variables: Any = None) -> Any:
        response = httpx.post(
            self.base + "/graphql",
            json={"query": query, "variables": variables},
            headers={"authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[Callable[[dict[str, str]], Server]]:
    started: list[Server] = []

    def start(env: dict[str, str]) -> Server:
        server = Server(env, tmp_path / "logs")
        started.append(server)
        return server

    try:
        yield start
    finally:
        for server in started:
            server.kill()


def _cli(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "accord.cli.main", *args],
        env=env,
        cwd=REPO_ROOT,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _postgres_for(data_dir: Path) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(attrs=["name", "cmdline"]):
        cmdline = " ".join(proc.info["cmdline"] or [])
        if proc.info["name"] == "postgres" and str(data_dir) in cmdline:
            found.append(proc)
    return found


def _wait_no_postgres(data_dir: Path) -> list[psutil.Process]:
    deadline = time.monotonic() + 10
    while (left := _postgres_for(data_dir)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def test_embedded_serve_cli_sharing_and_restart(
    tmp_path: Path, servers: Callable[[dict[str, str]], Server]
) -> None:
    data_dir = (tmp_path / "data").resolve()
    env = _env(data_dir)
    server = servers(env)
    try:
        server.wait_ready()
        assert httpx.get(server.base + "/healthz").status_code == 200
        home = httpx.get(server.base + "/")
        assert home.status_code == 200 and "Accord" in home.text and "/graphql" in home.text
        key = data_dir / "secret_key"
        assert key.stat().st_mode & 0o777 == 0o600
        assert len(key.read_text().strip()) >= 32
        assert _postgres_for(data_dir)

        # The CLI shares the running server's embedded PostgreSQL.
        out = _cli(env, "user", "create", "lead@example.org", "--password-stdin", stdin="p" * 12)
        assert "lead@example.org" in out
        token = _cli(env, "token", "create", "lead@example.org").strip()
        assert _cli(env, "migrate").strip() == "The database is up to date."
        created = server.gql(
            'mutation { createProject(name: "Kept") { ... on Project { id } } }', token
        )
        project_id = created["data"]["createProject"]["id"]
        assert server.process.poll() is None  # the CLI letting go did not stop anything
        assert httpx.get(server.base + "/readyz").status_code == 200

        assert server.stop() == 0, server.stderr
        assert "Traceback" not in server.stderr, server.stderr
        assert not _wait_no_postgres(data_dir), "the embedded PostgreSQL outlived accord serve"

        again = servers(env)
        again.wait_ready()
        data = again.gql("query($p: ID!) { project(id: $p) { name } }", token, {"p": project_id})
        assert data["data"]["project"]["name"] == "Kept"
        assert (data_dir / "secret_key").read_text() == key.read_text()
        assert again.stop() == 0, again.stderr
        assert not _wait_no_postgres(data_dir)
    finally:
        for proc in _postgres_for(data_dir):  # never leave a server behind a failed test
            proc.kill()


async def test_external_database_must_be_migrated(
    tmp_path: Path,
    make_database: Callable[[], Awaitable[str]],
    servers: Callable[[dict[str, str]], Server],
) -> None:
    url = await make_database()
    migrations = sorted(migrations_dir().glob("*.sql"))
    if len(migrations) > 1:  # behind by one file, not merely blank
        older = tmp_path / "older"
        older.mkdir()
        for path in migrations[:-1]:
            shutil.copy(path, older)
        import asyncpg

        from accord.db import migrations as runner

        conn = await asyncpg.connect(url)
        try:
            await runner.migrate(conn, older)
        finally:
            await conn.close()
    env = _env(tmp_path / "unused", url)

    refused = servers(env)
    assert refused.wait_exit() != 0
    assert "accord migrate" in refused.stderr, refused.stderr
    assert migrations[-1].name in refused.stderr
    assert "Traceback" not in refused.stderr

    await apply_migrations(url)
    server = servers(env)
    server.wait_ready()
    ready = httpx.get(server.base + "/readyz").json()
    assert ready["status"] == "ready"
    assert server.stop() == 0, server.stderr
    assert not (tmp_path / "unused" / "secret_key").exists()


def test_two_servers_on_one_data_dir_share_the_embedded_database(
    tmp_path: Path, servers: Callable[[dict[str, str]], Server]
) -> None:
    """A second `accord serve` on the same data dir joins the running PostgreSQL instead
    of starting another on the same files, and the first keeps working when it leaves."""
    data_dir = (tmp_path / "data").resolve()
    env = _env(data_dir)
    first = servers(env)
    try:
        first.wait_ready()
        _cli(env, "user", "create", "lead@example.org", "--password-stdin", stdin="p" * 12)
        token = _cli(env, "token", "create", "lead@example.org").strip()
        second = servers(env)
        second.wait_ready()
        assert len({p.pid for p in _postgres_for(data_dir) if "-D" in " ".join(p.cmdline())}) <= 1
        made = second.gql(
            'mutation { createProject(name: "Shared") { ... on Project { id } } }', token
        )
        project_id = made["data"]["createProject"]["id"]
        seen = first.gql("query($p: ID!) { project(id: $p) { name } }", token, {"p": project_id})
        assert seen["data"]["project"]["name"] == "Shared"

        assert second.stop() == 0, second.stderr
        assert httpx.get(first.base + "/readyz").status_code == 200
        assert first.gql("{ me { email } }", token)["data"]["me"]["email"] == "lead@example.org"
        assert first.stop() == 0, first.stderr
        assert not _wait_no_postgres(data_dir)
    finally:
        for proc in _postgres_for(data_dir):
            proc.kill()
