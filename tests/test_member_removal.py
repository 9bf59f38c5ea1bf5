"""Removing a member settles their assignments (issue 10, #17).

A removed coder's assignments used to stay behind, so a document waiting for all of its
assignments could never reveal by itself. Now: an unstarted assignment is removed, a
started one is WITHDRAWN (kept for the record, no longer compared or awaited), a
submitted one is kept; the automatic reveal counts current members only.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import asyncpg

from accord.db import migrations
from accord.resources import migrations_dir
from accord.users import service as users
from tests.support import Api, Person
from tests.test_blinding import TEXT, apply, assign, create_code, doc_codings, submit

REMOVE = """mutation($p: ID!, $u: ID!) { removeMember(projectId: $p, userId: $u) {
  __typename ... on UserError { code message } } }"""
ASSIGNMENTS = """query($p: ID!) { project(id: $p) { assignments {
  documentId coderId status codingCount } } }"""
REVEALED = """query($d: ID!) { document(id: $d) { revealed } }"""
REOPEN = """mutation($d: ID!, $u: ID!) {
  reopenAssignment(documentId: $d, userId: $u, reason: "Back on the team") {
  __typename ... on Assignment { status } ... on UserError { code message } } }"""
REPORT = """query($p: ID!) { agreement(projectId: $p) {
  counts { coders { id } } coderPairs { label } } }"""
START = """mutation($d: ID!) { startConsensus(documentId: $d) {
  __typename ... on UserError { code message } } }"""
AUDIT = """query($p: ID!) { auditLog(projectId: $p, first: 200) { nodes { kind after } } }"""


async def study(api: Api) -> tuple[Person, str, dict[str, Person], str, list[str]]:
    lead = await api.person("lead")
    project = await api.project(lead)
    coders = {name: await api.person(name) for name in ("anna", "bo", "cai")}
    for who in coders.values():
        await api.add_member(lead, project, who, "CODER")
    code = (await create_code(api, lead, project, "Phone"))["id"]
    docs = [(await api.import_document(lead, project, TEXT, title=t))["id"] for t in "DE"]
    return lead, project, coders, code, docs


async def statuses(api: Api, lead: Person, project: str) -> dict[tuple[str, str], Any]:
    rows = (await api.gql(ASSIGNMENTS, {"p": project}, as_=lead))["project"]["assignments"]
    return {(r["documentId"], r["coderId"]): (r["status"], r["codingCount"]) for r in rows}


async def test_removal_settles_assignments_and_lets_the_document_reveal(api: Api) -> None:
    lead, project, coders, code, (doc, other) = await study(api)
    anna, bo, cai = coders["anna"], coders["bo"], coders["cai"]
    for who in (anna, bo, cai):
        assert (await assign(api, lead, doc, who))["status"] == "ASSIGNED"
    assert (await assign(api, lead, other, anna))["status"] == "ASSIGNED"
    assert (await apply(api, anna, doc, code, 0, 11))["__typename"] == "Coding"  # started
    assert (await apply(api, bo, doc, code, 0, 11))["__typename"] == "Coding"
    assert (await apply(api, cai, doc, code, 12, 30))["__typename"] == "Coding"
    for who in (bo, cai):
        assert (await submit(api, who, doc))["status"] == "SUBMITTED"
    assert not (await api.gql(REVEALED, {"d": doc}, as_=lead))["document"]["revealed"]
    assert {c["coder"]["id"] for c in (await doc_codings(api, bo, doc))["nodes"]} == {bo.id}

    removed = (await api.gql(REMOVE, {"p": project, "u": anna.id}, as_=lead))["removeMember"]
    assert removed["__typename"] == "Member", removed

    after = await statuses(api, lead, project)
    assert after[(doc, anna.id)] == ("WITHDRAWN", 1)  # her started layer, kept
    assert (other, anna.id) not in after  # nothing coded there: unassigned
    assert after[(doc, bo.id)][0] == after[(doc, cai.id)][0] == "SUBMITTED"
    # Everyone still on the team has submitted: the document revealed by itself.
    assert (await api.gql(REVEALED, {"d": doc}, as_=lead))["document"]["revealed"]
    seen_by_bo = {c["coder"]["id"] for c in (await doc_codings(api, bo, doc))["nodes"]}
    assert seen_by_bo == {anna.id, bo.id, cai.id}
    log = (await api.gql(AUDIT, {"p": project}, as_=lead))["auditLog"]["nodes"]
    kinds = [e["kind"] for e in log]
    assert kinds.count("assignment.withdrawn") == 1 and kinds.count("assignment.removed") == 1
    assert kinds.index("member.removed") < kinds.index("document.revealed")
    removal = next(e for e in log if e["kind"] == "member.removed")
    assert removal["after"] is None  # every member sees it: nothing of her layer in it

    # Her half-finished layer is not compared: agreement and consensus are Bo's and Cai's.
    report = (await api.gql(REPORT, {"p": project}, as_=lead))["agreement"]
    assert {c["id"] for c in report["counts"]["coders"]} == {bo.id, cai.id}, report["counts"]
    pairs = [p["label"] for p in report["coderPairs"]]
    assert len(pairs) == 1 and anna.name not in pairs[0], pairs
    started = (await api.gql(START, {"d": doc}, as_=lead))["startConsensus"]
    assert started["__typename"] == "ConsensusSession", started


async def test_a_withdrawn_assignment_is_read_only_until_a_lead_reopens_it(api: Api) -> None:
    lead, project, coders, code, (doc, _) = await study(api)
    anna = coders["anna"]
    await assign(api, lead, doc, anna)
    assert (await apply(api, anna, doc, code, 0, 11))["__typename"] == "Coding"
    assert (await api.gql(REMOVE, {"p": project, "u": anna.id}, as_=lead))["removeMember"][
        "__typename"
    ] == "Member"
    # A withdrawn assignment cannot be reopened for someone who is not a member.
    refused = (await api.gql(REOPEN, {"d": doc, "u": anna.id}, as_=lead))["reopenAssignment"]
    assert refused["code"] == "INVALID_INPUT", refused

    await api.add_member(lead, project, anna, "CODER")
    blocked = await apply(api, anna, doc, code, 20, 30)
    assert blocked["code"] == "FORBIDDEN" and "withdrawn" in blocked["message"], blocked
    assert (await submit(api, anna, doc))["code"] == "FORBIDDEN"
    reopened = (await api.gql(REOPEN, {"d": doc, "u": anna.id}, as_=lead))["reopenAssignment"]
    assert reopened == {"__typename": "Assignment", "status": "REOPENED"}
    assert (await apply(api, anna, doc, code, 20, 30))["__typename"] == "Coding"
    assert (await submit(api, anna, doc))["status"] == "SUBMITTED"
    assert (await api.gql(REVEALED, {"d": doc}, as_=lead))["document"]["revealed"]


async def test_the_automatic_reveal_counts_current_members_only(api: Api) -> None:
    """An assignment left open by a member who is gone (as removals left them before they
    settled assignments) does not hold the document back."""
    lead, project, coders, code, (doc, _) = await study(api)
    anna, bo = coders["anna"], coders["bo"]
    for who in (anna, bo):
        await assign(api, lead, doc, who)
    async with api.pool.acquire() as conn:
        await conn.execute(
            "DELETE FROM project_members WHERE project_id = $1::uuid AND user_id = $2::uuid",
            project,
            anna.id,
        )
    assert (await apply(api, bo, doc, code, 0, 11))["__typename"] == "Coding"
    assert (await submit(api, bo, doc))["status"] == "SUBMITTED"
    assert (await api.gql(REVEALED, {"d": doc}, as_=lead))["document"]["revealed"]


async def test_removing_the_last_lead_or_a_stranger_settles_nothing(api: Api) -> None:
    lead, project, coders, _code, (doc, _) = await study(api)
    anna = coders["anna"]
    await assign(api, lead, doc, anna)
    refused = (await api.gql(REMOVE, {"p": project, "u": lead.id}, as_=lead))["removeMember"]
    assert refused["code"] == "FORBIDDEN"
    by_coder = (await api.gql(REMOVE, {"p": project, "u": anna.id}, as_=anna))["removeMember"]
    assert by_coder["code"] == "FORBIDDEN"
    stranger = await api.person("stranger")
    unknown = (await api.gql(REMOVE, {"p": project, "u": stranger.id}, as_=lead))["removeMember"]
    assert unknown["code"] == "NOT_FOUND"
    assert (await statuses(api, lead, project))[(doc, anna.id)] == ("ASSIGNED", 0)


async def test_migration_0009_withdraws_what_earlier_removals_left_open(
    scratch_database: str, tmp_path: Path
) -> None:
    """A database from before removals settled assignments: the member is gone, their
    assignments are still open. Migrating withdraws them; a submitted one stays."""
    older = tmp_path / "older"
    older.mkdir()
    for path in sorted(migrations_dir().glob("*.sql")):
        if path.name < "0009":
            shutil.copy(path, older)
    conn = await asyncpg.connect(scratch_database)
    try:
        await migrations.migrate(conn, older)
        lead = await users.create_user(conn, "lead@example.org", "Lead", None)
        gone = await users.create_user(conn, "gone@example.org", "Gone", None)
        stays = await users.create_user(conn, "stays@example.org", "Stays", None)
        project = await conn.fetchval(
            "INSERT INTO projects (name, created_by) VALUES ('Old study', $1) RETURNING id", lead.id
        )
        round_id = await conn.fetchval(
            "INSERT INTO rounds (project_id, name, is_default) VALUES ($1, 'Main', true) "
            "RETURNING id",
            project,
        )
        document = await conn.fetchval(
            "INSERT INTO documents (project_id, title, body, length, created_by) "
            "VALUES ($1, 'Intervju', 'Tekst', 5, $2) RETURNING id",
            project,
            lead.id,
        )
        await conn.execute(
            "INSERT INTO project_members (project_id, user_id, role) VALUES ($1, $2, 'LEAD'), "
            "($1, $3, 'CODER')",
            project,
            lead.id,
            stays.id,
        )
        for who, status in ((gone.id, "IN_PROGRESS"), (stays.id, "ASSIGNED")):
            await conn.execute(
                "INSERT INTO assignments (project_id, document_id, round_id, user_id, status) "
                "VALUES ($1, $2, $3, $4, $5)",
                project,
                document,
                round_id,
                who,
                status,
            )
        applied = await migrations.migrate(conn)
        assert applied[0].name == "0009_withdrawn_assignments.sql"
        rows = await conn.fetch("SELECT user_id, status FROM assignments")
        assert {r["user_id"]: r["status"] for r in rows} == {
            gone.id: "WITHDRAWN",
            stays.id: "ASSIGNED",
        }
    finally:
        await conn.close()
