"""Matching the users named in an imported file to Accord accounts.

A file's user is an existing account only when the file gives that account's email
(letter case aside, as everywhere in Accord) and the importer may already see the
account: it is the importer, or it shares a project with the importer. Anyone else
becomes a new placeholder account that cannot log in (no password), with an email of
its own on a domain that receives no mail, never the file's: an import must neither
pull a stranger's account into a project nor tell the importer which emails have
accounts. Names never match: two people may share one. The import report lists every
match, so a lead can see who is who. The file's email stays with the placeholder as its
claim address: inviting that address to the project hands the placeholder on to its
person (``accord.users.placeholders``).
"""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

from accord.interop.model import ExchangeUser
from accord.users import placeholders
from accord.users.model import User

#: The domain of placeholder accounts' emails (kept here for the import's readers).
PLACEHOLDER_DOMAIN = placeholders.PLACEHOLDER_DOMAIN
#: The name of the pseudo-user holding Accord's consensus layer in its exports.
CONSENSUS_NAME = "Consensus"


@dataclass(frozen=True)
class Matched:
    user: User
    how: str  # "email", "coder" (handed to --coder) or "created"


def is_consensus(user: ExchangeUser) -> bool:
    """Only the user Accord's own export marks as its consensus layer (see the reader)."""
    return user.consensus


async def visible_account(
    conn: asyncpg.Connection, importer: User, email: str
) -> asyncpg.Record | None:
    """The account with this email, if the importer may see it (one query)."""
    return await conn.fetchrow(
        """
        SELECT u.id, u.email, u.name FROM users u
        WHERE lower(u.email) = lower($1) AND (u.id = $2 OR EXISTS (
            SELECT 1 FROM project_members theirs
            JOIN project_members mine ON mine.project_id = theirs.project_id
            WHERE theirs.user_id = u.id AND mine.user_id = $2))
        """,
        email.strip(),
        importer.id,
    )


async def match_user(conn: asyncpg.Connection, importer: User, person: ExchangeUser) -> Matched:
    if person.email:
        row = await visible_account(conn, importer, person.email)
        if row is not None:
            return Matched(User.from_row(row), "email")
    placeholder = await placeholders.create_placeholder(conn, person.name, person.email)
    return Matched(placeholder, "created")


async def match_users(
    conn: asyncpg.Connection, importer: User, people: list[ExchangeUser]
) -> dict[str, Matched]:
    """File user GUID → account, for every user except the consensus pseudo-user."""
    out: dict[str, Matched] = {}
    for person in people:
        if not is_consensus(person):
            out[person.guid] = await match_user(conn, importer, person)
    return out
