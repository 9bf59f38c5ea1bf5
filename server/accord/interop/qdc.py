"""REFI-QDA codebook exchange files (.qdc): a codebook without a project."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import cast

from accord.interop.codebook_xml import read_codes, write_codes
from accord.interop.errors import ExportError, FormatError
from accord.interop.limits import DEFAULT_LIMITS, ImportLimits, InputSource, read_input
from accord.interop.model import ExchangeCode, ImportReport
from accord.interop.xml_safe import local_name, namespace_of, parse_xml

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
# Tags are written unqualified under a default xmlns on the root element.
_NS = ""


def read_qdc(
    source: InputSource, limits: ImportLimits = DEFAULT_LIMITS, filename: str = "codebook.qdc"
) -> tuple[list[ExchangeCode], ImportReport]:
    """Read a codebook; codes come back parents first, categories with ``codable=False``."""
    root = parse_xml(read_input(source, limits, "codebook file"), filename)
    if local_name(root).lower() != "codebook":
        raise FormatError(
            f"{filename} is not a REFI-QDA codebook: its root element is <{local_name(root)}>, "
            "not <CodeBook>."
        )
    ns = namespace_of(root)
    codes_element = root.find(ns + "Codes")
    codes = read_codes(codes_element, ns, filename) if codes_element is not None else []
    report = ImportReport(counts={"codes": len(codes)})
    sets = root.find(ns + "Sets")
    if sets is not None and len(sets):
        report.skip("sets", f"{len(sets)} sets", "sets are groupings Accord does not keep")
    return codes, report


def write_qdc(codes: Sequence[ExchangeCode], origin: str = "Accord") -> bytes:
    """The codebook as a ``.qdc`` document (UTF-8 XML)."""
    if not codes:
        raise ExportError("the codebook is empty; a .qdc file needs at least one code")
    root = ET.Element(_NS + "CodeBook", {"xmlns": CODEBOOK_NS, "origin": origin})
    write_codes(root, _NS, codes)
    ET.indent(root)
    return cast(bytes, ET.tostring(root, encoding="utf-8", xml_declaration=True))
