"""No placeholder account's made-up address in any output (issue #14 point 7): where an
email would go, the CSV and JSON exports, the agreement report, its raw CSV and the
decision log name a placeholder by the address its file gave, else by its name marked
"(imported, no email)", and two placeholders never share a label."""

from __future__ import annotations

import csv
import io
import json
import re
import secrets
from typing import Any
from uuid import UUID

import asyncpg
import pytest

from accord.config import Settings
from accord.exchange import exporting, importing
from accord.reports import agreement
from accord.reports.agreement_compute import assemble
from accord.users import labels, placeholders
from accord.users import service as users
from accord.users.model import User
from tests.interop import standard_fixtures as fx
from tests.support import REPO_ROOT
from tests.test_cli import accord

ALICE_ADDRESS = f"alice-{secrets.token_hex(4)}@example.org"
CAROL = "55555555-5555-4555-8555-555555555555"


def _fixture() -> fx.Fixture:
    """Alice has an address, Bob has none, Carol (uncoded) shares Alice's address."""
    people = fx._users(
        ("Alice", fx.ALICE),
        ("Bob", fx.BOB),
        ("Carol", CAROL),
        ids={fx.ALICE: ALICE_ADDRESS, CAROL: ALICE_ADDRESS},
    )
    body = fx.text_source(fx.DOC_1, "Interview 1", fx._two_codings(), text=fx.TEXT_1)
    return fx.Fixture(
        "labels",
        fx.project(f"<Sources>{body}</Sources>", people),
        {},
        fx.Expected(["Interview 1"], fx.TWO_CODINGS, users=["Alice", "Bob", "Carol"]),
    )


@pytest.fixture(scope="module")
async def imported(pool: asyncpg.Pool, settings: Settings) -> tuple[User, UUID]:
    async with pool.acquire() as conn, conn.transaction():
        lead = await users.create_user(
            conn, f"lead-{secrets.token_hex(4)}@example.org", "Lead", "password-123"
        )
        outcome = await importing.import_file(
            conn, settings, lead, _fixture().archive, "labels.qdpx"
        )
    return lead, outcome.project_id


async def _export(pool: asyncpg.Pool, who: User, project_id: UUID, fmt: str) -> str:
    async with pool.acquire() as conn:
        export = await exporting.export_project(conn, who, project_id, fmt)
    return export.content.decode()


def _no_made_up_address(text: str) -> None:
    assert labels.PLACEHOLDER_DOMAIN not in text


async def test_the_placeholders_hold_made_up_emails(
    imported: tuple[User, UUID], pool: asyncpg.Pool
) -> None:
    """The premise: the accounts behind the file's users do have made-up emails."""
    rows = await pool.fetch(
        "SELECT u.email FROM project_members m JOIN users u ON u.id = m.user_id "
        "WHERE m.project_id = $1 AND u.name <> 'Lead'",
        imported[1],
    )
    assert len(rows) == 3 and all(labels.is_made_up(r["email"]) for r in rows)


async def test_csv_names_coders_by_file_address_or_name(
    imported: tuple[User, UUID], pool: asyncpg.Pool
) -> None:
    text = await _export(pool, *imported, "csv")
    _no_made_up_address(text)
    coders = {(r["coder"], r["code"]) for r in csv.DictReader(io.StringIO(text))}
    assert coders == {(ALICE_ADDRESS, "Shame"), ("Bob (imported, no email)", "Relief")}


async def test_json_members_and_codings_hold_no_made_up_address(
    imported: tuple[User, UUID], pool: asyncpg.Pool
) -> None:
    text = await _export(pool, *imported, "json")
    _no_made_up_address(text)
    data = json.loads(text)
    members = {m["name"]: (m["email"], m["placeholder"]) for m in data["members"]}
    lead = imported[0]
    assert members == {
        "Lead": (lead.email, False),
        "Alice": (ALICE_ADDRESS, True),
        "Bob": (None, True),
        "Carol": (ALICE_ADDRESS, True),
    }
    assert sorted(c["coder"] for c in data["codings"]) == [
        "Bob (imported, no email)",
        ALICE_ADDRESS,
    ]


async def test_agreement_report_and_raw_csv_use_the_labels(
    imported: tuple[User, UUID], pool: asyncpg.Pool
) -> None:
    lead, project_id = imported
    async with pool.acquire() as conn:
        inputs = await agreement.load(conn, lead, project_id, agreement.AgreementRequest(), None)
    result = assemble(inputs)
    _no_made_up_address(result.raw_csv)
    coders = {r["coder"] for r in csv.DictReader(io.StringIO(result.raw_csv))}
    assert coders == {ALICE_ADDRESS, "Bob (imported, no email)"}
    html = await _export(pool, lead, project_id, "report")
    _no_made_up_address(html)
    assert ALICE_ADDRESS in html and "Bob (imported, no email)" in html


async def test_decision_log_names_no_made_up_address(
    imported: tuple[User, UUID], pool: asyncpg.Pool
) -> None:
    for fmt in ("decisions-csv", "decisions-md"):
        _no_made_up_address(await _export(pool, *imported, fmt))


def test_two_people_never_share_a_label() -> None:
    a, b, c, d = (UUID(int=n) for n in range(1, 5))
    made_up = f"x-1@{labels.PLACEHOLDER_DOMAIN}"
    rows: list[dict[str, Any]] = [
        {"id": a, "email": made_up, "name": "Alice", "claim_email": "ann@example.org"},
        {"id": b, "email": "ann@example.org", "name": "Ann", "claim_email": None},
        {"id": c, "email": made_up, "name": "Bob", "claim_email": None},
        {"id": d, "email": made_up.upper(), "name": " Bob ", "claim_email": None},
    ]
    # The real account keeps its email; the placeholders after it are told apart, in order.
    assert labels.labels_of(rows) == {
        a: "ann@example.org (2)",
        b: "ann@example.org",
        c: "Bob (imported, no email)",
        d: "Bob (imported, no email) (2)",
    }
    assert labels.person_label(made_up, "", None) == "Imported user (imported, no email)"
    assert not re.search(labels.PLACEHOLDER_DOMAIN, " ".join(labels.labels_of(rows).values()))


async def test_import_report_says_how_each_placeholder_is_claimed(
    pool: asyncpg.Pool, settings: Settings
) -> None:
    async with pool.acquire() as conn, conn.transaction():
        lead = await users.create_user(
            conn, f"lead-{secrets.token_hex(4)}@example.org", "Lead", "password-123"
        )
        outcome = await importing.import_file(
            conn, settings, lead, _fixture().archive, "labels.qdpx"
        )
    summary = outcome.report.summary()
    _no_made_up_address(summary)
    lines = summary.splitlines()
    alice = next(line for line in lines if line.startswith("User 'Alice'"))
    assert alice == (
        f"User 'Alice' <{ALICE_ADDRESS}> became a new placeholder account, which cannot log "
        f"in. Inviting {ALICE_ADDRESS} to this project hands the placeholder and its codings "
        "on to that person."
    )
    bob = next(line for line in lines if line.startswith("User 'Bob'"))
    assert bob.endswith("The file gives no email address for it, so no invitation can claim it.")
    # Re-imported from Accord's own export, the same placeholders are found again, and the
    # report still says how to hand them on.
    async with pool.acquire() as conn:
        export = await exporting.export_project(conn, lead, outcome.project_id, "qdpx")
    async with pool.acquire() as conn, conn.transaction():
        again = await importing.import_file(conn, settings, lead, export.content, "again.qdpx")
    summary = again.report.summary()
    _no_made_up_address(summary)
    assert f"User 'Alice' <{ALICE_ADDRESS}> is the placeholder account 'Alice' again" in summary
    assert f"Inviting {ALICE_ADDRESS} to this project hands the placeholder" in summary


def test_descriptions_say_how_users_are_matched() -> None:
    """`accord import --help` and the schema say what the code does: email (or an
    Accord export's GUID), never names."""
    help_text = " ".join(accord(None, "import", "--help").stdout.split())
    assert "names never match" in help_text and "by name" not in help_text
    schema = " ".join((REPO_ROOT / "schema" / "schema.graphql").read_text().split())
    assert "then name" not in schema
    assert "names never match" in schema


async def test_no_event_holds_a_made_up_address(pool: asyncpg.Pool, settings: Settings) -> None:
    """The audit log of the import (members added) and of a claim names no made-up
    address. A project of its own: Alice's placeholder becomes her account."""
    async with pool.acquire() as conn, conn.transaction():
        lead = await users.create_user(
            conn, f"lead-{secrets.token_hex(4)}@example.org", "Lead", "password-123"
        )
        project_id = (
            await importing.import_file(conn, settings, lead, _fixture().archive, "l.qdpx")
        ).project_id
    async with pool.acquire() as conn, conn.transaction():
        claimed = await placeholders.claim_by_invitation(
            conn, project_id, ALICE_ADDRESS, "Alice", "a-long-password-1"
        )
    assert claimed is not None
    rows = await pool.fetch(
        "SELECT kind, before::text AS b, after::text AS a FROM events WHERE project_id = $1",
        project_id,
    )
    kinds = {r["kind"] for r in rows}
    assert {"member.added", "member.claimed"} <= kinds
    for r in rows:
        _no_made_up_address(f"{r['b']} {r['a']}")
