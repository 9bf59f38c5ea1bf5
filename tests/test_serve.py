"""`accord serve` as a real process: embedded and external database, signals, restarts."""

from __future__ import annotations

import shutil
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import psutil
import pytest

from accord.db.target import apply_migrations
from accord.resources import migrations_dir
from tests.processes import Server, postgres_for, run_cli, serve_env

pytestmark = pytest.mark.slow


def _wait_no_postgres(data_dir: Path) -> list[psutil.Process]:
    deadline = time.monotonic() + 10
    while (left := postgres_for(data_dir)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def test_embedded_serve_cli_sharing_and_restart(
    pg_tmp: Path, servers: Callable[[dict[str, str]], Server]
) -> None:
    data_dir = pg_tmp / "data"
    env = serve_env(data_dir)
    server = servers(env)
    try:
        server.wait_ready()
        assert httpx.get(server.base + "/healthz").status_code == 200
        home = httpx.get(server.base + "/")
        assert home.status_code == 200 and "Accord" in home.text and "/graphql" in home.text
        key = data_dir / "secret_key"
        assert key.stat().st_mode & 0o777 == 0o600
        assert len(key.read_text().strip()) >= 32
        assert postgres_for(data_dir)

        # The CLI shares the running server's embedded PostgreSQL.
        out = run_cli(env, "user", "create", "lead@example.org", "--password-stdin", stdin="p" * 12)
        assert "lead@example.org" in out
        token = run_cli(env, "token", "create", "lead@example.org").strip()
        assert run_cli(env, "migrate").strip() == "The database is up to date."
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
        for proc in postgres_for(data_dir):  # never leave a server behind a failed test
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
    env = serve_env(tmp_path / "unused", url)

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
    pg_tmp: Path, servers: Callable[[dict[str, str]], Server]
) -> None:
    """A second `accord serve` on the same data dir joins the running PostgreSQL instead
    of starting another on the same files, and the first keeps working when it leaves."""
    data_dir = pg_tmp / "data"
    env = serve_env(data_dir)
    first = servers(env)
    try:
        first.wait_ready()
        run_cli(env, "user", "create", "lead@example.org", "--password-stdin", stdin="p" * 12)
        token = run_cli(env, "token", "create", "lead@example.org").strip()
        second = servers(env)
        second.wait_ready()
        assert len({p.pid for p in postgres_for(data_dir) if "-D" in " ".join(p.cmdline())}) <= 1
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
        for proc in postgres_for(data_dir):
            proc.kill()
