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


class GraphQLFailure(AssertionError):
    pass


class Api:
    """GraphQL calls against the real app, authenticated like a script would be."""

    def __init__(self, client: httpx.AsyncClient, pool: asyncpg.Pool) -> None:
        self.client = client
        self.pool = pool

    async def person(self, name: str = "user", password: str | None = None) -> Person:
        email = f"{name}-{secrets.token_hex(4)}@example.org"
        password = password or secrets.token_urlsafe(12)
        async with self.pool.acquire() as conn, conn.transaction():
            user = await users.create_user(conn, email, name.title(), password)
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

    async def add_member(self, lead: Person, project_id: str, who: Person, role: str) -> None:
        data = await self.gql(
            """mutation($p: ID!, $e: String!, $r: Role!) {
                 addMember(projectId: $p, email: $e, role: $r) { __typename }
               }""",
            {"p": project_id, "e": who.email, "r": role},
            as_=lead,
        )
        assert data["addMember"]["__typename"] == "Member", data

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
