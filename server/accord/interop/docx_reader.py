"""Word transcripts (.docx): paragraphs become text separated by blank lines.

A .docx is a zip of XML parts, so it passes the same archive and XML checks as a REFI
project before python-docx sees it: python-docx would otherwise inflate every part
unbounded.
"""

from __future__ import annotations

from io import BytesIO

import docx
from docx.document import Document as DocxDocument
from docx.table import Table
from docx.text.paragraph import Paragraph

from accord.documents.text import normalize_text
from accord.interop.errors import FormatError
from accord.interop.limits import DEFAULT_LIMITS, ImportLimits, read_input
from accord.interop.model import ExchangeDocument
from accord.interop.plain_text import document_guid, title_from_filename
from accord.interop.safe_zip import open_zip
from accord.interop.xml_safe import parse_xml

#: A first table cell this short reads as a speaker label ("Interviewer", "P07").
_LABEL_MAX = 40


def _check_parts(data: bytes, limits: ImportLimits, filename: str) -> None:
    with open_zip(data, limits, "Word document") as archive:
        if archive.find("word/document.xml") is None:
            raise FormatError(f"{filename} is not a Word document (no word/document.xml).")
        for name in archive.names:
            if name.lower().endswith((".xml", ".rels")):
                parse_xml(archive.read(name), f"{filename}: {name}")


def _row_text(cells: list[str]) -> str:
    filled = [c for c in cells if c]
    # Two-column transcript tables put the speaker in the first column; keep the label.
    if len(filled) == 2 and len(filled[0]) <= _LABEL_MAX and "\n" not in filled[0]:
        label = filled[0] if filled[0].endswith(":") else filled[0] + ":"
        return f"{label} {filled[1]}"
    return " ".join(filled)


def _blocks(document: DocxDocument) -> list[str]:
    blocks: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            blocks.append(item.text.strip())
        elif isinstance(item, Table):
            for row in item.rows:
                # Merged cells repeat in python-docx; keep each distinct cell once.
                cells: list[str] = []
                for cell in row.cells:
                    text = cell.text.strip()
                    if not cells or cells[-1] != text:
                        cells.append(text)
                blocks.append(_row_text(cells))
    return [block for block in blocks if block]


def read_docx(
    source: bytes, filename: str, limits: ImportLimits = DEFAULT_LIMITS
) -> ExchangeDocument:
    """A ``.docx`` transcript as a document; speaker labels stay in the text."""
    data = read_input(source, limits, "Word document")
    _check_parts(data, limits, filename)
    try:
        document = docx.Document(BytesIO(data))
    except Exception as exc:  # python-docx raises many types for a broken package
        raise FormatError(f"{filename} cannot be read as a Word document ({exc}).") from exc
    text = normalize_text("\n\n".join(_blocks(document)))
    title = title_from_filename(filename)
    return ExchangeDocument(guid=document_guid(title, text), title=title, text=text)
