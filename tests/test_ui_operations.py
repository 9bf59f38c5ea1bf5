"""Every GraphQL operation the web UI sends is valid against the live schema.

The UI's operations live in `.graphql` files under web/src; its types are generated from
the committed SDL. Validating the files here against the schema the code builds means an
API change that breaks the UI fails in Python, on a machine without Node.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import GraphQLSchema, OperationDefinitionNode, parse, validate

from accord.graphql.schema import build_schema
from tests.support import REPO_ROOT

OPERATION_FILES = sorted((REPO_ROOT / "web" / "src").rglob("*.graphql"))


@pytest.fixture(scope="module")
def schema() -> GraphQLSchema:
    built = build_schema()
    return built._schema


def test_the_ui_has_operations() -> None:
    assert OPERATION_FILES, "no .graphql files under web/src"


@pytest.mark.parametrize(
    "path", OPERATION_FILES, ids=[p.relative_to(REPO_ROOT).as_posix() for p in OPERATION_FILES]
)
def test_operation_is_valid(schema: GraphQLSchema, path: Path) -> None:
    document = parse(path.read_text(encoding="utf-8"))
    errors = validate(schema, document)
    assert not errors, "\n".join(f"{path.name}: {error.message}" for error in errors)
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            assert definition.name, f"{path.name}: every operation has a name (codegen types it)"


def test_operation_names_are_unique() -> None:
    names: dict[str, Path] = {}
    for path in OPERATION_FILES:
        for definition in parse(path.read_text(encoding="utf-8")).definitions:
            if isinstance(definition, OperationDefinitionNode) and definition.name:
                name = definition.name.value
                assert name not in names, f"{name} is in both {names[name]} and {path}"
                names[name] = path
