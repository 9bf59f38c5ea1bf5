"""CSV readers for the standalone CLI. Every problem names the file, the row and what is
wrong, as an :class:`AgreementInputError`; the CLI prints it on one line.

Row numbers count the header as row 1, as a spreadsheet shows them. A blank cell or
``NA`` is a missing value; a cell that spells a non-finite number (``inf``,
``Infinity``, ``nan``) is refused. Values are kept as written (labels) unless the
interval or ratio level is asked for, which reads every value as a number; see
:mod:`accord.agreement.levels` for when labels are read as numbers.

With a round column (``round_column``), each row also names the round it was coded
in, for test–retest reliability (:mod:`accord.agreement.retest`).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from accord.agreement.errors import AgreementInputError
from accord.agreement.levels import parse_number, spells_non_finite
from accord.agreement.reliability_data import ReliabilityData
from accord.agreement.segments import Segment, Unit

Kind = Literal["reliability", "segments"]
RELIABILITY_COLUMNS = ("unit", "coder", "value")
SEGMENT_COLUMNS = ("document", "coder", "code", "start", "end")
UNIT_COLUMNS = ("document", "unit", "start", "end")
_MISSING = ("", "na")


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
    if spells_non_finite(value):
        raise AgreementInputError(
            f"{path}: row {number}: value {value!r} is not a finite number; leave the cell "
            "blank (or write NA) for a missing value"
        )
    if numeric:
        try:
            parsed = parse_number(value)
        except AgreementInputError as exc:
            raise AgreementInputError(f"{path}: row {number}: {exc}") from None
        if parsed is None:
            raise AgreementInputError(
                f"{path}: row {number}: value {value!r} is not a number, "
                "which the interval and ratio levels need"
            )
    return value


def _values(raw: list[str | None], numeric: bool) -> list[object]:
    return [None if v is None else (parse_number(v) if numeric else v) for v in raw]


#: One rating of a long file: (unit, coder, round or None, value or None).
Rating = tuple[str, str, str | None, object]


def read_ratings(
    path: Path, *, numeric: bool = False, round_column: str | None = None
) -> list[Rating]:
    """``unit,coder,value`` rows (and the round column when named), checked: a coder
    rates a unit once per round."""
    header = _header(path)
    if ("coder" not in header or "value" not in header) and len(header) >= 3:
        raise AgreementInputError(
            f"{path}: row 1: no 'coder' and 'value' columns, but {len(header)} columns: if "
            "the file has one row per unit and one column per coder, add --wide (long "
            "files have the columns unit,coder,value)"
        )
    required: tuple[str, ...] = RELIABILITY_COLUMNS
    if round_column is not None:
        required = (*RELIABILITY_COLUMNS, round_column.strip().lower())
    cols = _columns(path, header, required)
    round_index = cols[required[-1]] if round_column is not None else None
    out: list[Rating] = []
    seen: dict[tuple[str, str, str | None], int] = {}
    for number, row in _rows(path):
        if number == 1:
            continue
        unit = _cell(path, number, row, cols["unit"], "unit")
        coder = _cell(path, number, row, cols["coder"], "coder")
        value = row[cols["value"]].strip() if cols["value"] < len(row) else ""
        if not unit or not coder:
            raise AgreementInputError(f"{path}: row {number}: unit and coder must not be blank")
        the_round = None
        if round_index is not None:
            the_round = _cell(path, number, row, round_index, required[-1])
            if not the_round:
                raise AgreementInputError(f"{path}: row {number}: the round must not be blank")
        if (unit, coder, the_round) in seen:
            where = "" if the_round is None else f" in round {the_round!r}"
            raise AgreementInputError(
                f"{path}: row {number}: coder {coder!r} already rated unit {unit!r}{where} "
                f"on row {seen[(unit, coder, the_round)]}"
            )
        seen[(unit, coder, the_round)] = number
        checked = _check_value(path, number, value, numeric)
        out.append((unit, coder, the_round, _values([checked], numeric)[0]))
    return out


def read_reliability_long(
    path: Path, *, numeric: bool = False, value_order: Sequence[str] | None = None
) -> ReliabilityData:
    """``unit,coder,value`` rows; a blank value is missing. ``numeric`` insists on numbers;
    ``value_order`` gives the order of text labels."""
    ratings = read_ratings(path, numeric=numeric)
    data = ReliabilityData.from_long(
        [r[0] for r in ratings],
        [r[1] for r in ratings],
        [r[3] for r in ratings],
        value_order=None if numeric else value_order,
    )
    return _finish(path, data)


def read_reliability_wide(
    path: Path, *, numeric: bool = False, value_order: Sequence[str] | None = None
) -> ReliabilityData:
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
        path,
        ReliabilityData.from_unit_rows(
            _object_table(table),
            coders=coders,
            units=units,
            value_order=None if numeric else value_order,
        ),
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


def read_segment_rounds(path: Path, round_column: str) -> list[tuple[str, Segment]]:
    """``document,coder,code,start,end`` rows with the round each was coded in."""
    return [(r or "", s) for r, s in _segment_rows(path, round_column.strip().lower())]


def _segment_rows(path: Path, round_name: str | None) -> list[tuple[str | None, Segment]]:
    required = SEGMENT_COLUMNS if round_name is None else (*SEGMENT_COLUMNS, round_name)
    cols = _columns(path, _header(path), required)
    out: list[tuple[str | None, Segment]] = []
    for number, row in _rows(path):
        if number == 1:
            continue
        f = {name: _cell(path, number, row, i, name) for name, i in cols.items()}
        for name in ("document", "coder", "code") + (() if round_name is None else (round_name,)):
            if not f[name]:
                raise AgreementInputError(f"{path}: row {number}: {name} must not be blank")
        start = _int(path, number, f["start"], "start")
        end = _int(path, number, f["end"], "end")
        if start < 0:
            raise AgreementInputError(f"{path}: row {number}: start {start} is negative")
        if start >= end:
            raise AgreementInputError(f"{path}: row {number}: start {start} >= end {end}")
        segment = Segment(f["document"], f["coder"], f["code"], start, end)
        out.append((None if round_name is None else f[round_name], segment))
    if not out:
        raise AgreementInputError(f"{path}: row 2: the file has no segments")
    return out


def read_segments(path: Path) -> list[Segment]:
    """``document,coder,code,start,end`` rows; offsets in code points, end exclusive."""
    out = [s for _, s in _segment_rows(path, None)]
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
