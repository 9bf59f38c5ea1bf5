"""A planted study for the consensus tests: three coders on one transcript.

The transcript mixes æøå, an emoji and a combining mark so that every offset is checked
in code points. Each passage carries one planted kind of agreement or disagreement.
"""

from __future__ import annotations

from accord.consensus import ItemKind, Segment

CODERS = ("ana", "bo", "cy")

TEXT = (
    "Interviewer: Hvordan var det å ringe kollegastøtten?\n"
    "P07: Jeg var redd for å virke svak foran kollegene. 😟\n"
    "P07: Samtalen ga meg ro, og jeg sov bedre etterpå, for første gang på uker.\n"
    "P07: Jeg fortalte det til kona og til ingen andre på avdelingen, det var lettere slik.\n"
    "P07: Lederen min visste ingenting om det.\n"
    "P07: Jeg anbefaler det til alle unge leger, også de som tror de klarer seg selv.\n"
    "P07: Det var en god opplevelse, og jeg ville gjort det igjen.\n"
    "P07: Noen ganger føler man seg alene – også når man ikke er det.\u0301\n"
)


def span(passage: str, extra_start: int = 0, extra_end: int = 0) -> tuple[int, int]:
    """The code-point extent of ``passage`` in ``TEXT``, widened or narrowed at each end."""
    start = TEXT.index(passage)
    return start + extra_start, start + len(passage) + extra_end


FEAR = "Jeg var redd for å virke svak foran kollegene. 😟"
RELIEF = "Samtalen ga meg ro, og jeg sov bedre etterpå, for første gang på uker."
TOLD = "Jeg fortalte det til kona og til ingen andre på avdelingen, det var lettere slik."
LEADER = "Lederen min visste ingenting om det."
RECOMMEND = "Jeg anbefaler det til alle unge leger, også de som tror de klarer seg selv."


def seg(sid: str, coder: str, code: str, extent: tuple[int, int]) -> Segment:
    return Segment(sid, coder, code, *extent)


def planted_segments() -> list[Segment]:
    return [
        # exact agreement: everyone codes the same sentence, emoji included
        seg("a1", "ana", "stigma", span(FEAR)),
        seg("b1", "bo", "stigma", span(FEAR)),
        seg("c1", "cy", "stigma", span(FEAR)),
        # boundary difference within the default 90 %: one coder stops before the period
        seg("a2", "ana", "relief", span(RELIEF)),
        seg("b2", "bo", "relief", span(RELIEF)),
        seg("c2", "cy", "relief", span(RELIEF, extra_end=-1)),
        # boundary difference well below 90 %: one coder takes only the first clause
        seg("a3", "ana", "secrecy", span(TOLD)),
        seg("b3", "bo", "secrecy", span(TOLD, extra_end=-24)),
        seg("c3", "cy", "secrecy", span(TOLD)),
        # code difference: same sentence, one coder reads it as workplace culture
        seg("a4", "ana", "secrecy", span(LEADER)),
        seg("b4", "bo", "secrecy", span(LEADER)),
        seg("c4", "cy", "workplace culture", span(LEADER)),
        # omission: cy coded nothing here
        seg("a5", "ana", "recommendation", span(RECOMMEND)),
        seg("b5", "bo", "recommendation", span(RECOMMEND, extra_end=-1)),
    ]


PLANTED_KINDS = [
    ItemKind.EXACT_AGREEMENT,
    ItemKind.BOUNDARY_DIFFERENCE,
    ItemKind.BOUNDARY_DIFFERENCE,
    ItemKind.CODE_DIFFERENCE,
    ItemKind.OMISSION,
]

# The items the default rule accepts on its own: exact agreement, and the relief passage
# whose boundaries differ by one code point.
AGREED_SEGMENT_IDS = [("a1", "b1", "c1"), ("a2", "b2", "c2")]
