"""Changing a password, and password-reset links issued by an administrator.

Each way a password changes ends the account's other credentials through
:func:`accord.users.service.end_credentials`, in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

import asyncpg

from accord.auth import secrets
from accord.auth.password_policy import check_new_password
from accord.auth.passwords import IN_PROCESS, PasswordHashing
from accord.config import Settings
from accord.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.events.log import append_event
from accord.links import LinkStatus, status_of
from accord.permissions import SiteAction
from accord.users import repo, resets_repo
from accord.users.admin import Account, require_admin
from accord.users.model import User
from accord.users.service import (
    ACCOUNT_DEACTIVATED,
    EndedCredentials,
    charge_attempt,
    end_credentials,
    open_session,
)

WRONG_CURRENT = "Your current password is not correct."
NO_SUCH_LINK = "This password-reset link is not valid. Ask a site administrator for a new one."
USED = "This password-reset link was already used. Log in with your new password."
REVOKED = (
    "This password-reset link was replaced or withdrawn. Ask a site administrator for a new one."
)
EXPIRED = "This password-reset link has expired. Ask a site administrator for a new one."


async def _event(
    conn: asyncpg.Connection,
    actor_id: UUID | None,
    kind: str,
    user_id: UUID,
    email: str,
    ended: EndedCredentials | None = None,
    **extra: object,
) -> None:
    after: dict[str, object] = {"email": email, **extra}
    if ended is not None:
        after |= {"sessionsEnded": ended.sessions, "tokensRevoked": ended.tokens}
    await append_event(
        conn,
        project_id=None,
        actor_id=actor_id,
        kind=kind,
        subject_type="account",
        subject_id=user_id,
        after=after,
    )


async def _store(
    conn: asyncpg.Connection,
    settings: Settings,
    user_id: UUID,
    password: str,
    field: str,
    passwords: PasswordHashing,
) -> None:
    check_new_password(password, min_length=settings.password_min_length, field=field)
    await repo.set_password_hash(conn, user_id, await passwords.hash(password))


async def change_password(
    conn: asyncpg.Connection,
    settings: Settings,
    user: User,
    current: str,
    new: str,
    *,
    session_id: str | None,
    address: str,
    passwords: PasswordHashing = IN_PROCESS,
) -> EndedCredentials:
    """Change the caller's password after checking the current one.

    Every other session and every API token of the account ends; the session that asked
    (``session_id``) stays. A wrong current password counts against the login limits,
    so a stolen session cannot be used to guess it; run this outside a transaction, so
    that the failure is kept while the change itself is one transaction.
    """
    key = user.email.lower()
    charge = await charge_attempt(conn, settings, key, address, "wrong passwords")
    row = await repo.user_by_id(conn, user.id)
    matches = await passwords.verify(row["password_hash"] if row else None, current)
    if row is None or not matches:
        raise InvalidInput(WRONG_CURRENT, field="currentPassword")
    await repo.refund_attempt(conn, charge)
    if new == current:
        raise InvalidInput("The new password is the same as the current one.", field="newPassword")
    async with conn.transaction():
        await _store(conn, settings, user.id, new, "newPassword", passwords)
        ended = await end_credentials(conn, user.id, keep_session=session_id)
        await _event(conn, user.id, "account.password_changed", user.id, user.email, ended)
    return ended


async def set_password(
    conn: asyncpg.Connection,
    settings: Settings,
    actor: User | None,
    user_id: UUID,
    new: str,
    passwords: PasswordHashing = IN_PROCESS,
) -> EndedCredentials:
    """An administrator (or the command line) sets an account's password; like a reset,
    it ends all of the account's sessions and tokens."""
    await require_admin(conn, actor, SiteAction.ISSUE_PASSWORD_RESET)
    row = await repo.lock_user(conn, user_id)
    if row is None:
        raise NotFound("Account not found.", field="userId")
    await _store(conn, settings, user_id, new, "password", passwords)
    ended = await end_credentials(conn, user_id)
    await _event(
        conn, actor.id if actor else None, "account.password_set", user_id, row["email"], ended
    )
    return ended


@dataclass(frozen=True)
class IssuedReset:
    account: Account
    token: str  # shown once, in the link; only its hash is stored
    expires_at: dt.datetime


async def issue_reset(
    conn: asyncpg.Connection, settings: Settings, actor: User | None, user_id: UUID
) -> IssuedReset:
    """A one-time link that lets the account's owner choose a new password. It replaces
    any earlier link; the account's sessions and tokens end when it is used."""
    await require_admin(conn, actor, SiteAction.ISSUE_PASSWORD_RESET)
    row = await repo.lock_user(conn, user_id)
    if row is None:
        raise NotFound("Account not found.", field="userId")
    account = Account.from_row(row)
    if not account.active:
        raise Conflict(
            f"{account.email} is deactivated: reactivate it first, then issue a reset link.",
            field="userId",
        )
    await resets_repo.revoke_open(conn, user_id)
    token = secrets.new_link_token()
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(hours=settings.reset_hours)
    made = await resets_repo.insert(
        conn, user_id, secrets.digest(token), actor.id if actor else None, expires
    )
    await _event(
        conn,
        actor.id if actor else None,
        "account.password_reset_issued",
        user_id,
        account.email,
        expiresAt=made["expires_at"],
    )
    return IssuedReset(account, token, made["expires_at"])


@dataclass(frozen=True)
class ResetPreview:
    """What the page behind a reset link shows."""

    email: str
    name: str
    expires_at: dt.datetime
    status: LinkStatus
    problem: str | None


def _problem(row: asyncpg.Record, status: LinkStatus) -> str | None:
    messages = {LinkStatus.USED: USED, LinkStatus.REVOKED: REVOKED, LinkStatus.EXPIRED: EXPIRED}
    if status in messages:
        return messages[status]
    return ACCOUNT_DEACTIVATED if row["deactivated_at"] is not None else None


def _status(row: asyncpg.Record) -> LinkStatus:
    return status_of(row["used_at"], row["revoked_at"], row["expired"])


async def reset_preview(conn: asyncpg.Connection, token: str) -> ResetPreview:
    row = await resets_repo.by_token(conn, secrets.digest(token.strip()))
    if row is None:
        raise NotFound(NO_SUCH_LINK, field="token")
    status = _status(row)
    return ResetPreview(row["email"], row["name"], row["expires_at"], status, _problem(row, status))


async def reset_password(
    conn: asyncpg.Connection,
    settings: Settings,
    token: str,
    new: str,
    passwords: PasswordHashing = IN_PROCESS,
) -> tuple[User, str]:
    """Set a new password through a reset link, end every other credential of the
    account, and open a session for it. Returns the account and the session id."""
    row = await resets_repo.by_token(conn, secrets.digest(token.strip()), for_update=True)
    if row is None:
        raise NotFound(NO_SUCH_LINK, field="token")
    problem = _problem(row, _status(row))
    if problem == ACCOUNT_DEACTIVATED:
        raise Forbidden(problem)
    if problem is not None:
        raise Conflict(problem, field="token")
    await _store(conn, settings, row["user_id"], new, "password", passwords)
    await resets_repo.mark_used(conn, row["id"])
    ended = await end_credentials(conn, row["user_id"])
    await _event(
        conn, row["user_id"], "account.password_reset", row["user_id"], row["email"], ended
    )
    user_row = await repo.user_by_id(conn, row["user_id"])
    assert user_row is not None  # the reset's account, locked with it
    return User.from_row(user_row), await open_session(conn, settings, row["user_id"])
