"""Capture histories: which lists each documented person is on, aggregated by pattern.

A capture history is a 0/1 vector over the J lists; people on no list are never observed. Reckon
keeps the M distinct observed patterns with their counts, in a canonical order (patterns read as
binary numbers, first list most significant, ascending), so that two equal tables have equal
digests whatever order their rows came in.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from reckon.errors import EstimationError

COUNT_COLUMN = "count"


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
        from reckon.estimate.histories_csv import parse_frame

        return parse_frame(frame, source)

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
        from reckon.estimate.histories_csv import read_histories_csv

        return read_histories_csv(path, encoding=encoding)

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
