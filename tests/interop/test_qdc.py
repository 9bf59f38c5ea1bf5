from __future__ import annotations

import pytest

from accord.interop.errors import ExportError, FormatError
from accord.interop.qdc import read_qdc, write_qdc
from tests.interop.sample import sample_project


def test_codebook_round_trip() -> None:
    codes = sample_project().codes
    data = write_qdc(codes)
    assert b'xmlns="urn:QDA-XML:codebook:1.0"' in data
    assert b"<CodeBook" in data
    read, report = read_qdc(data)
    assert read == codes
    assert report.counts == {"codes": len(codes)}


def test_reads_codebook_from_another_program() -> None:
    data = b"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="MAXQDA 2020">
  <Codes>
    <Code guid="aaaaaaaa-0000-4000-8000-000000000001" name="Themes" isCodable="false">
      <Code guid="aaaaaaaa-0000-4000-8000-000000000002" name="Trust" isCodable="true"
            color="#00ff00"><Description>Trust in colleagues</Description></Code>
    </Code>
  </Codes>
  <Sets><Set guid="aaaaaaaa-0000-4000-8000-000000000003" name="S"/></Sets>
</CodeBook>"""
    codes, report = read_qdc(data)
    assert [(c.name, c.codable, c.parent_guid is not None) for c in codes] == [
        ("Themes", False, False),
        ("Trust", True, True),
    ]
    assert codes[1].description == "Trust in colleagues"
    assert report.skipped[0].kind == "sets"


def test_refuses_a_project_file_and_hostile_xml() -> None:
    with pytest.raises(FormatError, match="not a REFI-QDA codebook"):
        read_qdc(b'<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>')
    with pytest.raises(FormatError, match="refuses"):
        read_qdc(b'<!DOCTYPE a [<!ENTITY x "y">]><CodeBook>&x;</CodeBook>')
    with pytest.raises(FormatError, match="line 1"):
        read_qdc(b"<CodeBook><Codes></CodeBook>", filename="mine.qdc")


def test_duplicate_code_guid_refused() -> None:
    code = '<Code guid="aaaaaaaa-0000-4000-8000-000000000001" name="A" isCodable="true"/>'
    with pytest.raises(FormatError, match="appears twice"):
        read_qdc(f"<CodeBook><Codes>{code}{code}</Codes></CodeBook>".encode())


def test_empty_codebook_cannot_be_written() -> None:
    with pytest.raises(ExportError, match="empty"):
        write_qdc([])
