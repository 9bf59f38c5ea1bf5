"""The coder's workspace on a 5 MB transcript with 20,000 codings, in headless Chromium.

    python bench/ui_transcript.py [--runs 3] [--turns 23500] [--codings 20000]

Starts the embedded PostgreSQL on a fresh data dir and `accord serve` on it, imports a
transcript of about 5 MB in speaker turns (æøå and emoji included) twice, puts 20,000
codings (overlapping, up to 5 deep) in one coder's layer on the first copy, and opens
the workspace as that coder in Debian's Chromium. Measured, from navigation start:

- first paint: the first unit of the transcript on screen;
- codable: the coder's layer loaded, so a key press codes the selection;
- whole text in the page: every unit drawn (find-in-page covers all of it);
- key to coding drawn: from the key press (`1`-`9` on a selected unit) to the frame
  that shows the new coding's lane, 10 times.

Baselines in the same run: the same transcript with no codings, and the plain text in a
`<pre>` (Chromium's own floor for putting 5 MB of text on screen).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from uuid import UUID

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "server"))
sys.path.insert(0, str(ROOT))

import asyncpg  # noqa: E402
import httpx  # noqa: E402
from playwright.async_api import Page, async_playwright  # noqa: E402

from bench.coding_load import free_port, wait_up  # noqa: E402

_PHRASES = (
    "jeg ringte kollegaen min en kveld og hun lyttet lenge før hun sa noe om vaktene",
    "det var lettere å snakke med noen som kjenner jobben æøå fastlege sykehus",
    "I could not cope with the on-call rota and nobody asked how I was doing",
)
WORDS = [word for phrase in _PHRASES for word in phrase.split(" ")] + ["😊", "👨‍👩‍👧"]

# Marks in the page: when the first unit appears, when the workspace says it is ready
# and when it says the whole transcript is drawn; and key-to-frame times.
INIT = """
window.__marks = {};
new MutationObserver(() => {
  const m = window.__marks;
  if (!m.firstUnit && document.querySelector('section.unit, pre')) {
    m.firstUnit = performance.now();
    requestAnimationFrame(() => requestAnimationFrame(() => m.firstPaint = performance.now()));
  }
  const ws = document.querySelector('.workspace');
  if (ws && !m.ready && ws.dataset.ready === 'yes') m.ready = performance.now();
  if (ws && !m.drawn && ws.dataset.drawn === 'yes') m.drawn = performance.now();
}).observe(document, {subtree: true, childList: true, attributes: true});
"""

KEY_TO_FRAME = """(unitIndex) => new Promise((resolve) => {
  const text = document.querySelectorAll('section.unit .unit-text')[unitIndex];
  let pressed = 0;
  const onKey = (e) => { if (/^[1-9]$/.test(e.key)) pressed = performance.now(); };
  window.addEventListener('keydown', onKey, {capture: true, once: true});
  const seen = new MutationObserver(() => {
    if (!pressed) return;
    seen.disconnect();
    requestAnimationFrame(() => requestAnimationFrame(() =>
      resolve(performance.now() - pressed)));
  });
  seen.observe(text, {childList: true, subtree: true, characterData: true});
  window.__keyWatch = true;
})"""


def transcript(turns: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    lines = []
    for i in range(turns):
        speaker = "Interviewer" if i % 2 == 0 else f"P{(i // 200) % 40 + 1:02d}"
        n = rng.randint(34, 84) if i % 2 else rng.randint(6, 22)
        lines.append(f"{speaker}: " + " ".join(rng.choice(WORDS) for _ in range(n)))
    return "\n".join(lines) + "\n"


async def gql(client: httpx.AsyncClient, token: str, q: str, v: dict[str, Any]) -> Any:
    r = await client.post(
        "/graphql", json={"query": q, "variables": v}, headers={"authorization": f"Bearer {token}"}
    )
    body = r.json()
    if body.get("errors"):
        raise RuntimeError(body["errors"])
    return body["data"]


async def setup(url: str, base: str, turns: int, n_codings: int) -> dict[str, Any]:
    from accord.config import Settings
    from accord.users import service as users

    conn = await asyncpg.connect(url)
    try:
        settings = Settings.from_env({"ACCORD_DATABASE_URL": url, "ACCORD_SECRET_KEY": "x" * 40})
        del settings
        lead = await users.create_user(conn, "lead@bench.example", "Lead", "bench-password-lead")
        coder = await users.create_user(
            conn, "coder@bench.example", "Coder", "bench-password-coder"
        )
        token = (await users.create_token(conn, lead, "bench")).token
    finally:
        await conn.close()
    text = transcript(turns)
    async with httpx.AsyncClient(base_url=base, timeout=300) as client:
        project = (
            await gql(
                client,
                token,
                'mutation { createProject(name: "UI bench") { ... on Project { id } } }',
                {},
            )
        )["createProject"]["id"]
        await gql(
            client,
            token,
            "mutation($p: ID!, $e: String!) { addMember(projectId: $p, email: $e, "
            "role: CODER) { __typename } }",
            {"p": project, "e": "coder@bench.example"},
        )
        codes = []
        for i in range(20):
            made = await gql(
                client,
                token,
                "mutation($p: ID!, $n: String!) { createCode(projectId: $p, "
                "input: {name: $n}) { ... on Code { id } } }",
                {"p": project, "n": f"Code {i + 1}"},
            )
            codes.append(made["createCode"]["id"])
        docs = []
        for title in ("Coded", "Uncoded"):
            made = await gql(
                client,
                token,
                "mutation($p: ID!, $t: String!, $x: String!) { importDocument(projectId: $p, "
                "title: $t, text: $x) { ... on Document { id length } ... on UserError "
                "{ message } } }",
                {"p": project, "t": title, "x": text},
            )
            doc = made["importDocument"]
            if "id" not in doc:
                raise RuntimeError(doc)
            docs.append(doc["id"])
            await gql(
                client,
                token,
                "mutation($d: ID!, $u: ID!) { assignDocument(documentId: $d, userId: $u) "
                "{ __typename } }",
                {"d": doc["id"], "u": str(coder.id)},
            )
    length = len(text)
    rng = random.Random(11)
    rows = []
    for _ in range(n_codings):
        start = rng.randrange(0, length - 400)
        rows.append((start, start + rng.randint(20, 400), UUID(rng.choice(codes))))
    conn = await asyncpg.connect(url)
    try:
        round_id = await conn.fetchval(
            "SELECT id FROM rounds WHERE project_id = $1 AND is_default", UUID(project)
        )
        # Straight into the table: the workspace's reading is measured, not applyCode.
        await conn.executemany(
            "INSERT INTO codings (project_id, document_id, round_id, coder_id, code_id, "
            "start_offset, end_offset) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            [(UUID(project), UUID(docs[0]), round_id, coder.id, c, s, e) for s, e, c in rows],
        )
    finally:
        await conn.close()
    return {"project": project, "docs": docs, "text": text, "bytes": len(text.encode())}


async def open_workspace(page: Page, base: str, project: str, doc: str) -> dict[str, float]:
    await page.goto(f"{base}/p/{project}/code/{doc}")
    await page.wait_for_selector(".workspace[data-ready=yes][data-drawn=yes]", timeout=300_000)
    await page.wait_for_function("window.__marks.firstPaint !== undefined")
    marks: dict[str, float] = await page.evaluate("window.__marks")
    return marks


async def key_to_frame(page: Page, samples: int) -> list[float]:
    times = []
    for i in range(samples):
        unit = 40 + i * 2
        await page.evaluate(f"document.querySelectorAll('section.unit')[{unit}].scrollIntoView()")
        await page.locator(".transcript").focus()
        await page.keyboard.press("Escape")
        # The caret into unit `unit` by a click, then Alt+↓ takes the whole unit.
        await page.locator(f"section.unit >> nth={unit} >> .unit-text").click(
            position={"x": 2, "y": 5}
        )
        await page.keyboard.press("Alt+ArrowDown")
        waiting = asyncio.create_task(page.evaluate(KEY_TO_FRAME, unit))
        await page.wait_for_function("window.__keyWatch === true")
        await page.evaluate("window.__keyWatch = false")
        # Keys 1-9 in turn: a code the unit already has in full would change nothing.
        await page.keyboard.press(str(i % 9 + 1))
        try:
            times.append(await asyncio.wait_for(waiting, 10))
        except TimeoutError:
            print(f"  unit {unit}: nothing to draw (the code was there already)", flush=True)
    return times


async def pre_baseline(page: Page, text: str) -> dict[str, float]:
    html = (
        "<!doctype html><meta charset=utf-8><title>pre</title><pre>"
        + (text.replace("&", "&amp;").replace("<", "&lt;"))
        + "</pre>"
    )
    await page.route(
        "**/pre-baseline", lambda route: route.fulfill(body=html, content_type="text/html")
    )
    await page.goto("http://127.0.0.1:9/pre-baseline")
    await page.wait_for_function("window.__marks.firstPaint !== undefined")
    marks: dict[str, float] = await page.evaluate("window.__marks")
    return marks


async def log_in(context: Any, base: str) -> None:
    r = await context.request.post(
        f"{base}/graphql",
        data={
            "query": 'mutation { login(email: "coder@bench.example", '
            'password: "bench-password-coder") { __typename } }'
        },
    )
    assert (await r.json())["data"]["login"]["__typename"] == "User"


def median(values: list[float]) -> float:
    return statistics.median(values)


async def main_async(args: argparse.Namespace, url: str, env: dict[str, str]) -> None:
    port = free_port()
    log = (Path(env["ACCORD_DATA_DIR"]) / "serve.log").open("w")
    serve = subprocess.Popen(
        [sys.executable, "-m", "accord.cli.main", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        await wait_up(base, "/readyz", serve)
        world = await setup(url, base, args.turns, args.codings)
        print(
            f"transcript: {world['bytes']:,} bytes, {args.turns:,} turns; {args.codings:,} codings",
            flush=True,
        )
        results: dict[str, list[dict[str, float]]] = {"coded": [], "uncoded": [], "pre": []}
        keys: list[float] = []
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            )
            for run in range(args.runs):
                for name, doc in (("coded", world["docs"][0]), ("uncoded", world["docs"][1])):
                    context = await browser.new_context(viewport={"width": 1280, "height": 800})
                    await context.add_init_script(INIT)
                    await log_in(context, base)
                    page = await context.new_page()
                    results[name].append(await open_workspace(page, base, world["project"], doc))
                    if name == "coded" and run == 0:
                        keys = await key_to_frame(page, args.keys)
                    await context.close()
                context = await browser.new_context(viewport={"width": 1280, "height": 800})
                await context.add_init_script(INIT)
                page = await context.new_page()
                results["pre"].append(await pre_baseline(page, world["text"]))
                await context.close()
                print(f"run {run + 1} done", flush=True)
            await browser.close()
        print()
        print("| page | first paint | codable | whole text in the page |")
        print("| --- | --- | --- | --- |")
        for name, label in (
            ("coded", f"workspace, {args.codings:,} codings"),
            ("uncoded", "workspace, same transcript, no codings (baseline)"),
            ("pre", "plain text in a <pre> (baseline)"),
        ):
            rows = results[name]
            fp = median([r["firstPaint"] for r in rows]) / 1000
            # Codable: the text on screen and the layer loaded, whichever comes last.
            ready = median([max(r.get("ready", 0), r["firstPaint"]) for r in rows]) / 1000
            drawn = median([r.get("drawn", r["firstPaint"]) for r in rows]) / 1000
            print(f"| {label} | {fp:.2f} s | {ready:.2f} s | {drawn:.2f} s |")
        print()
        print(
            f"key to coding drawn ({len(keys)} presses): median {median(keys):.0f} ms, "
            f"max {max(keys):.0f} ms"
        )
    finally:
        serve.terminate()
        serve.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--turns", type=int, default=23_500)
    parser.add_argument("--codings", type=int, default=20_000)
    parser.add_argument("--keys", type=int, default=10)
    args = parser.parse_args()
    from accord.config import Settings
    from accord.db.target import database_url

    data_dir = Path(tempfile.mkdtemp(prefix="accord-bench-ui-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}
    env.update(
        ACCORD_DATA_DIR=str(data_dir),
        ACCORD_SECRET_KEY="bench-" + "k" * 40,
        ACCORD_LOG_LEVEL="WARNING",
        ACCORD_MAX_DOCUMENT_BYTES="6000000",
        ACCORD_MAX_REQUEST_BYTES="14000000",
    )
    try:
        with database_url(Settings.from_env(env)) as url:
            asyncio.run(main_async(args, url, env))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
