"""Poisson log-linear models for multiple systems estimation, with selection and averaging.

``LogLinear(model=...)`` fits the independence model, the model with every two-way interaction,
an explicit set of interactions, or selects among the hierarchical models made of main effects
and two-way interactions by AIC or BIC. With ``average=True`` the selected estimate is the
average over models with weights ``exp(-delta/2)`` (Buckland, Burnham & Augustin 1997), and the
interval is the model-averaged profile-likelihood (MATA) interval of Fletcher & Turek (2012): the
bounds L, U solve ``sum_m w_m Phi(r_m(L)) = alpha/2`` and ``sum_m w_m Phi(r_m(U)) = 1 - alpha/2``,
r_m the signed root of model m's profile deviance; for one model this is its profile interval.

Interactions of more than two lists are not fitted; the J-way interaction is never identifiable.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Sequence

import numpy as np
from scipy import optimize, stats

from reckon.errors import ConvergenceWarning, DataWarning, EstimationError
from reckon.estimate.base import Estimator, check_fittable
from reckon.estimate.histories import CaptureHistories
from reckon.estimate.loglinear_fit import (
    ModelFit,
    Pair,
    Profile,
    all_cells,
    cell_counts,
    estimable_pairs,
    fit_model,
    model_label,
)
from reckon.estimate.result import EstimateResult

MODELS = ("independence", "all-2way", "select")
CRITERIA = ("aic", "bic")
EXHAUSTIVE_MAX_TERMS = 10  # 2^10 = 1,024 models; beyond, stepwise search
_MIN_WEIGHT = 1e-3  # models lighter than this are left out of the averaged interval
_MAX_AVERAGED = 25


class LogLinear(Estimator):
    """Poisson log-linear capture–recapture models (statsmodels GLM on the 2^J - 1 cells).

    Parameters
    ----------
    model:
        ``"independence"``, ``"all-2way"``, ``"select"``, or a sequence of pairs of list names
        (the two-way interactions to include).
    criterion:
        ``"aic"`` or ``"bic"`` (BIC uses log n, n the documented people) for ``"select"``.
    average:
        With ``"select"``: average over models by criterion weights (default) rather than
        keeping only the best.
    level:
        Interval level.

    Example
    -------
    >>> h = CaptureHistories.from_memberships(
    ...     [{"A"}] * 60 + [{"B"}] * 30 + [{"A", "B"}] * 20
    ... )
    >>> round(LogLinear().fit(h).estimate, 1)
    200.0
    """

    method = "loglinear"

    def __init__(
        self,
        model: str | Sequence[tuple[str, str]] = "independence",
        criterion: str = "aic",
        average: bool = True,
        level: float = 0.95,
    ) -> None:
        self.model = model
        self.criterion = criterion
        self.average = average
        self.level = level

    # ----------------------------------------------------------------- fitting
    def fit(self, histories: CaptureHistories) -> EstimateResult:
        check_fittable(histories, min_lists=2)
        if self.criterion not in CRITERIA:
            raise EstimationError(f"criterion must be one of {CRITERIA}, not {self.criterion!r}")
        if not 0 < self.level < 1:
            raise EstimationError(f"level must be between 0 and 1, got {self.level}")
        cells = all_cells(histories.n_lists)
        y = cell_counts(histories, cells)
        lists = histories.lists
        candidates = estimable_pairs(y, cells)
        if isinstance(self.model, str) and self.model == "select":
            return self._fit_select(histories, y, cells, candidates)
        pairs, dropped = self._requested_pairs(lists, candidates)
        fitted = fit_model(y, cells, pairs)
        if not fitted.ok:
            warnings.warn(
                f"log-linear model {model_label(pairs, lists)}: {fitted.trouble}; "
                "its estimate is not reliable",
                ConvergenceWarning,
                stacklevel=2,
            )
        profile = Profile(y, cells, pairs)
        lower, upper = _profile_interval(profile, fitted, self.level)
        diagnostics = _fit_diagnostics(fitted, lists)
        if dropped:
            diagnostics["dropped_terms"] = [f"{lists[a]}:{lists[b]}" for a, b in dropped]
        return self._result(
            histories,
            fitted.estimate,
            lower,
            upper,
            level=self.level,
            diagnostics=diagnostics,
            interval_function=lambda level: _profile_interval(profile, fitted, level),
        )

    def _requested_pairs(
        self, lists: tuple[str, ...], candidates: list[Pair]
    ) -> tuple[tuple[Pair, ...], list[Pair]]:
        model = self.model
        if isinstance(model, str):
            if model == "independence":
                return (), []
            if model != "all-2way":
                raise EstimationError(
                    f"model must be one of {MODELS} or a list of pairs, not {model!r}"
                )
            if len(lists) == 2:
                raise EstimationError(
                    "with two lists their interaction is the J-way term and cannot be "
                    "identified; use the independence model (or Chapman)"
                )
            wanted = list(itertools.combinations(range(len(lists)), 2))
        else:
            wanted = []
            for pair in model:
                names = tuple(pair)
                unknown = [n for n in names if n not in lists]
                if len(names) != 2 or unknown or names[0] == names[1]:
                    raise EstimationError(
                        f"interaction {pair!r} must name two different lists of {list(lists)}"
                    )
                a, b = sorted(lists.index(n) for n in names)
                if (a, b) not in wanted:
                    wanted.append((a, b))
            if len(lists) == 2 and wanted:
                raise EstimationError("with two lists their interaction cannot be identified")
            wanted.sort()
        dropped = [p for p in wanted if p not in candidates]
        if dropped:
            names = ", ".join(f"{lists[a]}:{lists[b]}" for a, b in dropped)
            warnings.warn(
                f"no one is on both lists of {names}: those interactions cannot be estimated "
                "and are left out of the model",
                DataWarning,
                stacklevel=3,
            )
        return tuple(p for p in wanted if p in candidates), dropped

    def _fit_select(
        self,
        histories: CaptureHistories,
        y: np.ndarray,
        cells: np.ndarray,
        candidates: list[Pair],
    ) -> EstimateResult:
        lists = histories.lists
        if len(lists) == 2:
            candidates = []  # the only interaction is the J-way term
        fits, search = _search(y, cells, candidates, self.criterion)
        usable = [f for f in fits if f.ok]
        if not usable:
            warnings.warn(
                "every log-linear model failed or ran away; the estimate is not reliable",
                ConvergenceWarning,
                stacklevel=2,
            )
            usable = [f for f in fits if math.isfinite(f.n0)]
            if not usable:
                raise EstimationError("no log-linear model could be fitted to these histories")
        scores = np.array([f.criterion(self.criterion) for f in usable])
        order = np.argsort(scores, kind="stable")
        usable = [usable[i] for i in order]
        delta = scores[order] - scores[order][0]
        weights = np.exp(-delta / 2)
        weights /= weights.sum()
        best = usable[0]
        if self.average and len(usable) > 1:
            kept = [i for i in range(len(usable)) if weights[i] >= _MIN_WEIGHT][:_MAX_AVERAGED]
            chosen = [usable[i] for i in kept]
            chosen_w = weights[kept] / weights[kept].sum()
        else:
            chosen, chosen_w = [best], np.array([1.0])
        estimate = float(np.dot(chosen_w, [f.estimate for f in chosen]))
        profiles = [Profile(y, cells, f.pairs) for f in chosen]

        def interval_at(level: float) -> tuple[float, float]:
            return _averaged_interval(profiles, chosen, chosen_w, level)

        lower, upper = interval_at(self.level)
        # Unconditional SE of the average (Buckland et al. 1997, eq. 9).
        se = float(
            np.dot(chosen_w, [math.sqrt(f.se**2 + (f.estimate - estimate) ** 2) for f in chosen])
        )
        table = [
            {
                "model": model_label(f.pairs, lists),
                "estimate": f.estimate,
                "se": f.se,
                "aic": f.aic,
                "bic": f.bic,
                "delta": float(d),
                "weight": float(w),
            }
            for f, d, w in zip(usable[:20], delta[:20], weights[:20], strict=False)
        ]
        diagnostics = {
            "model": model_label(best.pairs, lists),
            "se": se,
            "criterion": self.criterion,
            "averaged": bool(self.average and len(chosen) > 1),
            "n_models": len(fits),
            "n_averaged": len(chosen),
            "best_weight": float(weights[0]),
            "search": search,
            "failed_models": len(fits) - sum(f.ok for f in fits),
            "models": table,
            "converged": best.ok,
        }
        return self._result(
            histories,
            estimate,
            lower,
            upper,
            level=self.level,
            diagnostics=diagnostics,
            interval_function=interval_at,
        )


def _fit_diagnostics(fitted: ModelFit, lists: tuple[str, ...]) -> dict:
    return {
        "model": model_label(fitted.pairs, lists),
        "se": fitted.se,
        "aic": fitted.aic,
        "bic": fitted.bic,
        "deviance": fitted.deviance,
        "df": fitted.df_resid,
        "converged": fitted.ok,
        **({"trouble": fitted.trouble} if fitted.trouble else {}),
    }


def _profile_interval(profile: Profile, fitted: ModelFit, level: float) -> tuple[float, float]:
    if not fitted.ok or not math.isfinite(fitted.estimate):
        # The data do not bound N under this model: say so rather than invent an interval.
        return float(fitted.n_observed), float("inf")
    return profile.interval(level, fitted.estimate)


def _averaged_interval(
    profiles: list[Profile], fits: list[ModelFit], weights: np.ndarray, level: float
) -> tuple[float, float]:
    """MATA profile-likelihood interval (Fletcher & Turek 2012)."""
    if not 0 < level < 1:
        raise EstimationError(f"level must be between 0 and 1, got {level}")
    single = [p.interval(level, f.estimate) for p, f in zip(profiles, fits, strict=True)]
    if len(profiles) == 1:
        return single[0]
    alpha = 1 - level
    n = profiles[0].n

    def tail(total: float) -> float:
        roots = [p.signed_root(total, f.estimate) for p, f in zip(profiles, fits, strict=True)]
        return float(np.dot(weights, stats.norm.cdf(roots)))

    lows = [s[0] for s in single]
    highs = [s[1] for s in single]
    if min(lows) <= n and tail(n) >= alpha / 2:
        lower = n
    else:
        lower = _root(lambda t: tail(t) - alpha / 2, max(min(lows), n), max(lows))
    if not all(math.isfinite(h) for h in highs):
        return float(lower), float("inf")
    upper = _root(lambda t: tail(t) - (1 - alpha / 2), min(highs), max(highs))
    return float(lower), float(upper)


def _root(f, a: float, b: float) -> float:
    """Root of an increasing f, bracketed by [a, b] up to rounding; widened if need be."""
    if b - a < 1e-9:
        return a
    step = max(b - a, 1.0)
    for _ in range(60):
        if f(a) <= 0:
            break
        a -= step
        step *= 2
    step = max(b - a, 1.0)
    for _ in range(60):
        if f(b) >= 0:
            break
        b += step
        step *= 2
    return float(optimize.brentq(f, a, b, xtol=1e-6))


def _search(
    y: np.ndarray, cells: np.ndarray, candidates: list[Pair], criterion: str
) -> tuple[list[ModelFit], str]:
    """Every hierarchical two-way model if there are few terms, else a stepwise search."""
    if len(candidates) <= EXHAUSTIVE_MAX_TERMS:
        fits = []
        for size in range(len(candidates) + 1):
            for pairs in itertools.combinations(candidates, size):
                if _identifiable(cells, pairs):
                    fits.append(fit_model(y, cells, pairs))
        return fits, "exhaustive"
    return _stepwise(y, cells, candidates, criterion), "stepwise"


def _identifiable(cells: np.ndarray, pairs: tuple[Pair, ...]) -> bool:
    return 1 + cells.shape[1] + len(pairs) <= cells.shape[0]


def _stepwise(
    y: np.ndarray, cells: np.ndarray, candidates: list[Pair], criterion: str
) -> list[ModelFit]:
    """Forward–backward search from independence; returns every model it fitted."""
    seen: dict[tuple[Pair, ...], ModelFit] = {}

    def get(pairs: tuple[Pair, ...]) -> ModelFit:
        key = tuple(sorted(pairs))
        if key not in seen:
            seen[key] = fit_model(y, cells, key)
        return seen[key]

    def score(f: ModelFit) -> float:
        return f.criterion(criterion) if f.ok else math.inf

    current = get(())
    while True:
        moves = [tuple(sorted((*current.pairs, p))) for p in candidates if p not in current.pairs]
        moves += [tuple(q for q in current.pairs if q != p) for p in current.pairs]
        moves = [m for m in moves if _identifiable(cells, m)]
        if not moves:
            break
        best = min((get(m) for m in moves), key=score)
        if score(best) >= score(current) - 1e-9:
            break
        current = best
    return list(seen.values())
