"""Clusters of records from scored pairs, under human decisions that always bind.

:func:`cluster_records` is union-find over the pairs at or above the threshold, taken in
decreasing match probability, that refuses any merge which would put two records a human said
are different into one cluster — directly or through any chain of other records. Human
"same" decisions are applied first and always hold (a "same" that contradicts an earlier
"different" is reported and skipped: two human decisions cannot both hold).

The model's own strong "different" counts too, below the humans: with ``veto``, two records
whose pair scored below it (a conflicting date of death, another father) are not put in one
cluster through a chain of other links either. Plain single linkage would join them whenever
each has a likely link to some third record — that is how one namesake link merges two
people's records — and in the benchmark those merges were most false pairs (at 100,000
records and threshold 0.5, 545 false links made 1,375 false pairs). Only pairs inside one
connected group of likely links can matter, so only those are kept as vetoes. A human "same"
overrides a veto.

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
    its cluster (1.0 for a human "same", NaN for a record alone). ``refused`` are the links a
    human "different" blocked, ``vetoed`` the links a pair scored below the veto blocked.
    """

    record_ids: np.ndarray
    labels: np.ndarray
    probability: np.ndarray
    refused: list[tuple[int, int]] = field(default_factory=list)
    conflicts: list[tuple[int, int]] = field(default_factory=list)
    vetoed: list[tuple[int, int]] = field(default_factory=list)

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
        # cluster root -> indices of records its members must never join: a human said so
        # (``forbidden``) or the model scored the pair below the veto (``vetoed``)
        self.forbidden: dict[int, set[int]] = {}
        self.vetoed: dict[int, set[int]] = {}

    def find(self, i: int) -> int:
        parent = self.parent
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            parent[i], i = root, parent[i]
        return root

    def _apart(self, table: dict[int, set[int]], ra: int, rb: int) -> bool:
        fa, fb = table.get(ra), table.get(rb)
        if not fa and not fb:
            return False
        if fa and len(fa) <= len(fb or fa):
            return any(self.find(x) == rb for x in fa)
        return any(self.find(x) == ra for x in fb or ())

    def can_join(self, ra: int, rb: int) -> bool:
        return not self._apart(self.forbidden, ra, rb)

    def vetoes(self, ra: int, rb: int) -> bool:
        return self._apart(self.vetoed, ra, rb)

    def keep_apart(self, table: dict[int, set[int]], a: np.ndarray, b: np.ndarray) -> None:
        """Records a[i] and b[i] must never share a cluster (kept under their clusters' roots,
        where :meth:`union` merges them)."""
        for x, y in zip(a.tolist(), b.tolist(), strict=True):
            if x != y:
                table.setdefault(self.find(x), set()).add(y)
                table.setdefault(self.find(y), set()).add(x)

    def union(self, ra: int, rb: int) -> int:
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        for table in (self.forbidden, self.vetoed):
            fb = table.pop(rb, None)
            if fb:
                table.setdefault(ra, set()).update(fb)
        return ra


def linked_groups(
    record_ids: Sequence[int] | np.ndarray, left: np.ndarray, right: np.ndarray
) -> np.ndarray:
    """Connected group of each record of ``record_ids`` under the links ``left[i]``–``right[i]``
    (a label per record; links naming other records are ignored).

    >>> linked_groups([1, 2, 3, 4], np.array([1]), np.array([2])).tolist()
    [0, 0, 1, 2]
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    ids = np.asarray(record_ids, dtype=np.int64)
    order = np.argsort(ids, kind="stable")
    sorted_ids = ids[order]
    n = len(ids)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    a = np.searchsorted(sorted_ids, np.asarray(left, dtype=np.int64)).clip(max=n - 1)
    b = np.searchsorted(sorted_ids, np.asarray(right, dtype=np.int64)).clip(max=n - 1)
    ok = (sorted_ids[a] == left) & (sorted_ids[b] == right)
    graph = coo_matrix((np.ones(int(ok.sum()), dtype=np.int8), (a[ok], b[ok])), shape=(n, n))
    _, group = connected_components(graph, directed=False)
    out = np.empty(n, dtype=np.int64)
    out[order] = group
    return out


def cluster_records(
    record_ids: Sequence[int] | np.ndarray,
    pairs: tuple[Iterable[int], Iterable[int], Iterable[float]] | None = None,
    *,
    threshold: float,
    must_link: Iterable[tuple[int, int]] = (),
    cannot_link: Iterable[tuple[int, int]] = (),
    veto: float | None = None,
) -> Clusters:
    """Cluster ``record_ids`` from scored pairs ``(ids_l, ids_r, probabilities)``.

    Pairs at or above ``threshold`` link; with ``veto``, pairs below it keep their two records
    apart unless a human said "same" (see the module docs); the rest are ignored. Ties in
    probability are taken in order of (smaller id, larger id), so the result does not depend
    on the order of the input. Pairs naming records not in ``record_ids`` are ignored.
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
        uf.keep_apart(uf.forbidden, ca[oka & okb], cb[oka & okb])

    conflicts: list[tuple[int, int]] = []
    must = _pairs_array(must_link)
    must_a = must_b = np.zeros(0, dtype=np.int64)
    if len(must):
        ma, oka = index_of(must[:, 0])
        mb, okb = index_of(must[:, 1])
        must_a, must_b = ma[oka & okb], mb[oka & okb]
        for a, b in zip(must_a.tolist(), must_b.tolist(), strict=True):
            ra, rb = uf.find(a), uf.find(b)
            if ra != rb:
                if not uf.can_join(ra, rb):
                    conflicts.append((int(ids[a]), int(ids[b])))
                    continue
                uf.union(ra, rb)
            best[a] = best[b] = 1.0

    refused: list[tuple[int, int]] = []
    vetoed: list[tuple[int, int]] = []
    if pairs is not None:
        left, right, prob = (np.asarray(part if isinstance(part, np.ndarray) else list(part))
                             for part in pairs)  # fmt: skip
        prob = prob.astype(float)
        low, high = (
            np.minimum(left, right).astype(np.int64),
            np.maximum(left, right).astype(np.int64),
        )
        pa, oka = index_of(low)
        pb, okb = index_of(high)
        ok = oka & okb & (low != high)
        link = ok & (prob >= threshold)
        if veto is not None and len(ids):
            apart = ok & (prob < veto)
            group = linked_groups(np.arange(n), np.concatenate([pa[link], must_a]),
                                  np.concatenate([pb[link], must_b]))  # fmt: skip
            apart[apart] = group[pa[apart]] == group[pb[apart]]
            # a human "same" already joined some of these: a veto cannot split them
            joined = np.fromiter((uf.find(a) == uf.find(b) for a, b in
                                  zip(pa[apart].tolist(), pb[apart].tolist(), strict=True)),
                                 dtype=bool, count=int(apart.sum()))  # fmt: skip
            apart[np.flatnonzero(apart)[joined]] = False
            uf.keep_apart(uf.vetoed, pa[apart], pb[apart])
        pa, pb, prob = pa[link], pb[link], prob[link]
        sequence = np.lexsort((high[link], low[link], -prob))
        constrained = bool(uf.forbidden) or bool(uf.vetoed)
        for a, b, p in zip(
            pa[sequence].tolist(), pb[sequence].tolist(), prob[sequence].tolist(), strict=True
        ):
            ra, rb = uf.find(a), uf.find(b)
            if ra != rb:
                if constrained and not uf.can_join(ra, rb):
                    refused.append((int(ids[a]), int(ids[b])))
                    continue
                if constrained and uf.vetoes(ra, rb):
                    vetoed.append((int(ids[a]), int(ids[b])))
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
        vetoed=vetoed,
    )


def _pairs_array(pairs: Iterable[tuple[int, int]]) -> np.ndarray:
    array = np.asarray([(int(a), int(b)) for a, b in pairs], dtype=np.int64)
    return array.reshape(-1, 2)
