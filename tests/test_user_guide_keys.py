"""The coder's section of the user guide lists every key the workspace's key list has."""

from __future__ import annotations

import re

from tests.support import REPO_ROOT


def test_every_workspace_key_is_in_the_user_guide() -> None:
    source = (REPO_ROOT / "web" / "src" / "coder" / "keys.ts").read_text(encoding="utf-8")
    keys = re.findall(r'\{ keys: "([^"]+)", what: "([^"]+)",', source)
    assert len(keys) >= 15
    guide = (REPO_ROOT / "docs" / "user-guide.md").read_text(encoding="utf-8")
    for k, what in keys:
        assert f"| {k} | {what} |" in guide, k
