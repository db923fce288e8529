"""The LCMCR Gibbs sampler's hot loop, compiled with numba.

One call of :func:`run_chain` runs one chain of the Bayesian non-parametric latent-class
capture–recapture sampler of Manrique-Vallier (2016), *Biometrics* 72(4):1246–1254: the data are
the distinct observed capture patterns and their counts; the state is kept on the log scale
(log lambda, log(1 - lambda), log pi), every Beta is drawn as two log-Gammas, and individuals are
never stored one by one (only per-pattern class counts). Only the kept draws are stored, so
memory does not grow with the number of sweeps.

Notation follows the paper: J lists, K latent classes (truncated stick-breaking), M observed
patterns ``x_m`` with counts ``f_m``, ``n = sum f_m`` observed people and ``n0`` unobserved.

Random numbers come from numba's per-thread Mersenne Twister, seeded inside the chain, so a chain
is reproducible from its seed whichever thread runs it. The functions release the GIL.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

# Redraw n0 while it exceeds this multiple of n (as the reference implementation does).
N0_LIMIT_FACTOR = 20
# Give up redrawing after this many tries and use the limit (counted and reported).
_N0_MAX_TRIES = 1000
# A Poisson mean above this cannot give n0 <= 20 n for any realistic n: reject without drawing.
_POISSON_MEAN_CAP = 1e15
# Patterns seen at most this many times are allocated by one categorical draw per person;
# larger counts by a chain of conditional binomials (cheaper once f_m exceeds a few).
_CATEGORICAL_MAX = 3


def _ziggurat_tables(layers=256, r=3.6541528853610088, v=0.00492867323399):
    """Layer edges ``x`` and heights ``exp(-x^2/2)`` of Marsaglia & Tsang's (2000) normal ziggurat."""
    x = np.empty(layers + 1)
    x[0] = v / math.exp(-0.5 * r * r)
    x[1] = r
    for i in range(2, layers):
        x[i] = math.sqrt(-2.0 * math.log(v / x[i - 1] + math.exp(-0.5 * x[i - 1] ** 2)))
    x[layers] = 0.0
    return x, np.exp(-0.5 * x * x)


_ZIG_X, _ZIG_F = _ziggurat_tables()
_ZIG_R = _ZIG_X[1]


@njit(cache=True, nogil=True)
def _standard_normal():
    """A N(0, 1) draw by the ziggurat method (256 layers, one uniform per draw in ~99% of cases).

    The layer and the position within it come from the same 53-bit uniform: 8 bits pick the
    layer, the remaining 45 give the position.
    """
    while True:
        t = np.random.random() * 256.0
        i = int(t)
        u = 2.0 * (t - i) - 1.0
        z = u * _ZIG_X[i]
        if abs(z) < _ZIG_X[i + 1]:
            return z
        if i == 0:  # the tail beyond r (Marsaglia 1964)
            while True:
                e = -math.log(1.0 - np.random.random()) / _ZIG_R
                y = -math.log(1.0 - np.random.random())
                if 2.0 * y > e * e:
                    return _ZIG_R + e if u > 0.0 else -(_ZIG_R + e)
        height = _ZIG_F[i] + np.random.random() * (_ZIG_F[i + 1] - _ZIG_F[i])
        if height < math.exp(-0.5 * z * z):
            return z


@njit(cache=True, nogil=True)
def _log_gamma_draw(shape):
    """The log of a Gamma(shape, 1) draw (shape > 0).

    Shapes >= 1: Marsaglia & Tsang (2000), returning log(d v) directly. Shapes below 1 use
    G_a = G_(a+1) * U^(1/a), i.e. log G = log U / a + log G_(a+1), so that a tiny shape does not
    underflow G to zero (LCMCR.md asks for this below 0.5; it is exact for any a, and using it up
    to 1 lets one Gamma sampler serve every shape).
    """
    boost = 0.0
    if shape < 1.0:
        boost = math.log(1.0 - np.random.random()) / shape  # log U / a, U in (0, 1]
        shape += 1.0
    d = shape - 1.0 / 3.0
    c = 1.0 / math.sqrt(9.0 * d)
    while True:
        x = _standard_normal()
        v = 1.0 + c * x
        if v <= 0.0:
            continue
        v = v * v * v
        u = np.random.random()
        x2 = x * x
        if u < 1.0 - 0.0331 * x2 * x2:
            return boost + math.log(d * v)
        log_v = math.log(v)
        if math.log(u) < 0.5 * x2 + d * (1.0 - v + log_v):
            return boost + math.log(d) + log_v


@njit(cache=True, nogil=True)
def _log_beta_draw(a, b):
    """(log V, log(1 - V)) for V ~ Beta(a, b), drawn as two log-Gammas."""
    la = _log_gamma_draw(a)
    lb = _log_gamma_draw(b)
    lse = max(la, lb) + math.log1p(math.exp(-abs(la - lb)))
    return la - lse, lb - lse


@njit(cache=True, nogil=True)
def _log1mexp(x):
    """log(1 - exp(x)) for x <= 0, accurate near both ends."""
    if x > -0.6931471805599453:
        return np.log(-np.expm1(x))
    return np.log1p(-np.exp(x))


@njit(cache=True, nogil=True)
def _multinomial(total, weights, tail, out):
    """Draw ``out ~ Multinomial(total; weights / sum(weights))``.

    ``weights`` are non-negative and not all zero; ``tail`` is scratch space of the same length.
    Small totals use one categorical draw per trial, larger ones a chain of conditional binomials
    with suffix sums (so that tiny weights after a large one keep their precision).
    """
    n_classes = weights.shape[0]
    for k in range(n_classes):
        out[k] = 0
    if total == 0:
        return
    if total <= _CATEGORICAL_MAX:
        # forward cumulative sums; u < cum[-1] guarantees a class with positive weight
        acc = 0.0
        for k in range(n_classes):
            acc += weights[k]
            tail[k] = acc
        for _ in range(total):
            u = np.random.random() * acc
            k = 0
            while k < n_classes - 1 and u >= tail[k]:
                k += 1
            out[k] += 1
        return
    acc = 0.0
    for k in range(n_classes - 1, -1, -1):
        acc += weights[k]
        tail[k] = acc
    remaining = total
    for k in range(n_classes - 1):
        if remaining == 0:
            return
        w = weights[k]
        if w <= 0.0:
            continue
        p = w / tail[k]
        if p >= 1.0:
            out[k] = remaining
            return
        c = np.random.binomial(remaining, p)
        out[k] = c
        remaining -= c
    out[n_classes - 1] += remaining


@njit(cache=True, nogil=True)
def _allocate(patterns, on_start, on_lists, counts, log_pi, log_lam, log_1mlam, scratch, alloc):
    """Step 1: class counts c_mk of every observed pattern given pi and lambda.

    The score of pattern m in class k is log pi_k + sum_j log(1 - lambda_jk) plus, for each list
    j that m is on, log lambda_jk - log(1 - lambda_jk); ``on_start``/``on_lists`` list those j
    (patterns are sparse when there are many lists). Falls back to the dense sum while some
    log(1 - lambda) is -inf (only possible at the start, when a list holds every observed person).
    """
    n_patterns, n_lists = patterns.shape
    n_classes = log_pi.shape[0]
    score = scratch[0]
    weights = scratch[1]
    tail = scratch[2]
    base = scratch[3]
    finite = True
    for k in range(n_classes):
        acc = log_pi[k]
        for j in range(n_lists):
            acc += log_1mlam[j, k]
        base[k] = acc
        if not np.isfinite(acc):
            finite = False
    for m in range(n_patterns):
        if finite:
            for k in range(n_classes):
                score[k] = base[k]
            for i in range(on_start[m], on_start[m + 1]):
                j = on_lists[i]
                for k in range(n_classes):
                    score[k] += log_lam[j, k] - log_1mlam[j, k]
        else:
            for k in range(n_classes):
                score[k] = log_pi[k]
            for j in range(n_lists):
                if patterns[m, j]:
                    for k in range(n_classes):
                        score[k] += log_lam[j, k]
                else:
                    for k in range(n_classes):
                        score[k] += log_1mlam[j, k]
        top = score[0]
        for k in range(1, n_classes):
            if score[k] > top:
                top = score[k]
        for k in range(n_classes):
            weights[k] = math.exp(score[k] - top)
        _multinomial(counts[m], weights, tail, alloc[m])


@njit(cache=True, nogil=True)
def _sweep(data, state, work, a, b, update_alpha):
    """One Gibbs sweep (steps 1–7); updates ``state`` in place and returns n0.

    ``data`` = (patterns, on_start, on_lists, counts, n_observed); ``state`` = (alpha as a
    one-element array, log pi, log lambda, log(1 - lambda), n0_k, class counts c_mk);
    ``work`` = (on_count (J, K), scratch (6, K), counters), where ``counters[0]`` counts sweeps in
    which n0 hit the redraw limit.
    """
    patterns, on_start, on_lists, counts, n_observed = data
    state_alpha, log_pi, log_lam, log_1mlam, n0_k, alloc = state
    on_count, scratch, counters = work
    n_patterns, n_lists = patterns.shape
    n_classes = log_pi.shape[0]
    weights = scratch[1]
    tail = scratch[2]
    class_total = scratch[4]
    log_empty = scratch[5]  # log pi_k + sum_j log(1 - lambda_jk)

    # 1. allocations of the observed patterns
    _allocate(patterns, on_start, on_lists, counts, log_pi, log_lam, log_1mlam, scratch, alloc)

    # 2. lists: lambda_jk ~ Beta(1 + a1_jk, 1 + a0_jk)
    for k in range(n_classes):
        class_total[k] = 0.0
    for j in range(n_lists):
        for k in range(n_classes):
            on_count[j, k] = 0.0
    for m in range(n_patterns):
        for k in range(n_classes):
            class_total[k] += alloc[m, k]
        for i in range(on_start[m], on_start[m + 1]):
            j = on_lists[i]
            for k in range(n_classes):
                on_count[j, k] += alloc[m, k]
    for j in range(n_lists):
        for k in range(n_classes):
            a1 = on_count[j, k]
            a0 = class_total[k] - a1 + n0_k[k]
            log_lam[j, k], log_1mlam[j, k] = _log_beta_draw(1.0 + a1, 1.0 + a0)

    # 3. sticks: V_k ~ Beta(1 + n_k, alpha + sum_{h>k} n_h)
    alpha = state_alpha[0]
    for k in range(n_classes):
        class_total[k] += n0_k[k]  # now n_k
    above = 0.0
    for k in range(n_classes):
        above += class_total[k]
    log_rest = 0.0  # sum_{h<k} log(1 - V_h)
    for k in range(n_classes - 1):
        above -= class_total[k]
        log_v, log_1mv = _log_beta_draw(1.0 + class_total[k], alpha + above)
        log_pi[k] = log_v + log_rest
        log_rest += log_1mv
    log_pi[n_classes - 1] = log_rest

    # 4. p0 = sum_k pi_k prod_j (1 - lambda_jk), on the log scale
    for k in range(n_classes):
        acc = 0.0
        for j in range(n_lists):
            acc += log_1mlam[j, k]
        log_empty[k] = log_pi[k] + acc
    top = log_empty[0]
    for k in range(1, n_classes):
        if log_empty[k] > top:
            top = log_empty[k]
    acc = 0.0
    for k in range(n_classes):
        weights[k] = np.exp(log_empty[k] - top)
        acc += weights[k]
    log_p0 = min(top + np.log(acc), 0.0)

    # 5. n0 ~ NegativeBinomial(n, 1 - p0) as Poisson(Gamma(n) * p0 / (1 - p0)); redraw if > 20 n
    log_odds = log_p0 - _log1mexp(log_p0)
    limit = N0_LIMIT_FACTOR * n_observed
    n0 = limit
    hit_limit = True
    for _ in range(_N0_MAX_TRIES):
        mean = math.exp(_log_gamma_draw(float(n_observed)) + log_odds)
        if mean > _POISSON_MEAN_CAP:
            continue
        draw = np.random.poisson(mean)
        if draw <= limit:
            n0 = draw
            hit_limit = False
            break
    if hit_limit:
        counters[0] += 1

    # 6. classes of the unobserved: Multinomial(n0; q), q_k proportional to pi_k prod_j (1 - lambda_jk)
    _multinomial(n0, weights, tail, n0_k)

    # 7. alpha ~ Gamma(a + K - 1, rate b - log pi_K)
    if update_alpha:
        log_g = _log_gamma_draw(a + n_classes - 1.0)
        state_alpha[0] = math.exp(log_g - math.log(b - log_pi[n_classes - 1]))
    return n0


@njit(cache=True, nogil=True)
def run_chain(patterns, counts, n_classes, a, b, warmup, burnin, samples, thinning, seed):
    """Run one LCMCR chain and return its kept draws.

    Parameters
    ----------
    patterns : (M, J) uint8 array of observed capture patterns (no all-zero row, no empty list).
    counts : (M,) int64 array of positive pattern counts.
    n_classes : K, the number of latent classes (>= 2).
    a, b : shape and rate of the Gamma prior on the stick-breaking concentration alpha.
    warmup : sweeps with alpha fixed, after which classes are relabelled by decreasing pi.
    burnin : further sweeps discarded.
    samples, thinning : then ``samples * thinning`` sweeps, keeping every ``thinning``-th.
    seed : integer in [0, 2**32) seeding this chain's generator.

    Returns
    -------
    (N draws (samples,) int64, alpha draws (samples,) float64,
     occupied classes per kept draw (samples,) int64, sweeps where n0 hit the 20 n limit (int))
    """
    np.random.seed(seed)
    n_patterns, n_lists = patterns.shape
    n_observed = 0
    for m in range(n_patterns):
        n_observed += counts[m]

    # initial state: alpha = 1, V_k ~ Beta(1, 1), lambda_jk = n_j / n; then alpha = 0.3 / K
    log_pi = np.empty(n_classes)
    log_rest = 0.0
    for k in range(n_classes - 1):
        log_v, log_1mv = _log_beta_draw(1.0, 1.0)
        log_pi[k] = log_v + log_rest
        log_rest += log_1mv
    log_pi[n_classes - 1] = log_rest
    log_lam = np.empty((n_lists, n_classes))
    log_1mlam = np.empty((n_lists, n_classes))
    for j in range(n_lists):
        on_list = 0
        for m in range(n_patterns):
            if patterns[m, j]:
                on_list += counts[m]
        share = on_list / n_observed
        for k in range(n_classes):
            log_lam[j, k] = np.log(share)
            log_1mlam[j, k] = np.log1p(-share)
    state_alpha = np.empty(1)
    state_alpha[0] = 0.3 / n_classes
    n0_k = np.zeros(n_classes, dtype=np.int64)
    alloc = np.zeros((n_patterns, n_classes), dtype=np.int64)
    on_count = np.zeros((n_lists, n_classes))
    scratch = np.zeros((6, n_classes))
    # the lists each pattern is on, as compressed rows
    on_start = np.zeros(n_patterns + 1, dtype=np.int64)
    for m in range(n_patterns):
        on_start[m + 1] = on_start[m]
        for j in range(n_lists):
            if patterns[m, j]:
                on_start[m + 1] += 1
    on_lists = np.empty(on_start[n_patterns], dtype=np.int64)
    for m in range(n_patterns):
        i = on_start[m]
        for j in range(n_lists):
            if patterns[m, j]:
                on_lists[i] = j
                i += 1
    counters = np.zeros(1, dtype=np.int64)

    data = (patterns, on_start, on_lists, counts, n_observed)
    state = (state_alpha, log_pi, log_lam, log_1mlam, n0_k, alloc)
    work = (on_count, scratch, counters)
    for _ in range(warmup):
        _sweep(data, state, work, a, b, False)

    # relabel classes by decreasing pi
    order = np.argsort(-log_pi, kind="mergesort")
    log_pi[:] = log_pi[order]
    n0_k[:] = n0_k[order]
    for j in range(n_lists):
        log_lam[j, :] = log_lam[j, order]
        log_1mlam[j, :] = log_1mlam[j, order]

    for _ in range(burnin):
        _sweep(data, state, work, a, b, True)

    n_draws = np.empty(samples, dtype=np.int64)
    alpha_draws = np.empty(samples)
    occupied = np.empty(samples, dtype=np.int64)
    for s in range(samples):
        n0 = 0
        for _ in range(thinning):
            n0 = _sweep(data, state, work, a, b, True)
        n_draws[s] = n_observed + n0
        alpha_draws[s] = state_alpha[0]
        used = 0
        for k in range(n_classes):
            total = n0_k[k]
            for m in range(n_patterns):
                total += alloc[m, k]
            if total > 0:
                used += 1
        occupied[s] = used
    return n_draws, alpha_draws, occupied, counters[0]


# Entry points for tests of the building blocks (each seeds the generator of the calling thread).


@njit(cache=True)
def sample_standard_normal(size, seed):
    """``size`` N(0, 1) draws from the ziggurat sampler."""
    np.random.seed(seed)
    out = np.empty(size)
    for i in range(size):
        out[i] = _standard_normal()
    return out


@njit(cache=True)
def sample_log_gamma(shape, size, seed):
    """``size`` draws of log G, G ~ Gamma(shape, 1)."""
    np.random.seed(seed)
    out = np.empty(size)
    for i in range(size):
        out[i] = _log_gamma_draw(shape)
    return out


@njit(cache=True)
def sample_log_beta(a, b, size, seed):
    """``size`` rows of (log V, log(1 - V)), V ~ Beta(a, b)."""
    np.random.seed(seed)
    out = np.empty((size, 2))
    for i in range(size):
        out[i, 0], out[i, 1] = _log_beta_draw(a, b)
    return out


@njit(cache=True)
def sample_multinomial(total, weights, size, seed):
    """``size`` draws of Multinomial(total; weights / sum(weights))."""
    np.random.seed(seed)
    out = np.zeros((size, weights.shape[0]), dtype=np.int64)
    tail = np.empty(weights.shape[0])
    for i in range(size):
        _multinomial(total, weights, tail, out[i])
    return out
