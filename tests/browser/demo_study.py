"""A copy of the demo study for a browser test, built the way `accord serve --demo` builds
it (accord.demo), so each test changes a study of its own."""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass

from playwright.async_api import Page

from accord.demo import content, loader
from accord.users import service as users
from tests.browser.conftest import Live
from tests.conftest import settings_for
from tests.support import Person


@dataclass
class DemoCopy:
    project_id: str
    lead: Person
    coders: dict[str, Person]  # "ingrid", "lars"
    documents: dict[str, str]  # title -> id

    def document(self, start: str) -> str:
        """The id of the document whose title starts with ``start``."""
        return next(i for t, i in self.documents.items() if t.startswith(start))


async def demo_copy(live: Live) -> DemoCopy:
    async with live.pool.acquire() as conn:
        project_id = await loader.load_copy(conn, settings_for("postgresql://unused/demo"))
        people: dict[str, Person] = {}
        for key, email, name, password, _role in content.ACCOUNTS:
            user = await users.user_by_email(conn, email)
            token = await users.create_token(conn, user, "browser tests")
            people[key] = Person(str(user.id), email, name, token.token, password)
        rows = await conn.fetch(
            "SELECT id, title FROM documents WHERE project_id = $1 ORDER BY seq", project_id
        )
    return DemoCopy(
        project_id=str(project_id),
        lead=people["lead"],
        coders={k: v for k, v in people.items() if k != "lead"},
        documents={r["title"]: str(r["id"]) for r in rows},
    )


async def second_lead(live: Live, study: DemoCopy, name: str = "bodil") -> Person:
    lead = await live.api.person(name)
    await live.api.add_member(study.lead, study.project_id, lead, "LEAD")
    return lead


def socket_frames(page: Page) -> list[str]:
    """Every frame the page's sockets receive, from now on (call before `goto`)."""
    frames: list[str] = []
    page.on(
        "websocket",
        lambda ws: ws.on("framereceived", lambda payload: frames.append(str(payload))),
    )
    return frames


async def listening(live: Live, frames: list[str], study: DemoCopy) -> None:
    """Return once a page's live subscription hears the project: a probe change (a new
    project description) is made until one reaches the page's socket (`socket_frames`).
    Without it, a change made just after the page loaded could precede the
    subscription, as it could for a person."""
    for n in range(20):
        marker = f"probe {n} {secrets.token_hex(3)}"
        await live.api.gql(
            "mutation($p: ID!, $d: String!) { updateProject(id: $p, description: $d) "
            "{ __typename } }",
            {"p": study.project_id, "d": marker},
            as_=study.lead,
        )
        for _ in range(10):
            if any("project.updated" in f for f in frames):
                return
            await asyncio.sleep(0.1)
    raise AssertionError("the page's subscription never heard a probe change")
