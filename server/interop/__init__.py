"""Accord's file formats: transcripts in, REFI-QDA projects and codebooks in and out.

Everything here is pure: bytes or paths in, dataclasses (:mod:`server.interop.model`) out,
and back. Nothing touches the database or HTTP; the services wire these into imports and
exports inside one transaction.
"""

from server.interop.docx_reader import read_docx
from server.interop.errors import ExportError, FormatError, TooLarge
from server.interop.guids import stable_guid
from server.interop.limits import DEFAULT_LIMITS, ImportLimits
from server.interop.model import (
    ExchangeCode,
    ExchangeCoding,
    ExchangeDocument,
    ExchangeMemo,
    ExchangeProject,
    ExchangeUser,
    ImportReport,
    PositionCheck,
    SkippedItem,
    TranscriptUnit,
)
from server.interop.plain_text import read_txt
from server.interop.qdc import read_qdc, write_qdc
from server.interop.qdpx_reader import read_qdpx
from server.interop.qdpx_writer import write_qdpx
from server.interop.subtitles import read_subtitles
from server.interop.transcripts import read_transcript

__all__ = [
    "DEFAULT_LIMITS",
    "ExchangeCode",
    "ExchangeCoding",
    "ExchangeDocument",
    "ExchangeMemo",
    "ExchangeProject",
    "ExchangeUser",
    "ExportError",
    "FormatError",
    "ImportLimits",
    "ImportReport",
    "PositionCheck",
    "SkippedItem",
    "TooLarge",
    "TranscriptUnit",
    "read_docx",
    "read_qdc",
    "read_qdpx",
    "read_subtitles",
    "read_transcript",
    "read_txt",
    "stable_guid",
    "write_qdc",
    "write_qdpx",
]
