"""Reading one agreement run's data from the database, as blinding allows.

Leads and viewers read everything. A coder reads only documents revealed to them for
the round (or everything when the project's blinding is off): naming an unrevealed
document is refused, and otherwise unrevealed documents are simply left out, so their
codings never feed the numbers.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import NamedTuple
from uuid import UUID

import asyncpg

from accord.agreement.segments import Segment, Unit
from accord.coding import codebook, filter_ids
from accord.coding.access import Scope
from accord.coding.blinding import coding_code_visible_sql
from accord.coding.rounds import Round
from accord.errors import Forbidden, InvalidInput
from accord.heavy.chunks import converted
from accord.ids import parse_id
from accord.users.labels import LABEL_COLUMNS, labels_of


@dataclass(frozen=True)
class Selection:
    """What the caller asked for, beyond the round."""

    document_ids: list[str] | None
    coder_ids: list[str] | None
    code_ids: list[str] | None
    code_level: str
    unit_kind: str | None  # set for the UNITS mode


class StudyDocument(NamedTuple):
    id: UUID
    title: str
    length: int


@dataclass
class Study:
    """One round's coder layers, ready for the engine.

    ``coders_by_document`` says who coded what: document id → the emails of the selected
    coders assigned to it in the round who have started it (made a coding there or
    submitted it). Such a coder who coded nothing there coded an empty layer; a coder not
    assigned to it, or assigned but not started (``not_started``), is not compared there.
    """

    round: Round
    documents: list[StudyDocument]
    coders: dict[UUID, str]  # coder id -> the name the report uses (email, users.labels)
    segments: list[Segment]
    extents: dict[str, tuple[int, int]]
    level: dict[UUID, tuple[str, str]]
    code_filter: set[UUID] | None
    units: list[Unit] | None
    coders_by_document: dict[str, set[str]] = field(default_factory=dict)
    not_started: dict[str, set[str]] = field(default_factory=dict)


async def load_study(
    conn: asyncpg.Connection, scope: Scope, selection: Selection, the_round: Round, *, strict: bool
) -> Study:
    """The round's data. ``strict``: refuse (rather than drop) named unrevealed documents,
    and ids of nothing the caller may see (:mod:`accord.coding.filter_ids`)."""
    if strict:
        await known_selection(conn, scope, selection)
    docs = await readable_documents(
        conn, scope, selection.document_ids, the_round.id, strict=strict
    )
    level = await code_levels(conn, scope, selection.code_level)
    code_filter = {parse_id(c, "Code") for c in selection.code_ids} if selection.code_ids else None
    doc_ids = [d["id"] for d in docs]
    coders = await assigned_coders(conn, the_round.id, doc_ids, selection.coder_ids, strict=strict)
    rows = await conn.fetch(
        "SELECT document_id, coder_id, code_id, start_offset, end_offset FROM codings "
        "WHERE round_id = $1 AND layer = 'CODER' AND document_id = ANY($2::uuid[]) "
        "AND coder_id = ANY($3::uuid[]) ORDER BY document_id, coder_id, start_offset",
        the_round.id,
        doc_ids,
        list(coders),
    )

    def segment(r: asyncpg.Record) -> Segment | None:
        if code_filter is not None and r["code_id"] not in code_filter:
            return None
        return Segment(
            str(r["document_id"]),
            coders[r["coder_id"]],
            level[r["code_id"]][1],
            r["start_offset"],
            r["end_offset"],
        )

    segments = await converted(rows, segment)
    started, not_started = await _coders_by_document(conn, the_round.id, doc_ids, coders)
    return Study(
        round=the_round,
        documents=[StudyDocument(d["id"], d["title"], d["length"]) for d in docs],
        coders=coders,
        segments=segments,
        extents={str(d["id"]): (0, d["length"]) for d in docs},
        level=level,
        code_filter=code_filter,
        units=await _units(conn, selection.unit_kind, doc_ids) if selection.unit_kind else None,
        coders_by_document=started,
        not_started=not_started,
    )


async def known_selection(conn: asyncpg.Connection, scope: Scope, selection: Selection) -> None:
    """Every id the selection names is one the caller may see, or INVALID_INPUT names it."""
    for name, kind, ids in (
        ("documentIds", "document", selection.document_ids),
        ("coderIds", "coder", selection.coder_ids),
        ("codeIds", "code", selection.code_ids),
    ):
        await filter_ids.known_ids(conn, scope, name, kind, ids)


async def code_levels(
    conn: asyncpg.Connection, scope: Scope, code_level: str
) -> dict[UUID, tuple[str, str]]:
    """code id → (key, label) at ``code_level``, for the codes the caller may see."""
    all_codes = codebook.with_paths(
        list(
            # Named as the caller may see them: no level or path names a hidden proposal.
            await conn.fetch(
                "SELECT * FROM codes c WHERE project_id = $1 AND "
                f"{coding_code_visible_sql(scope.sight, 'c', '$2')} ORDER BY seq",
                scope.project.id,
                scope.user.id,
            )
        )
    )
    return level_map(all_codes, code_level)


async def readable_documents(
    conn: asyncpg.Connection,
    scope: Scope,
    document_ids: list[str] | None,
    round_id: UUID,
    *,
    strict: bool,
) -> list[asyncpg.Record]:
    """The documents (id, title, length, revealed) the caller may compare in the round,
    oldest first: all of them for leads and viewers, the revealed ones for a coder.
    ``strict``: naming an unrevealed document is refused rather than dropped."""
    rows = await conn.fetch(
        "SELECT d.id, d.title, d.length, EXISTS (SELECT 1 FROM reveals r "
        "WHERE r.document_id = d.id AND r.round_id = $2) AS revealed "
        "FROM documents d WHERE d.project_id = $1 ORDER BY d.seq",
        scope.project.id,
        round_id,
    )
    if document_ids is not None:
        wanted = {parse_id(d, "Document") for d in document_ids}
        rows = [r for r in rows if r["id"] in wanted]
        if len(rows) != len(wanted):
            raise InvalidInput(
                "Some of documentIds are not documents of this project.", field="documentIds"
            )
    if not scope.sight.sees_all:
        hidden = [r for r in rows if not r["revealed"]]
        if hidden and document_ids is not None and strict:
            raise Forbidden(
                "You can compute agreement only on documents revealed to you: "
                + ", ".join(repr(r["title"]) for r in hidden[:5])
                + " is not revealed yet."
            )
        rows = [r for r in rows if r["revealed"]]
    return rows


async def assigned_coders(
    conn: asyncpg.Connection,
    round_id: UUID,
    doc_ids: list[UUID],
    coder_ids: list[str] | None,
    *,
    strict: bool,
) -> dict[UUID, str]:
    """Everyone assigned to the documents in the round, coded or not, by email (a
    placeholder by its file's address or name: ``accord.users.labels``); not withdrawn
    assignments (their coder left the project before finishing)."""
    rows = await conn.fetch(
        f"SELECT DISTINCT u.id, {LABEL_COLUMNS} FROM assignments a "
        "JOIN users u ON u.id = a.user_id "
        "WHERE a.round_id = $1 AND a.document_id = ANY($2::uuid[]) "
        "AND a.status <> 'WITHDRAWN' ORDER BY u.email",
        round_id,
        doc_ids,
    )
    coders = labels_of(rows)
    if coder_ids is None:
        return coders
    wanted = [parse_id(c, "User") for c in coder_ids]
    idle = [str(c) for c in wanted if c not in coders]
    if strict and idle:
        raise InvalidInput(
            "coderIds names coders with no assignment on these documents in this round: "
            + ", ".join(idle)
            + ".",
            field="coderIds",
        )
    return {c: coders[c] for c in wanted if c in coders}


async def _coders_by_document(
    conn: asyncpg.Connection, round_id: UUID, doc_ids: list[UUID], coders: dict[UUID, str]
) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Each document → the selected coders assigned to it in the round who have started
    it, and those who have not (an assignment still ASSIGNED: no coding made, not
    submitted). Either may be empty."""
    rows = await conn.fetch(
        "SELECT document_id, user_id, status <> 'ASSIGNED' AS started FROM assignments "
        "WHERE round_id = $1 AND document_id = ANY($2::uuid[]) AND user_id = ANY($3::uuid[]) "
        "AND status <> 'WITHDRAWN'",
        round_id,
        doc_ids,
        list(coders),
    )
    started: dict[str, set[str]] = {str(d): set() for d in doc_ids}
    not_started: dict[str, set[str]] = {str(d): set() for d in doc_ids}
    for r in rows:
        (started if r["started"] else not_started)[str(r["document_id"])].add(coders[r["user_id"]])
    return started, not_started


def level_map(codes: list[codebook.Code], level: str) -> dict[UUID, tuple[str, str]]:
    """code id → (key, label) of the code, or of its ancestor at the chosen level.

    A merged code counts as its target (the end of its merge chain), so after a merge
    agreement at every level is about the codes that remain.
    """
    by_id = {c.id: c for c in codes}
    depth = {"CODE": None, "GROUP": 1, "CATEGORY": 0}[level]
    out: dict[UUID, tuple[str, str]] = {}
    for c in codes:
        target = c
        for _ in codes:
            if target.merged_into is None or target.merged_into not in by_id:
                break
            target = by_id[target.merged_into]
        if depth is not None:
            chain = [target]
            while chain[-1].parent_id in by_id and len(chain) <= len(codes):
                chain.append(by_id[chain[-1].parent_id])
            chain.reverse()
            if len(chain) - 1 > depth:
                target = chain[depth]
        out[c.id] = (str(target.id), " > ".join(target.path))
    return out


async def units_of(conn: asyncpg.Connection, unit_kind: str, doc_ids: list[UUID]) -> list[Unit]:
    """The predefined units of ``unit_kind`` of the documents."""
    return await _units(conn, unit_kind, doc_ids)


async def _units(conn: asyncpg.Connection, unit_kind: str, doc_ids: list[UUID]) -> list[Unit]:
    rows = await conn.fetch(
        "SELECT document_id, ordinal, start_offset, end_offset FROM document_units "
        "WHERE document_id = ANY($1::uuid[]) AND kind = $2 ORDER BY document_id, ordinal",
        doc_ids,
        unit_kind,
    )

    def unit(r: asyncpg.Record) -> Unit:
        return Unit(str(r["document_id"]), str(r["ordinal"]), r["start_offset"], r["end_offset"])

    return await converted(rows, unit)


def raw_csv(segments: list[Segment]) -> str:
    """The run's data as a segments CSV that `accord agreement` reads back."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["document", "coder", "code", "start", "end"])
    for s in segments:
        writer.writerow([s.document, s.coder, s.code, s.start, s.end])
    return out.getvalue()
