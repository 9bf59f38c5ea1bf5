"""Noticing when the embedded PostgreSQL stops, and starting it again.

In embedded mode `accord serve` owns its database server, so nobody else would notice
that it died (killed, out of memory, stopped by hand). The watch checks the server
process every second. When it is gone it says so in the log and in `/readyz`, and starts
it again (or joins the one another Accord process on the same data dir has started).
Requests meanwhile get 503 UNAVAILABLE, and the pool and the event listener reconnect by
themselves once the server is back. If it cannot be started again after a few tries,
the watch gives up and `accord serve` exits with a clear message and a non-zero status,
so a supervisor can restart the whole.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Protocol

from accord.db.embedded import EmbeddedDatabase

log = logging.getLogger("accord.db")

CHECK_SECONDS = 1.0
# Attempts to start the server again, and the pause before each one: a server killed
# with SIGKILL leaves backends behind for a moment, and they hold its shared memory.
RESTART_DELAYS = (0.0, 0.5, 1.0, 2.0, 4.0)


class DatabaseWatch(Protocol):
    """What the app needs of a watch: ``run`` for its lifetime, ``problem`` for /readyz.
    With several server processes the watch runs in the supervisor, and each worker
    holds a view of it (``accord.serving.worker.SharedWatchStatus``)."""

    @property
    def problem(self) -> str | None: ...

    async def run(self) -> None: ...


class EmbeddedWatch:
    def __init__(
        self,
        database: EmbeddedDatabase,
        url: str,
        on_give_up: Callable[[str], None],
        *,
        check_seconds: float = CHECK_SECONDS,
        restart_delays: tuple[float, ...] = RESTART_DELAYS,
    ) -> None:
        self.database = database
        self.url = url
        self.on_give_up = on_give_up
        self.check_seconds = check_seconds
        self.restart_delays = restart_delays
        self.restarts = 0
        # What /readyz says while the server is not running; None when all is well.
        self.problem: str | None = None

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self.check_seconds)
            if self.database.alive():  # a /proc read: cheap enough for the loop
                continue
            if not await self._restart():
                return

    async def _restart(self) -> bool:
        pid = self.database.pid
        since = time.monotonic()
        self.problem = "The embedded PostgreSQL stopped; Accord is starting it again."
        log.error(
            "The embedded PostgreSQL (pid %s, data in %s) has stopped; starting it again.",
            pid,
            self.database.data_dir / "pgdata",
        )
        failure = "it did not start"
        for delay in self.restart_delays:
            await asyncio.sleep(delay)
            try:
                url = await asyncio.to_thread(self.database.restart)
            except Exception as exc:  # pg_ctl failed or timed out; the log file says why
                failure = f"{type(exc).__name__}: {exc}"
                log.warning("Starting the embedded PostgreSQL again failed (%s).", failure)
                continue
            if url != self.url:
                failure = f"it came back at {url}, not at {self.url}"
                break
            self.restarts += 1
            self.problem = None
            log.warning(
                "The embedded PostgreSQL is running again (pid %s) after %.1f s.",
                self.database.pid,
                time.monotonic() - since,
            )
            return True
        message = (
            f"The embedded PostgreSQL stopped and could not be started again ({failure}); "
            f"see its log in {self.database.data_dir / 'pgdata' / 'log'}. Accord stops so "
            "that a supervisor can start it afresh."
        )
        self.problem = "The embedded PostgreSQL stopped and could not be started again."
        log.error("%s", message)
        self.on_give_up(message)
        return False
