"""Convergence diagnostics for Markov chains: rank-normalised split-R-hat and effective sample size.

Follows Vehtari, Gelman, Simpson, Carpenter & Bürkner (2021), "Rank-normalization, folding, and
localization: an improved R-hat for assessing convergence of MCMC", *Bayesian Analysis*
16(2):667–718, doi:10.1214/20-BA1221:

- each chain is split in half, so that a drift within one chain shows up as disagreement;
- draws are replaced by the normal scores of their pooled ranks (rank normalisation), which makes
  the diagnostics work for heavy tails and integer draws such as N;
- R-hat is the larger of the bulk R-hat (rank-normalised draws) and the tail R-hat (rank-normalised
  distances from the median, "folding");
- ESS uses the autocorrelations of all chains together, truncated by Geyer's initial monotone
  sequence.

Every function takes ``chains`` as an array of shape (chains, draws); a single chain may be passed
as a 1-D array.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtri

from reckon.errors import EstimationError

__all__ = ["ess_bulk", "ess_tail", "rank_normalize", "rhat", "split_rhat"]


def _as_chains(chains: np.ndarray, min_draws: int = 4) -> np.ndarray:
    values = np.asarray(chains, dtype=float)
    if values.ndim == 1:
        values = values[np.newaxis, :]
    if values.ndim != 2:
        raise EstimationError(f"chains must be a (chains, draws) array, got shape {values.shape}")
    if values.shape[1] < min_draws:
        raise EstimationError(
            f"need at least {min_draws} draws per chain for diagnostics, got {values.shape[1]}"
        )
    if not np.all(np.isfinite(values)):
        raise EstimationError("chains contain NaN or infinite values")
    return values


def _split(values: np.ndarray) -> np.ndarray:
    """Each chain cut into its first and second half (the middle draw dropped if odd)."""
    half = values.shape[1] // 2
    return np.concatenate([values[:, :half], values[:, values.shape[1] - half :]], axis=0)


def _average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 1..S of the flattened values, ties given their average rank."""
    flat = values.reshape(-1)
    _, inverse, counts = np.unique(flat, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    average = ends - (counts - 1) / 2.0
    return average[inverse.reshape(-1)].reshape(values.shape)


def rank_normalize(chains: np.ndarray) -> np.ndarray:
    """Normal scores of the pooled ranks: ``Phi^-1((r - 3/8) / (S + 1/4))`` (Blom)."""
    values = np.asarray(chains, dtype=float)
    ranks = _average_ranks(values)
    return ndtri((ranks - 0.375) / (values.size + 0.25))


def _basic_rhat(values: np.ndarray) -> float:
    """Gelman–Rubin potential scale reduction of already split chains."""
    n = values.shape[1]
    within = float(np.mean(np.var(values, axis=1, ddof=1)))
    between_over_n = float(np.var(np.mean(values, axis=1), ddof=1))
    if within <= 0.0:
        return 1.0 if between_over_n <= 0.0 else float("inf")
    pooled = (n - 1) / n * within + between_over_n
    return float(np.sqrt(pooled / within))


def split_rhat(chains: np.ndarray) -> float:
    """Classic split-R-hat (Gelman et al. 2013, BDA3 §11.4), without rank normalisation."""
    return _basic_rhat(_split(_as_chains(chains)))


def rhat(chains: np.ndarray) -> float:
    """Rank-normalised split-R-hat: max of the bulk and the folded (tail) R-hat.

    Values above 1.01 (Vehtari et al.'s recommendation) or 1.05 (a common looser threshold)
    suggest the chains have not mixed. Constant chains give 1.0.

    Example
    -------
    >>> rng = np.random.default_rng(1)
    >>> round(rhat(rng.normal(size=(4, 1000))), 2)
    1.0
    >>> rhat(rng.normal(size=(4, 1000)) + np.arange(4)[:, None]) > 1.5
    True
    """
    split = _split(_as_chains(chains))
    bulk = _basic_rhat(rank_normalize(split))
    folded = np.abs(split - np.median(split))
    tail = _basic_rhat(rank_normalize(folded))
    return max(bulk, tail)


def _autocovariance(values: np.ndarray) -> np.ndarray:
    """Autocovariance of each row at every lag (divided by n, as is usual), by FFT."""
    n = values.shape[1]
    centred = values - values.mean(axis=1, keepdims=True)
    size = 1 << int(np.ceil(np.log2(2 * n)))
    spectrum = np.fft.rfft(centred, n=size, axis=1)
    return np.fft.irfft(spectrum * np.conjugate(spectrum), n=size, axis=1)[:, :n] / n


def _ess(values: np.ndarray) -> float:
    """Effective sample size of (already split) chains, Geyer's initial monotone sequence.

    Combines the chains' autocorrelations as in Vehtari et al. (2021) eq. (10)–(11) (also
    BDA3 §11.5): rho_t = 1 - (W - mean_m acov_m(t)) / var_plus.
    """
    n_chains, n = values.shape
    total = n_chains * n
    acov = _autocovariance(values)
    chain_var = acov[:, 0] * n / (n - 1.0)
    within = float(np.mean(chain_var))
    var_plus = within * (n - 1.0) / n
    if n_chains > 1:
        var_plus += float(np.var(values.mean(axis=1), ddof=1))
    if var_plus <= 0.0:
        return float(total)
    rho = 1.0 - (within - acov.mean(axis=0)) / var_plus
    rho[0] = 1.0
    # Geyer: sum the autocorrelations in pairs (rho_2t + rho_2t+1) while the pair sums stay
    # positive, and force the pair sums to be non-increasing.
    pairs = []
    for t in range(0, n - 1, 2):
        pair = rho[t] + rho[t + 1]
        if pair < 0.0:
            break
        if pairs and pair > pairs[-1]:
            pair = pairs[-1]
        pairs.append(pair)
    tau = -1.0 + 2.0 * float(np.sum(pairs))
    # guard against absurdly large estimates for antithetic chains (as Stan does)
    tau = max(tau, 1.0 / np.log10(total))
    return float(total / tau)


def ess_bulk(chains: np.ndarray) -> float:
    """Bulk effective sample size: ESS of the rank-normalised split chains.

    Example
    -------
    >>> rng = np.random.default_rng(2)
    >>> 3000 < ess_bulk(rng.normal(size=(4, 1000))) < 5000
    True
    """
    return _ess(rank_normalize(_split(_as_chains(chains))))


def ess_tail(chains: np.ndarray) -> float:
    """Tail effective sample size: the smaller ESS of the 5% and 95% quantile indicators."""
    split = _split(_as_chains(chains))
    low, high = np.quantile(split, [0.05, 0.95])
    results = []
    for indicator in (split <= low, split <= high):
        values = indicator.astype(float)
        results.append(_ess(values) if np.ptp(values) > 0 else float(values.size))
    return min(results)
