"""The installed product: a wheel built from this checkout, installed into a fresh virtual
environment, run from an unrelated empty directory on a fresh data dir.

One wheel and one environment serve the whole session; dependencies come from the same
package index and cache as everything else. Nothing here reads the checkout at run time:
the server and the CLI run from the environment's own copy of Accord.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from tests.processes import Server, postgres_for, wait_no_postgres
from tests.support import REPO_ROOT

pytestmark = pytest.mark.slow

BUILD_TIMEOUT = 600
PASSWORD = "a kettle on the stove"

# XML namespace names: identifiers in SVG and MathML markup that no browser fetches.
NAMESPACES = (
    "http://www.w3.org/2000/svg",
    "http://www.w3.org/1999/xhtml",
    "http://www.w3.org/1999/xlink",
    "http://www.w3.org/1998/Math/MathML",
    "http://www.w3.org/XML/1998/namespace",
    "http://www.w3.org/2000/xmlns/",
)
URL = re.compile(r"https?://[^\s\"'<>()\\`]+")
# What a page loads (not what it links to): src attributes and <link href> in HTML, url()
# and @import in CSS, and the module paths a script imports.
HTML_REFS = re.compile(
    r"""\bsrc\s*=\s*["']([^"']+)["']|<link\b[^>]*?\bhref\s*=\s*["']([^"']+)["']""", re.I
)
CSS_REFS = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)|@import\s+["']([^"']+)["']""", re.I)
JS_REFS = re.compile(r"""(?:from\s*|import\s*\(\s*)["']([^"']+\.m?js)["']""")


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path
    home: Path  # an empty directory unrelated to the checkout

    @property
    def accord(self) -> list[str]:
        return [str(self.venv / "bin" / "accord")]

    @property
    def python(self) -> str:
        return str(self.venv / "bin" / "python")


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment less anything that would point back at the checkout."""
    drop = ("ACCORD_", "PYTHON", "VIRTUAL_ENV")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    return {**env, **extra}


def _run(
    args: list[str],
    *,
    cwd: Path,
    env: dict[str, str],
    stdin: str | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args,
        cwd=cwd,
        env=env,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="session")
def installed() -> Iterator[Installed]:
    # Not under pytest's private temporary folder: run as root, the embedded PostgreSQL
    # starts its binaries as an unprivileged user, who must be able to reach them, as in
    # any real installation.
    root = Path(tempfile.mkdtemp(prefix="accord-wheel-"))
    root.chmod(0o755)
    try:
        yield _install(root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _install(root: Path) -> Installed:
    dist, venv, home = root / "dist", root / "venv", root / "empty"
    home.mkdir()
    env = _clean_env()
    built = _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(REPO_ROOT)],
        cwd=home,
        env=env,
        timeout=BUILD_TIMEOUT,
    )
    assert built.returncode == 0, built.stderr
    wheels = list(dist.glob("accord-*.whl"))
    assert len(wheels) == 1, wheels
    made = _run([sys.executable, "-m", "venv", str(venv)], cwd=home, env=env)
    assert made.returncode == 0, made.stderr
    pip = _run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheels[0])],
        cwd=home,
        env=env,
        timeout=BUILD_TIMEOUT,
    )
    assert pip.returncode == 0, pip.stderr
    return Installed(wheels[0], venv, home)


def test_the_wheel_holds_the_package_data_and_the_licence(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = wheel.namelist()
        info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA"))
        metadata = wheel.read(f"{info}/METADATA").decode()
        licence = wheel.read(f"{info}/licenses/LICENSE").decode()
    assert "License-Expression: MIT" in metadata.splitlines()
    assert "License-File: LICENSE" in metadata.splitlines()
    assert licence.startswith("MIT License")
    assert {n.split("/")[0] for n in names} == {"accord", info}  # no top-level `server`
    shipped = sorted(
        n.removeprefix("accord/migrations/")
        for n in names
        if n.startswith("accord/migrations/") and n.endswith(".sql")
    )
    assert shipped == sorted(p.name for p in (REPO_ROOT / "migrations").glob("*.sql"))
    assert "accord/ui/index.html" in names
    assert "accord/auth/common_passwords/common-passwords.txt" in names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_the_installed_package_is_accord_not_server(installed: Installed) -> None:
    env = _clean_env()
    server = _run([installed.python, "-c", "import server"], cwd=installed.home, env=env)
    assert server.returncode != 0 and "No module named 'server'" in server.stderr
    probe = (
        "import json, importlib.metadata as m, accord, accord.resources as r;"
        "print(json.dumps({'file': accord.__file__, 'migrations': str(r.migrations_dir()),"
        " 'ui': str(r.ui_dir()), 'licence': m.metadata('accord')['License-Expression']}))"
    )
    found = _run([installed.python, "-c", probe], cwd=installed.home, env=env)
    assert found.returncode == 0, found.stderr
    where = json.loads(found.stdout)
    for key in ("file", "migrations", "ui"):
        assert Path(where[key]).is_relative_to(installed.venv), where
        assert not Path(where[key]).is_relative_to(REPO_ROOT), where
    assert len(list(Path(where["migrations"]).glob("*.sql"))) == len(
        list((REPO_ROOT / "migrations").glob("*.sql"))
    )
    assert where["licence"] == "MIT"


@dataclass(frozen=True)
class Running:
    server: Server
    env: dict[str, str]
    installed: Installed

    def cli(self, *args: str, stdin: str | None = None) -> str:
        done = _run(
            [*self.installed.accord, *args], cwd=self.installed.home, env=self.env, stdin=stdin
        )
        assert done.returncode == 0, done.stderr
        return done.stdout


@pytest.fixture(scope="module")
def running(installed: Installed) -> Iterator[Running]:
    # Under the system temp dir: the embedded PostgreSQL's own user must reach it.
    data_dir = Path(tempfile.mkdtemp(prefix="accord-wheel-data-"))
    data_dir.chmod(0o755)
    env = _clean_env(ACCORD_DATA_DIR=str(data_dir), ACCORD_LOG_LEVEL="WARNING")
    server = Server(env, data_dir.parent / "logs", accord=installed.accord, cwd=installed.home)
    try:
        server.wait_ready()
        yield Running(server, env, installed)
        assert server.stop() == 0, server.stderr
        assert "Traceback" not in server.stderr, server.stderr
        assert not wait_no_postgres(data_dir)
    finally:
        server.kill()
        for proc in postgres_for(data_dir):
            proc.kill()
        shutil.rmtree(data_dir, ignore_errors=True)
    assert not list(installed.home.iterdir())  # nothing was written where it ran


def test_the_installed_server_migrates_serves_and_takes_commands(running: Running) -> None:
    base = running.server.base
    ready = httpx.get(base + "/readyz")
    assert ready.status_code == 200
    migrations = sorted(int(p.name[:4]) for p in (REPO_ROOT / "migrations").glob("*.sql"))
    assert ready.json() == {"status": "ready", "migrations": [migrations[-1]]}
    home = httpx.get(base + "/")
    assert home.status_code == 200 and "Accord" in home.text
    explorer = httpx.get(base + "/graphql", headers={"accept": "text/html"})
    assert explorer.status_code == 200 and "<html" in explorer.text.lower()

    assert running.cli("migrate").strip() == "The database is up to date."
    made = running.cli("user", "create", "pi@example.org", "--password-stdin", stdin=PASSWORD)
    assert "site administrator" in made
    token = running.cli("token", "create", "pi@example.org").strip()
    me = running.server.gql("{ me { email isAdmin } }", token)
    assert me["data"]["me"] == {"email": "pi@example.org", "isAdmin": True}


def _own_origin(url: str, base: str) -> bool:
    return urlsplit(url).netloc == urlsplit(base).netloc


def _loaded(base: str, path: str, accept: str) -> dict[str, str]:
    """Every page and asset of the server that ``path`` loads, by URL, with its text."""
    seen: dict[str, str] = {}
    queue = [urljoin(base, path)]
    while queue:
        url = queue.pop()
        if url in seen or not _own_origin(url, base):
            continue
        # The page as a browser asks for it; its assets as a browser fetches them.
        response = httpx.get(url, headers={"accept": "*/*" if seen else accept})
        assert response.status_code == 200, (url, response.status_code)
        text = response.text
        seen[url] = text
        kind = response.headers.get("content-type", "")
        refs: list[str] = []
        if "html" in kind:
            refs = [a or b for a, b in HTML_REFS.findall(text)]
        elif "css" in kind:
            refs = [a or b for a, b in CSS_REFS.findall(text)]
        elif "javascript" in kind:
            refs = JS_REFS.findall(text)
        for ref in refs:
            if ref.startswith(("data:", "#", "mailto:", "javascript:")):
                continue
            target = urljoin(url, ref)
            if _own_origin(target, base):
                queue.append(target.split("#")[0])
    return seen


def _foreign_urls(pages: dict[str, str], base: str) -> list[tuple[str, str]]:
    """What any page or asset would load from another host. Text that merely names an
    address (a library's error-help link, say) loads nothing and is not counted; the
    browser test in tests/browser/test_shell.py watches the requests themselves."""
    found: list[tuple[str, str]] = []
    for page, text in pages.items():
        refs = [a or b for a, b in HTML_REFS.findall(text)]
        refs += [a or b for a, b in CSS_REFS.findall(text)]
        refs += JS_REFS.findall(text)
        for ref in refs:
            if (
                URL.match(ref) and not _own_origin(ref, base) and not ref.startswith(NAMESPACES)
            ) or ref.startswith("//"):
                found.append((page, ref))
    return found


def test_the_web_ui_references_no_other_host(running: Running) -> None:
    pages = _loaded(running.server.base, "/", "text/html")
    assert pages
    assert _foreign_urls(pages, running.server.base) == []


def test_the_api_explorer_references_no_other_host(running: Running) -> None:
    pages = _loaded(running.server.base, "/graphql", "text/html")
    assert pages
    assert _foreign_urls(pages, running.server.base) == []
