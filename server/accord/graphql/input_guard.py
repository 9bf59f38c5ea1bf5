"""Refusing arguments that PostgreSQL cannot store, before any resolver sees them.

GraphQL and JSON let a client send text that is not storable text: NUL characters and
unpaired UTF-16 surrogates (``"\\ud800"``), and JSON scalars may hold NaN or Infinity.
Each would reach a service and fail inside PostgreSQL as an internal error. Every
argument of every root query and mutation passes through :class:`InputGuard` instead,
so the rule is applied in one place, to every field a feature adds, including nested
input objects, lists and JSON values. A mutation answers with an ``InvalidInputError``
member of its result union; a query with an ``INVALID_INPUT`` GraphQL error. The message
gives the value's whole path (``input.definition``, ``attributes.sites[0]``); ``field``
names the argument or input field, as every other user error does.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Any

from strawberry.extensions import FieldExtension
from strawberry.types import Info
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.utils.str_converters import to_camel_case

from accord.errors import InvalidInput
from accord.graphql.errors import to_error
from accord.text_input import unstorable


@dataclasses.dataclass(frozen=True)
class Problem:
    """An unstorable value: the argument or input field holding it (as the ``field`` of
    the error, the convention for every user error), its full path, and why."""

    field: str
    path: str
    reason: str

    @property
    def message(self) -> str:
        return f"{self.path} {self.reason}."


def first_problem(arguments: dict[str, Any]) -> Problem | None:
    """The first unstorable value among a field's ``arguments``, or None.

    Iterative, so deeply nested JSON costs no recursion depth.
    """
    stack: list[tuple[str, str, Any]] = []

    def push(items: list[tuple[str, str, Any]]) -> None:
        stack.extend(reversed(items))

    push([(to_camel_case(n), to_camel_case(n), v) for n, v in arguments.items()])
    while stack:
        field, path, value = stack.pop()
        if isinstance(value, str):
            reason = unstorable(value)
            if reason is not None:
                return Problem(field, path, reason)
        elif isinstance(value, float):
            if not math.isfinite(value):
                return Problem(field, path, "is not a finite number")
        elif isinstance(value, dict):
            # JSON: its keys and indexes are data inside the field, not fields.
            for key in value:
                reason = unstorable(key) if isinstance(key, str) else None
                if reason is not None:
                    return Problem(field, path, f"has a key that {reason}")
            push([(field, f"{path}.{k}", v) for k, v in value.items()])
        elif isinstance(value, list | tuple):
            push([(field, f"{path}[{i}]", v) for i, v in enumerate(value)])
        elif dataclasses.is_dataclass(value) and not isinstance(value, type | Enum):
            # A strawberry input object: each of its fields by its GraphQL name.
            names = [
                (to_camel_case(f.name), getattr(value, f.name)) for f in dataclasses.fields(value)
            ]
            push([(name, f"{path}.{name}", v) for name, v in names])
    return None


class InputGuard(FieldExtension):
    """Check a root field's arguments; ``as_result`` for fields returning a result union."""

    def __init__(self, *, as_result: bool) -> None:
        self.as_result = as_result

    def _refusal(self, arguments: dict[str, Any]) -> Any:
        problem = first_problem(arguments)
        if problem is None:
            return None
        error = InvalidInput(problem.message, field=problem.field)
        if self.as_result:
            return to_error(error)
        raise error

    def resolve(
        self, next_: Callable[..., Any], source: Any, info: Info[Any, Any], **kwargs: Any
    ) -> Any:
        refusal = self._refusal(kwargs)
        if refusal is not None:
            return refusal
        return next_(source, info, **kwargs)

    async def resolve_async(
        self,
        next_: Callable[..., Awaitable[Any]],
        source: Any,
        info: Info[Any, Any],
        **kwargs: Any,
    ) -> Any:
        refusal = self._refusal(kwargs)
        if refusal is not None:
            return refusal
        return await next_(source, info, **kwargs)


def guard_arguments(root: type, *, as_result: bool) -> None:
    """Add the guard to every field of ``root`` that takes arguments (once)."""
    definition: StrawberryObjectDefinition = root.__strawberry_definition__  # type: ignore[attr-defined]
    for field in definition.fields:
        if field.arguments and not any(isinstance(e, InputGuard) for e in field.extensions):
            field.extensions.append(InputGuard(as_result=as_result))
