"""Bayesian model averaging over decomposable graphical models (Madigan & York 1997).

Each decomposable graph on the J lists is a log-linear model whose cliques carry the dependence
between lists. With a hyper-Dirichlet prior (``delta`` per cell of the full 2^J table, so a
marginal table over a clique C has ``delta * 2^(J - |C|)`` per cell) the marginal likelihood of
the completed table, for each number n0 of people on no list, is in closed form:

    p(y, n0 | G) = N! / (n0! prod y!) * prod_C ML(C) / prod_S ML(S),
    ML(C) = Gamma(A) / Gamma(A + N) * prod_c Gamma(alpha_C + m_c) / Gamma(alpha_C),

A = delta 2^J, m_c the clique-marginal counts (n0 added to the all-zero cell), S the separators
of a junction tree. The posterior over (G, N) uses a uniform prior over graphs and ``p(N)``
proportional to 1/N, on the grid n0 = 0..max_missing. The R package dga (Johndrow, Lum & Ball)
computes the same quantities; this is an independent implementation of the paper.
"""

from __future__ import annotations

import itertools
import math
import warnings
from dataclasses import dataclass
from functools import cache

import numpy as np
from scipy.special import gammaln, logsumexp

from reckon.errors import ConvergenceWarning, EstimationError
from reckon.estimate.base import Estimator, check_fittable
from reckon.estimate.histories import CaptureHistories
from reckon.estimate.result import EstimateResult

MAX_LISTS = 5
_TAIL = 1e-4  # posterior mass allowed in the last tenth of the grid
_MAX_GRID_FACTOR = 1000
POINTS = ("median", "bayes", "mean", "mode")


@dataclass(frozen=True)
class Graph:
    """A decomposable graph: its edges, cliques and junction-tree separators (as bit masks)."""

    edges: tuple[tuple[int, int], ...]
    cliques: tuple[int, ...]
    separators: tuple[int, ...]


def _mask(nodes) -> int:
    return sum(1 << j for j in nodes)


def _is_chordal(n_nodes: int, adjacent: list[set[int]]) -> bool:
    """Maximum cardinality search; chordal iff the order is a perfect elimination order."""
    order: list[int] = []
    weight = [0] * n_nodes
    left = set(range(n_nodes))
    while left:
        v = max(sorted(left), key=lambda u: weight[u])
        order.append(v)
        left.remove(v)
        for u in adjacent[v]:
            if u in left:
                weight[u] += 1
    position = {v: i for i, v in enumerate(order)}
    for v in order:
        earlier = [u for u in adjacent[v] if position[u] < position[v]]
        if earlier:
            parent = max(earlier, key=lambda u: position[u])
            if not set(earlier) - {parent} <= adjacent[parent]:
                return False
    return True


@cache
def decomposable_graphs(n_nodes: int) -> tuple[Graph, ...]:
    """Every decomposable (chordal) graph on ``n_nodes`` labelled nodes."""
    pairs = list(itertools.combinations(range(n_nodes), 2))
    graphs = []
    for size in range(len(pairs) + 1):
        for edges in itertools.combinations(pairs, size):
            adjacent: list[set[int]] = [set() for _ in range(n_nodes)]
            for a, b in edges:
                adjacent[a].add(b)
                adjacent[b].add(a)
            if not _is_chordal(n_nodes, adjacent):
                continue
            complete = [
                frozenset(s)
                for r in range(1, n_nodes + 1)
                for s in itertools.combinations(range(n_nodes), r)
                if all(b in adjacent[a] for a, b in itertools.combinations(s, 2))
            ]
            cliques = [c for c in complete if not any(c < d for d in complete)]
            # Junction tree: maximum-weight spanning tree of the clique graph (Kruskal).
            links = sorted(
                (
                    (len(cliques[i] & cliques[j]), i, j)
                    for i, j in itertools.combinations(range(len(cliques)), 2)
                ),
                key=lambda t: -t[0],
            )
            root = list(range(len(cliques)))

            def find(x: int, root: list[int] = root) -> int:
                while root[x] != x:
                    x = root[x]
                return x

            separators = []
            for _, i, j in links:
                if find(i) != find(j):
                    root[find(i)] = find(j)
                    separators.append(cliques[i] & cliques[j])
            graphs.append(
                Graph(
                    edges=edges,
                    cliques=tuple(_mask(c) for c in cliques),
                    separators=tuple(_mask(s) for s in separators),
                )
            )
    return tuple(graphs)


def _component_log_ml(
    full: np.ndarray, n_lists: int, mask: int, delta: float, n0: np.ndarray
) -> np.ndarray:
    """log ML of the marginal table over the lists in ``mask``, for every n0 on the grid."""
    if mask == 0:
        return np.zeros_like(n0)
    members = [j for j in range(n_lists) if mask >> j & 1]
    cells = np.array(list(itertools.product((0, 1), repeat=n_lists)))
    index = cells[:, members] @ (1 << np.arange(len(members))[::-1])
    margin = np.bincount(index, weights=full, minlength=1 << len(members))
    alpha = delta * 2.0 ** (n_lists - len(members))
    total = delta * 2.0**n_lists
    fixed = float(np.sum(gammaln(alpha + margin[1:]))) - (margin.size - 1) * gammaln(alpha)
    zero = gammaln(alpha + margin[0] + n0) - gammaln(alpha)
    n_total = full.sum() + n0
    return gammaln(total) - gammaln(total + n_total) + fixed + zero


@dataclass
class _Posterior:
    posterior: np.ndarray  # p(n0 | data) on the grid 0..top
    model_prob: np.ndarray  # p(graph | data)
    model_modes: np.ndarray  # argmax over the grid of p(n0 | graph, data)


def _tail_mass(posterior: np.ndarray) -> float:
    return float(posterior[int(0.9 * (posterior.size - 1)) :].sum())


def _posterior(
    full: np.ndarray, n_lists: int, delta: float, graphs: tuple[Graph, ...], top: int
) -> _Posterior:
    """Posterior over graphs and n0 = 0..top, accumulated one graph at a time (memory O(top))."""
    n0 = np.arange(top + 1, dtype=float)
    total = full.sum() + n0
    component = {
        mask: _component_log_ml(full, n_lists, mask, delta, n0) for mask in range(1 << n_lists)
    }
    # Multinomial coefficient (the constant prod y! dropped) and the 1/N prior.
    common = gammaln(total + 1) - gammaln(n0 + 1) - np.log(total)
    accumulated = np.full(n0.size, -np.inf)
    log_model = np.empty(len(graphs))
    modes = np.empty(len(graphs), dtype=np.int64)
    for g, graph in enumerate(graphs):
        log_post = common.copy()
        for mask in graph.cliques:
            log_post += component[mask]
        for mask in graph.separators:
            log_post -= component[mask]
        log_model[g] = logsumexp(log_post)
        modes[g] = int(np.argmax(log_post))
        np.logaddexp(accumulated, log_post, out=accumulated)
    norm = logsumexp(log_model)
    return _Posterior(
        posterior=np.exp(accumulated - norm),
        model_prob=np.exp(log_model - norm),
        model_modes=modes,
    )


class Dga(Estimator):
    """Bayesian model averaging over decomposable graphs (Madigan & York 1997).

    Parameters
    ----------
    delta:
        Hyper-Dirichlet weight per cell of the full table; None means 2^-J (total prior weight
        one, the dga package's recommendation).
    max_missing:
        Largest number of undocumented people on the grid. By default the grid starts at 10 n
        and widens (to at most 1000 n) until the posterior has died away at its end; a warning
        is given if it has not.
    point:
        Which posterior summary is the estimate: ``"median"`` (default, as for LCMCR),
        ``"bayes"`` (minimises relative squared error E[(a - N)^2 / N^2], Madigan & York's Bayes
        estimate: E[1/N] / E[1/N^2]), ``"mean"`` or ``"mode"``. All four are in diagnostics.
    samples, seed:
        Draws from the exact posterior kept on the result (for stratified totals).
    level:
        Credible interval level (equal-tailed, from the exact posterior).
    """

    method = "dga"
    bayesian = True

    def __init__(
        self,
        delta: float | None = None,
        max_missing: int | None = None,
        point: str = "median",
        samples: int = 10000,
        seed: int | None = None,
        level: float = 0.95,
    ) -> None:
        self.delta = delta
        self.max_missing = max_missing
        self.point = point
        self.samples = samples
        self.seed = seed
        self.level = level

    def fit(self, histories: CaptureHistories) -> EstimateResult:
        check_fittable(histories, min_lists=3)
        if histories.n_lists > MAX_LISTS:
            raise EstimationError(
                f"dga averages over every decomposable graph and takes at most {MAX_LISTS} "
                f"lists, got {histories.n_lists}; merge lists first"
            )
        if self.point not in POINTS:
            raise EstimationError(f"point must be one of {POINTS}, not {self.point!r}")
        if not 0 < self.level < 1:
            raise EstimationError(f"level must be between 0 and 1, got {self.level}")
        n_lists, n = histories.n_lists, histories.n_observed
        delta = 2.0**-n_lists if self.delta is None else float(self.delta)
        if delta <= 0:
            raise EstimationError(f"delta must be positive, got {delta}")
        cells = list(itertools.product((0, 1), repeat=n_lists))
        counts = histories.pattern_counts()
        full = np.array([counts.get(c, 0) for c in cells], dtype=float)
        graphs = decomposable_graphs(n_lists)
        if self.max_missing is not None:
            if self.max_missing < 1:
                raise EstimationError(f"max_missing must be at least 1, got {self.max_missing}")
            top = int(self.max_missing)
            fitted = _posterior(full, n_lists, delta, graphs, top)
        else:
            # Widen the grid until the posterior has died away at its end.
            top = max(10 * n, 300)
            fitted = _posterior(full, n_lists, delta, graphs, top)
            while _tail_mass(fitted.posterior) > _TAIL and top < _MAX_GRID_FACTOR * n:
                top *= 4
                fitted = _posterior(full, n_lists, delta, graphs, top)
        if _tail_mass(fitted.posterior) > _TAIL:
            warnings.warn(
                f"dga: the posterior of N has not died away by {n + top:,} "
                "(max_missing); raise max_missing",
                ConvergenceWarning,
                stacklevel=2,
            )
        posterior, model_prob = fitted.posterior, fitted.model_prob
        total = n + np.arange(top + 1, dtype=float)
        cdf = np.cumsum(posterior)
        tail = (1 - self.level) / 2

        def quantile(q: float) -> float:
            return float(total[min(np.searchsorted(cdf, q), total.size - 1)])

        summaries = {
            "median": quantile(0.5),
            "bayes": float(np.sum(posterior / total) / np.sum(posterior / total**2)),
            "mean": float(np.sum(posterior * total)),
            "mode": float(total[np.argmax(posterior)]),
        }
        best = int(np.argmax(model_prob))
        order = np.argsort(-model_prob, kind="stable")[:10]
        lists = histories.lists
        rng = np.random.default_rng(self.seed)
        draws = rng.choice(total, size=int(self.samples), p=posterior)
        return self._result(
            histories,
            summaries[self.point],
            quantile(tail),
            quantile(1 - tail),
            level=self.level,
            draws=draws,
            settings={"delta": delta, "max_missing": top},
            diagnostics={
                "bayes_estimate": summaries["bayes"],
                "posterior_mean": summaries["mean"],
                "posterior_mode": summaries["mode"],
                "posterior_median": summaries["median"],
                "top_model": _graph_label(graphs[best], lists),
                "top_model_probability": float(model_prob[best]),
                "top_model_mode": float(total[fitted.model_modes[best]]),
                "n_models": len(graphs),
                "models": [
                    {
                        "model": _graph_label(graphs[i], lists),
                        "weight": float(model_prob[i]),
                        "estimate": float(total[fitted.model_modes[i]]),
                        "delta": float(
                            -2 * math.log(max(model_prob[i], 1e-300) / model_prob[best])
                        ),
                    }
                    for i in order
                ],
            },
        )


def _graph_label(graph: Graph, lists: tuple[str, ...]) -> str:
    if not graph.edges:
        return "independence"
    return " + ".join(f"{lists[a]}:{lists[b]}" for a, b in graph.edges)
