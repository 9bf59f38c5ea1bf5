"""Writing an :class:`ExchangeProject` as a REFI-QDA project archive (.qdpx).

The output validates against the REFI-QDA Project schema v1.0. Every coding becomes its
own ``PlainTextSelection`` carrying one ``Coding``, both stamped with the coder's user,
so programs that read either attribute see the same layer. Bytes are reproducible: the
same project gives the same archive, GUIDs and timestamps included.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from collections import defaultdict
from collections.abc import Sequence
from io import BytesIO
from typing import Literal, cast

from accord.interop.codebook_xml import write_codes
from accord.interop.errors import ExportError
from accord.interop.guids import CONSENSUS_USER_ID, as_guid, stable_guid
from accord.interop.model import (
    ExchangeCoding,
    ExchangeDocument,
    ExchangeProject,
    VariableType,
)
from accord.interop.positions import utf16_offset
from accord.interop.qdpx_variables import VALUE_ELEMENTS, export_type, value_text

PROJECT_NS = "urn:QDA-XML:project:1.0"
# Tags are written unqualified under a default xmlns on the root element.
_NS = ""
#: A fixed timestamp for archive entries keeps exports byte-for-byte reproducible.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

PositionUnit = Literal["codepoints", "utf16"]


def _excerpt(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _check(project: ExchangeProject) -> None:
    documents = {d.guid: d for d in project.documents}
    codes = {c.guid for c in project.codes}
    users = {u.guid for u in project.users}
    for coding in project.codings:
        document = documents.get(coding.document_guid)
        if document is None or coding.code_guid not in codes or coding.user_guid not in users:
            raise ExportError(
                f"coding {coding.guid} refers to a document, code or user missing from the export"
            )
        if not 0 <= coding.start < coding.end <= len(document.text):
            raise ExportError(
                f"coding {coding.guid} ({coding.start}–{coding.end}) lies outside the text of "
                f"{document.title!r}"
            )


class _Writer:
    def __init__(
        self, project: ExchangeProject, positions: PositionUnit, include_emails: bool
    ) -> None:
        self.project = project
        self.positions = positions
        self.include_emails = include_emails
        self.notes: dict[tuple[str, str], list[str]] = defaultdict(list)
        for memo in project.memos:
            self.notes[(memo.target_kind, memo.target_guid or "")].append(memo.guid)
        names = list(dict.fromkeys(name for d in project.documents for name in d.attributes))
        self.variable_types: dict[str, VariableType] = {
            name: export_type(
                project.variable_types.get(name),
                (d.attributes[name] for d in project.documents if name in d.attributes),
            )
            for name in names
        }

    def note_refs(self, kind: str, guid: str) -> Sequence[str]:
        return self.notes.get((kind, guid), ())

    def add_note_refs(self, element: ET.Element, kind: str, guid: str) -> None:
        for note in self.note_refs(kind, guid):
            ET.SubElement(element, _NS + "NoteRef", {"targetGUID": as_guid(note, "memo")})

    def offset(self, document: ExchangeDocument, index: int) -> str:
        if self.positions == "utf16":
            return str(utf16_offset(document.text, index))
        return str(index)

    def build(self, origin: str) -> ET.Element:
        project = self.project
        root = ET.Element(
            _NS + "Project",
            {
                "xmlns": PROJECT_NS,
                "name": project.name or "Accord project",
                "origin": f"{origin}; positions={self.positions}",
            },
        )
        if project.users:
            users = ET.SubElement(root, _NS + "Users")
            for user in project.users:
                attributes = {"guid": as_guid(user.guid, "user"), "name": user.name}
                if user.consensus:
                    # The explicit mark that this user is Accord's consensus layer.
                    attributes["id"] = CONSENSUS_USER_ID
                elif user.email and self.include_emails:
                    # REFI's free-form user id; Accord reads an email here back as the email,
                    # so a re-import matches the same accounts.
                    attributes["id"] = user.email
                ET.SubElement(users, _NS + "User", attributes)
        if project.codes:
            codebook = ET.SubElement(root, _NS + "CodeBook")
            write_codes(codebook, _NS, project.codes, lambda guid: self.note_refs("code", guid))
        if self.variable_types:
            holder = ET.SubElement(root, _NS + "Variables")
            for name, kind in self.variable_types.items():
                ET.SubElement(
                    holder,
                    _NS + "Variable",
                    {"guid": stable_guid("variable", name), "name": name, "typeOfVariable": kind},
                )
        if project.documents:
            sources = ET.SubElement(root, _NS + "Sources")
            by_document: dict[str, list[ExchangeCoding]] = defaultdict(list)
            for coding in project.codings:
                by_document[coding.document_guid].append(coding)
            for document in project.documents:
                self.text_source(sources, document, by_document[document.guid])
        if project.memos:
            notes = ET.SubElement(root, _NS + "Notes")
            known_users = {u.guid for u in project.users}
            for memo in project.memos:
                attributes = {
                    "guid": as_guid(memo.guid, "memo"),
                    "name": memo.title or _excerpt(memo.text, 40) or "Memo",
                }
                if memo.author_guid in known_users:
                    attributes["creatingUser"] = as_guid(memo.author_guid or "", "user")
                note = ET.SubElement(notes, _NS + "Note", attributes)
                ET.SubElement(note, _NS + "PlainTextContent").text = memo.text
        # Sets, Links and Graphs are never written: Accord has none, and an empty <Sets/>
        # is invalid.
        if project.description:
            ET.SubElement(root, _NS + "Description").text = project.description
        self.add_note_refs(root, "project", "")
        return root

    def text_source(
        self, parent: ET.Element, document: ExchangeDocument, codings: list[ExchangeCoding]
    ) -> None:
        guid = as_guid(document.guid, "document")
        source = ET.SubElement(
            parent,
            _NS + "TextSource",
            {
                "guid": guid,
                "name": document.title,
                "plainTextPath": f"internal://{guid}.txt",
            },
        )
        codings = sorted(codings, key=lambda c: (c.start, c.end, c.user_guid, c.code_guid))
        for coding in codings:
            user = as_guid(coding.user_guid, "user")
            coding_guid = as_guid(coding.guid, "coding")
            selection = ET.SubElement(
                source,
                _NS + "PlainTextSelection",
                {
                    "guid": stable_guid("selection", coding_guid),
                    "name": _excerpt(document.text[coding.start : coding.end]),
                    "startPosition": self.offset(document, coding.start),
                    "endPosition": self.offset(document, coding.end),
                    "creatingUser": user,
                },
            )
            # A coding's memo travels as the selection's description, where other programs
            # show a quotation's comment.
            if coding.memo:
                ET.SubElement(selection, _NS + "Description").text = coding.memo
            element = ET.SubElement(
                selection, _NS + "Coding", {"guid": coding_guid, "creatingUser": user}
            )
            ET.SubElement(
                element, _NS + "CodeRef", {"targetGUID": as_guid(coding.code_guid, "code")}
            )
            self.add_note_refs(element, "coding", coding.guid)
        self.add_note_refs(source, "document", document.guid)
        for name, value in document.attributes.items():
            holder = ET.SubElement(source, _NS + "VariableValue")
            ET.SubElement(
                holder, _NS + "VariableRef", {"targetGUID": stable_guid("variable", name)}
            )
            kind = self.variable_types[name]
            ET.SubElement(holder, _NS + VALUE_ELEMENTS[kind]).text = value_text(kind, value)


def project_xml(
    project: ExchangeProject,
    positions: PositionUnit = "codepoints",
    origin: str = "Accord",
    include_emails: bool = True,
) -> bytes:
    """The ``project.qde`` document alone."""
    _check(project)
    root = _Writer(project, positions, include_emails).build(origin)
    ET.indent(root)
    return cast(bytes, ET.tostring(root, encoding="utf-8", xml_declaration=True))


def write_qdpx(
    project: ExchangeProject,
    positions: PositionUnit = "codepoints",
    origin: str = "Accord",
    include_emails: bool = True,
) -> bytes:
    """The project as a ``.qdpx`` archive.

    ``positions="utf16"`` writes NVivo-style UTF-16 code-unit offsets instead of the code
    points the REFI spec asks for. The consensus layer is the codings of the user marked
    ``consensus``, written with ``id="accord:consensus"`` so a reader can tell it from a
    coder who is merely named "Consensus". ``include_emails=False`` leaves users' emails
    out of the file.
    """
    if positions not in ("codepoints", "utf16"):
        raise ExportError(f"unknown position unit {positions!r}; use codepoints or utf16")
    qde = project_xml(project, positions, origin, include_emails)
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("project.qde", _ZIP_TIME), qde, zipfile.ZIP_DEFLATED)
        for document in project.documents:
            name = f"sources/{as_guid(document.guid, 'document')}.txt"
            archive.writestr(
                zipfile.ZipInfo(name, _ZIP_TIME),
                document.text.encode("utf-8"),
                zipfile.ZIP_DEFLATED,
            )
    return buffer.getvalue()
