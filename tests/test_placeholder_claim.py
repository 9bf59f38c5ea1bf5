"""Claimable placeholders (issue 14, point 10): an imported user whose id is an email
address becomes a placeholder the person with that address takes over, codings and all,
by an invitation to the project or by `accord user create`; never across projects, never
into a deactivated account, and without an invitation's answers telling anyone that a
placeholder was there."""

from __future__ import annotations

import re
import secrets
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any

import asyncpg

from accord.exchange.accounts import PLACEHOLDER_DOMAIN
from accord.interop import ExchangeUser, write_qdpx
from accord.users import admin
from tests.interop.sample import sample_project
from tests.support import Api, Person, browser, link_token, post
from tests.test_cli import accord
from tests.test_import import _upload

IMPORT_PROJECT = """mutation($f: Upload!) { importProject(file: $f) {
  __typename
  ... on ImportResult { project { id } users { name email matchedBy account { id email } } }
  ... on UserError { message code } } }"""
ACCEPT = """mutation($t: String!, $n: String!, $pw: String!) {
  acceptInvitation(token: $t, name: $n, password: $pw) {
    __typename
    ... on InvitationAccepted { user { id email name } project { id name myRole } }
    ... on UserError { code message } } }"""
JOIN = """mutation($t: String!) { joinByInvitation(token: $t) {
  __typename ... on InvitationAccepted { user { id email } project { id myRole } }
  ... on UserError { code message } } }"""
PREVIEW = """query($t: String!) { invitation(token: $t) {
  projectName invitedByName email role status valid problem } }"""
LOGIN = """mutation($e: String!, $p: String!) { login(email: $e, password: $p) {
  __typename ... on User { id email } ... on UserError { code message } } }"""
MINE = "{ me { id email } projects { id name } }"
PASSWORD = "a quiet harbour 42"
# In the sample project, Alice Berg made 3 codings and Bjørn Dahl 2.
ALICE_CODINGS = 3
BJORN_CODINGS = 2


def _email(name: str) -> str:
    return f"{name}-{secrets.token_hex(4)}@example.org"


async def _import(api: Api, lead: Person, alice: str, bjorn: str) -> tuple[str, dict[str, str]]:
    """Import the sample project naming these addresses (none where empty); (project id,
    address → account id)."""
    exchange = sample_project()
    first, second, consensus = exchange.users
    exchange.users = [
        ExchangeUser(first.guid, first.name, alice or None),
        ExchangeUser(second.guid, second.name, bjorn or None),
        consensus,
    ]
    body = await _upload(api, IMPORT_PROJECT, {}, "study.qdpx", write_qdpx(exchange), lead)
    result = body["data"]["importProject"]
    assert result["__typename"] == "ImportResult", body
    accounts = {u["email"] or u["name"]: u["account"]["id"] for u in result["users"]}
    return result["project"]["id"], accounts


async def _codings(pool: asyncpg.Pool, project: str, user: str) -> int:
    count: int = await pool.fetchval(
        "SELECT count(*) FROM codings WHERE project_id = $1::uuid AND coder_id = $2::uuid",
        project,
        user,
    )
    return count


async def _account(pool: asyncpg.Pool, user: str) -> asyncpg.Record:
    row = await pool.fetchrow(
        "SELECT email, claim_email, password_hash IS NOT NULL AS can_log_in, "
        "deactivated_at IS NOT NULL AS deactivated FROM users WHERE id = $1::uuid",
        user,
    )
    assert row is not None
    return row


async def _members(pool: asyncpg.Pool, project: str) -> dict[str, str]:
    rows = await pool.fetch(
        "SELECT user_id::text, role FROM project_members WHERE project_id = $1::uuid", project
    )
    return {r["user_id"]: r["role"] for r in rows}


def _shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    return type(value).__name__


async def test_accepting_an_invitation_makes_the_placeholder_the_account(
    api: Api, pool: asyncpg.Pool, browser_app: Any
) -> None:
    lead = await api.person("lead")
    alice, bjorn = _email("alice"), _email("bjorn")
    project, accounts = await _import(api, lead, alice, bjorn)
    placeholder = accounts[alice]
    before = await _account(pool, placeholder)
    assert before["claim_email"] == alice and not before["can_log_in"]
    assert before["email"] != alice  # the placeholder never holds the file's address
    assert await _codings(pool, project, placeholder) == ALICE_CODINGS

    link = await api.invite(lead, project, alice.upper(), "CODER")
    async with browser(browser_app) as person:
        body = await post(person, ACCEPT, t=link_token(link), n="Alice Berg", pw=PASSWORD)
        answer = body["data"]["acceptInvitation"]
        assert answer["__typename"] == "InvitationAccepted", answer
        # The claim matches the address in any case; the account takes it as invited.
        assert answer["user"] == {"id": placeholder, "email": alice.upper(), "name": "Alice Berg"}
        assert answer["project"]["myRole"] == "CODER"
        mine = (await post(person, MINE))["data"]
        assert mine["me"] == {"id": placeholder, "email": alice.upper()}
        assert [p["id"] for p in mine["projects"]] == [project]

    after = await _account(pool, placeholder)
    assert after["email"] == alice.upper() and after["claim_email"] is None
    assert after["can_log_in"]
    assert await _codings(pool, project, placeholder) == ALICE_CODINGS
    assert (await _members(pool, project))[placeholder] == "CODER"
    # Bjørn's placeholder is another person's: untouched.
    assert (await _account(pool, accounts[bjorn]))["claim_email"] == bjorn
    kinds = await pool.fetch(
        "SELECT kind, subject_id FROM events WHERE project_id = $1::uuid ORDER BY id", project
    )
    assert ("member.claimed", placeholder) in [(k["kind"], k["subject_id"]) for k in kinds]


async def test_an_invitation_answers_alike_with_or_without_a_placeholder(
    api: Api, pool: asyncpg.Pool, browser_app: Any
) -> None:
    """Blinding: nobody learns from an invitation's answers that a placeholder was
    claimed, and an invitation to another project claims nothing."""
    lead = await api.person("lead")
    alice, bjorn, plain = _email("alice"), _email("bjorn"), _email("plain")
    project, accounts = await _import(api, lead, alice, bjorn)
    other = await api.project(lead, "Another study")

    answers = []
    for address in (alice, plain):
        link = await api.invite(lead, project, address, "CODER")
        preview = (await api.gql(PREVIEW, {"t": link_token(link)}))["invitation"]
        assert preview["email"] == address and preview["problem"] is None
        async with browser(browser_app) as person:
            body = await post(person, ACCEPT, t=link_token(link), n="Some One", pw=PASSWORD)
        answers.append((preview, body))
    (preview_a, body_a), (preview_b, body_b) = answers
    assert {k: v for k, v in preview_a.items() if k != "email"} == {
        k: v for k, v in preview_b.items() if k != "email"
    }
    assert body_a.keys() == body_b.keys() == {"data"}
    accept_a = body_a["data"]["acceptInvitation"]
    accept_b = body_b["data"]["acceptInvitation"]
    assert _shape(accept_a) == _shape(accept_b)
    assert accept_a["project"] == accept_b["project"]

    # An invitation to another project for Bjørn's address makes a new account and leaves
    # the placeholder where it is.
    link = await api.invite(lead, other, bjorn, "CODER")
    async with browser(browser_app) as person:
        body = await post(person, ACCEPT, t=link_token(link), n="Bjørn", pw=PASSWORD)
        answer = body["data"]["acceptInvitation"]
        assert answer["__typename"] == "InvitationAccepted", answer
        assert answer["user"]["id"] != accounts[bjorn]
        mine = (await post(person, MINE))["data"]
        assert [p["id"] for p in mine["projects"]] == [other]
    assert (await _account(pool, accounts[bjorn]))["claim_email"] == bjorn
    assert await _codings(pool, project, accounts[bjorn]) == BJORN_CODINGS


async def test_joining_with_an_existing_account_takes_over_the_layer(
    api: Api, pool: asyncpg.Pool
) -> None:
    lead = await api.person("lead")
    real = await api.person("alice")  # an account the importer shares nothing with
    project, accounts = await _import(api, lead, real.email, _email("bjorn"))
    placeholder = accounts[real.email]
    assert placeholder != real.id

    link = await api.invite(lead, project, real.email, "VIEWER")
    answer = (await api.gql(JOIN, {"t": link_token(link)}, as_=real))["joinByInvitation"]
    assert answer["__typename"] == "InvitationAccepted", answer
    assert answer["user"]["id"] == real.id and answer["project"]["myRole"] == "VIEWER"

    assert await _codings(pool, project, real.id) == ALICE_CODINGS
    assert await _codings(pool, project, placeholder) == 0
    members = await _members(pool, project)
    assert members.get(real.id) == "VIEWER" and placeholder not in members
    gone = await _account(pool, placeholder)
    assert gone["deactivated"] and gone["claim_email"] is None
    layers = await pool.fetchval(
        "SELECT count(*) FROM memos WHERE project_id = $1::uuid AND $2::uuid IN "
        "(author_id, layer_user_id, target_layer_user_id)",
        project,
        placeholder,
    )
    assert layers == 0


async def test_no_claim_into_a_deactivated_or_existing_account(
    api: Api, pool: asyncpg.Pool, browser_app: Any, database_url: str
) -> None:
    lead = await api.person("lead")
    gone = await api.person("gone")
    taken = await api.person("taken")
    async with pool.acquire() as conn, conn.transaction():
        await admin.deactivate(conn, None, gone.id)
    project, accounts = await _import(api, lead, gone.email, taken.email)

    for who in (gone, taken):
        # The link for a new account is refused: that address has an account already.
        link = await api.invite(lead, project, who.email, "CODER")
        async with browser(browser_app) as person:
            body = await post(person, ACCEPT, t=link_token(link), n="Who", pw=PASSWORD)
        answer = body["data"]["acceptInvitation"]
        assert answer["code"] == "CONFLICT" and "already exists" in answer["message"]
        # So is the operator's `accord user create`.
        done = accord(database_url, "user", "create", who.email, "--password-stdin", stdin=PASSWORD)
        assert done.returncode == 2 and "already exists" in done.stderr
    # The deactivated account cannot log in to join, and the operator adding it takes
    # nothing over either.
    done = accord(database_url, "member", "add", project, gone.email, "--role", "coder")
    assert done.returncode == 0, done.stderr
    for who in (gone, taken):
        placeholder = await _account(pool, accounts[who.email])
        assert placeholder["claim_email"] == who.email and not placeholder["deactivated"]
    assert await _codings(pool, project, gone.id) == 0
    assert await _codings(pool, project, accounts[gone.email]) == ALICE_CODINGS
    # The active account, added by the operator, does take its placeholder's layer over.
    done = accord(database_url, "member", "add", project, taken.email, "--role", "coder")
    assert done.returncode == 0, done.stderr
    assert await _codings(pool, project, taken.id) == BJORN_CODINGS
    assert accounts[taken.email] not in await _members(pool, project)


async def test_a_deactivated_placeholder_is_not_claimed(
    api: Api, pool: asyncpg.Pool, browser_app: Any
) -> None:
    lead = await api.person("lead")
    alice = _email("alice")
    project, accounts = await _import(api, lead, alice, _email("bjorn"))
    async with pool.acquire() as conn, conn.transaction():
        await admin.deactivate(conn, None, accounts[alice])
    link = await api.invite(lead, project, alice, "CODER")
    async with browser(browser_app) as person:
        body = await post(person, ACCEPT, t=link_token(link), n="Alice", pw=PASSWORD)
    answer = body["data"]["acceptInvitation"]
    assert answer["__typename"] == "InvitationAccepted", answer
    assert answer["user"]["id"] != accounts[alice]
    assert await _codings(pool, project, accounts[alice]) == ALICE_CODINGS
    assert await _codings(pool, project, answer["user"]["id"]) == 0


async def test_user_create_claims_every_placeholder_of_the_address(
    api: Api, pool: asyncpg.Pool, database_url: str, browser_app: Any
) -> None:
    first_lead, second_lead = await api.person("lead"), await api.person("lead")
    bjorn = _email("bjorn")
    first, accounts = await _import(api, first_lead, _email("alice"), bjorn)
    second, later = await _import(api, second_lead, _email("alice"), bjorn.upper())

    done = accord(database_url, "user", "create", bjorn, "--password-stdin", stdin=PASSWORD)
    assert done.returncode == 0, done.stderr
    found = re.search(r"created user (\S+) \((.+)\), id ([0-9a-f-]{36})", done.stdout)
    assert found and found.group(1) == bjorn and found.group(2) == "Bjørn Dahl"
    assert found.group(3) == accounts[bjorn]  # the oldest placeholder is the account
    assert "took over the placeholder" in done.stdout and "'Peer support study'" in done.stdout

    user = accounts[bjorn]
    assert await _codings(pool, first, user) == BJORN_CODINGS
    assert await _codings(pool, second, user) == BJORN_CODINGS
    assert (await _members(pool, second)).get(user) == "CODER"
    assert (await _account(pool, later[bjorn.upper()]))["deactivated"]
    async with browser(browser_app) as person:  # the shared client keeps no cookies
        login = (await post(person, LOGIN, e=bjorn, p=PASSWORD))["data"]["login"]
    assert login == {"__typename": "User", "id": user, "email": bjorn}

    again = accord(database_url, "user", "create", bjorn, "--password-stdin", stdin=PASSWORD)
    assert again.returncode == 2 and "already exists" in again.stderr


async def test_a_bad_password_claims_nothing(
    api: Api, pool: asyncpg.Pool, database_url: str
) -> None:
    lead = await api.person("lead")
    alice = _email("alice")
    project, accounts = await _import(api, lead, alice, _email("bjorn"))
    done = accord(database_url, "user", "create", alice, "--password-stdin", stdin="short")
    assert done.returncode == 2 and "characters" in done.stderr
    assert (await _account(pool, accounts[alice]))["claim_email"] == alice
    assert await _codings(pool, project, accounts[alice]) == ALICE_CODINGS


async def test_a_placeholder_left_as_the_only_lead_stays_lead_when_claimed(
    api: Api, pool: asyncpg.Pool, browser_app: Any
) -> None:
    lead = await api.person("lead")
    alice = _email("alice")
    project, accounts = await _import(api, lead, alice, _email("bjorn"))
    link = await api.invite(lead, project, alice, "CODER")
    promote = """mutation($p: ID!, $u: ID!) { changeRole(projectId: $p, userId: $u, role: LEAD) {
      __typename } }"""
    leave = """mutation($p: ID!, $u: ID!) { removeMember(projectId: $p, userId: $u) {
      __typename } }"""
    done = await api.gql(promote, {"p": project, "u": accounts[alice]}, as_=lead)
    assert done["changeRole"]["__typename"] == "Member", done
    done = await api.gql(leave, {"p": project, "u": lead.id}, as_=lead)
    assert done["removeMember"]["__typename"] == "Member", done
    async with browser(browser_app) as person:
        body = await post(person, ACCEPT, t=link_token(link), n="Alice", pw=PASSWORD)
    answer = body["data"]["acceptInvitation"]
    assert answer["user"]["id"] == accounts[alice]
    assert answer["project"]["myRole"] == "LEAD"  # the project keeps a lead


async def test_an_export_gives_a_placeholder_the_files_address_back(
    api: Api, database_url: str, tmp_path: Path
) -> None:
    """Exported again, a placeholder carries the address its file gave (so an import
    elsewhere makes it claimable again), never its made-up one."""
    lead = await api.person("lead")
    alice = _email("alice")
    project, _ = await _import(api, lead, alice, "")
    out = tmp_path / "again.qdpx"
    done = accord(database_url, "export", project, "--format", "qdpx", "-o", str(out))
    assert done.returncode == 0, done.stderr
    root = ET.fromstring(zipfile.ZipFile(out).read("project.qde"))
    ids = {user.get("name"): user.get("id") for user in root.iter("{urn:QDA-XML:project:1.0}User")}
    assert ids["Alice Berg"] == alice
    assert ids["Bjørn Dahl"] is None  # the file gave no address
    assert ids[lead.name] == lead.email
    assert not any(PLACEHOLDER_DOMAIN in (v or "") for v in ids.values())
