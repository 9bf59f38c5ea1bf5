"""Size limits for imported files, and reading an input without trusting its size.

The server passes limits from its settings; the defaults suit interview studies
(transcripts are megabytes, not gigabytes).
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from typing import BinaryIO

from accord.interop.errors import FormatError, TooLarge

#: What an importer accepts: raw bytes, a path, or an open seekable binary file.
InputSource = bytes | str | os.PathLike[str] | BinaryIO

MB = 1024 * 1024


@dataclass(frozen=True)
class ImportLimits:
    """Upper bounds checked before and while a file is read."""

    #: Size of the uploaded file itself (the compressed archive for .qdpx / .docx).
    max_file_bytes: int = 200 * MB
    #: Uncompressed size of any single archive entry.
    max_entry_bytes: int = 100 * MB
    #: Uncompressed size of all archive entries together.
    max_total_bytes: int = 400 * MB
    #: Number of entries in an archive.
    max_entries: int = 10_000


DEFAULT_LIMITS = ImportLimits()


def human_size(n: int) -> str:
    if n >= MB:
        return f"{n / MB:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} bytes"


def input_size(source: InputSource) -> int:
    """Size of ``source`` in bytes, found without reading it."""
    if isinstance(source, bytes):
        return len(source)
    if isinstance(source, str | os.PathLike):
        try:
            return os.stat(source).st_size
        except OSError as exc:
            raise FormatError(f"Cannot open {os.fspath(source)!s}: {exc.strerror}.") from exc
    position = source.tell()
    size = source.seek(0, io.SEEK_END)
    source.seek(position)
    return size - position


def check_file_size(source: InputSource, limits: ImportLimits, what: str) -> int:
    size = input_size(source)
    if size > limits.max_file_bytes:
        raise TooLarge(
            f"The {what} is {human_size(size)}, over the limit of "
            f"{human_size(limits.max_file_bytes)}."
        )
    return size


def read_input(source: InputSource, limits: ImportLimits, what: str) -> bytes:
    """Read a whole (non-archive) input after checking its size against the limit."""
    check_file_size(source, limits, what)
    if isinstance(source, bytes):
        return source
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as handle:
            data = handle.read(limits.max_file_bytes + 1)
    else:
        data = source.read(limits.max_file_bytes + 1)
    # The file may have grown between the stat and the read; the bound still holds.
    if len(data) > limits.max_file_bytes:
        raise TooLarge(f"The {what} is over the limit of {human_size(limits.max_file_bytes)}.")
    return data
