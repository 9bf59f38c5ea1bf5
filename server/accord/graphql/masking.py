"""Errors the client may see, and the masking of everything else.

User errors raised by a query (for example NOT_FOUND) keep their message and gain
``extensions.code``. Validation errors keep theirs. Anything unexpected is logged with
the request id, and the client sees only a generic message and that id: INTERNAL, or
UNAVAILABLE when the database could not be reached.
"""

import logging
from collections.abc import Iterator
from typing import Any

import strawberry
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql.error import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext
from strawberry.types.execution import ExecutionResult

from accord.db import availability
from accord.db.availability import database_unavailable
from accord.errors import AccordError
from accord.graphql.input_errors import input_error
from accord.graphql.transport_limits import tokens_error
from accord.http.request_id import current_request_id

log = logging.getLogger("accord.graphql")
# What graphql-core's parser says when a document is over its max_tokens.
TOKEN_LIMIT = "tokens. Parsing aborted."


class UserErrorsAndMasking(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if isinstance(result, GraphQLExecutionResult | ExecutionResult) and result.errors:
            result.errors = [self._process(e) for e in result.errors]

    def _process(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        if original is None:
            if isinstance(error, GraphQLSyntaxError) and TOKEN_LIMIT in error.message:
                # The parser's refusal, in the words and shape the WebSocket uses too.
                context = self.execution_context.context
                return tokens_error(context.settings.max_tokens)
            refused = input_error(error, self.execution_context.schema._schema)
            # A syntax or validation error: safe and useful to show.
            return refused or error
        if isinstance(original, AccordError):
            return GraphQLError(
                original.message,
                nodes=error.nodes,
                path=error.path,
                extensions={"code": original.code},
            )
        if isinstance(original, GraphQLError):
            schema = self.execution_context.schema._schema
            return input_error(error, schema, shown=original) or original
        context = self.execution_context.context
        # Accord's context carries the id; any other context (a bare strawberry app, a
        # subscription) falls back on the id the middleware set for this request.
        request_id = getattr(context, "request_id", None) or current_request_id.get()
        return masked(original, request_id, nodes=error.nodes, path=error.path)


def masked(
    original: BaseException,
    request_id: str,
    *,
    nodes: Any = None,
    path: Any = None,
) -> GraphQLError:
    """What the client sees of an unexpected error: a generic message, a code and the
    request id. The detail goes to the log: a traceback for a bug, one line when the
    database could not be reached (UNAVAILABLE, which the view answers with 503)."""
    if database_unavailable(original):
        log.warning(
            "request %s: the database is unavailable (%s: %s)",
            request_id,
            type(original).__name__,
            original,
        )
        return GraphQLError(
            f"{availability.MESSAGE} Request id {request_id}.",
            nodes=nodes,
            path=path,
            extensions={"code": availability.CODE, "requestId": request_id},
        )
    log.error("unexpected error in request %s", request_id, exc_info=original)
    return GraphQLError(
        f"Internal error. Quote request id {request_id} when reporting it.",
        nodes=nodes,
        path=path,
        extensions={"code": "INTERNAL", "requestId": request_id},
    )


class AccordSchema(strawberry.Schema):
    """Logs only unexpected errors: user errors and invalid queries are the caller's
    business, and UserErrorsAndMasking already logs real failures with their request id."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        unexpected = [
            e
            for e in errors
            if e.original_error is not None
            and not isinstance(e.original_error, AccordError | GraphQLError)
            and not database_unavailable(e.original_error)
        ]
        if unexpected:
            super().process_errors(unexpected, execution_context)
