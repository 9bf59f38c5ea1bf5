"""The commands' `-o` and `--project` (issue 14, point 13), run as real processes: a
transcript without --project is told to name one; an output that cannot be written is a
clear error with nothing half-written; `-o -` is standard output, and a .qdpx goes there
only when it is redirected or piped."""

from __future__ import annotations

import io
import os
import re
import secrets
import subprocess
import sys
import zipfile
from pathlib import Path

import asyncpg
import pytest

from accord.interop import write_qdpx
from accord.users import service as users
from tests.conftest import SECRET_KEY
from tests.interop.sample import sample_project
from tests.interop.test_subtitle_speakers import ZOOM
from tests.support import REPO_ROOT
from tests.test_cli import accord

HEADER = "document,document_id,coder,round,code,code_path,start,end,text,memo"


def _env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}
    env["ACCORD_DATABASE_URL"] = database_url
    env["ACCORD_SECRET_KEY"] = SECRET_KEY
    return env


def accord_bytes(database_url: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    """`accord` with its standard output read as bytes through a pipe."""
    return subprocess.run(
        [sys.executable, "-m", "accord.cli.main", *args],
        env=_env(database_url),
        cwd=REPO_ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="module")
async def project(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A project imported from the sample .qdpx, led by a new account."""
    email = f"lead-{secrets.token_hex(4)}@example.org"
    conn = await asyncpg.connect(database_url)
    try:
        await users.create_user(conn, email, "Lead", "password-123")
    finally:
        await conn.close()
    path = tmp_path_factory.mktemp("output") / "study.qdpx"
    path.write_bytes(write_qdpx(sample_project()))
    done = accord(database_url, "import", str(path), "--as", email)
    assert done.returncode == 0, done.stderr
    found = re.search(r"created project ([0-9a-f-]{36})", done.stdout)
    assert found
    return found.group(1)


def test_a_transcript_or_codebook_without_project_names_the_flag(
    database_url: str, tmp_path: Path
) -> None:
    for name, what in (("P09.txt", "a transcript"), ("call.vtt", "a transcript")):
        path = tmp_path / name
        path.write_text("Interviewer: Hei.\n", encoding="utf-8")
        done = accord(database_url, "import", str(path))
        assert done.returncode == 2
        assert f"{name} is {what}" in done.stderr and "--project PROJECT" in done.stderr
        assert "--as" not in done.stderr and "Traceback" not in done.stderr
    codebook = tmp_path / "codes.qdc"
    codebook.write_text("<CodeBook/>", encoding="utf-8")
    done = accord(database_url, "import", str(codebook))
    assert done.returncode == 2 and "codes.qdc is a codebook" in done.stderr
    assert "--project PROJECT" in done.stderr
    odd = tmp_path / "notes.pdf"
    odd.write_bytes(b"%PDF")
    done = accord(database_url, "import", str(odd))
    assert done.returncode == 2 and "cannot import 'notes.pdf'" in done.stderr
    # A .qdpx still asks for --as, as before.
    qdpx = tmp_path / "study.qdpx"
    qdpx.write_bytes(write_qdpx(sample_project()))
    done = accord(database_url, "import", str(qdpx))
    assert done.returncode == 2 and "--as EMAIL" in done.stderr


def test_a_zoom_transcript_through_the_command(
    database_url: str, project: str, tmp_path: Path
) -> None:
    path = tmp_path / "zoom call.vtt"
    path.write_text(ZOOM, encoding="utf-8")
    done = accord(database_url, "import", str(path), "--project", project)
    assert done.returncode == 0, done.stderr
    assert "Imported: 1 document, 6 speaker turns." in done.stdout


def test_an_output_that_cannot_be_written_is_a_clear_error(
    database_url: str, project: str, tmp_path: Path
) -> None:
    missing = tmp_path / "no" / "such" / "dir" / "x.qdpx"
    done = accord(database_url, "export", project, "--format", "qdpx", "-o", str(missing))
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == (
        f"accord export: error: cannot write {missing}: the folder {missing.parent} does not exist."
    )
    assert not (tmp_path / "no").exists()
    done = accord(database_url, "export", project, "--format", "csv", "-o", str(tmp_path))
    assert done.returncode == 2 and "it is a folder" in done.stderr
    assert "Traceback" not in done.stderr

    # A refused export leaves an earlier file of that name as it was, and nothing beside it.
    kept = tmp_path / "kept.csv"
    kept.write_text("earlier", encoding="utf-8")
    done = accord(
        database_url, "export", project, "--format", "csv", "--as", "nobody@example.org",
        "-o", str(kept),
    )  # fmt: skip
    assert done.returncode == 2 and "nobody@example.org" in done.stderr
    assert kept.read_text(encoding="utf-8") == "earlier"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.csv"]

    done = accord(database_url, "export", project, "--format", "csv", "-o", str(kept))
    assert done.returncode == 0, done.stderr
    assert kept.read_text(encoding="utf-8").splitlines()[0] == HEADER
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.csv"]


def test_a_write_that_fails_midway_leaves_nothing_half_written(tmp_path: Path) -> None:
    """The file-size limit makes the write itself fail after the first bytes."""
    target = tmp_path / "big.csv"
    target.write_text("earlier", encoding="utf-8")
    script = (
        "import resource, signal, sys\n"
        "from pathlib import Path\n"
        "from accord.cli.output import write_output\n"
        "from accord.errors import AccordError\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))\n"
        "try:\n"
        "    write_output(Path(sys.argv[1]), b'x' * 100_000)\n"
        "except AccordError as exc:\n"
        "    print(exc.message)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(target)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"cannot write {target}: File too large."
    assert target.read_text(encoding="utf-8") == "earlier"
    assert [p.name for p in tmp_path.iterdir()] == ["big.csv"]


def test_dash_is_standard_output(database_url: str, project: str, tmp_path: Path) -> None:
    done = accord(database_url, "export", project, "--format", "csv", "-o", "-")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == HEADER
    assert "wrote standard output" in done.stderr and "csv" in done.stderr
    assert not (REPO_ROOT / "-").exists()

    piped = accord_bytes(database_url, "export", project, "--format", "qdpx", "-o", "-")
    assert piped.returncode == 0, piped.stderr
    file = tmp_path / "study.qdpx"
    done = accord(database_url, "export", project, "--format", "qdpx", "-o", str(file))
    assert done.returncode == 0, done.stderr
    names = zipfile.ZipFile(io.BytesIO(piped.stdout)).namelist()
    assert names == zipfile.ZipFile(file).namelist() and "project.qde" in names


def test_a_qdpx_is_not_written_to_a_terminal(database_url: str, project: str) -> None:
    command = [sys.executable, "-m", "accord.cli.main", "export", project]
    leader, follower = os.openpty()
    try:
        done = subprocess.run(
            [*command, "--format", "qdpx", "-o", "-"],
            env=_env(database_url),
            cwd=REPO_ROOT,
            stdin=subprocess.DEVNULL,
            stdout=follower,
            stderr=subprocess.PIPE,
            timeout=60,
            check=False,
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert done.returncode == 2
    message = done.stderr.decode()
    assert "binary" in message and "-o - > project.qdpx" in message


def test_export_schema_output(tmp_path: Path) -> None:
    done = accord(None, "export-schema", "-o", "-")
    assert done.returncode == 0, done.stderr
    assert done.stdout == (REPO_ROOT / "schema" / "schema.graphql").read_text(encoding="utf-8")
    missing = tmp_path / "none" / "schema.graphql"
    done = accord(None, "export-schema", "-o", str(missing))
    assert done.returncode == 2 and "does not exist" in done.stderr
    assert "Traceback" not in done.stderr and not missing.parent.exists()
    written = tmp_path / "schema.graphql"
    done = accord(None, "export-schema", "-o", str(written))
    assert done.returncode == 0, done.stderr
    committed = (REPO_ROOT / "schema" / "schema.graphql").read_text(encoding="utf-8")
    assert written.read_text(encoding="utf-8") == committed
