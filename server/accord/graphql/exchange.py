"""Imports (multipart uploads) and export links over GraphQL."""

from enum import Enum
from pathlib import PurePath
from typing import Annotated, Any, BinaryIO, TypeAlias, cast
from urllib.parse import urlencode

import asyncpg
import strawberry
from strawberry.file_uploads import Upload
from strawberry.scalars import JSON
from strawberry.types import Info

from accord.documents import service as documents
from accord.errors import InvalidInput, TooLarge
from accord.exchange import importing
from accord.exchange.exporting import check_format
from accord.graphql.agreement import AgreementInput
from accord.graphql.context import Context
from accord.graphql.documents import DocumentType
from accord.graphql.errors import Errors, mutate, read
from accord.graphql.projects import ProjectType
from accord.graphql.users import UserType
from accord.http.downloads import EXPORT_PATH, request_to_query
from accord.ids import parse_id
from accord.permissions import Action
from accord.projects import service as projects
from accord.reports.agreement import AgreementRequest
from accord.users.model import User


@strawberry.type(name="SkippedItem", description="Something in a file that did not come in.")
class SkippedItemType:
    kind: str
    name: str
    reason: str


@strawberry.enum
class AccountMatchKind(Enum):
    EMAIL = "email"
    EXPORT = "export"
    CODER = "coder"
    CREATED = "created"


@strawberry.type(
    name="ImportedUser",
    description="A user named in an imported file and the account that holds their work: "
    "an account the importer shares a project with and whose email the file gives "
    "(EMAIL) or whose GUID an Accord export gave it (EXPORT), the account named to receive "
    "the codings (CODER), or a new placeholder account that cannot log in (CREATED).",
)
class ImportedUserType:
    name: str = strawberry.field(description="The name in the file.")
    email: str | None = strawberry.field(description="The email in the file, if any.")
    account: UserType
    matched_by: AccountMatchKind


@strawberry.type(
    name="ImportResult",
    description="What an import made. `counts` says what came in (documents, codes, codings, "
    "users, memos...), `skipped` what did not and why.",
)
class ImportResultType:
    project: ProjectType
    documents: list[DocumentType]
    counts: JSON
    skipped: list[SkippedItemType]
    warnings: list[str]
    users: list[ImportedUserType] = strawberry.field(
        description="Each user of an imported project and the account they became."
    )
    lost: list[str] = strawberry.field(
        description="Read this first: what the file held that did not come in. Its first "
        "line says how many of the file's codings were lost, each further line how many "
        "and why (a source Accord cannot read, a code missing from the codebook...). "
        "Empty when every coding came in."
    )
    codings_lost: int = strawberry.field(
        description="How many of the file's codings did not come in (0 when none)."
    )


ImportResult: TypeAlias = Annotated[ImportResultType | Errors, strawberry.union("ImportFileResult")]


@strawberry.enum
class ExportFormat(Enum):
    QDPX = "qdpx"
    QDC = "qdc"
    CSV = "csv"
    JSON = "json"
    REPORT = "report"
    DECISIONS_CSV = "decisions-csv"
    DECISIONS_MD = "decisions-md"
    SYNTHESIS_MD = "synthesis-md"


@strawberry.enum
class PositionUnit(Enum):
    CODEPOINTS = "codepoints"
    UTF16 = "utf16"


# Files are parsed in a worker process (the bytes travel there; the upload limit bounds
# them), within the caller's heavy-work slot.
READING = "Reading this file"
ADVICE = "split it into smaller files"


def _upload(info: Info[Context, None], file: Any) -> tuple[BinaryIO, str]:
    """The uploaded file and its name, refused on size before anything reads it."""
    limit = info.context.settings.max_upload_bytes
    handle: BinaryIO = file.file
    size = getattr(file, "size", None)
    if size is None:
        handle.seek(0, 2)
        size = handle.tell()
    handle.seek(0)
    if size > limit:
        raise TooLarge(
            f"The file is {size:,} bytes, over the limit of {limit:,} (ACCORD_MAX_UPLOAD_BYTES).",
            field="file",
        )
    name = PurePath((file.filename or "upload").replace("\\", "/")).name
    return handle, name


async def _close(file: Any) -> None:
    # The multipart parser spools uploads to temporary files; nobody else closes them.
    close = getattr(file, "close", None)
    if close is not None:
        await close()


async def _result(
    conn: asyncpg.Connection, user: User, outcome: importing.ImportOutcome
) -> ImportResultType:
    project = await projects.load(conn, outcome.project_id, user, Action.VIEW_PROJECT)
    docs = [
        DocumentType.of(await documents.load(conn, d, user, Action.VIEW_DOCUMENTS))
        for d in outcome.document_ids
    ]
    report = outcome.report
    return ImportResultType(
        project=ProjectType.of(project),
        documents=docs,
        counts=cast(JSON, report.counts),
        skipped=[
            SkippedItemType(kind=s.kind, name=s.name, reason=s.reason) for s in report.skipped
        ],
        warnings=[*report.warnings, *(p for p in _position_notes(report))],
        users=[
            ImportedUserType(
                name=a.name,
                email=a.email,
                account=UserType.of(User(a.account_id, a.account_email, a.account_name)),
                matched_by=AccountMatchKind(a.how),
            )
            for a in report.accounts
        ],
        lost=report.loss_lines(),
        codings_lost=report.codings_lost,
    )


def _position_notes(report: Any) -> list[str]:
    return [
        f"Positions in {c.document_title!r} read as {c.interpretation}: {c.on_word_boundaries} "
        f"of {c.selections} selections on word boundaries."
        for c in report.positions
    ]


def agreement_request(given: AgreementInput | None) -> AgreementRequest:
    """The service's request from the GraphQL input (the same defaults as `agreement`)."""
    g = given or AgreementInput()
    return AgreementRequest(
        unit_mode=g.unit_mode.value,
        unit_kind=g.unit_kind.value,
        min_coverage=g.min_coverage,
        overlap_percent=g.overlap_percent,
        coder_ids=[str(c) for c in g.coder_ids] if g.coder_ids is not None else None,
        document_ids=[str(d) for d in g.document_ids] if g.document_ids is not None else None,
        code_ids=[str(c) for c in g.code_ids] if g.code_ids is not None else None,
        round_id=str(g.round_id) if g.round_id is not None else None,
        code_level=g.code_level.value,
        bootstrap_resamples=g.bootstrap.resamples if g.bootstrap else None,
        bootstrap_seed=g.bootstrap.seed if g.bootstrap else 0,
        bootstrap_method=g.bootstrap.method.name.lower() if g.bootstrap else "pairs",
        population=g.population,
        compare=g.compare.name,
        round_ids=[str(r) for r in g.round_ids] if g.round_ids is not None else None,
    )


@strawberry.type
class Query:
    @strawberry.field(
        description="A download path for the project in `format`, served with the same "
        "credentials as GraphQL (bearer token or session cookie). Leads and viewers only. "
        "`positions` applies to QDPX; `agreement` to REPORT (the same input as `agreement`). "
        "Every format downloads as a file, except REPORT, which opens in the browser with a "
        "link at its top that downloads it."
    )
    async def export_url(
        self,
        info: Info[Context, None],
        project_id: strawberry.ID,
        format: ExportFormat,
        positions: PositionUnit = PositionUnit.CODEPOINTS,
        agreement: AgreementInput | None = None,
        inline: Annotated[
            bool,
            strawberry.argument(
                description="REPORT only: ask for the browser view explicitly (`view=inline`); "
                "a REPORT path opens in the browser without it too."
            ),
        ] = False,
    ) -> str | None:
        async def run(conn: asyncpg.Connection, user: User) -> str:
            pid = parse_id(project_id, "Project")
            await projects.load(conn, pid, user, Action.EXPORT)
            query: dict[str, str] = {"format": check_format(format.value)}
            if format is ExportFormat.QDPX:
                query["positions"] = positions.value
            if format is ExportFormat.REPORT:
                query["agreement"] = request_to_query(agreement_request(agreement))
                if inline:
                    query["view"] = "inline"
            elif inline:
                raise InvalidInput("Only the reliability report opens in the browser.")
            return f"{EXPORT_PATH}/{pid}?{urlencode(query)}"

        return await read(info, run)


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Import a transcript (.txt, .docx, .vtt, .srt) as a document, or a "
        "codebook (.qdc) into the codebook, of an existing project. Multipart upload; "
        "`encoding` names a text encoding other than UTF-8 / UTF-16 with a BOM."
    )
    async def import_file(
        self,
        info: Info[Context, None],
        project_id: strawberry.ID,
        file: Upload,
        encoding: str | None = None,
    ) -> ImportResult:
        async def run(conn: asyncpg.Connection, user: User) -> ImportResultType:
            pid = parse_id(project_id, "Project")
            handle, name = _upload(info, file)
            if importing.file_kind(name) == "project":
                raise InvalidInput("A .qdpx file is a whole project: use importProject.")
            with info.context.heavy.admit(user.id, READING, ADVICE) as offload:
                outcome = await importing.import_file(
                    conn,
                    info.context.settings,
                    user,
                    handle.read(),
                    name,
                    project_id=pid,
                    encoding=encoding,
                    offload=offload,
                )
            return await _result(conn, user, outcome)

        try:
            return await mutate(info, run)
        finally:
            await _close(file)

    @strawberry.mutation(
        description="Import a REFI-QDA project (.qdpx) as a new project that the caller leads. "
        "A user is the account whose email the file gives, when the caller shares a project "
        "with it (or, in an Accord export, the account whose GUID it carries); names never "
        "match. Every other user becomes a placeholder account that cannot log in; inviting "
        "the email the file gave it hands it and its codings on to that person. Each user's "
        "codings become their layer, submitted and revealed. Codings "
        "that cannot come in are listed in the result's `lost`, which a client shows first."
    )
    async def import_project(self, info: Info[Context, None], file: Upload) -> ImportResult:
        async def run(conn: asyncpg.Connection, user: User) -> ImportResultType:
            handle, name = _upload(info, file)
            if importing.file_kind(name) != "project":
                raise InvalidInput("importProject takes a .qdpx file; use importFile for others.")
            with info.context.heavy.admit(user.id, READING, ADVICE) as offload:
                outcome = await importing.import_file(
                    conn, info.context.settings, user, handle.read(), name, offload=offload
                )
            return await _result(conn, user, outcome)

        try:
            return await mutate(info, run)
        finally:
            await _close(file)
