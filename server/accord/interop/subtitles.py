"""Call-recording transcripts (WebVTT .vtt and SubRip .srt) as speaker turns.

Zoom, Teams and transcription services write one cue per few seconds of speech. Accord
stores a readable transcript instead: consecutive cues of one speaker merge into a turn,
each turn becomes a ``Name: text`` paragraph, and the turn's unit keeps its start and end
times so a coded passage can be found in the recording.

The speaker of a cue is its ``<v Name>`` voice, or a ``Name:`` prefix that behaves like a
label across the file (:mod:`accord.interop.speaker_labels`); a prefix that does not
stays part of the text. A cue with no speaker is a turn of its own with no speaker (in
Zoom's output it is someone Zoom could not name), never part of the turn before it. The
lines of one cue belong together. A cue that starts and ends at the same time is hidden:
its text is not part of the transcript.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from accord.documents.text import normalize_text
from accord.interop.errors import FormatError
from accord.interop.model import ExchangeDocument, TranscriptUnit
from accord.interop.plain_text import decode_text, document_guid, title_from_filename
from accord.interop.speaker_labels import candidate, speaker_labels

_TIME = r"(?:(\d+):)?(\d{1,2}):(\d{2}(?:[.,]\d{1,3})?)"
_TIMING = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?\s+([^>]*)>")
_TAG = re.compile(r"<[^>]*>")
# SubRip files from subtitle editors may carry ASS overrides such as {\an8} or {\i1}.
_ASS_OVERRIDE = re.compile(r"\{\\[^}]*\}")
_SKIPPED_BLOCKS = ("WEBVTT", "NOTE", "STYLE", "REGION")


@dataclass
class _Line:
    voice: str | None
    text: str


@dataclass
class _Cue:
    start: float
    end: float
    lines: list[_Line]


@dataclass
class _Turn:
    speaker: str | None
    parts: list[str]
    start_time: float
    end_time: float
    cue: int  # the last cue that added to this turn


def _seconds(hours: str | None, minutes: str, seconds: str) -> float:
    return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds.replace(",", "."))


def _line(raw: str) -> _Line:
    voice = _VOICE.search(raw)
    text = html.unescape(_TAG.sub("", _ASS_OVERRIDE.sub("", raw))).strip()
    name = " ".join(voice.group(1).split()) if voice else ""
    return _Line(name or None, text)


def _cues(text: str, filename: str) -> list[_Cue]:
    cues: list[_Cue] = []
    found = False
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines or lines[0].startswith(_SKIPPED_BLOCKS):
            continue
        for index, line in enumerate(lines):
            timing = _TIMING.match(line)
            if timing:
                found = True
                start = _seconds(*timing.group(1, 2, 3))
                end = _seconds(*timing.group(4, 5, 6))
                if end != start:  # a zero-length cue is hidden: not text
                    cues.append(_Cue(start, end, [_line(raw) for raw in lines[index + 1 :]]))
                break
    if not found:
        raise FormatError(
            f"{filename} has no subtitle cues (lines like 00:00:01.000 --> 00:00:04.000)."
        )
    return cues


def _labels(cues: list[_Cue]) -> frozenset[str]:
    prefixes: list[str] = []
    voices: list[str] = []
    for cue in cues:
        found = {c[0] for line in cue.lines if line.voice is None and (c := candidate(line.text))}
        prefixes.extend(found)
        voices.extend({line.voice for line in cue.lines if line.voice is not None})
    return speaker_labels(prefixes, voices)


def _speaker(line: _Line, labels: frozenset[str]) -> tuple[str | None, str]:
    if line.voice is not None:
        return line.voice, line.text
    found = candidate(line.text)
    if found is not None and found[0] in labels:
        return found
    return None, line.text


def _turns(cues: list[_Cue]) -> list[_Turn]:
    labels = _labels(cues)
    turns: list[_Turn] = []
    for number, cue in enumerate(cues):
        for line in cue.lines:
            speaker, text = _speaker(line, labels)
            if not text:
                continue
            current = turns[-1] if turns else None
            same_cue = current is not None and current.cue == number
            continues = current is not None and (
                # an unlabelled line goes on with its own cue's speaker ...
                (speaker is None and same_cue)
                # ... and a speaker's consecutive cues make one turn
                or (speaker is not None and speaker == current.speaker)
            )
            if current is not None and continues:
                current.parts.append(text)
                current.end_time = max(current.end_time, cue.end)
                current.cue = number
            else:
                turns.append(_Turn(speaker, [text], cue.start, cue.end, number))
    return turns


def read_subtitles(data: bytes, filename: str, encoding: str | None = None) -> ExchangeDocument:
    """A ``.vtt`` or ``.srt`` file as a document whose units are the speaker turns."""
    source = normalize_text(decode_text(data, filename, encoding))
    turns = _turns(_cues(source, filename))
    if not turns:
        raise FormatError(
            f"{filename} has subtitle cues but no text in them (a cue that starts and ends "
            "at the same time is hidden, and left out)."
        )
    pieces: list[str] = []
    units: list[TranscriptUnit] = []
    offset = 0
    for turn in turns:
        body = " ".join(turn.parts)
        line = f"{turn.speaker}: {body}" if turn.speaker else body
        if pieces:
            offset += 2  # the blank line between turns
        units.append(
            TranscriptUnit(
                start=offset,
                end=offset + len(line),
                speaker=turn.speaker,
                start_time=turn.start_time,
                end_time=turn.end_time,
            )
        )
        pieces.append(line)
        offset += len(line)
    text = "\n\n".join(pieces)
    title = title_from_filename(filename)
    return ExchangeDocument(guid=document_guid(title, text), title=title, text=text, units=units)
