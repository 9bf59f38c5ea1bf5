"""Site administrators, password changes and resets, deactivation and the login limit,
over HTTP with the real app; sessions and tokens are checked by using them."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import httpx
import pytest

from accord.auth.cookies import COOKIE_NAME
from accord.auth.password_policy import check_new_password, common_passwords, is_common
from accord.db.pool import create_pool
from accord.db.target import apply_migrations
from accord.errors import Forbidden, InvalidInput
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
  email name status problem expiresAt } }"""
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


async def test_me_tells_whether_the_caller_is_an_administrator(api: Api) -> None:
    boss, person = await admin(api), await plain(api)
    assert (await api.gql(ME, as_=boss))["me"]["isAdmin"] is True
    assert (await api.gql(ME, as_=person))["me"]["isAdmin"] is False


# Changing a password.


async def test_change_password_ends_every_other_session_and_token(
    api: Api, browser_app: Any
) -> None:
    person = await api.person("changer")
    async with browser(browser_app) as here, browser(browser_app) as elsewhere:
        assert (await login(here, person.email, person.password))["__typename"] == "User"
        assert (await login(elsewhere, person.email, person.password))["__typename"] == "User"
        changed = (await post(here, CHANGE, c=person.password, n=NEW_PASSWORD))["data"]
        answer = changed["changePassword"]
        assert answer["__typename"] == "PasswordChanged", answer
        assert answer["sessionsEnded"] == 1 and answer["tokensRevoked"] == 1
        assert await me(here) == person.email  # the session that changed it stays
        assert await me(elsewhere) == "UNAUTHENTICATED"
        assert await me(here, person.token) == "UNAUTHENTICATED"
    async with browser(browser_app) as fresh:
        assert (await login(fresh, person.email, person.password))["code"] == "UNAUTHENTICATED"
        assert (await login(fresh, person.email, NEW_PASSWORD))["__typename"] == "User"


async def test_change_password_refuses_bad_input_and_counts_wrong_guesses(
    api: Api, browser_app: Any
) -> None:
    person = await api.person("careful")
    async with browser(browser_app) as client:
        await login(client, person.email, person.password)
        for current, new, code, words in (
            (person.password, "short", "INVALID_INPUT", "at least 10 characters"),
            (person.password, "qwertyuiop", "INVALID_INPUT", "among the most common"),
            (person.password, person.password, "INVALID_INPUT", "the same as the current"),
            ("not-my-password", NEW_PASSWORD, "INVALID_INPUT", "current password is not"),
        ):
            answer = (await post(client, CHANGE, c=current, n=new))["data"]["changePassword"]
            assert answer["code"] == code and words in answer["message"], answer
        assert await me(client) == person.email
        assert await me(client, person.token) == person.email  # nothing ended
        # Wrong current passwords count against the login limit (5 in the tests).
        for _ in range(4):
            await post(client, CHANGE, c="wrong-again", n=NEW_PASSWORD)
        limited = (await post(client, CHANGE, c=person.password, n=NEW_PASSWORD))["data"]
        assert limited["changePassword"]["code"] == "RATE_LIMITED"
    unauthenticated = await api.gql(CHANGE, {"c": "x", "n": NEW_PASSWORD})
    assert unauthenticated["changePassword"]["code"] == "UNAUTHENTICATED"


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


# Password-reset links.


async def test_reset_link_sets_a_password_once_and_ends_credentials(
    api: Api, browser_app: Any
) -> None:
    boss, person = await admin(api), await api.person("forgetful")
    async with browser(browser_app) as old_session:
        await login(old_session, person.email, person.password)
        earlier = (await api.gql(ISSUE, {"u": person.id}, as_=boss))["issuePasswordReset"]
        issued = (await api.gql(ISSUE, {"u": person.id}, as_=boss))["issuePasswordReset"]
        assert issued["link"].startswith("http://testserver/reset/")
        assert issued["account"] == {"email": person.email}
        token = link_token(issued["link"])
        # Issuing alone changes nothing for the account.
        assert await me(old_session) == person.email

        replaced = (await api.gql(PREVIEW, {"t": link_token(earlier["link"])}))["passwordReset"]
        assert replaced["status"] == "REVOKED" and "replaced" in replaced["problem"]
        preview = (await api.gql(PREVIEW, {"t": token}))["passwordReset"]
        assert preview["email"] == person.email and preview["status"] == "OPEN"
        assert preview["problem"] is None

        async with browser(browser_app) as owner:
            weak = (await post(owner, RESET, t=token, p="password1"))["data"]["resetPassword"]
            assert weak["code"] == "INVALID_INPUT" and "at least 10" in weak["message"]
            done = (await post(owner, RESET, t=token, p=NEW_PASSWORD))["data"]["resetPassword"]
            assert done == {"__typename": "User", "email": person.email}
            assert await me(owner) == person.email  # logged in by the reset
            again = (await post(owner, RESET, t=token, p=NEW_PASSWORD + "!"))["data"]
            assert again["resetPassword"]["code"] == "CONFLICT"
            assert "already used" in again["resetPassword"]["message"]
        assert await me(old_session) == "UNAUTHENTICATED"
        assert await me(old_session, person.token) == "UNAUTHENTICATED"
    async with browser(browser_app) as client:
        assert (await login(client, person.email, NEW_PASSWORD))["__typename"] == "User"
    assert await api.error_code(PREVIEW, {"t": "nope"}) == "NOT_FOUND"


async def test_expired_reset_links_and_deactivated_accounts_are_refused(
    api: Api, browser_app: Any
) -> None:
    boss, person = await admin(api), await api.person("late")
    issued = (await api.gql(ISSUE, {"u": person.id}, as_=boss))["issuePasswordReset"]
    token = link_token(issued["link"])
    async with api.pool.acquire() as conn:
        await conn.execute(
            "UPDATE password_resets SET expires_at = now() - interval '1 second' "
            "WHERE user_id = $1::uuid",
            person.id,
        )
    assert (await api.gql(PREVIEW, {"t": token}))["passwordReset"]["status"] == "EXPIRED"
    async with browser(browser_app) as owner:
        late = (await post(owner, RESET, t=token, p=NEW_PASSWORD))["data"]["resetPassword"]
    assert late["code"] == "CONFLICT" and "expired" in late["message"]

    fresh = link_token(
        (await api.gql(ISSUE, {"u": person.id}, as_=boss))["issuePasswordReset"]["link"]
    )
    await api.gql(DEACTIVATE, {"u": person.id}, as_=boss)
    # Deactivating withdrew the open link.
    assert (await api.gql(PREVIEW, {"t": fresh}))["passwordReset"]["status"] == "REVOKED"
    refused = (await api.gql(ISSUE, {"u": person.id}, as_=boss))["issuePasswordReset"]
    assert refused["code"] == "CONFLICT" and "reactivate it first" in refused["message"]


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


# The password rules themselves.


def test_password_rules() -> None:
    assert len(common_passwords()) > 8000
    assert all(len(p) >= 8 for p in common_passwords())
    assert is_common("Password123") and is_common("  QWERTYUIOP ")
    assert not is_common(NEW_PASSWORD)
    check_new_password("k7#qv0pz!m")
    with pytest.raises(InvalidInput, match="at least 10 characters"):
        check_new_password("x" * 9)
    with pytest.raises(InvalidInput, match="at least 12 characters"):
        check_new_password("x" * 11, min_length=12)
    with pytest.raises(InvalidInput, match="at least 10 characters"):
        check_new_password("   123456   ")  # a short common password padded with spaces
    with pytest.raises(InvalidInput, match="most common"):
        check_new_password("iloveyou12")
    with pytest.raises(InvalidInput, match="at most 1024"):
        check_new_password("x" * 1025)
