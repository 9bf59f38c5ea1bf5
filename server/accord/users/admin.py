"""Site administration of accounts: one transaction per use case.

``actor=None`` is the command line on the server, which may do all of this; any other
caller must be an active site administrator, checked in the use case's own transaction.
Every change appends an account event (no project) that names who did it and never
holds a token or a password.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

import asyncpg

from accord.errors import Forbidden, NotFound
from accord.events.log import append_event
from accord.permissions import SiteAction, require_site_admin
from accord.users import repo
from accord.users.model import User
from accord.users.service import end_credentials, normalize_email

ACCOUNT_NOT_FOUND = "Account not found."
LAST_ADMIN = (
    "Accord needs at least one active site administrator: make another account administrator first."
)


@dataclass(frozen=True)
class Account:
    """An account as an administrator sees it."""

    id: UUID
    email: str
    name: str
    is_admin: bool
    deactivated_at: dt.datetime | None
    has_password: bool
    last_login_at: dt.datetime | None
    created_at: dt.datetime
    seq: int

    @property
    def active(self) -> bool:
        return self.deactivated_at is None

    @classmethod
    def from_row(cls, row: asyncpg.Record) -> Account:
        return cls(
            id=row["id"],
            email=row["email"],
            name=row["name"],
            is_admin=row["is_admin"],
            deactivated_at=row["deactivated_at"],
            has_password=row["password_hash"] is not None,
            last_login_at=row["last_login_at"],
            created_at=row["created_at"],
            seq=row["seq"],
        )


async def require_admin(conn: asyncpg.Connection, actor: User | None, action: SiteAction) -> None:
    if actor is None:
        return
    require_site_admin(await repo.is_active_admin(conn, actor.id), action)


async def _event(
    conn: asyncpg.Connection,
    actor: User | None,
    kind: str,
    account: Account,
    after: dict[str, object] | None = None,
) -> None:
    await append_event(
        conn,
        project_id=None,
        actor_id=actor.id if actor else None,
        kind=kind,
        subject_type="account",
        subject_id=account.id,
        after={"email": account.email, **(after or {})},
    )


async def _locked(conn: asyncpg.Connection, user_id: UUID) -> Account:
    row = await repo.lock_user(conn, user_id)
    if row is None:
        raise NotFound(ACCOUNT_NOT_FOUND, field="userId")
    return Account.from_row(row)


async def account_id_by_email(conn: asyncpg.Connection, email: str) -> UUID:
    row = await repo.user_by_email(conn, email.strip())
    if row is None:
        raise NotFound(f"No account uses the email {email.strip()}.", field="email")
    user_id: UUID = row["id"]
    return user_id


async def list_accounts(
    conn: asyncpg.Connection, actor: User | None, after_seq: int, limit: int, search: str | None
) -> tuple[list[Account], bool]:
    """A page of accounts in creation order, and whether more follow."""
    await require_admin(conn, actor, SiteAction.LIST_ACCOUNTS)
    term = search.strip() if search and search.strip() else None
    rows = await repo.accounts_page(conn, after_seq, limit + 1, term)
    return [Account.from_row(r) for r in rows[:limit]], len(rows) > limit


async def _keep_an_admin(conn: asyncpg.Connection, account: Account) -> None:
    if account.is_admin and account.active and await repo.count_active_admins(conn) <= 1:
        raise Forbidden(LAST_ADMIN)


async def deactivate(conn: asyncpg.Connection, actor: User | None, user_id: UUID) -> Account:
    """Deactivate an account: it can no longer log in, and its sessions, API tokens and
    reset links end at once. Its work and memberships stay."""
    await require_admin(conn, actor, SiteAction.DEACTIVATE_ACCOUNT)
    account = await _locked(conn, user_id)
    if actor is not None and actor.id == user_id:
        raise Forbidden("You cannot deactivate your own account: ask another administrator.")
    if not account.active:
        return account
    await _keep_an_admin(conn, account)
    updated = Account.from_row(await repo.set_deactivated(conn, user_id, True))
    ended = await end_credentials(conn, user_id)
    await _event(
        conn,
        actor,
        "account.deactivated",
        updated,
        {"sessionsEnded": ended.sessions, "tokensRevoked": ended.tokens},
    )
    return updated


async def reactivate(conn: asyncpg.Connection, actor: User | None, user_id: UUID) -> Account:
    """Let a deactivated account log in again (with its password; old tokens stay revoked)."""
    await require_admin(conn, actor, SiteAction.DEACTIVATE_ACCOUNT)
    account = await _locked(conn, user_id)
    if account.active:
        return account
    updated = Account.from_row(await repo.set_deactivated(conn, user_id, False))
    await _event(conn, actor, "account.reactivated", updated)
    return updated


async def set_admin(
    conn: asyncpg.Connection, actor: User | None, user_id: UUID, is_admin: bool
) -> Account:
    await require_admin(conn, actor, SiteAction.GRANT_ADMIN)
    account = await _locked(conn, user_id)
    if account.is_admin == is_admin:
        return account
    if not is_admin:
        await _keep_an_admin(conn, account)
    updated = Account.from_row(await repo.set_admin(conn, user_id, is_admin))
    kind = "account.admin_granted" if is_admin else "account.admin_revoked"
    await _event(conn, actor, kind, updated)
    return updated


@dataclass(frozen=True)
class LoginLimitCleared:
    email: str
    failures_cleared: int


async def clear_login_limit(
    conn: asyncpg.Connection, actor: User | None, email: str
) -> LoginLimitCleared:
    """Forget the failed logins counted against an email, so it may try again at once.
    The per-address limit stays: it guards against one machine guessing many emails."""
    await require_admin(conn, actor, SiteAction.CLEAR_LOGIN_LIMIT)
    address = normalize_email(email).lower()
    cleared = await repo.clear_failures(conn, address)
    await append_event(
        conn,
        project_id=None,
        actor_id=actor.id if actor else None,
        kind="account.login_limit_cleared",
        subject_type="login_limit",
        subject_id=address,
        after={"email": address, "failuresCleared": cleared},
    )
    return LoginLimitCleared(address, cleared)
