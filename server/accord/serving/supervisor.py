"""The process `accord serve --workers N` runs in: it starts N workers and keeps them.

- **Start.** Each worker is a fresh ``spawn`` process handed the listening socket; the
  kernel gives each new connection to whichever worker accepts it first, so a busy worker
  takes fewer. A worker that exits before it serves (it cannot reach the database, say)
  stops them all with status 1: the cause is in the log and a restart would only repeat it.
- **Keep.** A worker that dies while serving is started again in its place, and its
  clients reconnect to the others meanwhile (WebSocket subscribers catch up from the
  events table). A replacement that cannot start is tried again a few times with a
  pause, then `accord serve` stops with status 1 so that a supervisor of its own can act.
- **Stop.** SIGINT (Ctrl-C) or SIGTERM: each worker gets SIGTERM and finishes its
  requests; after ``STOP_SECONDS`` what is left is killed. A second signal hurries them.
- **The embedded PostgreSQL** is watched here, once, and what is wrong with it is shared
  with the workers for their `/readyz`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import signal
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from accord.db.embedded_watch import EmbeddedWatch
from accord.serving.worker import WorkerSpec, serve_worker, shared_problem, write_problem

log = logging.getLogger("accord.serving")

#: How long workers may take to finish their requests once told to stop.
STOP_SECONDS = 30.0
#: Pauses before starting a replacement worker again after it failed to start.
RESTART_DELAYS = (1.0, 2.0, 4.0, 8.0, 16.0)
#: How often the embedded PostgreSQL's state is copied to the workers.
MIRROR_SECONDS = 0.2


def bind(host: str, port: int) -> socket.socket:
    """The listening socket every worker serves; OSError says why it cannot be had."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    return sock


@dataclass
class _Worker:
    slot: int
    process: BaseProcess
    ready: Connection
    replacement: bool
    failed_starts: int
    serving: bool = False


@dataclass
class Supervisor:
    spec: WorkerSpec
    workers: int
    sock: socket.socket
    watch: EmbeddedWatch | None = None
    on_serving: Callable[[list[int]], None] | None = None
    failure: str | None = None
    _running: dict[int, _Worker] = field(default_factory=dict)
    _stopping: bool = False
    _signals: int = 0
    _wake: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self._context = multiprocessing.get_context("spawn")
        self._problem = shared_problem()

    def run(self) -> int:
        """Serve until a signal (status 0) or a failure (status 1, ``failure`` says why)."""
        return asyncio.run(self._supervise())

    async def _supervise(self) -> int:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, self._on_signal)
        watching = asyncio.create_task(self._watch_database()) if self.watch else None
        for slot in range(self.workers):
            self._start(slot)
        announced = False
        try:
            while not self._stopping:
                await self._wake.wait()
                self._wake.clear()
                if not announced and all(w.serving for w in self._running.values()):
                    announced = True
                    if self.on_serving is not None:
                        self.on_serving(sorted(w.process.pid or 0 for w in self._running.values()))
        finally:
            if watching is not None:
                watching.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await watching
            await self._stop_all()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(sig)
        return 0 if self.failure is None else 1

    def _start(self, slot: int, *, replacement: bool = False, failed_starts: int = 0) -> None:
        loop = asyncio.get_running_loop()
        receive, send = self._context.Pipe(duplex=False)
        process = self._context.Process(
            target=serve_worker,
            args=(self.spec, self.sock, send, self._problem),
            name=f"accord-worker-{slot}",
        )
        process.start()
        send.close()  # the worker holds the other copy
        worker = _Worker(slot, process, receive, replacement, failed_starts)
        self._running[slot] = worker
        loop.add_reader(receive.fileno(), self._on_ready, worker)
        loop.add_reader(process.sentinel, self._on_exit, worker)
        log.debug("worker %s started (pid %s)", slot, process.pid)

    def _on_ready(self, worker: _Worker) -> None:
        loop = asyncio.get_running_loop()
        loop.remove_reader(worker.ready.fileno())
        try:
            worker.ready.recv()
        except EOFError:  # it exited before it served; _on_exit says so
            return
        worker.serving = True
        worker.failed_starts = 0
        self._wake.set()

    def _on_exit(self, worker: _Worker) -> None:
        loop = asyncio.get_running_loop()
        loop.remove_reader(worker.process.sentinel)
        with contextlib.suppress(ValueError, OSError):
            loop.remove_reader(worker.ready.fileno())
        worker.process.join()
        worker.ready.close()
        if self._running.get(worker.slot) is worker:
            del self._running[worker.slot]
        self._wake.set()
        if self._stopping:
            return
        how = _exit_status(worker.process.exitcode)
        if worker.serving:
            log.error(
                "Server worker %s (pid %s) %s; starting another in its place.",
                worker.slot,
                worker.process.pid,
                how,
            )
            self._start(worker.slot, replacement=True)
            return
        if not worker.replacement:
            self.fail(
                f"Server worker {worker.slot} (pid {worker.process.pid}) {how} before it "
                "served; see the messages above. accord serve stops."
            )
            return
        tries = worker.failed_starts + 1
        if tries > len(RESTART_DELAYS):
            self.fail(
                f"Server worker {worker.slot} could not be started again ({tries} tries; it "
                f"{how}); see the messages above. accord serve stops so that a supervisor "
                "can start it afresh."
            )
            return
        delay = RESTART_DELAYS[tries - 1]
        log.error(
            "Server worker %s %s before it served; trying again in %.0f s.", worker.slot, how, delay
        )
        loop.call_later(delay, self._start_again, worker.slot, tries)

    def _start_again(self, slot: int, failed_starts: int) -> None:
        if not self._stopping and slot not in self._running:
            self._start(slot, replacement=True, failed_starts=failed_starts)

    def fail(self, message: str) -> None:
        """Stop every worker; `accord serve` then exits with status 1 and ``message``."""
        if self.failure is None:
            self.failure = message
        self._stopping = True
        self._wake.set()

    def _on_signal(self) -> None:
        self._signals += 1
        if self._signals > 1:
            log.warning("Stopping now: the server workers are told again.")
            self._signal_workers()
        self._stopping = True
        self._wake.set()

    def _signal_workers(self) -> None:
        for worker in list(self._running.values()):
            if worker.process.is_alive() and worker.process.pid is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(worker.process.pid, signal.SIGTERM)

    async def _stop_all(self) -> None:
        self._stopping = True
        self._signal_workers()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + STOP_SECONDS
        while self._running and loop.time() < deadline:
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), deadline - loop.time())
        for worker in list(self._running.values()):
            log.warning(
                "Server worker %s (pid %s) did not stop in %.0f s; killing it.",
                worker.slot,
                worker.process.pid,
                STOP_SECONDS,
            )
            worker.process.kill()
            worker.process.join()
            with contextlib.suppress(ValueError, OSError):
                loop.remove_reader(worker.process.sentinel)
                loop.remove_reader(worker.ready.fileno())
            worker.ready.close()
        self._running.clear()

    async def _watch_database(self) -> None:
        assert self.watch is not None
        watch = self.watch
        task = asyncio.create_task(watch.run())
        try:
            while not task.done():
                write_problem(self._problem, watch.problem)
                await asyncio.wait({task}, timeout=MIRROR_SECONDS)
            write_problem(self._problem, watch.problem)
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


def _exit_status(code: int | None) -> str:
    if code is None:
        return "stopped"
    if code < 0:
        try:
            return f"was killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"was killed by signal {-code}"
    return f"exited with status {code}"
