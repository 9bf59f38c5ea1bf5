"""Password hashing with argon2id.

argon2 is slow on purpose (tens of milliseconds of CPU per call), so the server never
runs it on its event loop: :class:`accord.auth.password_pool.PasswordPool` runs it in a
few threads (argon2-cffi releases the GIL). :data:`IN_PROCESS` runs it in the caller, for
the CLI and set-up code that serves no other requests.
"""

from __future__ import annotations

from typing import Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()  # argon2id with the library's current recommended costs
# Verified against when an email is unknown, so both answers cost the same time.
_DUMMY_HASH = _hasher.hash("accord-no-such-user")

MIN_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; a missing hash is checked against a dummy, so an
    unknown account costs the same argon2 work as a wrong password."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


class PasswordHashing(Protocol):
    """Where argon2 runs: a bounded thread pool in the server, the caller elsewhere."""

    async def hash(self, password: str) -> str: ...

    async def verify(self, password_hash: str | None, password: str) -> bool: ...


class _InProcess:
    async def hash(self, password: str) -> str:
        return hash_password(password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        return verify_password(password_hash, password)


#: For the CLI, the demo loader and tests' set-up: no event loop of a server to keep free.
IN_PROCESS: PasswordHashing = _InProcess()
