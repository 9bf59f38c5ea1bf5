"""Accounts, API tokens, sessions and login: one transaction per use case."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from uuid import UUID

import asyncpg

from accord.auth import secrets
from accord.auth.password_policy import DEFAULT_MIN_LENGTH, check_new_password
from accord.auth.passwords import hash_password, verify_password
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
) -> User:
    """Create an account; ``password=None`` makes a placeholder that cannot log in.

    The first account with a password on an empty database is a site administrator,
    unless ``first_is_admin`` is false (the demo's accounts, whose passwords are public).
    """
    email = normalize_email(email)
    display = clean_name(name if name is not None else email.split("@")[0])
    if password is not None:
        check_new_password(password, min_length=min_password_length)
    hashed = hash_password(password) if password is not None else None
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


async def user_for_session(conn: asyncpg.Connection, session_id: str) -> User | None:
    row = await repo.user_for_session(conn, secrets.digest(session_id))
    return User.from_row(row) if row else None


async def login(
    conn: asyncpg.Connection, settings: Settings, email: str, password: str, address: str
) -> tuple[User, str]:
    """Check a password and open a session. Returns the user and the new session id.

    An unknown email and a wrong password give the same answer and cost the same
    argon2 work. Failures count against both the email and the client address.
    """
    key = email.strip().lower()
    by_email, by_address = await repo.count_failures(
        conn, key, address, settings.login_window_seconds
    )
    if (
        by_email >= settings.login_max_attempts
        or by_address >= settings.login_max_attempts_per_address
    ):
        minutes = max(1, settings.login_window_seconds // 60)
        raise RateLimited(f"Too many failed logins. Try again in {minutes} minutes.")
    row = await repo.user_by_email(conn, key)
    if row is None or not verify_password(row["password_hash"], password):
        if row is None:
            verify_password(None, password)  # the same argon2 work as a wrong password
        await repo.record_failure(conn, key, address)
        raise Unauthenticated(LOGIN_FAILED)
    # Said only to someone who knows the password, so it reveals nothing to a guesser.
    if row["deactivated_at"] is not None:
        raise Forbidden(ACCOUNT_DEACTIVATED)
    return User.from_row(row), await open_session(conn, settings, row["id"])


async def open_session(conn: asyncpg.Connection, settings: Settings, user_id: UUID) -> str:
    """Start a browser session for the account; returns the id for the cookie."""
    session_id = secrets.new_session_id()
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(days=settings.session_days)
    await repo.insert_session(conn, secrets.digest(session_id), user_id, expires)
    await repo.touch_last_login(conn, user_id)
    return session_id


async def logout(conn: asyncpg.Connection, session_id: str) -> None:
    await repo.delete_session(conn, secrets.digest(session_id))


async def revoke_token(conn: asyncpg.Connection, user: User, token_id: UUID) -> asyncpg.Record:
    row = await repo.revoke_token(conn, user.id, token_id)
    if row is None:
        raise NotFound("You have no token with that id.", field="id")
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
    return EndedCredentials(user_id, sessions, tokens, keep_session)
