"""REFI-QDA sources that are not plain text: the text Accord can take from them.

A PDF may carry its text as a ``<Representation>``, and a recording its ``<Transcript>``s;
those texts, and the codings on them, come in as documents. What stays out (pictures, a
PDF without text, codings on page areas or time spans) is reported, and any coding left
behind is recorded as a loss.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from accord.interop.model import AttributeValue
from accord.interop.qdpx_sources import (
    SourceContext,
    SourceResult,
    count_codings,
    guid_of,
    read_text_source,
)

_WHAT = {
    "PDFSource": "PDF",
    "PictureSource": "picture",
    "AudioSource": "audio",
    "VideoSource": "video",
}
#: The elements that select a part of a source by something other than its text.
_AREA_SELECTIONS = {
    "PDFSource": ("PDFSelection", "page areas"),
    "PictureSource": ("PictureSelection", "picture areas"),
    "AudioSource": ("AudioSelection", "time spans"),
    "VideoSource": ("VideoSelection", "time spans"),
}


def with_article(word: str) -> str:
    """``a PDF``, ``an audio``: the article a reader expects before ``word``."""
    sound = word.lower()
    vowel = sound[:1] in "aeio" or (sound[:1] == "u" and not sound.startswith(("uni", "use")))
    return f"{'an' if vowel else 'a'} {word}"


def read_media_source(
    element: ET.Element,
    kind: str,
    ctx: SourceContext,
    case_attributes: dict[str, AttributeValue],
) -> list[SourceResult]:
    """The texts of a non-text source as documents; the rest reported and counted."""
    ns = ctx.ns
    what = _WHAT.get(kind, kind)
    name = element.get("name") or element.get("guid") or kind
    guid = guid_of(element)
    if kind == "PDFSource":
        texts = element.findall(ns + "Representation")
    elif kind in ("AudioSource", "VideoSource"):
        texts = element.findall(ns + "Transcript")
    else:
        texts = []
    if not texts:
        reason = f"it is {with_article(what)} source with no text Accord can code"
        ctx.report.skip("source", name, reason, guid or None)
        ctx.report.lose(count_codings(element, ns), f"on source {name!r}, skipped: {reason}")
        return []
    results: list[SourceResult] = []
    for n, text in enumerate(texts, start=1):
        title = name
        if len(texts) > 1:
            title = f"{name} – {text.get('name') or f'transcript {n}'}"
        # The first text is the source itself (cases and links name the source's GUID);
        # further transcripts are documents of their own.
        result = read_text_source(
            text,
            ctx,
            case_attributes,
            owner=element if n == 1 else None,
            guid=guid if n == 1 else guid_of(text),
            title=title,
        )
        if result is not None:
            results.append(result)
    tag, where = _AREA_SELECTIONS.get(kind, ("", ""))
    for selection in element.findall(ns + tag) if tag else ():
        lost = count_codings(selection, ns)
        label = selection.get("name") or selection.get("guid") or "unnamed selection"
        ctx.report.skip(
            "selection", label, f"it selects {where}, not text; Accord codes text", guid or None
        )
        ctx.report.lose(
            lost, f"on {where} in {with_article(what)} source {name!r} (Accord codes text only)"
        )
    return results
