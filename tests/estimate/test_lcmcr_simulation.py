"""Simulation study with known N: do LCMCR's 95% intervals cover the truth about 95% of the time?

Two scenarios, each a population of N = 2,000 drawn from a latent-class model
(:func:`reckon.estimate.lcmcr.simulate_latent_class`):

- ``independent``: one class, four lists with capture probabilities 0.15, 0.20, 0.25, 0.30;
- ``heterogeneous``: two latent classes as in Manrique-Vallier (2016) — 90% of people hard to
  document (capture probabilities 0.20–0.35 on five lists), 10% easy (0.60–0.80). Heterogeneous
  catchability makes the lists positively dependent, so independence models underestimate N.

Chains are shorter than in production (500 warm-up, 2,000 burn-in, 500 draws thinned by 10: the
posterior of N mixes well in these tables). The full study (200 replications per scenario) is
marked slow; the default suite runs 20 replications per scenario. ``benchmarks/estimate.py
--coverage`` reruns the full study and prints the figures recorded in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from reckon.estimate.lcmcr import run_chains, simulate_latent_class

SCENARIOS = {
    "independent": {
        "N": 2000,
        "shares": [1.0],
        "capture": [[0.15], [0.20], [0.25], [0.30]],
    },
    "heterogeneous": {
        "N": 2000,
        "shares": [0.9, 0.1],
        "capture": [[0.20, 0.60], [0.30, 0.70], [0.25, 0.80], [0.35, 0.65], [0.20, 0.70]],
    },
}
CHAIN = {
    "K": 10,
    "a": 0.25,
    "b": 0.25,
    "warmup": 500,
    "burnin": 2000,
    "samples": 500,
    "thinning": 10,
}


def coverage_study(
    scenario: dict, replications: int, *, level: float = 0.95, n_jobs: int = 2, **chain
) -> dict:
    """Simulate ``replications`` tables from ``scenario``, fit one chain each, and summarise.

    Replication r uses data seed (N, r) and chain seed r, so every figure can be reproduced.
    """
    settings = {**CHAIN, **chain}
    truth = scenario["N"]
    tail = (1 - level) / 2

    def one(r: int) -> tuple[float, float, float, int]:
        histories = simulate_latent_class(
            truth, scenario["shares"], scenario["capture"], seed=[truth, r]
        )
        draws = run_chains(histories.patterns, histories.counts, seed=r, n_jobs=1, **settings)
        lower, median, upper = np.quantile(draws.n[0], [tail, 0.5, 1 - tail])
        return lower, median, upper, histories.n_observed

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=n_jobs) as pool:
        rows = np.array(list(pool.map(one, range(replications))), dtype=float)
    lower, median, upper, observed = rows.T
    covered = (lower <= truth) & (truth <= upper)
    return {
        "replications": replications,
        "covered": int(covered.sum()),
        "coverage": float(covered.mean()),
        "mean_median": float(median.mean()),
        "relative_bias": float(median.mean() / truth - 1),
        "mean_width": float((upper - lower).mean()),
        "mean_observed": float(observed.mean()),
        "seconds": time.perf_counter() - start,
    }


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_coverage_short(name):
    """20 replications: a broken sampler (biased or overconfident) would cover far less often."""
    summary = coverage_study(SCENARIOS[name], 20)
    assert summary["covered"] >= 17, summary
    assert abs(summary["relative_bias"]) < 0.05, summary


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_coverage_full(name):
    summary = coverage_study(SCENARIOS[name], 200)
    assert 0.90 <= summary["coverage"] <= 0.99, summary
    assert abs(summary["relative_bias"]) < 0.03, summary
