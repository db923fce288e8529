"""Reading capture histories from CSV files and tables, with every bad cell reported.

A bad cell is reported with file, row (1-based data row; the header is row 0) and column, and
every problem in the file is collected before raising.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from reckon.errors import ImportFormatError, RowProblem, ValidationError
from reckon.estimate.histories import COUNT_COLUMN, CaptureHistories

_MAX_SHOWN_PROBLEMS = 10


def _problems_error(problems: list[RowProblem], source: str) -> ValidationError:
    shown = "; ".join(str(p) for p in problems[:_MAX_SHOWN_PROBLEMS])
    more = len(problems) - _MAX_SHOWN_PROBLEMS
    tail = f"; and {more} more" if more > 0 else ""
    return ValidationError(
        problems,
        f"{source}: {len(problems)} problem(s) in the capture histories: {shown}{tail}. "
        "Each list column must hold 0 or 1 and `count` a non-negative whole number.",
    )


def _missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _read_csv(path: Path, encoding: str) -> tuple[list[str], list[list[str | None]]]:
    source = str(path)
    try:
        text = path.read_text(encoding=encoding)
    except FileNotFoundError:
        raise ImportFormatError(source, "file not found") from None
    except IsADirectoryError:
        raise ImportFormatError(source, "is a directory, not a CSV file") from None
    except UnicodeDecodeError:
        raise ImportFormatError(source, f"not readable as {encoding} text") from None
    if not text.strip():
        raise ImportFormatError(source, "the file is empty")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(text.splitlines(), dialect)
    try:
        header = [h.strip() for h in next(reader)]
        rows: list[list[str | None]] = [list(r) for r in reader]
    except csv.Error as error:
        raise ImportFormatError(source, f"not a readable CSV file ({error})") from None
    return header, rows


def _parse_rows(
    source: str,
    header: list[str],
    rows: list[list[str | None]],
    row_numbers: list[int] | None = None,
) -> CaptureHistories:
    lowered = [h.strip().lower() for h in header]
    if COUNT_COLUMN not in lowered:
        raise ImportFormatError(
            source,
            f"no {COUNT_COLUMN!r} column; the header must name one 0/1 column per list and a "
            f"{COUNT_COLUMN!r} column (found {header})",
            row=0,
        )
    count_at = lowered.index(COUNT_COLUMN)
    list_names = [h.strip() for i, h in enumerate(header) if i != count_at]
    if not list_names:
        raise ImportFormatError(source, "no list columns besides 'count'", row=0)
    if any(not n for n in list_names):
        raise ImportFormatError(source, "a list column has an empty name", row=0)
    duplicated = sorted({n for n in list_names if list_names.count(n) > 1})
    if duplicated or lowered.count(COUNT_COLUMN) > 1:
        raise ImportFormatError(
            source, f"column names repeat: {duplicated or [COUNT_COLUMN]}", row=0
        )
    list_at = [i for i in range(len(header)) if i != count_at]
    problems: list[RowProblem] = []
    patterns: list[list[int]] = []
    counts: list[int] = []
    numbers = row_numbers if row_numbers is not None else range(1, len(rows) + 1)
    for r, row in zip(numbers, rows, strict=True):
        if not row or all(v is None or not str(v).strip() for v in row):
            continue  # blank line
        if len(row) != len(header):
            problems.append(
                RowProblem(
                    source, r, None, None, f"has {len(row)} fields, the header has {len(header)}"
                )
            )
            continue
        bits: list[int] = []
        bad = False
        for i in list_at:
            value = row[i]
            text = "" if value is None else str(value).strip()
            bit = _as_whole(text)
            if bit not in (0, 1):
                problems.append(
                    RowProblem(source, r, header[i], value, "a list column must be 0 or 1")
                )
                bad = True
            else:
                bits.append(bit)
        raw = row[count_at]
        count = _as_whole("" if raw is None else str(raw).strip())
        if count is None or count < 0:
            problems.append(
                RowProblem(source, r, header[count_at], raw, "must be a whole number >= 0")
            )
            bad = True
        if bad:
            continue
        assert count is not None
        if count > 0 and not any(bits):
            problems.append(
                RowProblem(
                    source,
                    r,
                    None,
                    None,
                    "every list is 0 but the count is positive; people on no list cannot be "
                    "observed",
                )
            )
            continue
        patterns.append(bits)
        counts.append(count)
    if problems:
        raise _problems_error(problems, source)
    array = np.asarray(patterns, dtype=np.uint8).reshape(len(patterns), len(list_names))
    return CaptureHistories(tuple(list_names), array, np.asarray(counts, dtype=np.int64))


def _as_whole(text: str) -> int | None:
    """Parse ``"3"``, ``"3.0"`` as 3; anything else (``""``, ``"x"``, ``"2.5"``) as None."""
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        return None
    if not np.isfinite(value) or value != round(value):
        return None
    return int(value)


def read_stratified_csv(
    path: str | Path, by: str, *, encoding: str = "utf-8-sig"
) -> dict[str, CaptureHistories]:
    """Read a histories CSV with an extra stratum column ``by``; one table per stratum.

    Every stratum keeps every list (so strata are comparable); use
    :meth:`CaptureHistories.drop_empty` per stratum before fitting.
    """
    source = str(path)
    header, rows = _read_csv(Path(path), encoding)
    names = [h.strip() for h in header]
    if by not in names:
        raise ImportFormatError(source, f"no stratum column {by!r} (found {names})", row=0)
    at = names.index(by)
    inner_header = [h for i, h in enumerate(header) if i != at]
    groups: dict[str, list[list[str | None]]] = {}
    numbers: dict[str, list[int]] = {}
    problems: list[RowProblem] = []
    for r, row in enumerate(rows, start=1):
        if not row or all(v is None or not str(v).strip() for v in row):
            continue
        if len(row) != len(header):
            problems.append(
                RowProblem(
                    source, r, None, None, f"has {len(row)} fields, the header has {len(header)}"
                )
            )
            continue
        key = (row[at] or "").strip()
        if not key:
            problems.append(RowProblem(source, r, by, row[at], "the stratum is empty"))
            continue
        groups.setdefault(key, []).append([v for i, v in enumerate(row) if i != at])
        numbers.setdefault(key, []).append(r)
    if problems:
        raise _problems_error(problems, source)
    if not groups:
        raise ImportFormatError(source, "no data rows")
    return {
        key: _parse_rows(source, inner_header, group, numbers[key])
        for key, group in sorted(groups.items())
    }


def read_histories_csv(path: str | Path, *, encoding: str = "utf-8-sig") -> CaptureHistories:
    """See :meth:`CaptureHistories.from_csv`."""
    header, rows = _read_csv(Path(path), encoding)
    return _parse_rows(str(path), header, rows)


def parse_frame(frame: pd.DataFrame, source: str = "<table>") -> CaptureHistories:
    """See :meth:`CaptureHistories.from_frame`."""
    header = [str(c) for c in frame.columns]
    rows = [[None if _missing(v) else str(v) for v in row] for row in frame.itertuples(False)]
    return _parse_rows(source, header, rows)
