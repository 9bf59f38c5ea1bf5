"""The committed UI build is made from the committed sources.

`npm run build` in web/ writes server/accord/ui/ and a stamp: one hash of web/ (without
node_modules) and schema/schema.graphql, computed by web/scripts/stamp.mjs. This test
computes the same hash, so a change to the UI's sources, its lockfile or the API's SDL
without a rebuild fails here, on a machine with no Node.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from accord.resources import ui_dir
from tests.support import REPO_ROOT

WEB = REPO_ROOT / "web"
SKIP = {"node_modules", ".vite", "coverage", "test-results"}


def _files(folder: Path) -> list[Path]:
    found: list[Path] = []
    for path in folder.iterdir():
        if path.name in SKIP:
            continue
        found.extend(_files(path) if path.is_dir() else [path])
    return found


def source_stamp() -> str:
    paths = sorted(
        path.relative_to(REPO_ROOT).as_posix()
        for path in [*_files(WEB), REPO_ROOT / "schema" / "schema.graphql"]
    )
    total = hashlib.sha256()
    for path in paths:
        digest = hashlib.sha256((REPO_ROOT / path).read_bytes()).hexdigest()
        total.update(f"{path}\0{digest}\n".encode())
    return total.hexdigest()


def test_committed_ui_build_is_current() -> None:
    committed = (ui_dir() / "build-stamp.txt").read_text(encoding="utf-8").strip()
    assert committed == source_stamp(), (
        "The committed UI build is stale: run `npm ci && npm run build` in web/ and commit "
        "server/accord/ui/ (the sources, the lockfile or schema/schema.graphql changed)."
    )


def test_build_has_the_app_and_the_explorer() -> None:
    assert (ui_dir() / "index.html").is_file()
    assert (ui_dir() / "explorer.html").is_file()
    assert any((ui_dir() / "assets").glob("*.js"))
