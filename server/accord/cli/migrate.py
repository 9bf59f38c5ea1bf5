"""`accord migrate`: apply pending migrations."""

from __future__ import annotations

import argparse
import asyncio

from accord.config import Settings
from accord.db.target import apply_migrations, database_url


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "migrate",
        help="apply pending database migrations",
        description="Apply every pending migration in migrations/, one transaction per file. "
        "Safe to run while a server is running: an advisory lock keeps two runs apart.",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    with database_url(settings, migrate_embedded=False) as url:
        applied = asyncio.run(apply_migrations(url))
    if applied:
        for migration in applied:
            print(f"applied {migration.name}")
    else:
        print("The database is up to date.")
    return 0
