"""The same limits on a WebSocket message as on an HTTP request, with the same errors.

- **Size.** A message over ``ACCORD_MAX_REQUEST_BYTES`` closes the socket with 1009
  ("message too big") and the limit's name; ``accord serve`` also gives uvicorn that
  limit, so such a message is refused before it is read whole.
- **JSON nesting.** A request body or message nested deeper than :data:`MAX_JSON_DEPTH`
  levels is refused as INVALID_INPUT: an HTTP 400 in the usual JSON error shape, and an
  ``error`` message for the operation over a WebSocket. Python's decoder fails on deep
  input with a RecursionError, which used to surface as a 500 and a traceback.
- **Tokens.** A document over ``ACCORD_MAX_TOKENS`` gets an ``error`` message with code
  TOO_LARGE (the parser's refusal used to escape the operation and end it with a bare
  ``complete``). Depth, aliases and the field count are validation rules, which already
  answer the same way on both transports.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncGenerator, Mapping
from typing import Any

from graphql import GraphQLError, Lexer, Source, TokenKind
from graphql.error import GraphQLSyntaxError
from starlette.websockets import WebSocketDisconnect, WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.http.exceptions import NonJsonMessageReceived, NonTextMessageReceived
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import SubscribeMessage

#: Deepest JSON accepted anywhere (variables, document attributes, messages).
MAX_JSON_DEPTH = 64
TOO_DEEP = f"The JSON is nested deeper than {MAX_JSON_DEPTH} levels, which Accord does not accept."
MESSAGE_TOO_BIG = 1009
# The id of a graphql-transport-ws message whose JSON cannot be read because it is too
# deep: clients write the id first, so it can still be answered with an error.
_LEADING_ID = re.compile(r'\s*\{\s*"id"\s*:\s*"([^"\\]{1,200})"')


class JsonTooDeep(ValueError):
    pass


def _deeper_than(value: object, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def decode_json(data: str | bytes) -> object:
    """``json.loads``, refusing input nested deeper than :data:`MAX_JSON_DEPTH`."""
    try:
        value = json.loads(data)
    except RecursionError:
        raise JsonTooDeep(TOO_DEEP) from None
    if _deeper_than(value, MAX_JSON_DEPTH):
        raise JsonTooDeep(TOO_DEEP)
    return value


def error_body(message: str, code: str) -> dict[str, Any]:
    """Accord's error shape outside GraphQL execution (as the body and CSRF limits)."""
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


def too_many_tokens(query: str, max_tokens: int) -> bool:
    """Whether the document has more tokens than the parser's limit (it stops there)."""
    lexer = Lexer(Source(query))
    count = 0
    try:
        while lexer.advance().kind != TokenKind.EOF:
            count += 1
            if count > max_tokens:
                return True
    except GraphQLSyntaxError:
        return False  # the parser reports it, with its position
    return False


def tokens_error(max_tokens: int) -> GraphQLError:
    return GraphQLError(
        f"The document has more than {max_tokens:,} tokens (ACCORD_MAX_TOKENS). Ask for "
        "less, or split it into several requests.",
        extensions={"code": "TOO_LARGE"},
    )


class LimitedWebSocketAdapter(ASGIWebSocketAdapter):
    """Strawberry's adapter, with the size and nesting limits checked per message."""

    async def iter_json(
        self, *, ignore_parsing_errors: bool = False
    ) -> AsyncGenerator[object, None]:
        max_bytes: int = getattr(self.view, "settings").max_request_bytes  # noqa: B009
        try:
            while self.ws.application_state != WebSocketState.DISCONNECTED:
                try:
                    text = await self.ws.receive_text()
                except KeyError as exc:
                    raise NonTextMessageReceived from exc
                if len(text) > max_bytes or len(text.encode()) > max_bytes:
                    await self.ws.close(
                        code=MESSAGE_TOO_BIG,
                        reason=f"Message over {max_bytes:,} bytes (ACCORD_MAX_REQUEST_BYTES).",
                    )
                    return
                try:
                    yield decode_json(text)
                except JsonTooDeep:
                    await self._refuse_deep(text)
                except json.JSONDecodeError as exc:
                    if not ignore_parsing_errors:
                        raise NonJsonMessageReceived from exc
        except WebSocketDisconnect:
            pass

    async def _refuse_deep(self, text: str) -> None:
        found = _LEADING_ID.match(text)
        if found is None:
            await self.ws.close(code=4400, reason=TOO_DEEP[:120])
            return
        payload = error_body(TOO_DEEP, "INVALID_INPUT")["errors"]
        await self.send_json({"id": found.group(1), "type": "error", "payload": payload})


class LimitedTransportWSHandler(BaseGraphQLTransportWSHandler[Any, Any]):
    """graphql-transport-ws with the token limit answered as an ``error`` message."""

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        payload: Mapping[str, Any] = message.get("payload") or {}
        query = payload.get("query")
        max_tokens: int = getattr(self.view, "settings").max_tokens  # noqa: B009
        if (
            self.connection_acknowledged
            and isinstance(query, str)
            and message.get("id") not in self.operations
            and too_many_tokens(query, max_tokens)
        ):
            await self.send_message(
                {
                    "id": message["id"],
                    "type": "error",
                    "payload": [tokens_error(max_tokens).formatted],
                }
            )
            return
        await super().handle_subscribe(message)
