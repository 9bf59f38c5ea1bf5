"""The permission matrix, over GraphQL and at the unit level.

Every role and a non-member against every foundation operation: members without the
right get FORBIDDEN, non-members get NOT_FOUND (existence never leaks), and a caller
with no credentials gets UNAUTHENTICATED.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from accord.errors import Forbidden, NotFound
from accord.permissions import MATRIX, Action, Role, can, require
from tests.support import Api, Person

OK = "OK"
ROLES = ("LEAD", "CODER", "VIEWER", "OUTSIDER")


@dataclass
class Team:
    lead: Person
    coder: Person
    viewer: Person
    outsider: Person
    spare: Person
    project_id: str
    document_id: str

    def who(self, role: str) -> Person:
        return {
            "LEAD": self.lead,
            "CODER": self.coder,
            "VIEWER": self.viewer,
            "OUTSIDER": self.outsider,
        }[role]


@pytest.fixture(scope="module")
async def people(app_client: Any, pool: Any) -> dict[str, Person]:
    api = Api(app_client, pool)
    return {n: await api.person(n) for n in ("lead", "coder", "viewer", "outsider", "spare")}


@pytest.fixture
async def team(api: Api, people: dict[str, Person]) -> Team:
    """A fresh project with one member of each role and one document."""
    lead = people["lead"]
    project_id = await api.project(lead)
    await api.add_member(lead, project_id, people["coder"], "CODER")
    await api.add_member(lead, project_id, people["viewer"], "VIEWER")
    doc = await api.import_document(lead, project_id, "I: Hello.\n\nP01: Hi there.")
    return Team(
        people["lead"],
        people["coder"],
        people["viewer"],
        people["outsider"],
        people["spare"],
        project_id,
        doc["id"],
    )


# Each operation: (GraphQL, variables from the team, the result field, is a mutation).
OPERATIONS: dict[str, tuple[str, Any, str, bool]] = {
    "project": (
        "query($p: ID!) { project(id: $p) { id name myRole } }",
        lambda t: {"p": t.project_id},
        "project",
        False,
    ),
    "documents": (
        "query($p: ID!) { project(id: $p) { documents { totalCount nodes { id } } } }",
        lambda t: {"p": t.project_id},
        "project",
        False,
    ),
    "document": (
        "query($d: ID!) { document(id: $d) { id text } }",
        lambda t: {"d": t.document_id},
        "document",
        False,
    ),
    "updateProject": (
        """mutation($p: ID!) { updateProject(id: $p, name: "Renamed") {
             __typename ... on UserError { code message } } }""",
        lambda t: {"p": t.project_id},
        "updateProject",
        True,
    ),
    "inviteMember": (
        """mutation($p: ID!, $e: String!) { inviteMember(projectId: $p, email: $e, role: CODER) {
             __typename ... on UserError { code message } } }""",
        lambda t: {"p": t.project_id, "e": t.spare.email},
        "inviteMember",
        True,
    ),
    "changeRole": (
        """mutation($p: ID!, $u: ID!) { changeRole(projectId: $p, userId: $u, role: VIEWER) {
             __typename ... on UserError { code message } } }""",
        lambda t: {"p": t.project_id, "u": t.coder.id},
        "changeRole",
        True,
    ),
    "removeMember": (
        """mutation($p: ID!, $u: ID!) { removeMember(projectId: $p, userId: $u) {
             __typename ... on UserError { code message } } }""",
        lambda t: {"p": t.project_id, "u": t.viewer.id},
        "removeMember",
        True,
    ),
    "importDocument": (
        """mutation($p: ID!) { importDocument(projectId: $p, title: "T", text: "I: Hi.") {
             __typename ... on UserError { code message } } }""",
        lambda t: {"p": t.project_id},
        "importDocument",
        True,
    ),
    "updateDocument": (
        """mutation($d: ID!) { updateDocument(id: $d, input: {title: "New"}) {
             __typename ... on UserError { code message } } }""",
        lambda t: {"d": t.document_id},
        "updateDocument",
        True,
    ),
    "deleteDocument": (
        """mutation($d: ID!) { deleteDocument(id: $d) {
             __typename ... on UserError { code message } } }""",
        lambda t: {"d": t.document_id},
        "deleteDocument",
        True,
    ),
}

READS = ("project", "documents", "document")
LEAD_ONLY = tuple(op for op in OPERATIONS if op not in READS)

# The expected answer of every (operation, role) pair.
EXPECTED: dict[tuple[str, str], str] = {}
for _op in OPERATIONS:
    for _role in ROLES:
        if _role == "OUTSIDER":
            EXPECTED[_op, _role] = "NOT_FOUND"
        elif _op in READS or _role == "LEAD":
            EXPECTED[_op, _role] = OK
        else:
            EXPECTED[_op, _role] = "FORBIDDEN"


async def _outcome(api: Api, op: str, team: Team, who: Person | None) -> tuple[str, Any]:
    """OK or the error code, plus the raw answer for the message."""
    query, variables, field, is_mutation = OPERATIONS[op]
    body = await api.raw(query, variables(team), as_=who)
    if is_mutation:
        assert not body.get("errors"), body
        result = body["data"][field]
        if "code" in result:
            return result["code"], result
        return OK, result
    if body.get("errors"):
        # Refused: no data, or (a field some members may not read) the field null.
        assert (body.get("data") or {}).get(field) is None, body
        return body["errors"][0]["extensions"]["code"], body["errors"][0]
    return OK, body["data"][field]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("op", list(OPERATIONS))
async def test_matrix(api: Api, team: Team, op: str, role: str) -> None:
    outcome, answer = await _outcome(api, op, team, team.who(role))
    assert outcome == EXPECTED[op, role], answer
    if outcome == "FORBIDDEN":
        assert role.lower() in answer["message"], answer
    if outcome == "NOT_FOUND":
        # The same message as for something that never existed.
        assert answer["message"] in ("Project not found.", "Document not found."), answer


@pytest.mark.parametrize("op", list(OPERATIONS))
async def test_unauthenticated(api: Api, team: Team, op: str) -> None:
    outcome, _ = await _outcome(api, op, team, None)
    assert outcome == "UNAUTHENTICATED"


@pytest.mark.parametrize("op", LEAD_ONLY)
@pytest.mark.parametrize("role", ["CODER", "VIEWER", "OUTSIDER"])
async def test_refused_mutation_changes_nothing(api: Api, team: Team, op: str, role: str) -> None:
    await _outcome(api, op, team, team.who(role))
    data = await api.gql(
        """query($p: ID!, $d: ID!) {
             project(id: $p) { name members { user { id } role } documents { totalCount } }
             document(id: $d) { title } }""",
        {"p": team.project_id, "d": team.document_id},
        as_=team.lead,
    )
    project = data["project"]
    assert project["name"] == "Peer support study"
    assert project["documents"]["totalCount"] == 1
    assert data["document"]["title"] == "Interview 1"
    roles = {m["user"]["id"]: m["role"] for m in project["members"]}
    assert roles == {team.lead.id: "LEAD", team.coder.id: "CODER", team.viewer.id: "VIEWER"}


async def test_projects_lists_only_own_projects(api: Api, team: Team) -> None:
    for role in ("LEAD", "CODER", "VIEWER"):
        data = await api.gql("{ projects { id myRole } }", as_=team.who(role))
        mine = [p for p in data["projects"] if p["id"] == team.project_id]
        assert mine == [{"id": team.project_id, "myRole": role}]
    data = await api.gql("{ projects { id } }", as_=team.outsider)
    assert team.project_id not in [p["id"] for p in data["projects"]]


async def test_outsider_sees_the_same_as_for_nothing(api: Api, team: Team) -> None:
    missing_project = "00000000-0000-4000-8000-000000000000"
    query = "query($p: ID!) { project(id: $p) { id } }"
    real = await api.raw(query, {"p": team.project_id}, as_=team.outsider)
    none = await api.raw(query, {"p": missing_project}, as_=team.outsider)
    assert real["errors"][0]["message"] == none["errors"][0]["message"]
    query = "query($d: ID!) { document(id: $d) { id } }"
    real = await api.raw(query, {"d": team.document_id}, as_=team.outsider)
    none = await api.raw(query, {"d": missing_project}, as_=team.outsider)
    assert real["errors"][0]["message"] == none["errors"][0]["message"] == "Document not found."


CHANGE_ROLE = """mutation($p: ID!, $u: ID!, $r: Role!) {
  changeRole(projectId: $p, userId: $u, role: $r) {
    __typename ... on Member { role } ... on UserError { code message } } }"""
REMOVE = """mutation($p: ID!, $u: ID!) { removeMember(projectId: $p, userId: $u) {
  __typename ... on UserError { code message } } }"""


async def _roles(api: Api, team: Team, as_: Person) -> dict[str, str]:
    data = await api.gql(
        "query($p: ID!) { project(id: $p) { members { user { id } role } } }",
        {"p": team.project_id},
        as_=as_,
    )
    return {m["user"]["id"]: m["role"] for m in data["project"]["members"]}


@pytest.mark.parametrize("new_role", ["CODER", "VIEWER"])
async def test_last_lead_cannot_be_demoted(api: Api, team: Team, new_role: str) -> None:
    data = await api.gql(
        CHANGE_ROLE, {"p": team.project_id, "u": team.lead.id, "r": new_role}, as_=team.lead
    )
    assert data["changeRole"]["code"] == "FORBIDDEN"
    assert "at least one lead" in data["changeRole"]["message"]
    assert (await _roles(api, team, team.lead))[team.lead.id] == "LEAD"


async def test_last_lead_cannot_be_removed(api: Api, team: Team) -> None:
    data = await api.gql(REMOVE, {"p": team.project_id, "u": team.lead.id}, as_=team.lead)
    assert data["removeMember"]["code"] == "FORBIDDEN"
    assert (await _roles(api, team, team.lead))[team.lead.id] == "LEAD"


async def test_with_two_leads_one_may_step_down(api: Api, team: Team) -> None:
    data = await api.gql(
        CHANGE_ROLE, {"p": team.project_id, "u": team.coder.id, "r": "LEAD"}, as_=team.lead
    )
    assert data["changeRole"] == {"__typename": "Member", "role": "LEAD"}
    data = await api.gql(
        CHANGE_ROLE, {"p": team.project_id, "u": team.lead.id, "r": "VIEWER"}, as_=team.lead
    )
    assert data["changeRole"]["role"] == "VIEWER"
    # Now the former coder is the only lead and stays one.
    data = await api.gql(REMOVE, {"p": team.project_id, "u": team.coder.id}, as_=team.coder)
    assert data["removeMember"]["code"] == "FORBIDDEN"
    roles = await _roles(api, team, team.coder)
    assert roles[team.coder.id] == "LEAD" and roles[team.lead.id] == "VIEWER"


async def test_removed_member_becomes_an_outsider(api: Api, team: Team) -> None:
    data = await api.gql(REMOVE, {"p": team.project_id, "u": team.coder.id}, as_=team.lead)
    assert data["removeMember"]["__typename"] == "Member"
    code = await api.error_code(
        "query($p: ID!) { project(id: $p) { id } }", {"p": team.project_id}, as_=team.coder
    )
    assert code == "NOT_FOUND"


async def test_inviting_a_member_again_is_a_conflict(api: Api, team: Team) -> None:
    invite = """mutation($p: ID!, $e: String!) { inviteMember(projectId: $p, email: $e,
                  role: CODER) { __typename ... on UserError { code message } } }"""
    data = await api.gql(invite, {"p": team.project_id, "e": "nobody@example.org"}, as_=team.lead)
    assert data["inviteMember"]["__typename"] == "IssuedInvitation"
    data = await api.gql(
        invite, {"p": team.project_id, "e": team.coder.email.upper()}, as_=team.lead
    )
    assert data["inviteMember"]["code"] == "CONFLICT"
    assert "already a member (coder)" in data["inviteMember"]["message"]


# Unit level: the matrix itself.


def test_require_non_member_is_not_found() -> None:
    for action in Action:
        with pytest.raises(NotFound, match="Project not found"):
            require(None, action)
        with pytest.raises(NotFound, match="Document not found"):
            require(None, action, not_found="Document not found.")
        assert not can(None, action)


@pytest.mark.parametrize("role", list(Role))
def test_require_follows_the_matrix(role: Role) -> None:
    for action in Action:
        if action in MATRIX[role]:
            assert require(role, action) is role
            assert can(role, action)
        else:
            assert not can(role, action)
            with pytest.raises(Forbidden) as caught:
                require(role, action)
            assert caught.value.code == "FORBIDDEN"
            assert role.value.lower() in caught.value.message
            assert action.value in caught.value.message


def test_foundation_rights() -> None:
    every_role = set(Role)
    assert {r for r in Role if can(r, Action.VIEW_PROJECT)} == every_role
    assert {r for r in Role if can(r, Action.VIEW_DOCUMENTS)} == every_role
    for action in (
        Action.UPDATE_PROJECT,
        Action.MANAGE_MEMBERS,
        Action.IMPORT_DOCUMENT,
        Action.EDIT_DOCUMENT,
    ):
        assert {r for r in Role if can(r, action)} == {Role.LEAD}, action


def test_viewer_changes_nothing() -> None:
    writes = {
        Action.UPDATE_PROJECT,
        Action.MANAGE_MEMBERS,
        Action.IMPORT_DOCUMENT,
        Action.EDIT_DOCUMENT,
        Action.MANAGE_CODEBOOK,
        Action.PROPOSE_CODE,
        Action.MANAGE_ROUNDS,
        Action.ASSIGN,
        Action.CODE,
        Action.REOPEN_ASSIGNMENT,
        Action.REVEAL,
        Action.WRITE_MEMO,
        Action.RUN_CONSENSUS,
        Action.FINALIZE,
    }
    assert not (MATRIX[Role.VIEWER] & writes)
    assert set(MATRIX) == set(Role)
