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

Small strata are pooled first (see :mod:`reckon.estimate.pooling`): strata with fewer than
``min_stratum`` documented people become one stratum, and a stratum that cannot be estimated on
its own joins that pool (with a warning) rather than ending the run. Pooling only moves people
between strata, so the total always counts every documented person.
"""

from __future__ import annotations

import copy
import hashlib
import html
import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from reckon.errors import DataWarning, EstimationError
from reckon.estimate.base import Estimator
from reckon.estimate.histories import CaptureHistories, pool_histories
from reckon.estimate.pooling import MIN_STRATUM, describe_pool, next_smallest, plan_pool, pool_name
from reckon.estimate.result import EstimateResult, collect_versions
from reckon.estimate.simple import chao_lognormal_interval

TOTAL = "total"


@dataclass(frozen=True, eq=False)
class StratifiedResult:
    """Per-stratum results and the result for their total.

    ``pooled`` maps the pooled stratum's name to the strata it holds, and ``pooled_reasons``
    each of those strata to why it was pooled (too small, or could not be estimated alone).
    """

    strata: dict[str, EstimateResult]
    total: EstimateResult
    dropped_lists: dict[str, list[str]] = field(default_factory=dict)
    pooled: dict[str, list[str]] = field(default_factory=dict)
    pooled_reasons: dict[str, str] = field(default_factory=dict)
    min_stratum: int = 0

    @property
    def method(self) -> str:
        return self.total.method

    def notes(self) -> list[str]:
        """Sentences saying which strata were pooled and why (empty without pooling)."""
        return [
            describe_pool(name, {m: self.pooled_reasons.get(m, "pooled") for m in members})
            for name, members in self.pooled.items()
        ]

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
        out["pooled"] = {k: list(v) for k, v in self.pooled.items()}
        out["pooled_reasons"] = dict(self.pooled_reasons)
        out["min_stratum"] = self.min_stratum
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
        notes = self.notes()
        if fmt == "text":
            return "\n\n".join([shown.to_string(index=False), *notes])
        if fmt == "markdown":
            head = "| " + " | ".join(shown.columns) + " |"
            rule = "|" + "---|" * len(shown.columns)
            body = ["| " + " | ".join(str(v) for v in row) + " |" for row in shown.values]
            return "\n\n".join(["\n".join([head, rule, *body]), *notes])
        if fmt == "html":
            table = shown.to_html(index=False, classes="strata", border=0)
            return table + "".join(f"<p class='note'>{html.escape(n)}</p>" for n in notes)
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
    min_stratum: int = MIN_STRATUM,
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
    min_stratum:
        Strata with fewer documented people are pooled into one stratum before fitting
        (:func:`reckon.estimate.pooling.plan_pool`; the default of 50 is argued at
        :data:`reckon.estimate.pooling.MIN_STRATUM`). A stratum that still cannot be estimated
        joins the pool, and a pool that cannot be estimated takes in the next smallest stratum,
        each with a :class:`DataWarning`. 0 disables pooling: then any stratum that cannot be
        estimated ends the run, as before pooling existed.

    Raises
    ------
    EstimationError
        No strata; a stratum cannot be estimated and pooling is disabled, or even all strata
        pooled together cannot be estimated (the message names the stratum and what to do); or
        the strata mix Bayesian and frequentist results.
    """
    if not histories_by_stratum:
        raise EstimationError("no strata to estimate")
    parts = {str(name): histories for name, histories in histories_by_stratum.items()}
    sizes = {name: histories.n_observed for name, histories in parts.items()}
    pool = pool_name(parts)
    reasons = plan_pool(sizes, min_stratum)
    fitted: dict[str, _Fit] = {}
    while True:
        groups = {name: [name] for name in parts if name not in reasons}
        if reasons:
            groups[pool] = [name for name in parts if name in reasons]
        failures: dict[str, EstimationError] = {}
        for name, members in groups.items():
            if name in fitted:
                continue
            if name == pool:
                histories, stream = pool_histories(parts[m] for m in members), len(parts)
            else:
                histories, stream = parts[name], list(parts).index(name)
            try:
                fitted[name] = _fit_one(
                    estimator, histories, _seed_for(estimator, stream), drop_empty
                )
            except EstimationError as error:
                failures[name] = error
        if not failures:
            break
        if min_stratum <= 0 or len(parts) == 1:
            name, error = next(iter(failures.items()))
            advice = (
                "It is the only stratum: estimate without strata, or merge or drop lists."
                if len(parts) == 1
                else f"Pool small strata (--min-stratum {MIN_STRATUM}, the default) or stratify "
                "by fewer, larger strata."
            )
            raise EstimationError(f"stratum {name!r}: {error}. {advice}") from error
        reasons = _absorb_failures(failures, reasons, sizes, pool)
        fitted.pop(pool, None)  # its members changed: fit it again
    results: dict[str, EstimateResult] = {}
    dropped: dict[str, list[str]] = {}
    for name in groups:
        fit = fitted[name]
        for warning in fit.caught:  # say which stratum each warning is about
            warnings.warn(f"stratum {name!r}: {warning.message}", warning.category, stacklevel=2)
        if fit.dropped:
            dropped[name] = fit.dropped
        results[name] = _with_stratum(fit.result, name)
    base_seed = getattr(estimator, "seed", None)
    total = combine(results, seed=seed if seed is not None else base_seed)
    return StratifiedResult(
        strata=results,
        total=total,
        dropped_lists=dropped,
        pooled={pool: groups[pool]} if pool in groups else {},
        pooled_reasons={m: reasons[m] for m in groups.get(pool, [])},
        min_stratum=max(min_stratum, 0),
    )


@dataclass(frozen=True)
class _Fit:
    result: EstimateResult
    dropped: list[str]
    caught: list[warnings.WarningMessage]


def _seed_for(estimator: Estimator, stream: int) -> int | None:
    base_seed = getattr(estimator, "seed", None)
    return None if base_seed is None else _stratum_seed(base_seed, stream)


def _fit_one(
    estimator: Estimator, histories: CaptureHistories, seed: int | None, drop_empty: bool
) -> _Fit:
    """Fit one stratum; its warnings are kept, not shown, since a failed fit is discarded."""
    empty: list[str] = []
    if drop_empty:
        histories, empty = histories.drop_empty()
    fitter = estimator
    if seed is not None:
        fitter = copy.copy(estimator)
        fitter.seed = seed  # type: ignore[attr-defined]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fitter.fit(histories)
    return _Fit(result=result, dropped=empty, caught=list(caught))


def _absorb_failures(
    failures: Mapping[str, EstimationError],
    reasons: Mapping[str, str],
    sizes: Mapping[str, int],
    pool: str,
) -> dict[str, str]:
    """Pool the strata that failed; if only the pool failed, add the next smallest stratum.

    Raises EstimationError when every stratum is already pooled and the pool still fails.
    """
    reasons = dict(reasons)
    for name, error in failures.items():
        if name == pool:
            continue
        reasons[name] = f"could not be estimated alone: {error}"
        warnings.warn(
            f"stratum {name!r} could not be estimated alone ({error}); it is pooled into {pool!r}",
            DataWarning,
            stacklevel=3,
        )
    moved = [name for name in failures if name != pool]
    if pool in failures and not moved:
        why = f"added because the pool could not be estimated without it ({failures[pool]})"
    elif len(reasons) == 1:  # a pool of the one stratum that failed would fail again
        why = "added so the failed stratum is pooled with another"
    else:
        return reasons
    added = next_smallest(sizes, reasons)
    if added is None:
        error = failures.get(pool) or next(iter(failures.values()))
        raise EstimationError(
            f"stratum {pool!r} (all {len(sizes)} strata pooled) cannot be estimated: {error}. "
            "Even pooled, the lists do not overlap enough: estimate without strata, merge or drop "
            "lists, or use another method."
        ) from error
    reasons[added] = why
    warnings.warn(f"stratum {added!r} is pooled into {pool!r}: {why}", DataWarning, stacklevel=3)
    return reasons


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
