"""The errors a file import can raise.

An import either returns a whole result or raises one of these; nothing half-read leaks
out. Each carries a message written for the researcher who chose the file, plus a short
machine code the API layer can put in its error union.
"""

from __future__ import annotations


class FormatError(Exception):
    """The file cannot be imported; ``str(error)`` says why in plain words."""

    code = "bad_file"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TooLarge(FormatError):
    """The file, or something inside it, is over a configured size limit."""

    code = "too_large"


class ExportError(ValueError):
    """The project cannot be written in the requested format (for example an empty codebook)."""
