from __future__ import annotations

import io

import docx
import pytest

from accord.interop.errors import FormatError, TooLarge
from accord.interop.limits import ImportLimits
from accord.interop.transcripts import read_transcript
from tests.interop.builders import lie_about_sizes, make_zip

TEXT = "Intervjuer: Hvordan gikk det?\r\nP07: Bra 😀, takk. Æøå.\r\n"


def test_txt_utf8_with_and_without_bom() -> None:
    for data in (TEXT.encode(), b"\xef\xbb\xbf" + TEXT.encode()):
        document = read_transcript(data, "P07 interview.txt")
        assert document.text == TEXT.replace("\r\n", "\n")
        assert document.title == "P07 interview"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_txt_utf16_detected_by_bom(codec: str) -> None:
    data = TEXT.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    assert read_transcript(data, "a.txt").text == TEXT.replace("\r\n", "\n")


def test_other_encodings_get_an_error_naming_the_option() -> None:
    latin = "Sjukehuset var travelt, sa hun. Æøå".encode("cp1252")
    with pytest.raises(FormatError, match="--encoding"):
        read_transcript(latin, "old.txt")
    assert read_transcript(latin, "old.txt", encoding="cp1252").text.endswith("Æøå")
    with pytest.raises(FormatError, match="--encoding utf-16-le"):
        read_transcript("Hei".encode("utf-16-le"), "nobom.txt")
    with pytest.raises(FormatError, match="not a text encoding"):
        read_transcript(latin, "old.txt", encoding="klingon")


def test_unknown_extension_and_size_limit() -> None:
    with pytest.raises(FormatError, match=r"\.txt, \.docx"):
        read_transcript(b"x", "notes.pdf")
    with pytest.raises(TooLarge):
        read_transcript(b"x" * 200, "big.txt", limits=ImportLimits(max_file_bytes=100))


def _docx(build: object) -> bytes:
    document = docx.Document()
    build(document)  # type: ignore[operator]
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_paragraphs_and_speaker_labels() -> None:
    def build(document: docx.document.Document) -> None:
        paragraph = document.add_paragraph()
        paragraph.add_run("Interviewer:").bold = True
        paragraph.add_run(" Hvordan var det å be om hjelp?")
        document.add_paragraph("")
        document.add_paragraph("P07: Vanskelig 😀. Jeg\u0301 skammet meg.")
        table = document.add_table(rows=1, cols=2)
        table.cell(0, 0).text = "Interviewer"
        table.cell(0, 1).text = "Takk."

    document = read_transcript(_docx(build), "P07.docx")
    assert document.text == (
        "Interviewer: Hvordan var det å be om hjelp?\n\n"
        "P07: Vanskelig 😀. Jeg\u0301 skammet meg.\n\n"
        "Interviewer: Takk."
    )


def test_docx_bomb_and_broken_docx_refused() -> None:
    bomb = make_zip({"word/document.xml": b" " * 3_000_000})
    with pytest.raises(TooLarge):
        read_transcript(bomb, "bomb.docx", limits=ImportLimits(max_entry_bytes=1_000_000))
    with pytest.raises(FormatError):
        read_transcript(lie_about_sizes(bomb, 10), "liar.docx")
    with pytest.raises(FormatError, match="not a Word document"):
        read_transcript(make_zip({"other.xml": b"<a/>"}), "odd.docx")
    xxe = b'<!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]><d>&e;</d>'
    with pytest.raises(FormatError, match="refuses"):
        read_transcript(make_zip({"word/document.xml": xxe}), "xxe.docx")


VTT = """WEBVTT

NOTE exported by a meeting tool

1
00:00:01.000 --> 00:00:04.500
<v Anna Berg>Hei, og takk for at du stiller opp.</v>

2
00:00:04.500 --> 00:00:06.000
<v Anna Berg>Kan du fortelle litt?</v>

3
00:00:06.200 --> 00:00:09.000 align:start
<v.loud P07>Ja &amp; gjerne 😀.

4
00:01:09.000 --> 00:01:12.250
P07: Jeg <i>skammet</i> meg.

5
00:01:12.250 --> 00:01:15.000
og ringte ikke.

6
01:00:00.000 --> 01:00:02.000
Anna Berg: Takk.
"""


def test_vtt_cues_become_speaker_turns_with_times() -> None:
    document = read_transcript(VTT.encode(), "call.vtt")
    assert document.text == (
        "Anna Berg: Hei, og takk for at du stiller opp. Kan du fortelle litt?\n\n"
        "P07: Ja & gjerne 😀. Jeg skammet meg.\n\n"
        "og ringte ikke.\n\n"  # an unlabelled cue is a turn of its own, with no speaker
        "Anna Berg: Takk."
    )
    units = document.units
    assert [(u.speaker, u.start_time, u.end_time) for u in units] == [
        ("Anna Berg", 1.0, 6.0),
        ("P07", 6.2, 72.25),
        (None, 72.25, 75.0),
        ("Anna Berg", 3600.0, 3602.0),
    ]
    for unit in units:
        line = document.text[unit.start : unit.end]
        assert line.startswith(f"{unit.speaker}: " if unit.speaker else "og")
        assert "\n" not in line
    assert units[-1].end == len(document.text)


def test_srt_with_prefixes_and_crlf() -> None:
    srt = (
        "1\r\n00:00:00,500 --> 00:00:02,000\r\nSpeaker 1: Hello\r\nthere\r\n\r\n"
        "2\r\n00:00:02,000 --> 00:00:03,000\r\nSpeaker 2: Hi.\r\n\r\n"
        "3\r\n00:00:03,000 --> 00:00:04,000\r\nSpeaker 2: Yes.\r\n"
    )
    document = read_transcript(srt.encode("utf-16"), "call.srt")
    assert document.text == "Speaker 1: Hello there\n\nSpeaker 2: Hi. Yes."
    assert [(u.speaker, u.start_time, u.end_time) for u in document.units] == [
        ("Speaker 1", 0.5, 2.0),
        ("Speaker 2", 2.0, 4.0),
    ]


def test_subtitles_without_cues_refused() -> None:
    with pytest.raises(FormatError, match="no subtitle cues"):
        read_transcript(b"WEBVTT\n\njust words\n", "empty.vtt")


def test_subtitles_without_speakers_keep_one_unit_per_cue() -> None:
    srt = (
        "1\n00:00:01,000 --> 00:00:02,000\nFirst line\nsame cue\n\n"
        "2\n00:00:03,000 --> 00:00:04,000\nSecond cue\n"
    )
    document = read_transcript(srt.encode(), "plain.srt")
    assert document.text == "First line same cue\n\nSecond cue"
    assert [(u.speaker, u.start_time) for u in document.units] == [(None, 1.0), (None, 3.0)]
