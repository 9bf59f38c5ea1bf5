"""Invitations: how a lead brings a person into a project, one transaction per use case.

Inviting never looks at whether the email has an account: the invitation, its one-time
link and the answer are the same either way, so a lead learns nothing about who has an
account, neither from the answer nor from its timing. The person opens the link and
either sets a name and password (a new account) or, already logged in as that email,
joins. An existing account is never taken over by a link. A placeholder account that an
import made for the invited address in this project is claimed on the way: it becomes the
new account, or its layer goes to the joining one (``users.placeholders``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

import asyncpg

from accord.auth import secrets
from accord.auth.passwords import IN_PROCESS, PasswordHashing
from accord.config import Settings
from accord.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.events.log import append_event
from accord.invitations import repo
from accord.links import LinkStatus, status_of
from accord.permissions import Action, Role
from accord.projects import repo as project_repo
from accord.projects import service as projects
from accord.projects.service import Project
from accord.users import placeholders
from accord.users import repo as user_repo
from accord.users import service as users
from accord.users.model import User

NO_SUCH_LINK = "This invitation link is not valid. Ask the project's lead for a new one."
USED = "This invitation was already used. Log in to reach the project."
REVOKED = "A lead of the project withdrew this invitation. Ask them for a new one."
EXPIRED = "This invitation has expired. Ask the project's lead for a new one."
FINAL = "The project is final and takes no new members. Ask its lead."


def _has_account(email: str) -> str:
    return (
        f"An account with the email {email} already exists, and an invitation never "
        "takes over an account: log in, then open this link again to join. If you never "
        "set a password, ask a site administrator for a password-reset link."
    )


@dataclass(frozen=True)
class Invitation:
    id: UUID
    project_id: UUID
    email: str
    role: Role
    status: LinkStatus
    created_at: dt.datetime
    expires_at: dt.datetime
    invited_by: UUID | None
    accepted_at: dt.datetime | None
    accepted_by: UUID | None
    revoked_at: dt.datetime | None

    @classmethod
    def from_row(cls, row: asyncpg.Record) -> Invitation:
        return cls(
            id=row["id"],
            project_id=row["project_id"],
            email=row["email"],
            role=Role(row["role"]),
            status=status_of(row["accepted_at"], row["revoked_at"], row["expired"]),
            created_at=row["created_at"],
            expires_at=row["expires_at"],
            invited_by=row["invited_by"],
            accepted_at=row["accepted_at"],
            accepted_by=row["accepted_by"],
            revoked_at=row["revoked_at"],
        )


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    token: str  # shown once, in the link; only its hash is stored


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise InvalidInput(
            f"{value!r} is not a role: use LEAD, CODER or VIEWER.", field="role"
        ) from None


async def invite_member(
    conn: asyncpg.Connection,
    settings: Settings,
    actor: User,
    project_id: UUID,
    email: str,
    role: str,
) -> IssuedInvitation:
    """Invite ``email`` with ``role``; a newer invitation to the same email replaces
    the open one. The same work and the same answer whether or not it has an account."""
    await projects.load(conn, project_id, actor, Action.MANAGE_MEMBERS, lock=True)
    new_role = _role(role)
    address = users.normalize_email(email)
    current = await repo.member_role_by_email(conn, project_id, address)
    if current is not None:
        # The lead sees the project's members anyway: this tells them nothing new.
        raise Conflict(
            f"{address} is already a member ({current.lower()}); use changeRole instead.",
            field="email",
        )
    replaced = await repo.revoke_open_for(conn, project_id, address, actor.id)
    token = secrets.new_link_token()
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(days=settings.invite_days)
    row = await repo.insert(
        conn, project_id, address, new_role.value, secrets.digest(token), actor.id, expires
    )
    invitation = Invitation.from_row(row)
    await append_event(
        conn,
        project_id=project_id,
        actor_id=actor.id,
        kind="member.invited",
        subject_type="invitation",
        subject_id=invitation.id,
        after={
            "email": address,
            "role": new_role.value,
            "expiresAt": invitation.expires_at,
            "replaced": replaced,
        },
    )
    return IssuedInvitation(invitation, token)


async def invitations_of(
    conn: asyncpg.Connection, actor: User, project_id: UUID, include_closed: bool
) -> list[Invitation]:
    await projects.load(conn, project_id, actor, Action.VIEW_INVITATIONS)
    return [Invitation.from_row(r) for r in await repo.of_project(conn, project_id, include_closed)]


async def revoke_invitation(
    conn: asyncpg.Connection, actor: User, invitation_id: UUID
) -> Invitation:
    project = await projects.load_via(
        conn,
        "invitations",
        invitation_id,
        actor,
        Action.MANAGE_MEMBERS,
        lock=True,
        not_found="Invitation not found.",
    )
    row = await repo.by_id(conn, invitation_id, for_update=True)
    assert row is not None  # found by load_via
    current = Invitation.from_row(row)
    if current.status is LinkStatus.USED:
        raise Conflict(
            f"{current.email} already accepted this invitation; remove the member instead.",
            field="id",
        )
    if current.status is LinkStatus.REVOKED:
        return current
    revoked = Invitation.from_row(await repo.revoke(conn, invitation_id, actor.id))
    await append_event(
        conn,
        project_id=project.id,
        actor_id=actor.id,
        kind="invitation.revoked",
        subject_type="invitation",
        subject_id=invitation_id,
        before={"email": current.email, "role": current.role.value, "status": current.status},
    )
    return revoked


@dataclass(frozen=True)
class InvitationPreview:
    """What the page behind an invitation link shows, before anyone logs in."""

    project_name: str
    inviter_name: str | None
    email: str
    role: Role
    expires_at: dt.datetime
    status: LinkStatus
    problem: str | None  # why the link cannot be used, in words; None while it can


def _problem(row: asyncpg.Record, status: LinkStatus) -> str | None:
    messages = {LinkStatus.USED: USED, LinkStatus.REVOKED: REVOKED, LinkStatus.EXPIRED: EXPIRED}
    if status in messages:
        return messages[status]
    return FINAL if row["project_status"] == "FINAL" else None


async def preview(conn: asyncpg.Connection, token: str) -> InvitationPreview:
    row = await repo.by_token(conn, secrets.digest(token.strip()))
    if row is None:
        raise NotFound(NO_SUCH_LINK, field="token")
    status = status_of(row["accepted_at"], row["revoked_at"], row["expired"])
    return InvitationPreview(
        project_name=row["project_name"],
        inviter_name=row["inviter_name"],
        email=row["email"],
        role=Role(row["role"]),
        expires_at=row["expires_at"],
        status=status,
        problem=_problem(row, status),
    )


async def _open_invitation(conn: asyncpg.Connection, token: str) -> asyncpg.Record:
    """The invitation behind ``token``, locked, when it can still be accepted."""
    row = await repo.by_token(conn, secrets.digest(token.strip()), for_update=True)
    if row is None:
        raise NotFound(NO_SUCH_LINK, field="token")
    problem = _problem(row, status_of(row["accepted_at"], row["revoked_at"], row["expired"]))
    if problem is not None:
        raise Conflict(problem, field="token")
    return row


@dataclass(frozen=True)
class Accepted:
    user: User
    project: Project
    session_id: str | None  # a new browser session when the acceptance made the account


async def _join(conn: asyncpg.Connection, row: asyncpg.Record, user: User) -> Project:
    role = row["role"]
    current = await project_repo.role_of(conn, row["project_id"], user.id)
    if current == Role.LEAD.value and await project_repo.count_leads(conn, row["project_id"]) <= 1:
        # A claimed placeholder that had become the project's only lead stays its lead.
        role = current
    await project_repo.upsert_member(conn, row["project_id"], user.id, role)
    await repo.mark_accepted(conn, row["id"], user.id)
    await append_event(
        conn,
        project_id=row["project_id"],
        actor_id=user.id,
        kind="invitation.accepted",
        subject_type="invitation",
        subject_id=row["id"],
        after={"userId": user.id, "email": user.email, "role": role},
    )
    # The same fact as every other way a member arrives, for readers of membership.
    await append_event(
        conn,
        project_id=row["project_id"],
        actor_id=user.id,
        kind="member.added",
        subject_type="member",
        subject_id=user.id,
        after={
            "userId": user.id,
            "email": user.email,
            "role": role,
            "invitationId": row["id"],
        },
    )
    return await projects.load(conn, row["project_id"], user, Action.VIEW_PROJECT)


async def accept_invitation(
    conn: asyncpg.Connection,
    settings: Settings,
    token: str,
    name: str,
    password: str,
    passwords: PasswordHashing = IN_PROCESS,
) -> Accepted:
    """Make the invited person's account with ``name`` and ``password``, add it to the
    project with the invited role, and open a session for it."""
    row = await _open_invitation(conn, token)
    if await user_repo.user_by_email(conn, row["email"]) is not None:
        raise Conflict(_has_account(row["email"]), field="email")
    # The project's placeholder for this address, if an import made one, becomes the
    # account (same id, same codings); the answer is the same either way.
    user = await placeholders.claim_by_invitation(
        conn,
        row["project_id"],
        row["email"],
        name,
        password,
        min_password_length=settings.password_min_length,
        passwords=passwords,
    ) or await users.create_user(
        conn,
        row["email"],
        name,
        password,
        min_password_length=settings.password_min_length,
        passwords=passwords,
    )
    project = await _join(conn, row, user)
    session_id = await users.open_session(conn, settings, user.id)
    return Accepted(user, project, session_id)


async def join_by_invitation(conn: asyncpg.Connection, actor: User, token: str) -> Accepted:
    """Accept an invitation as the logged-in account it was sent to."""
    row = await _open_invitation(conn, token)
    if row["email"].lower() != actor.email.lower():
        raise Forbidden(
            f"This invitation is for {row['email']}, and you are logged in as "
            f"{actor.email}. Log out and open the link again, or ask the lead to invite "
            f"{actor.email}.",
            field="token",
        )
    role = await project_repo.role_of(conn, row["project_id"], actor.id)
    if role is not None:
        raise Conflict(f"You are already a member of this project ({role.lower()}).")
    await placeholders.claim_on_join(conn, row["project_id"], actor)
    return Accepted(actor, await _join(conn, row, actor), None)


async def add_or_invite(
    conn: asyncpg.Connection,
    settings: Settings,
    actor: User,
    project_id: UUID,
    email: str,
    role: str,
) -> projects.Member | IssuedInvitation:
    """For the command line on the server, which may know who has an account: add an
    existing account at once, else invite the email."""
    account = await user_repo.user_by_email(conn, email.strip())
    if account is None:
        return await invite_member(conn, settings, actor, project_id, email, role)
    await projects.load(conn, project_id, actor, Action.MANAGE_MEMBERS, lock=True)
    if await project_repo.role_of(conn, project_id, account["id"]) is None:
        await placeholders.claim_on_join(conn, project_id, User.from_row(account))
    return await projects.add_member(conn, actor, project_id, account["email"], role)
