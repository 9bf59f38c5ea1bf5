"""How a person is named where an export or a report would give an email address.

A real account is named by its email. A placeholder account (an imported file's user
who cannot log in) has a made-up address of its own on a domain that receives no mail,
which is never shown: it is named by the address the file gave (its claim address) when
there is one, otherwise by its name followed by ``(imported, no email)``. Reports use
these labels as the coders' keys, so :func:`unique_labels` keeps them apart: a label
that is already taken gets `` (2)``, `` (3)``… in the order the people are given.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

#: The domain of placeholder accounts' emails; ``.invalid`` can never receive mail.
PLACEHOLDER_DOMAIN = "imported.accord.invalid"
#: What follows a placeholder's name when the file gave no address.
NO_ADDRESS = "(imported, no email)"
#: The columns of ``users`` (as ``u``) that :func:`person_label` needs.
LABEL_COLUMNS = "u.email, u.name, u.claim_email"


def is_made_up(email: str | None) -> bool:
    """Whether ``email`` is a placeholder account's made-up address."""
    return bool(email) and str(email).lower().endswith("@" + PLACEHOLDER_DOMAIN)


def real_email(email: str | None) -> str | None:
    """``email`` unless it is a placeholder account's made-up address."""
    return None if not email or is_made_up(email) else email


def person_label(email: str, name: str | None, claim_email: str | None) -> str:
    """The email of an account; for a placeholder the file's address, else its name."""
    if not is_made_up(email):
        return email
    if claim_email:
        return claim_email
    return f"{(name or '').strip() or 'Imported user'} {NO_ADDRESS}"


def label_of(row: Any) -> str:
    """:func:`person_label` of a row holding ``email``, ``name`` and ``claim_email``."""
    return person_label(row["email"], row["name"], row["claim_email"])


def unique_labels(people: Iterable[tuple[UUID, str]]) -> dict[UUID, str]:
    """Each person's label, a repeat made unique with `` (2)``, `` (3)``…; real accounts'
    emails are unique already, so give them first to keep them as they are."""
    out: dict[UUID, str] = {}
    taken: set[str] = set()
    for person_id, label in people:
        if person_id in out:
            continue
        unique, n = label, 1
        while unique.lower() in taken:
            n += 1
            unique = f"{label} ({n})"
        taken.add(unique.lower())
        out[person_id] = unique
    return out


def labels_of(rows: Iterable[Any], key: str = "id") -> dict[UUID, str]:
    """Unique labels of user rows (``key`` holding the id), real accounts first, each
    group in the rows' order; the result keeps the rows' order."""
    rows = list(rows)
    order = [r[key] for r in rows]
    ranked = sorted(rows, key=lambda r: is_made_up(r["email"]))
    labels = unique_labels((r[key], label_of(r)) for r in ranked)
    return {i: labels[i] for i in dict.fromkeys(order)}
