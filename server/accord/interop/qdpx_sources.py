"""Reading one REFI-QDA ``<TextSource>``: its text, attributes, selections and codings."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from accord.documents.text import normalize_text
from accord.interop.errors import FormatError
from accord.interop.guids import stable_guid
from accord.interop.model import (
    ExchangeCoding,
    ExchangeDocument,
    ExchangeMemo,
    ImportReport,
    MemoTarget,
    PositionCheck,
)
from accord.interop.plain_text import decode_text
from accord.interop.positions import Interpretation, RawSelection, resolve_positions
from accord.interop.safe_zip import SafeZip

#: Below this share of selections on word boundaries, the report asks for a spot check.
_FEW_BOUNDARIES = 0.8

_VALUE_ELEMENTS = (
    "TextValue",
    "BooleanValue",
    "IntegerValue",
    "FloatValue",
    "DateValue",
    "DateTimeValue",
)


@dataclass
class SourceContext:
    """What a text source needs from the rest of the project."""

    ns: str
    archive: SafeZip
    source_folders: list[str]
    code_guids: set[str]
    variables: dict[str, str]
    prefer: Sequence[Interpretation]
    resolve_user: Callable[[str | None, str | None], str]
    report: ImportReport
    #: note guid -> (kind, target guid), filled as NoteRefs are met.
    note_targets: dict[str, tuple[MemoTarget, str]] = field(default_factory=dict)
    coding_guids: set[str] = field(default_factory=set)


@dataclass
class SourceResult:
    document: ExchangeDocument
    codings: list[ExchangeCoding]
    memos: list[ExchangeMemo]


def variable_values(element: ET.Element, ctx: SourceContext) -> dict[str, str]:
    values: dict[str, str] = {}
    for item in element.findall(ctx.ns + "VariableValue"):
        ref = item.find(ctx.ns + "VariableRef")
        if ref is None:
            continue
        target = ref.get("targetGUID", "")
        name = ctx.variables.get(target, target)
        for tag in _VALUE_ELEMENTS:
            value = item.find(ctx.ns + tag)
            if value is not None:
                values[name] = (value.text or "").strip()
                break
    return values


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


def _load_text(element: ET.Element, ctx: SourceContext, title: str) -> str | None:
    """The source's raw text (BOM removed, line ends as stored), or None if it is absent."""
    inline = element.find(ctx.ns + "PlainTextContent")
    if inline is not None:
        return inline.text or ""
    path = element.get("plainTextPath") or ""
    if not path.startswith("internal://"):
        reason = "it has no text" if not path else f"its text lies outside the archive ({path})"
        ctx.report.skip("source", title, reason, element.get("guid"))
        return None
    filename = path.removeprefix("internal://")
    stored = None
    for folder in ctx.source_folders:
        stored = ctx.archive.find(f"{folder}/{filename}")
        if stored:
            break
    if stored is None:
        ctx.report.skip(
            "source",
            title,
            f"its text file {filename} is missing from the archive",
            element.get("guid"),
        )
        return None
    return decode_text(ctx.archive.read(stored), f"{stored} (text of source {title!r})")


def read_text_source(
    element: ET.Element, ctx: SourceContext, case_attributes: dict[str, str]
) -> SourceResult | None:
    """Read one ``<TextSource>``; returns None (and reports why) when it is skipped."""
    ns = ctx.ns
    guid = element.get("guid")
    title = element.get("name") or guid or "untitled source"
    if not guid:
        raise FormatError(f"The text source {title!r} has no guid.")
    selections = element.findall(ns + "PlainTextSelection")
    raw = _load_text(element, ctx, title)
    if raw is None:
        for selection in selections:
            ctx.report.skip(
                "selection",
                _label(selection),
                f"its source {title!r} was skipped",
                selection.get("guid"),
            )
        return None
    text = normalize_text(raw)
    attributes = {**case_attributes, **variable_values(element, ctx)}
    document = ExchangeDocument(guid=guid, title=title, text=text, attributes=attributes)
    memos: list[ExchangeMemo] = []
    description = element.find(ns + "Description")
    if description is not None and (description.text or "").strip():
        memos.append(
            ExchangeMemo(
                guid=f"{guid}-description",
                text=description.text or "",
                target_kind="document",
                target_guid=guid,
                title=f"Description of {title}",
            )
        )
    for ref in element.findall(ns + "NoteRef"):
        ctx.note_targets.setdefault(ref.get("targetGUID", ""), ("document", guid))

    raw_selections = [
        RawSelection(
            guid=s.get("guid", ""),
            name=s.get("name", ""),
            start=_int_attribute(s, "startPosition", title),
            end=_int_attribute(s, "endPosition", title),
        )
        for s in selections
    ]
    resolved = resolve_positions(raw, raw_selections, title, ctx.prefer)
    if raw_selections:
        check = PositionCheck(
            document_guid=guid,
            document_title=title,
            interpretation=resolved.interpretation.name,
            selections=len(raw_selections),
            on_word_boundaries=resolved.on_word_boundaries,
            ambiguous=resolved.ambiguous,
        )
        ctx.report.positions.append(check)
        if check.ambiguous:
            ctx.report.warnings.append(
                f"Positions in {title!r} fit more than one way of counting equally well; "
                f"Accord read them as {resolved.interpretation.label}. Check a few codings."
            )
        elif check.boundary_rate < _FEW_BOUNDARIES:
            ctx.report.warnings.append(
                f"Only {check.boundary_rate:.0%} of the selections in {title!r} start and end "
                "on word boundaries; check a few codings against the original program."
            )
    codings: list[ExchangeCoding] = []
    # A Coding directly on the source (not in a selection) codes the whole text.
    codings.extend(_codings(element, guid, (0, len(text)), None, title, None, ctx))
    for selection, span in zip(selections, resolved.spans, strict=True):
        label = _label(selection)
        described = selection.find(ns + "Description")
        memo = (described.text or None) if described is not None else None
        if selection.find(ns + "Coding") is None:
            if memo:
                memos.append(
                    ExchangeMemo(
                        guid=selection.get("guid") or stable_guid("memo", f"{guid}/{span}"),
                        text=memo,
                        target_kind="document",
                        target_guid=guid,
                        title=label,
                        author_guid=ctx.resolve_user(selection.get("creatingUser"), None),
                    )
                )
            reason = "it has no code" + (" (its comment became a document memo)" if memo else "")
            ctx.report.skip("selection", label, reason, selection.get("guid"))
            continue
        if span[0] == span[1]:
            ctx.report.skip("selection", label, "it selects no text", selection.get("guid"))
            continue
        found = _codings(selection, guid, span, memo, label, selection.get("creatingUser"), ctx)
        codings.extend(found)
        # Accord has no bare selections: a note on one belongs to its (first) coding.
        target: tuple[MemoTarget, str] = ("coding", found[0].guid) if found else ("document", guid)
        for ref in selection.findall(ns + "NoteRef"):
            ctx.note_targets.setdefault(ref.get("targetGUID", ""), target)
    return SourceResult(document, codings, memos)


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
        code_guid = code_ref.get("targetGUID", "") if code_ref is not None else ""
        coding_guid = coding.get("guid") or ""
        if not coding_guid or coding_guid in ctx.coding_guids:
            # Layers must not share a coding id; derive a stable one for the odd file.
            coding_guid = stable_guid(
                "coding", f"{document_guid}/{span}/{code_guid}/{len(ctx.coding_guids)}"
            )
        if code_guid not in ctx.code_guids:
            ctx.report.skip(
                "coding",
                label,
                f"it refers to code {code_guid or '(none)'}, which is not in the codebook",
                coding_guid,
            )
            continue
        ctx.coding_guids.add(coding_guid)
        # Coding@creatingUser wins: some programs re-stamp selections on import.
        user = ctx.resolve_user(coding.get("creatingUser"), selection_user)
        result.append(
            ExchangeCoding(coding_guid, document_guid, code_guid, user, span[0], span[1], memo)
        )
        for ref in coding.findall(ctx.ns + "NoteRef"):
            ctx.note_targets.setdefault(ref.get("targetGUID", ""), ("coding", coding_guid))
    return result
