"""Real `accord serve` processes for tests: one process, its output kept in a file."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import psutil

from tests.support import REPO_ROOT, SECRET_KEY

START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def serve_env(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}
    env["ACCORD_DATA_DIR"] = str(data_dir)
    env["ACCORD_LOG_LEVEL"] = "WARNING"
    if database_url:
        env["ACCORD_DATABASE_URL"] = database_url
        env["ACCORD_SECRET_KEY"] = SECRET_KEY
    return env


class Server:
    """One `accord serve` process, its output kept in files."""

    def __init__(
        self,
        env: dict[str, str],
        logs: Path,
        *,
        accord: list[str] | None = None,
        cwd: Path = REPO_ROOT,
        args: tuple[str, ...] = (),
    ) -> None:
        """``accord`` is the command to run (an installed wheel's `accord`, say); by
        default this checkout's, run from ``cwd``. ``args`` go after `serve --port P`."""
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        logs.mkdir(parents=True, exist_ok=True)
        self.stderr_path = logs / f"serve-{self.port}.err"
        self._err = self.stderr_path.open("w")
        command = accord or [sys.executable, "-m", "accord.cli.main"]
        self.process = subprocess.Popen(
            [*command, "serve", "--port", str(self.port), *args],
            env=env,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=self._err,
            stderr=self._err,
        )

    @property
    def stderr(self) -> str:
        return self.stderr_path.read_text()

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"accord serve exited early:\n{self.stderr}")
            try:
                if httpx.get(self.base + "/readyz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"accord serve was not ready in {START_TIMEOUT} s:\n{self.stderr}")

    def wait_exit(self, timeout: float = START_TIMEOUT) -> int:
        try:
            return self.process.wait(timeout)
        finally:
            self._err.close()

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.wait_exit()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self._err.close()

    def gql(self, query: str, token: str, variables: Any = None) -> Any:
        response = httpx.post(
            self.base + "/graphql",
            json={"query": query, "variables": variables},
            headers={"authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        return response.json()


def run_cli(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    """Run an `accord` command to success; its standard output."""
    result = subprocess.run(
        [sys.executable, "-m", "accord.cli.main", *args],
        env=env,
        cwd=REPO_ROOT,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def postgres_for(data_dir: Path) -> list[psutil.Process]:
    """The PostgreSQL processes serving a data dir (none should outlive a test)."""
    found = []
    for proc in psutil.process_iter(attrs=["name", "cmdline"]):
        cmdline = " ".join(proc.info["cmdline"] or [])
        if proc.info["name"] == "postgres" and str(data_dir) in cmdline:
            found.append(proc)
    return found


def wait_no_postgres(data_dir: Path) -> list[psutil.Process]:
    deadline = time.monotonic() + 10
    while (left := postgres_for(data_dir)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left
