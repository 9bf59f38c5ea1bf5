"""Small .qdpx projects written from the REFI-QDA standard (Project.xsd), one per point of
issue #14, each with what an import must find in it.

Every fixture is a legal project (its ``project.qde`` validates against the schema) that
other programs write and Accord once read wrongly. ``Expected`` gives, per fixture, the
documents, the codings per coder name with the text each selects, the codings lost, and
the memos by target kind, so the tests read each fixture the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from xml.sax.saxutils import quoteattr

from tests.interop.builders import NS, make_qdpx

ALICE = "11111111-1111-4111-8111-111111111111"
BOB = "22222222-2222-4222-8222-222222222222"
LEAD = "33333333-3333-4333-8333-333333333333"
NAMED_CONSENSUS = "44444444-4444-4444-8444-444444444444"
CODE_A = "aaaaaaaa-0000-4000-8000-000000000001"
CODE_B = "aaaaaaaa-0000-4000-8000-000000000002"
TEXT_1 = "Interviewer: How was it?\nP1: I felt ashamed, and then relieved.\n"
TEXT_2 = "P2: Nobody asked me. 😀 I called the hotline myself.\n"


@dataclass
class Expected:
    documents: list[str]
    #: coder name -> sorted (code name, selected text)
    codings: dict[str, list[tuple[str, str]]]
    lost: int = 0
    memos: dict[str, int] = field(default_factory=dict)
    users: list[str] = field(default_factory=lambda: ["Alice", "Bob"])


@dataclass
class Fixture:
    name: str
    qde: str
    files: dict[str, bytes]
    expected: Expected

    @property
    def archive(self) -> bytes:
        return make_qdpx(self.qde, self.files)


def _guid(prefix: str, n: int) -> str:
    return f"{prefix}-0000-4000-8000-{n:012d}"


def project(body: str, users: str | None = None, codebook: str | None = None) -> str:
    users = users if users is not None else _users(("Alice", ALICE), ("Bob", BOB))
    codebook = codebook if codebook is not None else _codebook()
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<Project xmlns="{NS}" name="Fixture" origin="REFI writer">'
        f"{users}{codebook}{body}</Project>"
    )


def _users(*people: tuple[str, str], ids: dict[str, str] | None = None) -> str:
    ids = ids or {}
    items = "".join(
        f"<User guid={quoteattr(guid)} name={quoteattr(name)}"
        + (f" id={quoteattr(ids[guid])}" if guid in ids else "")
        + "/>"
        for name, guid in people
    )
    return f"<Users>{items}</Users>"


def _codebook(name_a: str = "Shame", color_a: str = "#FF0000", code_a: str = CODE_A) -> str:
    return (
        "<CodeBook><Codes>"
        f'<Code guid={quoteattr(code_a)} name={quoteattr(name_a)} isCodable="true" '
        f'color="{color_a}"/>'
        f'<Code guid="{CODE_B}" name="Relief" isCodable="true"/>'
        "</Codes></CodeBook>"
    )


def selection(
    n: int,
    text: str,
    words: str,
    user: str,
    code: str = CODE_A,
    *,
    inner: str = "",
    coding_inner: str = "",
    description: str = "",
) -> str:
    start = text.index(words)
    described = f"<Description>{description}</Description>" if description else ""
    return (
        f'<PlainTextSelection guid="{_guid("cccccccc", n)}" startPosition="{start}" '
        f'endPosition="{start + len(words)}" creatingUser="{user}">{described}'
        f'<Coding guid="{_guid("c0d10000", n)}" creatingUser="{user}">'
        f'<CodeRef targetGUID="{code}"/>{coding_inner}</Coding>{inner}</PlainTextSelection>'
    )


def text_source(guid: str, name: str, body: str, path: str | None = None, text: str = "") -> str:
    where = f" plainTextPath={quoteattr(path)}" if path else ""
    content = "" if path else f"<PlainTextContent>{text}</PlainTextContent>"
    return (
        f"<TextSource guid={quoteattr(guid)} name={quoteattr(name)}{where}>"
        f"{content}{body}</TextSource>"
    )


DOC_1 = _guid("bbbbbbbb", 1)
DOC_2 = _guid("bbbbbbbb", 2)
TWO_CODINGS = {
    "Alice": [("Shame", "I felt ashamed")],
    "Bob": [("Relief", "relieved")],
}


def _two_codings(text: str = TEXT_1) -> str:
    return selection(1, text, "I felt ashamed", ALICE) + selection(2, text, "relieved", BOB, CODE_B)


def empty_source() -> Fixture:
    """1. An empty (white space only) source beside a real one."""
    sources = text_source(DOC_2, "Blank memo page", "", text=" \n\t \n") + text_source(
        DOC_1, "Interview 1", _two_codings(), f"internal://{DOC_1}.txt"
    )
    return Fixture(
        "1-empty-source",
        project(f"<Sources>{sources}</Sources>"),
        {f"sources/{DOC_1}.txt": TEXT_1.encode()},
        Expected(["Interview 1"], TWO_CODINGS),
    )


LONG_TITLE = "Interview with the night-shift nurse " + "about the long weeks " * 30
LONG_CODE = "Shame " + "and the fear of being seen as weak " * 7
LONG_USER = "Alice " + "Marie-Louise " * 20


def long_names() -> Fixture:
    """2. A source name over 500 characters, a code and a user name over 200."""
    users = _users((LONG_USER, ALICE), ("Bob", BOB))
    body = text_source(DOC_1, LONG_TITLE, _two_codings(), f"internal://{DOC_1}.txt")
    return Fixture(
        "2-long-names",
        project(f"<Sources>{body}</Sources>", users, _codebook(name_a=LONG_CODE)),
        {f"sources/{DOC_1}.txt": TEXT_1.encode()},
        Expected(
            [LONG_TITLE],
            {LONG_USER: [(LONG_CODE, "I felt ashamed")], "Bob": [("Relief", "relieved")]},
            users=[LONG_USER, "Bob"],
        ),
    )


def _braced(guid: str) -> str:
    return "{" + guid.upper() + "}"


def braced_guids() -> Fixture:
    """3. Braced, upper-case GUIDs on definitions, plain lower case on references."""
    users = _users(("Alice", _braced(ALICE)), ("Bob", BOB.upper()))
    codebook = _codebook(code_a=_braced(CODE_A))
    note = _guid("eeeeeeee", 1)
    sel = selection(
        1, TEXT_1, "I felt ashamed", ALICE, inner=f'<NoteRef targetGUID="{note.upper()}"/>'
    ).replace(f'guid="{_guid("cccccccc", 1)}"', f'guid="{_braced(_guid("cccccccc", 1))}"')
    sel += selection(2, TEXT_1, "relieved", "{" + BOB + "}", _braced(CODE_B))
    body = text_source(_braced(DOC_1), "Interview 1", sel, f"internal://{DOC_1}.txt")
    notes = (
        f'<Notes><Note guid={quoteattr(_braced(note))} name="Doubt" '
        f'creatingUser="{BOB}"><PlainTextContent>Is this shame or guilt?'
        "</PlainTextContent></Note></Notes>"
    )
    return Fixture(
        "3-braced-guids",
        project(f"<Sources>{body}</Sources>{notes}", users, codebook),
        {f"sources/{DOC_1}.txt": TEXT_1.encode()},
        Expected(["Interview 1"], TWO_CODINGS, memos={"coding": 1}),
    )


def relative_paths() -> Fixture:
    """4. ``plainTextPath`` without ``internal://``: relative to the sources folder."""
    second = selection(3, TEXT_2, "I called the hotline myself", ALICE, CODE_B)
    body = text_source(DOC_1, "Interview 1", _two_codings(), f"{DOC_1}.txt") + text_source(
        DOC_2, "Interview 2", second, f"sources/{DOC_2}.txt"
    )
    return Fixture(
        "4-relative-paths",
        project(f"<Sources>{body}</Sources>"),
        {f"SOURCES/{DOC_1}.txt": TEXT_1.encode(), f"SOURCES/{DOC_2}.txt": TEXT_2.encode()},
        Expected(
            ["Interview 1", "Interview 2"],
            {
                "Alice": [("Relief", "I called the hotline myself"), ("Shame", "I felt ashamed")],
                "Bob": [("Relief", "relieved")],
            },
        ),
    )


def outside_path() -> Fixture:
    """4. A source whose text really lies outside the archive: its codings are lost."""
    second = selection(3, TEXT_2, "I called the hotline myself", ALICE, CODE_B)
    body = text_source(DOC_1, "Interview 1", _two_codings(), f"internal://{DOC_1}.txt")
    body += text_source(DOC_2, "Interview 2", second, "C:\\Users\\ane\\Interview 2.txt")
    return Fixture(
        "4-outside-path",
        project(f"<Sources>{body}</Sources>"),
        {f"sources/{DOC_1}.txt": TEXT_1.encode()},
        Expected(["Interview 1"], TWO_CODINGS, lost=1),
    )


def past_the_end() -> Fixture:
    """A selection that ends past its text however positions are counted: its coding is
    lost, the source and its other codings come in."""
    late = (
        f'<PlainTextSelection guid="{_guid("cccccccc", 9)}" startPosition="3" '
        f'endPosition="10000" creatingUser="{BOB}">'
        f'<Coding guid="{_guid("c0d10000", 9)}" creatingUser="{BOB}">'
        f'<CodeRef targetGUID="{CODE_A}"/></Coding></PlainTextSelection>'
    )
    body = text_source(DOC_1, "Interview 1", _two_codings() + late, f"internal://{DOC_1}.txt")
    return Fixture(
        "past-the-end",
        project(f"<Sources>{body}</Sources>"),
        {f"sources/{DOC_1}.txt": TEXT_1.encode()},
        Expected(["Interview 1"], TWO_CODINGS, lost=1),
    )


VARIABLES = {
    "Gender": ("Text", _guid("dddddddd", 1)),
    "Age": ("Integer", _guid("dddddddd", 2)),
    "Consent": ("Boolean", _guid("dddddddd", 3)),
    "Score": ("Float", _guid("dddddddd", 4)),
    "Interviewed": ("Date", _guid("dddddddd", 5)),
    "Started": ("DateTime", _guid("dddddddd", 6)),
}


def _value(variable: str, value: str) -> str:
    kind, guid = VARIABLES[variable]
    return (
        f'<VariableValue><VariableRef targetGUID="{guid}"/>'
        f"<{kind}Value>{value}</{kind}Value></VariableValue>"
    )


def two_cases() -> Fixture:
    """5. One source in two cases, and typed variables on a case and a source."""
    declared = "".join(
        f'<Variable guid="{guid}" name="{name}" typeOfVariable="{kind}"/>'
        for name, (kind, guid) in VARIABLES.items()
    )

    def case(n: int, name: str, values: str, source: str) -> str:
        return (
            f'<Case guid="{_guid("ffffffff", n)}" name="{name}">{values}'
            f'<SourceRef targetGUID="{source}"/></Case>'
        )

    cases = (
        case(1, "P1", _value("Gender", "female") + _value("Age", "34"), DOC_1)
        + case(2, "P2", _value("Gender", "male") + _value("Age", "41"), DOC_1)
        + case(3, "P3", _value("Gender", "female") + _value("Age", "29"), DOC_2)
    )
    typed = (
        _value("Consent", "true")
        + _value("Score", "3.5")
        + _value("Interviewed", "2024-03-01")
        + _value("Started", "2024-03-01T10:00:00Z")
    )
    second = selection(3, TEXT_2, "I called the hotline myself", ALICE, CODE_B)
    body = text_source(DOC_1, "Interview 1", _two_codings(), f"internal://{DOC_1}.txt")
    body += text_source(DOC_2, "Interview 2", second + typed, f"internal://{DOC_2}.txt")
    return Fixture(
        "5-two-cases",
        project(
            f"<Variables>{declared}</Variables><Cases>{cases}</Cases><Sources>{body}</Sources>"
        ),
        {f"sources/{DOC_1}.txt": TEXT_1.encode(), f"sources/{DOC_2}.txt": TEXT_2.encode()},
        Expected(
            ["Interview 1", "Interview 2"],
            {
                "Alice": [("Relief", "I called the hotline myself"), ("Shame", "I felt ashamed")],
                "Bob": [("Relief", "relieved")],
            },
        ),
    )


CASE_ATTRIBUTES = {
    "Interview 1": {
        "case": "P1; P2",
        "Gender (P1)": "female",
        "Age (P1)": 34,
        "Gender (P2)": "male",
        "Age (P2)": 41,
    },
    "Interview 2": {
        "case": "P3",
        "Gender": "female",
        "Age": 29,
        "Consent": True,
        "Score": 3.5,
        "Interviewed": "2024-03-01",
        "Started": "2024-03-01T10:00:00Z",
    },
}
CASE_TYPES = {
    "case": "Text",
    "Gender (P1)": "Text",
    "Age (P1)": "Integer",
    "Gender (P2)": "Text",
    "Age (P2)": "Integer",
    "Gender": "Text",
    "Age": "Integer",
    "Consent": "Boolean",
    "Score": "Float",
    "Interviewed": "Date",
    "Started": "DateTime",
}


def coding_notes() -> Fixture:
    """6. A note on a Coding, a note on a selection, and a selection's Description."""
    on_coding, on_selection = _guid("eeeeeeee", 1), _guid("eeeeeeee", 2)
    sels = selection(
        1,
        TEXT_1,
        "I felt ashamed",
        ALICE,
        coding_inner=f'<NoteRef targetGUID="{on_coding}"/>',
        description="Strong word for a first answer.",
    ) + selection(
        2, TEXT_1, "relieved", BOB, CODE_B, inner=f'<NoteRef targetGUID="{on_selection}"/>'
    )
    notes = (
        f'<Notes><Note guid="{on_coding}" name="Shame or guilt" creatingUser="{ALICE}">'
        "<PlainTextContent>Check against P4.</PlainTextContent></Note>"
        f'<Note guid="{on_selection}" name="Relief" creatingUser="{BOB}">'
        "<PlainTextContent>After the call?</PlainTextContent></Note></Notes>"
    )
    body = text_source(DOC_1, "Interview 1", sels, f"internal://{DOC_1}.txt")
    return Fixture(
        "6-coding-notes",
        project(f"<Sources>{body}</Sources>{notes}"),
        {f"sources/{DOC_1}.txt": TEXT_1.encode()},
        Expected(["Interview 1"], TWO_CODINGS, memos={"coding": 2}),
    )


def uncoded_members() -> Fixture:
    """7. The lead and a second coder have no codings; users carry email ids."""
    users = _users(
        ("Lead", LEAD),
        ("Alice", ALICE),
        ("Bob", BOB),
        ids={LEAD: "lead.fixture7@example.org", ALICE: "alice.fixture7@example.org"},
    )
    sel = selection(1, TEXT_1, "I felt ashamed", ALICE)
    body = text_source(DOC_1, "Interview 1", sel, f"internal://{DOC_1}.txt")
    return Fixture(
        "7-uncoded-members",
        project(f"<Sources>{body}</Sources>", users),
        {f"sources/{DOC_1}.txt": TEXT_1.encode()},
        Expected(
            ["Interview 1"],
            {"Alice": [("Shame", "I felt ashamed")]},
            users=["Lead", "Alice", "Bob"],
        ),
    )


def user_named_consensus() -> Fixture:
    """8. A coder who is called "Consensus" in a file that is not Accord's."""
    users = _users(("Alice", ALICE), ("Consensus", NAMED_CONSENSUS))
    sels = selection(1, TEXT_1, "I felt ashamed", ALICE) + selection(
        2, TEXT_1, "relieved", NAMED_CONSENSUS, CODE_B
    )
    body = text_source(DOC_1, "Interview 1", sels, f"internal://{DOC_1}.txt")
    return Fixture(
        "8-user-named-consensus",
        project(f"<Sources>{body}</Sources>", users),
        {f"sources/{DOC_1}.txt": TEXT_1.encode()},
        Expected(
            ["Interview 1"],
            {"Alice": [("Shame", "I felt ashamed")], "Consensus": [("Relief", "relieved")]},
            users=["Alice", "Consensus"],
        ),
    )


def short_colours() -> Fixture:
    """9. Three-digit colours."""
    codebook = (
        "<CodeBook><Codes>"
        f'<Code guid="{CODE_A}" name="Shame" isCodable="true" color="#F0A"/>'
        f'<Code guid="{CODE_B}" name="Relief" isCodable="true" color="#abc"/>'
        "</Codes></CodeBook>"
    )
    body = text_source(DOC_1, "Interview 1", _two_codings(), f"internal://{DOC_1}.txt")
    return Fixture(
        "9-short-colours",
        project(f"<Sources>{body}</Sources>", codebook=codebook),
        {f"sources/{DOC_1}.txt": TEXT_1.encode()},
        Expected(["Interview 1"], TWO_CODINGS),
    )


PDF = _guid("bbbbbbbb", 11)
AUDIO = _guid("bbbbbbbb", 12)
VIDEO = _guid("bbbbbbbb", 13)
PDF_TEXT = "Annual report. Staff felt ashamed to ask for help.\n"
AUDIO_TEXT = "Anna: Welcome.\nP5: I called the hotline myself.\n"
VIDEO_TEXT = "P6: It was a relief to talk.\n"


def _sync_selection(n: int, text: str, words: str, user: str, code: str) -> tuple[str, str]:
    start = text.index(words)
    first, last = _guid("5a5a5a5a", 2 * n), _guid("5a5a5a5a", 2 * n + 1)
    points = (
        f'<SyncPoint guid="{first}" timeStamp="{1000 * n}" position="{start}"/>'
        f'<SyncPoint guid="{last}" timeStamp="{1000 * n + 900}" position="{start + len(words)}"/>'
    )
    chosen = (
        f'<TranscriptSelection guid="{_guid("cccccccc", 100 + n)}" name="{words}" '
        f'fromSyncPoint="{first}" toSyncPoint="{last}" creatingUser="{user}">'
        f'<Coding guid="{_guid("c0d10000", 100 + n)}" creatingUser="{user}">'
        f'<CodeRef targetGUID="{code}"/></Coding></TranscriptSelection>'
    )
    return points, chosen


def _area_coding(n: int, user: str) -> str:
    return (
        f'<Coding guid="{_guid("c0d10000", 200 + n)}" creatingUser="{user}">'
        f'<CodeRef targetGUID="{CODE_A}"/></Coding>'
    )


def media_texts() -> Fixture:
    """12. A PDF with a text Representation, audio and video with Transcripts, each with
    codings on the text, and one coding each on a page area and a time span (lost)."""
    representation = text_source(
        _guid("bbbbbbbb", 21),
        "report.txt",
        selection(11, PDF_TEXT, "felt ashamed to ask for help", BOB),
        f"internal://{_guid('bbbbbbbb', 21)}.txt",
    ).replace("TextSource", "Representation")
    pdf = (
        f'<PDFSource guid="{PDF}" name="Annual report.pdf" path="internal://{PDF}.pdf">'
        f'<PDFSelection guid="{_guid("cccccccc", 201)}" page="1" firstX="0" firstY="0" '
        f'secondX="10" secondY="10">{_area_coding(1, BOB)}</PDFSelection>'
        f"{representation}</PDFSource>"
    )
    points, chosen = _sync_selection(1, AUDIO_TEXT, "I called the hotline myself", ALICE, CODE_B)
    audio = (
        f'<AudioSource guid="{AUDIO}" name="Interview 5.m4a" path="internal://{AUDIO}.m4a">'
        f'<Transcript guid="{_guid("bbbbbbbb", 22)}" name="Transcript" '
        f'plainTextPath="internal://{_guid("bbbbbbbb", 22)}.txt">{points}{chosen}</Transcript>'
        f'<AudioSelection guid="{_guid("cccccccc", 202)}" begin="0" end="900">'
        f"{_area_coding(2, ALICE)}</AudioSelection></AudioSource>"
    )
    points, chosen = _sync_selection(2, VIDEO_TEXT, "a relief to talk", BOB, CODE_B)
    video = (
        f'<VideoSource guid="{VIDEO}" name="Interview 6.mp4" path="internal://{VIDEO}.mp4">'
        f'<Transcript guid="{_guid("bbbbbbbb", 23)}" name="Transcript">'
        f"<PlainTextContent>{VIDEO_TEXT}</PlainTextContent>{points}{chosen}</Transcript>"
        "</VideoSource>"
    )
    picture = (
        f'<PictureSource guid="{_guid("bbbbbbbb", 14)}" name="ward.jpg" '
        f'path="internal://ward.jpg"/>'
    )
    return Fixture(
        "12-media-texts",
        project(f"<Sources>{pdf}{audio}{video}{picture}</Sources>"),
        {
            f"sources/{_guid('bbbbbbbb', 21)}.txt": PDF_TEXT.encode(),
            f"sources/{_guid('bbbbbbbb', 22)}.txt": AUDIO_TEXT.encode(),
            f"sources/{PDF}.pdf": b"%PDF-1.4 not read",
        },
        Expected(
            ["Annual report.pdf", "Interview 5.m4a", "Interview 6.mp4"],
            {
                "Alice": [("Relief", "I called the hotline myself")],
                "Bob": [("Relief", "a relief to talk"), ("Shame", "felt ashamed to ask for help")],
            },
            lost=2,
        ),
    )


FIXTURES: dict[str, Callable[[], Fixture]] = {
    "1": empty_source,
    "2": long_names,
    "3": braced_guids,
    "4": relative_paths,
    "4-outside": outside_path,
    "5": two_cases,
    "6": coding_notes,
    "7": uncoded_members,
    "8": user_named_consensus,
    "9": short_colours,
    "12": media_texts,
    "past-the-end": past_the_end,
}
