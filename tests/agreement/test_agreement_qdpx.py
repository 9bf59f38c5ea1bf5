"""``accord agreement FILE.qdpx``: each user a coder, each text source a continuum, and the
same report as for the equivalent CSV."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.agreement.cli import main
from accord.interop import ExchangeUser, stable_guid, write_qdpx
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
    info = from_qdpx["input"]
    assert isinstance(info, dict)
    assert info.pop("users_left_out") == []  # everyone in the file coded something
    assert from_qdpx == from_csv
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
    assert out.startswith("Coded segments: 7 segments by 3 coders, 4 codes, 2 documents")
    assert "Krippendorff's uα (2016)" in out and "u_alpha" not in out
    assert "coded nothing" not in out


def test_a_user_who_coded_nothing_is_not_a_coder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exchange = sample_project()
    lead = ExchangeUser(stable_guid("user", "lead"), "Lena Lead", "lena@example.org")
    exchange.users.append(lead)
    qdpx = tmp_path / "study.qdpx"
    qdpx.write_bytes(write_qdpx(exchange))
    info = _json(capsys, str(qdpx))["input"]
    assert isinstance(info, dict)
    assert info["coders"] == ["alice@example.org", "bjorn@example.org", "Consensus"]
    assert info["users_left_out"] == ["lena@example.org"]
    assert main(["agreement", str(qdpx)]) == 0
    out = capsys.readouterr().out
    assert "3 coders" in out
    assert (
        "1 user of the project who coded nothing was left out, not counted as a coder: "
        "“lena@example.org”."
    ) in " ".join(out.split())


def test_real_nvivo_file_leaves_out_the_user_who_coded_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = REFI / "nvivo-win-12.6-oltas.qdpx"
    # Gergo is listed but coded nothing, so only one user coded: no agreement to compute.
    assert main(["agreement", str(path)]) == 2
    err = capsys.readouterr().err
    assert "fewer than two users coded anything (found 1: floriansipos" in err
    assert "left out as they coded nothing: Gergo" in err


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
