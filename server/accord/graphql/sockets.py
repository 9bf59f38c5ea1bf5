"""The graphql-transport-ws handler: a WebSocket holds authority only while its
credential does.

The view identifies the caller at ``connection_init`` and leaves in the context a way
to check that credential again. This handler then checks it before every operation the
socket runs (a query, a mutation or a subscription), and asks the event broker to close
the socket the moment the credential ends anywhere (see ``accord.auth.revocation``).
"""

from __future__ import annotations

from collections.abc import Callable

from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import Operation
from strawberry.subscriptions.protocols.graphql_transport_ws.types import ConnectionInitMessage

from accord.auth import revocation
from accord.events.broker import Broker
from accord.graphql.context import Context
from accord.graphql.masking import masked
from accord.graphql.transport_limits import LimitedTransportWSHandler


class CredentialCheckedHandler(LimitedTransportWSHandler):
    """The limits of :class:`LimitedTransportWSHandler`, and the credential checked."""

    context: Context

    _release: Callable[[], None] | None = None
    _ended = False

    async def handle(self) -> None:
        try:
            await super().handle()
        finally:
            if self._release is not None:
                self._release()

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        await super().handle_connection_init(message)
        credential = self.context.credential
        if not self.connection_acknowledged or credential is None or self._release is not None:
            return
        broker: Broker = self.context.request.state.broker
        self._release = await broker.watch(credential, self.end, self.recheck)
        # A credential that ended between identifying the caller and the watch beginning
        # sent its notice to no one: look once more now that notices are heard.
        await self.recheck()

    async def run_operation(self, operation: Operation[Context, None]) -> None:
        try:
            holds = await self._holds()
        except Exception as exc:
            # The credential could not be checked (the database is down, say): refuse this
            # operation in the masked error shape; the socket stays for the next one.
            self.operations.pop(operation.id, None)
            error = masked(exc, self.context.request_id)
            await self.send_message(
                {"id": operation.id, "type": "error", "payload": [error.formatted]}
            )
            return
        if not holds:
            # This task is the operation's own: take it out before ending the others.
            self.operations.pop(operation.id, None)
            await self.end()
            return
        await super().run_operation(operation)

    async def recheck(self) -> None:
        try:
            holds = await self._holds()
        except Exception as exc:
            # Unknown for now; every operation checks again before it runs.
            masked(exc, self.context.request_id)  # logs it
            return
        if not holds:
            await self.end()

    async def end(self) -> None:
        """Stop every operation and close the socket: its credential ended."""
        if self._ended:
            return
        self._ended = True
        if self._release is not None:
            self._release()
        for operation_id in list(self.operations):
            await self.cleanup_operation(operation_id)
        await self.websocket.close(code=revocation.CLOSE_CODE, reason=revocation.CLOSE_REASON)

    async def _holds(self) -> bool:
        check = self.context.credential_holds
        return check is None or await check()
