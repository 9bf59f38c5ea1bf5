"""Matching the users named in an imported file to Accord accounts.

A file's user is the account with the same email; else the one account whose name is the
same regardless of case; else a new placeholder account that cannot log in (no password),
which a lead can later hand to a real person by changing its email. A name shared by
several accounts matches none of them: guessing would put one person's codings in
another's layer.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

import asyncpg

from accord.errors import AccordError
from accord.interop.model import ExchangeUser
from accord.users import service as users
from accord.users.model import User

#: The domain of placeholder accounts' emails; ``.invalid`` can never receive mail.
PLACEHOLDER_DOMAIN = "imported.accord.invalid"
#: A file user with this name and no email holds Accord's consensus layer.
CONSENSUS_NAME = "Consensus"


@dataclass(frozen=True)
class Matched:
    user: User
    how: str  # "email", "name" or "created"


def is_consensus(user: ExchangeUser) -> bool:
    return user.name.strip() == CONSENSUS_NAME and not user.email


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return (slug or "user")[:40]


async def match_user(conn: asyncpg.Connection, person: ExchangeUser) -> Matched:
    if person.email:
        row = await conn.fetchrow(
            "SELECT id, email, name FROM users WHERE lower(email) = lower($1)",
            person.email.strip(),
        )
        if row is not None:
            return Matched(User.from_row(row), "email")
    rows = await conn.fetch(
        "SELECT id, email, name FROM users WHERE lower(name) = lower($1) LIMIT 2",
        " ".join(person.name.split()),
    )
    if len(rows) == 1:
        return Matched(User.from_row(rows[0]), "name")
    email = person.email.strip() if person.email else None
    if email is None or await conn.fetchval(
        "SELECT EXISTS (SELECT 1 FROM users WHERE lower(email) = lower($1))", email
    ):
        email = f"{_slug(person.name)}-{secrets.token_hex(4)}@{PLACEHOLDER_DOMAIN}"
    name = " ".join(person.name.split())[:200] or "Imported user"
    try:
        created = await users.create_user(conn, email, name, None)
    except AccordError:
        # The file's email is malformed; the refusal happens before any SQL runs.
        email = f"{_slug(person.name)}-{secrets.token_hex(4)}@{PLACEHOLDER_DOMAIN}"
        created = await users.create_user(conn, email, name, None)
    return Matched(created, "created")


async def match_users(conn: asyncpg.Connection, people: list[ExchangeUser]) -> dict[str, Matched]:
    """File user GUID → account, for every user except the consensus pseudo-user."""
    out: dict[str, Matched] = {}
    for person in people:
        if not is_consensus(person):
            out[person.guid] = await match_user(conn, person)
    return out
