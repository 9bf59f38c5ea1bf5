"""Exports: a project as REFI-QDA (.qdpx, .qdc), CSV of codings, JSON, the printable
reliability report, and the decision log.

GUIDs are derived from Accord's ids (:func:`accord.interop.stable_guid`), so two exports
of one project name the same codes, documents, users and codings alike. The .qdpx holds
the default round: every member (the lead too, coded or not), every coder's layer
attributed to its account, and the consensus layer to a user named "Consensus" that the
file marks as Accord's consensus layer. A placeholder account's made-up address is never
written anywhere: where an email would go, a placeholder is named by the address its file
gave, else by its name marked "(imported, no email)" (``accord.users.labels``). CSV and
JSON hold every round.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any, Literal
from uuid import UUID

import asyncpg

from accord.coding.access import scope_for_project
from accord.consensus import decisions, synthesis_read
from accord.consensus.synthesis_export import synthesis_markdown
from accord.errors import InvalidInput
from accord.exchange import report_html
from accord.exchange.refi_out import to_exchange
from accord.exchange.snapshot import Snapshot, take
from accord.heavy import Offload, inline
from accord.interop import (
    ExportError,
    write_qdc,
    write_qdpx,
)
from accord.permissions import Action
from accord.projects import service as projects
from accord.reports import agreement
from accord.reports.agreement_compute import assemble
from accord.users.labels import is_made_up, real_email
from accord.users.model import User

FORMATS = (
    "qdpx",
    "qdc",
    "csv",
    "json",
    "report",
    "decisions-csv",
    "decisions-md",
    "synthesis-md",
)
CSV_HEADER = (
    "document",
    "document_id",
    "coder",
    "round",
    "code",
    "code_path",
    "start",
    "end",
    "text",
    "memo",
)
_MEDIA = {
    "qdpx": ("qdpx", "application/zip"),
    "qdc": ("qdc", "application/xml"),
    "csv": ("csv", "text/csv; charset=utf-8"),
    "json": ("json", "application/json"),
    "report": ("html", "text/html; charset=utf-8"),
    "decisions-csv": ("decisions.csv", "text/csv; charset=utf-8"),
    "decisions-md": ("decisions.md", "text/markdown; charset=utf-8"),
    "synthesis-md": ("synthesis.md", "text/markdown; charset=utf-8"),
}


@dataclass(frozen=True)
class Export:
    filename: str
    media_type: str
    content: bytes


@dataclass(frozen=True)
class PreparedExport:
    """An export whose data is read: ``build`` makes its bytes, a pure call (a partial of
    a module-level function over picklable data) that the server runs in a worker."""

    filename: str
    media_type: str
    build: Callable[[], bytes]


#: What to ask for when an export runs out of its time budget.
ADVICE = (
    "export a report with fewer bootstrap resamples or larger units, or ask the server's "
    "operator for a longer ACCORD_COMPUTE_TIMEOUT_SECONDS"
)


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise InvalidInput(f"format must be one of {', '.join(FORMATS)}.", field="format")
    return fmt


def _filename(project_name: str, fmt: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9]+", "-", project_name).strip("-").lower()[:60] or "project"
    return f"{stem}.{_MEDIA[fmt][0]}"


async def prepare_export(
    conn: asyncpg.Connection,
    user: User,
    project_id: UUID,
    fmt: str,
    *,
    positions: Literal["codepoints", "utf16"] = "codepoints",
    request: agreement.AgreementRequest | None = None,
    limits: agreement.AgreementLimits | None = None,
    download_href: str | None = None,
) -> PreparedExport:
    """Read what the export of the project in ``fmt`` needs; leads and viewers only
    (coders get FORBIDDEN). Nothing heavy runs here. ``limits`` bound the report's
    agreement computation (``None``: none, for the command line); ``download_href``
    gives the report, shown in a browser, a link that downloads it."""
    check_format(fmt)
    if fmt == "report":
        project = await projects.load(conn, project_id, user, Action.EXPORT)
        inputs = await agreement.load(
            conn, user, project_id, request or agreement.AgreementRequest(), limits
        )
        titles = await _titles(conn, project_id)
        build = partial(_report, inputs, project.name, titles, download_href)
        return PreparedExport(_filename(project.name, fmt), _MEDIA[fmt][1], build)
    if fmt in ("decisions-csv", "decisions-md"):
        project = await projects.load(conn, project_id, user, Action.EXPORT)
        entries = await decisions.decision_log(conn, user, project_id)
        build = partial(_decisions, entries, fmt, project.name)
        return PreparedExport(_filename(project.name, fmt), _MEDIA[fmt][1], build)
    if fmt == "synthesis-md":
        scope = await scope_for_project(conn, project_id, user, Action.EXPORT)
        sections = await synthesis_read.sections(conn, scope)
        build = partial(_synthesis, sections, scope.project.name)
        return PreparedExport(_filename(scope.project.name, fmt), _MEDIA[fmt][1], build)
    snapshot = await take(conn, user, project_id)
    build = partial(_from_snapshot, snapshot, fmt, positions)
    return PreparedExport(_filename(snapshot.project.name, fmt), _MEDIA[fmt][1], build)


async def export_project(
    conn: asyncpg.Connection,
    user: User,
    project_id: UUID,
    fmt: str,
    *,
    positions: Literal["codepoints", "utf16"] = "codepoints",
    request: agreement.AgreementRequest | None = None,
    limits: agreement.AgreementLimits | None = None,
    offload: Offload = inline,
) -> Export:
    """The project in ``fmt``, read and built in one go (the CLI's way)."""
    prepared = await prepare_export(
        conn, user, project_id, fmt, positions=positions, request=request, limits=limits
    )
    content = await offload(prepared.build)
    return Export(prepared.filename, prepared.media_type, content)


def _report(
    inputs: agreement.AgreementInputs,
    project_name: str,
    titles: dict[str, str],
    download_href: str | None = None,
) -> bytes:
    result = assemble(inputs)
    return report_html.render(result, project_name, titles, download_href).encode()


def _decisions(entries: list[decisions.DecisionEntry], fmt: str, project_name: str) -> bytes:
    if fmt == "decisions-csv":
        return decisions.decision_log_csv(entries).encode()
    return decisions.decision_log_markdown(entries, project_name).encode()


def _synthesis(sections: list[synthesis_read.Section], project_name: str) -> bytes:
    return synthesis_markdown(project_name, sections).encode()


def _from_snapshot(
    snapshot: Snapshot, fmt: str, positions: Literal["codepoints", "utf16"]
) -> bytes:
    try:
        if fmt == "qdpx":
            return write_qdpx(to_exchange(snapshot), positions=positions)
        if fmt == "qdc":
            return write_qdc(to_exchange(snapshot).codes)
        if fmt == "csv":
            return codings_csv(snapshot).encode()
        return json.dumps(project_json(snapshot), ensure_ascii=False, indent=1).encode()
    except ExportError as exc:
        raise InvalidInput(f"The project cannot be exported as {fmt}: {exc}.") from None


async def _titles(conn: asyncpg.Connection, project_id: UUID) -> dict[str, str]:
    rows = await conn.fetch("SELECT id, title FROM documents WHERE project_id = $1", project_id)
    return {str(r["id"]): r["title"] for r in rows}


def codings_csv(s: Snapshot) -> str:
    """One row per coding in every round and layer; offsets in code points."""
    titles = {d["id"]: d["title"] for d in s.documents}
    rounds = {r["id"]: r["name"] for r in s.rounds}
    codes = s.code_by_id
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    labels = s.coder_labels()
    for r in s.codings:
        coder = labels[r["coder_id"]] if r["coder_id"] else "consensus"
        writer.writerow(
            [
                titles[r["document_id"]],
                str(r["document_id"]),
                coder,
                rounds[r["round_id"]],
                codes[r["code_id"]].name,
                s.code_path(r["code_id"]),
                r["start_offset"],
                r["end_offset"],
                r["text"],
                r["memo"],
            ]
        )
    return out.getvalue()


def _id(value: UUID | None) -> str | None:
    return str(value) if value is not None else None


def project_json(s: Snapshot) -> dict[str, Any]:
    """The whole project: settings, members, rounds, codebook, documents, codings, memos."""
    p = s.project
    labels = s.coder_labels()
    return {
        "format": "accord-project",
        "version": 1,
        "exportedAt": datetime.now(UTC).isoformat(timespec="seconds"),
        "project": {
            "id": str(p.id),
            "name": p.name,
            "description": p.description,
            "status": p.status,
            "settings": p.settings,
        },
        # A placeholder's email is the address its file gave, or null; never its made-up one.
        "members": [
            {
                "id": str(m["user_id"]),
                "email": real_email(m["email"]) or m["claim_email"],
                "name": m["name"],
                "role": m["role"],
                "placeholder": is_made_up(m["email"]),
            }
            for m in s.members
        ],
        "rounds": [
            {"id": str(r["id"]), "name": r["name"], "isDefault": r["is_default"]} for r in s.rounds
        ],
        "codes": [
            {
                "id": str(c.id),
                "parentId": _id(c.parent_id),
                "name": c.name,
                "path": list(c.path),
                "definition": c.definition,
                "inclusion": c.inclusion,
                "exclusion": c.exclusion,
                "example": c.example,
                "color": c.color,
                "codable": c.codable,
                "status": c.status,
                "mergedInto": _id(c.merged_into),
                "ownerId": _id(c.owner_id),
            }
            for c in s.codes
        ],
        "documents": [
            {
                "id": str(d["id"]),
                "title": d["title"],
                "length": d["length"],
                "attributes": d["attributes"],
                "text": d["body"],
            }
            for d in s.documents
        ],
        "assignments": [
            {
                "documentId": str(a["document_id"]),
                "roundId": str(a["round_id"]),
                "userId": str(a["user_id"]),
                "status": a["status"],
            }
            for a in s.assignments
        ],
        "codings": [
            {
                "id": str(r["id"]),
                "documentId": str(r["document_id"]),
                "roundId": str(r["round_id"]),
                "layer": r["layer"],
                "coderId": _id(r["coder_id"]),
                "coder": labels[r["coder_id"]] if r["coder_id"] else "consensus",
                "codeId": str(r["code_id"]),
                "start": r["start_offset"],
                "end": r["end_offset"],
                "text": r["text"],
                "memo": r["memo"],
            }
            for r in s.codings
        ],
        "memos": [
            {
                "id": str(m["id"]),
                "authorId": str(m["author_id"]),
                "targetType": m["target_type"],
                "targetId": str(m["target_id"]),
                "layerUserId": _id(m["layer_user_id"]),
                "text": m["body"],
            }
            for m in s.memos
        ],
        # Per category or group: condensate, analytic text and the chosen quotes in order
        # (ids of consensus codings above).
        "synthesis": [
            {
                "codeId": str(c["code_id"]),
                "path": list(s.code_by_id[c["code_id"]].path),
                "condensate": c["condensate"],
                "analyticText": c["analytic_text"],
                "quoteIds": [str(q) for q in c["quote_ids"]],
                "version": c["version"],
                "updatedAt": c["updated_at"].isoformat(timespec="seconds"),
            }
            for c in s.category_contents
        ],
    }
