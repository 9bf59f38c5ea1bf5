"""Blinding: what one member may see of other coders' layers.

This module is the single place that decides it, as SQL predicates that every read of
codings, memos, codes and events includes. While a project's blinding is on, a coder
sees their own layer and, per document and round, the other layers once the document
is revealed. Leads and viewers see every layer.

Each rule comes in two forms: for a :class:`Sight` already known (a read within a
project), and for a row reached by its id alone (:func:`member_visible_sql`), where the
caller's role and the project's setting are columns of the same statement. Reaching a
row by id then takes one statement whether the row is hidden or does not exist, so
neither the answer nor its cost tells them apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from accord.permissions import Action, Role, can
from accord.projects.settings import DEFAULTS

#: The layer of consensus-layer work in events and memo targets: an id no account has,
#: so a coder sees such rows exactly when the document is revealed for the round.
CONSENSUS_LAYER = UUID(int=0)


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


def _revealed(document: str, round_: str) -> str:
    return (
        f"EXISTS (SELECT 1 FROM reveals rv WHERE rv.document_id = {document}"
        f" AND rv.round_id = {round_})"
    )


def _coding_rule(alias: str, user_param: str) -> str:
    revealed = _revealed(f"{alias}.document_id", f"{alias}.round_id")
    return f"({alias}.coder_id = {user_param} OR {revealed})"


def _memo_rule(alias: str, user_param: str) -> str:
    # A memo shows when its own layer shows (shared, one's own, or a revealed document)
    # and its target shows: a memo on a coding is as hidden as that coding (its layer,
    # document and round), a memo on a proposed code as hidden as that code.
    own_layer = (
        f"({alias}.layer_user_id IS NULL OR {alias}.layer_user_id = {user_param}"
        f" OR ({alias}.document_id IS NOT NULL"
        f" AND {_revealed(f'{alias}.document_id', f'{alias}.round_id')}))"
    )
    target = (
        f"(CASE {alias}.target_type"
        f" WHEN 'CODING' THEN coalesce({alias}.target_layer_user_id = {user_param}, FALSE)"
        f" OR ({alias}.document_id IS NOT NULL"
        f" AND {_revealed(f'{alias}.document_id', f'{alias}.round_id')})"
        f" WHEN 'CODE' THEN {alias}.target_layer_user_id IS NULL"
        f" OR {alias}.target_layer_user_id = {user_param}"
        " ELSE TRUE END)"
    )
    return f"({own_layer} AND {target})"


def _code_rule(alias: str, user_param: str) -> str:
    return f"({alias}.owner_id IS NULL OR {alias}.owner_id = {user_param})"


def _event_rule(alias: str, user_param: str) -> str:
    return (
        f"({alias}.layer_user_id IS NULL OR {alias}.layer_user_id = {user_param}"
        f" OR ({alias}.document_id IS NOT NULL AND {alias}.round_id IS NOT NULL"
        f" AND {_revealed(f'{alias}.document_id', f'{alias}.round_id')}))"
    )


def coding_visible_sql(sight: Sight, alias: str, user_param: str) -> str:
    """Codings: own layer, or a revealed document/round. The consensus layer counts as
    revealed-only, since a coder has no business with it before the reveal."""
    if sight.sees_all:
        return _everything(user_param)
    return _coding_rule(alias, user_param)


def memo_visible_sql(sight: Sight, alias: str, user_param: str) -> str:
    """Memos: shared memos (by leads or viewers), one's own, and coders' memos on a
    document once it is revealed for the memo's round; in each case only while the
    memo's target (a coding, a proposed code) is visible too."""
    if sight.sees_all:
        return _everything(user_param)
    return _memo_rule(alias, user_param)


def code_visible_sql(sight: Sight, alias: str, user_param: str) -> str:
    """Codes: the shared codebook and one's own proposals."""
    if sight.sees_all:
        return _everything(user_param)
    return _code_rule(alias, user_param)


def coding_code_visible_sql(sight: Sight, alias: str, user_param: str) -> str:
    """Codes a member may see named on a coding: the visible codes, and another
    coder's proposal where it is the code of a coding the member sees (a revealed
    layer shows what it applied). Nothing else, so no path names a hidden proposal."""
    if sight.sees_all:
        return _everything(user_param)
    return (
        f"({_code_rule(alias, user_param)} OR EXISTS (SELECT 1 FROM codings vc"
        f" WHERE vc.code_id = {alias}.id AND {_coding_rule('vc', user_param)}))"
    )


#: Events about invitations name people who are not members (yet): like the invitations
#: themselves, they are for the members who read the audit log, never for coders, whatever
#: the project's blinding.
INVITATION_EVENTS = ("member.invited", "invitation.revoked", "invitation.accepted")


def event_visible_sql(sight: Sight, alias: str, user_param: str) -> str:
    """Events: those of no coder's layer, one's own, and revealed documents' events;
    invitation events only for those who read the audit log."""
    layers = _everything(user_param) if sight.sees_all else _event_rule(alias, user_param)
    if can(sight.role, Action.VIEW_AUDIT_LOG):
        return layers
    kinds = ", ".join(f"'{kind}'" for kind in INVITATION_EVENTS)
    return f"({layers} AND {alias}.kind NOT IN ({kinds}))"


_RULES = {"codings": _coding_rule, "memos": _memo_rule, "codes": _code_rule}


def member_visible_sql(
    table: str, alias: str, user_param: str, role_column: str, settings_column: str
) -> str:
    """A row of ``table`` (codings, memos or codes) as the member sees it, with the
    member's role and the project's settings read in the same statement."""
    seeing = ", ".join(f"'{r.value}'" for r in Role if can(r, Action.VIEW_ALL_LAYERS))
    default = "TRUE" if DEFAULTS["blinding"] else "FALSE"
    sees_all = (
        f"({role_column} IN ({seeing})"
        f" OR NOT coalesce(({settings_column}->>'blinding')::boolean, {default}))"
    )
    return f"({sees_all} OR {_RULES[table](alias, user_param)})"
