"""The process pool that runs heavy work, and who may use it when.

- **Off the event loop.** A computation is a pure function and its arguments, pickled to
  a worker process; the event loop only waits for the answer, so other requests go on.
- **A time budget.** A computation that runs past ``ACCORD_COMPUTE_TIMEOUT_SECONDS`` is
  stopped for real: pebble terminates its worker process (SIGTERM, then SIGKILL) and
  starts a fresh one, and the caller gets a ``TOO_LARGE`` error saying what to reduce.
  A request that goes away (a closed connection) stops its computation the same way.
- **Admission.** Each account may have ``ACCORD_MAX_HEAVY_PER_USER`` heavy requests in
  flight, and all accounts together ``ACCORD_HEAVY_WORKERS + ACCORD_MAX_HEAVY_QUEUE``; past
  either, the request is refused at once with ``RATE_LIMITED`` instead of queueing
  without bound. The counts are per server process, as the pool is.
- **Workers are started on first use** with the ``spawn`` method (no fork of a process
  that runs threads), at a lower CPU priority than the event loop, and are stopped when
  the app's lifespan ends.

The CLI has no event loop to protect and runs the same functions in-process (``inline``).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, Protocol, TypeVar
from uuid import UUID

from pebble import ProcessPool

from accord.config import Settings
from accord.errors import RateLimited, TooLarge

log = logging.getLogger("accord.heavy")

P = ParamSpec("P")
T = TypeVar("T")

#: How much lower than the server's a worker's CPU priority is (a ``nice`` increment):
#: when cores are short, requests that wait on the event loop go first.
WORKER_NICENESS = 10


class Offload(Protocol):
    """Runs ``fn(*args, **kwargs)`` somewhere that does not block the event loop."""

    def __call__(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Awaitable[T]:
        """Awaitable result of the call; the function's own exception is re-raised."""
        ...


async def inline(fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """Run in this process: for the CLI, which has no other requests to keep answering."""
    return fn(*args, **kwargs)


def _start_worker() -> None:
    if hasattr(os, "nice"):
        os.nice(WORKER_NICENESS)
    # Import what every computation needs once, before the first task arrives.
    import accord.reports.agreement_compute  # noqa: F401


def _stop(pool: ProcessPool) -> None:
    pool.stop()  # type: ignore[no-untyped-call]
    pool.join()


class HeavyWork:
    """A process-wide resource, made in the app's lifespan (``request.state.heavy``)."""

    def __init__(self, settings: Settings) -> None:
        self.workers = settings.heavy_workers
        self.timeout = settings.compute_timeout_seconds
        self.per_user = settings.max_heavy_per_user
        self.capacity = settings.heavy_workers + settings.max_heavy_queue
        self._pool: ProcessPool | None = None
        self._closed = False
        self._admitted = 0
        self._by_owner: dict[UUID, int] = {}

    @contextmanager
    def admit(self, owner: UUID, what: str, advice: str) -> Iterator[Offload]:
        """A slot for one heavy request of ``owner``, or ``RATE_LIMITED`` right away.

        ``what`` names the work in errors ("This agreement report") and ``advice`` says
        how to ask for less when it runs out of time. Everything inside the block (the
        reads that feed the computation included) counts against the owner's limit.
        """
        if self._closed:
            raise RuntimeError("the heavy-work pool is shut down")
        if self._by_owner.get(owner, 0) >= self.per_user:
            raise RateLimited(
                f"You already have {self.per_user} heavy computations running (agreement "
                "reports, report exports, file imports or exports; "
                "ACCORD_MAX_HEAVY_PER_USER). Wait until one has finished, then try again."
            )
        if self._admitted >= self.capacity:
            raise RateLimited(
                "The server is busy with other heavy computations (agreement reports, "
                "imports, exports). Try again in a minute."
            )
        self._admitted += 1
        self._by_owner[owner] = self._by_owner.get(owner, 0) + 1
        try:
            yield _Bound(self, what, advice)
        finally:
            self._admitted -= 1
            left = self._by_owner[owner] - 1
            if left:
                self._by_owner[owner] = left
            else:
                del self._by_owner[owner]

    async def run(
        self, what: str, advice: str, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """``fn(*args, **kwargs)`` in a worker, within the time budget."""
        future = self._ensure_pool().schedule(fn, args=args, kwargs=kwargs, timeout=self.timeout)
        try:
            result: T = await asyncio.wrap_future(future)
        except TimeoutError:
            raise TooLarge(
                f"{what} took longer than the time budget of {self.timeout} seconds "
                f"(ACCORD_COMPUTE_TIMEOUT_SECONDS) and was stopped. To ask for less, {advice}."
            ) from None
        return result

    def _ensure_pool(self) -> ProcessPool:
        if self._closed:
            raise RuntimeError("the heavy-work pool is shut down")
        if self._pool is not None and not self._pool.active:
            # pebble gives up on a pool whose workers all died at once (they could not
            # start, or the system killed them); the next request gets a fresh pool.
            log.error("the heavy-work pool broke; starting a new one")
            threading.Thread(target=_stop, args=(self._pool,), daemon=True).start()
            self._pool = None
        if self._pool is None:
            self._pool = ProcessPool(
                max_workers=self.workers,
                initializer=_start_worker,
                context=multiprocessing.get_context("spawn"),
            )
        return self._pool

    async def close(self) -> None:
        """Stop every worker, a running computation included; wait until they are gone."""
        self._closed = True
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.to_thread(_stop, pool)
            log.debug("heavy-work pool stopped")


class _Bound:
    """``HeavyWork.run`` for one admitted request, as an :class:`Offload`."""

    def __init__(self, heavy: HeavyWork, what: str, advice: str) -> None:
        self.heavy = heavy
        self.what = what
        self.advice = advice

    def __call__(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Awaitable[T]:
        return self.heavy.run(self.what, self.advice, fn, *args, **kwargs)
