"""The `accord` command, run as a real process against a real database."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from accord.app import create_app
from accord.cli.main import build_parser
from accord.db.migrations import load_migrations
from accord.db.target import apply_migrations
from tests.conftest import SECRET_KEY, settings_for
from tests.support import REPO_ROOT

ME = "{ me { id email name } }"
LOGIN = """mutation($e: String!, $p: String!) { login(email: $e, password: $p) {
  __typename ... on User { email name } ... on UserError { code } } }"""


def accord(
    database_url: str | None, *args: str, stdin: str | None = None, data_dir: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}
    if database_url is not None:
        env["ACCORD_DATABASE_URL"] = database_url
    env["ACCORD_SECRET_KEY"] = SECRET_KEY
    if data_dir is not None:
        env["ACCORD_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "accord.cli.main", *args],
        env=env,
        cwd=REPO_ROOT,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="module")
async def cli_db(make_database: Callable[[], Awaitable[str]]) -> str:
    url = await make_database()
    await apply_migrations(url)
    return url


@pytest.fixture(scope="module")
async def client(cli_db: str) -> AsyncIterator[httpx.AsyncClient]:
    """The app on the CLI's database, to check what the CLI made."""
    app = create_app(settings_for(cli_db), cli_db, SECRET_KEY)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield c


async def gql(client: httpx.AsyncClient, query: str, variables: Any = None, **kw: Any) -> Any:
    response = await client.post("/graphql", json={"query": query, "variables": variables}, **kw)
    return response.json()


async def login(client: httpx.AsyncClient, email: str, password: str) -> Any:
    return (await gql(client, LOGIN, {"e": email, "p": password}))["data"]["login"]


async def test_migrate(scratch_database: str) -> None:
    first = accord(scratch_database, "migrate")
    assert first.returncode == 0, first.stderr
    names = [m.name for m in load_migrations()]
    assert first.stdout.split() == [w for n in names for w in ("applied", n)]
    again = accord(scratch_database, "migrate")
    assert again.returncode == 0, again.stderr
    assert "up to date" in again.stdout


async def test_user_create_with_password_stdin(cli_db: str, client: httpx.AsyncClient) -> None:
    result = accord(
        cli_db, "user", "create", "Ada@Example.org", "--name", "Ada L", "--password-stdin",
        stdin="correct horse battery\n",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Ada@Example.org" in result.stdout and "Ada L" in result.stdout
    assert "correct horse" not in result.stdout + result.stderr
    answer = await login(client, "ada@example.org", "correct horse battery")
    assert answer == {"__typename": "User", "email": "Ada@Example.org", "name": "Ada L"}
    assert (await login(client, "ada@example.org", "wrong password"))["code"] == "UNAUTHENTICATED"


async def test_user_create_without_a_terminal_prints_a_generated_password(
    cli_db: str, client: httpx.AsyncClient
) -> None:
    result = accord(cli_db, "user", "create", "grace@example.org")
    assert result.returncode == 0, result.stderr
    lines = [ln for ln in result.stdout.splitlines() if ln.startswith("password: ")]
    assert len(lines) == 1
    password = lines[0].removeprefix("password: ").strip()
    assert len(password) >= 12
    assert result.stdout.count(password) == 1
    answer = await login(client, "grace@example.org", password)
    assert answer == {"__typename": "User", "email": "grace@example.org", "name": "grace"}


@pytest.mark.parametrize("again", ["dup@example.org", "DUP@EXAMPLE.ORG", " Dup@Example.Org "])
async def test_duplicate_email_is_refused(cli_db: str, again: str) -> None:
    first = accord(cli_db, "user", "create", "Dup@Example.org", "--password-stdin", stdin="x" * 12)
    assert first.returncode == 0 or "already exists" in first.stderr
    result = accord(cli_db, "user", "create", again, "--password-stdin", stdin="y" * 12)
    assert result.returncode != 0
    assert "already exists" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args, stdin, words",
    [
        (["not-an-email"], "x" * 12, "not an email"),
        (["short@example.org"], "short", "at least 10"),
        (["blank@example.org", "--name", "   "], "x" * 12, "name"),
    ],
)
async def test_bad_user_input_is_refused(
    cli_db: str, args: list[str], stdin: str, words: str
) -> None:
    result = accord(cli_db, "user", "create", *args, "--password-stdin", stdin=stdin)
    assert result.returncode != 0
    assert words in result.stderr and "Traceback" not in result.stderr


async def test_token_create(cli_db: str, client: httpx.AsyncClient) -> None:
    made = accord(cli_db, "user", "create", "tok@example.org", "--password-stdin", stdin="p" * 10)
    assert made.returncode == 0, made.stderr
    result = accord(cli_db, "token", "create", "TOK@example.org", "--name", "nightly export")
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    assert token.startswith("accord_") and "\n" not in token
    headers = {"authorization": f"Bearer {token}"}
    assert (await gql(client, ME, headers=headers))["data"]["me"]["email"] == "tok@example.org"
    tokens = await gql(client, "{ apiTokens { name } }", headers=headers)
    assert tokens["data"]["apiTokens"] == [{"name": "nightly export"}]


async def test_token_create_for_an_unknown_email(cli_db: str) -> None:
    result = accord(cli_db, "token", "create", "nobody@example.org")
    assert result.returncode != 0
    assert "No account uses the email nobody@example.org" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_a_malformed_database_url_names_the_setting() -> None:
    result = accord("mysql://nope", "migrate")
    assert result.returncode != 0
    assert "ACCORD_DATABASE_URL" in result.stderr and "Traceback" not in result.stderr


def _command_paths(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> list[Any]:
    paths = [prefix]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                paths += _command_paths(sub, (*prefix, name))
    return paths


COMMANDS = _command_paths(build_parser())


def test_the_command_tree() -> None:
    expected = {("user", "create"), ("token", "create"), ("serve",), ("migrate",)}
    assert expected <= set(COMMANDS)


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "accord")
def test_help(path: tuple[str, ...]) -> None:
    result = accord(None, *path, "--help")
    assert result.returncode == 0, result.stderr
    assert "usage: accord" in result.stdout
    assert len(result.stdout.splitlines()) >= 4
