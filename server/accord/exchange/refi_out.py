"""A project's default round as REFI-QDA sees it, for the .qdpx and .qdc exports.

GUIDs are derived from Accord's ids (:func:`accord.interop.stable_guid`). Every member is
a user of the file (the lead too, coded or not), then anyone else who owns a layer or
wrote a memo; the consensus layer belongs to a user "Consensus" marked as Accord's own.
A placeholder account's made-up address is never given as a user's email.
"""

from __future__ import annotations

from accord.exchange.accounts import CONSENSUS_NAME
from accord.exchange.snapshot import Snapshot, attribute_value
from accord.interop import (
    ExchangeCode,
    ExchangeCoding,
    ExchangeDocument,
    ExchangeMemo,
    ExchangeProject,
    ExchangeUser,
    stable_guid,
)
from accord.interop.guids import CONSENSUS_GUID
from accord.users.labels import real_email


def to_exchange(s: Snapshot) -> ExchangeProject:
    """The default round of the project as REFI-QDA sees it."""
    exported = [c for c in s.codes if c.status != "MERGED"]
    kept = {c.id for c in exported}
    codes = [
        ExchangeCode(
            guid=stable_guid("code", c.id),
            name=c.name,
            color=c.color,
            description=c.definition,
            codable=c.codable,
            parent_guid=stable_guid("code", c.parent_id) if c.parent_id in kept else None,
        )
        for c in exported
    ]
    round_id = s.default_round
    codings = [r for r in s.codings if r["round_id"] == round_id]
    # Users are every member (the lead included, coded or not), then anyone else who
    # owns a layer or wrote a memo (a former member).
    members = [r["user_id"] for r in s.members]
    owners = {r["coder_id"] for r in codings if r["coder_id"]} | {m["author_id"] for m in s.memos}
    listed = [*members, *sorted((o for o in owners if o not in members), key=str)]
    # A placeholder is given with the address the file it came from gave (its claim
    # address), so another import can make it claimable again; never its made-up one.
    users = [
        ExchangeUser(
            stable_guid("user", uid),
            s.people[uid]["name"],
            real_email(s.people[uid]["email"]) or s.people[uid]["claim_email"],
        )
        for uid in dict.fromkeys(listed)
        if uid in s.people
    ]
    if any(r["coder_id"] is None for r in codings):
        users.append(ExchangeUser(CONSENSUS_GUID, CONSENSUS_NAME, consensus=True))
    exchange_codings = [
        ExchangeCoding(
            guid=stable_guid("coding", r["id"]),
            document_guid=stable_guid("document", r["document_id"]),
            code_guid=stable_guid("code", s.final_code(r["code_id"])),
            user_guid=stable_guid("user", r["coder_id"]) if r["coder_id"] else CONSENSUS_GUID,
            start=r["start_offset"],
            end=r["end_offset"],
            memo=r["memo"] or None,
        )
        for r in codings
    ]
    exported_codings = {r["id"] for r in codings}
    kinds = {"PROJECT": "project", "DOCUMENT": "document", "CODE": "code", "CODING": "coding"}
    memos = []
    for m in s.memos:
        kind = kinds[m["target_type"]]
        if kind == "coding" and m["target_id"] not in exported_codings:
            continue
        memos.append(
            ExchangeMemo(
                guid=stable_guid("memo", m["id"]),
                text=m["body"],
                target_kind=kind,  # type: ignore[arg-type]
                target_guid=None if kind == "project" else stable_guid(kind, m["target_id"]),
                author_guid=stable_guid("user", m["author_id"]),
            )
        )
    documents = [
        ExchangeDocument(
            guid=stable_guid("document", d["id"]),
            title=d["title"],
            text=d["body"],
            attributes={str(k): attribute_value(v) for k, v in d["attributes"].items()},
        )
        for d in s.documents
    ]
    return ExchangeProject(
        name=s.project.name,
        users=users,
        codes=codes,
        documents=documents,
        codings=exchange_codings,
        memos=memos,
        description=s.project.description,
        origin="Accord",
    )
