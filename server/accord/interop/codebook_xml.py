"""The ``<Codes>`` tree shared by REFI-QDA projects (.qdpx) and codebooks (.qdc)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence

from accord.interop.errors import FormatError
from accord.interop.guids import as_guid, normalise_guid
from accord.interop.model import ExchangeCode
from accord.interop.xml_safe import local_name

_COLOR = re.compile(r"^#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})$")


def parse_bool(value: str | None, default: bool = True) -> bool:
    if value is None:
        return default
    return value.strip().lower() in ("true", "1")


def read_color(value: str | None) -> str | None:
    """A REFI colour as ``#RRGGBB`` in upper case: ``#F0A`` is ``#FF00AA``; None if absent
    or not a colour."""
    text = (value or "").strip()
    if not _COLOR.match(text):
        return None
    digits = text[1:]
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return "#" + digits.upper()


def _text_of(element: ET.Element, ns: str, child: str) -> str:
    found = element.find(ns + child)
    return (found.text or "") if found is not None else ""


def read_codes(codes_element: ET.Element, ns: str, filename: str) -> list[ExchangeCode]:
    """Flatten a ``<Codes>`` tree into codes listed parents first."""
    result: list[ExchangeCode] = []
    seen: set[str] = set()

    def visit(element: ET.Element, parent: str | None) -> None:
        for child in element:
            if local_name(child) != "Code":
                continue
            guid = normalise_guid(child.get("guid"))
            name = child.get("name")
            if not guid or name is None:
                raise FormatError(f"{filename}: a code has no guid or no name.")
            if guid in seen:
                raise FormatError(f"{filename}: the code guid {guid} appears twice.")
            seen.add(guid)
            result.append(
                ExchangeCode(
                    guid=guid,
                    name=name,
                    color=read_color(child.get("color")),
                    description=_text_of(child, ns, "Description"),
                    codable=parse_bool(child.get("isCodable")),
                    parent_guid=parent,
                )
            )
            visit(child, guid)

    visit(codes_element, None)
    return result


def write_codes(
    parent: ET.Element,
    ns: str,
    codes: Sequence[ExchangeCode],
    note_refs: Callable[[str], Sequence[str]] = lambda guid: (),
) -> None:
    """Append ``<Codes>`` with nested ``<Code>`` elements to ``parent``.

    ``note_refs(code_guid)`` gives the GUIDs of notes attached to a code (projects only;
    a standalone codebook has no notes).
    """
    known = {code.guid for code in codes}
    children: dict[str | None, list[ExchangeCode]] = {}
    for code in codes:
        # A parent outside the list would orphan the branch; keep it at the top instead.
        key = code.parent_guid if code.parent_guid in known else None
        children.setdefault(key, []).append(code)
    if not children.get(None):
        raise ValueError("the codebook has no top-level code")

    def emit(into: ET.Element, code: ExchangeCode) -> None:
        attributes = {
            "guid": as_guid(code.guid, "code"),
            "name": code.name,
            "isCodable": "true" if code.codable else "false",
        }
        color = read_color(code.color)
        if color:
            attributes["color"] = color
        element = ET.SubElement(into, ns + "Code", attributes)
        if code.description:
            ET.SubElement(element, ns + "Description").text = code.description
        for note in note_refs(code.guid):
            ET.SubElement(element, ns + "NoteRef", {"targetGUID": as_guid(note, "memo")})
        for child in children.get(code.guid, []):
            emit(element, child)

    codes_element = ET.SubElement(parent, ns + "Codes")
    for code in children[None]:
        emit(codes_element, code)
    written = sum(1 for _ in codes_element.iter(ns + "Code"))
    if written != len(codes):
        raise ValueError("the codebook's parent links form a cycle")
