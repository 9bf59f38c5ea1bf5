"""Reading a REFI-QDA project archive (.qdpx) into an :class:`ExchangeProject`.

Tolerates what real exports do (see the shared REFI notes): ``project.qde``,
``Project.qde`` or ``<name>.qde``; ``sources/`` or ``Sources/``; text files with a BOM or
CRLF; positions counted the NVivo way; GUIDs braced or in upper case. The text of a PDF
(its ``Representation``) and of a recording (its ``Transcript``) comes in like a text
source. Anything Accord cannot hold (pictures, page areas, time spans, sets, graphs,
links) is listed in the report with the reason, and every coding that does not come in
is counted as lost.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from accord.documents.text import normalize_text
from accord.interop.codebook_xml import read_codes
from accord.interop.errors import FormatError
from accord.interop.guids import CONSENSUS_GUID, CONSENSUS_USER_ID, stable_guid
from accord.interop.limits import DEFAULT_LIMITS, ImportLimits, InputSource
from accord.interop.model import (
    AttributeValue,
    ExchangeMemo,
    ExchangeProject,
    ExchangeUser,
    ImportReport,
)
from accord.interop.plain_text import decode_text
from accord.interop.positions import preference_for_origin
from accord.interop.qdpx_media import read_media_source
from accord.interop.qdpx_sources import (
    SourceContext,
    SourceResult,
    archive_path,
    count_codings,
    guid_of,
    read_text_source,
    variable_values,
)
from accord.interop.qdpx_variables import read_declarations
from accord.interop.safe_zip import SafeZip, open_zip
from accord.interop.xml_safe import local_name, namespace_of, parse_xml

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


def _marks_consensus(guid: str, ident: str, name: str) -> bool:
    """Whether a file user is Accord's consensus layer: Accord's own exports mark it with
    ``id="accord:consensus"`` (and earlier ones with Accord's fixed consensus GUID and the
    name "Consensus"). Any other user, whatever its name, is an ordinary coder."""
    if ident == CONSENSUS_USER_ID:
        return True
    return guid == CONSENSUS_GUID and name.strip() == "Consensus"


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
        guid = coding_user or selection_user or guid_of(self.root, "creatingUserGUID")
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
            guid = guid_of(element)
            if not guid:
                raise FormatError(f"{self.filename}: a user has no guid.")
            ident = (element.get("id") or "").strip()
            name = element.get("name") or ident or f"User {guid[:8]}"
            self.users[guid] = ExchangeUser(
                guid=guid,
                name=name,
                email=ident if "@" in ident else None,
                consensus=_marks_consensus(guid, ident, name),
            )
        codes_element = self.root.find(f"{ns}CodeBook/{ns}Codes")
        if codes_element is not None:
            self.project.codes = read_codes(codes_element, ns, self.filename)
        project_description = self.root.find(ns + "Description")
        if project_description is not None:
            self.project.description = project_description.text or ""
        ctx = SourceContext(
            ns=ns,
            archive=self.archive,
            # The spec says sources/, NVivo for Windows writes Sources/.
            source_folders=sorted(
                {n.split("/", 1)[0] for n in self.archive.names if n.lower().startswith("sources/")}
            )
            or ["sources"],
            code_guids={code.guid for code in self.project.codes},
            variables=read_declarations(self.root, ns),
            prefer=preference_for_origin(self.project.origin),
            resolve_user=self._user,
            report=self.report,
        )
        sources = self.root.find(ns + "Sources")
        self.report.codings_in_file = count_codings(sources, ns) if sources is not None else 0
        case_attributes = self._case_attributes(ctx)
        self._read_sources(ctx, case_attributes)
        self.project.variable_types = {
            name: kind
            for name, kind in ctx.variable_types.items()
            if any(name in d.attributes for d in self.project.documents)
        }
        for code in self.root.iter(ns + "Code"):
            for ref in code.findall(ns + "NoteRef"):
                ctx.note_targets.setdefault(guid_of(ref, "targetGUID"), ("code", guid_of(code)))
        self._read_notes(ctx)
        for section, reason in _SKIPPED_SECTIONS.items():
            found = self.root.find(ns + section)
            if found is not None and len(found):
                what = section.lower() if len(found) != 1 else section.lower().removesuffix("s")
                self.report.skip(section.lower(), f"{len(found)} {what}", reason)
        self.project.users = list(self.users.values())
        self.report.counts = {
            "users": len(self.project.users),
            "codes": len(self.project.codes),
            "documents": len(self.project.documents),
            "codings": len(self.project.codings),
            "memos": len(self.project.memos),
        }
        return self.project, self.report

    def _case_attributes(self, ctx: SourceContext) -> dict[str, dict[str, AttributeValue]]:
        """Attributes each source inherits from the cases (participants) it belongs to.

        A source in one case takes the case's values as they are. A source in several
        cases (a focus group, a couple) keeps every case's values: one attribute per case
        and variable, named "variable (case)", so no case overwrites another's.
        """
        cases: dict[str, list[tuple[str, dict[str, AttributeValue]]]] = {}
        for case in self.root.iterfind(f"{self.ns}Cases/{self.ns}Case"):
            name = " ".join((case.get("name") or "").split()) or f"case {guid_of(case)[:8]}"
            values = variable_values(case, ctx)
            for ref in case.findall(self.ns + "SourceRef"):
                cases.setdefault(guid_of(ref, "targetGUID"), []).append((name, values))
        by_source: dict[str, dict[str, AttributeValue]] = {}
        for source, memberships in cases.items():
            names = [name for name, _ in memberships]
            attributes: dict[str, AttributeValue] = {"case": "; ".join(names)}
            if len(memberships) == 1:
                attributes.update(memberships[0][1])
            else:
                for name, values in memberships:
                    for variable, value in values.items():
                        key = f"{variable} ({name})"
                        attributes[key] = value
                        ctx.variable_types.setdefault(key, ctx.variable_types.get(variable, "Text"))
                if any(values for _, values in memberships):
                    self.report.warnings.append(
                        f"A source belongs to {len(names)} cases ({', '.join(names)}); each "
                        "case's variables are kept as their own attributes, named "
                        "'variable (case)'."
                    )
            by_source[source] = attributes
        if by_source:
            ctx.variable_types.setdefault("case", "Text")
        return by_source

    def _read_sources(
        self, ctx: SourceContext, case_attributes: dict[str, dict[str, AttributeValue]]
    ) -> None:
        sources = self.root.find(self.ns + "Sources")
        for element in sources if sources is not None else ():
            kind = local_name(element)
            inherited = case_attributes.get(guid_of(element), {})
            results: list[SourceResult] = []
            if kind == "TextSource":
                result = read_text_source(element, ctx, inherited)
                results = [result] if result is not None else []
            else:
                results = read_media_source(element, kind, ctx, inherited)
            for result in results:
                if any(d.guid == result.document.guid for d in self.project.documents):
                    raise FormatError(
                        f"{self.filename}: two text sources share the guid {result.document.guid}."
                    )
                self.project.documents.append(result.document)
                self.project.codings.extend(result.codings)
                self.project.memos.extend(result.memos)

    def _read_notes(self, ctx: SourceContext) -> None:
        for ref in self.root.findall(self.ns + "NoteRef"):
            ctx.note_targets.setdefault(guid_of(ref, "targetGUID"), ("project", ""))
        for note in self.root.iterfind(f"{self.ns}Notes/{self.ns}Note"):
            guid = guid_of(note)
            name = note.get("name") or None
            content = note.find(self.ns + "PlainTextContent")
            if content is not None:
                text = content.text or ""
            elif (note.get("plainTextPath") or "").strip():
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
                    author_guid=self._user(guid_of(note, "creatingUser"), None)
                    if guid_of(note, "creatingUser")
                    else None,
                )
            )

    def _note_file(self, note: ET.Element, ctx: SourceContext, label: str) -> str:
        stored, problem = archive_path((note.get("plainTextPath") or "").strip(), ctx)
        if stored:
            return normalize_text(decode_text(self.archive.read(stored), stored))
        self.report.warnings.append(f"The text of note {label!r} was not imported: {problem}.")
        return ""


def read_qdpx(
    source: InputSource, limits: ImportLimits = DEFAULT_LIMITS
) -> tuple[ExchangeProject, ImportReport]:
    """Read a whole REFI-QDA project; raises :class:`FormatError` and returns nothing partial."""
    with open_zip(source, limits, "REFI-QDA project") as archive:
        filename = _find_project_file(archive)
        root = parse_xml(archive.read(filename), filename)
        return _ProjectReader(root, archive, filename).read()
