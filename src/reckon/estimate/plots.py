"""Figures for estimate reports, drawn with matplotlib's Agg canvas and returned as PNG bytes.

No pyplot and no global backend: each figure is a :class:`matplotlib.figure.Figure` on its own
:class:`~matplotlib.backends.backend_agg.FigureCanvasAgg`, so the library is safe in servers and
threads.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from reckon.estimate.histories import CaptureHistories
from reckon.estimate.result import EstimateResult

_COLOR = "#2b5d8a"
_MAX_PATTERNS = 30


def _png(figure: Figure) -> bytes:
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


def upset_plot(histories: CaptureHistories, max_patterns: int = _MAX_PATTERNS) -> bytes:
    """UpSet-style plot: pattern counts as bars above a dot matrix of the lists they are on."""
    order = np.argsort(-histories.counts, kind="stable")[:max_patterns]
    patterns = histories.patterns[order]
    counts = histories.counts[order]
    n_lists = histories.n_lists
    width = max(5.0, 0.32 * len(order) + 2.5)
    height = 2.8 + 0.3 * n_lists
    figure = Figure(figsize=(width, height))
    grid = figure.add_gridspec(
        2, 2, height_ratios=[2.2, 0.3 * n_lists + 0.3], width_ratios=[1.4, max(len(order), 1) / 3]
    )
    bars = figure.add_subplot(grid[0, 1])
    matrix = figure.add_subplot(grid[1, 1], sharex=bars)
    sizes_ax = figure.add_subplot(grid[1, 0])
    x = np.arange(len(order))
    bars.bar(x, counts, color=_COLOR)
    bars.set_ylabel("people")
    bars.set_title(
        "People by capture pattern"
        + (
            f" (largest {len(order)} of {histories.n_patterns})"
            if histories.n_patterns > len(order)
            else ""
        ),
        fontsize=10,
    )
    for i, c in enumerate(counts):
        bars.text(i, c, f"{int(c):,}", ha="center", va="bottom", fontsize=6, rotation=90)
    bars.tick_params(axis="x", labelbottom=False)
    for spine in ("top", "right"):
        bars.spines[spine].set_visible(False)
    rows = np.arange(n_lists)
    for i, pattern in enumerate(patterns):
        on = rows[pattern == 1]
        matrix.scatter(np.full(n_lists, i), rows, s=18, color="#d0d0d0", zorder=1)
        matrix.scatter(np.full(on.size, i), on, s=22, color="#222222", zorder=2)
        if on.size > 1:
            matrix.plot([i, i], [on.min(), on.max()], color="#222222", linewidth=1.2, zorder=2)
    matrix.set_yticks(rows)
    matrix.set_yticklabels(histories.lists, fontsize=8)
    matrix.set_ylim(n_lists - 0.5, -0.5)
    matrix.set_xticks([])
    for spine in matrix.spines.values():
        spine.set_visible(False)
    sizes = list(histories.list_sizes().values())
    sizes_ax.barh(rows, sizes, color=_COLOR)
    sizes_ax.set_ylim(n_lists - 0.5, -0.5)
    sizes_ax.invert_xaxis()
    sizes_ax.set_yticks([])
    sizes_ax.set_xlabel("list size", fontsize=8)
    sizes_ax.tick_params(axis="x", labelsize=7)
    for spine in ("top", "left"):
        sizes_ax.spines[spine].set_visible(False)
    return _png(figure)


def posterior_plot(result: EstimateResult) -> bytes:
    """Histogram of the posterior draws of N with the median and interval marked."""
    draws = np.asarray(result.draws, dtype=float)
    figure = Figure(figsize=(6.0, 3.2))
    ax = figure.add_subplot()
    ax.hist(draws, bins=min(60, max(10, draws.size // 20)), color=_COLOR, alpha=0.85)
    ax.axvline(result.median, color="black", linewidth=1.2, label=f"median {result.median:,.0f}")
    for bound in (result.lower, result.upper):
        ax.axvline(bound, color="black", linestyle="--", linewidth=0.9)
    ax.axvline(
        result.n_observed, color="#b03030", linewidth=1.0, label=f"documented {result.n_observed:,}"
    )
    ax.set_xlabel("N (documented + undocumented)")
    ax.set_ylabel("draws")
    title = f"Posterior of N — {result.method}"
    if result.stratum:
        title += f", {result.stratum}"
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, frameon=False)
    return _png(figure)


def trace_plot(chains: np.ndarray, title: str = "Trace of N by chain") -> bytes:
    """One line per chain (rows of ``chains``)."""
    chains = np.atleast_2d(np.asarray(chains, dtype=float))
    figure = Figure(figsize=(6.5, 2.8))
    ax = figure.add_subplot()
    for i, chain in enumerate(chains):
        ax.plot(chain, linewidth=0.6, alpha=0.8, label=f"chain {i + 1}")
    ax.set_xlabel("kept draw")
    ax.set_ylabel("N")
    ax.set_title(title, fontsize=10)
    if chains.shape[0] > 1:
        ax.legend(fontsize=7, frameon=False, ncol=min(chains.shape[0], 6))
    return _png(figure)


def strata_plot(results: Mapping[str, EstimateResult]) -> bytes:
    """Estimate and interval per stratum (forest plot), documented count marked."""
    names = list(results)
    figure = Figure(figsize=(6.5, 0.45 * len(names) + 1.2))
    ax = figure.add_subplot()
    y = np.arange(len(names))
    for i, name in enumerate(names):
        r = results[name]
        upper = r.upper if np.isfinite(r.upper) else r.estimate
        ax.plot([r.lower, upper], [i, i], color=_COLOR, linewidth=2)
        ax.scatter([r.estimate], [i], color="black", zorder=3, s=18)
        ax.scatter([r.n_observed], [i], color="#b03030", marker="|", s=80, zorder=3)
    ax.set_yticks(y)
    ax.set_yticklabels(names, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("N (black: estimate; bar: interval; red tick: documented)")
    ax.set_title("Estimates by stratum", fontsize=10)
    return _png(figure)
