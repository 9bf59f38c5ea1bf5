"""Which ``Name:`` prefixes of a subtitle file are speaker labels, and which are dialogue.

Transcription services and Zoom put the speaker before a colon; people say things like
``My rule: never lie.`` or ``Règle numéro un: pas touche`` too. A prefix counts as a
label only where it behaves like one across the whole file:

* it is short: a few words that start with a letter, with no sentence punctuation;
* it reads as a name, not as the start of a sentence: one word (``Anna``, ``P07``,
  ``jsmith``), or words that are all capitalised (``Dr. Hansen``, ``Speaker 2``, with
  particles such as *van* or *de* allowed) or all in lower case (``anna k``), never a
  capital followed by lower-case words (``My rule``, ``Règle numéro un``);
* it is repeated: the same name opens at least two cues (counting ``<v Name>`` voices),
  or it is numbered like a repeated label (``Speaker 1`` once beside ``Speaker 2`` twice,
  ``P03`` beside ``P07``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

# A prefix worth considering: a letter, then up to 39 characters of words, then ": text".
PREFIX = re.compile(r"^([^\W\d_][\w .'’()-]{0,39}?)\s*:\s+(\S.*)$")
MAX_LABEL_WORDS = 4
MIN_CUES = 2
# Lower-case words that belong in names.
_PARTICLES = frozenset(
    {
        "van", "von", "der", "den", "de", "del", "della", "da", "di", "du", "la", "le", "los",
        "las", "dos", "das", "do", "ter", "ten", "af", "zu", "bin", "ibn", "al", "el",
    }
)  # fmt: skip
_NUMBER = re.compile(r"\d+")


def candidate(text: str) -> tuple[str, str] | None:
    """The ``(label, rest)`` of a line that starts like ``Name: text``, if it does."""
    match = PREFIX.match(text)
    if match is None:
        return None
    label = " ".join(match.group(1).split())
    if len(label.split()) > MAX_LABEL_WORDS:
        return None
    return label, match.group(2).strip()


def reads_as_name(label: str) -> bool:
    words = label.split()
    if len(words) == 1:
        return True
    if all(word == word.lower() for word in words):
        return True
    rest = [w for w in words[1:] if w.lower() not in _PARTICLES]
    return all(not word[0].isalpha() or word[0].isupper() for word in rest)


def number_shape(label: str) -> str | None:
    """``Speaker 1`` and ``Speaker 12`` share the shape ``Speaker #``; None without digits."""
    shaped = _NUMBER.sub("#", label)
    return shaped if shaped != label else None


def speaker_labels(prefixes: Iterable[str], voices: Iterable[str]) -> frozenset[str]:
    """The labels to accept, given the prefix found at the start of each cue (one entry
    per cue in which it appears) and the ``<v>`` voice names of each cue likewise."""
    prefix_cues = Counter(prefixes)
    cues = prefix_cues + Counter(voices)
    named = {label for label in prefix_cues if reads_as_name(label)}
    repeated = {label for label in named if cues[label] >= MIN_CUES}
    shapes = {number_shape(label) for label in repeated} - {None}
    numbered = {label for label in named if number_shape(label) in shapes}
    return frozenset(repeated | numbered)
