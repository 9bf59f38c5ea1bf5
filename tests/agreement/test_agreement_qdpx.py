"""``accord agreement FILE.qdpx``: each user a coder, each text source a continuum, and the
same report as for the equivalent CSV."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.agreement.cli import main
from accord.interop import write_qdpx
from tests.interop.builders import make_qdpx, project
from tests.interop.sample import sample_project
from tests.support import REFI_DATA

REFI = REFI_DATA


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    assert main(["agreement", *argv, "--format", "json"]) == 0
    data: dict[str, object] = json.loads(capsys.readouterr().out)
    return data


def test_qdpx_gives_the_same_report_as_its_segments_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exchange = sample_project()
    qdpx = tmp_path / "study.qdpx"
    qdpx.write_bytes(write_qdpx(exchange))
    users = {u.guid: u.email or u.name for u in exchange.users}
    titles = {d.guid: d.title for d in exchange.documents}
    codes = {c.guid: c.name for c in exchange.codes}
    rows = ["document,coder,code,start,end"] + [
        f"{titles[c.document_guid]},{users[c.user_guid]},{codes[c.code_guid]},{c.start},{c.end}"
        for c in exchange.codings
    ]
    segments = tmp_path / "segments.csv"
    segments.write_text("\n".join(rows) + "\n", encoding="utf-8")
    extents = [f"--extent={d.title}=0:{len(d.text)}" for d in exchange.documents]

    from_qdpx = _json(capsys, str(qdpx))
    from_csv = _json(capsys, str(segments), *extents)
    assert from_qdpx == from_csv
    info = from_qdpx["input"]
    assert isinstance(info, dict)
    # Every user is a coder, the consensus user included.
    assert info["coders"] == ["alice@example.org", "bjorn@example.org", "Consensus"]
    assert info["documents"] == 2
    assert info["continuum_length"] == sum(len(d.text) for d in exchange.documents)
    # The project knows its texts' lengths: no extent is assumed.
    assert info["warnings"] == [] and info["assumed_extents"] == {}


def test_qdpx_table_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    qdpx = tmp_path / "study.qdpx"
    qdpx.write_bytes(write_qdpx(sample_project()))
    assert main(["agreement", str(qdpx)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("segments: 7 from 3 coders, 4 codes, 2 documents")
    assert "u_alpha" in out


def test_real_nvivo_file_counts_every_user(capsys: pytest.CaptureFixture[str]) -> None:
    path = REFI / "nvivo-win-12.6-oltas.qdpx"
    info = _json(capsys, str(path))["input"]
    assert isinstance(info, dict)
    # Gergo is listed but coded nothing: a coder with an empty layer.
    assert sorted(info["coders"]) == ["Gergo", "floriansipos"]
    assert (info["segments"], info["documents"]) == (97, 1)


def test_bad_qdpx_ends_with_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.qdpx"
    broken.write_bytes(b"PK\x03\x04 not really")
    assert main(["agreement", str(broken)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("accord agreement: error:") and err.count("\n") == 1

    empty = tmp_path / "empty.qdpx"
    empty.write_bytes(make_qdpx(project("")))
    assert main(["agreement", str(empty)]) == 2
    assert "no codings" in capsys.readouterr().err

    assert main(["agreement", str(empty), "--wide"]) == 2
    assert "--wide" in capsys.readouterr().err
