"""The printable reliability report: the run's numbers in its methods paragraph, tables,
the inline SVG chart, escaping of user text, and opening in a headless browser."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path
from typing import Any
from uuid import UUID

import asyncpg
import pytest

from accord.agreement.methods import number
from accord.config import Settings
from accord.exchange import exporting, importing, report_html
from accord.interop import write_qdpx
from accord.reports import agreement
from accord.users import service as users
from accord.users.model import User
from tests.interop.sample import sample_project
from tests.support import Api

HOSTILE = "<script>alert('x')</script>"


async def _lead(app_client: Any, pool: asyncpg.Pool) -> User:
    person = await Api(app_client, pool).person("lead")
    async with pool.acquire() as conn:
        return await users.user_by_email(conn, person.email)


@pytest.fixture(scope="module")
async def run(app_client: Any, pool: asyncpg.Pool, settings: Settings) -> tuple[User, UUID]:
    """The sample project with a hostile project name and code name."""
    lead = await _lead(app_client, pool)
    exchange = sample_project()
    exchange.name = f"Study {HOSTILE}"
    exchange.codes[1].name = f"Shame {HOSTILE}"
    async with pool.acquire() as conn, conn.transaction():
        outcome = await importing.import_file(conn, settings, lead, write_qdpx(exchange), "s.qdpx")
    return lead, outcome.project_id


async def _report(
    pool: asyncpg.Pool, lead: User, pid: UUID, req: agreement.AgreementRequest
) -> tuple[str, agreement.AgreementResult]:
    async with pool.acquire() as conn:
        export = await exporting.export_project(conn, lead, pid, "report", request=req)
        result = await agreement.compute(conn, lead, pid, req)
    return export.content.decode(), result


def _methods(page: str) -> str:
    found = re.search(r'<p class="methods" id="methods">(.*?)</p>', page, re.S)
    assert found
    return unescape(found.group(1))


async def test_methods_paragraph_carries_the_numbers_of_the_run(
    run: tuple[User, UUID], pool: asyncpg.Pool
) -> None:
    lead, pid = run
    page, result = await _report(pool, lead, pid, agreement.AgreementRequest())
    methods = _methods(page)
    headline = result.coefficients[result.headline]
    assert headline.value is not None
    assert "Krippendorff's uα (Krippendorff, Mathet, Bouvry & Widlöcher, 2016)" in methods
    assert "continuum of characters" in methods
    assert "2 coders coded 2 documents" in methods
    assert f"{result.counts['continuum_length']:,} characters" in methods
    assert f"was {number('u_alpha', headline.value)}" in methods
    assert "no bootstrap was run" in methods
    assert f"at least {result.alpha_min:.3f}" in methods
    assert result.verdict is not None
    assert report_html.VERDICTS[result.verdict] in methods


async def test_units_mode_with_bootstrap_gives_intervals(
    run: tuple[User, UUID], pool: asyncpg.Pool
) -> None:
    lead, pid = run
    req = agreement.AgreementRequest(
        unit_mode="UNITS", unit_kind="SPEAKER_TURN", bootstrap_resamples=200, bootstrap_seed=3
    )
    page, result = await _report(pool, lead, pid, req)
    methods = _methods(page)
    headline = result.coefficients[result.headline]
    assert "α with the MASI distance" in methods
    assert f"{result.counts['units']:,} speaker turns" in methods
    assert (
        headline.value is not None and f"was {number(result.headline, headline.value)}" in methods
    )
    cis = [
        c
        for b in result.per_code
        for c in b.coefficients.values()
        if c.ci_low is not None and c.ci_high is not None
    ]
    assert cis
    for key, c in [(k, c) for b in result.per_code for k, c in b.coefficients.items()]:
        if c.ci_low is not None and c.ci_high is not None:
            assert f"[{number(key, c.ci_low)}, {number(key, c.ci_high)}]" in page
    assert "95% confidence intervals in the per-code table" in methods
    assert 'stroke="#333"' in page  # CI whiskers in the chart
    caption = re.search(r"<figcaption>(.*?)</figcaption>", page, re.S)
    assert caption and unescape(caption.group(1)).endswith(
        "whiskers show the 95% CI where one was computed (its method under Intervals); dashed "
        "lines mark the thresholds."
    )
    assert "200 resamples, seed 3" in page
    excluded = result.counts["units_excluded"]  # carried from the engine in units mode
    said = "none" if not excluded else f"{excluded:,}: fewer than two coders gave a value"
    assert f"<tr><th>Units excluded</th><td>{said}</td></tr>" in page
    assert headline.ci_low is not None and headline.ci_high is not None  # MASI α's own CI
    key = result.headline
    assert f"{number(key, headline.ci_low)} to {number(key, headline.ci_high)}" in methods


async def test_report_is_self_contained_printable_and_escaped(
    run: tuple[User, UUID], pool: asyncpg.Pool
) -> None:
    lead, pid = run
    page, result = await _report(pool, lead, pid, agreement.AgreementRequest())
    assert page.startswith("<!DOCTYPE html>")
    assert "@media print" in page and "@page" in page
    assert "<svg" in page and "<circle" in page
    assert not re.search(r"<(script|link|img)\b", page)  # nothing loaded from elsewhere
    assert "&lt;script&gt;" in page
    assert "Shame &lt;script&gt;" in page
    for pair in result.coder_pairs:
        a, _, b = pair.key.partition("|")
        assert f"<th>{a}</th>" in page and f"<th>{b}</th>" in page
    assert "Units excluded" not in page  # a continuum has no units
    assert "Documents not compared" in page
    for section in ("Parameters", "Overall", "Per code", "Coder pairs", "Units and exclusions"):
        assert f"<h2>{section}</h2>" in page


def _browser() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "headless_shell"):
        found = shutil.which(name)
        if found:
            return found
    return None


async def test_report_opens_in_headless_chromium(
    run: tuple[User, UUID], pool: asyncpg.Pool, tmp_path: Path
) -> None:
    browser = _browser()
    if browser is None:
        message = "no headless Chromium on this machine (Debian: apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)  # in CI a missing browser is a failure, never a skip
        pytest.skip(message)
    lead, pid = run
    page, _result = await _report(pool, lead, pid, agreement.AgreementRequest())
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    done = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", path.as_uri()],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert _methods(page)[:40] in unescape(done.stdout)
