"""The migration runner, against blank databases."""

from __future__ import annotations

import asyncio
import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from accord.db import migrations
from accord.db.migrations import MigrationError
from accord.resources import migrations_dir


@pytest.fixture
async def conn(scratch_database: str) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(scratch_database)
    try:
        yield connection
    finally:
        await connection.close()


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """A copy of migrations/ that a test may change."""
    target = tmp_path / "migrations"
    shutil.copytree(migrations_dir(), target)
    return target


async def _recorded(conn: asyncpg.Connection) -> list[tuple[int, str, str]]:
    rows = await conn.fetch("SELECT version, name, checksum FROM schema_migrations ORDER BY 1")
    return [(r["version"], r["name"], r["checksum"]) for r in rows]


async def test_migrate_applies_every_file_with_checksums(
    conn: asyncpg.Connection, files: Path
) -> None:
    expected = migrations.load_migrations(files)
    assert expected and expected[0].name == "0001_init.sql"
    applied = await migrations.migrate(conn, files)
    assert [m.name for m in applied] == [m.name for m in expected]
    assert await _recorded(conn) == [(m.version, m.name, m.checksum) for m in expected]
    assert await conn.fetchval("SELECT to_regclass('users') IS NOT NULL")
    status = await migrations.status(conn, files)
    assert status.current and status.applied == [m.version for m in expected]
    await migrations.require_current(conn, files)


async def test_migrating_twice_applies_nothing(conn: asyncpg.Connection, files: Path) -> None:
    await migrations.migrate(conn, files)
    before = await _recorded(conn)
    assert await migrations.migrate(conn, files) == []
    assert await _recorded(conn) == before


async def test_an_edited_applied_file_is_refused_by_name(
    conn: asyncpg.Connection, files: Path
) -> None:
    await migrations.migrate(conn, files)
    edited = files / "0001_init.sql"
    edited.write_text(edited.read_text() + "\n-- a harmless-looking edit\n")
    for check in (migrations.migrate, migrations.status, migrations.require_current):
        with pytest.raises(MigrationError, match=re.escape("0001_init.sql")) as caught:
            await check(conn, files)
        assert "edited" in str(caught.value)


async def test_a_database_ahead_of_the_code_is_refused(
    conn: asyncpg.Connection, files: Path
) -> None:
    await migrations.migrate(conn, files)
    await conn.execute(
        "INSERT INTO schema_migrations (version, name, checksum) "
        "VALUES (9999, '9999_from_the_future.sql', 'x')"
    )
    for check in (migrations.migrate, migrations.require_current):
        with pytest.raises(MigrationError, match=re.escape("9999_from_the_future.sql")) as caught:
            await check(conn, files)
        assert "newer Accord" in str(caught.value)


async def test_a_newer_file_makes_the_database_behind(
    conn: asyncpg.Connection, files: Path
) -> None:
    await migrations.migrate(conn, files)
    (files / "9000_add_notes.sql").write_text("CREATE TABLE notes (id integer);\n")
    with pytest.raises(MigrationError, match="accord migrate") as caught:
        await migrations.require_current(conn, files)
    assert "9000_add_notes.sql" in str(caught.value)
    status = await migrations.status(conn, files)
    assert [m.name for m in status.pending] == ["9000_add_notes.sql"]
    assert [m.name for m in await migrations.migrate(conn, files)] == ["9000_add_notes.sql"]
    await migrations.require_current(conn, files)


async def test_a_blank_database_is_behind(conn: asyncpg.Connection) -> None:
    with pytest.raises(MigrationError, match="accord migrate"):
        await migrations.require_current(conn)


async def test_concurrent_migrations_apply_each_file_once(
    scratch_database: str, files: Path
) -> None:
    # A slow file keeps the first runner inside the lock while the second arrives.
    (files / "9000_slow.sql").write_text(
        "SELECT pg_sleep(0.5);\nCREATE TABLE slow_once (id integer);\n"
    )
    one, two = await asyncpg.connect(scratch_database), await asyncpg.connect(scratch_database)
    try:
        results = await asyncio.gather(
            migrations.migrate(one, files), migrations.migrate(two, files)
        )
        names = sorted([m.name for m in results[0]] + [m.name for m in results[1]])
        expected = sorted(m.name for m in migrations.load_migrations(files))
        assert names == expected  # every file applied, and by only one of the two
        assert len(await _recorded(one)) == len(expected)
    finally:
        await one.close()
        await two.close()


async def test_a_failing_migration_rolls_back_whole_and_names_the_file(
    conn: asyncpg.Connection, files: Path
) -> None:
    await migrations.migrate(conn, files)
    before = await _recorded(conn)
    (files / "9000_broken.sql").write_text(
        "CREATE TABLE half_done (id integer);\nINSERT INTO half_done VALUES (1);\nSELECT 1 / 0;\n"
    )
    (files / "9001_after.sql").write_text("CREATE TABLE after_broken (id integer);\n")
    with pytest.raises(MigrationError, match=re.escape("9000_broken.sql")) as caught:
        await migrations.migrate(conn, files)
    assert "division by zero" in str(caught.value)
    assert not await conn.fetchval("SELECT to_regclass('half_done') IS NOT NULL")
    assert not await conn.fetchval("SELECT to_regclass('after_broken') IS NOT NULL")
    assert await _recorded(conn) == before
    # The lock was let go: a fixed file then applies.
    (files / "9000_broken.sql").write_text("CREATE TABLE half_done (id integer);\n")
    assert [m.name for m in await migrations.migrate(conn, files)] == [
        "9000_broken.sql",
        "9001_after.sql",
    ]


async def test_failure_in_the_first_migration_leaves_a_blank_database(
    conn: asyncpg.Connection, tmp_path: Path
) -> None:
    (tmp_path / "0001_bad.sql").write_text("CREATE TABLE t (id integer);\nSELECT nope;\n")
    with pytest.raises(MigrationError, match=re.escape("0001_bad.sql")):
        await migrations.migrate(conn, tmp_path)
    assert not await conn.fetchval("SELECT to_regclass('t') IS NOT NULL")
    assert await _recorded(conn) == []


@pytest.mark.parametrize("name", ["1_short.sql", "0003_Upper.sql", "0003-dash.sql"])
def test_badly_named_files_are_refused(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text("SELECT 1;")
    with pytest.raises(MigrationError, match=re.escape(name)):
        migrations.load_migrations(tmp_path)


def test_two_files_with_one_version_are_refused(tmp_path: Path) -> None:
    (tmp_path / "0001_a.sql").write_text("SELECT 1;")
    (tmp_path / "0001_b.sql").write_text("SELECT 2;")
    with pytest.raises(MigrationError, match="share version 1"):
        migrations.load_migrations(tmp_path)
