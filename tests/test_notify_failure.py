"""A write that commits and then fails to NOTIFY is acknowledged (issue 10, #15).

The fault is real and made in PostgreSQL: this database's search path puts ``public``
before ``pg_catalog``, and ``public.pg_notify`` refuses while ``notify_faults`` has a
row. The mutation's transaction commits; the NOTIFY sent after it fails. The client must
get its result (a retry would otherwise meet CONFLICT), and a subscriber must still
receive the event, from the events table, with the next notification.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import asyncpg
import httpx
import pytest_asyncio
from asgi_lifespan import LifespanManager

from accord.app import create_app
from accord.db.pool import create_pool
from accord.db.target import apply_migrations
from tests.conftest import SECRET_KEY, settings_for
from tests.support import Api
from tests.test_subscriptions import connect, next_event, subscribe

FAULT = """
CREATE TABLE public.notify_faults (reason text);
CREATE FUNCTION public.pg_notify(channel text, payload text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM public.notify_faults) THEN
        RAISE EXCEPTION 'NOTIFY refused: %', (SELECT reason FROM public.notify_faults LIMIT 1);
    END IF;
    PERFORM pg_catalog.pg_notify(channel, payload);
END $$;
"""


@pytest_asyncio.fixture(scope="module")
async def faulty(
    make_database: Callable[[], Awaitable[str]],
) -> AsyncIterator[tuple[Api, Any]]:
    url = await make_database()
    await apply_migrations(url)
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(FAULT)
        name = await conn.fetchval("SELECT current_database()")
        # Placed explicitly last, pg_catalog's functions lose to public's of the same name.
        await conn.execute(f"ALTER DATABASE {name} SET search_path = public, pg_catalog")
    finally:
        await conn.close()
    settings = settings_for(url)
    app = create_app(settings, url, SECRET_KEY)
    pool = await create_pool(url, settings, min_size=1, max_size=2)
    try:
        async with LifespanManager(app) as manager:
            transport = httpx.ASGITransport(app=manager.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
                yield Api(c, pool), manager.app
    finally:
        await pool.close()


ADD = """mutation($p: ID!, $e: String!) { addMember(projectId: $p, email: $e, role: CODER) {
  __typename ... on Member { role } ... on UserError { code message } } }"""


async def test_a_failed_notify_after_commit_is_acknowledged_and_caught_up(
    faulty: tuple[Api, Any],
) -> None:
    api, app = faulty
    lead, coder = await api.person("lead"), await api.person("coder")
    project = await api.project(lead)
    async with connect(app, {"authorization": f"Bearer {lead.token}"}) as ws:
        await subscribe(ws, api, lead, project)
        async with api.pool.acquire() as conn:
            await conn.execute("INSERT INTO notify_faults VALUES ('the test says so')")
        try:
            body = await api.raw(ADD, {"p": project, "e": coder.email}, as_=lead)
        finally:
            async with api.pool.acquire() as conn:
                await conn.execute("DELETE FROM notify_faults")
        assert "errors" not in body, body
        assert body["data"]["addMember"] == {"__typename": "Member", "role": "CODER"}
        # It committed: the member is there, and a retry says so.
        again = (await api.gql(ADD, {"p": project, "e": coder.email}, as_=lead))["addMember"]
        assert again["code"] == "CONFLICT", again

        # The next notified event brings the one whose NOTIFY failed, first.
        name = f"after-{secrets.token_hex(3)}"
        renamed = await api.gql(
            """mutation($p: ID!, $n: String!) { updateProject(id: $p, name: $n) {
                 __typename } }""",
            {"p": project, "n": name},
            as_=lead,
        )
        assert renamed["updateProject"]["__typename"] == "Project"
        first = await next_event(ws)
        assert first["kind"] == "member.added", first
        assert first["after"]["userId"] == coder.id
        second = await next_event(ws)
        assert second["kind"] == "project.updated" and second["after"]["name"] == name
