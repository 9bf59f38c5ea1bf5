"""Parsing XML from uploaded files without trusting it.

defusedxml refuses DTDs, entity declarations and external references outright, which
closes XXE and entity-expansion ("billion laughs") attacks. REFI-QDA files never need a
DTD, so refusing them costs real users nothing.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import cast

import defusedxml
import defusedxml.ElementTree as DET

from accord.interop.errors import FormatError


def parse_xml(data: bytes, filename: str) -> ET.Element:
    """Parse ``data`` (the contents of ``filename``) and return its root element."""
    try:
        root = DET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DTDForbidden as exc:
        raise FormatError(
            f"{filename} declares a document type (DTD), which Accord refuses for safety; "
            "REFI-QDA files do not need one."
        ) from exc
    except defusedxml.EntitiesForbidden as exc:
        raise FormatError(
            f"{filename} declares XML entities, which Accord refuses for safety "
            "(they can expand without bound)."
        ) from exc
    except defusedxml.ExternalReferenceForbidden as exc:
        raise FormatError(
            f"{filename} refers to an external resource, which Accord refuses for safety."
        ) from exc
    except ET.ParseError as exc:
        line, column = exc.position
        detail = str(exc).split(":", 1)[0]
        raise FormatError(
            f"{filename} is not well-formed XML: {detail} at line {line}, column {column + 1}."
        ) from exc
    return cast(ET.Element, root)


def local_name(element: ET.Element) -> str:
    """The tag without its ``{namespace}``."""
    tag = element.tag
    return tag.rsplit("}", 1)[1] if tag.startswith("{") else tag


def namespace_of(element: ET.Element) -> str:
    """The ``{namespace}`` prefix of the element's tag, or "" when it has none."""
    tag = element.tag
    return tag[: tag.index("}") + 1] if tag.startswith("{") else ""
