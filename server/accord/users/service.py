"""Accounts, API tokens, sessions and login: one transaction per use case."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from uuid import UUID

import asyncpg

from accord.auth import secrets
from accord.auth.passwords import IN_PROCESS, MIN_PASSWORD_LENGTH, PasswordHashing
from accord.auth.revocation import Credential, credentials_ended
from accord.config import Settings
from accord.errors import Conflict, InvalidInput, NotFound, RateLimited, Unauthenticated
from accord.users import repo
from accord.users.model import User

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_NAME = 200
LOGIN_FAILED = "Email or password is incorrect."


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
    passwords: PasswordHashing = IN_PROCESS,
) -> User:
    """Create an account; ``password=None`` makes a placeholder that cannot log in.

    A request handler passes the app's password pool as ``passwords``, so argon2 runs
    off the event loop; the default hashes in the caller (CLI, demo, set-up code).
    """
    email = normalize_email(email)
    display = clean_name(name if name is not None else email.split("@")[0])
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"A password needs at least {MIN_PASSWORD_LENGTH} characters.", field="password"
        )
    hashed = await passwords.hash(password) if password is not None else None
    row = await repo.insert_user(conn, email, display, hashed)
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
            f"Too many failed logins. Try again in {wait_in_words(seconds)}.",
            retry_after_seconds=seconds,
        )
    row = await repo.user_by_email(conn, key)
    matches = await passwords.verify(row["password_hash"] if row else None, password)
    if row is None or not matches:
        raise Unauthenticated(LOGIN_FAILED)
    session_id = secrets.new_session_id()
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(days=settings.session_days)
    async with conn.transaction():
        await repo.refund_attempt(conn, charge)
        await repo.insert_session(conn, secrets.digest(session_id), row["id"], expires)
    return User.from_row(row), session_id


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
