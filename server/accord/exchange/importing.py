"""Imports: a transcript into a project, a codebook into a project, a REFI-QDA project as
a new project. Each is one use case in the caller's one transaction: permission first,
then the file is read whole (size checked before reading), then every row is written. A
file that cannot be read raises before anything is written; a refusal while writing
raises too, and the caller's rollback leaves no partial project and no partial document.

Imported codings become each user's layer in the project's default round. Every user with
codings gets a SUBMITTED assignment on every imported document, and the documents are
revealed: the layers were finished in the program they came from, so the agreement
report and the consensus workflow can start at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, ParamSpec, TypeVar
from uuid import UUID, uuid4

import asyncpg

from accord.coding import rounds
from accord.config import Settings
from accord.documents import service as documents
from accord.documents.units import Unit, paragraphs, sentences
from accord.errors import InvalidInput, NotFound, TooLarge
from accord.events.log import append_event
from accord.exchange.codes_in import insert_codes
from accord.exchange.members_in import add_members, hand_to, match_accounts, placeholder_claims
from accord.exchange.memos_in import ImportedCoding, insert_memos
from accord.exchange.names_in import shorten_titles, shorten_user_names
from accord.heavy import Offload, inline
from accord.interop import (
    AccountMatch,
    ExchangeDocument,
    ExchangeProject,
    FormatError,
    ImportLimits,
    ImportReport,
    read_qdc,
    read_qdpx,
    read_transcript,
)
from accord.interop import TooLarge as FileTooLarge
from accord.interop.limits import DEFAULT_LIMITS, InputSource
from accord.interop.transcripts import TRANSCRIPT_EXTENSIONS
from accord.permissions import Action
from accord.projects import service as projects
from accord.users import service as users
from accord.users.model import User

P = ParamSpec("P")
T = TypeVar("T")
MAX_CODING_MEMO = 20_000


class PartialImport(InvalidInput):
    """The file would lose codings and the caller did not accept a partial import;
    nothing was written. ``report`` says what would have come in and what not."""

    def __init__(self, report: ImportReport) -> None:
        lines = report.loss_lines()
        super().__init__(
            "\n".join([*lines, "Nothing was imported."]),
            field="file",
        )
        self.report = report


@dataclass
class ImportOutcome:
    """What an import made, and the report to show the person who ran it."""

    project_id: UUID
    report: ImportReport
    document_ids: list[UUID] = field(default_factory=list)
    created_project: bool = False


def limits_for(settings: Settings) -> ImportLimits:
    """The file size limit comes from the settings. The archive bounds keep their
    defaults unless the file limit is raised past a tenth of them: a REFI-QDA file
    compresses its XML about tenfold, so a server that accepts larger files must also
    open what they hold (a million codings are a project.qde of about 400 MB)."""
    upload = settings.max_upload_bytes
    return ImportLimits(
        max_file_bytes=upload,
        max_entry_bytes=max(DEFAULT_LIMITS.max_entry_bytes, 10 * upload),
        max_total_bytes=max(DEFAULT_LIMITS.max_total_bytes, 20 * upload),
    )


def file_kind(filename: str) -> str:
    """``project``, ``codebook`` or ``transcript``, from the file's extension."""
    extension = PurePath(filename.replace("\\", "/")).suffix.lower()
    if extension == ".qdpx":
        return "project"
    if extension == ".qdc":
        return "codebook"
    if extension in TRANSCRIPT_EXTENSIONS:
        return "transcript"
    raise InvalidInput(
        f"Accord cannot import {PurePath(filename).name!r}: use .txt, .docx, .vtt or .srt "
        "for a transcript, .qdc for a codebook, or .qdpx for a whole project.",
        field="file",
    )


async def read_file(
    offload: Offload, reader: Callable[P, T], *args: P.args, **kwargs: P.kwargs
) -> T:
    """Run a pure file reader through ``offload`` (a worker process in the server),
    turning its refusals into Accord's user errors."""
    try:
        return await offload(reader, *args, **kwargs)
    except FileTooLarge as exc:
        raise TooLarge(exc.message, field="file") from None
    except FormatError as exc:
        raise InvalidInput(exc.message, field="file") from None


async def import_file(
    conn: asyncpg.Connection,
    settings: Settings,
    user: User,
    source: InputSource,
    filename: str,
    *,
    project_id: UUID | None = None,
    encoding: str | None = None,
    coder_email: str | None = None,
    limits: ImportLimits | None = None,
    offload: Offload = inline,
    allow_partial: bool = True,
) -> ImportOutcome:
    """Import any supported file; the extension decides what it becomes.

    The file is parsed by a pure reader run through ``offload``: the server passes its
    heavy-work pool (and bytes, which travel to a worker process), the CLI ``inline``.
    ``allow_partial=False`` refuses (with :class:`PartialImport`) a project that would
    lose any of its codings; otherwise the report leads with what was lost.
    """
    kind = file_kind(filename)
    limits = limits or limits_for(settings)
    if kind == "project":
        if project_id is not None:
            raise InvalidInput(
                "A .qdpx file becomes a new project; import it without a project.",
                field="projectId",
            )
        coder = await users.user_by_email(conn, coder_email) if coder_email else None
        return await import_project(
            conn,
            settings,
            user,
            source,
            limits,
            coder=coder,
            offload=offload,
            allow_partial=allow_partial,
        )
    if coder_email:
        raise InvalidInput("A coder applies only to .qdpx files, which carry codings.")
    if project_id is None:
        raise InvalidInput(
            "Name the project a transcript or codebook goes into.", field="projectId"
        )
    if kind == "codebook":
        return await import_codebook(conn, user, project_id, source, filename, limits, offload)
    return await import_transcript(
        conn, settings, user, project_id, source, filename, encoding, limits, offload
    )


def transcript_units(document: ExchangeDocument) -> list[Unit] | None:
    """Timed cues as speaker turns (with their times), plus computed paragraphs and
    sentences; ``None`` when the file has no cues, so every unit is computed."""
    if not document.units:
        return None
    turns = [
        Unit(
            "SPEAKER_TURN",
            n,
            cue.start,
            cue.end,
            speaker=cue.speaker,
            data={
                key: value
                for key, value in (("startTime", cue.start_time), ("endTime", cue.end_time))
                if value is not None
            },
        )
        for n, cue in enumerate(document.units)
    ]
    return [*paragraphs(document.text), *turns, *sentences(document.text)]


async def import_transcript(
    conn: asyncpg.Connection,
    settings: Settings,
    user: User,
    project_id: UUID,
    source: InputSource,
    filename: str,
    encoding: str | None,
    limits: ImportLimits,
    offload: Offload = inline,
) -> ImportOutcome:
    await projects.load(conn, project_id, user, Action.IMPORT_DOCUMENT, lock=True)
    document = await read_file(offload, read_transcript, source, filename, encoding, limits)
    units = transcript_units(document)
    stored = await documents.import_document(
        conn,
        settings,
        user,
        project_id,
        document.title,
        document.text,
        document.attributes,
        units,
    )
    report = ImportReport(counts={"documents": 1})
    turns = len(document.units) if document.units else None
    if turns is not None:
        report.counts["speaker turns"] = turns
    return ImportOutcome(project_id, report, [stored.id])


async def import_codebook(
    conn: asyncpg.Connection,
    user: User,
    project_id: UUID,
    source: InputSource,
    filename: str,
    limits: ImportLimits,
    offload: Offload = inline,
) -> ImportOutcome:
    """Add a .qdc codebook to a project; codes already there (same name under the same
    parent) are kept and reported as skipped."""
    await projects.load(conn, project_id, user, Action.MANAGE_CODEBOOK, lock=True)
    codes, report = await read_file(offload, read_qdc, source, limits, filename)
    await insert_codes(conn, user, project_id, codes, report, merge_existing=True)
    return ImportOutcome(project_id, report)


async def import_project(
    conn: asyncpg.Connection,
    settings: Settings,
    user: User,
    source: InputSource,
    limits: ImportLimits,
    *,
    coder: User | None = None,
    offload: Offload = inline,
    allow_partial: bool = True,
) -> ImportOutcome:
    """A REFI-QDA project as a new project led by ``user``.

    ``coder`` receives the codings of a file whose codings all belong to one user,
    instead of the account matched to that user. Unless ``allow_partial``, a file that
    would lose codings is refused before anything is written.
    """
    exchange, report = await read_file(offload, read_qdpx, source, limits)
    if report.partial and not allow_partial:
        raise PartialImport(report)
    _check_spans(exchange)
    shorten_titles(exchange, report)
    shorten_user_names(exchange, report)
    project = await projects.create_project(
        conn, user, exchange.name or "Imported project", exchange.description[:10_000], None
    )
    the_round = await rounds.resolve(conn, project.id, None)
    matched = await match_accounts(conn, user, exchange.users)
    if coder is not None:
        hand_to(coder, exchange, matched)
    claims = await placeholder_claims(conn, [m.user.id for m in matched.values()])
    for person in exchange.users:
        if person.guid in matched:
            match = matched[person.guid]
            account = match.user
            report.accounts.append(
                AccountMatch(
                    person.name,
                    person.email,
                    account.id,
                    account.name,
                    account.email,
                    match.how,
                    placeholder=account.id in claims,
                    claim_email=claims.get(account.id),
                )
            )
    layer_of = {guid: m.user.id for guid, m in matched.items()}
    await add_members(conn, user, project.id, matched, report)
    code_ids = await insert_codes(conn, user, project.id, exchange.codes, report)
    document_ids: dict[str, UUID] = {}
    for document in exchange.documents:
        stored = await documents.import_document(
            conn, settings, user, project.id, document.title, document.text, document.attributes
        )
        document_ids[document.guid] = stored.id
    inserted = await _insert_codings(
        conn, project.id, the_round.id, exchange, layer_of, code_ids, document_ids
    )
    coders = {c.coder_id for c in inserted.values() if c.coder_id is not None}
    await _assign_and_reveal(conn, project.id, the_round.id, coders, list(document_ids.values()))
    memos = await insert_memos(
        conn,
        user,
        project.id,
        the_round.id,
        exchange,
        layer_of,
        code_ids,
        document_ids,
        inserted,
        report,
    )
    report.counts["memos"] = memos
    how = [m.how for m in matched.values()]
    report.counts["accounts matched"] = sum(1 for h in how if h != "created")
    report.counts["placeholder accounts"] = how.count("created")
    await append_event(
        conn,
        project_id=project.id,
        actor_id=user.id,
        kind="project.imported",
        subject_type="project",
        subject_id=project.id,
        after={"origin": exchange.origin, "counts": report.counts},
    )
    return ImportOutcome(project.id, report, list(document_ids.values()), created_project=True)


def _check_spans(exchange: ExchangeProject) -> None:
    """Refuse the whole file if a coding lies outside its text (the reader checks too)."""
    lengths = {d.guid: len(d.text) for d in exchange.documents}
    for coding in exchange.codings:
        length = lengths.get(coding.document_guid)
        if length is None or not 0 <= coding.start < coding.end <= length:
            raise InvalidInput(
                f"A selection ({coding.start}–{coding.end}) lies outside the text of its "
                "source; nothing was imported.",
                field="file",
            )


async def _insert_codings(
    conn: asyncpg.Connection,
    project_id: UUID,
    round_id: UUID,
    exchange: ExchangeProject,
    layer_of: dict[str, UUID],
    code_ids: dict[str, UUID],
    document_ids: dict[str, UUID],
) -> dict[str, ImportedCoding]:
    """Insert every coding; returns each file coding GUID's new coding."""
    rows: list[tuple[Any, ...]] = []
    inserted: dict[str, ImportedCoding] = {}
    for c in exchange.codings:
        coder = layer_of.get(c.user_guid)
        memo = (c.memo or "").replace("\x00", "").strip()[:MAX_CODING_MEMO]
        coding_id = uuid4()
        document_id = document_ids[c.document_guid]
        inserted[c.guid] = ImportedCoding(coding_id, document_id, coder)
        rows.append(
            (
                coding_id,
                project_id,
                document_id,
                round_id,
                "CODER" if coder is not None else "CONSENSUS",
                coder,
                code_ids[c.code_guid],
                c.start,
                c.end,
                memo,
            )
        )
    await conn.executemany(
        "INSERT INTO codings (id, project_id, document_id, round_id, layer, coder_id, code_id, "
        "start_offset, end_offset, memo) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        rows,
    )
    return inserted


async def _assign_and_reveal(
    conn: asyncpg.Connection,
    project_id: UUID,
    round_id: UUID,
    coders: set[UUID],
    document_ids: list[UUID],
) -> None:
    await conn.executemany(
        "INSERT INTO assignments (project_id, document_id, round_id, user_id, status, "
        "submitted_at, last_activity_at) VALUES ($1, $2, $3, $4, 'SUBMITTED', now(), now())",
        [(project_id, d, round_id, u) for d in document_ids for u in sorted(coders)],
    )
    if coders:
        await conn.executemany(
            "INSERT INTO reveals (document_id, round_id) VALUES ($1, $2)",
            [(d, round_id) for d in document_ids],
        )


async def acting_lead(conn: asyncpg.Connection, project_id: UUID) -> User:
    """The project's first lead, who acts for a command line run without ``--as``."""
    row = await conn.fetchrow(
        "SELECT u.id, u.email, u.name FROM project_members m JOIN users u ON u.id = m.user_id "
        "WHERE m.project_id = $1 AND m.role = 'LEAD' ORDER BY m.added_at, u.email LIMIT 1",
        project_id,
    )
    if row is None:
        raise NotFound("Project not found.")
    return User.from_row(row)
