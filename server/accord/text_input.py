"""Validation of the free text people type: names, titles, memos.

One place decides what a name or a memo may hold, so every entry point refuses bad text
with the same clear words.
"""

from __future__ import annotations

from accord.errors import InvalidInput


def clean_name(value: str, *, what: str, field: str = "name", max_length: int = 200) -> str:
    """A one-line name: white space collapsed, not empty, not too long, no NUL."""
    name = " ".join(value.split())
    if not name:
        raise InvalidInput(f"{what} needs a name.", field=field)
    if len(name) > max_length:
        raise InvalidInput(f"{what} name can be at most {max_length} characters.", field=field)
    if "\x00" in name:
        raise InvalidInput(f"{what} name contains NUL characters.", field=field)
    return name


def clean_text(value: str | None, *, what: str, field: str, max_length: int, required: bool) -> str:
    """Free text such as a memo: trimmed, optionally required, bounded, no NUL."""
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(f"{what} cannot be empty.", field=field)
    if len(text) > max_length:
        raise InvalidInput(f"{what} can be at most {max_length:,} characters.", field=field)
    if "\x00" in text:
        raise InvalidInput(f"{what} contains NUL characters.", field=field)
    return text
