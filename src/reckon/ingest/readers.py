"""Readers for CSV, TSV, XLSX, JSON and JSONL: a header and a stream of rows of text.

Every reader yields `(row_number, values)` with `row_number` the 1-based data row (the header is
row 0) and `values` a list of strings or None aligned with the header. Cells are kept as text,
exactly as written; typed spreadsheet cells are rendered as a person would read them.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from reckon.errors import ImportFormatError
from reckon.ingest.encoding import check_encoding, detect_encoding

FORMATS = ("csv", "tsv", "xlsx", "json", "jsonl")
_EXTENSIONS = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}

Row = tuple[int, list[str | None]]


@dataclass
class Table:
    """An opened input file: its header, and its rows to be read once."""

    path: Path
    format: str
    encoding: str | None
    headers: list[str]
    rows: Iterator[Row]
    size_bytes: int
    bytes_read: Callable[[], int] = lambda: 0
    # Per-row notes that are not errors (e.g. a formula cell whose stored value was used).
    row_notes: dict[int, list[str]] = field(default_factory=dict)
    closers: list[Callable[[], None]] = field(default_factory=list)

    def close(self) -> None:
        for close in self.closers:
            close()


def detect_format(path: Path, declared: str | None = None) -> str:
    if declared:
        declared = declared.lower()
        if declared not in FORMATS:
            raise ImportFormatError(str(path), f"unknown format {declared!r}; use one of {FORMATS}")
        return declared
    fmt = _EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise ImportFormatError(
            str(path),
            f"cannot tell the format from the extension {path.suffix!r}: use --format "
            "csv|tsv|xlsx|json|jsonl",
        )
    return fmt


def _check_headers(path: Path, headers: list[str]) -> list[str]:
    cleaned = [(h or "").strip() for h in headers]
    if not any(cleaned):
        raise ImportFormatError(str(path), "the header row is empty", row=0)
    seen: dict[str, int] = {}
    for index, header in enumerate(cleaned, start=1):
        if not header:
            cleaned[index - 1] = header = f"column_{index}"
        if header in seen:
            raise ImportFormatError(
                str(path),
                f"duplicate column header {header!r} (columns {seen[header]} and {index}); "
                "rename one so that no value is lost",
                row=0,
            )
        seen[header] = index
    return cleaned


def open_table(
    path: Path | str,
    *,
    file_format: str | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
) -> Table:
    """Open an input file for reading rows; raise ImportFormatError if it cannot be read."""
    path = Path(path)
    if not path.is_file():
        raise ImportFormatError(str(path), "no such file")
    size = path.stat().st_size
    if size == 0:
        raise ImportFormatError(str(path), "the file is empty")
    fmt = detect_format(path, file_format)
    if fmt == "xlsx":
        return _open_xlsx(path, size, sheet)
    if encoding is None:
        encoding = detect_encoding(path)
    else:
        check_encoding(path, encoding)
        if encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
            with open(path, "rb") as handle:
                if handle.read(3) == b"\xef\xbb\xbf":
                    encoding = "utf-8-sig"
    if fmt in ("csv", "tsv"):
        return _open_delimited(path, size, fmt, encoding)
    if fmt == "jsonl":
        return _open_jsonl(path, size, encoding)
    return _open_json(path, size, encoding)


class _CountingReader(io.RawIOBase):
    """Wraps a binary file and counts the bytes read, for progress bars."""

    def __init__(self, raw) -> None:
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self.raw.readinto(buffer)
        self.count += n or 0
        return n

    def close(self) -> None:
        self.raw.close()
        super().close()


def _text_stream(path: Path, encoding: str) -> tuple[io.TextIOWrapper, _CountingReader]:
    counter = _CountingReader(open(path, "rb"))  # noqa: SIM115 - closed by Table.close
    stream = io.TextIOWrapper(io.BufferedReader(counter), encoding=encoding, newline="")
    return stream, counter


def _decode_error(
    path: Path, encoding: str, row: int, error: UnicodeDecodeError
) -> ImportFormatError:
    return ImportFormatError(
        str(path),
        f"not valid {encoding} text ({error.reason}); give the right --encoding "
        "(utf-8, utf-16, cp1256)",
        row=row,
    )


def _open_delimited(path: Path, size: int, fmt: str, encoding: str) -> Table:
    try:
        with open(path, encoding=encoding, newline="") as handle:
            sample = handle.read(64 * 1024)
    except UnicodeDecodeError as error:
        raise _decode_error(path, encoding, 0, error) from None
    if "\x00" in sample:
        raise ImportFormatError(str(path), "contains NUL bytes: is it really a text file?")
    if not sample.strip():
        raise ImportFormatError(str(path), "the file holds no header and no rows")
    stream, counter = _text_stream(path, encoding)
    if fmt == "tsv":
        delimiter = "\t"
    else:
        first_line = sample.splitlines()[0] if sample else ""
        counts = {d: first_line.count(d) for d in (",", ";", "\t", "|")}
        delimiter = max(counts, key=counts.get) if max(counts.values()) > 0 else ","
    reader = csv.reader(stream, delimiter=delimiter, strict=True)
    try:
        headers = _check_headers(path, next(reader))
    except csv.Error as error:
        stream.close()
        raise ImportFormatError(str(path), f"cannot read the header: {error}", row=0) from None
    except BaseException:
        stream.close()
        raise

    def rows() -> Iterator[Row]:
        row_number = 0
        try:
            for values in reader:
                row_number += 1
                if not "".join(values).strip():
                    continue  # blank line (every cell empty or blanks)
                yield row_number, [v or None for v in values]
        except csv.Error as error:
            raise ImportFormatError(
                str(path), f"malformed CSV ({error}); the file may be truncated", row=row_number + 1
            ) from None
        except UnicodeDecodeError as error:
            raise _decode_error(path, encoding, row_number + 1, error) from None

    return Table(
        path=path,
        format=fmt,
        encoding=encoding,
        headers=headers,
        rows=rows(),
        size_bytes=size,
        bytes_read=lambda: counter.count,
        closers=[stream.close],
    )


def _json_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _number_text(value)
    return json.dumps(value, ensure_ascii=False)


def _number_text(value: float | int) -> str:
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _objects_to_rows(
    path: Path, objects: Iterator[tuple[int, object]], headers: list[str]
) -> Iterator[Row]:
    index = {h: i for i, h in enumerate(headers)}
    for row_number, obj in objects:
        if not isinstance(obj, dict):
            raise ImportFormatError(
                str(path), f"expected an object, found {type(obj).__name__}", row=row_number
            )
        values: list[str | None] = [None] * len(headers)
        for key, value in obj.items():
            values[index[str(key).strip()]] = _json_text(value)
        yield row_number, values


def _ordered_keys(objects) -> list[str]:
    keys: dict[str, None] = {}
    for obj in objects:
        if isinstance(obj, dict):
            for key in obj:
                keys.setdefault(str(key).strip(), None)
    return list(keys)


def _open_json(path: Path, size: int, encoding: str) -> Table:
    try:
        with open(path, encoding=encoding) as handle:
            data = json.load(handle)
    except UnicodeDecodeError as error:
        raise _decode_error(path, encoding, 0, error) from None
    except json.JSONDecodeError as error:
        raise ImportFormatError(
            str(path), f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list)]
        if len(lists) != 1:
            raise ImportFormatError(
                str(path), "expected a list of objects, or an object holding exactly one list"
            )
        data = lists[0]
    if not isinstance(data, list) or not data:
        raise ImportFormatError(str(path), "expected a non-empty list of objects")
    headers = _check_headers(path, _ordered_keys(data))
    return Table(
        path=path,
        format="json",
        encoding=encoding,
        headers=headers,
        rows=_objects_to_rows(path, enumerate(data, start=1), headers),
        size_bytes=size,
        bytes_read=lambda: size,
    )


def _open_jsonl(path: Path, size: int, encoding: str) -> Table:
    def objects() -> Iterator[tuple[int, object]]:
        row_number = 0
        with open(path, encoding=encoding) as handle:
            for line_number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                row_number += 1
                try:
                    yield row_number, json.loads(line)
                except json.JSONDecodeError as error:
                    raise ImportFormatError(
                        str(path),
                        f"line {line_number} is not valid JSON ({error.msg}); the file may be truncated",
                        row=row_number,
                    ) from None

    try:
        headers = _check_headers(path, _ordered_keys(obj for _, obj in objects()))
    except UnicodeDecodeError as error:
        raise _decode_error(path, encoding, 0, error) from None
    return Table(
        path=path,
        format="jsonl",
        encoding=encoding,
        headers=headers,
        rows=_objects_to_rows(path, objects(), headers),
        size_bytes=size,
        bytes_read=lambda: size,
    )


def _cell_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return _number_text(value)
    return str(value)


def _open_xlsx(path: Path, size: int, sheet: str | None) -> Table:
    from openpyxl import load_workbook  # heavy import, only for spreadsheets

    try:
        formulas = load_workbook(path, read_only=True, data_only=False)
        values = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - zipfile/openpyxl raise many types
        raise ImportFormatError(
            str(path), f"not a readable XLSX workbook ({type(error).__name__}: {error})"
        ) from None
    names = formulas.sheetnames
    if sheet is not None and sheet not in names:
        raise ImportFormatError(str(path), f"no sheet {sheet!r}; the sheets are {names}")
    name = sheet or names[0]
    formula_rows = formulas[name].iter_rows(values_only=True)
    value_rows = values[name].iter_rows(values_only=True)
    try:
        header_cells = next(value_rows)
        next(formula_rows)
        headers = _check_headers(path, [_cell_text(c) or "" for c in header_cells])
    except StopIteration:
        formulas.close()
        values.close()
        raise ImportFormatError(str(path), f"sheet {name!r} is empty") from None
    except BaseException:
        formulas.close()
        values.close()
        raise
    width = len(headers)
    table = Table(
        path=path,
        format="xlsx",
        encoding=None,
        headers=headers,
        rows=iter(()),
        size_bytes=size,
        bytes_read=lambda: 0,
        closers=[formulas.close, values.close],
    )

    def rows() -> Iterator[Row]:
        for row_number, (cells, raw_cells) in enumerate(
            zip(value_rows, formula_rows, strict=False), start=1
        ):
            texts = [_cell_text(c) for c in cells[:width]]
            texts += [None] * (width - len(texts))
            for column, raw in enumerate(raw_cells[:width]):
                if isinstance(raw, str) and raw.startswith("="):
                    if texts[column] is None:
                        texts[column] = raw  # kept verbatim; validation reports it
                        table.row_notes.setdefault(row_number, []).append(
                            f"formula:{headers[column]}"
                        )
                    else:
                        table.row_notes.setdefault(row_number, []).append(
                            f"formula-value:{headers[column]}"
                        )
            if any(t is not None for t in texts):
                yield row_number, texts

    table.rows = rows()
    return table
