"""The decision log: every consensus and codebook decision, read back from the audit log.

A research team reports how its final categories came about. Each entry says who
decided (``automatic`` for the consensus rule), when, what, why, and which segments the
decision touched. Entries come from the events table, so the log cannot drift from what
happened: consensus events (``consensus.*``), codebook events (``code.*``) and
finalising (``project.finalized`` / ``project.unfinalized``).

Events describe the segments they touched in ``after.segments`` (or ``before.segments``)
as objects with ``codeId``, ``start``, ``end`` and optionally ``text``, ``layer``,
``coderId``, ``codingId`` and ``effect`` (ADDED, REMOVED, CONSIDERED, ...). Codebook
consolidation records whole coding rows in ``after.codings`` instead; those read as
RECODED segments (RESTORED for an undone merge). The rationale is ``after.rationale``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from accord.coding import codebook
from accord.coding import codes_repo as code_sql
from accord.coding.access import scope_for_project
from accord.permissions import Action
from accord.users.model import User

AUTOMATIC = "automatic"
_KINDS_SQL = (
    "(e.kind LIKE 'consensus.%' OR e.kind LIKE 'code.%' "
    "OR e.kind IN ('project.finalized', 'project.unfinalized'))"
)
#: Setting the codebook up (making codes, editing their definitions) is not a decision
#: about the data: the Markdown log lists these apart and does not count them.
SETUP_KINDS = frozenset({"code.created", "code.updated"})
_RECODING = {"code.merged": "RECODED", "code.split": "RECODED", "code.merge_undone": "RESTORED"}
_ITEM_KINDS = {
    "EXACT_AGREEMENT": "exact agreement",
    "BOUNDARY_DIFFERENCE": "boundary difference",
    "CODE_DIFFERENCE": "code difference",
    "OMISSION": "omission",
}


@dataclass(frozen=True)
class DecisionSegment:
    layer: str
    effect: str
    code_id: UUID | None
    code: str
    start: int
    end: int
    text: str
    coder_id: UUID | None
    coder: str | None

    def describe(self) -> str:
        who = f", {self.coder}" if self.coder else ""
        where = f"{self.code} {self.start}–{self.end}"
        return f"{self.effect.lower()} {self.layer.lower()}{who}: {where} “{self.text}”"


@dataclass(frozen=True)
class DecisionEntry:
    event_id: int
    at: datetime
    kind: str
    actor_id: UUID | None
    actor: str
    automatic: bool
    what: str
    rationale: str | None
    document_id: UUID | None
    document: str | None
    round_id: UUID | None
    segments: tuple[DecisionSegment, ...]
    undoes: int | None = None
    """For an undone merge: the event id of the merge it undid."""


async def decision_log(
    conn: asyncpg.Connection, user: User, project_id: UUID
) -> list[DecisionEntry]:
    """Every decision in the project, oldest first; for leads and viewers."""
    scope = await scope_for_project(conn, project_id, user, Action.VIEW_AUDIT_LOG)
    rows = await conn.fetch(
        "SELECT e.id, e.kind, e.actor_id, e.subject_id, e.document_id, e.round_id, e.before, "
        "e.after, e.created_at, u.name AS actor_name, u.email AS actor_email, "
        "d.title AS document_title FROM events e LEFT JOIN users u ON u.id = e.actor_id "
        "LEFT JOIN documents d ON d.id = e.document_id "
        f"WHERE e.project_id = $1 AND {_KINDS_SQL} ORDER BY e.id",
        scope.project.id,
    )
    code_rows = await conn.fetch(
        f"SELECT {code_sql.COLUMNS} FROM codes WHERE project_id = $1 ORDER BY seq",
        scope.project.id,
    )
    codes = {
        str(c.id): codebook.PATH_SEPARATOR.join(c.path) or c.name
        for c in codebook.with_paths(list(code_rows))
    }
    codes.update(_remembered_names(rows, codes))
    people = {
        str(r["user_id"]): r["name"] or r["email"]
        for r in await conn.fetch(
            "SELECT m.user_id, u.name, u.email FROM project_members m "
            "JOIN users u ON u.id = m.user_id WHERE m.project_id = $1",
            scope.project.id,
        )
    }
    return [_entry(r, codes, people) for r in rows]


def _remembered_names(rows: Iterable[asyncpg.Record], live: Mapping[str, str]) -> dict[str, str]:
    """Names of codes no longer in the codebook (the new code of a merge that was undone),
    from the code rows the consolidation events kept, so the log names them."""
    names: dict[str, str] = {}
    for row in rows:
        for side in (row["before"], row["after"]):
            kept = side.get("codes") if isinstance(side, dict) else None
            for code in kept if isinstance(kept, list) else []:
                if not isinstance(code, dict) or not code.get("name"):
                    continue
                code_id = str(code.get("id"))
                if code_id not in live:
                    names[code_id] = str(code["name"])
    return names


def _entry(
    row: asyncpg.Record, codes: Mapping[str, str], people: Mapping[str, str]
) -> DecisionEntry:
    after: dict[str, Any] = row["after"] if isinstance(row["after"], dict) else {}
    before: dict[str, Any] = row["before"] if isinstance(row["before"], dict) else {}
    automatic = row["actor_id"] is None
    actor = AUTOMATIC if automatic else (row["actor_name"] or row["actor_email"])
    raw = after.get("segments") or before.get("segments") or []
    effect = "AFFECTED"
    if not raw and row["kind"] in _RECODING:
        raw, effect = after.get("codings") or [], _RECODING[row["kind"]]
    segments = tuple(_segment(s, codes, people, effect) for s in raw if isinstance(s, dict))
    return DecisionEntry(
        event_id=row["id"],
        at=row["created_at"],
        kind=row["kind"],
        actor_id=row["actor_id"],
        actor=actor,
        automatic=automatic,
        what=_what(row, before, after, codes, people),
        rationale=after.get("rationale") or None,
        document_id=row["document_id"],
        document=row["document_title"],
        round_id=row["round_id"],
        segments=segments,
        undoes=int(after["mergeEventId"]) if after.get("mergeEventId") else None,
    )


def _segment(
    data: Mapping[str, Any], codes: Mapping[str, str], people: Mapping[str, str], effect: str
) -> DecisionSegment:
    # Workflow events use the API's names; stored coding rows use the column names.
    code_id = data.get("codeId") or data.get("code_id")
    coder_id = data.get("coderId") or data.get("coder_id")
    return DecisionSegment(
        layer=str(data.get("layer") or "CONSENSUS"),
        effect=str(data.get("effect") or effect),
        code_id=UUID(str(code_id)) if code_id else None,
        code=codes.get(str(code_id), str(code_id or "")),
        start=int(data.get("start", data.get("start_offset")) or 0),
        end=int(data.get("end", data.get("end_offset")) or 0),
        text=str(data.get("text") or ""),
        coder_id=UUID(str(coder_id)) if coder_id else None,
        coder=people.get(str(coder_id), str(coder_id)) if coder_id else None,
    )


def _what(
    row: asyncpg.Record,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    codes: Mapping[str, str],
    people: Mapping[str, str],
) -> str:
    kind: str = row["kind"]
    where = f" in “{row['document_title']}”" if row["document_title"] else ""
    span = f" at {after.get('start')}–{after.get('end')}" if "start" in after else ""
    item = _ITEM_KINDS.get(str(after.get("kind")), "item")
    code = codes.get(str(row["subject_id"]), "a code")
    match kind:
        case "consensus.started":
            forced = " before every coder had submitted (forced)" if after.get("forced") else ""
            return (
                f"Started consensus{where}{forced}: {after.get('items', 0)} item(s), "
                f"{after.get('autoAccepted', 0)} accepted by the consensus rule"
            )
        case "consensus.auto_accepted":
            return f"Accepted {item}{span}{where} automatically under the consensus rule"
        case "consensus.resolved":
            how = _how(after.get("resolution") or {}, codes, people)
            return f"Resolved {item}{span}{where}: {how}"
        case "consensus.reopened":
            removed = sum(1 for s in after.get("segments") or [] if isinstance(s, dict))
            return f"Reopened {item}{span}{where}, removing {removed} consensus segment(s)"
        case "consensus.completed":
            return f"Completed consensus{where}"
        case "project.finalized":
            return "Finalised the project"
        case "project.unfinalized":
            return "Unfinalised the project"
        case "code.created":
            return f"Created code “{after.get('name') or code}”"
        case "code.renamed":
            return f"Renamed code “{before.get('name')}” to “{after.get('name')}”"
        case "code.moved":
            return f"Moved code “{code}”"
        case "code.retired":
            return f"Retired code “{code}”"
        case "code.merged":
            sources = _names(after.get("sourceIds"), codes)
            made = " (a new code)" if after.get("targetCreated") else ""
            target = codes.get(str(after.get("targetId")), code)
            return f"Merged {sources} into “{target}”{made}"
        case "code.merge_undone":
            sources = _names(after.get("sourceIds"), codes)
            return f"Undid the merge of {sources} into “{code}”"
        case "code.split":
            return f"Split “{code}” into {_names(after.get('intoIds'), codes)}"
        case "code.updated":
            changed = sorted(k for k in after if k != "version" and before.get(k) != after.get(k))
            return f"Changed code “{code}” ({', '.join(changed) or 'no fields'})"
    summary = after.get("summary")
    return str(summary) if summary else f"{kind} on “{code}”"


def _names(ids: Any, codes: Mapping[str, str]) -> str:
    return ", ".join(f"“{codes.get(str(i), str(i))}”" for i in ids or []) or "no codes"


def _how(resolution: Mapping[str, Any], codes: Mapping[str, str], people: Mapping[str, str]) -> str:
    action = resolution.get("action")
    if action == "TAKE_CODER":
        coder = str(resolution.get("coderId"))
        return f"took {people.get(coder, coder)}'s version"
    if action == "UNION":
        return "took the union of the coders' extents"
    if action == "INTERSECTION":
        return "took the intersection of the coders' extents"
    if action == "CUSTOM":
        names = ", ".join(f"“{codes.get(str(c), str(c))}”" for c in resolution.get("codeIds") or [])
        return (
            f"set a custom extent {resolution.get('start')}–{resolution.get('end')} coded {names}"
        )
    if action == "DROP":
        return "dropped it: nothing goes to the consensus layer"
    return str(action)


CSV_COLUMNS = ("number", "when", "who", "kind", "decision", "rationale", "document", "segments")


def decision_log_csv(entries: Iterable[DecisionEntry]) -> str:
    """The decision log as CSV (RFC 4180), one row per decision, with a header row.

    Decisions are numbered within the log, as in the Markdown: an event's number in the
    database counts every project's events and would show how much happened elsewhere.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for n, e in enumerate(entries, 1):
        writer.writerow(
            (
                n,
                e.at.isoformat(),
                e.actor,
                e.kind,
                e.what,
                e.rationale or "",
                e.document or "",
                "; ".join(s.describe() for s in e.segments),
            )
        )
    return out.getvalue()


def _cell(value: str) -> str:
    return " ".join(value.replace("\\", "\\\\").replace("|", "\\|").split())


def is_setup(entry: DecisionEntry) -> bool:
    """A codebook setup change (a code created, its definition edited), not a decision."""
    return entry.kind in SETUP_KINDS


def _table(entries: list[DecisionEntry]) -> list[str]:
    lines = [
        "| # | When (UTC) | Who | Decision | Rationale | Segments |",
        "|---|---|---|---|---|---|",
    ]
    for n, e in enumerate(entries, 1):
        segments = "<br>".join(_cell(s.describe()) for s in e.segments)
        lines.append(
            f"| {n} | {e.at.strftime('%Y-%m-%d %H:%M')} | {_cell(e.actor)} | {_cell(e.what)} "
            f"| {_cell(e.rationale or '')} | {segments} |"
        )
    return lines


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def decision_log_markdown(entries: Iterable[DecisionEntry], project_name: str) -> str:
    """The decision log as Markdown, for a paper's methods appendix: the decisions,
    counted, then the codebook's setup changes apart."""
    listed = list(entries)
    decided = [e for e in listed if not is_setup(e)]
    setup = [e for e in listed if is_setup(e)]
    automatic = sum(e.automatic for e in decided)
    lines = [
        f"# Decision log: {_cell(project_name)}",
        "",
        f"{_count(len(decided), 'decision')}: {automatic:,} automatic under the consensus "
        f"rule, {len(decided) - automatic:,} by members of the team.",
        "",
    ]
    lines += _table(decided) if decided else ["No decisions yet."]
    lines += [
        "",
        "## Codebook setup",
        "",
        f"{_count(len(setup), 'setup change')} (codes created, definitions edited), listed "
        "apart and not counted as decisions.",
    ]
    if setup:
        lines += ["", *_table(setup)]
    return "\n".join(lines) + "\n"
