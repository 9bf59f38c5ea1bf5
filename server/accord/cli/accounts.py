"""`accord user list | set-password | deactivate | reactivate | reset-link | unlock |
set-admin`: account administration from a shell on the server.

The command line acts as the server's operator: it may do what a site administrator
may, with no account of its own (events record no actor).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

import asyncpg

from accord.cli.database import run_command
from accord.cli.prompts import read_password
from accord.cli.tables import columns
from accord.config import Settings
from accord.errors import AccordError
from accord.links import base_url, reset_link
from accord.users import admin, password_changes
from accord.users.admin import Account

PAGE = 200


def _email_command(
    actions: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    summary: str,
    description: str,
) -> argparse.ArgumentParser:
    parser = actions.add_parser(name, help=summary, description=description)
    parser.add_argument("email", metavar="EMAIL", help="the account's email (any case)")
    return parser


def register(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    listing = actions.add_parser(
        "list",
        help="list accounts",
        description="List every account, oldest first: email, name, whether it is a site "
        "administrator, whether it is active, and when it last logged in.",
    )
    listing.add_argument(
        "--search", metavar="TEXT", help="only accounts whose email or name has TEXT"
    )
    listing.set_defaults(handler=list_users)

    setpw = _email_command(
        actions,
        "set-password",
        "set an account's password",
        "Set an account's password. All of its sessions and API tokens end. Without "
        "--password-stdin you are asked on a terminal; with no terminal, a password is "
        "generated and printed once.",
    )
    setpw.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of stdin",
    )
    setpw.set_defaults(handler=set_password)

    _email_command(
        actions,
        "deactivate",
        "deactivate an account",
        "Deactivate an account: it can no longer log in, and its sessions, API tokens and "
        "reset links end at once. Its work and project memberships stay.",
    ).set_defaults(handler=deactivate)
    _email_command(
        actions,
        "reactivate",
        "reactivate a deactivated account",
        "Let a deactivated account log in again with its password. Its old sessions and "
        "API tokens stay ended.",
    ).set_defaults(handler=reactivate)

    reset = _email_command(
        actions,
        "reset-link",
        "print a one-time password-reset link",
        "Print a one-time link (/reset/<token>) with which the account's owner chooses a new "
        "password; valid ACCORD_RESET_HOURS. Send it to them. It replaces any earlier link; "
        "using it ends the account's sessions and API tokens.",
    )
    reset.add_argument(
        "--base-url",
        metavar="URL",
        help="the server's address as people reach it (default: ACCORD_PUBLIC_URL, else "
        "http://127.0.0.1:8000)",
    )
    reset.set_defaults(handler=reset_link_command)

    _email_command(
        actions,
        "unlock",
        "clear the login limit for an email",
        "Forget the failed logins counted against an email, so it can log in again at once "
        "(ACCORD_LOGIN_MAX_ATTEMPTS). The per-address limit is not changed.",
    ).set_defaults(handler=unlock)

    set_admin = _email_command(
        actions,
        "set-admin",
        "make an account a site administrator (or not, with --revoke)",
        "Make an account a site administrator, who lists, deactivates and reactivates "
        "accounts and issues reset links. With --revoke, take that away; the last active "
        "administrator stays one.",
    )
    set_admin.add_argument("--revoke", action="store_true", help="no longer an administrator")
    set_admin.set_defaults(handler=set_admin_command)


def _when(value: dt.datetime | None) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC") if value else "never"


def _table(accounts: list[Account]) -> str:
    return columns(
        ("EMAIL", "NAME", "ADMIN", "ACTIVE", "LAST LOGIN"),
        [
            (
                a.email,
                a.name,
                "yes" if a.is_admin else "no",
                "yes" if a.active else "no",
                _when(a.last_login_at) if a.has_password else "cannot log in (no password)",
            )
            for a in accounts
        ],
    )


def list_users(args: argparse.Namespace) -> int:
    async def work(conn: asyncpg.Connection, settings: Settings) -> str:
        found: list[Account] = []
        after = 0
        while True:
            page, more = await admin.list_accounts(conn, None, after, PAGE, args.search)
            found += page
            if not more:
                break
            after = page[-1].seq
        return _table(found) if found else "No accounts."

    return run_command("user list", work, readonly=True)


def set_password(args: argparse.Namespace) -> int:
    try:
        password, generated = read_password(args)
    except AccordError as exc:  # the two entries differ
        print(f"accord user set-password: error: {exc.message}", file=sys.stderr)
        return 2

    async def work(conn: asyncpg.Connection, settings: Settings) -> str:
        user_id = await admin.account_id_by_email(conn, args.email)
        ended = await password_changes.set_password(conn, settings, None, user_id, password)
        lines = [
            f"set the password of {args.email.strip()}; ended {ended.sessions} session(s) "
            f"and revoked {ended.tokens} API token(s)"
        ]
        if generated:
            lines += [f"password: {password}", "This password is shown once. Keep it safe."]
        return "\n".join(lines)

    return run_command("user set-password", work)


def deactivate(args: argparse.Namespace) -> int:
    async def work(conn: asyncpg.Connection, settings: Settings) -> str:
        user_id = await admin.account_id_by_email(conn, args.email)
        account = await admin.deactivate(conn, None, user_id)
        return (
            f"{account.email} is deactivated: it cannot log in, and its sessions and tokens ended"
        )

    return run_command("user deactivate", work)


def reactivate(args: argparse.Namespace) -> int:
    async def work(conn: asyncpg.Connection, settings: Settings) -> str:
        user_id = await admin.account_id_by_email(conn, args.email)
        account = await admin.reactivate(conn, None, user_id)
        return f"{account.email} is active: it can log in with its password"

    return run_command("user reactivate", work)


def reset_link_command(args: argparse.Namespace) -> int:
    async def work(conn: asyncpg.Connection, settings: Settings) -> str:
        user_id = await admin.account_id_by_email(conn, args.email)
        issued = await password_changes.issue_reset(conn, settings, None, user_id)
        base = args.base_url or base_url(settings, None)
        return reset_link(base, issued.token)

    hours = Settings.from_env().reset_hours
    notice = f"Send this link to the account's owner; it works once, within {hours} hours."
    return run_command("user reset-link", work, notice=notice)


def unlock(args: argparse.Namespace) -> int:
    async def work(conn: asyncpg.Connection, settings: Settings) -> str:
        cleared = await admin.clear_login_limit(conn, None, args.email)
        return f"cleared {cleared.failures_cleared} failed login(s) for {cleared.email}"

    return run_command("user unlock", work)


def set_admin_command(args: argparse.Namespace) -> int:
    async def work(conn: asyncpg.Connection, settings: Settings) -> str:
        user_id = await admin.account_id_by_email(conn, args.email)
        account = await admin.set_admin(conn, None, user_id, not args.revoke)
        state = "is a site administrator" if account.is_admin else "is not a site administrator"
        return f"{account.email} {state}"

    return run_command("user set-admin", work)
