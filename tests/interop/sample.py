"""A small Accord project with the text that breaks naive offset handling."""

from __future__ import annotations

from accord.interop.guids import stable_guid
from accord.interop.model import (
    ExchangeCode,
    ExchangeCoding,
    ExchangeDocument,
    ExchangeMemo,
    ExchangeProject,
    ExchangeUser,
)

ALICE = stable_guid("user", 1)
BOB = stable_guid("user", 2)
CONSENSUS = stable_guid("user", "consensus")

TEXT_1 = (
    "Intervjuer: Hvordan opplevde du det? 😀\n\n"
    "P07: Jeg følte skam 🙈 og ville ikke be om hjelp.\n\n"
    "Intervjuer: Hva med kollegaene på sykehuset?\n\n"
    "P07: De var sn\u0303ille, men 𝄞 travle. Æøå!"
)
TEXT_2 = "P03: Kort svar 🙂 — jeg ringte støttetelefonen.\n\nP03: Det hjalp."


def span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def sample_project() -> ExchangeProject:
    codes = [
        ExchangeCode(stable_guid("code", 1), "Barriers", "#AA0000", "Category", False),
        ExchangeCode(
            stable_guid("code", 2),
            "Shame",
            "#FF8800",
            "Feeling ashamed",
            True,
            stable_guid("code", 1),
        ),
        ExchangeCode(
            stable_guid("code", 3), "Busy colleagues", None, "", True, stable_guid("code", 1)
        ),
        ExchangeCode(stable_guid("code", 4), "Facilitators", None, "", False),
        ExchangeCode(stable_guid("code", 5), "Hotline", None, "", True, stable_guid("code", 4)),
        ExchangeCode(stable_guid("code", 6), "Phone call", None, "", True, stable_guid("code", 5)),
    ]
    documents = [
        ExchangeDocument(
            stable_guid("document", 1),
            "Interview P07",
            TEXT_1,
            {"participant": "P07", "specialty": "Kirurgi"},
        ),
        ExchangeDocument(
            stable_guid("document", 2), "Interview P03", TEXT_2, {"participant": "P03"}
        ),
    ]
    codings = []
    plan = [
        (ALICE, 1, TEXT_1, "følte skam", 2, None),
        (BOB, 1, TEXT_1, "Jeg følte skam 🙈 og", 2, "emoji kept inside"),
        (ALICE, 1, TEXT_1, "sn\u0303ille, men 𝄞 travle", 3, None),
        (BOB, 1, TEXT_1, "travle", 3, None),
        (CONSENSUS, 1, TEXT_1, "følte skam", 2, "agreed in meeting"),
        (ALICE, 2, TEXT_2, "ringte støttetelefonen", 6, None),
        (CONSENSUS, 2, TEXT_2, "Det hjalp", 5, None),
    ]
    for n, (user, doc, text, words, code, memo) in enumerate(plan):
        start, end = span(text, words)
        codings.append(
            ExchangeCoding(
                stable_guid("coding", n),
                stable_guid("document", doc),
                stable_guid("code", code),
                user,
                start,
                end,
                memo,
            )
        )
    memos = [
        ExchangeMemo(stable_guid("memo", 1), "Project memo", "project", None, "Plan", ALICE),
        ExchangeMemo(
            stable_guid("memo", 2),
            "Long pause here",
            "document",
            stable_guid("document", 1),
            "Pause",
            BOB,
        ),
        ExchangeMemo(
            stable_guid("memo", 3),
            "Use for shame only",
            "code",
            stable_guid("code", 2),
            "Rule",
            None,
        ),
        ExchangeMemo(
            stable_guid("memo", 4),
            "Boundary unclear",
            "coding",
            stable_guid("coding", 1),
            "Doubt",
            BOB,
        ),
    ]
    users = [
        ExchangeUser(ALICE, "Alice Berg", "alice@example.org"),
        ExchangeUser(BOB, "Bjørn Dahl", "bjorn@example.org"),
        ExchangeUser(CONSENSUS, "Consensus", consensus=True),
    ]
    return ExchangeProject(
        "Peer support study",
        users,
        codes,
        documents,
        codings,
        memos,
        "Thirteen doctors after peer support",
    )
