"""The compiled loop behind :func:`reckon.text.name_similarity_batch` (imported on first use).

numba is imported here only, so that importing :mod:`reckon.text` stays fast.

Tokens and names are interned by :mod:`reckon.text._store` (ids into flat arrays). The
similarity of two *tokens* is memoized in an open-addressing hash table keyed by the pair of
token ids, kept between calls: lists repeat a few thousand given names and surnames endlessly,
so almost every token pair of a linkage run has been aligned before, and a full-name score is
then a few table lookups and a best-first matching of a 2×2 or 3×3 matrix. A token pair is
always aligned in one orientation chosen by content and its similarity and weight are stored
as float32 (and used as float32 when freshly computed too), so a score never depends on what
the table held before.
"""

from __future__ import annotations

import numba
import numpy as np
from llvmlite import ir
from numba.core import cgutils, types
from numba.extending import intrinsic

from reckon.text.phonetic import CODE, CONSONANTS

_N_CONSONANTS = len(CONSONANTS)
_CODE_I = CODE["I"]
_CODE_Y = CODE["Y"]
#: Most tokens of a name that are compared (the rest are ignored).
MAX_TOKENS = 16
_EMPTY = -1
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
#: Pairs of names ahead whose table slots are prefetched (see :func:`scores`).
_AHEAD = 2

# The helpers called for every pair of names or of tokens are inlined (inline="always"): a
# call with array arguments updates each array's reference count atomically on entry and on
# exit, which took a quarter of the time of the loop.
#
# No function here is compiled with fastmath: it lets LLVM fuse and reorder floating-point
# operations differently in each place a helper is compiled into, and scores differed in their
# last digit between a process that compiled the kernel and one that loaded it from numba's
# cache (tests/text/test_reproducible.py). Plain IEEE arithmetic gives the same score anywhere.


@intrinsic
def _prefetch(typingctx, array, index):  # pragma: no cover - numba
    """Ask the CPU to bring array[index] into its caches (``llvm.prefetch``): a hint, which
    changes no result."""

    def codegen(context, builder, signature, args):
        array_type = signature.args[0]
        data = context.make_array(array_type)(context, builder, args[0])
        pointer = cgutils.get_item_pointer(context, builder, array_type, data, [args[1]])
        i32 = ir.IntType(32)
        opaque = getattr(pointer.type, "is_opaque", False)  # LLVM 15 and later
        name = "llvm.prefetch.p0" if opaque else "llvm.prefetch.p0i8"
        function = cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(ir.VoidType(), [pointer.type, i32, i32, i32]), name
        )
        builder.call(function, [pointer, i32(0), i32(3), i32(1)])  # read, keep, data
        return context.get_dummy_value()

    return types.void(array, index), codegen


@numba.njit(cache=True, nogil=True, inline="always")
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
        prev, cur = cur, prev
    return prev[n], wa, wb


@numba.njit(cache=True, nogil=True, inline="always")
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


@numba.njit(cache=True, nogil=True, inline="always")
def _content_after(sym, tok_start, tok_persian, x, y):  # pragma: no cover - numba
    """Whether token x sorts after token y by (script, symbols): fixes the orientation."""
    if tok_persian[x] != tok_persian[y]:
        return tok_persian[x] > tok_persian[y]
    x0 = tok_start[x]
    y0 = tok_start[y]
    lx = tok_start[x + 1] - x0
    ly = tok_start[y + 1] - y0
    n = lx if lx < ly else ly
    for q in range(n):
        if sym[x0 + q] != sym[y0 + q]:
            return sym[x0 + q] > sym[y0 + q]
    return lx > ly


@numba.njit(cache=True, nogil=True, inline="always")
def _oriented(sym, tok_start, tok_persian, x, y):  # pragma: no cover - numba
    """Tokens x and y in the order of their content: a pair is always aligned one way."""
    if _content_after(sym, tok_start, tok_persian, x, y):
        return y, x
    return x, y


@numba.njit(cache=True, nogil=True, inline="always")
def _same_token(sym, tok_start, tok_persian, x, y):  # pragma: no cover - numba
    """Whether tokens x and y have the same script and symbols."""
    x0 = tok_start[x]
    y0 = tok_start[y]
    if tok_start[x + 1] - x0 != tok_start[y + 1] - y0 or tok_persian[x] != tok_persian[y]:
        return False
    same = True
    for q in range(tok_start[x + 1] - x0):
        if sym[x0 + q] != sym[y0 + q]:
            same = False
            break
    return same


@numba.njit(cache=True, nogil=True, inline="always")
def _token_similarity(sym, tok_start, x, y, sub, params, c, wa, wb):  # pragma: no cover - numba
    """(similarity, weight) of tokens x and y, as float32 values, from their alignment:
    ``c, wa, wb = _token_cost(...)`` of x and y in that order (see :func:`_oriented`)."""
    x0 = tok_start[x]
    x1 = tok_start[x + 1]
    y0 = tok_start[y]
    y1 = tok_start[y + 1]
    c += _edge_cost(sym, x0, x1, y0, y1, sub, params[2], params[3])
    w = wa if wa > wb else wb
    s = 0.0
    if w > 0.0:
        s = 1.0 - c / w
        if s < 0.0:
            s = 0.0
    elif c == 0.0:
        s = 1.0
    return np.float32(s), np.float32(0.5 * (wa + wb))


@numba.njit(cache=True, nogil=True)
def _home(key, mask):  # pragma: no cover - numba
    """The first slot tried for ``key`` in a table of ``mask + 1`` slots."""
    return np.int64((np.uint64(key) * _MULTIPLIER) >> np.uint64(32)) & mask


@numba.njit(cache=True, nogil=True)
def _slot(table, key):  # pragma: no cover - numba
    """Slot of ``key`` in the table, or the empty slot where it would go.

    Slot h is table[2h] (the key: two token ids, -1 when empty) and table[2h + 1] (the
    similarity and the weight as two float32), so a lookup reads one cache line.
    """
    mask = (table.shape[0] >> 1) - 1
    h = _home(key, mask)
    while True:
        k = table[2 * h]
        if k == _EMPTY:
            return h
        if k == key:
            return h
        h = (h + 1) & mask


@numba.njit(cache=True, nogil=True)
def _rehash(table, slots):  # pragma: no cover - numba
    """A table of ``slots`` slots holding the entries of ``table``."""
    new = np.full(2 * slots, _EMPTY, dtype=np.int64)
    for h in range(table.shape[0] >> 1):
        if table[2 * h] != _EMPTY:
            g = _slot(new, table[2 * h])
            new[2 * g] = table[2 * h]
            new[2 * g + 1] = table[2 * h + 1]
    return new


@numba.njit(cache=True, nogil=True, inline="always")
def _pair_score(na, nb, params, sims, wts, used):  # pragma: no cover - numba
    """Score of two names of na and nb tokens given their token similarities in sims/wts,
    tokens matched best first (marked in used), as if they had as many tokens: → (score,
    total weight of the matched pairs), or (0, 0) when that weight is 0 (see
    :func:`_uneven_score` when na != nb)."""
    used_a = 0
    used_b = 1
    for i in range(na):
        used[used_a, i] = False
    for j in range(nb):
        used[used_b, j] = False
    k = na if na < nb else nb
    total_w = 0.0
    total_ws = 0.0
    worst = 1.0
    for _ in range(k):
        best = -1.0
        bi = 0
        bj = 0
        for i in range(na):
            if used[used_a, i]:
                continue
            for j in range(nb):
                if not used[used_b, j] and sims[i, j] > best:
                    best = sims[i, j]
                    bi = i
                    bj = j
        used[used_a, bi] = True
        used[used_b, bj] = True
        total_w += wts[bi, bj]
        total_ws += wts[bi, bj] * best
        if best < worst:
            worst = best
    if total_w <= 0.0:
        return 0.0, 0.0
    worst_w = params[0]
    return worst_w * worst + (1.0 - worst_w) * (total_ws / total_w), total_w


@numba.njit(cache=True, nogil=True)
def _uneven_score(
    score, total_w, tids, ta, na, tb, nb, sym, tok_start, tok_persian, tok_weight, sub, gap,
    params, prev, cur, used, buf,
):  # pragma: no cover - numba  # fmt: skip
    """:func:`_pair_score` of names of different token counts, tokens tids[ta:ta+na] and
    tids[tb:tb+nb]: lowered by the unmatched tokens' weight, unless their whole names
    compared end to end score higher."""
    unmatched = 0.0
    for i in range(na):
        if not used[0, i]:
            unmatched += tok_weight[tids[ta + i]]
    for j in range(nb):
        if not used[1, j]:
            unmatched += tok_weight[tids[tb + j]]
    score = score * total_w / (total_w + params[1] * unmatched)
    # the whole names end to end (a compound written apart in one of them)
    la = 0
    for i in range(na):
        for q in range(tok_start[tids[ta + i]], tok_start[tids[ta + i] + 1]):
            buf[la] = sym[q]
            la += 1
    lb = la
    for j in range(nb):
        for q in range(tok_start[tids[tb + j]], tok_start[tids[tb + j] + 1]):
            buf[lb] = sym[q]
            lb += 1
    c, wa, wb = _token_cost(
        buf, 0, la, tok_persian[tids[ta]], la, lb, tok_persian[tids[tb]], sub, gap, prev, cur
    )
    w = wa if wa > wb else wb
    if w > 0.0:
        whole = 1.0 - c / w
        if whole > score:
            score = whole
    return score


@numba.njit(cache=True, nogil=True)
def scores(
    ia, ib, tid_start, tid_end, name_tids, sym, tok_start, tok_persian, tok_weight, max_len,
    sub, gap, params, table, count, max_slots, window, min_hits, bypass_length,
):  # pragma: no cover - numba  # fmt: skip
    """Similarity of names ia[p] and ib[p] for every p → (scores, table, its entry count).

    The token-pair table (see :func:`_slot`) is read and extended; it is rebuilt twice as
    large when half full, or emptied when it already has ``max_slots`` slots. When fewer than
    ``min_hits`` of a ``window`` of lookups hit (pairs of names drawn at random, not within
    blocks), the next ``bypass_length`` token pairs are aligned without the table, whose cache
    misses would then cost more than they save; then the table is tried again.
    """
    out = np.empty(ia.shape[0], dtype=np.float64)
    longest = MAX_TOKENS * max_len + 1
    prev = np.empty(longest, dtype=np.float64)
    cur = np.empty(longest, dtype=np.float64)
    buf = np.empty(2 * longest, dtype=np.uint8)
    sims = np.empty((MAX_TOKENS, MAX_TOKENS), dtype=np.float64)
    wts = np.empty((MAX_TOKENS, MAX_TOKENS), dtype=np.float64)
    used = np.zeros((2, MAX_TOKENS), dtype=np.bool_)
    values = table.view(np.float32)
    looked = 0  # table lookups in the current window
    found = 0  # of which hits
    bypass = 0  # token pairs still to align without the table
    for p in range(ia.shape[0]):
        if bypass == 0 and p + _AHEAD < ia.shape[0]:
            # The table is large and its slots far apart: most lookups of new pairs of names
            # miss the CPU's caches, and waiting for memory took half the time of this loop.
            # Their slots are asked for a few pairs of names ahead.
            mask = (table.shape[0] >> 1) - 1
            a = ia[p + _AHEAD]
            b = ib[p + _AHEAD]
            for i in range(tid_start[a], min(tid_end[a], tid_start[a] + MAX_TOKENS)):
                x = np.int64(name_tids[i])
                for j in range(tid_start[b], min(tid_end[b], tid_start[b] + MAX_TOKENS)):
                    y = np.int64(name_tids[j])
                    if x != y:
                        key = (x << 32) | y if x <= y else (y << 32) | x
                        _prefetch(table, 2 * _home(key, mask))
        a = ia[p]
        b = ib[p]
        ta0 = tid_start[a]
        na = min(tid_end[a] - ta0, MAX_TOKENS)
        tb0 = tid_start[b]
        nb = min(tid_end[b] - tb0, MAX_TOKENS)
        if na == 0 or nb == 0:
            out[p] = 0.0
            continue
        if a == b:
            out[p] = 1.0
            continue
        for i in range(na):
            x = np.int64(name_tids[ta0 + i])
            for j in range(nb):
                y = np.int64(name_tids[tb0 + j])
                if x == y:
                    sims[i, j] = 1.0
                    wts[i, j] = np.float32(tok_weight[x])
                    continue
                key = (x << 32) | y if x <= y else (y << 32) | x
                h = -1  # the pair's slot in the table, -1 when the table is bypassed
                if bypass > 0:  # the table has not been paying: align without it
                    bypass -= 1
                else:
                    looked += 1
                    if looked == window:
                        if found < min_hits * window:
                            bypass = bypass_length
                        looked = 0
                        found = 0
                    h = _slot(table, key)
                    if table[2 * h] == key:
                        found += 1
                        sims[i, j] = values[4 * h + 2]
                        wts[i, j] = values[4 * h + 3]
                        continue
                u, v = _oriented(sym, tok_start, tok_persian, x, y)
                if _same_token(sym, tok_start, tok_persian, u, v):
                    s = np.float32(1.0)
                    w = np.float32(tok_weight[u])
                else:
                    c, wa, wb = _token_cost(
                        sym, tok_start[u], tok_start[u + 1], tok_persian[u],
                        tok_start[v], tok_start[v + 1], tok_persian[v], sub, gap, prev, cur,
                    )  # fmt: skip
                    s, w = _token_similarity(sym, tok_start, u, v, sub, params, c, wa, wb)
                sims[i, j] = s
                wts[i, j] = w
                if h < 0:
                    continue
                if 4 * (count + 1) > table.shape[0]:  # half of the slots used
                    if table.shape[0] < 2 * max_slots:
                        table = _rehash(table, table.shape[0])
                    else:
                        table[:] = _EMPTY
                        count = 0
                    values = table.view(np.float32)
                    h = _slot(table, key)
                table[2 * h] = key
                values[4 * h + 2] = s
                values[4 * h + 3] = w
                count += 1
        s, total_w = _pair_score(na, nb, params, sims, wts, used)
        if na != nb and total_w > 0.0:
            s = _uneven_score(
                s, total_w, name_tids, ta0, na, tb0, nb, sym, tok_start, tok_persian,
                tok_weight, sub, gap, params, prev, cur, used, buf,
            )  # fmt: skip
        out[p] = round(s, 6)
    return out, table, count
