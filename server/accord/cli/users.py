"""`accord user create` and `accord token create`; the other `user` actions are in
:mod:`accord.cli.accounts`."""

from __future__ import annotations

import argparse
import sys

import asyncpg

from accord.cli import accounts
from accord.cli.database import in_transaction
from accord.cli.prompts import read_password
from accord.config import Settings
from accord.errors import AccordError
from accord.users import placeholders, repo, service
from accord.users.placeholders import Claimed


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    user = commands.add_parser(
        "user",
        help="manage accounts",
        description="Manage accounts: create and list them, set passwords, deactivate and "
        "reactivate them, print password-reset links, clear login limits, and make site "
        "administrators. These commands act as the server's operator and need no login.",
    )
    user_commands = user.add_subparsers(dest="user_command", metavar="ACTION")
    user_commands.required = True
    create = user_commands.add_parser(
        "create",
        help="create an account",
        description="Create an account. Without --password-stdin you are asked for a password "
        "on a terminal; with no terminal, a password is generated and printed once. The "
        "first account on an empty database is a site administrator. When an imported "
        "project named this email for one of its users, the placeholder account the import "
        "made becomes this account, keeping its codings and memberships.",
    )
    create.add_argument("email", metavar="EMAIL", help="the account's email (unique, any case)")
    create.add_argument(
        "--name",
        help="display name (default: an imported placeholder's name, else the part of the "
        "email before @)",
    )
    create.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of stdin",
    )
    create.add_argument(
        "--admin",
        action="store_true",
        help="make the account a site administrator (manages accounts; see accord user --help)",
    )
    create.set_defaults(handler=create_user)
    accounts.register(user_commands)

    token = commands.add_parser("token", help="manage API tokens", description="Manage API tokens.")
    token_commands = token.add_subparsers(dest="token_command", metavar="ACTION")
    token_commands.required = True
    issue = token_commands.add_parser(
        "create",
        help="issue an API token for an account",
        description="Issue an API token and print it once. Only its hash is stored. "
        "Scripts send it as 'Authorization: Bearer <token>'.",
    )
    issue.add_argument("email", metavar="EMAIL", help="the account the token acts for")
    issue.add_argument("--name", metavar="LABEL", help="a label to recognise the token by")
    issue.set_defaults(handler=create_token)


def create_user(args: argparse.Namespace) -> int:
    try:
        password, generated = read_password(args)
    except AccordError as exc:
        print(f"accord: {exc.message}", file=sys.stderr)
        return 2

    async def work(conn: asyncpg.Connection, settings: Settings) -> tuple[Claimed, bool]:
        claimed = await placeholders.create_claiming(
            conn,
            args.email,
            args.name,
            password,
            is_admin=args.admin,
            min_password_length=settings.password_min_length,
        )
        return claimed, await repo.has_active_admin(conn)

    try:
        claimed, some_admin = in_transaction(work)
    except AccordError as exc:
        print(f"accord: {exc.message}", file=sys.stderr)
        return 2
    user = claimed.user
    admin = ", site administrator" if user.is_admin else ""
    print(f"created user {user.email} ({user.name}), id {user.id}{admin}")
    if claimed.projects:
        print(
            "It took over the placeholder account an import made for this email, with its "
            f"codings, in: {_names(claimed.projects)}."
        )
    if claimed.left:
        print(
            "Imported work for this email stays with its placeholder in "
            f"{_names(claimed.left)}, where this account already has work of its own or a "
            "consensus review holds the placeholder's codings.",
            file=sys.stderr,
        )
    if generated:
        print(f"password: {password}")
        print("This password is shown once. Keep it safe.")
    if not some_admin:
        print(
            "No site administrator exists yet: make one with `accord user set-admin EMAIL`.",
            file=sys.stderr,
        )
    return 0


def _names(projects: list[str]) -> str:
    return ", ".join(repr(name) for name in projects)


def create_token(args: argparse.Namespace) -> int:
    async def work(conn: asyncpg.Connection, settings: Settings) -> service.IssuedToken:
        user = await service.user_by_email(conn, args.email)
        return await service.create_token(conn, user, args.name)

    try:
        issued = in_transaction(work)
    except AccordError as exc:
        print(f"accord: {exc.message}", file=sys.stderr)
        return 2
    print(issued.token)
    print("This token is shown once. Send it as 'Authorization: Bearer <token>'.", file=sys.stderr)
    return 0
