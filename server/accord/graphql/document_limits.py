"""Limits on a GraphQL document, applied before the work they guard.

**Fields.** Refuse documents with too many fields before they are validated.

Validating a document costs more than linear time in its fields (checking that fields
with one response name can merge compares them pairwise): about 900 copies of one field
cost a second of event-loop time, and renaming the operation gave a new text that the
validation cache had never seen. So the fields are counted first, in one pass over the
parsed document, and a document over ``ACCORD_MAX_QUERY_FIELDS`` is refused with
TOO_LARGE whatever its operation is called. A fragment counts once per place it is
spread, so nesting fragments cannot multiply the work unseen.

**Tokens.** The parser stops at ``ACCORD_MAX_TOKENS``. Its refusal must come back as an
error of the operation (TOO_LARGE, see :mod:`accord.graphql.masking`), not escape it, as
it did from strawberry's parser cache (a bare ``complete`` over WebSocket).
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from strawberry.extensions import ParserCache, ValidationCache


def _walk(selection_set: SelectionSetNode | None) -> tuple[int, list[str]]:
    """Fields in a selection set and its nested ones, and the fragments it spreads (once
    per spread). Iterative: the nesting is bounded only by the token limit."""
    fields, spreads = 0, []
    stack = [selection_set]
    while stack:
        current = stack.pop()
        if current is None:
            continue
        for selection in current.selections:
            if isinstance(selection, FieldNode):
                fields += 1
                stack.append(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                stack.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                spreads.append(selection.name.value)
    return fields, spreads


def count_fields(document: DocumentNode, limit: int) -> int:
    """The fields validation would consider, fragments expanded where spread; once past
    ``limit`` the count stops growing (it only has to say "too many")."""
    own: dict[str, tuple[int, list[str]]] = {}
    operations = []
    for definition in document.definitions:
        if isinstance(definition, FragmentDefinitionNode):
            own[definition.name.value] = _walk(definition.selection_set)
        elif isinstance(definition, OperationDefinitionNode):
            operations.append(_walk(definition.selection_set))
    expanded: dict[str, int] = {}

    def total(name: str) -> int:
        # Fragments resolved leaves first with an explicit stack; a cycle (which
        # validation refuses anyway) counts as nothing more.
        pending: list[tuple[str, Iterator[str]]] = []
        on_stack = {name}
        pending.append((name, iter(own.get(name, (0, []))[1])))
        while pending:
            current, spreads = pending[-1]
            step = next((s for s in spreads if s not in expanded and s not in on_stack), None)
            if step is not None and step in own:
                on_stack.add(step)
                pending.append((step, iter(own[step][1])))
                continue
            if step is not None:
                expanded[step] = 0  # an unknown fragment: validation reports it
                continue
            fields, names = own.get(current, (0, []))
            expanded[current] = min(limit + 1, fields + sum(expanded.get(n, 0) for n in names))
            on_stack.discard(current)
            pending.pop()
        return expanded[name]

    count = sum(fields for fields, _ in own.values())
    for fields, names in operations:
        count += fields + sum(total(n) if n in own else 0 for n in names)
        if count > limit:
            return limit + 1
    return min(count, limit + 1)


class ReportingParserCache(ParserCache):
    """Strawberry's parser cache, except that a document it cannot parse is left for
    strawberry's own parse step, which reports the error as the operation's result."""

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        try:
            context.graphql_document = self.cached_parse_document(
                context.query, **context.parse_options
            )
        except GraphQLError:
            context.graphql_document = None
        yield


class FieldLimitedValidation(ValidationCache):
    """Strawberry's validation cache, behind a field count that no cache miss skips."""

    def __init__(self, max_fields: int, maxsize: int) -> None:
        super().__init__(maxsize=maxsize)
        self.max_fields = max_fields

    def on_validate(self) -> Iterator[None]:
        document = self.execution_context.graphql_document
        if document is not None and count_fields(document, self.max_fields) > self.max_fields:
            self.execution_context.pre_execution_errors = [
                GraphQLError(
                    f"This document has more than {self.max_fields:,} fields, counting a "
                    "fragment each time it is used (ACCORD_MAX_QUERY_FIELDS). Ask for fewer "
                    "fields, or split it into several requests.",
                    extensions={"code": "TOO_LARGE"},
                )
            ]
            yield
            return
        yield from super().on_validate()
