"""Site administrators, deactivation, the account list and the login limit,
over HTTP with the real app; sessions and tokens are checked by using them."""

from __future__ import annotations

import asyncio
import secrets
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from accord.auth.cookies import COOKIE_NAME
from accord.db import migrations
from accord.db.pool import create_pool
from accord.db.target import apply_migrations
from accord.demo import loader
from accord.errors import Forbidden
from accord.resources import migrations_dir
from accord.users import admin as site
from accord.users import service as users
from tests.conftest import settings_for
from tests.support import Api, Person, browser, link_token, post

LOGIN = """mutation($e: String!, $p: String!) { login(email: $e, password: $p) {
  __typename ... on User { email isAdmin } ... on UserError { code message } } }"""
ME = "{ me { email isAdmin } }"
CHANGE = """mutation($c: String!, $n: String!) {
  changePassword(currentPassword: $c, newPassword: $n) {
    __typename ... on PasswordChanged { sessionsEnded tokensRevoked user { email } }
    ... on UserError { code message } } }"""
ACCOUNTS = """query($first: Int, $after: String, $search: String) {
  accounts(first: $first, after: $after, search: $search) {
    pageInfo { hasNextPage endCursor }
    edges { node { id email name isAdmin active hasPassword lastLoginAt createdAt } } } }"""
DEACTIVATE = """mutation($u: ID!) { deactivateAccount(userId: $u) {
  __typename ... on Account { active deactivatedAt } ... on UserError { code message } } }"""
REACTIVATE = """mutation($u: ID!) { reactivateAccount(userId: $u) {
  __typename ... on Account { active } ... on UserError { code message } } }"""
SET_ADMIN = """mutation($u: ID!, $a: Boolean!) { setAdministrator(userId: $u, isAdmin: $a) {
  __typename ... on Account { isAdmin } ... on UserError { code message } } }"""
CLEAR = """mutation($e: String!) { clearLoginLimit(email: $e) {
  __typename ... on LoginLimitCleared { email failuresCleared } ... on UserError { code } } }"""
ISSUE = """mutation($u: ID!) { issuePasswordReset(userId: $u) {
  __typename ... on IssuedPasswordReset { link expiresAt account { email } }
  ... on UserError { code message } } }"""
PREVIEW = """query($t: String!) { passwordReset(token: $t) {
  email name status valid problem expiresAt } }"""
RESET = """mutation($t: String!, $p: String!) { resetPassword(token: $t, password: $p) {
  __typename ... on User { email } ... on UserError { code message } } }"""
NEW_PASSWORD = "tide tables at dawn"


async def admin(api: Api) -> Person:
    person = await api.person("admin")
    async with api.pool.acquire() as conn:
        await conn.execute("UPDATE users SET is_admin = true WHERE id = $1::uuid", person.id)
    return person


async def plain(api: Api) -> Person:
    """A person who is surely no administrator, even if the database was empty."""
    await api.person("first")
    person = await api.person("plain")
    async with api.pool.acquire() as conn:
        assert not await conn.fetchval("SELECT is_admin FROM users WHERE id = $1::uuid", person.id)
    return person


async def login(client: httpx.AsyncClient, email: str, password: str) -> dict[str, Any]:
    answer: dict[str, Any] = (await post(client, LOGIN, e=email, p=password))["data"]["login"]
    return answer


async def me(client: httpx.AsyncClient, token: str | None = None) -> str | None:
    """The caller's email, or the error code when the credentials no longer work."""
    headers = {"authorization": f"Bearer {token}"} if token else {}
    body = (await client.post("/graphql", json={"query": ME}, headers=headers)).json()
    if body.get("errors"):
        code: str = body["errors"][0]["extensions"]["code"]
        return code
    email: str = body["data"]["me"]["email"]
    return email


# The first account is the administrator.


async def test_the_first_account_on_an_empty_database_is_an_administrator(
    make_database: Callable[[], Awaitable[str]],
) -> None:
    url = await make_database()
    await apply_migrations(url)
    conn = await asyncpg.connect(url)
    try:
        async with conn.transaction():
            placeholder = await users.create_user(conn, "import@x.invalid", "Imported", None)
        async with conn.transaction():
            first = await users.create_user(conn, "first@example.org", "First", NEW_PASSWORD)
        async with conn.transaction():
            second = await users.create_user(conn, "second@example.org", "Two", NEW_PASSWORD)
        async with conn.transaction():
            chosen = await users.create_user(
                conn, "third@example.org", "Three", NEW_PASSWORD, is_admin=True
            )
    finally:
        await conn.close()
    # A placeholder that cannot log in never administers; on a non-empty database the
    # first real account is no longer "first".
    assert (placeholder.is_admin, first.is_admin, second.is_admin) == (False, False, False)
    assert chosen.is_admin

    url = await make_database()
    await apply_migrations(url)
    one, two = await asyncpg.connect(url), await asyncpg.connect(url)
    try:

        async def make(conn: asyncpg.Connection, email: str) -> bool:
            async with conn.transaction():
                made = await users.create_user(conn, email, None, NEW_PASSWORD)
                await asyncio.sleep(0.05)  # hold the transaction open while the other tries
            return made.is_admin

        admins = await asyncio.gather(make(one, "a@example.org"), make(two, "b@example.org"))
    finally:
        await one.close()
        await two.close()
    assert sorted(admins) == [False, True]


async def test_demo_accounts_never_administer(
    make_database: Callable[[], Awaitable[str]], tmp_path: Path
) -> None:
    """Their passwords are printed for all to see: neither loading the demo on an empty
    database nor upgrading a database that holds it makes a demo account administrator."""
    url = await make_database()
    await apply_migrations(url)
    pool = await create_pool(url, settings_for(url), max_size=2)
    try:
        async with pool.acquire() as conn:
            await loader.load(conn, settings_for(url))
            assert not await conn.fetchval("SELECT bool_or(is_admin) FROM users")
    finally:
        await pool.close()

    older = tmp_path / "before-0007"
    older.mkdir()
    for path in sorted(migrations_dir().glob("*.sql")):
        if path.name < "0007":
            shutil.copy(path, older)
    url = await make_database()
    conn = await asyncpg.connect(url)
    try:
        await migrations.migrate(conn, older)
        demo, real, _placeholder = await conn.fetch(
            "INSERT INTO users (email, name, password_hash, created_at) VALUES "
            "('demo@demo.accord', 'Demo', 'h', now() - interval '2 days'), "
            "('pi@example.org', 'PI', 'h', now() - interval '1 day'), "
            "('placeholder@x.invalid', 'Imported', NULL, now() - interval '3 days') "
            "RETURNING id"
        )
        project = await conn.fetchval(
            "INSERT INTO projects (name, created_by) VALUES ('Demo', $1) RETURNING id", demo["id"]
        )
        await conn.execute(
            "INSERT INTO project_members (project_id, user_id, role) VALUES ($1, $2, 'LEAD')",
            project,
            demo["id"],
        )
        await conn.execute(
            "INSERT INTO demo_studies (marker, project_id) VALUES ('demo', $1)", project
        )
        await migrations.migrate(conn)
        admins = await conn.fetch("SELECT id FROM users WHERE is_admin")
    finally:
        await conn.close()
    assert [a["id"] for a in admins] == [real["id"]]


async def test_me_tells_whether_the_caller_is_an_administrator(api: Api) -> None:
    boss, person = await admin(api), await plain(api)
    assert (await api.gql(ME, as_=boss))["me"]["isAdmin"] is True
    assert (await api.gql(ME, as_=person))["me"]["isAdmin"] is False


# Deactivation.


async def test_deactivation_ends_sessions_and_tokens_and_refuses_login(
    api: Api, browser_app: Any
) -> None:
    boss, person = await admin(api), await api.person("leaving")
    async with browser(browser_app) as session:
        await login(session, person.email, person.password)
        done = (await api.gql(DEACTIVATE, {"u": person.id}, as_=boss))["deactivateAccount"]
        assert done["active"] is False and done["deactivatedAt"]
        assert await me(session) == "UNAUTHENTICATED"
        assert await me(session, person.token) == "UNAUTHENTICATED"
    async with browser(browser_app) as client:
        wrong = await login(client, person.email, "not-the-password")
        assert wrong["code"] == "UNAUTHENTICATED" and "deactivated" not in wrong["message"]
        right = await login(client, person.email, person.password)
        assert right["code"] == "FORBIDDEN" and "deactivated" in right["message"]
        assert COOKIE_NAME not in client.cookies
    again = (await api.gql(DEACTIVATE, {"u": person.id}, as_=boss))["deactivateAccount"]
    assert again["active"] is False

    back = (await api.gql(REACTIVATE, {"u": person.id}, as_=boss))["reactivateAccount"]
    assert back == {"__typename": "Account", "active": True}
    async with browser(browser_app) as client:
        assert (await login(client, person.email, person.password))["__typename"] == "User"
        assert await me(client, person.token) == "UNAUTHENTICATED"  # old tokens stay ended


async def test_administration_is_for_administrators(api: Api) -> None:
    boss, person, other = await admin(api), await plain(api), await api.person("other")
    for query, variables, field in (
        (DEACTIVATE, {"u": other.id}, "deactivateAccount"),
        (REACTIVATE, {"u": other.id}, "reactivateAccount"),
        (SET_ADMIN, {"u": person.id, "a": True}, "setAdministrator"),
        (CLEAR, {"e": other.email}, "clearLoginLimit"),
        (ISSUE, {"u": other.id}, "issuePasswordReset"),
    ):
        refused = (await api.gql(query, variables, as_=person))[field]
        assert refused["code"] == "FORBIDDEN", (field, refused)
    assert await api.error_code(ACCOUNTS, {}, as_=person) == "FORBIDDEN"
    assert await api.error_code(ACCOUNTS, {}) == "UNAUTHENTICATED"
    assert await me(api.client, other.token) == other.email  # nothing happened to it

    unknown = "00000000-0000-0000-0000-000000000000"
    assert (await api.gql(DEACTIVATE, {"u": unknown}, as_=boss))["deactivateAccount"][
        "code"
    ] == "NOT_FOUND"
    own = (await api.gql(DEACTIVATE, {"u": boss.id}, as_=boss))["deactivateAccount"]
    assert own["code"] == "FORBIDDEN" and "your own account" in own["message"]


async def test_the_last_administrator_stays_one(
    make_database: Callable[[], Awaitable[str]],
) -> None:
    url = await make_database()
    await apply_migrations(url)
    pool = await create_pool(url, settings_for(url), max_size=2)
    try:
        async with pool.acquire() as conn, conn.transaction():
            only = await users.create_user(conn, "only@example.org", None, NEW_PASSWORD)
            other = await users.create_user(conn, "other@example.org", None, NEW_PASSWORD)
        assert only.is_admin and not other.is_admin
        for step in (site.set_admin, site.deactivate):
            args = (False,) if step is site.set_admin else ()
            with pytest.raises(Forbidden, match="at least one active site administrator"):
                async with pool.acquire() as conn, conn.transaction():
                    await step(conn, None, only.id, *args)  # type: ignore[operator]
        async with pool.acquire() as conn, conn.transaction():
            await site.set_admin(conn, None, other.id, True)
        async with pool.acquire() as conn, conn.transaction():
            assert not (await site.set_admin(conn, None, only.id, False)).is_admin
    finally:
        await pool.close()


async def test_accounts_list_pages_and_searches(api: Api) -> None:
    boss = await admin(api)
    tag = secrets.token_hex(3)
    made = [await api.person(f"listed-{tag}-{i}") for i in range(3)]
    async with api.pool.acquire() as conn:
        await conn.execute("UPDATE users SET password_hash = NULL WHERE id = $1::uuid", made[2].id)
    first = (await api.gql(ACCOUNTS, {"first": 2, "search": tag}, as_=boss))["accounts"]
    assert [e["node"]["email"] for e in first["edges"]] == [made[0].email, made[1].email]
    assert first["pageInfo"]["hasNextPage"] is True
    rest = (
        await api.gql(
            ACCOUNTS,
            {"first": 2, "search": tag.upper(), "after": first["pageInfo"]["endCursor"]},
            as_=boss,
        )
    )["accounts"]
    assert [e["node"]["email"] for e in rest["edges"]] == [made[2].email]
    assert rest["pageInfo"]["hasNextPage"] is False
    node = rest["edges"][0]["node"]
    assert node["active"] is True and node["isAdmin"] is False and node["hasPassword"] is False
    assert node["lastLoginAt"] is None
    bad = await api.error_code(ACCOUNTS, {"first": 0}, as_=boss)
    assert bad == "INVALID_INPUT"


async def test_clearing_the_login_limit_lets_an_email_log_in_again(
    api: Api, browser_app: Any
) -> None:
    boss, person = await admin(api), await api.person("locked")
    async with browser(browser_app) as client:
        for _ in range(5):
            assert (await login(client, person.email, "wrong-password"))[
                "code"
            ] == "UNAUTHENTICATED"
        assert (await login(client, person.email, person.password))["code"] == "RATE_LIMITED"
        cleared = (await api.gql(CLEAR, {"e": person.email.upper()}, as_=boss))["clearLoginLimit"]
        assert cleared == {
            "__typename": "LoginLimitCleared",
            "email": person.email,
            "failuresCleared": 5,
        }
        answer = await login(client, person.email, person.password)
        assert answer == {"__typename": "User", "email": person.email, "isAdmin": False}
    listed = (await api.gql(ACCOUNTS, {"search": person.email}, as_=boss))["accounts"]
    assert listed["edges"][0]["node"]["lastLoginAt"] is not None


async def test_account_events_hold_no_secrets(api: Api, browser_app: Any) -> None:
    boss, person = await admin(api), await api.person("audited")
    token = link_token(
        (await api.gql(ISSUE, {"u": person.id}, as_=boss))["issuePasswordReset"]["link"]
    )
    async with browser(browser_app) as owner:
        await post(owner, RESET, t=token, p=NEW_PASSWORD)
        await post(owner, CHANGE, c=NEW_PASSWORD, n=NEW_PASSWORD + " again")
    await api.gql(DEACTIVATE, {"u": person.id}, as_=boss)
    await api.gql(REACTIVATE, {"u": person.id}, as_=boss)
    await api.gql(CLEAR, {"e": person.email}, as_=boss)
    async with api.pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT kind, actor_id::text AS actor, after::text AS a FROM events "
            "WHERE subject_id = $1 OR after->>'email' = $2 ORDER BY id",
            person.id,
            person.email,
        )
    kinds = [r["kind"] for r in rows]
    assert kinds == [
        "account.password_reset_issued",
        "account.password_reset",
        "account.password_changed",
        "account.deactivated",
        "account.reactivated",
        "account.login_limit_cleared",
    ]
    assert rows[0]["actor"] == boss.id and rows[1]["actor"] == person.id
    text = " ".join(r["a"] for r in rows)
    for secret in (token, NEW_PASSWORD, person.password):
        assert secret not in text
