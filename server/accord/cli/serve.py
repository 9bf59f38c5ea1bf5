"""`accord serve`: run the server."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Callable
from typing import cast

from accord.auth.keys import resolve_secret_key
from accord.config import Settings
from accord.db.embedded_watch import EmbeddedWatch
from accord.db.migrations import MigrationError
from accord.db.target import check_current, database
from accord.serving import capacity
from accord.serving.supervisor import Supervisor, bind
from accord.serving.worker import (
    WorkerSpec,
    configure_logging,
    heavy_share,
    stop_on_sigterm,
    uvicorn_config,
)

log = logging.getLogger("accord.serving")

WORKERS_HELP = (
    "server processes sharing the port (default: ACCORD_WORKERS, or half the cores, 1 to "
    "4; here %(default)s). Each answers requests on its own core and holds up to "
    "ACCORD_POOL_MAX_SIZE + 1 PostgreSQL connections and about 100 MB; half the cores "
    "are left to PostgreSQL and the heavy-work processes (ACCORD_HEAVY_WORKERS, shared "
    "out among the server processes). accord serve refuses to start when the pools "
    "would not fit in PostgreSQL's max_connections."
)


def _workers(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "serve",
        help="run the server",
        description="Run the Accord server: the web UI at /, GraphQL at /graphql, "
        "/healthz and /readyz. Without ACCORD_DATABASE_URL it starts (or shares) an embedded "
        "PostgreSQL and migrates it. With a URL, the database must be migrated first "
        "(accord migrate). In embedded mode a PostgreSQL that stops is started again; if "
        "it cannot be, accord serve exits with status 1. With several workers, a worker "
        "that dies is started again. Stop with Ctrl-C or SIGTERM.",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    parser.add_argument(
        "--port", type=int, default=8000, help="port to listen on (default: %(default)s)"
    )
    parser.add_argument("--workers", type=_workers, default=None, help=WORKERS_HELP)
    parser.add_argument(
        "--demo",
        action="store_true",
        help="load the demo study (once; a second run adds nothing) and print its accounts",
    )
    parser.set_defaults(handler=run)


async def _load_demo(url: str, settings: Settings) -> None:
    import asyncpg

    from accord.db.pool import create_pool
    from accord.demo import loader

    pool = await create_pool(url, settings, min_size=1, max_size=1)
    try:
        async with pool.acquire() as conn:
            study = await loader.load(cast(asyncpg.Connection, conn), settings)
    finally:
        await pool.close()
    state = "loaded" if study.created else "already loaded"
    print(f"Demo study {state} (project {study.project_id}). Demo accounts:", flush=True)
    for email, password, role in study.accounts:
        print(f"  {role.lower():<6} {email}  password: {password}", flush=True)


def run(args: argparse.Namespace) -> int:
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    settings = Settings.from_env()
    workers: int = args.workers if args.workers is not None else settings.workers
    configure_logging(settings)
    secret_key = resolve_secret_key(settings)
    gave_up: list[str] = []
    # How to stop serving, once serving has started (the watch may give up meanwhile).
    stoppers: list[Callable[[str], None]] = []
    with database(settings) as (url, embedded):
        watch = None
        if embedded is None:
            try:
                asyncio.run(check_current(url))
            except MigrationError as exc:
                print(f"accord: {exc}", file=sys.stderr)
                return 1
        else:
            print(f"Embedded PostgreSQL data: {settings.data_dir / 'pgdata'}", file=sys.stderr)

            def give_up(message: str) -> None:
                # The embedded database is gone for good: stop serving, and say why.
                gave_up.append(message)
                for stop in stoppers:
                    stop(message)

            watch = EmbeddedWatch(embedded, url, give_up)
        asyncio.run(capacity.check(url, workers, settings.pool_max_size))
        if args.demo:
            asyncio.run(_load_demo(url, settings))
        if workers == 1:
            code = _serve_alone(settings, url, secret_key.reveal(), watch, args, stoppers)
        else:
            code = _serve_workers(
                settings, url, secret_key.reveal(), watch, args, workers, stoppers
            )
    if gave_up:
        if workers == 1:  # the supervisor has said it otherwise
            print(f"accord: {gave_up[0]}", file=sys.stderr)
        return 1
    return code


def _serve_alone(
    settings: Settings,
    url: str,
    secret_key: str,
    watch: EmbeddedWatch | None,
    args: argparse.Namespace,
    stoppers: list[Callable[[str], None]],
) -> int:
    """One process: uvicorn runs the app here, and the watch in its event loop."""
    import uvicorn

    from accord.app import create_app

    app = create_app(settings, url, secret_key, watch)
    server = uvicorn.Server(uvicorn_config(app, settings, args.host, args.port))

    def stop(message: str) -> None:
        server.should_exit = True

    stoppers.append(stop)
    server.run()
    return 0 if server.started else 1


def _serve_workers(
    settings: Settings,
    url: str,
    secret_key: str,
    watch: EmbeddedWatch | None,
    args: argparse.Namespace,
    workers: int,
    stoppers: list[Callable[[str], None]],
) -> int:
    """Several processes on one socket, kept by a supervisor that runs here."""
    try:
        sock = bind(args.host, args.port)
    except OSError as exc:
        print(
            f"accord: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}",
            file=sys.stderr,
        )
        return 1
    spec = WorkerSpec(heavy_share(settings, workers), url, secret_key, args.host, args.port)

    def serving(pids: list[int]) -> None:
        pid_list = ", ".join(str(pid) for pid in pids)
        log.info(
            "Serving http://%s:%s with %s worker processes (pids %s).",
            args.host,
            sock.getsockname()[1],
            workers,
            pid_list,
        )

    supervisor = Supervisor(spec, workers, sock, watch, on_serving=serving)
    stoppers.append(supervisor.fail)
    try:
        code = supervisor.run()
    finally:
        sock.close()
    if supervisor.failure is not None:  # a worker's, or the watch's when it gave up
        print(f"accord: {supervisor.failure}", file=sys.stderr)
    return code
