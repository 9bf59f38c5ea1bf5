"""argon2 off the event loop: a few threads and a bounded queue.

Eight logins at once used to stall every other request for a second and a half, because
each argon2 call holds the event loop for tens of milliseconds. Here they run in
``ACCORD_PASSWORD_THREADS`` threads (argon2-cffi releases the GIL, so they also use the
other cores), and at most ``ACCORD_MAX_PASSWORD_QUEUE`` more may wait: past that a login
is refused at once with RATE_LIMITED instead of queueing without bound. Every login,
known email or not, takes the same path (an unknown one is checked against a dummy
hash), so neither the time nor the refusal tells which emails exist.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from accord.auth.passwords import hash_password, verify_password
from accord.config import Settings
from accord.errors import RateLimited

T = TypeVar("T")

BUSY = "The server is busy checking other passwords right now. Try again in a few seconds."


class PasswordPool:
    """A process-wide resource, made in the app's lifespan (``request.state.passwords``)."""

    def __init__(self, settings: Settings) -> None:
        self.threads = settings.password_threads
        self.capacity = settings.password_threads + settings.max_password_queue
        self._executor = ThreadPoolExecutor(
            max_workers=settings.password_threads, thread_name_prefix="accord-argon2"
        )
        self._lock = threading.Lock()
        self._pending = 0  # submitted and not finished, counted until the thread is done

    async def hash(self, password: str) -> str:
        return await self._run(hash_password, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        return await self._run(verify_password, password_hash, password)

    async def _run(self, fn: Callable[..., T], *args: object) -> T:
        with self._lock:
            if self._pending >= self.capacity:
                raise RateLimited(BUSY)
            self._pending += 1
        try:
            future: Future[T] = self._executor.submit(fn, *args)
        except BaseException:
            self._finished(None)
            raise
        # A request that goes away does not stop argon2 in its thread, so the slot is
        # given back when the thread is done, not when the request is.
        future.add_done_callback(self._finished)
        return await asyncio.wrap_future(future)

    def _finished(self, _: object) -> None:
        with self._lock:
            self._pending -= 1

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
