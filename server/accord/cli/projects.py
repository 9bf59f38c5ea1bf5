"""`accord project list | create` and `accord member add`: projects from a shell."""

from __future__ import annotations

import argparse

import asyncpg

from accord.cli.database import run_command
from accord.cli.tables import columns
from accord.config import Settings
from accord.exchange.importing import acting_lead
from accord.invitations import service as invitations
from accord.links import base_url, invitation_link
from accord.permissions import Role
from accord.projects import repo as project_repo
from accord.projects import service as projects
from accord.projects.lookup import resolve_project
from accord.users import service as users

PROJECT_REFERENCE = "the project's id, or its exact name"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    project = commands.add_parser(
        "project", help="list and create projects", description="List and create projects."
    )
    actions = project.add_subparsers(dest="project_command", metavar="ACTION")
    actions.required = True
    listing = actions.add_parser(
        "list",
        help="list projects",
        description="List projects with their ids. Without --as: every project on the "
        "server, with its leads and number of members. With --as: that account's projects "
        "and its role in each.",
    )
    listing.add_argument(
        "--as", dest="acting", metavar="EMAIL", help="only this account's projects"
    )
    listing.set_defaults(handler=list_projects)

    create = actions.add_parser(
        "create",
        help="create a project",
        description="Create a project led by the --as account and print its id.",
    )
    create.add_argument("name", metavar="NAME", help="the project's name")
    create.add_argument(
        "--as", dest="acting", metavar="EMAIL", required=True, help="the account that leads it"
    )
    create.add_argument("--description", default="", help="what the project is about")
    create.set_defaults(handler=create_project)

    member = commands.add_parser(
        "member", help="add members to a project", description="Add members to a project."
    )
    member_actions = member.add_subparsers(dest="member_command", metavar="ACTION")
    member_actions.required = True
    add = member_actions.add_parser(
        "add",
        help="add an account to a project, or invite an email that has none",
        description="Add the account with EMAIL to PROJECT with ROLE. When no account uses "
        "EMAIL, make an invitation instead and print its one-time link (valid "
        "ACCORD_INVITE_DAYS): send it to the person, who chooses a name and password there.",
    )
    add.add_argument("project", metavar="PROJECT", help=PROJECT_REFERENCE)
    add.add_argument("email", metavar="EMAIL", help="the person's email")
    add.add_argument(
        "--role", required=True, type=str.upper, choices=[r.value for r in Role], help="their role"
    )
    add.add_argument(
        "--as",
        dest="acting",
        metavar="EMAIL",
        help="the lead who adds or invites (default: the project's first lead)",
    )
    add.add_argument(
        "--base-url",
        metavar="URL",
        help="the server's address as people reach it, for the link (default: "
        "ACCORD_PUBLIC_URL, else http://127.0.0.1:8000)",
    )
    add.set_defaults(handler=add_member)


def list_projects(args: argparse.Namespace) -> int:
    async def work(conn: asyncpg.Connection, settings: Settings) -> str:
        if args.acting:
            user = await users.user_by_email(conn, args.acting)
            mine = await projects.projects_of(conn, user)
            if not mine:
                return f"{user.email} is not a member of any project."
            return columns(
                ("ID", "NAME", "STATUS", "ROLE"),
                [(str(p.id), p.name, p.status, p.role.value) for p in mine],
            )
        found = await project_repo.all_projects(conn)
        if not found:
            return "No projects."
        return columns(
            ("ID", "NAME", "STATUS", "MEMBERS", "LEADS"),
            [
                (str(r["id"]), r["name"], r["status"], str(r["members"]), ", ".join(r["leads"]))
                for r in found
            ],
        )

    return run_command("project list", work, readonly=True)


def create_project(args: argparse.Namespace) -> int:
    async def work(conn: asyncpg.Connection, settings: Settings) -> str:
        lead = await users.user_by_email(conn, args.acting)
        made = await projects.create_project(conn, lead, args.name, args.description, None)
        return f"created project {made.id} ({made.name}), led by {lead.email}"

    return run_command("project create", work)


def add_member(args: argparse.Namespace) -> int:
    async def work(conn: asyncpg.Connection, settings: Settings) -> str:
        project_id = await resolve_project(conn, args.project)
        if args.acting:
            actor = await users.user_by_email(conn, args.acting)
        else:
            actor = await acting_lead(conn, project_id)
        done = await invitations.add_or_invite(
            conn, settings, actor, project_id, args.email, args.role
        )
        if isinstance(done, projects.Member):
            return f"added {done.user.email} to {args.project!r} as {done.role.value.lower()}"
        base = args.base_url or base_url(settings, None)
        days = settings.invite_days
        return (
            f"No account uses {done.invitation.email}: invited it as "
            f"{done.invitation.role.value.lower()}. Send this link (valid {days} days, "
            f"works once):\n{invitation_link(base, done.token)}"
        )

    return run_command("member add", work)
