"""The rules a new password must meet, and the addresses one-time links are built on."""

from __future__ import annotations

import pytest

from accord.auth.password_policy import check_new_password, common_passwords, is_common
from accord.config import ConfigError, Settings
from accord.errors import InvalidInput
from accord.links import base_url, invitation_link, reset_link

NEW_PASSWORD = "tide tables at dawn"


def test_password_rules() -> None:
    assert len(common_passwords()) > 8000
    assert all(len(p) >= 8 for p in common_passwords())
    assert is_common("Password123") and is_common("  QWERTYUIOP ")
    assert not is_common(NEW_PASSWORD)
    check_new_password("k7#qv0pz!m")
    with pytest.raises(InvalidInput, match="at least 10 characters"):
        check_new_password("x" * 9)
    with pytest.raises(InvalidInput, match="at least 12 characters"):
        check_new_password("x" * 11, min_length=12)
    with pytest.raises(InvalidInput, match="at least 10 characters"):
        check_new_password("   123456   ")  # a short common password padded with spaces
    with pytest.raises(InvalidInput, match="most common"):
        check_new_password("iloveyou12")
    with pytest.raises(InvalidInput, match="at most 1024"):
        check_new_password("x" * 1025)


def test_link_addresses() -> None:
    unset = Settings.from_env({})
    public = Settings.from_env({"ACCORD_PUBLIC_URL": "https://qda.example.org/accord/"})
    assert base_url(unset, "http://testserver/") == "http://testserver"
    assert base_url(unset, "wss://qda.example.org/") == "https://qda.example.org"
    assert base_url(unset, None) == "http://127.0.0.1:8000"
    assert base_url(public, "http://127.0.0.2:8000/") == "https://qda.example.org/accord"
    assert invitation_link("https://a.example", "t0k") == "https://a.example/invite/t0k"
    assert reset_link("https://a.example/", "t0k") == "https://a.example/reset/t0k"
    with pytest.raises(ConfigError, match="ACCORD_PUBLIC_URL"):
        Settings.from_env({"ACCORD_PUBLIC_URL": "qda.example.org"})
    with pytest.raises(ConfigError, match="ACCORD_PASSWORD_MIN_LENGTH must be at least 8"):
        Settings.from_env({"ACCORD_PASSWORD_MIN_LENGTH": "6"})
