"""The account a request acts for."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import asyncpg


@dataclass(frozen=True)
class User:
    id: UUID
    email: str
    name: str
    # Read with the account at the start of each request; services that act as an
    # administrator check it again in their own transaction (users.admin.require_admin).
    is_admin: bool = False

    @classmethod
    def from_row(cls, row: asyncpg.Record) -> User:
        return cls(
            id=row["id"],
            email=row["email"],
            name=row["name"],
            is_admin=bool(row.get("is_admin", False)),
        )
