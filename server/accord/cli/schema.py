"""`accord export-schema`: write the GraphQL SDL."""

from __future__ import annotations

import argparse
from pathlib import Path

# Relative to the current directory: run it from the repository's root.
DEFAULT_PATH = Path("schema") / "schema.graphql"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "export-schema",
        help="write the GraphQL schema (SDL) to schema/schema.graphql",
        description="Write the GraphQL schema, exported from the code, as SDL. "
        "Commit the result: a test fails when the committed file is stale.",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=DEFAULT_PATH,
        help="where to write (default: %(default)s)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from accord.graphql.schema import sdl

    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(sdl(), encoding="utf-8")
    print(f"wrote {args.output}")
    return 0
