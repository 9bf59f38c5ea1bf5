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

    @classmethod
    def from_row(cls, row: asyncpg.Record) -> User:
        return cls(id=row["id"], email=row["email"], name=row["name"])
