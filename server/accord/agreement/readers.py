"""CSV readers for the standalone CLI. Every problem names the file, the row and what is
wrong, as an :class:`AgreementInputError`; the CLI prints it on one line.

Row numbers count the header as row 1, as a spreadsheet shows them.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from accord.agreement.errors import AgreementInputError
from accord.agreement.reliability_data import ReliabilityData
from accord.agreement.segments import Segment, Unit

Kind = Literal["reliability", "segments"]
RELIABILITY_COLUMNS = ("unit", "coder", "value")
SEGMENT_COLUMNS = ("document", "coder", "code", "start", "end")
UNIT_COLUMNS = ("document", "unit", "start", "end")
_MISSING = ("", "na", "nan")


DELIMITERS = (",", ";", "\t")


def delimiter(header: str) -> str:
    """The separator of a CSV file, read from its header line: whichever of comma,
    semicolon (Excel's default where the decimal mark is a comma) and tab occurs most
    often outside quotes; a comma when none does."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            separator = delimiter(handle.readline())
            handle.seek(0)
            for number, row in enumerate(csv.reader(handle, delimiter=separator), start=1):
                if number > 1 and not any(cell.strip() for cell in row):
                    continue
                yield number, row
    except FileNotFoundError as exc:
        raise AgreementInputError(f"{path}: no such file") from exc
    except UnicodeDecodeError as exc:
        raise AgreementInputError(f"{path}: cannot read the file as UTF-8 text") from exc
    except csv.Error as exc:
        raise AgreementInputError(f"{path}: not a readable CSV file ({exc})") from exc
    except OSError as exc:
        raise AgreementInputError(f"{path}: cannot read the file ({exc.strerror})") from exc


def _header(path: Path) -> list[str]:
    for _, row in _rows(path):
        return [cell.strip().lower() for cell in row]
    raise AgreementInputError(f"{path}: row 1: the file is empty")


def detect_kind(path: Path) -> Kind:
    """Segments when the header names document/code/start/end, reliability otherwise."""
    header = _header(path)
    if {"document", "code", "start", "end"} & set(header):
        return "segments"
    return "reliability"


def _columns(path: Path, header: list[str], required: tuple[str, ...]) -> dict[str, int]:
    missing = [c for c in required if c not in header]
    if missing:
        raise AgreementInputError(
            f"{path}: row 1: missing column {missing[0]!r} (expected {','.join(required)})"
        )
    return {c: header.index(c) for c in required}


def _cell(path: Path, number: int, row: list[str], index: int, name: str) -> str:
    if index >= len(row):
        raise AgreementInputError(f"{path}: row {number}: no value for column {name!r}")
    return row[index].strip()


def _check_value(path: Path, number: int, value: str, numeric: bool) -> str | None:
    if value.lower() in _MISSING:
        return None
    if numeric:
        try:
            float(value)
        except ValueError:
            raise AgreementInputError(
                f"{path}: row {number}: value {value!r} is not a number, "
                "which the interval and ratio levels need"
            ) from None
    return value


def _values(raw: list[str | None], numeric: bool) -> list[object]:
    return [None if v is None else (float(v) if numeric else v) for v in raw]


def read_reliability_long(path: Path, *, numeric: bool = False) -> ReliabilityData:
    """``unit,coder,value`` rows; a blank value is missing. ``numeric`` insists on numbers."""
    header = _header(path)
    if ("coder" not in header or "value" not in header) and len(header) >= 3:
        raise AgreementInputError(
            f"{path}: row 1: no 'coder' and 'value' columns, but {len(header)} columns: if "
            "the file has one row per unit and one column per coder, add --wide (long "
            "files have the columns unit,coder,value)"
        )
    cols = _columns(path, header, RELIABILITY_COLUMNS)
    units: list[str] = []
    coders: list[str] = []
    raw: list[str | None] = []
    seen: dict[tuple[str, str], int] = {}
    for number, row in _rows(path):
        if number == 1:
            continue
        unit = _cell(path, number, row, cols["unit"], "unit")
        coder = _cell(path, number, row, cols["coder"], "coder")
        value = row[cols["value"]].strip() if cols["value"] < len(row) else ""
        if not unit or not coder:
            raise AgreementInputError(f"{path}: row {number}: unit and coder must not be blank")
        if (unit, coder) in seen:
            raise AgreementInputError(
                f"{path}: row {number}: coder {coder!r} already rated unit {unit!r} "
                f"on row {seen[(unit, coder)]}"
            )
        seen[(unit, coder)] = number
        units.append(unit)
        coders.append(coder)
        raw.append(_check_value(path, number, value, numeric))
    return _finish(path, ReliabilityData.from_long(units, coders, _values(raw, numeric)))


def read_reliability_wide(path: Path, *, numeric: bool = False) -> ReliabilityData:
    """One row per unit: the first column names the unit, each further column a coder."""
    header = _header(path)
    if len(header) < 2:
        raise AgreementInputError(
            f"{path}: row 1: a wide file needs a unit column and at least one coder column"
        )
    coders = [h for h in header[1:]]
    if len(set(coders)) != len(coders):
        raise AgreementInputError(f"{path}: row 1: two coder columns have the same name")
    units: list[str] = []
    table: list[list[object]] = []
    for number, row in _rows(path):
        if number == 1:
            continue
        if len(row) > len(header):
            raise AgreementInputError(
                f"{path}: row {number}: {len(row)} fields but the header has {len(header)}"
            )
        cells = [c.strip() for c in row] + [""] * (len(header) - len(row))
        if not cells[0]:
            raise AgreementInputError(f"{path}: row {number}: the unit id is blank")
        units.append(cells[0])
        checked = [_check_value(path, number, v, numeric) for v in cells[1:]]
        table.append(_values(checked, numeric))
    if not table:
        raise AgreementInputError(f"{path}: row 2: the file has no units")
    return _finish(
        path, ReliabilityData.from_unit_rows(_object_table(table), coders=coders, units=units)
    )


def _object_table(rows: list[list[object]]) -> NDArray[np.object_]:
    out = np.empty((len(rows), len(rows[0])), dtype=object)
    for i, row in enumerate(rows):
        out[i, :] = row
    return out


def _finish(path: Path, data: ReliabilityData) -> ReliabilityData:
    if data.n_units == 0:
        raise AgreementInputError(f"{path}: row 2: the file has no ratings")
    if data.n_coders < 2:
        raise AgreementInputError(
            f"{path}: fewer than two coders (found {data.n_coders}: "
            f"{', '.join(repr(c) for c in data.coders)}); agreement needs at least two"
        )
    return data


def _int(path: Path, number: int, value: str, name: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise AgreementInputError(
            f"{path}: row {number}: {name} {value!r} is not a whole number"
        ) from None


def read_segments(path: Path) -> list[Segment]:
    """``document,coder,code,start,end`` rows; offsets in code points, end exclusive."""
    cols = _columns(path, _header(path), SEGMENT_COLUMNS)
    out: list[Segment] = []
    for number, row in _rows(path):
        if number == 1:
            continue
        f = {name: _cell(path, number, row, i, name) for name, i in cols.items()}
        for name in ("document", "coder", "code"):
            if not f[name]:
                raise AgreementInputError(f"{path}: row {number}: {name} must not be blank")
        start = _int(path, number, f["start"], "start")
        end = _int(path, number, f["end"], "end")
        if start < 0:
            raise AgreementInputError(f"{path}: row {number}: start {start} is negative")
        if start >= end:
            raise AgreementInputError(f"{path}: row {number}: start {start} >= end {end}")
        out.append(Segment(f["document"], f["coder"], f["code"], start, end))
    if not out:
        raise AgreementInputError(f"{path}: row 2: the file has no segments")
    coders = {s.coder for s in out}
    if len(coders) < 2:
        raise AgreementInputError(
            f"{path}: fewer than two coders (found {len(coders)}: {', '.join(sorted(coders))}); "
            "agreement needs at least two"
        )
    return out


def read_units(path: Path) -> list[Unit]:
    """``document,unit,start,end`` rows: predefined units for unit-based coefficients."""
    cols = _columns(path, _header(path), UNIT_COLUMNS)
    out: list[Unit] = []
    for number, row in _rows(path):
        if number == 1:
            continue
        f = {name: _cell(path, number, row, i, name) for name, i in cols.items()}
        start = _int(path, number, f["start"], "start")
        end = _int(path, number, f["end"], "end")
        if start >= end:
            raise AgreementInputError(f"{path}: row {number}: start {start} >= end {end}")
        out.append(Unit(f["document"], f["unit"], start, end))
    if not out:
        raise AgreementInputError(f"{path}: row 2: the file has no units")
    return out


def parse_extent(text: str) -> tuple[str, tuple[int, int]]:
    """``DOCUMENT=START:END`` as given to ``--extent``."""
    name, sep, span = text.rpartition("=")
    lo, colon, hi = span.partition(":")
    if not sep or not colon or not name:
        raise AgreementInputError(f"--extent {text!r}: expected DOCUMENT=START:END")
    try:
        start, end = int(lo), int(hi)
    except ValueError:
        raise AgreementInputError(
            f"--extent {text!r}: START and END must be whole numbers"
        ) from None
    if start >= end:
        raise AgreementInputError(f"--extent {text!r}: start {start} >= end {end}")
    return name, (start, end)
