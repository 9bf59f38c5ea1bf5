"""Blinding: what one member may see of other coders' layers.

This module is the single place that decides it, as SQL predicates that every read of
codings, memos, codes and events includes. While a project's blinding is on, a coder
sees their own layer and, per document and round, the other layers once the document
is revealed. Leads and viewers see every layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from accord.permissions import Action, Role, can


@dataclass(frozen=True)
class Sight:
    """What a member can see in one project."""

    user_id: UUID
    role: Role
    blinding: bool

    @property
    def sees_all(self) -> bool:
        return can(self.role, Action.VIEW_ALL_LAYERS) or not self.blinding


def _everything(user_param: str) -> str:
    # The placeholder stays referenced so the statement's parameters keep their types.
    return f"(TRUE OR {user_param}::uuid IS NULL)"


def coding_visible_sql(sight: Sight, alias: str, user_param: str) -> str:
    """Codings: own layer, or a revealed document/round. The consensus layer counts as
    revealed-only, since a coder has no business with it before the reveal."""
    if sight.sees_all:
        return _everything(user_param)
    return (
        f"({alias}.coder_id = {user_param}"
        f" OR EXISTS (SELECT 1 FROM reveals rv WHERE rv.document_id = {alias}.document_id"
        f" AND rv.round_id = {alias}.round_id))"
    )


def memo_visible_sql(sight: Sight, alias: str, user_param: str) -> str:
    """Memos: shared memos (by leads or viewers), one's own, and coders' memos on a
    document once it is revealed for the memo's round."""
    if sight.sees_all:
        return _everything(user_param)
    return (
        f"({alias}.layer_user_id IS NULL OR {alias}.layer_user_id = {user_param}"
        f" OR ({alias}.document_id IS NOT NULL AND EXISTS (SELECT 1 FROM reveals rv"
        f" WHERE rv.document_id = {alias}.document_id AND rv.round_id = {alias}.round_id)))"
    )


def code_visible_sql(sight: Sight, alias: str, user_param: str) -> str:
    """Codes: the shared codebook and one's own proposals."""
    if sight.sees_all:
        return _everything(user_param)
    return f"({alias}.owner_id IS NULL OR {alias}.owner_id = {user_param})"


def event_visible_sql(sight: Sight, alias: str, user_param: str) -> str:
    """Events: those of no coder's layer, one's own, and revealed documents' events."""
    if sight.sees_all:
        return _everything(user_param)
    return (
        f"({alias}.layer_user_id IS NULL OR {alias}.layer_user_id = {user_param}"
        f" OR ({alias}.document_id IS NOT NULL AND {alias}.round_id IS NOT NULL AND EXISTS ("
        f"SELECT 1 FROM reveals rv WHERE rv.document_id = {alias}.document_id"
        f" AND rv.round_id = {alias}.round_id)))"
    )
