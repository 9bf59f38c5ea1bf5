"""The account, project and member commands, run as real processes on the test database,
checked through the real app; and run beside a live `accord serve` on an embedded data dir."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.processes import Server, postgres_for, run_cli, serve_env, wait_no_postgres
from tests.support import Api, browser, link_token, post
from tests.test_cli import accord

LOGIN = """mutation($e: String!, $p: String!) { login(email: $e, password: $p) {
  __typename ... on UserError { code message } } }"""
ME = "{ me { email isAdmin } }"
PASSWORD = "lanterns over the fjord"


def _email(name: str) -> str:
    return f"{name}-{secrets.token_hex(4)}@example.org"


def ok(database_url: str, *args: str, stdin: str | None = None) -> str:
    done = accord(database_url, *args, stdin=stdin)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout


def refused(database_url: str, *args: str, stdin: str | None = None) -> str:
    done = accord(database_url, *args, stdin=stdin)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and done.stdout == ""
    return done.stderr


async def login(app: Any, email: str, password: str) -> dict[str, Any]:
    async with browser(app) as client:
        answer: dict[str, Any] = (await post(client, LOGIN, e=email, p=password))["data"]["login"]
        return answer


async def test_user_commands(database_url: str, api: Api, browser_app: Any) -> None:
    email = _email("ops")
    made = ok(database_url, "user", "create", email, "--admin", "--password-stdin", stdin=PASSWORD)
    assert "site administrator" in made
    other = _email("member")
    ok(
        database_url,
        "user",
        "create",
        other,
        "--name",
        "Mo Member",
        "--password-stdin",
        stdin=PASSWORD,
    )
    token = ok(database_url, "token", "create", other).strip()

    listed = ok(database_url, "user", "list", "--search", other.split("@")[0])
    lines = listed.splitlines()
    assert lines[0].split() == ["EMAIL", "NAME", "ADMIN", "ACTIVE", "LAST", "LOGIN"]
    assert lines[1].split() == [other, "Mo", "Member", "no", "yes", "never"]
    assert email in ok(database_url, "user", "list")

    weak = refused(
        database_url, "user", "set-password", other, "--password-stdin", stdin="qwertyuiop"
    )
    assert "among the most common" in weak
    assert await _me(api, token) == other  # a refused change ends nothing
    out = ok(database_url, "user", "set-password", other, "--password-stdin", stdin=PASSWORD + "!")
    assert "revoked 1 API token" in out
    assert await _me(api, token) == "UNAUTHENTICATED"
    assert (await login(browser_app, other, PASSWORD + "!"))["__typename"] == "User"

    assert "is deactivated" in ok(database_url, "user", "deactivate", other.upper())
    answer = await login(browser_app, other, PASSWORD + "!")
    assert answer["code"] == "FORBIDDEN" and "deactivated" in answer["message"]
    row = ok(database_url, "user", "list", "--search", other).splitlines()[1]
    assert re.match(rf"{re.escape(other)}\s+Mo Member\s+no\s+no\s+\d{{4}}-", row), row
    assert "is active" in ok(database_url, "user", "reactivate", other)
    assert (await login(browser_app, other, PASSWORD + "!"))["__typename"] == "User"

    for _ in range(5):
        await login(browser_app, other, "wrong password!")
    assert (await login(browser_app, other, PASSWORD + "!"))["code"] == "RATE_LIMITED"
    assert f"cleared 5 failed login(s) for {other}" in ok(database_url, "user", "unlock", other)
    assert (await login(browser_app, other, PASSWORD + "!"))["__typename"] == "User"

    assert "is a site administrator" in ok(database_url, "user", "set-admin", other)
    assert "is not a site administrator" in ok(database_url, "user", "set-admin", other, "--revoke")

    unknown = refused(database_url, "user", "deactivate", "nobody@example.org")
    assert "No account uses the email nobody@example.org" in unknown


async def test_reset_link_from_the_command_line(
    database_url: str, api: Api, browser_app: Any
) -> None:
    person = await api.person("forgot")
    done = accord(
        database_url, "user", "reset-link", person.email, "--base-url", "https://qda.example.org/"
    )
    assert done.returncode == 0, done.stderr
    link = done.stdout.strip()
    assert re.fullmatch(r"https://qda\.example\.org/reset/[A-Za-z0-9_-]{40,}", link), link
    assert "works once, within 48 hours" in done.stderr
    async with browser(browser_app) as owner:
        reset = await post(
            owner,
            """mutation($t: String!, $p: String!) { resetPassword(token: $t, password: $p) {
                 __typename ... on UserError { message } } }""",
            t=link_token(link),
            p=PASSWORD,
        )
    assert reset["data"]["resetPassword"]["__typename"] == "User", reset
    assert await _me(api, person.token) == "UNAUTHENTICATED"


async def test_project_and_member_commands(
    database_url: str, api: Api, browser_app: Any, tmp_path: Path
) -> None:
    lead, coder = await api.person("lead"), await api.person("coder")
    name = f"Peer support {secrets.token_hex(3)}"
    made = ok(database_url, "project", "create", name, "--as", lead.email, "--description", "STC")
    project = re.search(r"created project ([0-9a-f-]{36})", made)
    assert project, made
    pid = project.group(1)

    mine = ok(database_url, "project", "list", "--as", lead.email).splitlines()
    assert mine[0].split() == ["ID", "NAME", "STATUS", "ROLE"]
    assert any(line.startswith(pid) and line.split()[-1] == "LEAD" for line in mine)
    every = ok(database_url, "project", "list")
    assert any(pid in line and lead.email in line for line in every.splitlines())

    added = ok(database_url, "member", "add", name, coder.email, "--role", "coder")
    assert f"added {coder.email}" in added and "coder" in added and "http" not in added
    role = await api.gql("query($p: ID!) { project(id: $p) { myRole } }", {"p": pid}, as_=coder)
    assert role["project"]["myRole"] == "CODER"
    again = refused(database_url, "member", "add", pid, coder.email, "--role", "viewer")
    assert "already a member" in again

    newcomer = _email("newcomer")
    invited = ok(database_url, "member", "add", pid, newcomer, "--role", "VIEWER")
    assert "No account uses" in invited
    link = invited.strip().splitlines()[-1]
    assert link.startswith("http://127.0.0.1:8000/invite/")
    async with browser(browser_app) as person:
        accepted = await post(
            person,
            """mutation($t: String!, $n: String!, $p: String!) {
                 acceptInvitation(token: $t, name: $n, password: $p) {
                   __typename ... on InvitationAccepted { project { id myRole } } } }""",
            t=link_token(link),
            n="New Comer",
            p=PASSWORD,
        )
    assert accepted["data"]["acceptInvitation"]["project"] == {"id": pid, "myRole": "VIEWER"}

    out = tmp_path / "project.json"
    ok(database_url, "export", name, "--format", "json", "-o", str(out))
    assert pid in out.read_text(encoding="utf-8")
    transcript = tmp_path / "interview.txt"
    transcript.write_text("Interviewer: Hvordan?\nP01: Slik.\n", encoding="utf-8")
    assert f"imported into project {pid}" in ok(
        database_url, "import", str(transcript), "--project", name
    )

    twin = re.search(
        r"created project ([0-9a-f-]{36})",
        ok(database_url, "project", "create", name, "--as", lead.email),
    )
    assert twin
    ambiguous = refused(database_url, "export", name, "--format", "json", "-o", str(out))
    assert "2 projects are named" in ambiguous and pid in ambiguous and twin.group(1) in ambiguous
    assert "2 projects are named" in refused(
        database_url, "member", "add", name, _email("x"), "--role", "coder"
    )
    missing = refused(database_url, "export", "No such study", "--format", "json", "-o", str(out))
    assert "No project has the id or the name 'No such study'" in missing
    not_lead = refused(
        database_url, "member", "add", pid, _email("y"), "--role", "coder", "--as", coder.email
    )
    assert "may not add, change or remove members" in not_lead
    bad_role = accord(database_url, "member", "add", pid, _email("z"), "--role", "boss")
    assert bad_role.returncode == 2 and "invalid choice" in bad_role.stderr


async def _me(api: Api, token: str) -> str:
    body = (
        await api.client.post(
            "/graphql", json={"query": ME}, headers={"authorization": f"Bearer {token}"}
        )
    ).json()
    if body.get("errors"):
        code: str = body["errors"][0]["extensions"]["code"]
        return code
    email: str = body["data"]["me"]["email"]
    return email


@pytest.mark.slow
def test_commands_share_the_data_dir_of_a_running_server(
    pg_tmp: Path, servers: Callable[[dict[str, str]], Server]
) -> None:
    data_dir = pg_tmp / "data"
    env = serve_env(data_dir)
    server = servers(env)
    try:
        server.wait_ready()
        assert "site administrator" in run_cli(
            env, "user", "create", "pi@example.org", "--password-stdin", stdin=PASSWORD
        )
        token = run_cli(env, "token", "create", "pi@example.org").strip()
        made = run_cli(env, "project", "create", "Doctors' help-seeking", "--as", "pi@example.org")
        assert "created project" in made
        out = run_cli(
            env, "member", "add", "Doctors' help-seeking", "ra@example.org", "--role", "coder",
            "--base-url", server.base,
        )  # fmt: skip
        link = out.strip().splitlines()[-1]
        assert link.startswith(server.base + "/invite/")
        assert httpx.get(link).status_code == 200  # the page behind the link
        preview = server.gql(
            "query($t: String!) { invitation(token: $t) { projectName status } }",
            token,
            {"t": link_token(link)},
        )
        assert preview["data"]["invitation"] == {
            "projectName": "Doctors' help-seeking",
            "status": "OPEN",
        }
        assert "pi@example.org" in run_cli(env, "user", "list")
        assert "Doctors' help-seeking" in run_cli(env, "project", "list", "--as", "pi@example.org")
        reset = run_cli(env, "user", "reset-link", "pi@example.org", "--base-url", server.base)
        assert reset.strip().startswith(server.base + "/reset/")
        assert server.gql(ME, token)["data"]["me"] == {"email": "pi@example.org", "isAdmin": True}
        assert server.process.poll() is None
        assert server.stop() == 0, server.stderr
        assert not wait_no_postgres(data_dir)
    finally:
        for proc in postgres_for(data_dir):
            proc.kill()
