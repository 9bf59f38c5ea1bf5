"""Which accounts an imported REFI-QDA project's users become (issue 10, finding 13):
only an account the importer may already see, and only by its email; everyone else a
new placeholder. A file can neither pull a stranger into a project nor tell the
importer which emails have accounts."""

from __future__ import annotations

from typing import Any

from accord.exchange.accounts import PLACEHOLDER_DOMAIN
from accord.interop import ExchangeUser, write_qdpx
from tests.interop.sample import sample_project
from tests.support import Api, Person
from tests.test_import import _upload

NINA = "33333333-3333-4333-8333-333333333333"
IMPORT_PROJECT = """mutation($f: Upload!) { importProject(file: $f) {
  __typename
  ... on ImportResult { project { id members { role user { id email } } } warnings
    users { name email matchedBy account { id email name } } }
  ... on UserError { message code } } }"""


async def test_only_visible_accounts_match_and_only_by_email(api: Api) -> None:
    lead = await api.person("importer")
    colleague = await api.person("colleague")  # shares a project with the importer
    stranger = await api.person("stranger")  # shares nothing with the importer
    namesake = await api.person("nina")  # shares a project; the file names her, no email
    shared = await api.project(lead, "An earlier study")
    for who in (colleague, namesake):
        await api.add_member(lead, shared, who, "CODER")
    await api.gql(
        'mutation { createProject(name: "Stranger\'s own") { __typename } }', as_=stranger
    )

    exchange = sample_project()
    alice, bjorn, consensus = exchange.users
    exchange.users = [
        ExchangeUser(alice.guid, alice.name, colleague.email.upper()),
        ExchangeUser(bjorn.guid, "Bjørn Dahl", stranger.email),
        ExchangeUser(NINA, namesake.name),
        consensus,
    ]
    body = await _upload(api, IMPORT_PROJECT, {}, "study.qdpx", write_qdpx(exchange), lead)
    result = body["data"]["importProject"]
    assert result["__typename"] == "ImportResult", body

    by_name = {u["name"]: u for u in result["users"]}
    assert set(by_name) == {alice.name, "Bjørn Dahl", namesake.name}
    assert by_name[alice.name]["matchedBy"] == "EMAIL"
    assert by_name[alice.name]["account"]["id"] == colleague.id
    for name, other in (("Bjørn Dahl", stranger), (namesake.name, namesake)):
        entry = by_name[name]
        assert entry["matchedBy"] == "CREATED", entry
        assert entry["account"]["id"] != other.id
        assert entry["account"]["email"].endswith("@" + PLACEHOLDER_DOMAIN)
    # The report gives the file's own email back, and nothing of the stranger's account.
    assert by_name["Bjørn Dahl"]["email"] == stranger.email

    members = {m["user"]["id"]: m for m in result["project"]["members"]}
    assert colleague.id in members and lead.id in members
    assert stranger.id not in members and namesake.id not in members
    assert len(members) == 4  # the importer, the colleague and two placeholders
    assert await projects_of(api, stranger) == ["Stranger's own"]


async def projects_of(api: Api, who: Person) -> list[str]:
    data: dict[str, Any] = await api.gql("{ projects { name } }", as_=who)
    return [p["name"] for p in data["projects"]]


async def test_a_placeholder_never_takes_the_files_email(api: Api) -> None:
    """Whether or not the file's email has an account, the placeholder's email is one of
    its own, so the import cannot be used to learn which emails are registered."""
    lead = await api.person("prober")
    taken = await api.person("registered")
    exchange = sample_project()
    alice, bjorn, consensus = exchange.users
    free = f"nobody-{taken.id[:8]}@example.org"
    exchange.users = [
        ExchangeUser(alice.guid, alice.name, taken.email),
        ExchangeUser(bjorn.guid, bjorn.name, free),
        consensus,
    ]
    body = await _upload(api, IMPORT_PROJECT, {}, "probe.qdpx", write_qdpx(exchange), lead)
    users = body["data"]["importProject"]["users"]
    assert [u["matchedBy"] for u in users] == ["CREATED", "CREATED"]
    emails = [u["account"]["email"] for u in users]
    assert all(e.endswith("@" + PLACEHOLDER_DOMAIN) for e in emails)
    assert taken.email not in emails and free not in emails
    assert await api.pool.fetchval("SELECT count(*) FROM users WHERE lower(email) = $1", free) == 0
