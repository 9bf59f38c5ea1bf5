"""Validation of the free text people type: names, titles, memos.

One place decides what a name or a memo may hold, so every entry point refuses bad text
with the same clear words. :func:`unstorable` is the rule PostgreSQL imposes on all text
(no NUL, valid Unicode), applied to every GraphQL argument at the edge
(``accord.graphql.input_guard``) and again here for text that arrives another way.
"""

from __future__ import annotations

import re

from accord.errors import InvalidInput

# JSON lets a client send half of a UTF-16 surrogate pair ("\ud800"); Python keeps it as
# a lone surrogate code point, which is not text and cannot be encoded for PostgreSQL.
_SURROGATE = re.compile("[\ud800-\udfff]")


def unstorable(value: str) -> str | None:
    """Why PostgreSQL cannot store ``value`` as text, in words; None when it can."""
    if "\x00" in value:
        return "contains a NUL character (U+0000), which Accord cannot store"
    found = _SURROGATE.search(value)
    if found is not None:
        return (
            f"contains an unpaired UTF-16 surrogate (U+{ord(found.group()):04X}), "
            "which is not a character Accord can store"
        )
    return None


def require_storable(value: str, *, what: str, field: str) -> str:
    """``value`` unchanged, or INVALID_INPUT naming ``what`` when it cannot be stored."""
    problem = unstorable(value)
    if problem is not None:
        raise InvalidInput(f"{what} {problem}.", field=field)
    return value


def clean_name(value: str, *, what: str, field: str = "name", max_length: int = 200) -> str:
    """A one-line name: white space collapsed, not empty, not too long, storable."""
    name = " ".join(value.split())
    if not name:
        # Say which argument is empty when it is not simply called "name" (a title).
        needs = "a name" if field == "name" else f"a {field}: `{field}` is empty"
        raise InvalidInput(f"{what} needs {needs}.", field=field)
    if len(name) > max_length:
        raise InvalidInput(f"{what} name can be at most {max_length} characters.", field=field)
    return require_storable(name, what=f"{what} name", field=field)


def clean_text(value: str | None, *, what: str, field: str, max_length: int, required: bool) -> str:
    """Free text such as a memo: trimmed, optionally required, bounded, storable."""
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(f"{what} cannot be empty.", field=field)
    if len(text) > max_length:
        raise InvalidInput(f"{what} can be at most {max_length:,} characters.", field=field)
    return require_storable(text, what=what, field=field)
