from __future__ import annotations

from accord.interop.guids import as_guid, is_guid, stable_guid


def test_stable_guids_are_deterministic_and_distinct_per_kind() -> None:
    assert stable_guid("code", 7) == stable_guid("code", 7)
    assert stable_guid("code", 7) != stable_guid("document", 7)
    assert is_guid(stable_guid("code", 7))


def test_as_guid_keeps_guids_and_derives_the_rest() -> None:
    guid = "{0F8A1907-7E42-4739-8610-A676B4D1B69F}"
    assert as_guid(guid) == guid
    assert is_guid(as_guid("doc-1"))
    assert not is_guid("{0F8A1907-7E42-4739-8610-A676B4D1B69F")
