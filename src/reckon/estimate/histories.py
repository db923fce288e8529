"""Capture histories: which lists each documented person is on, aggregated by pattern.

A capture history is a 0/1 vector over the J lists; people on no list are never observed. Reckon
keeps the M distinct observed patterns with their counts, in a canonical order (patterns read as
binary numbers, first list most significant, ascending), so that two equal tables have equal
digests whatever order their rows came in.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from reckon.errors import EstimationError, ImportFormatError, RowProblem, ValidationError

COUNT_COLUMN = "count"
_MAX_SHOWN_PROBLEMS = 10


def _canonical(patterns: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Merge duplicate patterns, drop zero counts and sort rows as binary numbers."""
    if patterns.shape[0] == 0:
        return patterns.reshape(0, patterns.shape[1]), counts.reshape(0)
    unique, inverse = np.unique(patterns, axis=0, return_inverse=True)
    summed = np.zeros(unique.shape[0], dtype=np.int64)
    np.add.at(summed, inverse.reshape(-1), counts)
    keep = summed > 0
    # np.unique sorts rows lexicographically, which is the binary order with the first list
    # most significant.
    return np.ascontiguousarray(unique[keep]), summed[keep]


def _problems_error(problems: list[RowProblem], source: str) -> ValidationError:
    shown = "; ".join(str(p) for p in problems[:_MAX_SHOWN_PROBLEMS])
    more = len(problems) - _MAX_SHOWN_PROBLEMS
    tail = f"; and {more} more" if more > 0 else ""
    return ValidationError(
        problems,
        f"{source}: {len(problems)} problem(s) in the capture histories: {shown}{tail}. "
        "Each list column must hold 0 or 1 and `count` a non-negative whole number.",
    )


@dataclass(frozen=True, eq=False)
class CaptureHistories:
    """The observed capture patterns over ``lists`` and how many people have each.

    Parameters
    ----------
    lists:
        List (source) names, one per column of ``patterns``.
    patterns:
        ``(M, J)`` array of 0/1. Duplicate rows are merged, rows with count 0 dropped, and rows
        sorted canonically on construction.
    counts:
        ``(M,)`` non-negative whole numbers.

    Raises
    ------
    EstimationError
        If shapes disagree, a value is not 0/1, a count is negative, list names repeat, or a
        person is on no list (such people cannot be observed).

    Example
    -------
    >>> h = CaptureHistories.from_memberships([{"A"}, {"A", "B"}, {"B"}, {"B"}])
    >>> h.n_observed, h.list_sizes()
    (4, {'A': 2, 'B': 3})
    """

    lists: tuple[str, ...]
    patterns: np.ndarray
    counts: np.ndarray

    def __post_init__(self) -> None:
        lists = tuple(str(name) for name in self.lists)
        if not lists:
            raise EstimationError("capture histories need at least one list")
        if len(set(lists)) != len(lists):
            raise EstimationError(f"list names must be distinct, got {list(lists)}")
        patterns = np.asarray(self.patterns)
        counts = np.asarray(self.counts)
        if patterns.ndim != 2 or patterns.shape[1] != len(lists):
            raise EstimationError(
                f"patterns must have shape (M, {len(lists)}), got {patterns.shape}"
            )
        if counts.shape != (patterns.shape[0],):
            raise EstimationError(
                f"counts must have shape ({patterns.shape[0]},), got {counts.shape}"
            )
        if patterns.size and not np.isin(patterns, (0, 1)).all():
            raise EstimationError("patterns must hold only 0 and 1")
        if counts.size and (
            not np.all(np.isfinite(counts.astype(float)))
            or np.any(counts.astype(float) != np.round(counts.astype(float)))
        ):
            raise EstimationError("counts must be whole numbers")
        counts = counts.astype(np.int64)
        if np.any(counts < 0):
            raise EstimationError("counts must not be negative")
        patterns = patterns.astype(np.uint8)
        empty_rows = (patterns.sum(axis=1) == 0) & (counts > 0)
        if np.any(empty_rows):
            raise EstimationError(
                "a capture pattern with every list 0 has a positive count; people on no list "
                "cannot be observed — remove that row"
            )
        patterns, counts = _canonical(patterns, counts)
        patterns.setflags(write=False)
        counts.setflags(write=False)
        object.__setattr__(self, "lists", lists)
        object.__setattr__(self, "patterns", patterns)
        object.__setattr__(self, "counts", counts)

    # ----------------------------------------------------------------- basic facts
    @property
    def n_observed(self) -> int:
        """Number of documented people (the sum of the counts)."""
        return int(self.counts.sum())

    @property
    def n_lists(self) -> int:
        """Number of lists J."""
        return len(self.lists)

    @property
    def n_patterns(self) -> int:
        """Number of distinct observed patterns M."""
        return int(self.patterns.shape[0])

    def list_sizes(self) -> dict[str, int]:
        """People on each list, by list name."""
        sizes = (self.patterns.astype(np.int64) * self.counts[:, None]).sum(axis=0)
        return {name: int(size) for name, size in zip(self.lists, sizes, strict=True)}

    def overlap_table(self) -> pd.DataFrame:
        """J x J table of people on both lists (list sizes on the diagonal)."""
        weighted = self.patterns.astype(np.int64) * self.counts[:, None]
        both = weighted.T @ self.patterns.astype(np.int64)
        return pd.DataFrame(both, index=list(self.lists), columns=list(self.lists))

    def to_frame(self) -> pd.DataFrame:
        """The patterns as a table: one 0/1 column per list and a ``count`` column."""
        frame = pd.DataFrame(self.patterns.astype(np.int64), columns=list(self.lists))
        frame[COUNT_COLUMN] = self.counts
        return frame

    def pattern_counts(self) -> dict[tuple[int, ...], int]:
        """Mapping pattern tuple -> count."""
        return {
            tuple(int(v) for v in row): int(c)
            for row, c in zip(self.patterns, self.counts, strict=True)
        }

    def digest(self) -> str:
        """SHA-256 of the canonical form (lists in order, sorted patterns, counts)."""
        canonical = {
            "lists": list(self.lists),
            "patterns": self.patterns.astype(int).tolist(),
            "counts": self.counts.astype(int).tolist(),
        }
        text = json.dumps(canonical, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CaptureHistories):
            return NotImplemented
        return (
            self.lists == other.lists
            and np.array_equal(self.patterns, other.patterns)
            and np.array_equal(self.counts, other.counts)
        )

    def __hash__(self) -> int:
        return hash(self.digest())

    def __repr__(self) -> str:
        return (
            f"CaptureHistories(lists={list(self.lists)}, n_observed={self.n_observed}, "
            f"n_patterns={self.n_patterns})"
        )

    # ----------------------------------------------------------------- transformations
    def _check_names(self, names: Iterable[str]) -> list[str]:
        names = list(names)
        unknown = [n for n in names if n not in self.lists]
        if unknown:
            raise EstimationError(f"unknown list(s) {unknown}; the lists are {list(self.lists)}")
        if len(set(names)) != len(names):
            raise EstimationError(f"list names repeat in {names}")
        return names

    def merge(self, *names: str, into: str | None = None) -> CaptureHistories:
        """Treat several lists as one: a person is on the merged list if on any of them.

        The merged list takes the place of the first named list and is called ``into``, or the
        names joined by ``+`` (``"A+B"``).
        """
        names_list = self._check_names(names)
        if len(names_list) < 2:
            raise EstimationError("merge needs at least two list names")
        into = into or "+".join(names_list)
        rest = [n for n in self.lists if n not in names_list]
        if into in rest:
            raise EstimationError(f"cannot name the merged list {into!r}: that list exists")
        index = [self.lists.index(n) for n in names_list]
        merged = self.patterns[:, index].max(axis=1)
        new_lists: list[str] = []
        columns: list[np.ndarray] = []
        for j, name in enumerate(self.lists):
            if name == names_list[0]:
                new_lists.append(into)
                columns.append(merged)
            elif name not in names_list:
                new_lists.append(name)
                columns.append(self.patterns[:, j])
        return CaptureHistories(tuple(new_lists), np.column_stack(columns), self.counts.copy())

    def drop(self, *names: str) -> CaptureHistories:
        """Remove lists. People who were only on dropped lists become unobserved."""
        names_list = self._check_names(names)
        keep = [j for j, n in enumerate(self.lists) if n not in names_list]
        if not keep:
            raise EstimationError("cannot drop every list")
        patterns = self.patterns[:, keep]
        observed = patterns.sum(axis=1) > 0
        return CaptureHistories(
            tuple(self.lists[j] for j in keep), patterns[observed], self.counts[observed]
        )

    def drop_empty(self) -> tuple[CaptureHistories, list[str]]:
        """Remove lists with no records; return the smaller histories and the removed names."""
        sizes = self.list_sizes()
        empty = [n for n in self.lists if sizes[n] == 0]
        if not empty:
            return self, []
        if len(empty) == len(self.lists):
            raise EstimationError("every list is empty: there is nothing to estimate from")
        return self.drop(*empty), empty

    def subset(self, names: Iterable[str]) -> CaptureHistories:
        """Keep only the named lists (in the order given)."""
        names_list = self._check_names(names)
        dropped = self.drop(*[n for n in self.lists if n not in names_list])
        order = [dropped.lists.index(n) for n in names_list]
        return CaptureHistories(tuple(names_list), dropped.patterns[:, order], dropped.counts)

    # ----------------------------------------------------------------- constructors
    @classmethod
    def from_memberships(
        cls, memberships: Iterable[Iterable[str]], lists: Iterable[str] | None = None
    ) -> CaptureHistories:
        """Build histories from one set of list names per person.

        ``lists`` fixes the list order (and may include lists nobody is on); by default the
        sorted union of the names.
        """
        people = [frozenset(str(n) for n in m) for m in memberships]
        if lists is None:
            names = tuple(sorted(set().union(*people))) if people else ()
        else:
            names = tuple(str(n) for n in lists)
            known = set(names)
            for i, person in enumerate(people):
                unknown = person - known
                if unknown:
                    raise EstimationError(
                        f"person {i} is on list(s) {sorted(unknown)} not among {list(names)}"
                    )
        for i, person in enumerate(people):
            if not person:
                raise EstimationError(f"person {i} is on no list; such people cannot be observed")
        if not names:
            raise EstimationError("no memberships given: capture histories need at least one list")
        position = {n: j for j, n in enumerate(names)}
        patterns = np.zeros((len(people), len(names)), dtype=np.uint8)
        for i, person in enumerate(people):
            for name in person:
                patterns[i, position[name]] = 1
        return cls(names, patterns, np.ones(len(people), dtype=np.int64))

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, source: str = "<table>") -> CaptureHistories:
        """Build histories from a table with one 0/1 column per list and a ``count`` column."""
        header = [str(c) for c in frame.columns]
        rows = [[None if _missing(v) else str(v) for v in row] for row in frame.itertuples(False)]
        return _parse_rows(source, header, rows)

    @classmethod
    def from_csv(cls, path: str | Path, *, encoding: str = "utf-8-sig") -> CaptureHistories:
        """Read histories from a CSV file: one 0/1 column per list and a ``count`` column.

        Raises
        ------
        ImportFormatError
            The file is missing, empty, not text, or its header is unusable.
        ValidationError
            Some cells are not 0/1 or not counts; every problem is listed with file, row
            (1-based data row) and column.
        """
        source = str(path)
        header, rows = _read_csv(Path(path), encoding)
        return _parse_rows(source, header, rows)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CaptureHistories:
        """Inverse of :meth:`to_dict`."""
        return cls(tuple(data["lists"]), np.asarray(data["patterns"]), np.asarray(data["counts"]))

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form: lists, patterns (lists of 0/1) and counts."""
        return {
            "lists": list(self.lists),
            "patterns": self.patterns.astype(int).tolist(),
            "counts": self.counts.astype(int).tolist(),
        }


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


def pool_histories(parts: Iterable[CaptureHistories]) -> CaptureHistories:
    """Add several tables (e.g. strata) into one over the union of their lists.

    A list missing from a part counts as 0 for that part's people.
    """
    parts = list(parts)
    if not parts:
        raise EstimationError("nothing to pool")
    lists: list[str] = []
    for part in parts:
        lists += [n for n in part.lists if n not in lists]
    rows, counts = [], []
    for part in parts:
        expanded = np.zeros((part.n_patterns, len(lists)), dtype=np.uint8)
        for j, name in enumerate(part.lists):
            expanded[:, lists.index(name)] = part.patterns[:, j]
        rows.append(expanded)
        counts.append(part.counts)
    return CaptureHistories(tuple(lists), np.vstack(rows), np.concatenate(counts))
