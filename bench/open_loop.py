"""Open-loop latency of applyCode: requests at fixed rates, latency from their schedule.

    python bench/open_loop.py [--rates 100,200,300,400] [--duration 20] [--workers 1,2]

Starts the embedded PostgreSQL on a fresh data dir and, for each worker count,
`accord serve --workers N` on it (a server without ``--workers`` runs its one worker,
and other counts are skipped and said to be). Each run sets up 50 coders, each with an
API token and an assigned 200,000-character document, as `bench/coding_load.py` does,
then offers applyCode at each rate in turn for ``--duration`` seconds with Poisson
arrivals, from `bench/loadgen.py` in a process of its own: consecutive, non-overlapping
5-character spans, the coders taking turns. p50/p95/p99 are measured from each
request's scheduled time. The answer to the issue's question is the highest rate whose
p99 stays at or under 150 ms.

The load generator, the server's workers and PostgreSQL share the machine's cores; the
load average before each rate is printed with it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "server"))
sys.path.insert(0, str(HERE))

import coding_load  # noqa: E402

P99_LIMIT_MS = 150.0
GOAL_RATE, GOAL_P99_MS = 300, 100.0


def serve_supports_workers() -> bool:
    out = subprocess.run(
        [sys.executable, "-m", "accord.cli.main", "serve", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return "--workers" in out.stdout


def accord_lanes(world: dict[str, Any]) -> list[dict[str, Any]]:
    lanes = []
    for coder in world["coders"]:
        variables = {
            "i": {
                "documentId": coder["document"],
                "codeId": world["phone"],
                "start": "@START@",
                "end": "@END@",
            }
        }
        body = json.dumps({"query": coding_load.APPLY, "variables": variables})
        body = body.replace('"@START@"', "{start}").replace('"@END@"', "{end}")
        lanes.append(
            {
                "path": "/graphql",
                "headers": {"Authorization": f"Bearer {coder['token']}"},
                "body": body,
                "offset": coder["offset"],
            }
        )
    return lanes


def offer(spec: dict[str, Any], scratch: Path) -> dict[str, Any]:
    """One rate, from a load generator process of its own."""
    path = scratch / f"spec-{spec['rate']}-{time.monotonic_ns()}.json"
    path.write_text(json.dumps(spec))
    done = subprocess.run(
        [sys.executable, str(HERE / "loadgen.py"), str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"the load generator failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def sweep(
    port: int,
    lanes: list[dict[str, Any]],
    rates: list[float],
    duration: float,
    scratch: Path,
    expect: str,
    span: int,
    warmup: float,
    *,
    stop_when_saturated: bool = False,
) -> list[dict[str, Any]]:
    """Each rate in turn on the same lanes, after a short warm-up at the lowest one (its
    row is marked ``warmup``). With ``stop_when_saturated``, higher rates are not offered
    once the server answered less than half of one: its queue would still be draining
    into the next rate's measurement."""
    rows = []
    base: dict[str, Any] = {
        "host": "127.0.0.1",
        "port": port,
        "span": span,
        "expect": expect,
    }
    plan = ([(min(rates), warmup, True)] if warmup > 0 else []) + [
        (r, duration, False) for r in rates
    ]
    for rate, seconds, is_warmup in plan:
        load_before = os.getloadavg()[0]
        result = offer(base | {"rate": rate, "duration": seconds, "lanes": lanes}, scratch)
        for lane, offset in zip(lanes, result.pop("lane_offsets"), strict=True):
            lane["offset"] = offset
        result["load_average_before"] = load_before
        result["warmup"] = is_warmup
        rows.append(result)
        if is_warmup:
            continue
        print(
            f"  {rate:>5.0f}/s offered: {result['achieved_per_s']:.0f}/s answered, "
            f"p50 {result['p50_ms'] or float('nan'):.0f} ms, "
            f"p99 {result['p99_ms'] or float('nan'):.0f} ms, {result['errors']} errors "
            f"(load average {load_before:.1f})",
            flush=True,
        )
        if stop_when_saturated and result["achieved_per_s"] < rate / 2:
            break
    return rows


def highest_rate_within(rows: list[dict[str, Any]], limit_ms: float) -> float | None:
    good = [
        r["rate"]
        for r in rows
        if r["errors"] == 0 and r["p99_ms"] is not None and r["p99_ms"] <= limit_ms
    ]
    return max(good) if good else None


async def world_for(url: str, base: str, coders: int, doc_chars: int) -> dict[str, Any]:
    return await coding_load.setup(url, base, coders, doc_chars)


def run_accord(
    args: argparse.Namespace, url: str, env: dict[str, str], workers: int, scratch: Path
) -> dict[str, Any]:
    port = coding_load.free_port()
    log_path = Path(env["ACCORD_DATA_DIR"]) / f"serve-{workers}.log"
    command = [sys.executable, "-m", "accord.cli.main", "serve", "--port", str(port)]
    if workers != 1 or args.always_pass_workers:
        command += ["--workers", str(workers)]
    with log_path.open("w") as log:
        serve = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        base = f"http://127.0.0.1:{port}"
        asyncio.run(coding_load.wait_up(base, "/readyz", serve))
        world = asyncio.run(world_for(url, base, args.coders, args.doc_chars))
        print(f"accord serve, {workers} worker(s): {args.coders} coders set up", flush=True)
        rows = sweep(
            port,
            accord_lanes(world),
            args.rates,
            args.duration,
            scratch,
            '"Coding"',
            coding_load.SPAN,
            args.warmup,
        )
    finally:
        serve.terminate()
        try:
            serve.wait(timeout=30)
        except subprocess.TimeoutExpired:
            serve.kill()
    rows = [r for r in rows if not r["warmup"]]
    return {
        "workers": workers,
        "rows": rows,
        "highest_rate_p99_within_150ms": highest_rate_within(rows, P99_LIMIT_MS),
        "server_log_errors": coding_load._log_errors(log_path),
    }


def markdown(runs: list[dict[str, Any]]) -> str:
    lines = [
        "| workers | offered /s | answered /s | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        for r in run["rows"]:
            lines.append(
                f"| {run['workers']} | {r['rate']:.0f} | {r['achieved_per_s']:.0f} | "
                f"{r['p50_ms'] or 0:.0f} | {r['p95_ms'] or 0:.0f} | {r['p99_ms'] or 0:.0f} | "
                f"{r['errors']} |"
            )
    for run in runs:
        best = run["highest_rate_p99_within_150ms"]
        lines.append("")
        lines.append(
            f"{run['workers']} worker(s): highest rate with p99 ≤ 150 ms: "
            + (f"{best:.0f} /s" if best is not None else "none of those offered")
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rates", default="100,200,300,400")
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--coders", type=int, default=50)
    parser.add_argument("--doc-chars", type=int, default=coding_load.DOC_CHARS)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--always-pass-workers", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.rates = [float(r) for r in args.rates.split(",")]
    wanted = [int(w) for w in args.workers.split(",")]
    supported = serve_supports_workers()
    counts = wanted if supported else [w for w in wanted if w == 1]
    skipped = [w for w in wanted if w not in counts]
    if skipped:
        print(f"accord serve has no --workers here: skipping {skipped} worker(s)", flush=True)

    from accord.config import Settings
    from accord.db.target import database_url

    data_dir = Path(tempfile.mkdtemp(prefix="accord-open-loop-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}
    env.update(
        ACCORD_DATA_DIR=str(data_dir),
        ACCORD_SECRET_KEY="bench-" + "k" * 40,
        ACCORD_LOG_LEVEL="WARNING",
    )
    runs = []
    with database_url(Settings.from_env(env)) as url:
        for workers in counts:
            runs.append(run_accord(args, url, env, workers, data_dir))
    report = {
        "rates": args.rates,
        "duration_s": args.duration,
        "coders": args.coders,
        "doc_chars": args.doc_chars,
        "cpus": os.cpu_count(),
        "skipped_worker_counts": skipped,
        "runs": runs,
        "goal_300_per_s_p99_ms": {
            run["workers"]: next((r["p99_ms"] for r in run["rows"] if r["rate"] == GOAL_RATE), None)
            for run in runs
        },
    }
    print(json.dumps(report, indent=2))
    print(markdown(runs))


if __name__ == "__main__":
    main()
