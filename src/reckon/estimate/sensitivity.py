"""Linkage sensitivity: how the estimate moves when records are linked at other thresholds.

Linkage decides who is the same person, and so the capture histories. Re-deriving the histories
at several match-probability thresholds and refitting shows how much of the uncertainty comes
from linkage rather than from sampling: compare the spread of the point estimates across
thresholds with the width of each interval.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from reckon.errors import EstimationError
from reckon.estimate.base import Estimator
from reckon.estimate.histories import CaptureHistories
from reckon.estimate.result import EstimateResult


@dataclass(frozen=True, eq=False)
class SensitivityResult:
    """One estimate per linkage threshold."""

    results: dict[float, EstimateResult]
    dropped_lists: dict[float, list[str]]

    @property
    def linkage_range(self) -> float:
        """Largest minus smallest point estimate across thresholds."""
        estimates = [r.estimate for r in self.results.values()]
        return max(estimates) - min(estimates)

    @property
    def median_interval_width(self) -> float:
        """Median width of the per-threshold intervals (the sampling uncertainty)."""
        widths = sorted(r.upper - r.lower for r in self.results.values())
        middle = len(widths) // 2
        if len(widths) % 2:
            return widths[middle]
        return (widths[middle - 1] + widths[middle]) / 2

    def to_frame(self) -> pd.DataFrame:
        """One row per threshold, ascending."""
        return pd.DataFrame(
            [
                {
                    "threshold": t,
                    "n_observed": r.n_observed,
                    "n_lists": len(r.lists),
                    "estimate": r.estimate,
                    "lower": r.lower,
                    "upper": r.upper,
                    "width": r.upper - r.lower,
                }
                for t, r in sorted(self.results.items())
            ]
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-able: ``thresholds`` (a list of rows), ``linkage_range`` and ``median_width``."""
        frame = self.to_frame()
        rows = [
            {
                k: (None if isinstance(v, float) and not math.isfinite(v) else v)
                for k, v in row.items()
            }
            for row in frame.to_dict(orient="records")
        ]
        return {
            "method": next(iter(self.results.values())).method,
            "thresholds": rows,
            "linkage_range": self.linkage_range,
            "median_interval_width": self.median_interval_width,
        }

    def summary(self, fmt: str = "text") -> str:
        """The table as text, Markdown or HTML, with a one-line reading."""
        return format_sensitivity(self, fmt)


def linkage_sensitivity(
    estimator: Estimator, histories_by_threshold: Mapping[float, CaptureHistories]
) -> SensitivityResult:
    """Fit ``estimator`` to the histories derived at each match-probability threshold.

    Raises
    ------
    EstimationError
        No thresholds, a threshold outside [0, 1], or a fit fails (the message names the
        threshold).
    """
    if not histories_by_threshold:
        raise EstimationError("no linkage thresholds given")
    results: dict[float, EstimateResult] = {}
    dropped: dict[float, list[str]] = {}
    for threshold, histories in sorted(histories_by_threshold.items()):
        threshold = float(threshold)
        if not 0 <= threshold <= 1:
            raise EstimationError(
                f"a match-probability threshold must be in [0, 1], not {threshold}"
            )
        histories, empty = histories.drop_empty()
        if empty:
            dropped[threshold] = empty
        try:
            results[threshold] = estimator.fit(histories)
        except EstimationError as error:
            raise EstimationError(f"linkage threshold {threshold:g}: {error}") from error
    return SensitivityResult(results=results, dropped_lists=dropped)


def format_sensitivity(result: SensitivityResult, fmt: str = "text") -> str:
    """Render a :class:`SensitivityResult` as ``"text"``, ``"markdown"`` or ``"html"``."""
    frame = result.to_frame()
    level = next(iter(result.results.values())).level
    shown = pd.DataFrame(
        {
            "threshold": [f"{t:g}" for t in frame["threshold"]],
            "documented": [f"{v:,}" for v in frame["n_observed"]],
            "estimate": [_n(v) for v in frame["estimate"]],
            f"{level:.0%} interval": [
                f"{_n(lo)} – {_n(hi)}"
                for lo, hi in zip(frame["lower"], frame["upper"], strict=True)
            ],
        }
    )
    reading = (
        f"Across thresholds the estimate moves by {_n(result.linkage_range)}; "
        f"the median interval is {_n(result.median_interval_width)} wide."
    )
    if fmt == "text":
        return shown.to_string(index=False) + "\n" + reading
    if fmt == "markdown":
        head = "| " + " | ".join(shown.columns) + " |"
        rule = "|" + "---|" * len(shown.columns)
        body = ["| " + " | ".join(str(v) for v in row) + " |" for row in shown.values]
        return "\n".join([head, rule, *body, "", reading])
    if fmt == "html":
        import html

        return shown.to_html(index=False, classes="sensitivity", border=0) + (
            f"<p>{html.escape(reading)}</p>"
        )
    raise EstimationError(f"unknown format {fmt!r}; use text, markdown or html")


def _n(value: float) -> str:
    return f"{value:,.0f}" if math.isfinite(value) else str(value)
