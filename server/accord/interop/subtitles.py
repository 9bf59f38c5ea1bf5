"""Call-recording transcripts (WebVTT .vtt and SubRip .srt) as speaker turns.

Zoom, Teams and transcription services write one cue per few seconds of speech. Accord
stores a readable transcript instead: consecutive cues of one speaker merge into a turn,
each turn becomes a ``Name: text`` paragraph, and the turn's unit keeps its start and end
times so a coded passage can be found in the recording.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from accord.documents.text import normalize_text
from accord.interop.errors import FormatError
from accord.interop.model import ExchangeDocument, TranscriptUnit
from accord.interop.plain_text import decode_text, document_guid, title_from_filename

_TIME = r"(?:(\d+):)?(\d{1,2}):(\d{2}(?:[.,]\d{1,3})?)"
_TIMING = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?\s+([^>]*)>")
_TAG = re.compile(r"<[^>]*>")
# "Anna:", "P07:", "Dr. Hansen:" -- a short label starting with a letter, then ": text".
_PREFIX = re.compile(r"^([^\W\d_][\w .'’-]{0,39}?)\s*:\s+(\S.*)$")
_MAX_LABEL_WORDS = 4
_SKIPPED_BLOCKS = ("WEBVTT", "NOTE", "STYLE", "REGION")


@dataclass
class _Turn:
    speaker: str | None
    parts: list[str]
    start_time: float
    end_time: float


def _seconds(hours: str | None, minutes: str, seconds: str) -> float:
    return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds.replace(",", "."))


def _split_speaker(line: str) -> tuple[str | None, str]:
    voice = _VOICE.search(line)
    speaker = voice.group(1).strip() if voice else None
    text = html.unescape(_TAG.sub("", line)).strip()
    if speaker is None:
        match = _PREFIX.match(text)
        if match and len(match.group(1).split()) <= _MAX_LABEL_WORDS:
            speaker, text = match.group(1).strip(), match.group(2).strip()
    return speaker or None, text


def _cues(text: str, filename: str) -> list[tuple[float, float, list[str]]]:
    cues: list[tuple[float, float, list[str]]] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines or lines[0].startswith(_SKIPPED_BLOCKS):
            continue
        for index, line in enumerate(lines):
            timing = _TIMING.match(line)
            if timing:
                start = _seconds(*timing.group(1, 2, 3))
                end = _seconds(*timing.group(4, 5, 6))
                cues.append((start, end, lines[index + 1 :]))
                break
    if not cues:
        raise FormatError(
            f"{filename} has no subtitle cues (lines like 00:00:01.000 --> 00:00:04.000)."
        )
    return cues


def _turns(cues: list[tuple[float, float, list[str]]]) -> list[_Turn]:
    turns: list[_Turn] = []
    for start, end, lines in cues:
        for number, line in enumerate(lines):
            speaker, text = _split_speaker(line)
            if not text:
                continue
            current = turns[-1] if turns else None
            # An unlabelled cue continues the speaker's turn it follows (services label only
            # the first cue of a long utterance); in a file with no speakers at all, each
            # cue stays its own unit so its times are not lost in one giant turn.
            if current is not None and (
                (speaker is not None and speaker == current.speaker)
                or (speaker is None and (current.speaker is not None or number > 0))
            ):
                current.parts.append(text)
                current.end_time = max(current.end_time, end)
            else:
                turns.append(_Turn(speaker, [text], start, end))
    return turns


def read_subtitles(data: bytes, filename: str, encoding: str | None = None) -> ExchangeDocument:
    """A ``.vtt`` or ``.srt`` file as a document whose units are the speaker turns."""
    source = normalize_text(decode_text(data, filename, encoding))
    turns = _turns(_cues(source, filename))
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
