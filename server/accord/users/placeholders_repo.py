"""SQL for placeholder accounts: the ones an import makes, and their claims."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from accord.users.repo import USER_COLUMNS

# A placeholder someone may still claim: made by an import with the file's address, never
# given a password, not deactivated by a site administrator.
_CLAIMABLE = "u.claim_email IS NOT NULL AND u.password_hash IS NULL AND u.deactivated_at IS NULL"


async def set_claim_email(conn: asyncpg.Connection, user_id: UUID, address: str) -> None:
    await conn.execute(
        "UPDATE users SET claim_email = $2 WHERE id = $1 AND password_hash IS NULL",
        user_id,
        address,
    )


async def claimable(
    conn: asyncpg.Connection, address: str, project_id: UUID | None
) -> list[asyncpg.Record]:
    """Placeholders claimable by ``address``, oldest first, locked; only those that are
    members of ``project_id`` when it is given."""
    columns = ", ".join(f"u.{c.strip()}" for c in USER_COLUMNS.split(","))
    return await conn.fetch(
        f"SELECT {columns} FROM users u WHERE lower(u.claim_email) = lower($1) AND {_CLAIMABLE} "
        "AND ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM project_members m "
        "WHERE m.user_id = u.id AND m.project_id = $2)) "
        "ORDER BY u.created_at, u.id FOR UPDATE OF u",
        address,
        project_id,
    )


async def take_over(
    conn: asyncpg.Connection,
    placeholder_id: UUID,
    email: str,
    name: str,
    password_hash: str,
    is_admin: bool,
) -> asyncpg.Record | None:
    """The placeholder becomes the account of ``email``: same id, so same codings. None
    when it is no longer a claimable placeholder."""
    return await conn.fetchrow(
        "UPDATE users u SET email = $2, name = $3, password_hash = $4, claim_email = NULL, "
        f"is_admin = u.is_admin OR $5 WHERE u.id = $1 AND {_CLAIMABLE} RETURNING {USER_COLUMNS}",
        placeholder_id,
        email,
        name,
        password_hash,
        is_admin,
    )


async def projects_of(conn: asyncpg.Connection, user_id: UUID) -> list[asyncpg.Record]:
    """The projects the account is a member of (id, name, role), by name."""
    return await conn.fetch(
        "SELECT p.id, p.name, m.role FROM project_members m JOIN projects p ON p.id = m.project_id "
        "WHERE m.user_id = $1 ORDER BY p.name, p.id",
        user_id,
    )


async def has_layer_in(conn: asyncpg.Connection, project_id: UUID, user_id: UUID) -> bool:
    """Whether the account is a member of the project or has work of its own there (from
    an earlier membership): a placeholder's layer cannot then join it without mixing."""
    found: bool = await conn.fetchval(
        """
        SELECT EXISTS (SELECT 1 FROM project_members WHERE project_id = $1 AND user_id = $2)
            OR EXISTS (SELECT 1 FROM assignments WHERE project_id = $1 AND user_id = $2)
            OR EXISTS (SELECT 1 FROM codings WHERE project_id = $1 AND coder_id = $2)
            OR EXISTS (SELECT 1 FROM memos WHERE project_id = $1
                       AND (author_id = $2 OR layer_user_id = $2))
            OR EXISTS (SELECT 1 FROM codes WHERE project_id = $1 AND owner_id = $2)
        """,
        project_id,
        user_id,
    )
    return found


async def in_consensus(conn: asyncpg.Connection, project_id: UUID, user_id: UUID) -> bool:
    """Whether a consensus review of the project aligned this coder's layer: its items
    keep the coder's id, so the layer stays where it is."""
    found: bool = await conn.fetchval(
        "SELECT EXISTS (SELECT 1 FROM consensus_sessions WHERE project_id = $1 "
        "AND $2 = ANY (coders))",
        project_id,
        user_id,
    )
    return found


async def move_layer(
    conn: asyncpg.Connection, project_id: UUID, from_id: UUID, to_id: UUID
) -> None:
    """Hand the layer ``from_id`` holds in the project to ``to_id``: assignments,
    codings, memos and proposed codes, and end its membership (the caller makes ``to_id``
    a member with the role it was given). The audit log keeps its history."""
    await conn.execute(
        "DELETE FROM project_members WHERE project_id = $1 AND user_id = $2", project_id, from_id
    )
    for statement in (
        "UPDATE assignments SET user_id = $3 WHERE project_id = $1 AND user_id = $2",
        "UPDATE codings SET coder_id = $3 WHERE project_id = $1 AND coder_id = $2",
        "UPDATE memos SET author_id = $3 WHERE project_id = $1 AND author_id = $2",
        "UPDATE memos SET layer_user_id = $3 WHERE project_id = $1 AND layer_user_id = $2",
        "UPDATE memos SET target_layer_user_id = $3 "
        "WHERE project_id = $1 AND target_layer_user_id = $2",
        "UPDATE codes SET owner_id = $3 WHERE project_id = $1 AND owner_id = $2",
        "UPDATE codes SET created_by = $3 WHERE project_id = $1 AND created_by = $2",
    ):
        await conn.execute(statement, project_id, from_id, to_id)


async def retire_if_unused(conn: asyncpg.Connection, placeholder_id: UUID) -> None:
    """A placeholder whose every membership was handed on is deactivated and can no
    longer be claimed; its row stays, as the audit log names it."""
    await conn.execute(
        "UPDATE users SET deactivated_at = now(), claim_email = NULL WHERE id = $1 "
        "AND NOT EXISTS (SELECT 1 FROM project_members WHERE user_id = $1)",
        placeholder_id,
    )
