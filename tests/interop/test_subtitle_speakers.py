"""Speakers in subtitle files (issue 14, point 11): ``Name:`` is a speaker only where it
behaves like a label; dialogue keeps its colons; an unlabelled cue is a turn of its own
with no speaker; a zero-length (hidden) cue is not text. Fixtures for WebVTT, SubRip and
Zoom's transcripts, written here."""

from __future__ import annotations

import pytest

from accord.interop.errors import FormatError
from accord.interop.model import ExchangeDocument
from accord.interop.speaker_labels import reads_as_name, speaker_labels
from accord.interop.transcripts import read_transcript

# As Zoom writes a cloud recording's transcript: numbered cues, "Name: text", and no name
# where Zoom could not tell who spoke.
ZOOM = """WEBVTT

1
00:00:01.020 --> 00:00:04.110
Kari Nordmann: Velkommen, og takk for at du kom.

2
00:00:04.500 --> 00:00:07.000
Kari Nordmann: Regel nummer én: ingen navn på opptaket.

3
00:00:07.400 --> 00:00:09.900
Ja, det er greit.

4
00:00:10.000 --> 00:00:13.250
dr. ola hansen: Min regel: aldri lyve.

5
00:00:13.250 --> 00:00:13.250
[hidden caption]

6
00:00:13.300 --> 00:00:15.000
My rule: never lie.

7
00:00:15.100 --> 00:00:18.000
dr. ola hansen: Skal vi starte?

8
00:00:18.000 --> 00:00:19.500
Kari Nordmann: Ja.
"""


def _turns(document: ExchangeDocument) -> list[tuple[str | None, str, float | None, float | None]]:
    """Each unit as (speaker, its text, start time, end time)."""
    return [
        (u.speaker, document.text[u.start : u.end], u.start_time, u.end_time)
        for u in document.units
    ]


def test_zoom_transcript() -> None:
    document = read_transcript(ZOOM.encode(), "zoom call.vtt")
    assert _turns(document) == [
        (
            "Kari Nordmann",
            "Kari Nordmann: Velkommen, og takk for at du kom. "
            "Regel nummer én: ingen navn på opptaket.",
            1.02,
            7.0,
        ),
        # Zoom names nobody here: the cue is its own turn, not Kari's.
        (None, "Ja, det er greit.", 7.4, 9.9),
        ("dr. ola hansen", "dr. ola hansen: Min regel: aldri lyve.", 10.0, 13.25),
        # The hidden cue left no text; "My rule" is dialogue, not a speaker.
        (None, "My rule: never lie.", 13.3, 15.0),
        ("dr. ola hansen", "dr. ola hansen: Skal vi starte?", 15.1, 18.0),
        ("Kari Nordmann", "Kari Nordmann: Ja.", 18.0, 19.5),
    ]
    assert "hidden" not in document.text
    assert document.text.split("\n\n") == [turn[1] for turn in _turns(document)]


# SubRip dialogue in French with no speakers at all: every colon is part of what is said,
# even where the same words open two cues.
SRT_DIALOGUE = (
    "1\r\n00:00:01,000 --> 00:00:03,000\r\nRègle numéro un: pas touche.\r\n\r\n"
    "2\r\n00:00:03,500 --> 00:00:05,000\r\nRègle numéro un: pas touche,\r\nj'ai dit.\r\n\r\n"
    "3\r\n00:00:05,000 --> 00:00:05,000\r\n{\\an8}Sous-titres cachés\r\n\r\n"
    "4\r\n00:00:06,000 --> 00:00:08,000\r\nMy rule: never lie.\r\n\r\n"
    "5\r\n00:00:08,000 --> 00:00:09,000\r\nMy rule: never lie.\r\n\r\n"
    "6\r\n00:00:09,500 --> 00:00:10,000\r\nNote: une seule fois.\r\n"
)


def test_srt_dialogue_guesses_no_speaker() -> None:
    document = read_transcript(SRT_DIALOGUE.encode("utf-8-sig"), "film.srt")
    assert _turns(document) == [
        (None, "Règle numéro un: pas touche.", 1.0, 3.0),
        # The lines of one cue stay together.
        (None, "Règle numéro un: pas touche, j'ai dit.", 3.5, 5.0),
        (None, "My rule: never lie.", 6.0, 8.0),
        (None, "My rule: never lie.", 8.0, 9.0),
        (None, "Note: une seule fois.", 9.5, 10.0),
    ]
    assert "cachés" not in document.text


# WebVTT with voices and prefixes together: a voice counts towards a name's repetition,
# and a numbered label goes with its repeated siblings.
VTT_MIXED = """WEBVTT

NOTE Interviewer and participant, from a transcription service

00:00:01.000 --> 00:00:03.000
<v Interviewer>Hvordan begynte det?</v>

00:00:03.000 --> 00:00:06.000 align:start
Interviewer: Ta den tiden du trenger.

00:00:06.500 --> 00:00:08.000
Speaker 1: Det var vanskelig.

00:00:08.000 --> 00:00:09.000
Speaker 2: Hm.

00:00:09.000 --> 00:00:10.000
Speaker 2: Fortsett.

00:00:10.000 --> 00:00:12.000
- Interviewer: Og så?
<v Speaker 1>Så ringte jeg.
"""


def test_vtt_voices_and_numbered_labels() -> None:
    document = read_transcript(VTT_MIXED.encode(), "intervju.vtt")
    assert _turns(document) == [
        (
            "Interviewer",
            "Interviewer: Hvordan begynte det? Ta den tiden du trenger.",
            1.0,
            6.0,
        ),
        ("Speaker 1", "Speaker 1: Det var vanskelig.", 6.5, 8.0),
        ("Speaker 2", "Speaker 2: Hm. Fortsett.", 8.0, 10.0),
        # A dash line is not a label; the voice on the cue's next line is.
        (None, "- Interviewer: Og så?", 10.0, 12.0),
        ("Speaker 1", "Speaker 1: Så ringte jeg.", 10.0, 12.0),
    ]


def test_a_label_that_opens_only_one_cue_is_text() -> None:
    srt = (
        "1\n00:00:01,000 --> 00:00:02,000\nAnna: Hei.\n\n"
        "2\n00:00:02,000 --> 00:00:03,000\nHei på deg.\n"
    )
    document = read_transcript(srt.encode(), "kort.srt")
    assert _turns(document) == [
        (None, "Anna: Hei.", 1.0, 2.0),
        (None, "Hei på deg.", 2.0, 3.0),
    ]


def test_only_hidden_cues_is_refused_with_the_reason() -> None:
    srt = "1\n00:00:01,000 --> 00:00:01,000\nSkjult.\n"
    with pytest.raises(FormatError, match=r"no text in them.*hidden"):
        read_transcript(srt.encode(), "skjult.srt")


@pytest.mark.parametrize(
    ("label", "name"),
    [
        ("Anna", True),
        ("P07", True),
        ("Dr. Hansen", True),
        ("Speaker 2", True),
        ("Ludwig van Beethoven", True),
        ("anna k", True),
        ("My rule", False),
        ("Règle numéro un", False),
        ("Min regel", False),
    ],
)
def test_what_reads_as_a_name(label: str, name: bool) -> None:
    assert reads_as_name(label) is name


def test_labels_need_repetition_or_a_repeated_sibling() -> None:
    prefixes = ["Anna", "Anna", "Bo", "P03", "P07", "P07", "My rule", "My rule", "Guest"]
    assert speaker_labels(prefixes, ["Bo"]) == {"Anna", "Bo", "P03", "P07"}
    assert speaker_labels(["Anna"], []) == frozenset()
