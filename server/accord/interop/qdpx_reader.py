"""Reading a REFI-QDA project archive (.qdpx) into an :class:`ExchangeProject`.

Tolerates what real exports do (see the shared REFI notes): ``project.qde``,
``Project.qde`` or ``<name>.qde``; ``sources/`` or ``Sources/``; text files with a BOM or
CRLF; positions counted the NVivo way. Anything Accord cannot hold (pictures, PDFs,
audio, video, sets, graphs, links) is listed in the report with the reason.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from accord.documents.text import normalize_text
from accord.interop.codebook_xml import read_codes
from accord.interop.errors import FormatError
from accord.interop.guids import stable_guid
from accord.interop.limits import DEFAULT_LIMITS, ImportLimits, InputSource
from accord.interop.model import (
    ExchangeMemo,
    ExchangeProject,
    ExchangeUser,
    ImportReport,
)
from accord.interop.plain_text import decode_text
from accord.interop.positions import preference_for_origin
from accord.interop.qdpx_sources import SourceContext, read_text_source, variable_values
from accord.interop.safe_zip import SafeZip, open_zip
from accord.interop.xml_safe import local_name, namespace_of, parse_xml

_NON_TEXT = {
    "PDFSource": "PDF",
    "PictureSource": "picture",
    "AudioSource": "audio",
    "VideoSource": "video",
}
_SKIPPED_SECTIONS = {
    "Sets": "sets are groupings Accord does not keep",
    "Graphs": "graphs (network diagrams) are not part of Accord",
    "Links": "links between items are not part of Accord",
}
UNKNOWN_USER_GUID = stable_guid("user", "unknown coder")


def _find_project_file(archive: SafeZip) -> str:
    root_files = [n for n in archive.names if "/" not in n and n.lower().endswith(".qde")]
    if not root_files:
        raise FormatError(
            "This is not a REFI-QDA project: the archive has no .qde file at its top level."
        )
    for name in root_files:
        if name.lower() == "project.qde":
            return name
    if len(root_files) > 1:
        raise FormatError(
            "The archive holds several project files ("
            + ", ".join(sorted(root_files))
            + "); Accord cannot tell which one to import."
        )
    return root_files[0]


class _ProjectReader:
    def __init__(self, root: ET.Element, archive: SafeZip, filename: str) -> None:
        if local_name(root) != "Project":
            raise FormatError(
                f"{filename} is not a REFI-QDA project: its root element is "
                f"<{local_name(root)}>, not <Project>."
            )
        self.root = root
        self.ns = namespace_of(root)
        self.archive = archive
        self.filename = filename
        self.report = ImportReport()
        self.project = ExchangeProject(
            name=root.get("name") or "Imported project", origin=root.get("origin")
        )
        self.users: dict[str, ExchangeUser] = {}

    def _user(self, coding_user: str | None, selection_user: str | None) -> str:
        """The coder a coding belongs to: the Coding's stamp wins over the selection's."""
        guid = coding_user or selection_user or self.root.get("creatingUserGUID")
        if not guid:
            guid = UNKNOWN_USER_GUID
            name = "Unknown coder"
        else:
            name = f"Unknown user {guid[:8]}"
        if guid not in self.users:
            self.users[guid] = ExchangeUser(guid=guid, name=name)
            self.report.warnings.append(
                f"Some codings or notes name a user the project does not list; they are attributed "
                f"to {name!r}."
            )
        return guid

    def read(self) -> tuple[ExchangeProject, ImportReport]:
        ns = self.ns
        for element in self.root.iterfind(f"{ns}Users/{ns}User"):
            guid = element.get("guid")
            if not guid:
                raise FormatError(f"{self.filename}: a user has no guid.")
            ident = element.get("id") or ""
            self.users[guid] = ExchangeUser(
                guid=guid,
                name=element.get("name") or ident or f"User {guid[:8]}",
                email=ident if "@" in ident else None,
            )
        codes_element = self.root.find(f"{ns}CodeBook/{ns}Codes")
        if codes_element is not None:
            self.project.codes = read_codes(codes_element, ns, self.filename)
        project_description = self.root.find(ns + "Description")
        if project_description is not None:
            self.project.description = project_description.text or ""
        variables = {
            v.get("guid", ""): v.get("name", "")
            for v in self.root.iterfind(f"{ns}Variables/{ns}Variable")
        }
        ctx = SourceContext(
            ns=ns,
            archive=self.archive,
            # The spec says sources/, NVivo for Windows writes Sources/.
            source_folders=sorted(
                {n.split("/", 1)[0] for n in self.archive.names if n.lower().startswith("sources/")}
            )
            or ["sources"],
            code_guids={code.guid for code in self.project.codes},
            variables=variables,
            prefer=preference_for_origin(self.project.origin),
            resolve_user=self._user,
            report=self.report,
        )
        case_attributes = self._case_attributes(ctx)
        self._read_sources(ctx, case_attributes)
        for code in self.root.iter(ns + "Code"):
            for ref in code.findall(ns + "NoteRef"):
                ctx.note_targets.setdefault(
                    ref.get("targetGUID", ""), ("code", code.get("guid", ""))
                )
        self._read_notes(ctx)
        for section, reason in _SKIPPED_SECTIONS.items():
            found = self.root.find(ns + section)
            if found is not None and len(found):
                self.report.skip(section.lower(), f"{len(found)} {section.lower()}", reason)
        self.project.users = list(self.users.values())
        self.report.counts = {
            "users": len(self.project.users),
            "codes": len(self.project.codes),
            "documents": len(self.project.documents),
            "codings": len(self.project.codings),
            "memos": len(self.project.memos),
        }
        return self.project, self.report

    def _case_attributes(self, ctx: SourceContext) -> dict[str, dict[str, str]]:
        """Attributes each source inherits from the cases (participants) it belongs to."""
        by_source: dict[str, dict[str, str]] = {}
        for case in self.root.iterfind(f"{self.ns}Cases/{self.ns}Case"):
            values = variable_values(case, ctx)
            for ref in case.findall(self.ns + "SourceRef"):
                attributes = by_source.setdefault(ref.get("targetGUID", ""), {})
                if case.get("name"):
                    previous = attributes.get("case")
                    name = case.get("name", "")
                    attributes["case"] = f"{previous}; {name}" if previous else name
                attributes.update(values)
        return by_source

    def _read_sources(self, ctx: SourceContext, case_attributes: dict[str, dict[str, str]]) -> None:
        sources = self.root.find(self.ns + "Sources")
        for element in sources if sources is not None else ():
            kind = local_name(element)
            name = element.get("name") or element.get("guid") or kind
            if kind == "TextSource":
                result = read_text_source(
                    element, ctx, case_attributes.get(element.get("guid", ""), {})
                )
                if result is not None:
                    if any(d.guid == result.document.guid for d in self.project.documents):
                        raise FormatError(
                            f"{self.filename}: two text sources share the guid "
                            f"{result.document.guid}."
                        )
                    self.project.documents.append(result.document)
                    self.project.codings.extend(result.codings)
                    self.project.memos.extend(result.memos)
                continue
            lost = sum(1 for _ in element.iter(self.ns + "Coding"))
            what = _NON_TEXT.get(kind, kind)
            reason = f"it is a {what} source; Accord imports text sources only"
            if lost:
                reason += f" ({lost} codings on it were not imported)"
            self.report.skip("source", name, reason, element.get("guid"))

    def _read_notes(self, ctx: SourceContext) -> None:
        for ref in self.root.findall(self.ns + "NoteRef"):
            ctx.note_targets.setdefault(ref.get("targetGUID", ""), ("project", ""))
        for note in self.root.iterfind(f"{self.ns}Notes/{self.ns}Note"):
            guid = note.get("guid", "")
            name = note.get("name") or None
            content = note.find(self.ns + "PlainTextContent")
            if content is not None:
                text = content.text or ""
            elif (note.get("plainTextPath") or "").startswith("internal://"):
                text = self._note_file(note, ctx, name or guid)
            else:
                described = note.find(self.ns + "Description")
                text = (described.text or "") if described is not None else ""
            kind, target = ctx.note_targets.get(guid, ("project", ""))
            self.project.memos.append(
                ExchangeMemo(
                    guid=guid,
                    text=text,
                    target_kind=kind,
                    target_guid=target or None,
                    title=name,
                    author_guid=self._user(note.get("creatingUser"), None)
                    if note.get("creatingUser")
                    else None,
                )
            )

    def _note_file(self, note: ET.Element, ctx: SourceContext, label: str) -> str:
        filename = (note.get("plainTextPath") or "").removeprefix("internal://")
        for folder in ctx.source_folders:
            stored = self.archive.find(f"{folder}/{filename}")
            if stored:
                return normalize_text(decode_text(self.archive.read(stored), stored))
        self.report.warnings.append(f"The text of note {label!r} is missing from the archive.")
        return ""


def read_qdpx(
    source: InputSource, limits: ImportLimits = DEFAULT_LIMITS
) -> tuple[ExchangeProject, ImportReport]:
    """Read a whole REFI-QDA project; raises :class:`FormatError` and returns nothing partial."""
    with open_zip(source, limits, "REFI-QDA project") as archive:
        filename = _find_project_file(archive)
        root = parse_xml(archive.read(filename), filename)
        return _ProjectReader(root, archive, filename).read()
