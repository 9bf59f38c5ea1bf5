"""Transcript text as Accord stores it.

Every offset in Accord counts Unicode code points into the *stored* text, so the text is
normalised once, at import, before any offset exists: a byte-order mark is dropped and
CRLF / CR line ends become LF.
"""

from __future__ import annotations

BOM = "\ufeff"


def normalize_text(raw: str) -> str:
    """Return ``raw`` with a leading BOM removed and every line end turned into LF."""
    if raw.startswith(BOM):
        raw = raw[1:]
    return raw.replace("\r\n", "\n").replace("\r", "\n")
