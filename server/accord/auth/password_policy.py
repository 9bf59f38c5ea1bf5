"""What a new password must be: long enough, and not among the most common ones.

The minimum length is a setting (ACCORD_PASSWORD_MIN_LENGTH, default 10, never below 8).
Length is what slows a guesser most, and the common-password list removes the short
cuts people take to reach a length; together with argon2id and the login limits, 10
characters keep online and offline guessing expensive without pushing people to write
passwords down. Sites that want NIST SP 800-63B-4's 15 characters for passwords used
alone, or OWASP ASVS's 12, raise the setting.
"""

from __future__ import annotations

from functools import cache

from accord.errors import InvalidInput
from accord.resources import package_dir

DEFAULT_MIN_LENGTH = 10
# argon2 hashes any length, but a megabyte "password" is only a way to burn CPU.
MAX_LENGTH = 1024


@cache
def common_passwords() -> frozenset[str]:
    path = package_dir("auth") / "common_passwords" / "common-passwords.txt"
    with path.open(encoding="utf-8") as handle:
        return frozenset(line.strip() for line in handle if line.strip())


def is_common(password: str) -> bool:
    return password.strip().lower() in common_passwords()


def check_new_password(
    password: str, *, min_length: int = DEFAULT_MIN_LENGTH, field: str = "password"
) -> None:
    """Raise INVALID_INPUT with a sentence a person can act on when ``password`` is weak."""
    # Spaces around a password do not count, or "  123456  " would pass both checks.
    if len(password.strip()) < min_length:
        raise InvalidInput(f"A password needs at least {min_length} characters.", field=field)
    if len(password) > MAX_LENGTH:
        raise InvalidInput(f"A password can be at most {MAX_LENGTH} characters.", field=field)
    if is_common(password):
        raise InvalidInput(
            "This password is among the most common ones, which attackers try first: "
            "choose another.",
            field=field,
        )
