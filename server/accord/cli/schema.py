"""`accord export-schema`: write the GraphQL SDL."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from accord.cli.output import check_output, to_stdout, write_output
from accord.errors import AccordError

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
        help="where to write (default: %(default)s, from the repository's root); - for "
        "standard output",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from accord.graphql.schema import sdl

    try:
        check_output(args.output)
        write_output(args.output, sdl().encode())
    except AccordError as exc:
        hint = " Run it from the repository's root." if args.output == DEFAULT_PATH else ""
        print(f"accord export-schema: error: {exc.message}{hint}", file=sys.stderr)
        return 2
    if not to_stdout(args.output):
        print(f"wrote {args.output}")
    return 0
