"""The one permission matrix: which project role may do which action.

Every service asks here; resolvers never hand-roll checks. A caller with no role in a
project is told the project does not exist (NOT_FOUND), so existence never leaks; a
member without the right gets FORBIDDEN.
"""

from __future__ import annotations

from enum import StrEnum

from accord.errors import Forbidden, NotFound


class Role(StrEnum):
    LEAD = "LEAD"
    CODER = "CODER"
    VIEWER = "VIEWER"


class Action(StrEnum):
    VIEW_PROJECT = "view the project"
    UPDATE_PROJECT = "change the project's name, description or settings"
    MANAGE_MEMBERS = "add, change or remove members"
    VIEW_INVITATIONS = "see the project's invitations"
    VIEW_DOCUMENTS = "read documents"
    IMPORT_DOCUMENT = "import documents"
    EDIT_DOCUMENT = "change or delete documents"
    MANAGE_CODEBOOK = "change the codebook"
    PROPOSE_CODE = "propose codes"
    MANAGE_ROUNDS = "create rounds"
    ASSIGN = "assign documents to coders"
    CODE = "code documents"
    REOPEN_ASSIGNMENT = "reopen submitted assignments"
    REVEAL = "reveal documents"
    VIEW_ALL_LAYERS = "read every coder's layer"
    VIEW_PROGRESS = "see every coder's progress"
    VIEW_AUDIT_LOG = "read the audit log"
    WRITE_MEMO = "write memos"
    COMPUTE_AGREEMENT = "compute agreement"
    RUN_CONSENSUS = "run the consensus workflow"
    FINALIZE = "finalise the project"
    EXPORT = "export the project"


_ALL = frozenset(Action)

# Actions that change nothing. Everything else is refused once a project is final.
READ_ONLY: frozenset[Action] = frozenset(
    {
        Action.VIEW_PROJECT,
        Action.VIEW_INVITATIONS,
        Action.VIEW_DOCUMENTS,
        Action.VIEW_ALL_LAYERS,
        Action.VIEW_PROGRESS,
        Action.VIEW_AUDIT_LOG,
        Action.COMPUTE_AGREEMENT,
        Action.EXPORT,
    }
)

MATRIX: dict[Role, frozenset[Action]] = {
    Role.LEAD: _ALL - {Action.PROPOSE_CODE},
    Role.CODER: frozenset(
        {
            Action.VIEW_PROJECT,
            Action.VIEW_DOCUMENTS,
            Action.PROPOSE_CODE,
            Action.CODE,
            Action.WRITE_MEMO,
            Action.COMPUTE_AGREEMENT,
        }
    ),
    Role.VIEWER: frozenset(
        {
            Action.VIEW_PROJECT,
            Action.VIEW_DOCUMENTS,
            Action.VIEW_ALL_LAYERS,
            Action.VIEW_PROGRESS,
            Action.VIEW_AUDIT_LOG,
            Action.COMPUTE_AGREEMENT,
            Action.EXPORT,
        }
    ),
}

PROJECT_NOT_FOUND = "Project not found."


def can(role: Role | None, action: Action) -> bool:
    return role is not None and action in MATRIX[role]


def require(role: Role | None, action: Action, *, not_found: str = PROJECT_NOT_FOUND) -> Role:
    """Return the role when it allows ``action``; otherwise raise NOT_FOUND or FORBIDDEN."""
    if role is None:
        raise NotFound(not_found)
    if action not in MATRIX[role]:
        raise Forbidden(f"Your role ({role.value.lower()}) may not {action.value}.")
    return role


class SiteAction(StrEnum):
    """What only a site administrator may do. Project roles grant none of these."""

    LIST_ACCOUNTS = "list accounts"
    DEACTIVATE_ACCOUNT = "deactivate or reactivate accounts"
    ISSUE_PASSWORD_RESET = "issue password-reset links"
    CLEAR_LOGIN_LIMIT = "clear login limits"
    GRANT_ADMIN = "make or unmake site administrators"


def require_site_admin(is_active_admin: bool, action: SiteAction) -> None:
    """Refuse ``action`` with FORBIDDEN unless the caller is an active administrator."""
    if not is_active_admin:
        raise Forbidden(f"Only a site administrator may {action.value}.")
