"""The archive bounds of an import follow ACCORD_MAX_UPLOAD_BYTES once it is raised."""

from __future__ import annotations

from accord.config import Settings
from accord.exchange.importing import limits_for
from accord.interop.limits import DEFAULT_LIMITS


def test_default_uploads_keep_the_default_archive_bounds() -> None:
    limits = limits_for(Settings.from_env({}))
    assert limits.max_file_bytes == 10_000_000
    assert limits.max_entry_bytes == DEFAULT_LIMITS.max_entry_bytes
    assert limits.max_total_bytes == DEFAULT_LIMITS.max_total_bytes
    assert limits.max_entries == DEFAULT_LIMITS.max_entries


def test_larger_uploads_may_hold_what_they_compress() -> None:
    limits = limits_for(Settings.from_env({"ACCORD_MAX_UPLOAD_BYTES": "100000000"}))
    assert limits.max_file_bytes == 100_000_000
    assert limits.max_entry_bytes == 1_000_000_000
    assert limits.max_total_bytes == 2_000_000_000
