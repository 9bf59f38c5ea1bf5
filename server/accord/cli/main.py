"""The `accord` command."""

from __future__ import annotations

import argparse
import sys

from accord.agreement import cli as agreement
from accord.cli import exchange, migrate, projects, schema, serve, users
from accord.config import ConfigError
from accord.db.migrations import MigrationError

DESCRIPTION = """\
Accord: team-based qualitative coding with blind parallel coding,
inter-coder agreement and an audited consensus workflow.

Without ACCORD_DATABASE_URL, commands use a private embedded PostgreSQL
whose data lives in ACCORD_DATA_DIR (default: your user data directory).
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="accord", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    serve.register(commands)
    migrate.register(commands)
    users.register(commands)
    projects.register(commands)
    schema.register(commands)
    agreement.register(commands)
    exchange.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.handler(args)
    except (ConfigError, MigrationError) as exc:
        print(f"accord: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
