"""The committed SDL is the schema the code builds."""

from __future__ import annotations

from server.cli.schema import DEFAULT_PATH
from server.config import REPO_ROOT
from server.graphql.schema import sdl


def test_schema_file_is_current() -> None:
    assert DEFAULT_PATH == REPO_ROOT / "schema" / "schema.graphql"
    committed = DEFAULT_PATH.read_text(encoding="utf-8")
    assert committed == sdl(), (
        "schema/schema.graphql is stale: run `accord export-schema` and commit the result."
    )
