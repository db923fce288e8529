"""One Poisson log-linear model on a capture-history table: fit, N, and its profile likelihood.

The table has the 2^J - 1 observed-able cells (every non-zero pattern, with zero counts for the
patterns nobody has). A model is the main effects plus a set of two-way interactions; the count
expected in the unobservable all-zero cell is ``n0 = exp(intercept)`` and ``N = n + n0``
(Fienberg 1972; Bishop, Fienberg & Holland 1975, ch. 6).

The profile likelihood for N follows Cormack (1992), as Rcapture's ``closedpCI.t`` does: for a
given N the model is refitted to the completed 2^J table (all-zero cell = N - n), and the
multinomial log-likelihood of that fit,
``lgamma(N+1) - lgamma(N-n+1) - sum lgamma(n_w+1) + sum_w y_w log(mu_w / N)``, is the profile
log-likelihood of N. The interval is ``{N : 2 (max - l(N)) <= chi2_1(level)}``.
"""

from __future__ import annotations

import itertools
import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import statsmodels.api as sm
from scipy import optimize, stats
from scipy.special import gammaln
from statsmodels.tools.sm_exceptions import ConvergenceWarning as SMConvergenceWarning

from reckon.errors import ConvergenceWarning, EstimationError
from reckon.estimate.histories import CaptureHistories

Pair = tuple[int, int]
MAX_LISTS = 15
_BLOWUP_RATIO = 1e3  # n0 more than this many times n: the fit has run away
_BIG_PARAM = 25.0


def all_cells(n_lists: int) -> np.ndarray:
    """The 2^J - 1 non-zero patterns, binary order (first list most significant)."""
    if n_lists > MAX_LISTS:
        raise EstimationError(
            f"log-linear models take at most {MAX_LISTS} lists, got {n_lists}; merge lists first"
        )
    return np.array(list(itertools.product((0, 1), repeat=n_lists))[1:], dtype=float)


def cell_counts(histories: CaptureHistories, cells: np.ndarray) -> np.ndarray:
    """Counts for every cell, zero for patterns nobody has."""
    index = {tuple(int(v) for v in row): c for row, c in histories.pattern_counts().items()}
    return np.array([index.get(tuple(int(v) for v in row), 0) for row in cells], dtype=float)


def design(cells: np.ndarray, pairs: tuple[Pair, ...]) -> np.ndarray:
    """Intercept, one main effect per list, one column per two-way interaction."""
    columns = [np.ones(cells.shape[0])]
    columns += [cells[:, j] for j in range(cells.shape[1])]
    columns += [cells[:, a] * cells[:, b] for a, b in pairs]
    return np.column_stack(columns)


def estimable_pairs(y: np.ndarray, cells: np.ndarray) -> list[Pair]:
    """Two-way terms with at least one person on both lists (others diverge to -inf)."""
    n_lists = cells.shape[1]
    out = []
    for a, b in itertools.combinations(range(n_lists), 2):
        if y[(cells[:, a] == 1) & (cells[:, b] == 1)].sum() > 0:
            out.append((a, b))
    return out


def _glm(y: np.ndarray, x: np.ndarray, start: np.ndarray | None = None):
    """Fit a Poisson GLM; returns (result, trouble message or None).

    statsmodels' "perfect separation" and divide-by-zero warnings are expected for saturated
    models (fitted = observed, no residual degrees of freedom); runaway fits are caught by the
    checks in :func:`fit_model` instead.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fitted = sm.GLM(y, x, family=sm.families.Poisson()).fit(start_params=start, maxiter=200)
        except (np.linalg.LinAlgError, ValueError, FloatingPointError) as error:
            return None, f"the fit failed ({type(error).__name__})"
    trouble = None
    not_converged = [w for w in caught if issubclass(w.category, SMConvergenceWarning)]
    if not_converged or not bool(getattr(fitted, "converged", True)):
        trouble = "the fit did not converge"
    return fitted, trouble


@dataclass
class ModelFit:
    """A fitted log-linear model and what it says about N."""

    pairs: tuple[Pair, ...]
    n_observed: int
    n0: float
    se: float
    loglik: float
    deviance: float
    df_resid: int
    n_params: int
    params: np.ndarray
    trouble: str | None = None
    _profile: dict = field(default_factory=dict, repr=False)

    @property
    def estimate(self) -> float:
        return self.n_observed + self.n0

    @property
    def aic(self) -> float:
        return -2 * self.loglik + 2 * self.n_params

    @property
    def bic(self) -> float:
        # log of the number of documented people, as Rcapture does.
        return -2 * self.loglik + self.n_params * math.log(self.n_observed)

    def criterion(self, name: str) -> float:
        return self.aic if name == "aic" else self.bic

    @property
    def ok(self) -> bool:
        return self.trouble is None


def fit_model(y: np.ndarray, cells: np.ndarray, pairs: tuple[Pair, ...]) -> ModelFit:
    """Fit one model; ``trouble`` says why it should not be trusted (never raises on divergence)."""
    x = design(cells, pairs)
    n = round(float(y.sum()))
    if np.linalg.matrix_rank(x) < x.shape[1] or x.shape[1] > x.shape[0]:
        raise EstimationError(
            "the model has more parameters than the table can identify "
            f"({x.shape[1]} parameters, {x.shape[0]} cells)"
        )
    fitted, trouble = _glm(y, x)
    if fitted is None:
        nan = float("nan")
        return ModelFit(
            pairs, n, nan, nan, nan, nan, 0, x.shape[1], np.full(x.shape[1], nan), trouble
        )
    params = np.asarray(fitted.params, dtype=float)
    cov = np.asarray(fitted.cov_params(), dtype=float)
    n0 = float(np.exp(params[0]))
    # Var(N) = n0 + n0^2 Var(intercept): the unconditional variance (Sandland & Cormack 1984).
    se = float(math.sqrt(n0 + n0**2 * cov[0, 0])) if np.isfinite(cov[0, 0]) else float("nan")
    if not np.all(np.isfinite(params)) or not math.isfinite(se):
        trouble = trouble or "non-finite parameters"
    elif np.max(np.abs(params[1:])) > _BIG_PARAM or n0 > _BLOWUP_RATIO * max(n, 1):
        trouble = trouble or f"the fit runs away (unobserved count {n0:.3g})"
    return ModelFit(
        pairs=pairs,
        n_observed=n,
        n0=n0,
        se=se,
        loglik=float(fitted.llf),
        deviance=float(fitted.deviance),
        df_resid=round(float(fitted.df_resid)),
        n_params=x.shape[1],
        params=params,
        trouble=trouble,
    )


class Profile:
    """The profile log-likelihood of N for one model (Cormack 1992)."""

    def __init__(self, y: np.ndarray, cells: np.ndarray, pairs: tuple[Pair, ...]) -> None:
        n_lists = cells.shape[1]
        self.y = y
        self.n = float(y.sum())
        self.x = design(np.vstack([np.zeros((1, n_lists)), cells]), pairs)
        self.constant = -float(gammaln(y + 1).sum())
        self._start: np.ndarray | None = None
        self._cache: dict[float, float] = {}
        self.peak: float | None = None
        self.maximum: float | None = None

    def loglik(self, total: float) -> float:
        """l(N) for a real N >= n."""
        total = float(total)
        if total in self._cache:
            return self._cache[total]
        n0 = max(total - self.n, 0.0)
        completed = np.concatenate([[n0], self.y])
        fitted, trouble = _glm(completed, self.x, self._start)
        if (fitted is None or trouble) and self._start is not None:
            fitted, trouble = _glm(completed, self.x)  # a warm start can lead IRLS astray
        if fitted is None:
            return float("-inf")
        params = np.asarray(fitted.params)
        if n0 > 0 and not trouble and np.all(np.abs(params) < 50):
            self._start = params  # (at n0 = 0 the intercept runs off to -inf: no warm start)
        mu = np.asarray(fitted.fittedvalues, dtype=float)
        positive = completed > 0
        value = (
            float(gammaln(total + 1) - gammaln(n0 + 1))
            + self.constant
            + float(np.sum(completed[positive] * np.log(mu[positive] / total)))
        )
        self._cache[total] = value
        return value

    def maximise(self, guess: float) -> tuple[float, float]:
        """(N at the maximum, maximum log-likelihood), searching near ``guess``."""
        if self.peak is None:
            high = self.n + 4 * max(guess - self.n, 1.0) + 10
            found = optimize.minimize_scalar(
                lambda t: -self.loglik(t),
                bounds=(self.n, high),
                method="bounded",
                options={"xatol": 1e-4},
            )
            self.peak, self.maximum = float(found.x), -float(found.fun)
            if self.loglik(self.n) > self.maximum:
                self.peak, self.maximum = self.n, self.loglik(self.n)
        assert self.maximum is not None
        return self.peak, self.maximum

    def signed_root(self, total: float, guess: float) -> float:
        """sign(N - peak) * sqrt(2 (max - l(N))): approximately standard normal."""
        peak, maximum = self.maximise(guess)
        drop = max(2 * (maximum - self.loglik(total)), 0.0)
        return math.copysign(math.sqrt(drop), total - peak)

    def interval(self, level: float, guess: float) -> tuple[float, float]:
        """Profile-likelihood interval at ``level`` (upper end inf if it never closes)."""
        peak, maximum = self.maximise(guess)
        cut = float(stats.chi2.ppf(level, df=1)) / 2

        def gap(t: float) -> float:
            return maximum - self.loglik(t) - cut

        if peak <= self.n or gap(self.n) <= 0:
            lower = self.n
        else:
            lower = optimize.brentq(gap, self.n, peak, xtol=1e-6)
        step = max(peak - self.n, 1.0)
        upper_end = peak + step
        for _ in range(60):
            if gap(upper_end) > 0:
                break
            step *= 2
            upper_end = peak + step
            if upper_end > self.n * 1e6 + 1e6:
                warnings.warn(
                    "the profile likelihood of N does not close: the upper end is infinite",
                    ConvergenceWarning,
                    stacklevel=3,
                )
                return float(lower), float("inf")
        upper = optimize.brentq(gap, peak, upper_end, xtol=1e-6)
        if not (lower < peak or lower == self.n) or not upper > peak:
            warnings.warn(
                "the profile likelihood of N could not be traced; its interval is not reliable",
                ConvergenceWarning,
                stacklevel=3,
            )
        return float(lower), float(upper)


def model_label(pairs: tuple[Pair, ...], lists: tuple[str, ...]) -> str:
    """Readable model name: ``independence`` or ``A:B + C:D``."""
    if not pairs:
        return "independence"
    return " + ".join(f"{lists[a]}:{lists[b]}" for a, b in pairs)
