"""Opening an untrusted zip archive (.qdpx, .docx) without being hurt by it.

Checks run in the order that keeps a hostile file cheapest to refuse: the compressed size
first, then the central directory (entry count, names, declared sizes), and finally the
real decompressed bytes while they stream, because a header can lie about its size.
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from accord.interop.errors import FormatError, TooLarge
from accord.interop.limits import ImportLimits, InputSource, check_file_size, human_size

_CHUNK = 64 * 1024


def _unsafe_name_reason(name: str) -> str | None:
    if "\x00" in name:
        return "contains a NUL character"
    normalised = name.replace("\\", "/")
    if normalised.startswith("/") or (len(normalised) > 1 and normalised[1] == ":"):
        return "is an absolute path"
    if ".." in normalised.split("/"):
        return "points outside the archive (..)"
    return None


class SafeZip:
    """A validated, read-only view of a zip archive; use :func:`open_zip`."""

    def __init__(self, archive: zipfile.ZipFile, limits: ImportLimits, what: str) -> None:
        self._zip = archive
        self._limits = limits
        self._what = what
        self._read_total = 0
        self._infos = {info.filename: info for info in archive.infolist()}

    @property
    def names(self) -> list[str]:
        return list(self._infos)

    def find(self, name: str) -> str | None:
        """The stored name matching ``name``, exactly or else ignoring case."""
        if name in self._infos:
            return name
        lowered = name.lower()
        matches = [stored for stored in self._infos if stored.lower() == lowered]
        return matches[0] if matches else None

    def read(self, name: str) -> bytes:
        """Decompress one entry, enforcing the per-entry and total limits as it streams."""
        info = self._infos[name]
        limit = self._limits.max_entry_bytes
        chunks: list[bytes] = []
        size = 0
        try:
            with self._zip.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    self._read_total += len(chunk)
                    if size > limit:
                        raise TooLarge(
                            f"{name!r} in the {self._what} unpacks to more than "
                            f"{human_size(limit)}; it may be a zip bomb."
                        )
                    if self._read_total > self._limits.max_total_bytes:
                        raise TooLarge(
                            f"The {self._what} unpacks to more than "
                            f"{human_size(self._limits.max_total_bytes)}; it may be a zip bomb."
                        )
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, struct.error) as exc:
            raise FormatError(
                f"{name!r} in the {self._what} is damaged and cannot be unpacked ({exc})."
            ) from exc
        if size != info.file_size:
            raise FormatError(
                f"{name!r} in the {self._what} is damaged: its size does not match its header."
            )
        return b"".join(chunks)


def _check_directory(archive: zipfile.ZipFile, limits: ImportLimits, what: str) -> None:
    infos = archive.infolist()
    if len(infos) > limits.max_entries:
        raise TooLarge(
            f"The {what} holds {len(infos)} files, over the limit of {limits.max_entries}."
        )
    total = 0
    for info in infos:
        reason = _unsafe_name_reason(info.filename)
        if reason:
            raise FormatError(f"The {what} was refused: the entry {info.filename!r} {reason}.")
        if info.flag_bits & 0x1:
            raise FormatError(
                f"The {what} is encrypted ({info.filename!r}); export it again without a password."
            )
        if info.file_size > limits.max_entry_bytes:
            raise TooLarge(
                f"{info.filename!r} in the {what} unpacks to {human_size(info.file_size)}, "
                f"over the limit of {human_size(limits.max_entry_bytes)}."
            )
        total += info.file_size
    if total > limits.max_total_bytes:
        raise TooLarge(
            f"The {what} unpacks to {human_size(total)}, over the limit of "
            f"{human_size(limits.max_total_bytes)}."
        )


@contextmanager
def open_zip(source: InputSource, limits: ImportLimits, what: str = "archive") -> Iterator[SafeZip]:
    """Open ``source`` as a zip after the size, directory and name checks.

    ``what`` names the file in messages ("REFI-QDA project", "Word document").
    """
    check_file_size(source, limits, what)
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    try:
        archive = zipfile.ZipFile(
            source if not isinstance(source, str | os.PathLike) else os.fspath(source)
        )
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, struct.error) as exc:
        raise FormatError(
            f"The {what} is not a complete zip archive; it may be truncated or damaged ({exc})."
        ) from exc
    except OSError as exc:
        raise FormatError(f"Cannot open the {what}: {exc.strerror or exc}.") from exc
    with archive:
        _check_directory(archive, limits, what)
        yield SafeZip(archive, limits, what)
