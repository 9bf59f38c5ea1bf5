"""The migration runner: numbered .sql files in ``migrations/``, applied forward only.

Each file runs in its own transaction and is recorded with a checksum. A session-level
advisory lock keeps two processes from migrating at once. An applied file that was
edited afterwards, or a database that knows versions the code does not, is refused
with a message that names the file.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from accord.resources import migrations_dir

# Any constant works; it only has to be the same in every Accord process.
ADVISORY_LOCK_KEY = 0x0ACC0_4D


class MigrationError(Exception):
    """The database and the migration files do not fit together."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Path
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Status:
    applied: list[int]
    pending: list[Migration]

    @property
    def current(self) -> bool:
        return not self.pending


_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def load_migrations(directory: Path | None = None) -> list[Migration]:
    """The migration files, in order. The package's own folder unless one is given.

    A missing or empty folder is an error: no files must never read as "up to date".
    """
    directory = migrations_dir() if directory is None else directory
    if not directory.is_dir():
        raise MigrationError(
            f"No migrations folder at {directory}: this Accord installation is incomplete. "
            "Reinstall the package."
        )
    found: dict[int, Migration] = {}
    for path in sorted(directory.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise MigrationError(
                f"{path.name}: migration files are named NNNN_description.sql (lower case)."
            )
        version = int(match.group(1))
        if version in found:
            raise MigrationError(f"{path.name} and {found[version].name} share version {version}.")
        found[version] = Migration(version, path.name, path, path.read_text(encoding="utf-8"))
    if not found:
        raise MigrationError(
            f"The migrations folder {directory} holds no migration files: this Accord "
            "installation is incomplete. Reinstall the package."
        )
    return [found[v] for v in sorted(found)]


async def _ensure_table(conn: asyncpg.Connection) -> None:
    await conn.execute(
        """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version     integer PRIMARY KEY,
            name        text NOT NULL,
            checksum    text NOT NULL,
            applied_at  timestamptz NOT NULL DEFAULT now()
        )
        """
    )


async def _applied(conn: asyncpg.Connection) -> dict[int, tuple[str, str]]:
    exists = await conn.fetchval("SELECT to_regclass('schema_migrations') IS NOT NULL")
    if not exists:
        return {}
    rows = await conn.fetch("SELECT version, name, checksum FROM schema_migrations")
    return {r["version"]: (r["name"], r["checksum"]) for r in rows}


def _check(applied: dict[int, tuple[str, str]], migrations: list[Migration]) -> list[Migration]:
    by_version = {m.version: m for m in migrations}
    ahead = sorted(v for v in applied if v not in by_version)
    if ahead:
        names = ", ".join(applied[v][0] for v in ahead)
        raise MigrationError(
            f"The database has migrations this version of Accord does not know ({names}). "
            "It was migrated by a newer Accord; upgrade Accord before starting it."
        )
    for version, (name, checksum) in sorted(applied.items()):
        if by_version[version].checksum != checksum:
            raise MigrationError(
                f"migrations/{name} was edited after it was applied to this database. "
                "Applied migrations must not change: restore the file and add a new migration."
            )
    return [m for m in migrations if m.version not in applied]


async def status(conn: asyncpg.Connection, directory: Path | None = None) -> Status:
    """How the database stands against the files; raises MigrationError when it cannot fit."""
    applied = await _applied(conn)
    pending = _check(applied, load_migrations(directory))
    return Status(applied=sorted(applied), pending=pending)


async def migrate(conn: asyncpg.Connection, directory: Path | None = None) -> list[Migration]:
    """Apply every pending migration, one transaction per file. Returns what was applied."""
    migrations = load_migrations(directory)
    await conn.execute("SELECT pg_advisory_lock($1)", ADVISORY_LOCK_KEY)
    try:
        await _ensure_table(conn)
        pending = _check(await _applied(conn), migrations)
        for migration in pending:
            async with conn.transaction():
                try:
                    await conn.execute(migration.sql)
                except asyncpg.PostgresError as exc:
                    raise MigrationError(f"migrations/{migration.name} failed: {exc}") from exc
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                    migration.version,
                    migration.name,
                    migration.checksum,
                )
        return pending
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", ADVISORY_LOCK_KEY)


async def require_current(conn: asyncpg.Connection, directory: Path | None = None) -> None:
    """Refuse to run against a database that is behind, ahead, or edited."""
    current = await status(conn, directory)
    if current.pending:
        names = ", ".join(m.name for m in current.pending)
        raise MigrationError(
            f"The database is behind this version of Accord: {names} not applied. "
            "Run `accord migrate` first."
        )
