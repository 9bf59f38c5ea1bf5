"""Placeholder accounts made by imports, and how their person claims them.

An imported REFI-QDA user who is not an account the importer may see becomes a
placeholder: no password, an address of its own on a domain that receives no mail. When
the file gave the user an email address, the placeholder keeps it as its *claim* address
(never as its email, so an import tells nobody which addresses have accounts). The person
who holds that address takes the placeholder over, codings and all:

* accepting an invitation to the placeholder's project with a new account (the
  placeholder *becomes* that account: same id, same codings);
* joining such a project by invitation with the account they already have (the
  placeholder's layer in that project is handed to their account);
* ``accord user create`` for the address, run by the server's operator (the oldest
  placeholder becomes the account; others are handed to it project by project).

An invitation claims only placeholders that are members of its own project: a lead can
hand on what their project holds, never another project's placeholder. Deactivated
placeholders and those given a password are not claimable. The invitation's answers are
the same whether or not anything was claimed.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from uuid import UUID

import asyncpg

from accord.auth.password_policy import DEFAULT_MIN_LENGTH, check_new_password
from accord.auth.passwords import IN_PROCESS, PasswordHashing
from accord.errors import AccordError, Conflict
from accord.events.log import append_event
from accord.projects import repo as project_repo
from accord.users import labels
from accord.users import placeholders_repo as repo
from accord.users import service as users
from accord.users.model import User
from accord.users.repo import is_deactivated, user_by_email

#: The domain of placeholder accounts' emails (see ``accord.users.labels``).
PLACEHOLDER_DOMAIN = labels.PLACEHOLDER_DOMAIN


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return (slug or "user")[:40]


def claim_address(address: str | None) -> str | None:
    """The file's address as a claim address, or None when it is not an email."""
    if not address:
        return None
    try:
        return users.normalize_email(address)
    except AccordError:
        return None


async def create_placeholder(conn: asyncpg.Connection, name: str, address: str | None) -> User:
    """A new placeholder named ``name``, claimable by ``address`` when it is an email."""
    email = f"{_slug(name)}-{secrets.token_hex(4)}@{PLACEHOLDER_DOMAIN}"
    display = " ".join(name.split())[: users.MAX_NAME] or "Imported user"
    user = await users.create_user(conn, email, display, None)
    claim = claim_address(address)
    if claim is not None:
        await repo.set_claim_email(conn, user.id, claim)
    return user


async def _claimed_event(
    conn: asyncpg.Connection, before: asyncpg.Record, after: User, actor_id: UUID | None
) -> None:
    for project in await repo.projects_of(conn, after.id):
        await append_event(
            conn,
            project_id=project["id"],
            actor_id=actor_id,
            kind="member.claimed",
            subject_type="member",
            subject_id=after.id,
            # A placeholder's made-up address is never shown (``accord.users.labels``).
            before={
                "userId": before["id"],
                "email": labels.real_email(before["email"]),
                "name": before["name"],
            },
            after={"userId": after.id, "email": after.email, "name": after.name},
        )


async def _take_over(
    conn: asyncpg.Connection,
    placeholder: asyncpg.Record,
    email: str,
    name: str | None,
    password: str,
    *,
    is_admin: bool = False,
    min_password_length: int,
    passwords: PasswordHashing,
) -> User:
    display = users.clean_name(name if name is not None else placeholder["name"])
    check_new_password(password, min_length=min_password_length)
    hashed = await passwords.hash(password)
    taken = Conflict(f"An account with the email {email} already exists.", field="email")
    try:
        row = await repo.take_over(conn, placeholder["id"], email, display, hashed, is_admin)
    except asyncpg.UniqueViolationError:
        raise taken from None
    if row is None:  # claimed a moment ago by another transaction: not ours to take
        raise taken
    user = User.from_row(row)
    # A reset link an administrator issued for the placeholder must not open the new
    # owner's account; the placeholder had no sessions or tokens, so this ends only those.
    await users.end_credentials(conn, user.id)
    await _claimed_event(conn, placeholder, user, user.id)
    return user


async def claim_by_invitation(
    conn: asyncpg.Connection,
    project_id: UUID,
    email: str,
    name: str,
    password: str,
    *,
    min_password_length: int = DEFAULT_MIN_LENGTH,
    passwords: PasswordHashing = IN_PROCESS,
) -> User | None:
    """The project's placeholder for ``email`` made into the invited person's account
    (same id), or None when the project holds none; the caller then makes a new account.
    The caller has checked that no account uses ``email``."""
    found = await repo.claimable(conn, email, project_id)
    if not found:
        return None
    return await _take_over(
        conn,
        found[0],
        email,
        name,
        password,
        min_password_length=min_password_length,
        passwords=passwords,
    )


async def _hand_on(
    conn: asyncpg.Connection,
    placeholder: asyncpg.Record,
    account: User,
    project_id: UUID,
    role: str | None = None,
) -> bool:
    """Give the placeholder's layer in one project to ``account``, a member with ``role``
    when given (else the caller makes it one); False (and nothing changed) when the
    account already works in that project or a consensus review holds the layer."""
    if await repo.has_layer_in(conn, project_id, account.id) or await repo.in_consensus(
        conn, project_id, placeholder["id"]
    ):
        return False
    await repo.move_layer(conn, project_id, placeholder["id"], account.id)
    if role is not None:
        await project_repo.upsert_member(conn, project_id, account.id, role)
    await append_event(
        conn,
        project_id=project_id,
        actor_id=account.id,
        kind="member.claimed",
        subject_type="member",
        subject_id=account.id,
        before={
            "userId": placeholder["id"],
            "email": placeholder["email"],
            "name": placeholder["name"],
        },
        after={"userId": account.id, "email": account.email, "name": account.name},
    )
    await repo.retire_if_unused(conn, placeholder["id"])
    return True


async def claim_on_join(conn: asyncpg.Connection, project_id: UUID, account: User) -> None:
    """An account joining ``project_id`` takes over the project's placeholders for its
    own address. Call it just before the account is made a member. A deactivated
    account takes nothing over."""
    if await is_deactivated(conn, account.id):
        return
    for placeholder in await repo.claimable(conn, account.email, project_id):
        await _hand_on(conn, placeholder, account, project_id)


@dataclass
class Claimed:
    """What ``accord user create`` took over for the new account."""

    user: User
    #: Names of the projects whose imported work is now the account's.
    projects: list[str] = field(default_factory=list)
    #: Names of projects whose placeholder could not be handed on (the account already
    #: worked there, or a consensus review holds the placeholder's layer).
    left: list[str] = field(default_factory=list)


async def create_claiming(
    conn: asyncpg.Connection,
    email: str,
    name: str | None,
    password: str,
    *,
    is_admin: bool = False,
    min_password_length: int = DEFAULT_MIN_LENGTH,
    passwords: PasswordHashing = IN_PROCESS,
) -> Claimed:
    """Create the account of ``email`` as the operator does: when placeholders are
    claimable by the address, the oldest becomes the account (keeping its name unless
    ``name`` is given) and the others' layers are handed to it."""
    address = users.normalize_email(email)
    if await user_by_email(conn, address) is not None:
        raise Conflict(f"An account with the email {address} already exists.", field="email")
    found = await repo.claimable(conn, address, None)
    if not found:
        user = await users.create_user(
            conn,
            address,
            name,
            password,
            is_admin=is_admin,
            min_password_length=min_password_length,
            passwords=passwords,
        )
        return Claimed(user)
    user = await _take_over(
        conn,
        found[0],
        address,
        name,
        password,
        is_admin=is_admin,
        min_password_length=min_password_length,
        passwords=passwords,
    )
    claimed = Claimed(user, [p["name"] for p in await repo.projects_of(conn, user.id)])
    for placeholder in found[1:]:
        for project in await repo.projects_of(conn, placeholder["id"]):
            moved = await _hand_on(conn, placeholder, user, project["id"], project["role"])
            (claimed.projects if moved else claimed.left).append(project["name"])
    return claimed
