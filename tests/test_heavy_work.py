"""Heavy work runs in worker processes, within limits: bootstrap resamples, an estimate
of the work refused up front, a time budget that really stops the computation, a few
heavy requests per account at once; and the workers end with the app."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

import asyncpg
import httpx
import psutil
from asgi_lifespan import LifespanManager

from accord.app import create_app
from accord.reports import agreement, agreement_cost
from accord.reports.agreement_compute import AgreementRequest, distinct_sets
from accord.users import service as users
from tests.conftest import SECRET_KEY, settings_for
from tests.heavy_study import AGREEMENT, heavy_qdpx, import_study, units_input
from tests.support import Api


def workers() -> set[int]:
    """This process's live worker processes (spawned children, not the resource tracker)."""
    found = set()
    for child in psutil.Process().children():
        try:
            command = " ".join(child.cmdline())
            if "spawn_main" in command and child.status() != psutil.STATUS_ZOMBIE:
                found.add(child.pid)
        except psutil.NoSuchProcess:
            continue
    return found


def alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@asynccontextmanager
async def heavy_app(database_url: str, pool: asyncpg.Pool, **env: str) -> AsyncIterator[Api]:
    app = create_app(settings_for(database_url, **env), database_url, SECRET_KEY)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield Api(c, pool)


async def study(api: Api, *, chars: int, codings: int, tag: str) -> tuple[Any, str]:
    lead = await api.person("lead")
    data, _ = heavy_qdpx(chars=chars, codings=codings, tag=tag + lead.id[:8])
    return lead, await import_study(api.client, lead.token, data)


async def test_resamples_over_the_setting_are_too_large(api: Api) -> None:
    lead, project = await study(api, chars=3_000, codings=60, tag="resamples")
    body = await api.raw(AGREEMENT, {"p": project, "i": units_input(50_000)}, as_=lead)
    [error] = body["errors"]
    assert error["extensions"]["code"] == "TOO_LARGE"
    assert "ACCORD_MAX_BOOTSTRAP_RESAMPLES" in error["message"]
    fine = await api.gql(AGREEMENT, {"p": project, "i": units_input(200)}, as_=lead)
    assert fine["agreement"]["headline"] == "UNITS_MASI_ALPHA"


async def test_too_much_work_is_refused_up_front_saying_what_to_reduce(
    database_url: str, pool: asyncpg.Pool
) -> None:
    async with heavy_app(database_url, pool, ACCORD_MAX_AGREEMENT_WORK="2000") as api:
        lead, project = await study(api, chars=3_000, codings=60, tag="work")
        body = await api.raw(AGREEMENT, {"p": project, "i": units_input(1_000)}, as_=lead)
        [error] = body["errors"]
        assert error["extensions"]["code"] == "TOO_LARGE"
        for words in ("ACCORD_MAX_AGREEMENT_WORK", "60 segments", "3 coders", "To make it"):
            assert words in error["message"], error["message"]
        # Refused on the event loop, from the sizes read, before a worker was asked.
        assert "different sets of codes" not in error["message"]


async def test_the_code_sets_the_units_hold_are_counted_before_the_engine_runs(
    database_url: str, pool: asyncpg.Pool, api: Api
) -> None:
    lead, project = await study(api, chars=30_000, codings=900, tag="sets")
    request = AgreementRequest(unit_mode="UNITS", unit_kind="SENTENCE")
    async with pool.acquire() as conn:
        user = await users.user_by_email(conn, lead.email)
        inputs = await agreement.load(conn, user, UUID(project), request, None)
    names = list(inputs.study.coders.values())
    sizes_only = agreement_cost.estimate(inputs).total
    with_sets = agreement_cost.estimate(inputs, distinct_sets(request, inputs.study, names)).total
    assert with_sets > sizes_only
    limit = str((sizes_only + with_sets) // 2)  # passes the first check, not the second
    async with heavy_app(database_url, pool, ACCORD_MAX_AGREEMENT_WORK=limit) as limited:
        body = await limited.raw(AGREEMENT, {"p": project, "i": units_input()}, as_=lead)
    [error] = body["errors"]
    assert error["extensions"]["code"] == "TOO_LARGE"
    assert "different sets of codes" in error["message"], error["message"]


async def test_a_computation_past_its_time_budget_is_stopped_for_real(
    database_url: str, pool: asyncpg.Pool
) -> None:
    env = {
        "ACCORD_COMPUTE_TIMEOUT_SECONDS": "1",
        "ACCORD_HEAVY_WORKERS": "1",
        "ACCORD_MAX_AGREEMENT_WORK": "1000000000000",
    }
    others = workers()  # of the apps other tests made
    async with heavy_app(database_url, pool, **env) as api:
        lead, project = await study(api, chars=30_000, codings=900, tag="budget")
        small = await api.gql(AGREEMENT, {"p": project}, as_=lead)
        assert small["agreement"]["headline"] == "U_ALPHA"
        [worker] = workers() - others  # this app's one worker
        body = await api.raw(AGREEMENT, {"p": project, "i": units_input(20_000)}, as_=lead)
        [error] = body["errors"]
        assert error["extensions"]["code"] == "TOO_LARGE"
        assert "ACCORD_COMPUTE_TIMEOUT_SECONDS" in error["message"]
        assert "was stopped" in error["message"]
        for _ in range(100):  # pebble terminates the worker within its own grace period
            if not alive(worker):
                break
            await asyncio.sleep(0.1)
        assert not alive(worker), "the timed-out computation's worker is still running"
        again = await api.gql(AGREEMENT, {"p": project}, as_=lead)  # a fresh worker
        assert again["agreement"]["headline"] == "U_ALPHA"


async def test_one_account_runs_a_limited_number_of_heavy_requests_at_once(
    database_url: str, pool: asyncpg.Pool
) -> None:
    async with heavy_app(database_url, pool, ACCORD_MAX_HEAVY_PER_USER="1") as api:
        lead, project = await study(api, chars=30_000, codings=900, tag="peruser")
        other, theirs = await study(api, chars=3_000, codings=60, tag="other")
        heavy = {"p": project, "i": units_input(2_000)}
        first, second, others = await asyncio.gather(
            api.raw(AGREEMENT, heavy, as_=lead),
            api.raw(AGREEMENT, heavy, as_=lead),
            api.raw(AGREEMENT, {"p": theirs}, as_=other),
        )
        answers = [first, second]
        refused = [b for b in answers if b.get("errors")]
        assert len(refused) == 1, answers
        assert refused[0]["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
        assert "ACCORD_MAX_HEAVY_PER_USER" in refused[0]["errors"][0]["message"]
        assert next(b for b in answers if not b.get("errors"))["data"]["agreement"]
        assert others["data"]["agreement"], others  # another account is not held back
        after = await api.gql(AGREEMENT, heavy, as_=lead)  # the slot is given back
        assert after["agreement"]["headline"] == "UNITS_MASI_ALPHA"


async def test_the_workers_end_with_the_app(database_url: str, pool: asyncpg.Pool) -> None:
    before = workers()
    async with heavy_app(database_url, pool, ACCORD_HEAVY_WORKERS="2") as api:
        lead, project = await study(api, chars=3_000, codings=60, tag="end")
        await api.gql(AGREEMENT, {"p": project}, as_=lead)
        started = workers() - before
        assert started
    assert not [pid for pid in started if alive(pid)]


async def test_a_report_export_meets_the_same_limits(api: Api) -> None:
    lead, project = await study(api, chars=3_000, codings=60, tag="export")
    agreement = json.dumps({"unit_mode": "UNITS", "bootstrap_resamples": 50_000})
    response = await api.client.get(
        f"/exports/{project}",
        params={"format": "report", "agreement": agreement},
        headers={"authorization": f"Bearer {lead.token}"},
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "TOO_LARGE"
    fine = await api.client.get(
        f"/exports/{project}",
        params={"format": "report"},
        headers={"authorization": f"Bearer {lead.token}"},
    )
    assert fine.status_code == 200 and b"<html" in fine.content.lower()
