"""`accord export --format report` with the bootstrap method and the population."""

from __future__ import annotations

import re
from pathlib import Path

import asyncpg

from tests.test_cli import accord
from tests.test_exchange_cli import _account, sample

__all__ = ["sample"]


async def test_report_export_takes_bootstrap_method_and_population(
    database_url: str, pool: asyncpg.Pool, sample: Path, tmp_path: Path
) -> None:
    lead = await _account(pool, "lead")
    done = accord(database_url, "import", str(sample), "--as", lead)
    assert done.returncode == 0, done.stderr
    found = re.search(r"created project ([0-9a-f-]{36})", done.stdout)
    assert found
    report = tmp_path / "report.html"
    done = accord(
        database_url, "export", found.group(1), "--format", "report", "--as", lead,
        "--unit-mode", "UNITS", "--bootstrap", "200", "--bootstrap-method", "units",
        "--population", "50", "-o", str(report),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    page = report.read_text(encoding="utf-8")
    assert "bootstrap over units (units resampled with replacement)" in page
    assert "finite population of 50 units" in page
    done = accord(
        database_url, "export", found.group(1), "--format", "report", "--as", lead,
        "--population", "0", "-o", str(report),
    )  # fmt: skip
    assert done.returncode != 0
    assert "population" in done.stderr
