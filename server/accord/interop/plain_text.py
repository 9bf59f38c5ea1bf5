"""Plain-text transcripts (.txt): decoding bytes into Accord's stored text."""

from __future__ import annotations

import codecs
import hashlib
from pathlib import PurePath

from accord.documents.text import normalize_text
from accord.interop.errors import FormatError
from accord.interop.guids import stable_guid
from accord.interop.model import ExchangeDocument

# Longest BOMs first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_text(data: bytes, filename: str, encoding: str | None = None) -> str:
    """Decode a text file: UTF-8, or UTF-16/32 marked by a BOM, or ``encoding`` if given.

    The result still has its original line ends (REFI positions may count CRLF) but never
    a BOM. Anything that is not valid in the chosen encoding is refused, not guessed.
    """
    if encoding is not None:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError as exc:
            raise FormatError(f"{encoding!r} is not a text encoding Accord knows.") from exc
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            raise FormatError(
                f"{filename} is not valid {encoding} (byte {exc.start} cannot be decoded); "
                "check the --encoding option."
            ) from exc
        return text.removeprefix("\ufeff")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise FormatError(
                    f"{filename} starts with a {codec.upper()} byte-order mark but is not valid "
                    f"{codec.upper()} (byte {exc.start + len(bom)})."
                ) from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError(
            f"{filename} is not UTF-8 (byte {exc.start} cannot be decoded). Save it as "
            "UTF-8, or name its encoding with --encoding (for example --encoding cp1252)."
        ) from exc
    if "\x00" in text:
        # UTF-16 without a BOM decodes as "UTF-8" full of NULs; refuse it rather than
        # store a transcript of control characters.
        raise FormatError(
            f"{filename} looks like UTF-16 without a byte-order mark. Name its encoding with "
            "--encoding (for example --encoding utf-16-le)."
        )
    return text


def document_guid(title: str, text: str) -> str:
    """A GUID for a freshly imported transcript, stable for the same title and text."""
    digest = hashlib.sha256(f"{title}\x00{text}".encode()).hexdigest()
    return stable_guid("transcript", digest)


def title_from_filename(filename: str) -> str:
    return PurePath(filename.replace("\\", "/")).stem or filename


def read_txt(data: bytes, filename: str, encoding: str | None = None) -> ExchangeDocument:
    """A ``.txt`` transcript as a document; its text is stored as written."""
    text = normalize_text(decode_text(data, filename, encoding))
    title = title_from_filename(filename)
    return ExchangeDocument(guid=document_guid(title, text), title=title, text=text)
