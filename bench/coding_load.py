"""Coding load benchmark: 50 coders running applyCode against a real `accord serve`.

    python bench/coding_load.py [--duration 30] [--coders 50]

Starts the embedded PostgreSQL on a fresh data dir, then `accord serve` (one uvicorn
worker) on it. Each coder holds a token and one assigned document, and applies
consecutive non-overlapping 5-character segments in a loop with httpx over loopback.
Every acknowledged coding id is then looked up in the database (lost writes). The same
load is run against a baseline: a bare Starlette route defined here doing the same
INSERT with asyncpg, served by uvicorn in a subprocess the same way. Second scenario:
reading `document { codings }` on a document with 5,000 codings.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "server"))

import asyncpg  # noqa: E402
import httpx  # noqa: E402

SPAN = 5
DOC_CHARS = 200_000

APPLY = """mutation($i: ApplyCodeInput!) { applyCode(input: $i) {
  __typename ... on Coding { id } ... on UserError { code message } } }"""


# --- the baseline server ----------------------------------------------------------------


def baseline_app(url: str) -> Any:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    state: dict[str, Any] = {}

    async def lifespan(app: Any) -> Any:
        state["pool"] = await asyncpg.create_pool(url, min_size=1, max_size=10)
        yield
        await state["pool"].close()

    async def apply(request: Request) -> JSONResponse:
        b = await request.json()
        async with state["pool"].acquire() as conn:
            coding_id = await conn.fetchval(
                "INSERT INTO codings (project_id, document_id, round_id, coder_id, code_id,"
                " start_offset, end_offset) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                *(b[k] for k in ("project", "document", "round", "coder", "code")),
                b["start"],
                b["end"],
            )
        return JSONResponse({"id": str(coding_id)})

    from contextlib import asynccontextmanager

    return Starlette(
        routes=[Route("/apply", apply, methods=["POST"])], lifespan=asynccontextmanager(lifespan)
    )


def run_baseline(url: str, port: int) -> None:
    import uvicorn

    uvicorn.run(baseline_app(url), host="127.0.0.1", port=port, log_level="warning")


# --- helpers ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


async def wait_up(base: str, path: str, proc: subprocess.Popen[bytes]) -> None:
    async with httpx.AsyncClient(base_url=base) as client:
        for _ in range(600):
            if proc.poll() is not None:
                raise SystemExit(f"server exited: {proc.returncode}")
            try:
                r = await client.request("GET" if path != "/apply" else "OPTIONS", path)
                if r.status_code < 500:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise SystemExit(f"{base} never came up")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its descendants still running (Linux)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                pending.extend(int(c) for c in children)
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, round(q / 100 * (len(s) - 1)))] * 1000


async def gql(client: httpx.AsyncClient, token: str, query: str, variables: dict[str, Any]) -> Any:
    r = await client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"authorization": f"Bearer {token}"},
    )
    body = r.json()
    if body.get("errors"):
        raise RuntimeError(body["errors"])
    return body["data"]


async def load(
    base: str, coders: list[dict[str, Any]], duration: float, send: Any
) -> dict[str, Any]:
    """Each coder loops for `duration`; `send(client, coder, start)` returns an id or None."""
    latencies: list[float] = []
    acked: list[str] = []
    errors: list[str] = []
    # Each coder has a client of their own with one connection, as real coders do. One
    # shared client would spend its CPU assigning queued requests to pooled connections
    # (httpcore scans them all for every request), which grows with the server's latency
    # and so measures the client, not the server. Idle connections are dropped before
    # uvicorn's 5 s keep-alive closes them, so no request races a server-side close.
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1, keepalive_expiry=2.0)
    deadline = time.perf_counter() + duration

    async def coder_loop(coder: dict[str, Any]) -> None:
        async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
            await one_coder(client, coder)

    async def one_coder(client: httpx.AsyncClient, coder: dict[str, Any]) -> None:
        n = 0
        while time.perf_counter() < deadline:
            start = coder["offset"] + n * SPAN
            n += 1
            t0 = time.perf_counter()
            try:
                made = await send(client, coder, start)
            except Exception as exc:  # every failure counts as an error
                errors.append(repr(exc)[:200])
                continue
            latencies.append(time.perf_counter() - t0)
            if made is None:
                errors.append("no id")
            else:
                acked.append(made)
        coder["offset"] += n * SPAN

    t_start = time.perf_counter()
    await asyncio.gather(*(coder_loop(c) for c in coders))
    elapsed = time.perf_counter() - t_start
    return {
        "requests": len(latencies) + len([e for e in errors if e != "no id"]),
        "acked": acked,
        "errors": errors,
        "throughput": len(acked) / elapsed,
        "p50": pct(latencies, 50),
        "p95": pct(latencies, 95),
        "p99": pct(latencies, 99),
        "elapsed": elapsed,
    }


async def lost(url: str, ids: list[str]) -> int:
    conn = await asyncpg.connect(url)
    try:
        found = await conn.fetchval("SELECT count(*) FROM codings WHERE id = ANY($1::uuid[])", ids)
    finally:
        await conn.close()
    return len(set(ids)) - int(found)


# --- the benchmark ------------------------------------------------------------------------


async def setup(url: str, base: str, n_coders: int, doc_chars: int = DOC_CHARS) -> dict[str, Any]:
    from accord.users import service as users

    pool = await asyncpg.create_pool(url, min_size=1, max_size=4)
    assert pool is not None
    people = []
    async with pool.acquire() as conn, conn.transaction():
        for i in range(n_coders + 1):
            name = "lead" if i == 0 else f"coder{i:02d}"
            user = await users.create_user(
                conn, f"{name}-{secrets.token_hex(3)}@example.org", name, secrets.token_urlsafe(12)
            )
            token = (await users.create_token(conn, user, "bench")).token
            people.append({"id": str(user.id), "email": user.email, "token": token})
    await pool.close()
    lead, coders = people[0], people[1:]
    text = ("Jeg ringte kollegatelefonen og fikk svar. " * (doc_chars // 42 + 1))[:doc_chars]
    async with httpx.AsyncClient(base_url=base, timeout=120) as c:
        t = lead["token"]
        project = (
            await gql(
                c, t, 'mutation { createProject(name: "Load") { ... on Project { id } } }', {}
            )
        )["createProject"]["id"]
        code_ids = []
        for name in ("Phone", "Baseline"):
            code_ids.append(
                (
                    await gql(
                        c,
                        t,
                        "mutation($p: ID!, $n: String!) { createCode(projectId: $p,"
                        " input: {name: $n}) { ... on Code { id } ... on UserError { message } } }",
                        {"p": project, "n": name},
                    )
                )["createCode"]["id"]
            )
        for i, coder in enumerate(coders):
            link = (
                await gql(
                    c,
                    t,
                    "mutation($p: ID!, $e: String!) { inviteMember(projectId: $p, email: $e,"
                    " role: CODER) { ... on IssuedInvitation { link } } }",
                    {"p": project, "e": coder["email"]},
                )
            )["inviteMember"]["link"]
            await gql(
                c,
                coder["token"],
                "mutation($t: String!) { joinByInvitation(token: $t) { __typename } }",
                {"t": link.rsplit("/", 1)[-1]},
            )
            doc = (
                await gql(
                    c,
                    t,
                    "mutation($p: ID!, $t: String!, $x: String!) { importDocument(projectId: $p,"
                    " title: $t, text: $x) { ... on Document { id }"
                    " ... on UserError { message } } }",
                    {"p": project, "t": f"Interview {i + 1}", "x": text},
                )
            )["importDocument"]["id"]
            await gql(
                c,
                t,
                "mutation($d: ID!, $u: ID!) { assignDocument(documentId: $d, userId: $u)"
                " { __typename } }",
                {"d": doc, "u": coder["id"]},
            )
            coder.update(document=doc, offset=0)
    conn = await asyncpg.connect(url)
    try:
        round_id = await conn.fetchval(
            "SELECT id FROM rounds WHERE project_id = $1::uuid ORDER BY created_at LIMIT 1", project
        )
    finally:
        await conn.close()
    return {
        "lead": lead,
        "coders": coders,
        "project": project,
        "phone": code_ids[0],
        "baseline_code": code_ids[1],
        "round": str(round_id),
    }


async def read_scenario(
    url: str, base: str, world: dict[str, Any], reps: int, page: int
) -> dict[str, Any]:
    """A fresh document with 5,000 codings of one coder; read it as the lead."""
    lead, coder = world["lead"], world["coders"][0]
    text = ("Jeg ringte kollegatelefonen og fikk svar. " * 1000)[:30_000]
    async with httpx.AsyncClient(base_url=base, timeout=120) as c:
        doc = (
            await gql(
                c,
                lead["token"],
                'mutation($p: ID!, $x: String!) { importDocument(projectId: $p, title: "Big",'
                " text: $x) { ... on Document { id } } }",
                {"p": world["project"], "x": text},
            )
        )["importDocument"]["id"]
        await gql(
            c,
            lead["token"],
            "mutation($d: ID!, $u: ID!) {"
            " assignDocument(documentId: $d, userId: $u) { __typename } }",
            {"d": doc, "u": coder["id"]},
        )
        conn = await asyncpg.connect(url)
        try:
            await conn.execute(
                "INSERT INTO codings (project_id, document_id, round_id, coder_id, code_id,"
                " start_offset, end_offset)"
                " SELECT $1::uuid, $2::uuid, $3::uuid, $4::uuid, $5::uuid, g * 5, g * 5 + 4"
                " FROM generate_series(0, 4999) g",
                world["project"],
                doc,
                world["round"],
                coder["id"],
                world["phone"],
            )
        finally:
            await conn.close()
        query = """query($d: ID!, $a: String, $n: Int) {
          document(id: $d) { codings(first: $n, after: $a) {
          totalCount pageInfo { hasNextPage endCursor }
          nodes { id start end text code { name } coder { email } } } } }"""
        page_times: list[float] = []
        full_times: list[float] = []
        for _ in range(reps):
            t_full = time.perf_counter()
            after, n = None, 0
            while True:
                t0 = time.perf_counter()
                data = await gql(c, lead["token"], query, {"d": doc, "a": after, "n": page})
                page_times.append(time.perf_counter() - t0)
                conn_ = data["document"]["codings"]
                n += len(conn_["nodes"])
                if not conn_["pageInfo"]["hasNextPage"]:
                    break
                after = conn_["pageInfo"]["endCursor"]
            full_times.append(time.perf_counter() - t_full)
            assert n == 5000 and conn_["totalCount"] == 5000, (n, conn_["totalCount"])
        # The same codings as columns, the way a transcript view reads a whole layer.
        table_query = """query($d: ID!) { document(id: $d) {
          codingTable { count ids starts ends codeIds coderIds texts } } }"""
        table_times: list[float] = []
        for _ in range(reps):
            t0 = time.perf_counter()
            data = await gql(c, lead["token"], table_query, {"d": doc})
            table_times.append(time.perf_counter() - t0)
            assert data["document"]["codingTable"]["count"] == 5000
    return {
        "page_p50": pct(page_times, 50),
        "page_p95": pct(page_times, 95),
        "full_p50": pct(full_times, 50),
        "full_p95": pct(full_times, 95),
        "reps": reps,
        "pages": len(page_times) // reps,
        "table_p50": pct(table_times, 50),
        "table_p95": pct(table_times, 95),
    }


async def main_async(args: argparse.Namespace, url: str, env: dict[str, str]) -> None:
    procs: list[subprocess.Popen[bytes]] = []
    if True:
        try:
            port, bport = free_port(), free_port()
            # The server's log is kept, so an error seen by a client can be traced.
            server_log = (Path(env["ACCORD_DATA_DIR"]) / "serve.log").open("w")
            serve = subprocess.Popen(
                [sys.executable, "-m", "accord.cli.main", "serve", "--port", str(port)],
                cwd=ROOT,
                env=env,
                stdout=server_log,
                stderr=server_log,
            )
            procs.append(serve)
            base = f"http://127.0.0.1:{port}"
            await wait_up(base, "/readyz", serve)
            baseline = subprocess.Popen(
                [sys.executable, __file__, "--baseline-server", str(bport), "--url", url],
                cwd=ROOT,
                env=env,
            )
            procs.append(baseline)
            bbase = f"http://127.0.0.1:{bport}"
            await wait_up(bbase, "/apply", baseline)
            world = await setup(url, base, args.coders)
            print(
                f"setup done: {args.coders} coders, one {DOC_CHARS}-char document each", flush=True
            )

            async def send_accord(
                client: httpx.AsyncClient, coder: dict[str, Any], start: int
            ) -> Any:
                r = await client.post(
                    "/graphql",
                    json={
                        "query": APPLY,
                        "variables": {
                            "i": {
                                "documentId": coder["document"],
                                "codeId": world["phone"],
                                "start": start,
                                "end": start + SPAN,
                            }
                        },
                    },
                    headers={"authorization": f"Bearer {coder['token']}"},
                )
                made = r.json()["data"]["applyCode"]
                if made["__typename"] != "Coding":
                    raise RuntimeError(made)
                return made["id"]

            async def send_baseline(
                client: httpx.AsyncClient, coder: dict[str, Any], start: int
            ) -> Any:
                r = await client.post(
                    "/apply",
                    json={
                        "project": world["project"],
                        "document": coder["document"],
                        "round": world["round"],
                        "coder": coder["id"],
                        "code": world["baseline_code"],
                        "start": start,
                        "end": start + SPAN,
                    },
                )
                r.raise_for_status()
                return r.json()["id"]

            cpu0 = cpu_seconds(serve.pid)
            ours = await load(base, world["coders"], args.duration, send_accord)
            ours["server_cpu_ms_per_request"] = (
                (cpu_seconds(serve.pid) - cpu0) * 1000 / max(1, len(ours["acked"]))
            )
            ours["lost"] = await lost(url, ours["acked"])
            print("accord done", flush=True)
            for coder in world["coders"]:
                coder["offset"] = 0  # the baseline uses its own code, so the same spans
            cpu0 = cpu_seconds(baseline.pid)
            bare = await load(bbase, world["coders"], args.duration, send_baseline)
            bare["server_cpu_ms_per_request"] = (
                (cpu_seconds(baseline.pid) - cpu0) * 1000 / max(1, len(bare["acked"]))
            )
            bare["lost"] = await lost(url, bare["acked"])
            print("baseline done", flush=True)
            reads = await read_scenario(url, base, world, args.read_reps, args.page)
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
    report = {
        "coders": args.coders,
        "duration_s": args.duration,
        "accord": {k: v for k, v in ours.items() if k != "acked"}
        | {
            "acked": len(ours["acked"]),
            "errors": len(ours["errors"]),
            "error_samples": ours["errors"][:3],
        },
        "baseline": {k: v for k, v in bare.items() if k != "acked"}
        | {
            "acked": len(bare["acked"]),
            "errors": len(bare["errors"]),
            "error_samples": bare["errors"][:3],
        },
        "ratio": ours["throughput"] / bare["throughput"] if bare["throughput"] else None,
        # Server CPU per acknowledged request, the baseline's over Accord's: what the
        # throughput ratio tends to when both servers are CPU-bound on a core of their own.
        "cpu_ratio": bare["server_cpu_ms_per_request"] / ours["server_cpu_ms_per_request"],
        "read_5000": reads,
        "cpus": os.cpu_count(),
        "server_log_errors": _log_errors(Path(env["ACCORD_DATA_DIR"]) / "serve.log"),
    }
    print(json.dumps(report, indent=2, default=str))


def _log_errors(path: Path) -> list[str]:
    """Error lines the server logged during the run (it logs at WARNING and above)."""
    if not path.exists():
        return []
    lines = path.read_text(errors="replace").splitlines()
    return [line for line in lines if "ERROR" in line or "Traceback" in line][:10]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--coders", type=int, default=50)
    parser.add_argument("--read-reps", type=int, default=20)
    parser.add_argument(
        "--page",
        type=int,
        default=200,
        help="codings per request in the read scenario (at most 200, the API's page limit; "
        "the whole document comes in one codingTable call as well)",
    )
    parser.add_argument("--baseline-server", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline_server:
        run_baseline(args.url, args.baseline_server)
        return
    from accord.config import Settings
    from accord.db.target import database_url

    data_dir = Path(tempfile.mkdtemp(prefix="accord-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}
    env.update(
        ACCORD_DATA_DIR=str(data_dir),
        ACCORD_SECRET_KEY="bench-" + "k" * 40,
        ACCORD_LOG_LEVEL="WARNING",
    )
    # Starts the embedded PostgreSQL on the fresh data dir; `accord serve` joins it.
    with database_url(Settings.from_env(env)) as url:
        asyncio.run(main_async(args, url, env))


if __name__ == "__main__":
    main()
