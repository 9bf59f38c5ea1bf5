"""The printable report names every interval's method, says when there is none, and in
CHARACTER mode lists character κ per document under the pooled figure."""

from __future__ import annotations

import re
from html import unescape
from uuid import UUID

import asyncpg
import pytest

from accord.reports import agreement
from accord.users.model import User
from tests.test_report_html import _report, run

__all__ = ["run"]


def _section(page: str, title: str) -> str:
    found = re.search(rf"<h2>{title}</h2>(.*?)(<h2>|</body>)", page, re.S)
    assert found, title
    return unescape(found.group(1))


async def test_continuum_bootstrap_is_named_in_cells_and_section(
    pool: asyncpg.Pool, run: tuple[User, UUID]
) -> None:
    lead, pid = run
    req = agreement.AgreementRequest(bootstrap_resamples=200, bootstrap_seed=5)
    page, result = await _report(pool, lead, pid, req)
    with_interval = [c for c in result.coefficients.values() if c.interval is not None]
    assert with_interval, result.coefficients
    overall = _section(page, "Overall")
    assert "(bootstrap, documents)" in overall
    intervals = _section(page, "Intervals")
    assert "cluster bootstrap over documents (documents resampled with replacement)" in intervals
    assert "200 resamples, seed 5" in intervals
    methods = unescape(re.search(r'id="methods">(.*?)</p>', page, re.S).group(1))  # type: ignore[union-attr]
    headline = result.coefficients[result.headline]
    if headline.interval is not None:
        assert "cluster bootstrap over documents" in methods
    # Per document, one document each: the cell says why there is no interval.
    for document in result.per_document:
        for c in document.coefficients.values():
            if c.value is not None:
                assert c.no_interval_reason and "one document" in c.no_interval_reason


async def test_units_mode_shows_standard_errors(pool: asyncpg.Pool, run: tuple[User, UUID]) -> None:
    lead, pid = run
    req = agreement.AgreementRequest(unit_mode="UNITS", unit_kind="PARAGRAPH")
    page, _ = await _report(pool, lead, pid, req)
    assert "Gwet SE; SE " in _section(page, "Per code")
    assert "Gwet (2014) linearised variance" in _section(page, "Intervals")


async def test_character_mode_lists_kappa_per_document(
    pool: asyncpg.Pool, run: tuple[User, UUID]
) -> None:
    lead, pid = run
    page, result = await _report(pool, lead, pid, agreement.AgreementRequest(unit_mode="CHARACTER"))
    table = _section(page, "Character κ per document")
    assert "The per-code character κ above is pooled over" in table
    assert len(result.character_per_document) >= 2
    for row in result.character_per_document:
        assert row.document in table


async def test_report_links_carry_the_bootstrap_method_and_population(
    pool: asyncpg.Pool, run: tuple[User, UUID]
) -> None:
    from accord.errors import InvalidInput
    from accord.http.downloads import _agreement, request_to_query

    req = agreement.AgreementRequest(
        unit_mode="UNITS", bootstrap_resamples=200, bootstrap_method="units", population=90
    )
    assert _agreement(request_to_query(req)) == req
    lead, pid = run
    page, result = await _report(pool, lead, pid, req)
    assert result.parameters["bootstrap"]["method"] == "units"
    assert result.parameters["population"] == 90
    assert "bootstrap over units" in _section(page, "Intervals")
    bad = agreement.AgreementRequest(bootstrap_resamples=200, bootstrap_method="jackknife")
    async with pool.acquire() as conn:
        with pytest.raises(InvalidInput, match="PAIRS or UNITS") as exc:
            await agreement.compute(conn, lead, pid, bad)
    assert exc.value.field == "bootstrap"
