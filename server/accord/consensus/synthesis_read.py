"""Reading the synthesis: a category's consensus quotes by participant, the participant ×
category coverage, and every written category for the Markdown and JSON exports.

Quotes are consensus-layer codings, read through the one blinding rule for codings
(:func:`accord.coding.blinding.coding_visible_sql`): a coder sees none of a document's
consensus layer before it is revealed to them, here as everywhere, and the coverage
counts only what the caller may see.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from accord.coding import codebook
from accord.coding import codings as coding_service
from accord.coding.access import Scope, scope_for_project, scope_for_visible
from accord.coding.blinding import coding_visible_sql
from accord.coding.codebook import Code
from accord.coding.codings import Coding
from accord.consensus.synthesis import category_of
from accord.errors import InvalidInput
from accord.exchange.snapshot import attribute_text
from accord.ids import parse_id
from accord.permissions import Action
from accord.reports.agreement_data import level_map
from accord.users.model import User

PARTICIPANT = "participant"
MAX_FILTERS = 20
MAX_VALUES = 200
MAX_ATTRIBUTE = 200


@dataclass(frozen=True)
class AttributeFilter:
    """Documents whose attribute ``name`` reads as one of ``values``."""

    name: str
    values: frozenset[str]


def clean_filters(raw: Iterable[tuple[str, Iterable[str]]] | None) -> list[AttributeFilter]:
    filters = []
    for name, values in raw or ():
        name = name.strip()
        wanted = frozenset(v.strip() for v in values)
        if not name or len(name) > MAX_ATTRIBUTE:
            raise InvalidInput(
                f"An attribute filter needs a name of 1 to {MAX_ATTRIBUTE} characters.",
                field="attributes",
            )
        if not wanted or len(wanted) > MAX_VALUES:
            raise InvalidInput(
                f"The filter on {name!r} needs 1 to {MAX_VALUES} values.", field="attributes"
            )
        filters.append(AttributeFilter(name, wanted))
    if len(filters) > MAX_FILTERS:
        raise InvalidInput(f"Give at most {MAX_FILTERS} attribute filters.", field="attributes")
    return filters


def matches(attributes: Mapping[str, Any], filters: Iterable[AttributeFilter]) -> bool:
    """Every filter holds: the attribute is present and reads as one of its values."""
    return all(
        f.name in attributes and attribute_text(attributes[f.name]) in f.values for f in filters
    )


def participant_of(attributes: Mapping[str, Any], title: str, attribute: str = PARTICIPANT) -> str:
    """Who speaks in a document: its participant attribute, else its title."""
    value = attributes.get(attribute)
    text = attribute_text(value).strip() if value is not None else ""
    return text or title


@dataclass(frozen=True)
class Quote:
    """A consensus coding as a quote: where it comes from, and its place among the chosen."""

    coding: Coding
    document_title: str
    attributes: dict[str, Any]
    participant: str
    position: int | None


_SUBTREE = """
    WITH RECURSIVE down(id) AS (
        SELECT unnest($1::uuid[])
        UNION
        SELECT c.id FROM codes c JOIN down ON c.parent_id = down.id
    )
"""


async def _quotes_of(
    conn: asyncpg.Connection, scope: Scope, roots: list[UUID], chosen: list[UUID]
) -> list[Quote]:
    """Visible consensus codings of ``roots`` and the codes under them, chosen ones first
    in their chosen order, then the rest in document order."""
    visible = coding_visible_sql(scope.sight, "c", "$2")
    rows = await conn.fetch(
        f"{_SUBTREE} SELECT {coding_service.COLUMNS}, d.title, d.attributes "
        "FROM codings c JOIN documents d ON d.id = c.document_id "
        "WHERE c.project_id = $3 AND c.layer = 'CONSENSUS' "
        f"AND (c.code_id IN (SELECT id FROM down) OR c.id = ANY($4::uuid[])) AND {visible} "
        "ORDER BY d.seq, c.start_offset, c.end_offset, c.seq",
        roots,
        scope.user.id,
        scope.project.id,
        chosen,
    )
    place = {cid: n for n, cid in enumerate(chosen)}
    quotes = [
        Quote(
            coding=Coding.from_row(r),
            document_title=r["title"],
            attributes=dict(r["attributes"] or {}),
            participant=participant_of(r["attributes"] or {}, r["title"]),
            position=place.get(r["id"]),
        )
        for r in rows
    ]
    first = sorted((q for q in quotes if q.position is not None), key=lambda q: q.position or 0)
    return first + [q for q in quotes if q.position is None]


async def category_quotes(
    conn: asyncpg.Connection, user: User, code_id: str, filters: list[AttributeFilter]
) -> list[Quote]:
    """The consensus quotes a category may draw on, for every member as blinding allows."""
    cid = parse_id(code_id, "Code")
    scope = await scope_for_visible(conn, "codes", cid, user, Action.VIEW_PROJECT, what="Code")
    await category_of(conn, scope, cid)
    chosen = await conn.fetchval("SELECT quote_ids FROM category_contents WHERE code_id = $1", cid)
    quotes = await _quotes_of(conn, scope, [cid], list(chosen or []))
    return [q for q in quotes if matches(q.attributes, filters)]


@dataclass(frozen=True)
class CoverageCell:
    code_id: UUID
    codings: int
    quotes: int


@dataclass(frozen=True)
class CoverageRow:
    participant: str
    document_ids: list[UUID]
    cells: list[CoverageCell]


@dataclass(frozen=True)
class Coverage:
    attribute: str
    level: str
    columns: list[Code]
    rows: list[CoverageRow]


def _columns(codes: list[Code], level: str) -> list[Code]:
    live = [c for c in codes if c.status != "MERGED" and c.owner_id is None]
    if level == "CODE":
        return [c for c in live if c.codable]
    depth = {"CATEGORY": 1, "GROUP": 2}[level]
    return [c for c in live if len(c.path) == depth]


async def coverage(
    conn: asyncpg.Connection, user: User, project_id: str, attribute: str, level: str
) -> Coverage:
    """Per participant (documents grouped by ``attribute``, else by title) and category
    (or group, or code): the consensus codings and chosen quotes the caller may see."""
    pid = parse_id(project_id, "Project")
    scope = await scope_for_project(conn, pid, user, Action.VIEW_PROJECT)
    attribute = attribute.strip() or PARTICIPANT
    codes = await codebook.codebook(conn, scope)
    columns = _columns(codes, level)
    to_column = {code: UUID(key) for code, (key, _label) in level_map(codes, level).items()}
    wanted = {c.id for c in columns}
    documents = await conn.fetch(
        "SELECT id, title, attributes FROM documents WHERE project_id = $1 ORDER BY seq", pid
    )
    participant = {
        d["id"]: participant_of(d["attributes"] or {}, d["title"], attribute) for d in documents
    }
    visible = coding_visible_sql(scope.sight, "c", "$2")
    counted = await conn.fetch(
        "SELECT c.document_id, c.code_id, count(*) AS n, count(*) FILTER (WHERE EXISTS ("
        "SELECT 1 FROM category_contents cc WHERE cc.project_id = c.project_id "
        "AND c.id = ANY(cc.quote_ids))) AS quoted FROM codings c "
        f"WHERE c.project_id = $1 AND c.layer = 'CONSENSUS' AND {visible} "
        "GROUP BY c.document_id, c.code_id",
        pid,
        scope.user.id,
    )
    cells: dict[tuple[str, UUID], list[int]] = {}
    for r in counted:
        column = to_column.get(r["code_id"])
        if column not in wanted:
            continue
        cell = cells.setdefault((participant[r["document_id"]], column), [0, 0])
        cell[0] += r["n"]
        cell[1] += r["quoted"]
    grouped: dict[str, list[UUID]] = {}
    for d in documents:
        grouped.setdefault(participant[d["id"]], []).append(d["id"])
    rows = [
        CoverageRow(
            participant=who,
            document_ids=ids,
            cells=[CoverageCell(c.id, *cells.get((who, c.id), [0, 0])) for c in columns],
        )
        for who, ids in sorted(grouped.items(), key=lambda kv: kv[0].casefold())
    ]
    return Coverage(attribute, level, columns, rows)


@dataclass(frozen=True)
class Section:
    """One category, group or code of the synthesis, in codebook order."""

    code: Code
    condensate: str
    analytic_text: str
    quotes: list[Quote]
    version: int
    updated_at: datetime | None

    @property
    def written(self) -> bool:
        return bool(self.condensate or self.analytic_text or self.quotes)


async def sections(conn: asyncpg.Connection, scope: Scope) -> list[Section]:
    """Every code with synthesis written, under headings for its ancestors."""
    codes = await codebook.codebook(conn, scope)
    contents = {
        r["code_id"]: r
        for r in await conn.fetch(
            "SELECT code_id, condensate, analytic_text, quote_ids, version, updated_at "
            "FROM category_contents WHERE project_id = $1",
            scope.project.id,
        )
    }
    by_id = {c.id: c for c in codes}
    keep: set[UUID] = set()
    for code_id in contents:
        node = by_id.get(code_id)
        while node is not None and node.id not in keep:
            keep.add(node.id)
            node = by_id.get(node.parent_id) if node.parent_id else None
    out = []
    for code in codes:
        if code.id not in keep:
            continue
        row = contents.get(code.id)
        chosen = list(row["quote_ids"]) if row else []
        quotes = [q for q in await _quotes_of(conn, scope, [], chosen) if q.position is not None]
        out.append(
            Section(
                code=code,
                condensate=row["condensate"] if row else "",
                analytic_text=row["analytic_text"] if row else "",
                quotes=quotes,
                version=row["version"] if row else 0,
                updated_at=row["updated_at"] if row else None,
            )
        )
    return out
