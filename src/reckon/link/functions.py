"""The Python function the comparison SQL calls, registered under one name in every engine.

``reckon_name_similarity(name_l, name_r)`` is :func:`reckon.text.name_similarity` of two
normalized names. Called row by row from SQL it would cost a Python call per pair, so before
scoring the similarities of every candidate pair's names are computed in bulk with
:func:`reckon.text.name_similarity_batch` (:meth:`NameSimilarity.precompute`) and the SQL
function only looks them up. The table is compact (name ids and sorted 64-bit codes, not a dict
of string pairs), so a million records' worth fits in memory; a pair not in it (random pairs
while training) is computed on the spot and remembered.

The object is picklable, so Spark ships it (with its table) to its workers.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from reckon.text import name_similarity, name_similarity_batch

_BATCH = 200_000
_EXTRA_LIMIT = 1 << 20
_RECENT_LIMIT = 1 << 15


class NameSimilarity:
    """``reckon_name_similarity``: see the module docs."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._codes = np.empty(0, dtype=np.int64)
        self._values = np.empty(0, dtype=np.float32)
        self._extra: dict[tuple[str, str], float] = {}
        # The pairs asked last: SQL asks a pair once for each comparison level that tests its
        # similarity, a vector of rows (2048 in DuckDB) apart, and a lookup in the table costs
        # a NumPy call.
        self._recent: dict[tuple[str, str], float] = {}

    def _id(self, name: str) -> int:
        found = self._ids.get(name)
        if found is None:
            found = self._ids[name] = len(self._ids)
        return found

    def precompute(self, left: Iterable[str | None], right: Iterable[str | None]) -> int:
        """Compute and keep the similarity of every pair ``(left[i], right[i])`` of different,
        non-empty names; returns how many new pairs were computed."""
        a_ids, b_ids, a_names, b_names = [], [], [], []
        seen: set[int] = set()
        for a, b in zip(left, right, strict=True):
            if not a or not b or a == b:
                continue
            if b < a:
                a, b = b, a
            ia, ib = self._id(a), self._id(b)
            code = (ia << 32) | ib
            if code in seen:
                continue
            seen.add(code)
            a_ids.append(ia)
            b_ids.append(ib)
            a_names.append(a)
            b_names.append(b)
        if not a_ids:
            return 0
        codes = (np.asarray(a_ids, dtype=np.int64) << 32) | np.asarray(b_ids, dtype=np.int64)
        if len(self._codes):
            known = np.isin(codes, self._codes)
            keep = np.flatnonzero(~known)
        else:
            keep = np.arange(len(codes))
        if not len(keep):
            return 0
        values = np.empty(len(keep), dtype=np.float32)
        for start in range(0, len(keep), _BATCH):
            part = keep[start : start + _BATCH]
            values[start : start + len(part)] = name_similarity_batch(
                [a_names[i] for i in part], [b_names[i] for i in part]
            )
        all_codes = np.concatenate([self._codes, codes[keep]])
        all_values = np.concatenate([self._values, values])
        order = np.argsort(all_codes, kind="stable")
        self._codes, self._values = all_codes[order], all_values[order]
        return len(keep)

    def __len__(self) -> int:
        return len(self._codes) + len(self._extra)

    def __call__(self, a: str | None, b: str | None) -> float | None:
        if not a or not b:
            return None
        asked = (a, b)
        value = self._recent.get(asked)
        if value is not None:
            return value
        if a == b:
            return 1.0
        if b < a:
            a, b = b, a
        ia, ib = self._ids.get(a), self._ids.get(b)
        if ia is not None and ib is not None and len(self._codes):
            code = (ia << 32) | ib
            at = int(np.searchsorted(self._codes, code))
            if at < len(self._codes) and self._codes[at] == code:
                value = float(self._values[at])
        if value is None:
            pair = (a, b)
            value = self._extra.get(pair)
            if value is None:
                value = float(name_similarity(a, b))
                if len(self._extra) >= _EXTRA_LIMIT:
                    self._extra.clear()
                self._extra[pair] = value
        if len(self._recent) >= _RECENT_LIMIT:
            self._recent.clear()
        self._recent[asked] = value
        return value

    def __getstate__(self) -> dict:
        """What Spark ships: the table, without the memo of the pairs asked last."""
        return {**self.__dict__, "_recent": {}}
