"""Closed-form estimators: Chao's lower bound and Chapman's two-list estimator."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from reckon.errors import EstimationError
from reckon.estimate.base import Estimator, check_fittable
from reckon.estimate.histories import CaptureHistories
from reckon.estimate.result import EstimateResult


def _z(level: float) -> float:
    if not 0 < level < 1:
        raise EstimationError(f"level must be between 0 and 1, got {level}")
    return float(stats.norm.ppf(0.5 + level / 2))


def chao_lognormal_interval(
    n_observed: int, f0: float, variance: float, level: float
) -> tuple[float, float]:
    """Chao (1987) log-normal interval: ``(n + f0 / C, n + f0 * C)``.

    ``C = exp(z * sqrt(log(1 + variance / f0**2)))``; the lower end never falls below n.
    """
    if f0 <= 0 or variance <= 0:
        return float(n_observed + f0), float(n_observed + f0)
    c = math.exp(_z(level) * math.sqrt(math.log1p(variance / f0**2)))
    return n_observed + f0 / c, n_observed + f0 * c


class Chao(Estimator):
    """Chao's lower bound for N from the people seen on exactly one and exactly two lists.

    ``N = n + f1**2 / (2 f2)`` (Chao 1987, *Biometrics* 43:783–791; Rcapture's "Mth Chao (LB)"
    bound), where f_k is the number of people on exactly k lists. With
    ``bias_corrected=True`` it is ``n + f1 (f1 - 1) / (2 (f2 + 1))`` (Chao 2005), which also
    works when f2 = 0. The interval is Chao's (1987) log-normal interval with variance
    ``f2 (r**4/4 + r**3 + r**2/2)``, r = f1/f2 (the bias-corrected variance when
    ``bias_corrected``). It is a *lower bound* under heterogeneous capture: it counts what the
    rarely seen imply, not what no list could see.

    Example
    -------
    >>> h = CaptureHistories.from_memberships([{"A"}] * 6 + [{"B"}] * 4 + [{"A", "B"}] * 5)
    >>> round(Chao().fit(h).estimate, 2)
    25.0
    """

    method = "chao"

    def __init__(self, bias_corrected: bool = False, level: float = 0.95) -> None:
        self.bias_corrected = bias_corrected
        self.level = level

    def fit(self, histories: CaptureHistories) -> EstimateResult:
        check_fittable(histories, min_lists=2)
        _z(self.level)
        on = histories.patterns.sum(axis=1)
        f1 = int(histories.counts[on == 1].sum())
        f2 = int(histories.counts[on == 2].sum())
        n = histories.n_observed
        if self.bias_corrected:
            f0 = f1 * (f1 - 1) / (2 * (f2 + 1))
            # Chao (2005) variance of the bias-corrected form (as in EstimateS / SpadeR).
            a = f1 * (f1 - 1) / 2
            variance = (
                a / (f2 + 1)
                + f1 * (2 * f1 - 1) ** 2 / (4 * (f2 + 1) ** 2)
                + f1**2 * f2 * (f1 - 1) ** 2 / (4 * (f2 + 1) ** 4)
            )
        else:
            if f2 == 0:
                raise EstimationError(
                    "Chao's bound needs people on exactly two lists (f2 = 0); "
                    "use Chao(bias_corrected=True)"
                )
            r = f1 / f2
            f0 = f1**2 / (2 * f2)
            variance = f2 * (r**4 / 4 + r**3 + r**2 / 2)
        lower, upper = chao_lognormal_interval(n, f0, variance, self.level)
        return self._result(
            histories,
            n + f0,
            lower,
            upper,
            level=self.level,
            diagnostics={"f1": f1, "f2": f2, "se": math.sqrt(variance)},
            interval_function=lambda level: chao_lognormal_interval(n, f0, variance, level),
        )


class Chapman(Estimator):
    """Chapman's bias-corrected Lincoln–Petersen estimator for two lists.

    ``N = (n1 + 1)(n2 + 1) / (m + 1) - 1`` with variance
    ``(n1 + 1)(n2 + 1)(n1 - m)(n2 - m) / ((m + 1)**2 (m + 2))`` (Seber 1970), where n1, n2 are
    the list sizes and m the people on both. The interval is the Wald interval
    ``N ± z·SE`` (``interval="wald"``, lower end no smaller than the n documented) or Chao's
    log-normal interval on the undocumented (``interval="lognormal"``). It assumes the two
    lists are independent and everyone equally likely to be listed.

    Parameters
    ----------
    lists:
        The two lists to use when the histories have more (the others are dropped).

    Example
    -------
    >>> h = CaptureHistories.from_memberships([{"A"}] * 60 + [{"B"}] * 30 + [{"A", "B"}] * 20)
    >>> round(Chapman().fit(h).estimate, 2)
    195.71
    """

    method = "chapman"

    def __init__(
        self,
        lists: tuple[str, str] | None = None,
        interval: str = "wald",
        level: float = 0.95,
    ) -> None:
        self.lists = lists
        self.interval = interval
        self.level = level

    def fit(self, histories: CaptureHistories) -> EstimateResult:
        if self.interval not in ("wald", "lognormal"):
            raise EstimationError(f"interval must be 'wald' or 'lognormal', not {self.interval!r}")
        _z(self.level)
        if self.lists is not None:
            if len(self.lists) != 2:
                raise EstimationError(f"Chapman needs exactly two lists, got {self.lists}")
            histories = histories.subset(self.lists)
        if histories.n_lists != 2:
            raise EstimationError(
                f"Chapman's estimator needs exactly two lists, the histories have "
                f"{histories.n_lists} ({list(histories.lists)}); merge or drop lists, "
                "or pick two with Chapman(lists=(A, B))"
            )
        check_fittable(histories, min_lists=2)
        sizes = list(histories.list_sizes().values())
        n1, n2 = sizes
        m = int(histories.counts[histories.patterns.sum(axis=1) == 2].sum())
        n = histories.n_observed
        estimate = (n1 + 1) * (n2 + 1) / (m + 1) - 1
        variance = (n1 + 1) * (n2 + 1) * (n1 - m) * (n2 - m) / ((m + 1) ** 2 * (m + 2))
        se = math.sqrt(variance)
        kind = self.interval

        def interval_at(level: float) -> tuple[float, float]:
            if kind == "lognormal":
                return chao_lognormal_interval(n, estimate - n, variance, level)
            z = _z(level)
            return max(float(n), estimate - z * se), estimate + z * se

        lower, upper = interval_at(self.level)
        diagnostics = {"n1": n1, "n2": n2, "m": m, "se": se}
        if m < 7:
            # Chapman is nearly unbiased only when n1 + n2 >= N or m >= 7 (Robson & Regier 1964).
            diagnostics["warning"] = f"only {m} people on both lists: the estimate is unstable"
        return self._result(
            histories,
            estimate,
            lower,
            upper,
            level=self.level,
            diagnostics=diagnostics,
            interval_function=interval_at,
        )


def f_counts(histories: CaptureHistories) -> np.ndarray:
    """``f[k]`` = people on exactly k lists, k = 0..J (f[0] = 0)."""
    on = histories.patterns.sum(axis=1)
    return np.bincount(on, weights=histories.counts, minlength=histories.n_lists + 1).astype(
        np.int64
    )
