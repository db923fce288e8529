"""The compiled LCMCR sampler: its random building blocks, reproducibility, and agreement with a
plain numpy sampler written independently from the method note."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import special, stats

from reckon.estimate import _lcmcr_kernel as kernel
from reckon.estimate.lcmcr import chain_seeds, run_chains


def test_ziggurat_normal_matches_the_standard_normal():
    z = kernel.sample_standard_normal(400_000, 11)
    assert abs(z.mean()) < 4 / np.sqrt(z.size)
    assert z.var() == pytest.approx(1.0, abs=0.01)
    assert stats.kstest(z, "norm").pvalue > 0.001
    # the tail beyond r = 3.654 has its own sampler: check its mass
    tail = np.mean(np.abs(z) > kernel._ZIG_R)
    expected = 2 * stats.norm.sf(kernel._ZIG_R)
    assert tail == pytest.approx(expected, rel=0.25)


@pytest.mark.parametrize("shape", [1e-3, 0.05, 0.3, 0.7, 1.0, 2.5, 30.0, 4400.0])
def test_log_gamma_draws(shape):
    draws = kernel.sample_log_gamma(shape, 200_000, 5)
    assert np.all(np.isfinite(draws))
    # E[log G] = digamma(a), Var[log G] = trigamma(a), for every shape, even tiny ones
    se = np.sqrt(special.polygamma(1, shape) / draws.size)
    assert abs(draws.mean() - special.digamma(shape)) < 4 * se
    assert draws.var() == pytest.approx(special.polygamma(1, shape), rel=0.05)
    if shape >= 0.3:
        assert stats.kstest(np.exp(draws), stats.gamma(shape).cdf).pvalue > 0.001


@pytest.mark.parametrize(("a", "b"), [(1.0, 1.0), (3.0, 0.01), (1.0, 1e-4), (50.0, 2.0)])
def test_log_beta_draws_stay_finite_and_have_the_right_means(a, b):
    draws = kernel.sample_log_beta(a, b, 100_000, 2)
    log_v, log_1mv = draws[:, 0], draws[:, 1]
    assert np.all(np.isfinite(draws))
    assert np.allclose(np.logaddexp(log_v, log_1mv), 0.0, atol=1e-12)
    for values, shape in ((log_v, a), (log_1mv, b)):
        expected = special.digamma(shape) - special.digamma(a + b)
        se = np.sqrt((special.polygamma(1, shape) - special.polygamma(1, a + b)) / values.size)
        assert abs(values.mean() - expected) < 4 * se


@pytest.mark.parametrize("total", [1, 3, 4, 50, 5000])
def test_multinomial(total):
    weights = np.array([5.0, 1e-30, 2.0, 0.0, 3.0])
    draws = kernel.sample_multinomial(total, weights, 20_000, 1)
    assert np.all(draws.sum(axis=1) == total)
    assert np.all(draws[:, 3] == 0)
    p = weights / weights.sum()
    se = np.sqrt(p * (1 - p) / (total * draws.shape[0]))
    assert np.all(np.abs(draws.mean(axis=0) / total - p) <= 4 * se + 1e-12)


def test_chain_seeds_are_distinct_and_derived_from_the_seed():
    assert chain_seeds(1, 3) == chain_seeds(1, 3)
    assert len(set(chain_seeds(1, 5))) == 5
    assert chain_seeds(1, 2)[0] == chain_seeds(1, 5)[0]
    assert chain_seeds(1, 2) != chain_seeds(2, 2)


def _run(table, seed, **kw):
    settings = {"warmup": 100, "burnin": 200, "samples": 50, "thinning": 3, "K": 5}
    settings.update(kw)
    patterns, counts = table
    return kernel.run_chain(
        patterns,
        counts,
        settings["K"],
        0.25,
        0.25,
        settings["warmup"],
        settings["burnin"],
        settings["samples"],
        settings["thinning"],
        seed,
    )


@pytest.fixture
def spina_table(spina):
    return np.array(spina.patterns), np.array(spina.counts)


def test_same_seed_same_draws_and_different_seed_different_draws(spina_table):
    first, again, other = _run(spina_table, 3), _run(spina_table, 3), _run(spina_table, 4)
    for x, y in zip(first[:3], again[:3], strict=True):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(first[0], other[0])
    n_observed = int(spina_table[1].sum())
    assert np.all(first[0] >= n_observed)
    assert first[0].shape == (50,) and first[1].shape == (50,)
    assert np.all((first[2] >= 1) & (first[2] <= 5))


def test_threads_do_not_change_the_draws(spina_table):
    patterns, counts = spina_table
    settings = dict(K=5, a=0.25, b=0.25, warmup=50, burnin=100, samples=40, thinning=2, seed=9)
    serial = run_chains(patterns, counts, chains=4, n_jobs=1, **settings)
    threaded = run_chains(patterns, counts, chains=4, n_jobs=4, **settings)
    np.testing.assert_array_equal(serial.n, threaded.n)
    assert serial.n.shape == (4, 40)
    assert len({tuple(row) for row in serial.n}) == 4


def test_output_size_depends_only_on_samples(spina_table):
    short = _run(spina_table, 1, thinning=1)
    long = _run(spina_table, 1, thinning=40)
    assert short[0].shape == long[0].shape == (50,)


def test_a_list_holding_everyone_starts_without_nan():
    # lambda starts at n_j / n = 1 for list A, so log(1 - lambda) = -inf at the first sweep
    patterns = np.array([[1, 0, 0], [1, 1, 0], [1, 0, 1], [1, 1, 1]], dtype=np.uint8)
    counts = np.array([40, 10, 12, 3], dtype=np.int64)
    n_draws, alpha, used, hits = kernel.run_chain(patterns, counts, 4, 0.25, 0.25, 20, 50, 30, 2, 1)
    assert np.all(n_draws >= 65) and np.all(np.isfinite(alpha)) and np.all(alpha > 0)
    assert np.all((used >= 1) & (used <= 4)) and hits == 0


# --------------------------------------------------------------------------------------------
# An independent, deliberately plain sampler (numpy + scipy, one step per line of the method
# note). Agreement of the two posteriors checks the compiled kernel against the specification.


def _log_gamma(rng, shape):
    shape = np.asarray(shape, dtype=float)
    small = shape < 0.5
    out = np.log(rng.gamma(np.where(small, shape + 1.0, shape)))
    u = 1.0 - rng.random(shape.shape)
    return out + np.where(small, np.log(u) / np.where(small, shape, 1.0), 0.0)


def _log_beta(rng, a, b):
    la, lb = _log_gamma(rng, a), _log_gamma(rng, b)
    total = np.logaddexp(la, lb)
    return la - total, lb - total


def _log_pi(rng, class_sizes, alpha):
    rest = np.cumsum(class_sizes[::-1])[::-1]  # sum over h >= k
    log_v, log_1mv = _log_beta(rng, 1.0 + class_sizes[:-1], alpha + rest[1:])
    before = np.concatenate([[0.0], np.cumsum(log_1mv)])
    return np.concatenate([log_v + before[:-1], [before[-1]]])


def reference_chain(patterns, counts, K, a, b, warmup, burnin, samples, thinning, seed):
    rng = np.random.default_rng(seed)
    x = patterns.astype(bool)
    n = int(counts.sum())
    log_pi = _log_pi(rng, np.zeros(K), 1.0)
    share = (counts[:, None] * x).sum(axis=0) / n
    log_lam = np.repeat(np.log(share)[:, None], K, axis=1)
    log_1mlam = np.repeat(np.log1p(-share)[:, None], K, axis=1)
    alpha = 0.3 / K
    n0_k = np.zeros(K, dtype=np.int64)
    kept = []
    for sweep in range(warmup + burnin + samples * thinning):
        if sweep == warmup:
            order = np.argsort(-log_pi, kind="stable")
            log_pi, n0_k = log_pi[order], n0_k[order]
            log_lam, log_1mlam = log_lam[:, order], log_1mlam[:, order]
        score = log_pi + np.where(x[:, :, None], log_lam, log_1mlam).sum(axis=1)
        w = np.exp(score - score.max(axis=1, keepdims=True))
        w /= w.sum(axis=1, keepdims=True)
        c = np.stack([rng.multinomial(f, p) for f, p in zip(counts, w, strict=True)])
        a1 = x.T.astype(float) @ c
        a0 = c.sum(axis=0) - a1 + n0_k
        log_lam, log_1mlam = _log_beta(rng, 1.0 + a1, 1.0 + a0)
        log_pi = _log_pi(rng, (c.sum(axis=0) + n0_k).astype(float), alpha)
        log_empty = log_pi + log_1mlam.sum(axis=0)
        p0 = np.exp(min(special.logsumexp(log_empty), 0.0))
        n0 = rng.negative_binomial(n, 1 - p0)
        while n0 > 20 * n:
            n0 = rng.negative_binomial(n, 1 - p0)
        q = np.exp(log_empty - log_empty.max())
        n0_k = rng.multinomial(n0, q / q.sum())
        if sweep >= warmup:
            alpha = rng.gamma(a + K - 1) / (b - log_pi[-1])
        kept_sweep = sweep - warmup - burnin + 1
        if kept_sweep > 0 and kept_sweep % thinning == 0:
            kept.append(n + n0)
    return np.array(kept)


def test_compiled_sampler_agrees_with_the_plain_reference(spina):
    patterns, counts = np.array(spina.patterns), np.array(spina.counts)
    settings = dict(K=4, a=0.25, b=0.25, warmup=300, burnin=700, thinning=2)
    reference = np.concatenate(
        [reference_chain(patterns, counts, **settings, samples=1500, seed=s) for s in range(2)]
    )
    compiled = run_chains(patterns, counts, **settings, samples=20_000, seed=5, chains=3)
    compiled = compiled.n.reshape(-1)
    # the centre of the posterior to 1.5%; the long right tail is noisier (MC error ~2-3%)
    levels = [0.1, 0.25, 0.5, 0.75]
    np.testing.assert_allclose(
        np.quantile(compiled, levels), np.quantile(reference, levels), rtol=0.015
    )
    np.testing.assert_allclose(np.quantile(compiled, 0.9), np.quantile(reference, 0.9), rtol=0.04)
    assert 650 < np.median(compiled) < 850
