"""Splitting transcript text into paragraphs, speaker turns and sentences."""

from __future__ import annotations

import pytest

from accord.documents.units import (
    PARAGRAPH,
    SENTENCE,
    SPEAKER_TURN,
    compute_units,
    paragraphs,
    sentences,
    speaker_labels,
    speaker_turns,
)


def spans(text: str, units: list) -> list[str]:  # type: ignore[type-arg]
    return [text[u.start : u.end] for u in units]


def test_paragraphs_split_at_blank_lines() -> None:
    text = "First line\nstill first.\n\n\nSecond.\n  \t\nThird  \n"
    units = paragraphs(text)
    assert spans(text, units) == ["First line\nstill first.", "Second.", "Third"]
    assert [u.ordinal for u in units] == [0, 1, 2]
    assert {u.kind for u in units} == {PARAGRAPH}


def test_a_single_newline_does_not_split_a_paragraph() -> None:
    assert spans("a\nb", paragraphs("a\nb")) == ["a\nb"]


def test_paragraph_offsets_count_code_points() -> None:
    text = "Blå 😊 e\u0301.\n\nNæste."
    (first, second) = paragraphs(text)
    assert (first.start, first.end) == (0, len("Blå 😊 e\u0301."))
    assert second.start == text.index("Næste") == 11
    assert text[second.start : second.end] == "Næste."


@pytest.mark.parametrize(
    "line, label",
    [
        ("Interviewer: How did it start?", "Interviewer"),
        ("I: And then?", "I"),
        ("P07: Ja.", "P07"),
        ("Dr. Hansen: Well.", "Dr. Hansen"),
        ("Lege: Jeg søkte støtte.", "Lege"),
        ("Øystein: Hei.", "Øystein"),
        ("  P1: indented label", "P1"),
    ],
)
def test_speaker_labels(line: str, label: str) -> None:
    assert [lab for _, lab in speaker_labels(line)] == [label]


@pytest.mark.parametrize(
    "line",
    [
        "10:30 we met again.",
        "See http://x for more.",
        "The ratio was 3:1 overall.",
        "A plain sentence with no label.",
        "This is a very long sentence that goes on: and has a colon.",
    ],
)
def test_not_speaker_labels(line: str) -> None:
    assert speaker_labels(line) == []


def test_speaker_turns_run_to_the_next_label() -> None:
    text = (
        "Interviewer: How did it start?\n"
        "It was in 2019.\n"
        "\n"
        "P07: At 10:30 I called.\n"
        "See http://x too.\n"
        "Dr. Hansen: Thank you."
    )
    turns = speaker_turns(text)
    assert [t.speaker for t in turns] == ["Interviewer", "P07", "Dr. Hansen"]
    assert spans(text, turns) == [
        "Interviewer: How did it start?\nIt was in 2019.",
        "P07: At 10:30 I called.\nSee http://x too.",
        "Dr. Hansen: Thank you.",
    ]
    assert {t.kind for t in turns} == {SPEAKER_TURN}
    assert [t.ordinal for t in turns] == [0, 1, 2]


def test_text_before_the_first_label_is_no_turn() -> None:
    text = "Preamble without speaker.\nI: Question?\nR: Answer.\nI: Thanks."
    assert spans(text, speaker_turns(text)) == ["I: Question?", "R: Answer.", "I: Thanks."]


def test_a_sentence_before_a_colon_is_no_speaker() -> None:
    """``My rule: never lie.`` inside a turn stays in that turn (issue #14, as for
    subtitles): it does not read as a name, so it opens no turn of its own."""
    text = (
        "Interviewer: What guides you?\n"
        "Anna: I keep it simple.\n"
        "My rule: never lie.\n"
        "Règle numéro un: pas touche.\n"
        "Interviewer: Always?"
    )
    turns = speaker_turns(text)
    assert [t.speaker for t in turns] == ["Interviewer", "Anna", "Interviewer"]
    assert spans(text, turns)[1] == (
        "Anna: I keep it simple.\nMy rule: never lie.\nRègle numéro un: pas touche."
    )


def test_a_lone_prefix_in_prose_is_no_speaker() -> None:
    # Nothing else in the text is labelled, the text does not open with a label and the
    # prefix opens one line only: it does not behave like a speaker label.
    text = "We met in the spring and talked for an hour.\nNote: the tape ran out early.\n"
    assert speaker_turns(text) == []
    assert speaker_labels("Some prose first.\nMy rule: never lie.\nMy rule: no.") == []


def test_labels_that_behave_like_labels_open_turns() -> None:
    # A participant who speaks once is a turn: the text opens with a label.
    once = "Interviewer: How did you reach out?\nP01: I called a colleague one evening.\n"
    assert [t.speaker for t in speaker_turns(once)] == ["Interviewer", "P01"]
    # After a heading: one label repeats, so the others (said once) are turns too.
    headed = "Interview 3, March.\nI: Hello.\nAnna K: Hi.\nI: Shall we start?"
    assert [t.speaker for t in speaker_turns(headed)] == ["I", "Anna K", "I"]
    # After a heading, each said once but numbered alike.
    numbered = "Focus group 2\nP01: Yes.\nP02: No.\n"
    assert [t.speaker for t in speaker_turns(numbered)] == ["P01", "P02"]
    # One label, said twice, after a heading.
    twice = "Notes\nAnna: One.\nAnna: Two."
    assert [t.speaker for t in speaker_turns(twice)] == ["Anna", "Anna"]


def test_no_labels_no_turns() -> None:
    assert speaker_turns("Just text.\n\nMore text.") == []


def test_speaker_turn_offsets_with_emoji_and_combining_marks() -> None:
    text = "Lege: Jeg søkte støtte 😊 fordi…\nP07: Cafe\u0301 ja."
    turns = speaker_turns(text)
    assert turns[1].start == text.index("P07") == 32
    assert turns[1].end == len(text)
    assert text[turns[0].start : turns[0].end] == "Lege: Jeg søkte støtte 😊 fordi…"


def test_sentences_split_at_end_marks() -> None:
    text = "It started. Did it help? Yes! Then… we stopped."
    assert spans(text, sentences(text)) == [
        "It started.",
        "Did it help?",
        "Yes!",
        "Then…",
        "we stopped.",
    ]
    assert {u.kind for u in sentences(text)} == {SENTENCE}


@pytest.mark.parametrize(
    "text",
    [
        "I saw Dr. Hansen today.",
        "We use e.g. peer groups.",
        "Mr. and Mrs. Smith came.",
        "It was J. S. Bach.",
        "Vi snakket bl.a. om søvn.",
    ],
)
def test_abbreviations_do_not_split(text: str) -> None:
    assert spans(text, sentences(text)) == [text]


def test_sentences_never_cross_a_line_break() -> None:
    text = "I: No end mark here\nP07: Second line. And more"
    assert spans(text, sentences(text)) == [
        "I: No end mark here",
        "P07: Second line.",
        "And more",
    ]


def test_sentence_keeps_closing_quote() -> None:
    text = 'He said "stop." Then left.'
    assert spans(text, sentences(text)) == ['He said "stop."', "Then left."]


def test_units_are_trimmed_and_in_range() -> None:
    text = "  I: Hello.  \n\n\n  P07: Hi 😊.  \n"
    for unit in compute_units(text):
        piece = text[unit.start : unit.end]
        assert piece == piece.strip() and piece
        assert 0 <= unit.start < unit.end <= len(text)


def test_compute_units_has_all_three_kinds() -> None:
    text = "I: Hello. How are you?\n\nP07: Fine."
    kinds = [u.kind for u in compute_units(text)]
    assert kinds.count(PARAGRAPH) == 2
    assert kinds.count(SPEAKER_TURN) == 2
    assert kinds.count(SENTENCE) == 3


def test_empty_text_has_no_units() -> None:
    assert compute_units("") == []
    assert compute_units(" \n\n ") == []
