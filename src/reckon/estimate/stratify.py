"""Estimates by stratum (city, prison, month...) and their total.

How the total is formed:

- **Bayesian results** (every stratum has posterior draws of N): the strata are independent
  given the data, so index-wise sums of their draws are draws from the posterior of the total.
  Strata with more draws are thinned at random (seeded) to the smallest number of draws first.
  The total's estimate is the median and its interval the equal-tailed quantiles of the summed
  draws — the posterior of the sum, never a sum of intervals (which would be too wide).
- **Frequentist results**: the total is the sum of the estimates; its variance the sum of the
  variances (strata are independent samples), from each result's ``diagnostics["se"]`` (or,
  without one, the half-width of its interval over z). The interval is Chao's log-normal
  interval on the total undocumented ``f0 = N - n``: ``(n + f0 / C, n + f0 * C)`` with
  ``C = exp(z sqrt(log(1 + var / f0**2)))``, which stays above the documented n.
"""

from __future__ import annotations

import copy
import hashlib
import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from reckon.errors import EstimationError
from reckon.estimate.base import Estimator
from reckon.estimate.histories import CaptureHistories
from reckon.estimate.result import EstimateResult, collect_versions
from reckon.estimate.simple import chao_lognormal_interval

TOTAL = "total"


@dataclass(frozen=True, eq=False)
class StratifiedResult:
    """Per-stratum results and the result for their total."""

    strata: dict[str, EstimateResult]
    total: EstimateResult
    dropped_lists: dict[str, list[str]] = field(default_factory=dict)

    @property
    def method(self) -> str:
        return self.total.method

    def to_frame(self) -> pd.DataFrame:
        """One row per stratum and a last row for the total."""
        rows = [
            {
                "stratum": name,
                "n_observed": r.n_observed,
                "estimate": r.estimate,
                "lower": r.lower,
                "upper": r.upper,
                "lists": ", ".join(r.lists),
            }
            for name, r in [*self.strata.items(), (TOTAL, self.total)]
        ]
        return pd.DataFrame(rows)

    def to_dict(self, include_draws: bool = False) -> dict[str, Any]:
        """JSON-able: the total's fields plus ``strata`` (name -> result dict)."""
        out = self.total.to_dict(include_draws=include_draws)
        out["strata"] = {
            name: r.to_dict(include_draws=include_draws) for name, r in self.strata.items()
        }
        out["dropped_lists"] = {k: list(v) for k, v in self.dropped_lists.items()}
        return out

    def summary(self, fmt: str = "text") -> str:
        """Table of strata and total as text, Markdown or HTML."""
        frame = self.to_frame()
        frame["interval"] = [
            f"{_n(lo)} – {_n(hi)}" for lo, hi in zip(frame["lower"], frame["upper"], strict=True)
        ]
        frame["estimate"] = [_n(v) for v in frame["estimate"]]
        frame["n_observed"] = [f"{v:,}" for v in frame["n_observed"]]
        shown = frame[["stratum", "n_observed", "estimate", "interval"]]
        if fmt == "text":
            return shown.to_string(index=False)
        if fmt == "markdown":
            head = "| " + " | ".join(shown.columns) + " |"
            rule = "|" + "---|" * len(shown.columns)
            body = ["| " + " | ".join(str(v) for v in row) + " |" for row in shown.values]
            return "\n".join([head, rule, *body])
        if fmt == "html":
            return shown.to_html(index=False, classes="strata", border=0)
        raise EstimationError(f"unknown summary format {fmt!r}; use text, markdown or html")


def _n(value: float) -> str:
    return f"{value:,.0f}" if math.isfinite(value) else str(value)


def _stratum_seed(seed: int, index: int) -> int:
    return int(np.random.SeedSequence([int(seed), index]).generate_state(1)[0])


def fit_strata(
    estimator: Estimator,
    histories_by_stratum: Mapping[str, CaptureHistories],
    *,
    drop_empty: bool = True,
    seed: int | None = None,
) -> StratifiedResult:
    """Fit ``estimator`` in every stratum and combine the results into a total.

    Parameters
    ----------
    estimator:
        Any estimator; if it has a ``seed``, each stratum gets its own seed derived from it (the
        same seed everywhere would make the strata's draws dependent).
    histories_by_stratum:
        Stratum name -> capture histories.
    drop_empty:
        Drop lists with no records in a stratum (reported in ``dropped_lists``).
    seed:
        Seeds the thinning of draws to equal numbers (default: the estimator's seed).

    Raises
    ------
    EstimationError
        No strata, a stratum cannot be estimated (the message names it), or the strata mix
        Bayesian and frequentist results.
    """
    if not histories_by_stratum:
        raise EstimationError("no strata to estimate")
    base_seed = getattr(estimator, "seed", None)
    results: dict[str, EstimateResult] = {}
    dropped: dict[str, list[str]] = {}
    for index, (name, histories) in enumerate(histories_by_stratum.items()):
        name = str(name)
        if drop_empty:
            histories, empty = histories.drop_empty()
            if empty:
                dropped[name] = empty
        fitter = estimator
        if base_seed is not None:
            fitter = copy.copy(estimator)
            fitter.seed = _stratum_seed(base_seed, index)  # type: ignore[attr-defined]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = fitter.fit(histories)
            except EstimationError as error:
                raise EstimationError(f"stratum {name!r}: {error}") from error
        for warning in caught:  # say which stratum each warning is about
            warnings.warn(f"stratum {name!r}: {warning.message}", warning.category, stacklevel=2)
        results[name] = _with_stratum(result, name)
    thin_seed = seed if seed is not None else base_seed
    total = combine(results, seed=thin_seed)
    return StratifiedResult(strata=results, total=total, dropped_lists=dropped)


def _with_stratum(result: EstimateResult, name: str) -> EstimateResult:
    return result if result.stratum == name else replace(result, stratum=name)


def combine(results: Mapping[str, EstimateResult], *, seed: int | None = None) -> EstimateResult:
    """The result for the total of independent strata (see the module docstring)."""
    if not results:
        raise EstimationError("no stratum results to combine")
    values = list(results.values())
    has_draws = [r.draws is not None and r.draws.size > 0 for r in values]
    level = values[0].level
    if any(not math.isclose(r.level, level) for r in values):
        raise EstimationError("strata results have different interval levels")
    methods = sorted({r.method for r in values})
    n_observed = sum(r.n_observed for r in values)
    lists: list[str] = []
    for r in values:
        lists += [name for name in r.lists if name not in lists]
    digest = hashlib.sha256(
        "\n".join(f"{k}:{r.input_digest}" for k, r in results.items()).encode()
    ).hexdigest()
    common = {
        "method": "+".join(methods),
        "n_observed": n_observed,
        "level": level,
        "lists": tuple(lists),
        "settings": dict(values[0].settings),
        "input_digest": digest,
        "versions": values[0].versions or collect_versions(),
        "stratum": TOTAL,
    }
    if all(has_draws):
        size = min(r.draws.size for r in values)  # type: ignore[union-attr]
        rng = np.random.default_rng(seed)
        total_draws = np.zeros(size)
        for r in values:
            draws = np.asarray(r.draws, dtype=float)
            if draws.size > size:
                draws = rng.choice(draws, size=size, replace=False)
            total_draws += draws
        tail = (1 - level) / 2
        lower, upper = np.quantile(total_draws, [tail, 1 - tail])
        return EstimateResult(
            estimate=float(np.median(total_draws)),
            lower=float(lower),
            upper=float(upper),
            draws=total_draws,
            diagnostics={
                "strata": len(values),
                "combination": "posterior of the sum (draws summed index-wise)",
                "draws_per_stratum": size,
            },
            **common,
        )
    if any(has_draws):
        raise EstimationError(
            "cannot combine Bayesian and frequentist stratum results; use one method throughout"
        )
    z = float(stats.norm.ppf(0.5 + level / 2))
    variance = 0.0
    for r in values:
        se = r.diagnostics.get("se")
        if se is None or not math.isfinite(float(se)):
            se = (r.upper - r.lower) / (2 * z)
        variance += float(se) ** 2
    estimate = sum(r.estimate for r in values)
    lower, upper = chao_lognormal_interval(n_observed, estimate - n_observed, variance, level)
    return EstimateResult(
        estimate=estimate,
        lower=lower,
        upper=upper,
        diagnostics={
            "strata": len(values),
            "se": math.sqrt(variance),
            "combination": "sum of estimates, variances added, log-normal interval",
        },
        interval_function=lambda lv: chao_lognormal_interval(
            n_observed, estimate - n_observed, variance, lv
        ),
        **common,
    )
