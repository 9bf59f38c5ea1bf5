"""Reading one REFI-QDA text: a ``<TextSource>``, a PDF's text ``<Representation>`` or a
recording's ``<Transcript>``, with its attributes, selections and codings.

Every GUID is normalised on read (:func:`normalise_guid`). Every ``<Coding>`` that does
not come in is recorded as a loss in the report, with the reason.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import unquote

from accord.documents.text import normalize_text
from accord.interop.errors import FormatError
from accord.interop.guids import normalise_guid, stable_guid
from accord.interop.model import (
    AttributeValue,
    ExchangeCoding,
    ExchangeDocument,
    ExchangeMemo,
    ImportReport,
    MemoTarget,
    PositionCheck,
    VariableType,
)
from accord.interop.plain_text import decode_text
from accord.interop.positions import (
    Interpretation,
    RawSelection,
    ResolvedPositions,
    past_the_end,
    resolve_positions,
    units_however_counted,
)
from accord.interop.qdpx_variables import read_values
from accord.interop.safe_zip import SafeZip
from accord.interop.xml_safe import local_name

#: Below this share of selections on word boundaries, the report asks for a spot check.
_FEW_BOUNDARIES = 0.8
#: A URI scheme (``file:``, ``http:``, ``relative:``) or a Windows drive (``C:``).
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass
class SourceContext:
    """What a text source needs from the rest of the project."""

    ns: str
    archive: SafeZip
    source_folders: list[str]
    code_guids: set[str]
    #: Variable GUID -> (name, declared type).
    variables: dict[str, tuple[str, VariableType]]
    prefer: Sequence[Interpretation]
    resolve_user: Callable[[str | None, str | None], str]
    report: ImportReport
    #: note guid -> (kind, target guid), filled as NoteRefs are met.
    note_targets: dict[str, tuple[MemoTarget, str]] = field(default_factory=dict)
    coding_guids: set[str] = field(default_factory=set)
    #: Attribute name -> REFI type, for every typed value met.
    variable_types: dict[str, VariableType] = field(default_factory=dict)


@dataclass
class SourceResult:
    document: ExchangeDocument
    codings: list[ExchangeCoding]
    memos: list[ExchangeMemo]


def guid_of(element: ET.Element, attribute: str = "guid") -> str:
    return normalise_guid(element.get(attribute))


def count_codings(element: ET.Element, ns: str) -> int:
    return sum(1 for _ in element.iter(ns + "Coding"))


def variable_values(element: ET.Element, ctx: SourceContext) -> dict[str, AttributeValue]:
    values: dict[str, AttributeValue] = {}
    for name, (value, kind) in read_values(element, ctx.ns, ctx.variables).items():
        values[name] = value
        ctx.variable_types.setdefault(name, kind)
    return values


def drop_selections(element: ET.Element, ctx: SourceContext, title: str, reason: str) -> None:
    """Report a skipped source's selections and lose every coding in it."""
    for selection in element.iter():
        if local_name(selection) in ("PlainTextSelection", "TranscriptSelection"):
            ctx.report.skip(
                "selection",
                _label(selection),
                f"its source {title!r} was skipped",
                guid_of(selection) or None,
            )
    ctx.report.lose(count_codings(element, ctx.ns), f"on source {title!r}, skipped: {reason}")


def _label(selection: ET.Element) -> str:
    return selection.get("name") or selection.get("guid") or "unnamed selection"


def _int_attribute(element: ET.Element, name: str, source: str) -> int:
    value = element.get(name)
    try:
        return int(value or "")
    except ValueError:
        raise FormatError(
            f"A selection in source {source!r} has {name}={value!r}, which is not a number."
        ) from None


def archive_path(path: str, ctx: SourceContext) -> tuple[str | None, str]:
    """The archive entry holding a text at ``path``, or None and why not.

    ``internal://name`` and a relative ``name`` (what some programs write) both name a
    file in the archive's sources folder, whatever its letter case; a URI of another
    kind, an absolute path or one climbing out with ``..`` lies outside the archive.
    """
    outside = f"its text lies outside the archive ({path})"
    if path.startswith("internal://"):
        name = path.removeprefix("internal://")
    elif _SCHEME.match(path) or path.startswith(("/", "\\")):
        return None, outside
    else:
        name = path
    parts = [part for part in name.replace("\\", "/").split("/") if part not in ("", ".")]
    if not parts or ".." in parts:
        return None, outside
    name = "/".join(parts)
    names = list(dict.fromkeys([name, unquote(name)]))  # some writers URL-encode paths
    candidates = [f"{folder}/{n}" for n in names for folder in ctx.source_folders] + names
    if parts[0].lower() == "sources":
        candidates[:0] = names
    for candidate in candidates:
        stored = ctx.archive.find(candidate)
        if stored:
            return stored, ""
    return None, f"its text file {name} is missing from the archive"


def _load_text(element: ET.Element, ctx: SourceContext, title: str) -> tuple[str | None, str]:
    """The raw text (BOM removed, line ends as stored), or None and why it is absent."""
    inline = element.find(ctx.ns + "PlainTextContent")
    if inline is not None:
        return inline.text or "", ""
    path = (element.get("plainTextPath") or "").strip()
    if not path:
        return None, "it has no text"
    stored, problem = archive_path(path, ctx)
    if stored is None:
        return None, problem
    data = ctx.archive.read(stored)
    try:
        return decode_text(data, stored), ""
    except FormatError:
        # One unreadable text costs its source, not the project.
        return None, (
            f"its text file {stored} is neither UTF-8 nor UTF-16/32 with a byte-order mark"
        )


def _raw_selections(
    element: ET.Element, ctx: SourceContext, title: str
) -> list[tuple[ET.Element, int, int]]:
    """Each selection with its positions as written; a transcript's through sync points."""
    ns = ctx.ns
    if local_name(element) != "Transcript":
        return [
            (s, _int_attribute(s, "startPosition", title), _int_attribute(s, "endPosition", title))
            for s in element.findall(ns + "PlainTextSelection")
        ]
    points: dict[str, int] = {}
    for point in element.findall(ns + "SyncPoint"):
        if point.get("position") is not None:
            points[guid_of(point)] = _int_attribute(point, "position", title)
    found: list[tuple[ET.Element, int, int]] = []
    for selection in element.findall(ns + "TranscriptSelection"):
        start = points.get(guid_of(selection, "fromSyncPoint"))
        end = points.get(guid_of(selection, "toSyncPoint"))
        if start is None or end is None:
            reason = "its sync points are missing or have no text position"
            ctx.report.skip("selection", _label(selection), reason, guid_of(selection) or None)
            ctx.report.lose(
                count_codings(selection, ns), f"in selection {_label(selection)!r}: {reason}"
            )
            continue
        found.append((selection, start, end))
    return found


def read_text_source(
    element: ET.Element,
    ctx: SourceContext,
    case_attributes: dict[str, AttributeValue],
    *,
    owner: ET.Element | None = None,
    guid: str | None = None,
    title: str | None = None,
) -> SourceResult | None:
    """Read one text; returns None (and reports why) when it is skipped.

    ``owner`` is the PDF or recording a representation or transcript belongs to: its
    description, notes and variables are the document's, its own codings code the whole
    text. ``guid`` and ``title`` name the document when they are not the element's own.
    """
    ns = ctx.ns
    guid = guid or guid_of(element)
    title = title or element.get("name") or guid or "untitled source"
    if not guid:
        raise FormatError(f"The text source {title!r} has no guid.")
    outer = owner if owner is not None else element
    raw, problem = _load_text(element, ctx, title)
    text = normalize_text(raw) if raw is not None else ""
    if raw is not None and not text.strip():
        problem = "its text is empty (or only white space), so there is nothing to code"
    if problem:
        ctx.report.skip("source", title, problem, guid)
        drop_selections(element, ctx, title, problem)
        if owner is not None:
            whole = len(owner.findall(ns + "Coding"))
            ctx.report.lose(whole, f"on source {title!r}, skipped: {problem}")
        return None
    assert raw is not None
    selections = _raw_selections(element, ctx, title)
    attributes = {**case_attributes, **variable_values(outer, ctx)}
    if owner is not None:
        attributes.update(variable_values(element, ctx))
    document = ExchangeDocument(guid=guid, title=title, text=text, attributes=attributes)
    memos: list[ExchangeMemo] = []
    for holder in dict.fromkeys((outer, element)):
        description = holder.find(ns + "Description")
        if description is not None and (description.text or "").strip():
            memos.append(
                ExchangeMemo(
                    guid=f"{guid_of(holder)}-description",
                    text=description.text or "",
                    target_kind="document",
                    target_guid=guid,
                    title=f"Description of {title}",
                )
            )
        for ref in holder.findall(ns + "NoteRef"):
            ctx.note_targets.setdefault(guid_of(ref, "targetGUID"), ("document", guid))

    raw_selections = [
        RawSelection(guid=guid_of(s), name=s.get("name", ""), start=start, end=end)
        for s, start, end in selections
    ]
    selections, raw_selections = _within_the_text(raw, title, selections, raw_selections, ctx)
    resolved = resolve_positions(raw, raw_selections, title, ctx.prefer)
    if raw_selections:
        _check_positions(ctx, guid, title, resolved, len(raw_selections))
    codings: list[ExchangeCoding] = []
    # A Coding directly on the source (not in a selection) codes the whole text.
    for holder in dict.fromkeys((outer, element)):
        codings.extend(_codings(holder, guid, (0, len(text)), None, title, None, ctx))
    for (selection, _, _), span in zip(selections, resolved.spans, strict=True):
        codings.extend(_selection(selection, span, guid, memos, ctx))
    return SourceResult(document, codings, memos)


def _within_the_text(
    raw: str,
    title: str,
    selections: list[tuple[ET.Element, int, int]],
    raw_selections: list[RawSelection],
    ctx: SourceContext,
) -> tuple[list[tuple[ET.Element, int, int]], list[RawSelection]]:
    """The selections that fit in the text; one that runs past its end however positions
    are counted is skipped and its codings are lost (the rest of the source comes in)."""
    units = units_however_counted(raw)
    kept: list[tuple[tuple[ET.Element, int, int], RawSelection]] = []
    for found, raw_selection in zip(selections, raw_selections, strict=True):
        if raw_selection.start < 0 or raw_selection.end < raw_selection.start:
            kept.append((found, raw_selection))  # refused as damaged by resolve_positions
        elif raw_selection.end > units:
            element = found[0]
            reason = past_the_end(raw_selection, units)
            ctx.report.skip("selection", _label(element), reason, raw_selection.guid or None)
            ctx.report.lose(
                count_codings(element, ctx.ns),
                f"in selection {_label(element)!r} of source {title!r}: {reason}",
            )
        else:
            kept.append((found, raw_selection))
    return [k[0] for k in kept], [k[1] for k in kept]


def _check_positions(
    ctx: SourceContext,
    guid: str,
    title: str,
    resolved: ResolvedPositions,
    count: int,
) -> None:
    interpretation = resolved.interpretation
    check = PositionCheck(
        guid, title, interpretation.name, count, resolved.on_word_boundaries, resolved.ambiguous
    )
    ctx.report.positions.append(check)
    if check.ambiguous:
        ctx.report.warnings.append(
            f"Positions in {title!r} fit more than one way of counting equally well; "
            f"Accord read them as {interpretation.label}. Check a few codings."
        )
    elif check.boundary_rate < _FEW_BOUNDARIES:
        ctx.report.warnings.append(
            f"Only {check.boundary_rate:.0%} of the selections in {title!r} start and end "
            "on word boundaries; check a few codings against the original program."
        )


def _selection(
    selection: ET.Element,
    span: tuple[int, int],
    document_guid: str,
    memos: list[ExchangeMemo],
    ctx: SourceContext,
) -> list[ExchangeCoding]:
    """The codings of one selection; its comment and notes go to its (first) coding."""
    ns = ctx.ns
    label = _label(selection)
    selection_guid = guid_of(selection)
    described = selection.find(ns + "Description")
    memo = (described.text or "").strip() or None if described is not None else None
    user = guid_of(selection, "creatingUser") or None
    if selection.find(ns + "Coding") is None:
        if memo:
            memos.append(
                ExchangeMemo(
                    guid=selection_guid or stable_guid("memo", f"{document_guid}/{span}"),
                    text=memo,
                    target_kind="document",
                    target_guid=document_guid,
                    title=label,
                    author_guid=ctx.resolve_user(user, None),
                )
            )
        for ref in selection.findall(ns + "NoteRef"):
            ctx.note_targets.setdefault(guid_of(ref, "targetGUID"), ("document", document_guid))
        reason = "it has no code" + (" (its comment became a document memo)" if memo else "")
        ctx.report.skip("selection", label, reason, selection_guid or None)
        return []
    if span[0] == span[1]:
        reason = "it selects no text"
        ctx.report.skip("selection", label, reason, selection_guid or None)
        ctx.report.lose(count_codings(selection, ns), f"in selection {label!r}: {reason}")
        return []
    found = _codings(selection, document_guid, span, memo, label, user, ctx)
    # Accord has no bare selections: a note on one belongs to its (first) coding.
    target: tuple[MemoTarget, str] = (
        ("coding", found[0].guid) if found else ("document", document_guid)
    )
    for ref in selection.findall(ns + "NoteRef"):
        ctx.note_targets.setdefault(guid_of(ref, "targetGUID"), target)
    return found


def _codings(
    container: ET.Element,
    document_guid: str,
    span: tuple[int, int],
    memo: str | None,
    label: str,
    selection_user: str | None,
    ctx: SourceContext,
) -> list[ExchangeCoding]:
    """The ``<Coding>`` children of a selection (or of a whole source) as codings."""
    result: list[ExchangeCoding] = []
    for coding in container.findall(ctx.ns + "Coding"):
        code_ref = coding.find(ctx.ns + "CodeRef")
        code_guid = guid_of(code_ref, "targetGUID") if code_ref is not None else ""
        coding_guid = guid_of(coding)
        if not coding_guid or coding_guid in ctx.coding_guids:
            # Layers must not share a coding id; derive a stable one for the odd file.
            coding_guid = stable_guid(
                "coding", f"{document_guid}/{span}/{code_guid}/{len(ctx.coding_guids)}"
            )
        if code_guid not in ctx.code_guids:
            reason = f"it refers to code {code_guid or '(none)'}, which is not in the codebook"
            ctx.report.skip("coding", label, reason, coding_guid)
            ctx.report.lose(1, f"refer to code {code_guid or '(none)'}, not in the codebook")
            continue
        ctx.coding_guids.add(coding_guid)
        # Coding@creatingUser wins: some programs re-stamp selections on import.
        user = ctx.resolve_user(guid_of(coding, "creatingUser") or None, selection_user)
        result.append(
            ExchangeCoding(coding_guid, document_guid, code_guid, user, span[0], span[1], memo)
        )
        for ref in coding.findall(ctx.ns + "NoteRef"):
            ctx.note_targets.setdefault(guid_of(ref, "targetGUID"), ("coding", coding_guid))
    return result
