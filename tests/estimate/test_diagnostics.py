"""R-hat and effective sample size on synthetic chains with known behaviour."""

from __future__ import annotations

import numpy as np
import pytest

from reckon.errors import EstimationError
from reckon.estimate.diagnostics import ess_bulk, ess_tail, rank_normalize, rhat, split_rhat


def ar1_chains(phi: float, chains: int, draws: int, seed: int) -> np.ndarray:
    """Stationary AR(1) chains with unit marginal variance."""
    rng = np.random.default_rng(seed)
    noise = rng.normal(size=(chains, draws)) * np.sqrt(1 - phi**2)
    out = np.empty((chains, draws))
    out[:, 0] = rng.normal(size=chains)
    for t in range(1, draws):
        out[:, t] = phi * out[:, t - 1] + noise[:, t]
    return out


def test_split_rhat_by_hand():
    # halves [1,2] [3,4] [5,6] [7,8]: W = 0.5, B/n = var(1.5, 3.5, 5.5, 7.5) = 20/3, n = 2
    expected = np.sqrt((0.5 * 0.5 + 20 / 3) / 0.5)
    assert split_rhat(np.array([[1, 2, 3, 4], [5, 6, 7, 8]])) == pytest.approx(expected)


def test_iid_chains_have_rhat_near_one_and_full_ess():
    chains = np.random.default_rng(1).normal(size=(4, 1000))
    assert rhat(chains) < 1.01
    assert split_rhat(chains) < 1.01
    assert 0.8 * chains.size < ess_bulk(chains) < 1.2 * chains.size
    assert 0.6 * chains.size < ess_tail(chains) < 1.4 * chains.size


def test_shifted_chains_have_large_rhat():
    chains = np.random.default_rng(2).normal(size=(4, 1000)) + np.array([[0], [0], [0], [3]])
    # split R-hat theory: sqrt(1 + 9 * 2/8 * 6/8 * 8/7) = 1.71; rank normalisation shrinks it
    assert rhat(chains) > 1.3
    assert split_rhat(chains) == pytest.approx(1.71, abs=0.05)
    assert ess_bulk(chains) < 0.05 * chains.size


def test_half_sd_shift_in_one_chain_exceeds_1_01():
    chains = np.random.default_rng(3).normal(size=(4, 1000)) + np.array([[0], [0.5], [0], [0]])
    assert rhat(chains) > 1.01


def test_a_single_drifting_chain_is_caught_by_splitting():
    rng = np.random.default_rng(4)
    chain = rng.normal(size=2000) + np.linspace(0, 3, 2000)
    assert rhat(chain) > 1.2


def test_different_scales_are_caught_by_the_folded_rhat():
    rng = np.random.default_rng(5)
    chains = rng.normal(size=(4, 1000)) * np.array([[1], [1], [1], [4]])
    split = np.concatenate([chains[:, :500], chains[:, 500:]])
    from reckon.estimate.diagnostics import _basic_rhat

    assert _basic_rhat(rank_normalize(split)) < 1.05  # the bulk alone misses it
    assert rhat(chains) > 1.05


@pytest.mark.parametrize("phi", [0.5, 0.9])
def test_ess_of_ar1_chains_matches_theory(phi):
    chains = ar1_chains(phi, chains=4, draws=5000, seed=6)
    expected = chains.size * (1 - phi) / (1 + phi)
    assert ess_bulk(chains) == pytest.approx(expected, rel=0.2)
    assert rhat(chains) < 1.02


def test_integer_draws_with_ties_and_constant_chains():
    rng = np.random.default_rng(7)
    draws = rng.poisson(3, size=(3, 400))
    assert np.isfinite(rhat(draws)) and rhat(draws) < 1.05
    assert np.isfinite(ess_bulk(draws))
    constant = np.full((2, 100), 7.0)
    assert rhat(constant) == 1.0


def test_rank_normalize_gives_normal_scores():
    z = rank_normalize(np.arange(1000.0))
    assert z.mean() == pytest.approx(0, abs=1e-9)
    assert z.std() == pytest.approx(1, abs=0.01)
    tied = rank_normalize(np.array([1.0, 1.0, 2.0]))
    assert tied[0] == tied[1] < tied[2]


def test_bad_input():
    with pytest.raises(EstimationError, match="NaN"):
        rhat(np.array([[1.0, np.nan, 2.0, 3.0]]))
    with pytest.raises(EstimationError, match="at least 4 draws"):
        ess_bulk(np.array([[1.0, 2.0]]))
    with pytest.raises(EstimationError, match="chains, draws"):
        rhat(np.zeros((2, 2, 5)))
