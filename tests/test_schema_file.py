"""The committed SDL is the schema the code builds."""

from __future__ import annotations

from accord.cli.schema import DEFAULT_PATH
from accord.graphql.schema import sdl
from tests.support import REPO_ROOT


def test_schema_file_is_current() -> None:
    assert (REPO_ROOT / DEFAULT_PATH).is_file()
    committed = (REPO_ROOT / DEFAULT_PATH).read_text(encoding="utf-8")
    assert committed == sdl(), (
        "schema/schema.graphql is stale: run `accord export-schema` and commit the result."
    )
