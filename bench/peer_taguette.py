"""Accord's applyCode against a peer's: Taguette's highlight create, in one run.

    python bench/peer_taguette.py [--rates 10,25,50,100,200] [--duration 15]
                                  [--coders 50] [--peer-venv bench/.peer/taguette]

Taguette is never a dependency of Accord. At bench time it is installed with pip
(``taguette`` and ``psycopg2-binary``, its PostgreSQL driver) into a virtual
environment of its own (``--peer-venv``, made when missing). Both servers listen on
127.0.0.1 only, and each has an embedded PostgreSQL of its own on a fresh data dir,
started by Accord's embedded-database code (Taguette gets a database named
``taguette`` in its own server). Taguette runs in its multi-user server mode (its
``taguette server CONFIG``); its start-up request to msg.taguette.org for news is
patched out before it starts, so it makes no request off the machine.

Both get the same study: 50 coders, each with an account, its own session or token and
one 350,000-character document (Taguette: the same text in one ``<p>`` of an
uploaded ``.html`` file, which Taguette imports without a converter), one code or tag.
The same open-loop load generator (`bench/loadgen.py`, a process of its own) offers
both servers the same rates, each coder taking turns on consecutive non-overlapping
5-character spans: Accord's applyCode over GraphQL with a bearer token, Taguette's
``POST /api/project/P/document/D/highlight/new`` with its session cookie and XSRF
header. Afterwards the rows in each database are counted against the acknowledged
writes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "server"))
sys.path.insert(0, str(HERE))

import asyncpg  # noqa: E402
import coding_load  # noqa: E402
import httpx  # noqa: E402
import open_loop  # noqa: E402

DOC_CHARS = 350_000
SENTENCE = "Jeg ringte kollegatelefonen og fikk svar. "
TEXT = (SENTENCE * (DOC_CHARS // len(SENTENCE) + 1))[:DOC_CHARS]

# Run with the peer's interpreter: no news request from msg.taguette.org at start-up.
RUNNER = """
import sys
import taguette.web.base as base

def no_news(self):
    self.messages = []
    self.messages_event.set()

base.Application.check_messages = no_news
from taguette.main import main
sys.argv = ["taguette", "server", sys.argv[1]]
main()
"""

CONFIG = """
NAME = "Accord benchmark peer"
BIND_ADDRESS = "127.0.0.1"
PORT = {port}
BASE_PATH = "/"
DOMAIN = "127.0.0.1:{port}"
SECRET_KEY = "{secret}"
DATABASE = "{database}"
EMAIL = "Taguette <taguette@example.org>"
TOS_FILE = None
DEFAULT_LANGUAGE = "en_US"
MAIL_SERVER = {{"ssl": False, "host": "127.0.0.1", "port": 25}}
COOKIES_PROMPT = False
REGISTRATION_ENABLED = True
SQLITE3_IMPORT_ENABLED = False
X_HEADERS = False
MULTIUSER = True
CONVERT_TO_HTML_TIMEOUT = 180
CONVERT_FROM_HTML_TIMEOUT = 180
"""


def peer_python(venv: Path) -> Path:
    python = venv / "bin" / "python"
    if not python.exists():
        print(f"installing Taguette into {venv} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "taguette", "psycopg2-binary"],
            check=True,
        )
    return python


def peer_version(python: Path) -> str:
    out = subprocess.run(
        [str(python), "-c", "import importlib.metadata as m; print(m.version('taguette'))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


async def create_database(url: str, name: str) -> str:
    from accord.db.embedded import with_database

    conn = await asyncpg.connect(url)
    try:
        await conn.execute(f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")
    finally:
        await conn.close()
    return with_database(url, name)


async def taguette_study(base: str, coders: int) -> dict[str, Any]:
    """Accounts, a project, a tag, members and one document per coder, over HTTP."""

    async def account(login: str) -> httpx.AsyncClient:
        client = httpx.AsyncClient(base_url=base, timeout=120, follow_redirects=False)
        await client.get("/register")
        xsrf = client.cookies.get("_xsrf")
        password = secrets.token_urlsafe(12)
        r = await client.post(
            "/register",
            data={
                "login": login,
                "password1": password,
                "password2": password,
                "email": "",
                "_xsrf": xsrf or "",
            },
        )
        if r.status_code not in (302, 303) or "user" not in client.cookies:
            raise SystemExit(f"Taguette registration failed: {r.status_code} {r.text[:300]}")
        return client

    lead = await account("lead")
    xsrf = lead.cookies["_xsrf"]
    r = await lead.post("/project/new", data={"name": "Load", "description": "", "_xsrf": xsrf})
    found = re.search(r"/project/(\d+)", r.headers.get("location", ""))
    if found is None:
        raise SystemExit(f"Taguette project creation failed: {r.status_code} {r.text[:300]}")
    project = int(found.group(1))
    headers = {"X-XSRFToken": xsrf}
    r = await lead.post(
        f"/api/project/{project}/tag/new",
        json={"path": "Phone", "description": ""},
        headers=headers,
    )
    tag = r.json()["id"]
    clients = [await account(f"coder{i + 1:02d}") for i in range(coders)]
    r = await lead.patch(
        f"/api/project/{project}/members",
        json={f"coder{i + 1:02d}": {"privileges": "TAG"} for i in range(coders)},
        headers=headers,
    )
    r.raise_for_status()
    html = f"<p>{TEXT}</p>".encode()
    lanes = []
    for i, client in enumerate(clients):
        r = await lead.post(
            f"/api/project/{project}/document/new",
            data={"name": f"Interview {i + 1}", "description": "", "_xsrf": xsrf},
            files={"file": ("interview.html", html, "text/html")},
            headers=headers,
        )
        r.raise_for_status()
        document = r.json()["created"]
        cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
        lanes.append(
            {
                "path": f"/api/project/{project}/document/{document}/highlight/new",
                "headers": {"Cookie": cookie, "X-XSRFToken": client.cookies["_xsrf"]},
                "body": '{"start_offset": {start}, "end_offset": {end}, "tags": [TAG]}'.replace(
                    "TAG", str(tag)
                ),
                "offset": 0,
            }
        )
        await client.aclose()
    await lead.aclose()
    return {"project": project, "tag": tag, "lanes": lanes}


async def count_rows(url: str, query: str, *args: Any) -> int:
    conn = await asyncpg.connect(url)
    try:
        return int(await conn.fetchval(query, *args))
    finally:
        await conn.close()


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rates", default="10,25,50,100,200")
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--coders", type=int, default=50)
    parser.add_argument("--peer-venv", type=Path, default=HERE / ".peer" / "taguette")
    args = parser.parse_args()
    rates = [float(r) for r in args.rates.split(",")]
    python = peer_python(args.peer_venv.resolve())
    version = peer_version(python)

    from accord.config import Settings
    from accord.db.target import database

    scratch = Path(tempfile.mkdtemp(prefix="accord-peer-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}
    env.update(
        ACCORD_DATA_DIR=str(scratch / "accord"),
        ACCORD_SECRET_KEY="bench-" + "k" * 40,
        ACCORD_LOG_LEVEL="WARNING",
    )
    peer_env = {"ACCORD_DATA_DIR": str(scratch / "taguette-pg")}
    report: dict[str, Any] = {
        "taguette_version": version,
        "doc_chars": DOC_CHARS,
        "rates": rates,
        "duration_s": args.duration,
        "coders": args.coders,
    }
    with ExitStack() as stack:
        accord_url, _ = stack.enter_context(database(Settings.from_env(env)))
        pg_url, _ = stack.enter_context(
            database(Settings.from_env(peer_env), migrate_embedded=False)
        )
        taguette_url = asyncio.run(create_database(pg_url, "taguette"))

        # --- Taguette ----------------------------------------------------------------
        port = coding_load.free_port()
        config = scratch / "taguette-config.py"
        config.write_text(
            CONFIG.format(
                port=port,
                secret=secrets.token_hex(20),
                database=taguette_url.replace("postgres://", "postgresql://", 1),
            )
        )
        runner = scratch / "run_taguette.py"
        runner.write_text(RUNNER)
        with (scratch / "taguette.log").open("w") as log:
            peer = subprocess.Popen(
                [str(python), str(runner), str(config)],
                stdin=subprocess.DEVNULL,  # its admin account gets a random password
                stdout=log,
                stderr=log,
                cwd=scratch,
            )
        try:
            base = f"http://127.0.0.1:{port}"
            asyncio.run(coding_load.wait_up(base, "/login", peer))
            study = asyncio.run(taguette_study(base, args.coders))
            print(f"Taguette {version}: {args.coders} coders set up", flush=True)
            rows = open_loop.sweep(
                port,
                study["lanes"],
                rates,
                args.duration,
                scratch,
                '"id"',
                5,
                args.warmup,
                stop_when_saturated=True,
            )
        finally:
            stop(peer)
        stored = asyncio.run(count_rows(taguette_url, "SELECT count(*) FROM highlights"))
        report["taguette"] = {"rows": rows, "stored": stored}

        # --- Accord ------------------------------------------------------------------
        port = coding_load.free_port()
        log_path = scratch / "accord.log"
        with log_path.open("w") as log:
            serve = subprocess.Popen(
                [sys.executable, "-m", "accord.cli.main", "serve", "--port", str(port)],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=log,
            )
        try:
            base = f"http://127.0.0.1:{port}"
            asyncio.run(coding_load.wait_up(base, "/readyz", serve))
            world = asyncio.run(coding_load.setup(accord_url, base, args.coders, DOC_CHARS))
            print(f"Accord: {args.coders} coders set up", flush=True)
            rows = open_loop.sweep(
                port,
                open_loop.accord_lanes(world),
                rates,
                args.duration,
                scratch,
                '"Coding"',
                coding_load.SPAN,
                args.warmup,
                stop_when_saturated=True,
            )
        finally:
            stop(serve)
        stored = asyncio.run(
            count_rows(
                accord_url, "SELECT count(*) FROM codings WHERE project_id = $1", world["project"]
            )
        )
        report["accord"] = {
            "rows": rows,
            "stored": stored,
            "server_log_errors": coding_load._log_errors(log_path),
        }
    for side in ("taguette", "accord"):
        # Every acknowledged write, the warm-up's included, is in the database.
        acked = sum(r["ok"] for r in report[side]["rows"])
        report[side]["acknowledged"] = acked
        report[side]["acknowledged_missing"] = max(0, acked - report[side]["stored"])
        report[side]["rows"] = [r for r in report[side]["rows"] if not r["warmup"]]
    report["cpus"] = os.cpu_count()
    report["finished"] = time.strftime("%Y-%m-%d %H:%M")
    print(json.dumps(report, indent=2))
    print(markdown(report))


def markdown(report: dict[str, Any]) -> str:
    lines = [
        "| offered /s | server | answered /s | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---|---|---|---|---|---|",
    ]
    names = {"taguette": f"Taguette {report['taguette_version']}", "accord": "Accord"}
    for rate in report["rates"]:
        for side in ("accord", "taguette"):
            r = next((r for r in report[side]["rows"] if r["rate"] == rate), None)
            if r is None:
                lines.append(f"| {rate:.0f} | {names[side]} | not offered: saturated below |")
                continue
            lines.append(
                f"| {r['rate']:.0f} | {names[side]} | {r['achieved_per_s']:.1f} | "
                f"{r['p50_ms'] or 0:.0f} | {r['p95_ms'] or 0:.0f} | {r['p99_ms'] or 0:.0f} | "
                f"{r['errors']} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
