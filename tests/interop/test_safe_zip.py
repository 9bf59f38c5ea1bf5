from __future__ import annotations

import io
import zipfile

import pytest

from accord.interop.errors import FormatError, TooLarge
from accord.interop.limits import ImportLimits
from accord.interop.qdpx_reader import read_qdpx
from accord.interop.safe_zip import open_zip
from tests.interop.builders import lie_about_sizes, make_qdpx, make_zip, project

SMALL = ImportLimits(
    max_file_bytes=1_000_000, max_entry_bytes=200_000, max_total_bytes=300_000, max_entries=20
)
BOMB = b"\0" * 5_000_000  # deflates to a few kilobytes


def test_zip_bomb_refused_from_its_declared_size() -> None:
    with pytest.raises(TooLarge, match="unpacks to"):
        read_qdpx(make_qdpx(project(""), {"sources/x.txt": BOMB}), SMALL)


def test_zip_bomb_with_lying_headers_refused_while_streaming() -> None:
    data = lie_about_sizes(make_zip({"project.qde": BOMB}), declared=100)
    with open_zip(data, SMALL) as archive, pytest.raises(FormatError):
        archive.read("project.qde")
    with pytest.raises(FormatError):
        read_qdpx(data, SMALL)


def test_total_size_bound_holds_across_entries() -> None:
    entries = {f"sources/{n}.txt": b"x" * 150_000 for n in range(3)}
    with pytest.raises(TooLarge, match="unpacks to"):
        read_qdpx(make_qdpx(project(""), entries), SMALL)


def test_entry_count_bound() -> None:
    entries = {f"sources/{n}.txt": b"" for n in range(30)}
    with pytest.raises(TooLarge, match="31 files"):
        read_qdpx(make_qdpx(project(""), entries), SMALL)


def test_compressed_size_checked_before_reading() -> None:
    limits = ImportLimits(max_file_bytes=100)
    with pytest.raises(TooLarge, match="over the limit"):
        read_qdpx(make_qdpx(project(""), {"sources/a.txt": b"words " * 100}), limits)


@pytest.mark.parametrize(
    "name", ["../evil.txt", "sources/../../evil.txt", "/etc/passwd", "C:/evil.txt", "..\\evil"]
)
def test_path_traversal_entries_refused(name: str) -> None:
    with pytest.raises(FormatError, match="refused"):
        read_qdpx(make_qdpx(project(""), {name: b"x"}))


def test_truncated_zip_refused() -> None:
    data = make_qdpx(project(""), {"sources/a.txt": b"some text " * 50})
    with pytest.raises(FormatError, match="truncated or damaged"):
        read_qdpx(data[: len(data) // 2])


def test_not_a_zip_refused() -> None:
    with pytest.raises(FormatError, match="not a complete zip"):
        read_qdpx(b"plain words, not an archive")


def test_corrupt_entry_refused() -> None:
    data = bytearray(make_zip({"project.qde": b"<Project/>" * 200}))
    data[40:60] = b"\xff" * 20  # inside the deflated stream
    with pytest.raises(FormatError):
        read_qdpx(bytes(data))


def test_reads_from_path_and_file_object(tmp_path: object) -> None:
    data = make_qdpx(project(""))
    from pathlib import Path

    path = Path(str(tmp_path)) / "p.qdpx"
    path.write_bytes(data)
    assert read_qdpx(path)[0].name == "Study"
    assert read_qdpx(io.BytesIO(data))[0].name == "Study"
    assert read_qdpx(str(path))[0].name == "Study"


def test_missing_path_is_a_format_error(tmp_path: object) -> None:
    with pytest.raises(FormatError, match="Cannot open"):
        read_qdpx(f"{tmp_path}/absent.qdpx")


def test_stored_entries_are_read() -> None:
    data = make_zip({"project.qde": project("").encode()}, zipfile.ZIP_STORED)
    assert read_qdpx(data)[0].name == "Study"
