"""LCMCR: Bayesian non-parametric latent-class capture–recapture (Manrique-Vallier 2016).

People are assumed to fall into latent classes; within a class, being on one list is independent
of being on another, and each class has its own capture probability per list. A truncated
Dirichlet-process (stick-breaking) prior lets the data decide how many classes matter, so the model
captures both heterogeneous catchability and the dependence between lists it creates. The posterior
of N = n + n0 (documented plus undocumented) comes from a Gibbs sampler run in compiled code
(:mod:`reckon.estimate._lcmcr_kernel`).

Several chains run in parallel threads (the compiled sampler releases the GIL, and each chain
seeds its own generator, so the draws depend on the seed only). Their draws are pooled for the
estimate and compared for the diagnostics (:mod:`reckon.estimate.diagnostics`): rank-normalised
split-R-hat, effective sample size, and whether any chain's median strays from the others.

Reference: D. Manrique-Vallier (2016), "Bayesian population size estimation using Dirichlet process
mixtures", *Biometrics* 72(4):1246–1254, doi:10.1111/biom.12502.
"""

from __future__ import annotations

import math
import os
import secrets
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any

import numpy as np

from reckon.errors import ConvergenceWarning, DataWarning, EstimationError
from reckon.estimate import diagnostics
from reckon.estimate.base import Estimator, check_fittable
from reckon.estimate.histories import CaptureHistories
from reckon.estimate.result import EstimateResult

__all__ = ["LCMCR", "ChainDraws", "check_chains", "run_chains", "simulate_latent_class"]

# The chains are flagged as not converged above this rank-normalised split-R-hat.
RHAT_THRESHOLD = 1.05
# ... or when the bulk effective sample size of N is below this many draws.
MIN_ESS = 100.0


@dataclass(frozen=True)
class ChainDraws:
    """The kept draws of every chain, each row one chain.

    ``n`` holds N, ``alpha`` the stick-breaking concentration, ``classes_used`` the number of
    latent classes with at least one person (documented or not); ``n0_limit_hits`` counts the
    sweeps per chain in which n0 could not be drawn below 20 n and was set to that limit.
    """

    n: np.ndarray
    alpha: np.ndarray
    classes_used: np.ndarray
    n0_limit_hits: np.ndarray
    seeds: tuple[int, ...]


def chain_seeds(seed: int, chains: int) -> tuple[int, ...]:
    """One 32-bit seed per chain, derived from ``seed`` with :class:`numpy.random.SeedSequence`."""
    children = np.random.SeedSequence(seed).spawn(chains)
    return tuple(int(child.generate_state(1, np.uint32)[0]) for child in children)


def run_chains(
    patterns: np.ndarray,
    counts: np.ndarray,
    *,
    K: int,
    a: float,
    b: float,
    warmup: int,
    burnin: int,
    samples: int,
    thinning: int,
    seed: int,
    chains: int = 1,
    n_jobs: int | None = None,
) -> ChainDraws:
    """Run ``chains`` independent LCMCR chains on plain arrays and return their draws.

    Chains run in parallel threads (the compiled sampler releases the GIL), at most ``n_jobs`` at
    a time (default: one per CPU). Each chain's generator is seeded from ``seed`` alone, so the
    draws do not depend on ``n_jobs`` or on which thread ran which chain.
    """
    from reckon.estimate._lcmcr_kernel import run_chain

    patterns = np.ascontiguousarray(patterns, dtype=np.uint8)
    counts = np.ascontiguousarray(counts, dtype=np.int64)
    seeds = chain_seeds(seed, chains)

    def one(chain_seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
        return run_chain(
            patterns,
            counts,
            int(K),
            float(a),
            float(b),
            int(warmup),
            int(burnin),
            int(samples),
            int(thinning),
            chain_seed,
        )

    workers = min(chains, n_jobs or os.cpu_count() or 1)
    if workers <= 1:
        outputs = [one(s) for s in seeds]
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            outputs = list(pool.map(one, seeds))
    return ChainDraws(
        n=np.stack([o[0] for o in outputs]),
        alpha=np.stack([o[1] for o in outputs]),
        classes_used=np.stack([o[2] for o in outputs]),
        n0_limit_hits=np.array([o[3] for o in outputs], dtype=np.int64),
        seeds=seeds,
    )


def _is_int(value: Any) -> bool:
    return isinstance(value, Integral) and not isinstance(value, bool)


def _is_real(value: Any) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(value)


class LCMCR(Estimator):
    """Bayesian non-parametric latent-class capture–recapture (Manrique-Vallier 2016).

    Parameters
    ----------
    K:
        Maximum number of latent classes (truncation of the stick-breaking prior), at least 2.
        Large production runs use ``min(2**J - 1, 15)``.
    a, b:
        Shape and rate of the Gamma prior on the concentration alpha (default 0.25, 0.25).
    burnin:
        Sweeps discarded after the warm-up.
    samples:
        Posterior draws kept per chain.
    thinning:
        Sweeps per kept draw (``samples * thinning`` sweeps after the burn-in).
    seed:
        Seed of the whole run (each chain's seed is derived from it). None draws one, which is
        recorded in the result's settings so the run can be repeated.
    chains:
        Independent chains; their draws are pooled, and compared for the diagnostics.
    warmup:
        Initial sweeps with alpha held fixed, after which classes are relabelled by size.
    n_jobs:
        Chains run at the same time (threads); default one per CPU.
    level:
        Level of the reported interval (equal-tailed posterior quantiles).

    The estimate is the posterior median of N, the interval its ``(1 - level) / 2`` and
    ``(1 + level) / 2`` quantiles. ``diagnostics`` holds the rank-normalised split-R-hat
    (``rhat``), bulk and tail effective sample sizes of N (``ess``, ``ess_tail``), the median of
    each chain (``chain_medians``), the draws by chain (``chains``, shape (chains, samples)) and
    ``converged``. A :class:`~reckon.errors.ConvergenceWarning` is issued when R-hat exceeds
    1.05, the bulk ESS is below 100, or a chain's median falls outside the pooled interquartile
    range.

    Raises
    ------
    EstimationError
        Invalid settings (all problems listed at once), or histories that cannot be fitted.

    Example
    -------
    >>> h = CaptureHistories.from_memberships([{"A"}] * 30 + [{"B"}] * 30 + [{"C"}] * 30
    ...     + [{"A", "B"}] * 10 + [{"B", "C"}] * 10 + [{"A", "C"}] * 10 + [{"A", "B", "C"}] * 3)
    >>> r = LCMCR(K=5, burnin=1000, samples=200, seed=1).fit(h)
    >>> r.n_observed < r.lower < r.estimate < r.upper
    True
    """

    method = "lcmcr"
    bayesian = True

    def __init__(
        self,
        K: int = 10,
        a: float = 0.25,
        b: float = 0.25,
        burnin: int = 10_000,
        samples: int = 1_000,
        thinning: int = 10,
        seed: int | None = None,
        chains: int = 1,
        warmup: int = 500,
        n_jobs: int | None = None,
        level: float = 0.95,
    ) -> None:
        self.K = K
        self.a = a
        self.b = b
        self.burnin = burnin
        self.samples = samples
        self.thinning = thinning
        self.seed = seed
        self.chains = chains
        self.warmup = warmup
        self.n_jobs = n_jobs
        self.level = level
        self._check_settings()

    def _check_settings(self) -> None:
        problems: list[str] = []
        if not _is_int(self.K) or self.K < 2:
            problems.append(f"K must be a whole number >= 2, got {self.K!r}")
        for name in ("a", "b"):
            value = getattr(self, name)
            if not _is_real(value) or value <= 0:
                problems.append(f"{name} must be a positive number, got {value!r}")
        for name, least in (("burnin", 0), ("warmup", 0), ("samples", 4), ("thinning", 1)):
            value = getattr(self, name)
            if not _is_int(value) or value < least:
                problems.append(f"{name} must be a whole number >= {least}, got {value!r}")
        if not _is_int(self.chains) or self.chains < 1:
            problems.append(f"chains must be a whole number >= 1, got {self.chains!r}")
        if self.n_jobs is not None and (not _is_int(self.n_jobs) or self.n_jobs < 1):
            problems.append(f"n_jobs must be None or a whole number >= 1, got {self.n_jobs!r}")
        if self.seed is not None and (not _is_int(self.seed) or self.seed < 0):
            problems.append(f"seed must be None or a whole number >= 0, got {self.seed!r}")
        if not _is_real(self.level) or not 0 < self.level < 1:
            problems.append(f"level must be between 0 and 1, got {self.level!r}")
        if problems:
            raise EstimationError("invalid LCMCR settings: " + "; ".join(problems))

    def fit(self, histories: CaptureHistories) -> EstimateResult:
        """Sample the posterior of N given ``histories`` and summarise it.

        Lists with no records are dropped first, with a :class:`~reckon.errors.DataWarning`.
        """
        self._check_settings()
        if isinstance(histories, CaptureHistories):
            histories, empty = histories.drop_empty()
            if empty:
                warnings.warn(
                    f"Dropped empty list(s) {', '.join(empty)}: no one is on them.",
                    DataWarning,
                    stacklevel=2,
                )
        check_fittable(histories, min_lists=2)
        if histories.n_lists < 3:
            warnings.warn(
                f"LCMCR with {histories.n_lists} lists: latent-class models need at least three "
                "lists to be identified, so the estimate mostly reflects the prior",
                DataWarning,
                stacklevel=2,
            )
        seed = int(self.seed) if self.seed is not None else secrets.randbelow(2**31)
        draws = run_chains(
            histories.patterns,
            histories.counts,
            K=self.K,
            a=self.a,
            b=self.b,
            warmup=self.warmup,
            burnin=self.burnin,
            samples=self.samples,
            thinning=self.thinning,
            seed=seed,
            chains=self.chains,
            n_jobs=self.n_jobs,
        )
        report = check_chains(draws, histories.n_observed)
        pooled = draws.n.reshape(-1)
        tail = (1 - self.level) / 2
        lower, upper = np.quantile(pooled, [tail, 1 - tail])
        return self._result(
            histories,
            float(np.median(pooled)),
            float(lower),
            float(upper),
            level=self.level,
            draws=pooled,
            diagnostics=report,
            settings={"seed": seed},
        )


def simulate_latent_class(
    N: int,
    shares: np.ndarray | list[float],
    capture: np.ndarray | list[list[float]],
    seed: int | np.random.Generator | None = None,
    lists: tuple[str, ...] | None = None,
) -> CaptureHistories:
    """Capture histories of a population of N drawn from a latent-class model (for simulations).

    Person i falls in class k with probability ``shares[k]`` and is on list j with probability
    ``capture[j][k]``, independently across lists given the class. People on no list are not
    observed. One class gives independent lists; several classes with different capture
    probabilities give heterogeneous, positively dependent lists (the LCMCR model's own form).

    Example
    -------
    >>> h = simulate_latent_class(1000, [1.0], [[0.3], [0.3], [0.3]], seed=1)
    >>> h.n_lists, 600 < h.n_observed < 700
    (3, True)
    """
    shares = np.asarray(shares, dtype=float)
    capture = np.asarray(capture, dtype=float)
    if capture.ndim != 2 or capture.shape[1] != shares.shape[0]:
        raise EstimationError(
            f"capture must have shape (lists, {shares.shape[0]}), got {capture.shape}"
        )
    if not np.isclose(shares.sum(), 1.0) or np.any(shares < 0):
        raise EstimationError("shares must be non-negative and sum to 1")
    if np.any((capture < 0) | (capture > 1)):
        raise EstimationError("capture probabilities must lie in [0, 1]")
    rng = np.random.default_rng(seed)
    classes = rng.choice(shares.shape[0], size=int(N), p=shares)
    on_list = rng.random((int(N), capture.shape[0])) < capture[:, classes].T
    seen = on_list[on_list.any(axis=1)]
    names = lists or tuple(f"L{j + 1}" for j in range(capture.shape[0]))
    return CaptureHistories(names, seen.astype(np.uint8), np.ones(seen.shape[0], dtype=np.int64))


def check_chains(draws: ChainDraws, n_observed: int, *, stacklevel: int = 3) -> dict[str, Any]:
    """Diagnostics of the chains' draws of N; warns (ConvergenceWarning) about bad mixing."""
    chains = draws.n
    medians = np.median(chains, axis=1)
    rhat = diagnostics.rhat(chains)
    ess = diagnostics.ess_bulk(chains)
    ess_tail = diagnostics.ess_tail(chains)
    q25, q75 = np.quantile(chains, [0.25, 0.75])
    outside = [i for i, m in enumerate(medians) if m < q25 or m > q75]
    limit_hits = int(draws.n0_limit_hits.sum())
    problems = []
    if not rhat <= RHAT_THRESHOLD:
        problems.append(f"R-hat of N is {rhat:.3f} (> {RHAT_THRESHOLD})")
    if ess < MIN_ESS:
        problems.append(f"effective sample size of N is {ess:.0f} (< {MIN_ESS:.0f})")
    if outside:
        problems.append(
            "chain(s) "
            + ", ".join(str(i + 1) for i in outside)
            + " have a median outside the pooled interquartile range "
            + f"({q25:,.0f}–{q75:,.0f}): the chains disagree"
        )
    if limit_hits:
        problems.append(
            f"in {limit_hits} sweep(s) the number undocumented hit its cap of 20 x "
            f"{n_observed:,}: the data hardly bound N"
        )
    if problems:
        warnings.warn(
            "LCMCR chains may not have converged: "
            + "; ".join(problems)
            + ". Run longer chains (more burn-in, samples or thinning) or more chains.",
            ConvergenceWarning,
            stacklevel=stacklevel,
        )
    return {
        "rhat": rhat,
        "ess": ess,
        "ess_tail": ess_tail,
        "chain_medians": medians.astype(float),
        "chains": chains,
        "converged": not problems,
        "classes_used": float(draws.classes_used.mean()),
        "alpha_median": float(np.median(draws.alpha)),
        "n0_limit_hits": limit_hits,
        "chain_seeds": list(draws.seeds),
    }
