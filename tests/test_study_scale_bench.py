"""bench/study_scale.py at its tiny size: every operation it times works end to end (a
refused import, report or export raises), and the table names each one."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import asyncpg

from accord.users import service as users
from tests.support import REPO_ROOT


def bench_module() -> ModuleType:
    path = REPO_ROOT / "bench" / "study_scale.py"
    spec = importlib.util.spec_from_file_location("study_scale", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["study_scale"] = module
    spec.loader.exec_module(module)
    return module


async def test_the_scaling_bench_runs_every_operation_at_tiny_size(
    database_url: str, pool: asyncpg.Pool
) -> None:
    bench = bench_module()
    async with pool.acquire() as conn, conn.transaction():
        lead = await users.create_user(conn, "scale-lead@example.org", "Lead", "lead-pw-123456")
        token = (await users.create_token(conn, lead, "bench")).token
    size = bench.SIZES["tiny"]
    rows = await bench.run_size(size, bench.bench_settings(database_url), database_url, token, 1)
    assert [r.operation for r in rows] == [
        "import .qdpx",
        "open a document",
        "agreement continuum +boot",
        "agreement units +boot",
        "startConsensus",
        "export .qdpx",
    ]
    assert all(r.seconds > 0 and r.server_mb > 0 for r in rows)
    assert f"{size.per_coder * size.coders} codings" in rows[1].note
    table = bench.report(rows)
    lines = [line for line in table.splitlines() if line.startswith("| ")]
    assert len(lines) == len(rows) + 1  # the header, then one row per operation
    assert bench.slope([(10, 1.0), (100, 10.0), (1000, 100.0)]) == 1.0
