"""Changing one's password, and password-reset links, over HTTP with the real app;
sessions and tokens are checked by using them."""

from __future__ import annotations

from typing import Any

from tests.support import Api, browser, link_token, post
from tests.test_accounts import (
    CHANGE,
    DEACTIVATE,
    ISSUE,
    NEW_PASSWORD,
    PREVIEW,
    RESET,
    admin,
    login,
    me,
)


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
        assert preview["problem"] is None and preview["valid"] is True

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
