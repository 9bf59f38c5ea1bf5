"""A project as it travels between Accord and other programs.

These dataclasses are the only thing readers return and writers take. They know nothing
of the database: identifiers are GUID strings, offsets are Unicode code points into the
stored (normalised, LF) text with the end exclusive, exactly as everywhere in Accord.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal
from uuid import UUID

#: What a memo is attached to.
MemoTarget = Literal["project", "document", "code", "coding"]
#: A document attribute's value, typed as REFI-QDA variables are (dates as ISO text).
AttributeValue = str | bool | int | float
#: REFI-QDA's variable types (``typeOfVariable``).
VariableType = Literal["Text", "Boolean", "Integer", "Float", "Date", "DateTime"]


@dataclass
class ExchangeUser:
    guid: str
    name: str
    email: str | None = None
    #: True for the pseudo-user holding Accord's consensus layer, which Accord marks in
    #: its own exports; a file user merely named "Consensus" is an ordinary coder.
    consensus: bool = False


@dataclass
class ExchangeCode:
    """A codebook entry; categories and headings have ``codable=False``."""

    guid: str
    name: str
    color: str | None = None
    description: str = ""
    codable: bool = True
    #: GUID of the parent code; ``None`` at the top of the codebook.
    parent_guid: str | None = None


@dataclass
class TranscriptUnit:
    """A stretch of a document (a speaker turn), with its media times when known."""

    start: int
    end: int
    speaker: str | None = None
    start_time: float | None = None
    end_time: float | None = None


@dataclass
class ExchangeDocument:
    guid: str
    title: str
    #: Normalised text: no BOM, LF line ends. Offsets point into this string.
    text: str
    attributes: dict[str, AttributeValue] = field(default_factory=dict)
    units: list[TranscriptUnit] = field(default_factory=list)


@dataclass
class ExchangeCoding:
    """One coded segment in one user's layer."""

    guid: str
    document_guid: str
    code_guid: str
    user_guid: str
    start: int
    end: int
    memo: str | None = None


@dataclass
class ExchangeMemo:
    guid: str
    text: str
    target_kind: MemoTarget = "project"
    #: GUID of the document, code or coding; ``None`` for a project memo.
    target_guid: str | None = None
    title: str | None = None
    author_guid: str | None = None


@dataclass
class ExchangeProject:
    """Everything Accord exchanges with a file. Codes are listed parents first."""

    name: str
    users: list[ExchangeUser] = field(default_factory=list)
    codes: list[ExchangeCode] = field(default_factory=list)
    documents: list[ExchangeDocument] = field(default_factory=list)
    codings: list[ExchangeCoding] = field(default_factory=list)
    memos: list[ExchangeMemo] = field(default_factory=list)
    description: str = ""
    origin: str | None = None
    #: Variable name -> its declared REFI type, where the file declares one. A writer
    #: infers the type of any variable missing here from its values.
    variable_types: dict[str, VariableType] = field(default_factory=dict)

    def children_of(self, parent_guid: str | None) -> Iterator[ExchangeCode]:
        return (code for code in self.codes if code.parent_guid == parent_guid)


@dataclass
class SkippedItem:
    """Something in the file that did not come in, and why."""

    kind: str
    name: str
    reason: str
    guid: str | None = None


@dataclass
class PositionCheck:
    """How a source's selection positions were read, and how well they fit its text."""

    document_guid: str
    document_title: str
    interpretation: str
    selections: int
    on_word_boundaries: int
    #: True when several interpretations gave identical offsets (no CRLF, no emoji...).
    ambiguous: bool = False

    @property
    def boundary_rate(self) -> float:
        return self.on_word_boundaries / self.selections if self.selections else 1.0


@dataclass
class AccountMatch:
    """Which account a user named in the file became, and how."""

    name: str
    email: str | None
    account_id: UUID
    account_name: str
    account_email: str
    #: "email" (an account the importer shares a project with), "export" (that account
    #: again, known by the GUID Accord's export gave it), "coder" (the account named to
    #: receive the codings) or "created" (a new placeholder account).
    how: str
    #: Whether the account is a placeholder (its email is made up and never shown), and
    #: the address that claims it (an invitation to it hands the placeholder on).
    placeholder: bool = False
    claim_email: str | None = None

    def describe(self) -> str:
        who = f"{self.name!r}" + (f" <{self.email}>" if self.email else "")
        if self.placeholder:
            return self._describe_placeholder(who)
        if self.how == "email":
            return f"User {who} is the account {self.account_email} (same email)."
        if self.how == "export":
            return (
                f"User {who} is the account {self.account_email} (the same account in the "
                "Accord project this file was exported from)."
            )
        return f"User {who}'s codings went to {self.account_email}, as asked."

    def _describe_placeholder(self, who: str) -> str:
        if self.how == "created":
            what = f"User {who} became a new placeholder account, which cannot log in."
        else:
            what = (
                f"User {who} is the placeholder account {self.account_name!r} again (the "
                "same account in the Accord project this file was exported from)."
            )
        if self.claim_email:
            return (
                f"{what} Inviting {self.claim_email} to this project hands the placeholder "
                "and its codings on to that person."
            )
        return f"{what} The file gives no email address for it, so no invitation can claim it."


def _count(n: int, what: str) -> str:
    """``2 codings``, ``1 coding``, ``1 account matched``: a count in words."""
    if n != 1:
        return f"{n} {what}"
    words = what.split()
    for i in range(len(words) - 1, -1, -1):
        if words[i].endswith("s"):
            words[i] = words[i][:-1]
            break
    return f"{n} {' '.join(words)}"


@dataclass
class ImportReport:
    """What came in, in counts, and what was skipped and why.

    Codings are what a project's analysis rests on, so any coding in the file that does
    not come in is a *loss*: ``lose`` records how many and why, ``partial`` is then true
    and the report's first lines say what was lost. An import that loses codings is
    refused on the command line unless the person asks for a partial import.
    """

    counts: dict[str, int] = field(default_factory=dict)
    skipped: list[SkippedItem] = field(default_factory=list)
    positions: list[PositionCheck] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    accounts: list[AccountMatch] = field(default_factory=list)
    #: Every ``<Coding>`` in the file, whether or not it came in.
    codings_in_file: int = 0
    #: Why codings did not come in, in the order met: (how many, where and why).
    losses: list[tuple[int, str]] = field(default_factory=list)

    def skip(self, kind: str, name: str, reason: str, guid: str | None = None) -> None:
        self.skipped.append(SkippedItem(kind, name, reason, guid))

    def lose(self, count: int, why: str) -> None:
        """Record that ``count`` codings of the file did not come in, and why."""
        if count > 0:
            self.losses.append((count, why))

    @property
    def codings_lost(self) -> int:
        return sum(count for count, _ in self.losses)

    @property
    def partial(self) -> bool:
        return self.codings_lost > 0

    def loss_lines(self) -> list[str]:
        """What was lost, first the total, then each cause (same causes added up)."""
        if not self.partial:
            return []
        merged: dict[str, int] = {}
        for count, why in self.losses:
            merged[why] = merged.get(why, 0) + count
        total = max(self.codings_in_file, self.codings_lost)
        lines = [f"LOST: {self.codings_lost} of the {total} codings in the file do not come in."]
        lines.extend(
            f"  {count} coding{'' if count == 1 else 's'} {why}" for why, count in merged.items()
        )
        return lines

    def summary(self, heading: str = "Imported", losses: bool = True) -> str:
        """A few lines a person can read after an import; losses come first."""
        lines = self.loss_lines() if losses else []
        lines.append(
            f"{heading}: " + ", ".join(_count(n, what) for what, n in self.counts.items()) + "."
        )
        for check in self.positions:
            lines.append(
                f"Positions in {check.document_title!r} read as {check.interpretation}: "
                f"{check.on_word_boundaries} of {check.selections} selections on word "
                "boundaries."
            )
        lines.extend(match.describe() for match in self.accounts)
        for item in self.skipped:
            lines.append(f"Skipped {item.kind} {item.name!r}: {item.reason}")
        lines.extend(f"Note: {warning}" for warning in self.warnings)
        return "\n".join(lines)
