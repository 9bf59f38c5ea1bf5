"""`accord import` and `accord export`: files in and out of the database, no server needed."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import cast
from uuid import UUID

import asyncpg

from accord.cli.output import check_output, to_stdout, where, write_output
from accord.config import Settings
from accord.db.pool import create_pool
from accord.db.target import database_url
from accord.errors import AccordError
from accord.exchange import exporting, importing
from accord.projects.lookup import resolve_project
from accord.reports.agreement import LEVELS, MODES, AgreementRequest
from accord.users import service as users
from accord.users.model import User

IMPORT_HELP = """\
Import a file. The extension decides what it becomes:

  .txt .docx .vtt .srt   a document in the project given by --project
                         (.vtt/.srt cues become speaker turns with their times)
  .qdc                   codes added to the codebook of --project
  .qdpx                  a new REFI-QDA project led by the --as account; a user whose
                         email is that of an account you share a project with is that
                         account (so is a user of an Accord export, known by its GUID;
                         names never match), every other user a new placeholder account
                         that cannot log in (an invitation to the project, or `accord
                         user create`, for the file's email hands it to its person); all
                         join as coders; each user's codings become that user's layer
                         in the default round, submitted and revealed

The import is all or nothing: on any error nothing is written. A report of what came in
and what was skipped is printed.

A .qdpx that would lose codings (on a source Accord cannot read, a code missing from the
codebook, a PDF page area or a recording's time span...) is not imported: the command
says what would be lost and exits with status 3. Add --allow-partial to import the rest;
the report then starts with what was lost.
"""

EXPORT_HELP = """\
Export a project. Only leads and viewers may export.

  qdpx           REFI-QDA project (default round; each coder's layer under its user,
                 the consensus layer under a user named "Consensus")
  qdc            the codebook alone
  csv            every coding: document,document_id,coder,round,code,code_path,start,end,text,memo
  json           the whole project, the synthesis included
  report         the printable HTML reliability report (see the agreement options)
  decisions-csv  the consensus decision log as CSV
  decisions-md   the decision log as Markdown
  synthesis-md   the synthesis as Markdown: per category its condensate, analytic text
                 and chosen quotes
"""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    imp = commands.add_parser(
        "import",
        help="import a transcript, a codebook (.qdc) or a REFI-QDA project (.qdpx)",
        description=IMPORT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument("file", metavar="FILE", type=Path, help="the file to import")
    imp.add_argument(
        "--project",
        metavar="PROJECT",
        help="the project a transcript or codebook goes into (required for them): its id, "
        "or its exact name",
    )
    imp.add_argument(
        "--coder",
        metavar="EMAIL",
        help="(.qdpx) the account that receives the codings of a file coded by one user, "
        "instead of the account matched to that user",
    )
    imp.add_argument(
        "--encoding",
        metavar="ENC",
        help="text encoding of a .txt/.vtt/.srt that is neither UTF-8 nor marked UTF-16, "
        "e.g. cp1252",
    )
    imp.add_argument(
        "--as",
        dest="acting",
        metavar="EMAIL",
        help="the account acting (and leading a new project); default for --project: the "
        "project's first lead; required for .qdpx",
    )
    imp.add_argument(
        "--allow-partial",
        action="store_true",
        help="(.qdpx) import a project even though some of its codings cannot come in; "
        "without it such a file is refused (exit status 3) and nothing is written",
    )
    imp.set_defaults(handler=run_import)

    exp = commands.add_parser(
        "export",
        help="export a project as qdpx, qdc, csv, json, report or decision log",
        description=EXPORT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    exp.add_argument("project", metavar="PROJECT", help="the project's id, or its exact name")
    exp.add_argument("--format", required=True, choices=exporting.FORMATS, help="what to write")
    exp.add_argument(
        "-o",
        "--output",
        required=True,
        type=Path,
        metavar="FILE",
        help="the file to write (written whole or not at all); - for standard output "
        "(a .qdpx only when redirected or piped, not to a terminal)",
    )
    exp.add_argument(
        "--positions",
        choices=("codepoints", "utf16"),
        default="codepoints",
        help="qdpx selection positions: code points as REFI says (default), or UTF-16 "
        "units as NVivo counts them",
    )
    exp.add_argument(
        "--as",
        dest="acting",
        metavar="EMAIL",
        help="the account exporting (a lead or viewer; default: the project's first lead)",
    )
    exp.add_argument(
        "--unit-mode", choices=MODES, default="CONTINUUM", help="report: unit of analysis"
    )
    exp.add_argument(
        "--unit-kind",
        choices=("PARAGRAPH", "SPEAKER_TURN", "SENTENCE"),
        default="PARAGRAPH",
        help="report: the predefined units for --unit-mode UNITS",
    )
    exp.add_argument("--code-level", choices=LEVELS, default="CODE", help="report: code level")
    exp.add_argument("--round", metavar="ID", help="report: the round (default: the default)")
    exp.add_argument(
        "--bootstrap", type=int, metavar="N", help="report: N bootstrap resamples for CIs"
    )
    exp.add_argument("--seed", type=int, default=0, help="report: bootstrap seed (default 0)")
    exp.add_argument(
        "--bootstrap-method",
        choices=("pairs", "units"),
        default="pairs",
        help="report: what alpha's bootstrap resamples in UNITS mode, value pairs (Hayes & "
        "Krippendorff 2007, default) or units; CONTINUUM always resamples documents",
    )
    exp.add_argument(
        "--population",
        type=int,
        metavar="N",
        help="report: units in the population, for the finite-population correction of "
        "the standard errors (default: none)",
    )
    exp.set_defaults(handler=run_export)


async def _acting(conn: asyncpg.Connection, email: str | None, project_id: UUID | None) -> User:
    if email:
        return await users.user_by_email(conn, email)
    if project_id is None:
        raise AccordError("Name the account that leads the new project with --as EMAIL.")
    return await importing.acting_lead(conn, project_id)


def _check_import(path: Path, project: str | None) -> None:
    """Refuse what needs no database to refuse: a missing file, or a transcript or
    codebook without the project it goes into."""
    if not path.is_file():
        raise AccordError(f"{path}: no such file.")
    kind = importing.file_kind(path.name)
    if kind != "project" and not project:
        what = "a transcript" if kind == "transcript" else "a codebook"
        raise AccordError(
            f"{path.name} is {what}: name the project it goes into with --project PROJECT "
            "(the project's id or exact name). Only a .qdpx file makes a new project."
        )


def _binary(fmt: str) -> bool:
    return fmt == "qdpx"


async def _import(url: str, settings: Settings, args: argparse.Namespace) -> str:
    path: Path = args.file
    pool = await create_pool(url, settings, min_size=1, max_size=1)
    try:
        async with pool.acquire() as proxy, proxy.transaction():
            conn = cast(asyncpg.Connection, proxy)
            project_id = await resolve_project(conn, args.project) if args.project else None
            actor = await _acting(conn, args.acting, project_id)
            outcome = await importing.import_file(
                conn,
                settings,
                actor,
                path,
                path.name,
                project_id=project_id,
                encoding=args.encoding,
                coder_email=args.coder,
                allow_partial=args.allow_partial,
            )
    finally:
        await pool.close()
    head = (
        f"created project {outcome.project_id}"
        if outcome.created_project
        else f"imported into project {outcome.project_id}"
    )
    docs = "".join(f"\ndocument {d}" for d in outcome.document_ids)
    # What was lost (an import with --allow-partial) comes before anything else.
    lost = "".join(f"{line}\n" for line in outcome.report.loss_lines())
    return f"{lost}{head}{docs}\n{outcome.report.summary(losses=False)}"


async def _export(url: str, settings: Settings, args: argparse.Namespace) -> str:
    request = AgreementRequest(
        unit_mode=args.unit_mode,
        unit_kind=args.unit_kind,
        code_level=args.code_level,
        round_id=args.round,
        bootstrap_resamples=args.bootstrap,
        bootstrap_seed=args.seed,
        bootstrap_method=args.bootstrap_method,
        population=args.population,
    )
    pool = await create_pool(url, settings, min_size=1, max_size=1)
    try:
        async with (
            pool.acquire() as proxy,
            proxy.transaction(isolation="repeatable_read", readonly=True),
        ):
            conn = cast(asyncpg.Connection, proxy)
            project_id = await resolve_project(conn, args.project)
            actor = await _acting(conn, args.acting, project_id)
            export = await exporting.export_project(
                conn, actor, project_id, args.format, positions=args.positions, request=request
            )
    finally:
        await pool.close()
    write_output(args.output, export.content, binary=_binary(args.format))
    return f"wrote {where(args.output)} ({len(export.content):,} bytes, {args.format})"


#: Exit status of an import refused because it would lose codings.
PARTIAL = 3


def _run(action: str, args: argparse.Namespace) -> int:
    try:
        # Refused before the database is reached (an embedded one takes a moment to start).
        if action == "import":
            _check_import(args.file, args.project)
        else:
            check_output(args.output, binary=_binary(args.format))
        settings = Settings.from_env()
        work = _import if action == "import" else _export
        with database_url(settings) as url:
            message = asyncio.run(work(url, settings, args))
    except importing.PartialImport as exc:
        print(f"accord {action}: refused: {exc.message}", file=sys.stderr)
        print("Run again with --allow-partial to import the rest.", file=sys.stderr)
        print(exc.report.summary(heading="Readable in the file", losses=False), file=sys.stderr)
        return PARTIAL
    except AccordError as exc:
        print(f"accord {action}: error: {exc.message}", file=sys.stderr)
        return 2
    # With -o -, standard output holds the export alone.
    quiet = action == "export" and to_stdout(args.output)
    print(message, file=sys.stderr if quiet else sys.stdout)
    return 0


def run_import(args: argparse.Namespace) -> int:
    return _run("import", args)


def run_export(args: argparse.Namespace) -> int:
    return _run("export", args)
