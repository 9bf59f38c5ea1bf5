"""The people of an imported project: which account each file user becomes, and the
project's members.

A user of an Accord export is known by its GUID, which Accord derives from the account's
id; any other user by the rules of :mod:`accord.exchange.accounts` (email, else a new
placeholder). Every account that holds a file user joins the project as a coder.
"""

from __future__ import annotations

from uuid import UUID

import asyncpg

from accord.errors import InvalidInput
from accord.events.log import append_event
from accord.exchange import accounts
from accord.interop import ExchangeProject, ExchangeUser, ImportReport, stable_guid
from accord.permissions import Role
from accord.projects import repo as project_repo
from accord.users.labels import is_made_up, real_email
from accord.users.model import User


async def match_accounts(
    conn: asyncpg.Connection, importer: User, people: list[ExchangeUser]
) -> dict[str, accounts.Matched]:
    """File user GUID -> account. A user of an Accord export is known by its GUID, which
    Accord derives from the account's id: when that account is one the importer may see
    (see :mod:`accord.exchange.accounts`) it is that account again, placeholder or not,
    without any email in the file. The others are matched by email or made placeholders.
    """
    rows = await conn.fetch(
        """
        SELECT u.id, u.email, u.name FROM users u
        WHERE u.id = $1 OR EXISTS (
            SELECT 1 FROM project_members theirs
            JOIN project_members mine ON mine.project_id = theirs.project_id
            WHERE theirs.user_id = u.id AND mine.user_id = $1)
        """,
        importer.id,
    )
    by_guid = {stable_guid("user", row["id"]): User.from_row(row) for row in rows}
    matched: dict[str, accounts.Matched] = {}
    others: list[ExchangeUser] = []
    for person in people:
        account = by_guid.get(person.guid)
        if account is not None and not accounts.is_consensus(person):
            matched[person.guid] = accounts.Matched(account, "export")
        else:
            others.append(person)
    matched.update(await accounts.match_users(conn, importer, others))
    return matched


async def placeholder_claims(
    conn: asyncpg.Connection, account_ids: list[UUID]
) -> dict[UUID, str | None]:
    """Which of the accounts are placeholders (by their made-up email), each with the
    address that claims it, if any."""
    rows = await conn.fetch(
        "SELECT id, email, CASE WHEN password_hash IS NULL AND deactivated_at IS NULL "
        "THEN claim_email END AS claim_email FROM users WHERE id = ANY($1::uuid[])",
        account_ids,
    )
    return {r["id"]: r["claim_email"] for r in rows if is_made_up(r["email"])}


def hand_to(coder: User, exchange: ExchangeProject, matched: dict[str, accounts.Matched]) -> None:
    coding_users = {c.user_guid for c in exchange.codings if c.user_guid in matched}
    if len(coding_users) > 1:
        names = sorted(u.name for u in exchange.users if u.guid in coding_users)
        raise InvalidInput(
            "A coder can receive the codings of a file coded by one user; this file has "
            f"codings by {len(names)} users ({', '.join(names)}).",
            field="coder",
        )
    for guid in coding_users:
        matched[guid] = accounts.Matched(coder, "coder")


async def add_members(
    conn: asyncpg.Connection,
    lead: User,
    project_id: UUID,
    matched: dict[str, accounts.Matched],
    report: ImportReport,
) -> None:
    seen: set[UUID] = {lead.id}
    for match in matched.values():
        if match.user.id in seen:
            continue
        seen.add(match.user.id)
        await project_repo.upsert_member(conn, project_id, match.user.id, Role.CODER.value)
        await append_event(
            conn,
            project_id=project_id,
            actor_id=lead.id,
            kind="member.added",
            subject_type="member",
            subject_id=match.user.id,
            # A placeholder's made-up address is never shown: its email here is null.
            after={
                "userId": match.user.id,
                "email": real_email(match.user.email),
                "role": "CODER",
            },
        )
    accounts_used = [m.user.id for m in matched.values()]
    if len(set(accounts_used)) < len(accounts_used):
        report.warnings.append(
            "Several users in the file belong to one account; their codings share its layer."
        )
