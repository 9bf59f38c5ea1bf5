"""The synthesis as Markdown, for a report or a paper's results section.

Per category and group in codebook order: the condensate (an artificial quotation in the
participants' voice, as systematic text condensation has it), the analytic text, and the
chosen quotes in their chosen order, each with who said it and where. Headings follow
the codebook's depth; categories with nothing written under them are left out.
"""

from __future__ import annotations

from collections.abc import Iterable

from accord.consensus.synthesis_read import Quote, Section


def _quoted(text: str) -> list[str]:
    lines = text.strip().splitlines() or [""]
    return [f"> {line}".rstrip() for line in lines]


def _source(q: Quote) -> str:
    where = f"{q.document_title}, {q.coding.start}–{q.coding.end}"
    return f"— {q.participant} ({where})" if q.participant != q.document_title else f"— {where}"


def _heading_text(name: str) -> str:
    return " ".join(name.split()).replace("#", "\\#")


def synthesis_markdown(project_name: str, sections: Iterable[Section]) -> str:
    listed = list(sections)
    written = [s for s in listed if s.written]
    quotes = sum(len(s.quotes) for s in listed)
    lines = [
        f"# Synthesis: {_heading_text(project_name)}",
        "",
        f"{len(written)} categor{'y' if len(written) == 1 else 'ies'} or groups written, "
        f"with {quotes} quote(s) from the consensus layer.",
    ]
    for s in listed:
        level = min(2 + len(s.code.path) - 1, 6)
        lines += ["", f"{'#' * level} {_heading_text(s.code.name)}"]
        if s.condensate.strip():
            lines += ["", "**Condensate**", "", *_quoted(s.condensate)]
        if s.analytic_text.strip():
            lines += ["", "**Analytic text**", "", s.analytic_text.strip()]
        if s.quotes:
            lines += ["", "**Quotes**"]
            for q in s.quotes:
                lines += ["", *_quoted(f"“{q.coding.text.strip()}”"), ">", f"> {_source(q)}"]
    return "\n".join(lines) + "\n"
