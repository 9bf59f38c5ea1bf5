"""One entry point for transcript files, chosen by file extension."""

from __future__ import annotations

from pathlib import PurePath

from accord.interop.docx_reader import read_docx
from accord.interop.errors import FormatError
from accord.interop.limits import DEFAULT_LIMITS, ImportLimits, InputSource, read_input
from accord.interop.model import ExchangeDocument
from accord.interop.plain_text import read_txt
from accord.interop.subtitles import read_subtitles

TRANSCRIPT_EXTENSIONS = (".txt", ".docx", ".vtt", ".srt")


def read_transcript(
    source: InputSource,
    filename: str,
    encoding: str | None = None,
    limits: ImportLimits = DEFAULT_LIMITS,
) -> ExchangeDocument:
    """Read a transcript (.txt, .docx, .vtt, .srt) named ``filename`` into a document.

    ``encoding`` names the text encoding of .txt/.vtt/.srt files that are neither UTF-8
    nor marked UTF-16 (the CLI's ``--encoding``); .docx ignores it.
    """
    extension = PurePath(filename.replace("\\", "/")).suffix.lower()
    if extension not in TRANSCRIPT_EXTENSIONS:
        raise FormatError(
            f"Accord cannot import {filename} as a transcript; use a .txt, .docx, .vtt or "
            ".srt file (projects and codebooks come in as .qdpx and .qdc)."
        )
    data = read_input(source, limits, "transcript")
    if extension == ".docx":
        return read_docx(data, filename, limits)
    if extension in (".vtt", ".srt"):
        return read_subtitles(data, filename, encoding)
    return read_txt(data, filename, encoding)
