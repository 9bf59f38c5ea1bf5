"""Invitations over HTTP: a lead invites by email without learning who has an account, the
person accepts through a one-time link, and used, expired and withdrawn links are refused."""

from __future__ import annotations

import secrets
from typing import Any

import asyncpg
import httpx

from accord.auth.cookies import COOKIE_NAME
from tests.support import Api, Person, browser, link_token, post

INVITE = """mutation($p: ID!, $e: String!, $r: Role!) {
  inviteMember(projectId: $p, email: $e, role: $r) {
    __typename
    ... on IssuedInvitation { link invitation { id email role status expiresAt createdAt
                              acceptedAt revokedAt invitedBy { email } acceptedBy { email } } }
    ... on UserError { code message } } }"""
PREVIEW = """query($t: String!) { invitation(token: $t) {
  projectName invitedByName email role status valid expiresAt problem } }"""
ACCEPT = """mutation($t: String!, $n: String!, $pw: String!) {
  acceptInvitation(token: $t, name: $n, password: $pw) {
    __typename
    ... on InvitationAccepted { user { email name } project { id name myRole } }
    ... on UserError { code message } } }"""
JOIN = """mutation($t: String!) { joinByInvitation(token: $t) {
  __typename ... on InvitationAccepted { project { myRole } }
  ... on UserError { code message } } }"""
REVOKE = """mutation($id: ID!) { revokeInvitation(id: $id) {
  __typename ... on Invitation { status revokedAt } ... on UserError { code message } } }"""
LIST = """query($p: ID!, $all: Boolean!) { project(id: $p) {
  invitations(includeClosed: $all) { email role status invitedBy { email } } } }"""
ME = "{ me { email } }"
PASSWORD = "a quiet harbour 42"


def _email(name: str) -> str:
    return f"{name}-{secrets.token_hex(4)}@example.org"


async def invite(api: Api, lead: Person, project: str, email: str, role: str = "CODER") -> Any:
    return (await api.gql(INVITE, {"p": project, "e": email, "r": role}, as_=lead))["inviteMember"]


def _shape(value: Any) -> Any:
    """The structure of an answer: its keys and value types, not the values."""
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    return type(value).__name__


async def _rows(pool: asyncpg.Pool, project: str, email: str) -> dict[str, int]:
    async with pool.acquire() as conn:
        row = await conn.fetchrow(
            """SELECT
                 (SELECT count(*) FROM invitations WHERE project_id = $1::uuid
                    AND lower(email) = lower($2)) AS invitations,
                 (SELECT count(*) FROM project_members m JOIN users u ON u.id = m.user_id
                    WHERE m.project_id = $1::uuid AND lower(u.email) = lower($2)) AS members,
                 (SELECT count(*) FROM events WHERE project_id = $1::uuid
                    AND kind = 'member.invited' AND after->>'email' = lower($2)) AS events""",
            project,
            email,
        )
    assert row is not None
    return dict(row)


async def test_invite_new_and_existing_emails_alike_then_accept(
    api: Api, pool: asyncpg.Pool, browser_app: Any
) -> None:
    lead = await api.person("lead")
    existing = await api.person("b")
    project = await api.project(lead, "Help-seeking among doctors")
    new_email = _email("new")

    fresh = await invite(api, lead, project, new_email)
    known = await invite(api, lead, project, existing.email)
    # The same answer, field for field, whether or not the email has an account ...
    assert fresh["__typename"] == known["__typename"] == "IssuedInvitation"
    assert _shape(fresh) == _shape(known)
    for answer, email in ((fresh, new_email), (known, existing.email)):
        invitation = answer["invitation"]
        assert invitation["email"] == email.lower() and invitation["role"] == "CODER"
        assert invitation["status"] == "OPEN" and invitation["acceptedBy"] is None
        assert invitation["invitedBy"] == {"email": lead.email}
        assert answer["link"].startswith("http://testserver/invite/")
    # ... and the same work: one invitation, one event, no membership yet.
    expected = {"invitations": 1, "members": 0, "events": 1}
    assert await _rows(pool, project, new_email) == expected
    assert await _rows(pool, project, existing.email) == expected

    token = link_token(fresh["link"])
    page = await api.client.get(f"/invite/{token}")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"
    preview = (await api.gql(PREVIEW, {"t": token}))["invitation"]
    assert preview["projectName"] == "Help-seeking among doctors"
    assert preview["invitedByName"] == lead.name and preview["email"] == new_email.lower()
    assert preview["status"] == "OPEN" and preview["valid"] and preview["problem"] is None

    async with browser(browser_app) as person:
        accepted = await post(person, ACCEPT, t=token, n="  Nora   New ", pw=PASSWORD)
        answer = accepted["data"]["acceptInvitation"]
        assert answer["__typename"] == "InvitationAccepted", answer
        assert answer["user"] == {"email": new_email.lower(), "name": "Nora New"}
        assert answer["project"]["id"] == project and answer["project"]["myRole"] == "CODER"
        assert COOKIE_NAME in person.cookies  # logged in, like login
        assert (await post(person, ME))["data"]["me"]["email"] == new_email.lower()

        again = (await post(person, ACCEPT, t=token, n="Nora", pw=PASSWORD))["data"]
        assert again["acceptInvitation"]["code"] == "CONFLICT"
        assert "already used" in again["acceptInvitation"]["message"]
    assert (await api.gql(PREVIEW, {"t": token}))["invitation"]["status"] == "USED"

    async with browser(browser_app) as other:
        login = await post(
            other,
            """mutation($e: String!, $p: String!) { login(email: $e, password: $p) {
                 __typename } }""",
            e=new_email,
            p=PASSWORD,
        )
        assert login["data"]["login"]["__typename"] == "User"

    # The person with an account cannot be taken over through the link: told to log in.
    known_token = link_token(known["link"])
    async with browser(browser_app) as stranger:
        refused = (await post(stranger, ACCEPT, t=known_token, n="Mallory", pw=PASSWORD))["data"]
    assert refused["acceptInvitation"]["code"] == "CONFLICT"
    assert "log in" in refused["acceptInvitation"]["message"]
    assert "already exists" in refused["acceptInvitation"]["message"]
    # Someone else's account, logged in, cannot accept it either.
    outsider = await api.person("outsider")
    wrong = (await api.gql(JOIN, {"t": known_token}, as_=outsider))["joinByInvitation"]
    assert wrong["code"] == "FORBIDDEN" and existing.email in wrong["message"]
    # The invited account, logged in, joins with the invited role.
    joined = (await api.gql(JOIN, {"t": known_token}, as_=existing))["joinByInvitation"]
    assert joined == {"__typename": "InvitationAccepted", "project": {"myRole": "CODER"}}
    twice = (await api.gql(JOIN, {"t": known_token}, as_=existing))["joinByInvitation"]
    assert twice["code"] == "CONFLICT"

    listed = (await api.gql(LIST, {"p": project, "all": True}, as_=lead))["project"]
    assert {i["status"] for i in listed["invitations"]} == {"USED"}
    open_only = (await api.gql(LIST, {"p": project, "all": False}, as_=lead))["project"]
    assert open_only["invitations"] == []


async def test_expired_and_revoked_links_are_refused_clearly(
    api: Api, pool: asyncpg.Pool, browser_app: Any
) -> None:
    lead = await api.person("lead")
    project = await api.project(lead)
    expiring = await invite(api, lead, project, _email("late"))
    withdrawn = await invite(api, lead, project, _email("withdrawn"), "VIEWER")
    async with pool.acquire() as conn:
        await conn.execute(
            "UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE id = $1",
            expiring["invitation"]["id"],
        )
    revoked = await api.gql(REVOKE, {"id": withdrawn["invitation"]["id"]}, as_=lead)
    assert revoked["revokeInvitation"]["status"] == "REVOKED"

    for answer, status, words in (
        (expiring, "EXPIRED", "has expired"),
        (withdrawn, "REVOKED", "withdrew this invitation"),
    ):
        token = link_token(answer["link"])
        preview = (await api.gql(PREVIEW, {"t": token}))["invitation"]
        assert preview["status"] == status and words in preview["problem"]
        assert preview["valid"] is False
        async with browser(browser_app) as person:
            refused = (await post(person, ACCEPT, t=token, n="Nobody", pw=PASSWORD))["data"]
            assert refused["acceptInvitation"]["code"] == "CONFLICT"
            assert words in refused["acceptInvitation"]["message"]
            assert COOKIE_NAME not in person.cookies
        assert await _rows(pool, project, answer["invitation"]["email"]) == {
            "invitations": 1,
            "members": 0,
            "events": 1,
        }
        async with pool.acquire() as conn:
            assert not await conn.fetchval(
                "SELECT EXISTS (SELECT 1 FROM users WHERE lower(email) = $1)",
                answer["invitation"]["email"],
            )

    unknown = await api.raw(PREVIEW, {"t": "no-such-token"})
    assert unknown["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    async with browser(browser_app) as person:
        nothing = (await post(person, ACCEPT, t="no-such-token", n="N", pw=PASSWORD))["data"]
    assert nothing["acceptInvitation"]["code"] == "NOT_FOUND"
    assert "not valid" in nothing["acceptInvitation"]["message"]


async def test_bad_input_on_accepting_changes_nothing(
    api: Api, pool: asyncpg.Pool, browser_app: Any
) -> None:
    lead = await api.person("lead")
    project = await api.project(lead)
    email = _email("careful")
    token = link_token((await invite(api, lead, project, email))["link"])
    async with browser(browser_app) as person:
        for name, password, words in (
            ("Ann", "short", "at least 10 characters"),
            ("Ann", "Password123", "among the most common"),
            ("   ", PASSWORD, "cannot be empty"),
        ):
            answer = (await post(person, ACCEPT, t=token, n=name, pw=password))["data"]
            refused = answer["acceptInvitation"]
            assert refused["code"] == "INVALID_INPUT" and words in refused["message"], refused
        assert COOKIE_NAME not in person.cookies
    assert (await api.gql(PREVIEW, {"t": token}))["invitation"]["status"] == "OPEN"
    assert (await _rows(pool, project, email))["members"] == 0
    async with browser(browser_app) as person:
        ok = (await post(person, ACCEPT, t=token, n="Ann", pw=PASSWORD))["data"]
    assert ok["acceptInvitation"]["__typename"] == "InvitationAccepted"


async def test_invite_input_rights_and_replacement(api: Api, pool: asyncpg.Pool) -> None:
    lead, coder, viewer, stranger = (
        await api.person("lead"),
        await api.person("coder"),
        await api.person("viewer"),
        await api.person("stranger"),
    )
    project = await api.project(lead)
    await api.add_member(lead, project, coder, "CODER")
    await api.add_member(lead, project, viewer, "VIEWER")

    bad = await invite(api, lead, project, "not an email")
    assert bad["code"] == "INVALID_INPUT"
    member = await invite(api, lead, project, coder.email.upper())
    assert member["code"] == "CONFLICT" and "already a member (coder)" in member["message"]
    assert (await invite(api, coder, project, _email("x")))["code"] == "FORBIDDEN"
    assert (await invite(api, stranger, project, _email("x")))["code"] == "NOT_FOUND"

    for who, code in ((coder, "FORBIDDEN"), (viewer, "FORBIDDEN"), (stranger, "NOT_FOUND")):
        assert await api.error_code(LIST, {"p": project, "all": False}, as_=who) == code

    email = _email("twice")
    first = await invite(api, lead, project, email)
    second = await invite(api, lead, project, email, "VIEWER")
    preview = (await api.gql(PREVIEW, {"t": link_token(first["link"])}))["invitation"]
    assert preview["status"] == "REVOKED"
    listed = (await api.gql(LIST, {"p": project, "all": False}, as_=lead))["project"]
    assert [i["role"] for i in listed["invitations"] if i["email"] == email] == ["VIEWER"]
    assert (await api.gql(REVOKE, {"id": second["invitation"]["id"]}, as_=coder))[
        "revokeInvitation"
    ]["code"] == "FORBIDDEN"
    assert (await api.gql(REVOKE, {"id": second["invitation"]["id"]}, as_=stranger))[
        "revokeInvitation"
    ]["code"] == "NOT_FOUND"


async def test_accepted_invitation_cannot_be_revoked_and_final_projects_take_no_one(
    api: Api, browser_app: Any
) -> None:
    lead, coder = await api.person("lead"), await api.person("coder")
    project = await api.project(lead)
    link = await api.invite(lead, project, coder.email, "CODER")
    assert (await api.gql(JOIN, {"t": link_token(link)}, as_=coder))["joinByInvitation"][
        "__typename"
    ] == "InvitationAccepted"
    listed = (await api.gql(LIST, {"p": project, "all": True}, as_=lead))["project"]
    assert listed["invitations"][0]["status"] == "USED"
    invitation_id = (
        await api.gql(
            "query($p: ID!) { project(id: $p) { invitations(includeClosed: true) { id } } }",
            {"p": project},
            as_=lead,
        )
    )["project"]["invitations"][0]["id"]
    refused = (await api.gql(REVOKE, {"id": invitation_id}, as_=lead))["revokeInvitation"]
    assert refused["code"] == "CONFLICT" and "remove the member" in refused["message"]

    pending = link_token(await api.invite(lead, project, _email("late"), "VIEWER"))
    final = await api.gql(
        """mutation($p: ID!) { finalizeProject(projectId: $p, rationale: "Done") {
             __typename } }""",
        {"p": project},
        as_=lead,
    )
    assert final["finalizeProject"]["__typename"] == "Project"
    late = (await api.gql(PREVIEW, {"t": pending}))["invitation"]
    assert late["status"] == "OPEN" and late["valid"] is False and "final" in late["problem"]
    async with browser(browser_app) as person:
        answer = (await post(person, ACCEPT, t=pending, n="Late", pw=PASSWORD))["data"]
    assert answer["acceptInvitation"]["code"] == "CONFLICT"
    # Leads still see the invitations of a final project.
    assert (await api.gql(LIST, {"p": project, "all": True}, as_=lead))["project"]["invitations"]


async def test_events_record_invitations_without_secrets(
    api: Api, pool: asyncpg.Pool, browser_app: Any
) -> None:
    lead = await api.person("lead")
    project = await api.project(lead)
    email = _email("audited")
    answer = await invite(api, lead, project, email)
    token = link_token(answer["link"])
    async with browser(browser_app) as person:
        await post(person, ACCEPT, t=token, n="Audited", pw=PASSWORD)
    other = await invite(api, lead, project, _email("other"))
    await api.gql(REVOKE, {"id": other["invitation"]["id"]}, as_=lead)

    async with pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT kind, actor_id::text, before::text AS b, after::text AS a FROM events "
            "WHERE project_id = $1::uuid ORDER BY id",
            project,
        )
    kinds = [r["kind"] for r in rows]
    for kind in ("member.invited", "invitation.accepted", "member.added", "invitation.revoked"):
        assert kind in kinds, kinds
    text = " ".join(f"{r['b']} {r['a']}" for r in rows)
    assert token not in text and link_token(other["link"]) not in text
    assert PASSWORD not in text


async def test_a_cookie_session_can_join(api: Api, browser_app: Any) -> None:
    lead = await api.person("lead")
    person = await api.person("invitee")
    project = await api.project(lead)
    token = link_token(await api.invite(lead, project, person.email, "VIEWER"))
    async with browser(browser_app) as client:
        await _login(client, person)
        joined = (await post(client, JOIN, t=token))["data"]["joinByInvitation"]
    assert joined == {"__typename": "InvitationAccepted", "project": {"myRole": "VIEWER"}}


async def _login(client: httpx.AsyncClient, person: Person) -> None:
    body = await post(
        client,
        """mutation($e: String!, $p: String!) { login(email: $e, password: $p) { __typename } }""",
        e=person.email,
        p=person.password,
    )
    assert body["data"]["login"]["__typename"] == "User", body
