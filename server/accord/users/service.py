"""Accounts, API tokens, sessions and login: one transaction per use case."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from uuid import UUID

import asyncpg

from accord.auth import secrets
from accord.auth.password_policy import DEFAULT_MIN_LENGTH, check_new_password
from accord.auth.passwords import IN_PROCESS, PasswordHashing
from accord.auth.revocation import Credential, credentials_ended
from accord.config import Settings
from accord.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    RateLimited,
    Unauthenticated,
)
from accord.users import repo, resets_repo
from accord.users.model import User

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_NAME = 200
LOGIN_FAILED = "Email or password is incorrect."
ACCOUNT_DEACTIVATED = "This account is deactivated. Ask a site administrator to reactivate it."


def normalize_email(email: str) -> str:
    email = email.strip()
    if len(email) > 320 or not _EMAIL.match(email):
        raise InvalidInput(f"{email!r} is not an email address.", field="email")
    return email


def clean_name(name: str, *, field: str = "name") -> str:
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("A name cannot be empty.", field=field)
    if len(name) > MAX_NAME:
        raise InvalidInput(f"A name can be at most {MAX_NAME} characters.", field=field)
    return name


async def create_user(
    conn: asyncpg.Connection,
    email: str,
    name: str | None,
    password: str | None,
    *,
    is_admin: bool = False,
    first_is_admin: bool = True,
    min_password_length: int = DEFAULT_MIN_LENGTH,
    passwords: PasswordHashing = IN_PROCESS,
) -> User:
    """Create an account; ``password=None`` makes a placeholder that cannot log in.

    The first account with a password on an empty database is a site administrator,
    unless ``first_is_admin`` is false (the demo's accounts, whose passwords are public).
    A request handler passes the app's password pool as ``passwords``, so argon2 runs
    off the event loop; the default hashes in the caller (CLI, demo, set-up code).
    """
    email = normalize_email(email)
    display = clean_name(name if name is not None else email.split("@")[0])
    if password is not None:
        check_new_password(password, min_length=min_password_length)
    hashed = await passwords.hash(password) if password is not None else None
    row = await repo.insert_user(conn, email, display, hashed, is_admin, first_is_admin)
    if row is None:
        raise Conflict(f"An account with the email {email} already exists.", field="email")
    return User.from_row(row)


async def user_by_email(conn: asyncpg.Connection, email: str) -> User:
    row = await repo.user_by_email(conn, email.strip())
    if row is None:
        raise NotFound(f"No account uses the email {email.strip()}.", field="email")
    return User.from_row(row)


@dataclass(frozen=True)
class IssuedToken:
    id: UUID
    name: str
    token: str


async def create_token(conn: asyncpg.Connection, user: User, name: str | None) -> IssuedToken:
    label = clean_name(name or "API token", field="name")
    if await repo.is_deactivated(conn, user.id):
        raise Forbidden(ACCOUNT_DEACTIVATED)
    token = secrets.new_token()
    row = await repo.insert_token(conn, user.id, label, secrets.digest(token))
    return IssuedToken(id=row["id"], name=row["name"], token=token)


async def user_for_token(conn: asyncpg.Connection, token: str) -> User | None:
    row = await repo.user_for_token(conn, secrets.digest(token))
    return User.from_row(row) if row else None


async def credential_of(
    conn: asyncpg.Connection, user: User, *, token: str | None, session_id: str | None
) -> Credential:
    """What ends the caller's authority: their token (by id) or their session."""
    if token is not None:
        return Credential(user.id, token_id=await repo.token_id(conn, secrets.digest(token)))
    return Credential(user.id, session_hash=secrets.digest(session_id or ""))


async def user_for_session(conn: asyncpg.Connection, session_id: str) -> User | None:
    row = await repo.user_for_session(conn, secrets.digest(session_id))
    return User.from_row(row) if row else None


async def login(
    conn: asyncpg.Connection,
    settings: Settings,
    email: str,
    password: str,
    address: str,
    *,
    passwords: PasswordHashing,
) -> tuple[User, str]:
    """Check a password and open a session. Returns the user and the new session id.

    An unknown email and a wrong password give the same answer and take the same path:
    one argon2 check in ``passwords`` (against a dummy hash for an unknown email).
    Failures count against both the email and the client address. Each attempt is
    charged as a failure before its password is checked, in a transaction of its own, so
    however many arrive at once, at most the limit's number of passwords are checked; a
    correct password takes its charge back in the session's transaction.
    """
    key = email.strip().lower()
    charge = await charge_attempt(conn, settings, key, address, "failed logins")
    row = await repo.user_by_email(conn, key)
    matches = await passwords.verify(row["password_hash"] if row else None, password)
    if row is None or not matches:
        raise Unauthenticated(LOGIN_FAILED)
    await repo.refund_attempt(conn, charge)
    # Said only to someone who knows the password, so it reveals nothing to a guesser.
    if row["deactivated_at"] is not None:
        raise Forbidden(ACCOUNT_DEACTIVATED)
    async with conn.transaction():
        session_id = await open_session(conn, settings, row["id"])
    return User.from_row(row), session_id


async def charge_attempt(
    conn: asyncpg.Connection, settings: Settings, key: str, address: str, what: str
) -> int:
    """Charge a password check against the limits of the email and the address, before
    the password is checked; the charge's id, for :func:`repo.refund_attempt` when the
    password is right. Past a limit, RATE_LIMITED with the exact wait."""
    async with conn.transaction():
        charge = await repo.charge_attempt(
            conn,
            key,
            address,
            settings.login_window_seconds,
            settings.login_max_attempts,
            settings.login_max_attempts_per_address,
        )
    if charge is None:
        wait = await repo.seconds_until_allowed(
            conn,
            key,
            address,
            settings.login_window_seconds,
            settings.login_max_attempts,
            settings.login_max_attempts_per_address,
        )
        seconds = max(1, math.ceil(wait))
        raise RateLimited(
            f"Too many {what}. Try again in {wait_in_words(seconds)}.",
            retry_after_seconds=seconds,
        )
    return charge


async def open_session(conn: asyncpg.Connection, settings: Settings, user_id: UUID) -> str:
    """Start a browser session for the account; returns the id for the cookie."""
    session_id = secrets.new_session_id()
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(days=settings.session_days)
    await repo.insert_session(conn, secrets.digest(session_id), user_id, expires)
    await repo.touch_last_login(conn, user_id)
    return session_id


def wait_in_words(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


async def logout(conn: asyncpg.Connection, user: User, session_id: str) -> None:
    """End a session; the sockets it opened close when the transaction commits."""
    session_hash = secrets.digest(session_id)
    await repo.delete_session(conn, session_hash)
    await credentials_ended(conn, user_id=user.id, session_hash=session_hash)


async def revoke_token(conn: asyncpg.Connection, user: User, token_id: UUID) -> asyncpg.Record:
    """Revoke a token; the sockets it opened close when the transaction commits."""
    row = await repo.revoke_token(conn, user.id, token_id)
    if row is None:
        raise NotFound("You have no token with that id.", field="id")
    await credentials_ended(conn, user_id=user.id, token_id=token_id)
    return row


@dataclass(frozen=True)
class EndedCredentials:
    user_id: UUID
    sessions: int
    tokens: int
    kept_session: str | None


async def end_credentials(
    conn: asyncpg.Connection, user_id: UUID, keep_session: str | None = None
) -> EndedCredentials:
    """End the account's sessions (all but ``keep_session``), API tokens and open
    password-reset links, at once: the one place a password change, a reset and a
    deactivation cut an account off. Call it inside the use case's transaction."""
    keep = secrets.digest(keep_session) if keep_session is not None else None
    sessions = await repo.delete_sessions_of(conn, user_id, keep)
    tokens = await repo.revoke_tokens_of(conn, user_id)
    await resets_repo.revoke_open(conn, user_id)
    # Every open WebSocket of the account closes on commit, in every server process; one
    # opened with the kept session reconnects with it at once.
    await credentials_ended(conn, user_id=user_id)
    return EndedCredentials(user_id, sessions, tokens, keep_session)
