"""Accord's file formats: transcripts in, REFI-QDA projects and codebooks in and out.

Everything here is pure: bytes or paths in, dataclasses (:mod:`accord.interop.model`) out,
and back. Nothing touches the database or HTTP; the services wire these into imports and
exports inside one transaction.
"""

from accord.interop.docx_reader import read_docx
from accord.interop.errors import ExportError, FormatError, TooLarge
from accord.interop.guids import stable_guid
from accord.interop.limits import DEFAULT_LIMITS, ImportLimits
from accord.interop.model import (
    AccountMatch,
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
from accord.interop.plain_text import read_txt
from accord.interop.qdc import read_qdc, write_qdc
from accord.interop.qdpx_reader import read_qdpx
from accord.interop.qdpx_writer import write_qdpx
from accord.interop.subtitles import read_subtitles
from accord.interop.transcripts import read_transcript

__all__ = [
    "DEFAULT_LIMITS",
    "AccountMatch",
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
