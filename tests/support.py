"""Helpers the tests share: GraphQL over HTTP and account set-up through real services."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from accord.users import service as users

REPO_ROOT = Path(__file__).resolve().parent.parent
# The key the test servers sign session cookies with.
SECRET_KEY = "test-secret-key-" + "x" * 32
# Real REFI-QDA exports (MIT), kept in the repository: see tests/data/refi/README.md.
REFI_DATA = REPO_ROOT / "tests" / "data" / "refi"


@dataclass
class Person:
    id: str
    email: str
    name: str
    token: str
    password: str


def link_token(link: str) -> str:
    """The token at the end of a one-time link (``.../invite/<token>``)."""
    return link.rstrip("/").rsplit("/", 1)[-1]


class GraphQLFailure(AssertionError):
    pass


class Api:
    """GraphQL calls against the real app, authenticated like a script would be."""

    def __init__(self, client: httpx.AsyncClient, pool: asyncpg.Pool) -> None:
        self.client = client
        self.pool = pool

    async def person(
        self, name: str = "user", password: str | None = None, *, is_admin: bool = False
    ) -> Person:
        email = f"{name}-{secrets.token_hex(4)}@example.org"
        password = password or secrets.token_urlsafe(12)
        async with self.pool.acquire() as conn, conn.transaction():
            user = await users.create_user(conn, email, name.title(), password, is_admin=is_admin)
            token = await users.create_token(conn, user, "tests")
        return Person(str(user.id), email, user.name, token.token, password)

    async def raw(
        self, query: str, variables: dict[str, Any] | None = None, *, as_: Person | None = None
    ) -> dict[str, Any]:
        headers = {"authorization": f"Bearer {as_.token}"} if as_ else {}
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        body: dict[str, Any] = response.json()
        return body

    async def gql(
        self, query: str, variables: dict[str, Any] | None = None, *, as_: Person | None = None
    ) -> dict[str, Any]:
        """Run a query and return `data`, failing the test on any GraphQL error."""
        body = await self.raw(query, variables, as_=as_)
        if body.get("errors"):
            raise GraphQLFailure(body["errors"])
        data: dict[str, Any] = body["data"]
        return data

    async def error_code(
        self, query: str, variables: dict[str, Any] | None = None, *, as_: Person | None = None
    ) -> str:
        """The `extensions.code` of the first error of a query that must fail."""
        body = await self.raw(query, variables, as_=as_)
        assert body.get("errors"), body
        code: str = body["errors"][0]["extensions"]["code"]
        return code

    async def project(self, lead: Person, name: str = "Peer support study") -> str:
        data = await self.gql(
            """mutation($n: String!) {
                 createProject(name: $n) { __typename ... on Project { id } } }""",
            {"n": name},
            as_=lead,
        )
        project_id: str = data["createProject"]["id"]
        return project_id

    async def invite(self, lead: Person, project_id: str, email: str, role: str) -> str:
        """Invite an email as a lead would; returns the one-time link."""
        data = await self.gql(
            """mutation($p: ID!, $e: String!, $r: Role!) {
                 inviteMember(projectId: $p, email: $e, role: $r) {
                   __typename ... on IssuedInvitation { link } ... on UserError { message } }
               }""",
            {"p": project_id, "e": email, "r": role},
            as_=lead,
        )
        assert data["inviteMember"]["__typename"] == "IssuedInvitation", data
        link: str = data["inviteMember"]["link"]
        return link

    async def add_member(self, lead: Person, project_id: str, who: Person, role: str) -> None:
        """Invite an account and accept as it: how a person with an account joins."""
        link = await self.invite(lead, project_id, who.email, role)
        data = await self.gql(
            """mutation($t: String!) { joinByInvitation(token: $t) {
                 __typename ... on UserError { message } } }""",
            {"t": link_token(link)},
            as_=who,
        )
        assert data["joinByInvitation"]["__typename"] == "InvitationAccepted", data

    async def import_document(
        self,
        who: Person,
        project_id: str,
        text: str,
        title: str = "Interview 1",
        attributes: Any = None,
    ) -> dict[str, Any]:
        data = await self.gql(
            """mutation($p: ID!, $t: String!, $x: String!, $a: JSON) {
                 importDocument(projectId: $p, title: $t, text: $x, attributes: $a) {
                   __typename
                   ... on Document { id title text length attributes }
                   ... on UserError { message code }
                 }
               }""",
            {"p": project_id, "t": title, "x": text, "a": attributes},
            as_=who,
        )
        result: dict[str, Any] = data["importDocument"]
        return result


def browser(app: Any) -> httpx.AsyncClient:
    """A client that keeps its cookies, from an address of its own (so that per-address
    login limits of one test never reach another)."""
    address = f"127.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def post(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    """One GraphQL request as a browser sends it (cookies, no token); the whole body."""
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
