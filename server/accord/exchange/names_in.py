"""Names from an imported file held to Accord's lengths, never a reason to refuse it.

A document title may be 500 characters, a code's or a person's name 200. A longer name
from another program is shortened (ending in "…"), the report says so, and the full name
is kept where Accord has room for it: a document's as its "full title" attribute, a
code's at the head of its definition (see :mod:`accord.exchange.codes_in`).
"""

from __future__ import annotations

from accord.documents.service import MAX_TITLE
from accord.interop import ExchangeProject, ImportReport

#: Accord's limit on a person's name (users) and a code's name (codebook).
MAX_NAME = 200
#: The attribute that keeps a shortened document title in full.
FULL_TITLE = "full title"
#: Longer full titles are not kept (an attribute is no place for a whole text).
MAX_FULL_TITLE = 10_000


def one_line(name: str) -> str:
    return " ".join(name.replace("\x00", "").split())


def shorten(name: str, limit: int) -> str:
    """``name`` on one line and at most ``limit`` characters, "…" marking a cut."""
    flat = one_line(name)
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def shorten_titles(exchange: ExchangeProject, report: ImportReport) -> None:
    for document in exchange.documents:
        full = one_line(document.title)
        if not full:
            document.title = "Untitled source"
            report.warnings.append("A source had a blank name; it is called 'Untitled source'.")
            continue
        if len(full) <= MAX_TITLE:
            continue
        document.title = shorten(full, MAX_TITLE)
        kept = ""
        if len(full) <= MAX_FULL_TITLE and FULL_TITLE not in document.attributes:
            document.attributes[FULL_TITLE] = full
            kept = f"; the full title is kept as its {FULL_TITLE!r} attribute"
        report.warnings.append(
            f"The source {document.title[:60]!r}… has a name of {len(full):,} characters; "
            f"Accord shortened it to {MAX_TITLE}{kept}."
        )


def shorten_user_names(exchange: ExchangeProject, report: ImportReport) -> None:
    for user in exchange.users:
        full = one_line(user.name)
        if len(full) <= MAX_NAME:
            continue
        user.name = shorten(full, MAX_NAME)
        report.warnings.append(
            f"The user {user.name[:60]!r}… has a name of {len(full):,} characters; Accord "
            f"shortened it to {MAX_NAME}."
        )
