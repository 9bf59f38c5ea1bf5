"""Opaque secrets: API tokens and session ids. Only their SHA-256 reaches the database."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_PREFIX = "accord_"


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def new_session_id() -> str:
    return secrets.token_urlsafe(32)


def digest(value: str) -> bytes:
    return hashlib.sha256(value.encode("utf-8")).digest()


def generate_password() -> str:
    return secrets.token_urlsafe(15)


def new_link_token() -> str:
    """The secret part of a one-time link (an invitation, a password reset)."""
    return secrets.token_urlsafe(32)
