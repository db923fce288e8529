"""The compiled loop behind :func:`reckon.text.name_similarity_batch` (imported on first use).

numba is imported here only, so that importing :mod:`reckon.text` stays fast.
"""

from __future__ import annotations

import numba
import numpy as np

from reckon.text.phonetic import CODE, CONSONANTS

_N_CONSONANTS = len(CONSONANTS)
_CODE_I = CODE["I"]
_CODE_Y = CODE["Y"]


@numba.njit(cache=True, nogil=True, fastmath=True)
def _token_cost(sym, a0, a1, pa, b0, b1, pb, sub, gap, prev, cur):  # pragma: no cover - numba
    """Weighted edit distance of sym[a0:a1] and sym[b0:b1] → (cost, weight_a, weight_b)."""
    n = b1 - b0
    wa = 0.0
    wb = 0.0
    gap_a = gap[pb]
    gap_b = gap[pa]
    prev[0] = 0.0
    for j in range(n):
        g = gap_b[sym[b0 + j]]
        wb += g
        prev[j + 1] = prev[j] + g
    for i in range(a1 - a0):
        x = sym[a0 + i]
        sub_x = sub[x]
        gx = gap_a[x]
        wa += gx
        left = prev[0] + gx
        cur[0] = left
        for j in range(n):
            y = sym[b0 + j]
            best = prev[j] + sub_x[y]
            d = prev[j + 1] + gx
            if d < best:
                best = d
            d = left + gap_b[y]
            if d < best:
                best = d
            cur[j + 1] = best
            left = best
        for j in range(n + 1):
            prev[j] = cur[j]
    return prev[n], wa, wb


@numba.njit(cache=True, nogil=True, fastmath=True)
def _edge_cost(sym, a0, a1, b0, b1, sub, first_cost, final_cost):  # pragma: no cover - numba
    """Extra cost for a different first consonant or a different final i-sound."""
    extra = 0.0
    fa = -1
    for p in range(a0, a1):
        if sym[p] < _N_CONSONANTS:
            fa = sym[p]
            break
    fb = -1
    for p in range(b0, b1):
        if sym[p] < _N_CONSONANTS:
            fb = sym[p]
            break
    if fa >= 0 and fb >= 0 and sub[fa, fb] >= 1.0:
        extra += first_cost
    la = sym[a1 - 1] == _CODE_I or sym[a1 - 1] == _CODE_Y
    lb = sym[b1 - 1] == _CODE_I or sym[b1 - 1] == _CODE_Y
    if la != lb:
        extra += final_cost
    return extra


@numba.njit(cache=True, nogil=True, fastmath=True)
def _pair_score(
    sym, tok_start, tok_persian, ta0, ta1, tb0, tb1, sub, gap, params, prev, cur, sims, wts, used
):  # pragma: no cover - numba
    na = ta1 - ta0
    nb = tb1 - tb0
    if na == 0 or nb == 0:
        return 0.0
    for i in range(na):
        for j in range(nb):
            ti = ta0 + i
            tj = tb0 + j
            la = tok_start[ti + 1] - tok_start[ti]
            if la == tok_start[tj + 1] - tok_start[tj] and tok_persian[ti] == tok_persian[tj]:
                same = True
                for q in range(la):
                    if sym[tok_start[ti] + q] != sym[tok_start[tj] + q]:
                        same = False
                        break
                if same:
                    w = 0.0
                    for q in range(tok_start[ti], tok_start[ti + 1]):
                        w += gap[tok_persian[tj], sym[q]]
                    sims[i, j] = 1.0
                    wts[i, j] = w
                    continue
            c, wa, wb = _token_cost(
                sym, tok_start[ti], tok_start[ti + 1], tok_persian[ti],
                tok_start[tj], tok_start[tj + 1], tok_persian[tj], sub, gap, prev, cur,
            )  # fmt: skip
            c += _edge_cost(
                sym,
                tok_start[ti],
                tok_start[ti + 1],
                tok_start[tj],
                tok_start[tj + 1],
                sub,
                params[2],
                params[3],
            )
            w = wa if wa > wb else wb
            s = 0.0
            if w > 0.0:
                s = 1.0 - c / w
                if s < 0.0:
                    s = 0.0
            elif c == 0.0:
                s = 1.0
            sims[i, j] = s
            wts[i, j] = 0.5 * (wa + wb)
    # best-first matching
    used_a = used[0]
    used_b = used[1]
    for i in range(na):
        used_a[i] = False
    for j in range(nb):
        used_b[j] = False
    k = na if na < nb else nb
    total_w = 0.0
    total_ws = 0.0
    worst = 1.0
    for _ in range(k):
        best = -1.0
        bi = 0
        bj = 0
        for i in range(na):
            if used_a[i]:
                continue
            for j in range(nb):
                if not used_b[j] and sims[i, j] > best:
                    best = sims[i, j]
                    bi = i
                    bj = j
        used_a[bi] = True
        used_b[bj] = True
        total_w += wts[bi, bj]
        total_ws += wts[bi, bj] * best
        if best < worst:
            worst = best
    if total_w <= 0.0:
        return 0.0
    worst_w = params[0]
    score = worst_w * worst + (1.0 - worst_w) * (total_ws / total_w)
    if na != nb:
        unmatched = 0.0
        for i in range(na):
            if not used_a[i]:
                ti = ta0 + i
                for p in range(tok_start[ti], tok_start[ti + 1]):
                    unmatched += gap[tok_persian[ti], sym[p]]
        for j in range(nb):
            if not used_b[j]:
                tj = tb0 + j
                for p in range(tok_start[tj], tok_start[tj + 1]):
                    unmatched += gap[tok_persian[tj], sym[p]]
        score = score * total_w / (total_w + params[1] * unmatched)
        # the whole names end to end (a compound written apart in one of them)
        c, wa, wb = _token_cost(
            sym, tok_start[ta0], tok_start[ta1], tok_persian[ta0],
            tok_start[tb0], tok_start[tb1], tok_persian[tb0], sub, gap, prev, cur,
        )  # fmt: skip
        w = wa if wa > wb else wb
        if w > 0.0:
            whole = 1.0 - c / w
            if whole > score:
                score = whole
    return score


@numba.njit(cache=True, nogil=True, fastmath=True)
def _scores(
    sym, tok_start, tok_persian, name_tok, ia, ib, sub, gap, params
):  # pragma: no cover - numba
    out = np.empty(ia.shape[0], dtype=np.float64)
    longest = 1
    for n in range(name_tok.shape[0] - 1):
        span = tok_start[name_tok[n + 1]] - tok_start[name_tok[n]]
        if span > longest:
            longest = span
    prev = np.empty(longest + 1, dtype=np.float64)
    cur = np.empty(longest + 1, dtype=np.float64)
    sims = np.empty((16, 16), dtype=np.float64)
    wts = np.empty((16, 16), dtype=np.float64)
    used = np.zeros((2, 16), dtype=np.bool_)
    for p in range(ia.shape[0]):
        a = ia[p]
        b = ib[p]
        ta0 = name_tok[a]
        ta1 = name_tok[a + 1]
        tb0 = name_tok[b]
        tb1 = name_tok[b + 1]
        if ta1 - ta0 > 16:
            ta1 = ta0 + 16
        if tb1 - tb0 > 16:
            tb1 = tb0 + 16
        if a == b and ta1 > ta0:
            out[p] = 1.0
            continue
        s = _pair_score(
            sym,
            tok_start,
            tok_persian,
            ta0,
            ta1,
            tb0,
            tb1,
            sub,
            gap,
            params,
            prev,
            cur,
            sims,
            wts,
            used,
        )
        out[p] = round(s, 6)
    return out
