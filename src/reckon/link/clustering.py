"""Clusters of records from scored pairs, under human decisions that always bind.

:func:`cluster_records` is union-find over the pairs at or above the threshold, taken in
decreasing match probability, that refuses any merge which would put two records a human said
are different into one cluster — directly or through any chain of other records. Human
"same" decisions are applied first and always hold (a "same" that contradicts an earlier
"different" is reported and skipped: two human decisions cannot both hold).

Pure functions on arrays; no database.

>>> clusters = cluster_records(
...     [1, 2, 3], pairs=([1, 2], [2, 3], [0.99, 0.98]), threshold=0.9, cannot_link=[(1, 3)]
... )
>>> clusters.groups()
[[1, 2], [3]]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Clusters:
    """Records grouped into clusters.

    ``labels[i]`` is the cluster of ``record_ids[i]`` (the smallest record id in it);
    ``probability[i]`` the highest match probability linking the record to another record of
    its cluster (1.0 for a human "same", NaN for a record alone).
    """

    record_ids: np.ndarray
    labels: np.ndarray
    probability: np.ndarray
    refused: list[tuple[int, int]] = field(default_factory=list)
    conflicts: list[tuple[int, int]] = field(default_factory=list)

    def groups(self) -> list[list[int]]:
        """Clusters as sorted lists of record ids, sorted by their first id."""
        order = np.lexsort((self.record_ids, self.labels))
        ids, labels = self.record_ids[order], self.labels[order]
        cuts = np.flatnonzero(np.diff(labels)) + 1
        return [part.tolist() for part in np.split(ids, cuts)] if len(ids) else []

    def as_dict(self) -> dict[int, int]:
        """record id -> cluster label."""
        return dict(zip(self.record_ids.tolist(), self.labels.tolist(), strict=True))

    @property
    def count(self) -> int:
        return len(np.unique(self.labels))


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.size = [1] * n
        # cluster root -> indices of records its members must never join
        self.forbidden: dict[int, set[int]] = {}

    def find(self, i: int) -> int:
        parent = self.parent
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            parent[i], i = root, parent[i]
        return root

    def can_join(self, ra: int, rb: int) -> bool:
        fa, fb = self.forbidden.get(ra), self.forbidden.get(rb)
        if not fa and not fb:
            return True
        if fa and len(fa) <= len(fb or fa):
            return all(self.find(x) != rb for x in fa)
        return all(self.find(x) != ra for x in fb or ())

    def union(self, ra: int, rb: int) -> int:
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        fb = self.forbidden.pop(rb, None)
        if fb:
            self.forbidden.setdefault(ra, set()).update(fb)
        return ra


def cluster_records(
    record_ids: Sequence[int] | np.ndarray,
    pairs: tuple[Iterable[int], Iterable[int], Iterable[float]] | None = None,
    *,
    threshold: float,
    must_link: Iterable[tuple[int, int]] = (),
    cannot_link: Iterable[tuple[int, int]] = (),
) -> Clusters:
    """Cluster ``record_ids`` from scored pairs ``(ids_l, ids_r, probabilities)``.

    Pairs below ``threshold`` are ignored; ties in probability are taken in order of
    (smaller id, larger id), so the result does not depend on the order of the input.
    Pairs naming records not in ``record_ids`` are ignored.
    """
    ids = np.asarray(record_ids, dtype=np.int64)
    order = np.argsort(ids, kind="stable")
    ids = ids[order]
    if len(ids) and np.any(np.diff(ids) == 0):
        raise ValueError("record ids must be unique")
    n = len(ids)
    uf = _UnionFind(n)
    best = np.full(n, np.nan)

    def index_of(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        pos = np.searchsorted(ids, values)
        pos = np.minimum(pos, max(n - 1, 0))
        ok = (ids[pos] == values) if n else np.zeros(len(values), bool)
        return pos, ok

    cannot = _pairs_array(cannot_link)
    if len(cannot):
        ca, oka = index_of(cannot[:, 0])
        cb, okb = index_of(cannot[:, 1])
        for a, b in zip(ca[oka & okb].tolist(), cb[oka & okb].tolist(), strict=True):
            if a == b:
                continue
            uf.forbidden.setdefault(a, set()).add(b)
            uf.forbidden.setdefault(b, set()).add(a)

    conflicts: list[tuple[int, int]] = []
    must = _pairs_array(must_link)
    if len(must):
        ma, oka = index_of(must[:, 0])
        mb, okb = index_of(must[:, 1])
        for a, b in zip(ma[oka & okb].tolist(), mb[oka & okb].tolist(), strict=True):
            ra, rb = uf.find(a), uf.find(b)
            if ra != rb:
                if not uf.can_join(ra, rb):
                    conflicts.append((int(ids[a]), int(ids[b])))
                    continue
                uf.union(ra, rb)
            best[a] = best[b] = 1.0

    refused: list[tuple[int, int]] = []
    if pairs is not None:
        left = np.asarray(list(pairs[0]) if not isinstance(pairs[0], np.ndarray) else pairs[0])
        right = np.asarray(list(pairs[1]) if not isinstance(pairs[1], np.ndarray) else pairs[1])
        prob = np.asarray(
            list(pairs[2]) if not isinstance(pairs[2], np.ndarray) else pairs[2], dtype=float
        )
        keep = prob >= threshold
        left, right, prob = left[keep].astype(np.int64), right[keep].astype(np.int64), prob[keep]
        low, high = np.minimum(left, right), np.maximum(left, right)
        pa, oka = index_of(low)
        pb, okb = index_of(high)
        ok = oka & okb & (low != high)
        pa, pb, prob = pa[ok], pb[ok], prob[ok]
        sequence = np.lexsort((high[ok], low[ok], -prob))
        has_forbidden = bool(uf.forbidden)
        for a, b, p in zip(
            pa[sequence].tolist(), pb[sequence].tolist(), prob[sequence].tolist(), strict=True
        ):
            ra, rb = uf.find(a), uf.find(b)
            if ra != rb:
                if has_forbidden and not uf.can_join(ra, rb):
                    refused.append((int(ids[a]), int(ids[b])))
                    continue
                uf.union(ra, rb)
            if not best[a] >= p:
                best[a] = p
            if not best[b] >= p:
                best[b] = p

    roots = np.fromiter((uf.find(i) for i in range(n)), dtype=np.int64, count=n)
    # label each cluster by its smallest record id (ids are sorted, so the first seen)
    first = np.full(n, -1, dtype=np.int64)
    labels = np.empty(n, dtype=np.int64)
    for i, r in enumerate(roots.tolist()):
        if first[r] < 0:
            first[r] = ids[i]
        labels[i] = first[r]
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = np.arange(n)
    return Clusters(
        record_ids=np.asarray(record_ids, dtype=np.int64),
        labels=labels[inverse],
        probability=best[inverse],
        refused=refused,
        conflicts=conflicts,
    )


def _pairs_array(pairs: Iterable[tuple[int, int]]) -> np.ndarray:
    array = np.asarray([(int(a), int(b)) for a, b in pairs], dtype=np.int64)
    return array.reshape(-1, 2)
