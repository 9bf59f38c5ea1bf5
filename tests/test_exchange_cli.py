"""`accord import` and `accord export`, run as real processes against the test database."""

from __future__ import annotations

import re
import secrets
import zipfile
from pathlib import Path

import asyncpg
import pytest

from accord.interop import write_qdpx
from accord.users import service as users
from tests.interop.sample import sample_project
from tests.test_cli import accord

HEADER = "document,document_id,coder,round,code,code_path,start,end,text,memo"


async def _account(pool: asyncpg.Pool, name: str) -> str:
    email = f"{name}-{secrets.token_hex(4)}@example.org"
    async with pool.acquire() as conn:
        await users.create_user(conn, email, name.title(), "password-123")
    return email


async def _placeholder(pool: asyncpg.Pool, project_id: str) -> str:
    """The email of a placeholder account the import made a coder of the project."""
    email: str = await pool.fetchval(
        "SELECT u.email FROM project_members m JOIN users u ON u.id = m.user_id "
        "WHERE m.project_id = $1::uuid AND m.role = 'CODER' LIMIT 1",
        project_id,
    )
    return email


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "study.qdpx"
    path.write_bytes(write_qdpx(sample_project()))
    return path


async def test_import_a_project_then_export_every_format(
    database_url: str, pool: asyncpg.Pool, sample: Path, tmp_path: Path
) -> None:
    lead = await _account(pool, "lead")
    done = accord(database_url, "import", str(sample), "--as", lead)
    assert done.returncode == 0, done.stderr
    found = re.search(r"created project ([0-9a-f-]{36})", done.stdout)
    assert found
    assert "Imported:" in done.stdout and "7 codings" in done.stdout
    pid = found.group(1)

    out = tmp_path / "codings.csv"
    done = accord(database_url, "export", pid, "--format", "csv", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8").splitlines()[0] == HEADER

    qdpx = tmp_path / "study.qdpx"
    done = accord(
        database_url, "export", pid, "--format", "qdpx", "--positions", "utf16", "-o", str(qdpx)
    )
    assert done.returncode == 0, done.stderr
    qde = zipfile.ZipFile(qdpx).read("project.qde").decode()
    assert "positions=utf16" in qde

    report = tmp_path / "report.html"
    done = accord(
        database_url, "export", pid, "--format", "report", "--as", lead, "-o", str(report)
    )
    assert done.returncode == 0, done.stderr
    assert 'id="methods"' in report.read_text(encoding="utf-8")

    transcript = tmp_path / "P09.txt"
    transcript.write_text("Interviewer: Hvordan gikk det?\n\nP09: Bra.\n", encoding="utf-8")
    done = accord(database_url, "import", str(transcript), "--project", pid)
    assert done.returncode == 0, done.stderr
    assert "Imported: 1 document." in done.stdout


async def test_import_and_export_refusals(
    database_url: str, pool: asyncpg.Pool, sample: Path, tmp_path: Path
) -> None:
    done = accord(database_url, "import", str(sample))
    assert done.returncode == 2
    assert "--as EMAIL" in done.stderr

    lead = await _account(pool, "lead")
    done = accord(database_url, "import", str(sample), "--as", lead)
    pid = re.search(r"created project ([0-9a-f-]{36})", done.stdout).group(1)  # type: ignore[union-attr]

    done = accord(database_url, "import", str(sample), "--project", pid, "--as", lead)
    assert done.returncode == 2 and "new project" in done.stderr

    latin = tmp_path / "latin.txt"
    latin.write_bytes("P07: Jeg følte skam.".encode("cp1252"))
    done = accord(database_url, "import", str(latin), "--project", pid)
    assert done.returncode == 2 and "--encoding" in done.stderr
    done = accord(database_url, "import", str(latin), "--project", pid, "--encoding", "cp1252")
    assert done.returncode == 0, done.stderr

    coder = await _placeholder(pool, pid)  # a coder of the imported project
    out = tmp_path / "x.csv"
    done = accord(database_url, "export", pid, "--format", "csv", "--as", coder, "-o", str(out))
    assert done.returncode == 2 and "may not export" in done.stderr
    assert not out.exists()
