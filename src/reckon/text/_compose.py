"""Compiled loops of the name store (:mod:`reckon.text._store`): names and words interned by
their UTF-8 bytes, and names composed from their words' tokens by the parse's rules.

numba is imported here only (on first use), so that importing :mod:`reckon.text` stays fast.

A *name* is interned whole (an id per distinct string); a new name is split into *words*
(whitespace-free pieces, as ``str.split`` finds them), each interned too; a new word is
cleaned into *tokens* by Python (:func:`reckon.text.parsing._clean_word`). A name's tokens are
its words' tokens, rewritten by the rules of :func:`reckon.text.parsing._parse_tokens`, which
:func:`compose` runs on token flags (:mod:`reckon.text._store`): affixes joined, honorifics set
apart, compound given names joined. A join makes a new token (the two
strings concatenated), which a table of joined pairs gives; a pair not in it sends the name
back to Python, which makes the token, and the name is composed again.
"""

from __future__ import annotations

import numba
import numpy as np

from reckon.text._kernel import _rehash, _slot
from reckon.text._store import (
    IS_BIDIRECTIONAL,
    IS_COMPOUND_FIRST,
    IS_COMPOUND_SECOND,
    IS_HONORIFIC,
    IS_PARTICLE,
    IS_PREFIX,
    IS_SUFFIX,
    NO_SYMBOLS,
)

_AFFIX = IS_PREFIX | IS_PARTICLE | IS_SUFFIX | IS_BIDIRECTIONAL

#: Outcome of composing a name.
DONE = 0
PENDING = 1  # a joined pair of tokens is not in the table yet
WHOLE = 2  # a word needs the whole-name parse (a comma, presentation forms)

_EMPTY = -1
_RECENT = 1 << 10  # slots of intern_strings' cache of strings seen last
_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
#: Whitespace as str.split() knows it (the last is U+3000, see tests/text/test_store.py).
SPACE = np.zeros(0x3001, dtype=np.bool_)
SPACE[[c for c in range(0x3001) if chr(c).isspace()]] = True
_N = ord("n")
_Q = ord("q")
_G = ord("g")


@numba.njit(cache=True, nogil=True)
def _grown_to(array, need):  # pragma: no cover - numba
    """``array``, or a copy at least twice as long when shorter than ``need``."""
    if need <= array.shape[0]:
        return array
    out = np.empty(max(need, 2 * array.shape[0]), dtype=array.dtype)
    out[: array.shape[0]] = array
    return out


@numba.njit(cache=True, nogil=True)
def separators(data, separator, n):  # pragma: no cover - numba
    """Positions of the first n bytes ``separator`` in data, then len(data); and how many
    there are in all."""
    out = np.empty(n + 1, dtype=np.int64)
    k = 0
    for q in range(data.shape[0]):
        if data[q] == separator:
            if k < n:
                out[k] = q
            k += 1
    out[n] = data.shape[0]
    return out, k


@numba.njit(cache=True, nogil=True)
def _hash(data, start, end):  # pragma: no cover - numba
    """A 64-bit hash of the bytes data[start:end], eight at a time (multiply and xor-shift)."""
    h = _FNV_OFFSET ^ (np.uint64(end - start) * _MULTIPLIER)
    q = start
    while q + 8 <= end:
        w = np.uint64(0)
        for r in range(8):
            w |= np.uint64(data[q + r]) << np.uint64(8 * r)
        h = (h ^ w) * _MULTIPLIER
        h ^= h >> np.uint64(29)
        q += 8
    w = np.uint64(0)
    for r in range(end - q):
        w |= np.uint64(data[q + r]) << np.uint64(8 * r)
    h = (h ^ w) * _MULTIPLIER
    h ^= h >> np.uint64(32)
    h *= _FNV_PRIME
    h ^= h >> np.uint64(29)
    return h


@numba.njit(cache=True, nogil=True, inline="always")
def _equal(x, x0, x1, y, y0, y1):  # pragma: no cover - numba
    """Whether the bytes x[x0:x1] and y[y0:y1] are the same."""
    same = x1 - x0 == y1 - y0
    r = 0
    while same and r < x1 - x0:
        same = x[x0 + r] == y[y0 + r]
        r += 1
    return same


@numba.njit(cache=True, nogil=True)
def _find(data, start, end, h, table, stored, stored_start, hashes):  # pragma: no cover
    """Slot of the byte string data[start:end] (hash h) in an open-addressing table of ids
    whose strings are stored[stored_start[i]:stored_start[i + 1]]: its id's slot, or the
    empty slot where it would go."""
    mask = table.shape[0] - 1
    slot = np.int64(h >> np.uint64(32)) & mask
    while True:
        i = table[slot]
        if i < 0:
            return slot
        if hashes[i] == h and _equal(
            data, start, end, stored, stored_start[i], stored_start[i + 1]
        ):
            return slot
        slot = (slot + 1) & mask


@numba.njit(cache=True, nogil=True)
def _rebuilt(table, hashes, n):  # pragma: no cover - numba
    """The table twice as large, holding ids 0..n-1."""
    out = np.full(2 * table.shape[0], _EMPTY, dtype=np.int64)
    mask = out.shape[0] - 1
    for i in range(n):
        s = np.int64(hashes[i] >> np.uint64(32)) & mask
        while out[s] >= 0:
            s = (s + 1) & mask
        out[s] = i
    return out


@numba.njit(cache=True, nogil=True)
def intern_strings(data, starts, ends, table, stored, stored_start, hashes, n):  # pragma: no cover
    """Ids of the byte strings data[starts[p]:ends[p]], new ones added to the table.

    Returns (ids, the table and its arrays, maybe grown, the count of ids, and where each new
    string first appears); new strings get the ids from the old count up, in the order they
    first appear.
    """
    ids = np.empty(starts.shape[0], dtype=np.int64)
    first = np.empty(starts.shape[0], dtype=np.int64)
    n0 = n
    # The strings seen last, by hash: candidate pairs come in blocks, which repeat a few
    # dozen names; finding them here costs no wait for memory, as a large table's slots do.
    recent = np.full(_RECENT, _EMPTY, dtype=np.int64)
    for p in range(starts.shape[0]):
        start = starts[p]
        end = ends[p]
        if p > 0 and _equal(data, start, end, data, starts[p - 1], ends[p - 1]):
            # lists and candidate pairs often repeat a name at once: no hash, no table
            ids[p] = ids[p - 1]
            continue
        h = _hash(data, start, end)
        r = np.int64(h) & (_RECENT - 1)
        i = recent[r]
        if (
            i >= 0
            and hashes[i] == h
            and _equal(data, start, end, stored, stored_start[i], stored_start[i + 1])
        ):
            ids[p] = i
            continue
        slot = _find(data, start, end, h, table, stored, stored_start, hashes)
        i = table[slot]
        if i < 0:
            i = n
            stored = _grown_to(stored, stored_start[i] + end - start)
            stored[stored_start[i] : stored_start[i] + end - start] = data[start:end]
            stored_start = _grown_to(stored_start, i + 2)
            stored_start[i + 1] = stored_start[i] + end - start
            hashes = _grown_to(hashes, i + 1)
            hashes[i] = h
            table[slot] = i
            first[i - n0] = p
            n += 1
            if 2 * n > table.shape[0]:  # half full: rebuild twice as large
                table = _rebuilt(table, hashes, n)
        recent[r] = i
        ids[p] = i
    return ids, table, stored, stored_start, hashes, n, first[: n - n0]


@numba.njit(cache=True, nogil=True)
def _code_point(data, q):  # pragma: no cover - numba
    """(code point, length) of the UTF-8 sequence at data[q] (surrogates encoded as 3 bytes)."""
    b = np.int64(data[q])
    if b < 0x80:
        return b, 1
    if b < 0xE0:
        return ((b & 0x1F) << 6) | (np.int64(data[q + 1]) & 0x3F), 2
    if b < 0xF0:
        return (
            ((b & 0x0F) << 12)
            | ((np.int64(data[q + 1]) & 0x3F) << 6)
            | (np.int64(data[q + 2]) & 0x3F)
        ), 3
    return 0x10000, 4  # outside the whitespace table


@numba.njit(cache=True, nogil=True)
def word_spans(data, starts, ends, space):  # pragma: no cover - numba
    """The words (runs of non-whitespace, as str.split) of the names data[starts[p]:ends[p]]
    → (words per name, each word's start and end in data)."""
    n = starts.shape[0]
    counts = np.zeros(n, dtype=np.int64)
    w_start = np.empty(16, dtype=np.int64)
    w_end = np.empty(16, dtype=np.int64)
    k = 0
    for p in range(n):
        q = starts[p]
        end = ends[p]
        inside = False
        while q < end:
            cp, length = _code_point(data, q)
            white = cp < space.shape[0] and space[cp]
            if not white and not inside:
                w_start = _grown_to(w_start, k + 1)
                w_end = _grown_to(w_end, k + 1)
                w_start[k] = q
                counts[p] += 1
                k += 1
            elif white and inside:
                w_end[k - 1] = q
            inside = not white
            q += length
        if inside:
            w_end[k - 1] = end
    return counts, w_start[:k], w_end[:k]


@numba.njit(cache=True, nogil=True)
def add_joins(table, count, left, right, joined):  # pragma: no cover - numba
    """The table of joined token pairs (left, right) → joined token (laid out as the
    similarity's table of token pairs: :func:`reckon.text._kernel._slot`), with these added."""
    for r in range(left.shape[0]):
        if 4 * (count + 1) > table.shape[0]:  # half of the slots used
            table = _rehash(table, table.shape[0])
        key = (np.int64(left[r]) << 32) | np.int64(right[r])
        h = _slot(table, key)
        if table[2 * h] == _EMPTY:
            table[2 * h] = key
            count += 1
        table[2 * h + 1] = joined[r]
    return table, count


@numba.njit(cache=True, nogil=True, inline="always")
def _joined(table, left, right):  # pragma: no cover - numba
    """The token joining left and right, or -1 when it is not in the table."""
    h = _slot(table, (np.int64(left) << 32) | np.int64(right))
    return table[2 * h + 1] if table[2 * h] != _EMPTY else -1


@numba.njit(cache=True, nogil=True)
def _parse(toks, n, flags, joins):  # pragma: no cover - numba
    """The rules of parsing._parse_tokens on toks[:n], in place → (tokens left, and the pair
    whose join is missing, or (-1, -1))."""
    any_affix = False
    any_honorific = False
    any_first = False
    for i in range(n):
        f = flags[toks[i]]
        any_affix |= (f & _AFFIX) != 0
        any_honorific |= (f & IS_HONORIFIC) != 0
        any_first |= (f & IS_COMPOUND_FIRST) != 0
    if n < 2 or not (any_affix or any_honorific or any_first):
        return n, -1, -1
    if any_affix:  # parsing._join_affixes
        m = 0
        glue_next = False
        for i in range(n):
            t = toks[i]
            f = flags[t]
            if f & IS_BIDIRECTIONAL and i < n - 1 and not glue_next:
                toks[m] = t
                m += 1
                glue_next = True
                continue
            if (glue_next and m > 0) or (m > 0 and f & (IS_SUFFIX | IS_PARTICLE)):
                j = _joined(joins, toks[m - 1], t)
                if j < 0:
                    return n, toks[m - 1], t
                toks[m - 1] = j
                glue_next = (f & (IS_PREFIX | IS_PARTICLE if glue_next else IS_PARTICLE)) != 0
                continue
            toks[m] = t
            m += 1
            glue_next = (f & IS_PREFIX) != 0
        n = m
        any_honorific = False
        for i in range(n):
            any_honorific |= (flags[toks[i]] & IS_HONORIFIC) != 0
    if any_honorific:  # honorifics set apart, unless nothing else is left
        m = 0
        for i in range(n):
            if not flags[toks[i]] & IS_HONORIFIC:
                m += 1
        if m > 0:
            m = 0
            for i in range(n):
                if not flags[toks[i]] & IS_HONORIFIC:
                    toks[m] = toks[i]
                    m += 1
            n = m
    i = 0
    while i < n - 1:  # compound given names
        if flags[toks[i]] & IS_COMPOUND_FIRST and flags[toks[i + 1]] & IS_COMPOUND_SECOND:
            j = _joined(joins, toks[i], toks[i + 1])
            if j < 0:
                return n, toks[i], toks[i + 1]
            toks[i] = j
            for r in range(i + 1, n - 1):
                toks[r] = toks[r + 1]
            n -= 1
        i += 1
    return n, -1, -1


@numba.njit(cache=True, nogil=True)
def compose(
    names, first, name_words, name_word_start, word_toks, word_tok_start, word_whole, flags,
    skel, skel_start, joins, tids, n_tids, tid_start, tid_end,
    key_bytes, n_key_bytes, key_start, key_end,
):  # pragma: no cover - numba  # fmt: skip
    """Compose the names ``names`` (ids; name p's words are name_words[name_word_start[p -
    first]:name_word_start[p - first + 1]]) from their words' tokens.

    A composed name's tokens with symbols are written to tids[tid_start[p]:tid_end[p]] and
    its key (the tokens' skeletons joined, :func:`reckon.text.parsing._join_keys`) to
    key_bytes[key_start[p]:key_end[p]]. Returns (each name's outcome, :data:`DONE`,
    :data:`PENDING` or :data:`WHOLE`; the missing pairs of the pending ones; the arrays,
    maybe grown, and their counts).
    """
    status = np.zeros(names.shape[0], dtype=np.uint8)
    miss_left = np.empty(names.shape[0], dtype=np.int64)
    miss_right = np.empty(names.shape[0], dtype=np.int64)
    n_miss = 0
    toks = np.empty(64, dtype=np.int64)
    for k in range(names.shape[0]):
        p = names[k]
        n = 0
        whole = False
        for r in range(name_word_start[p - first], name_word_start[p - first + 1]):
            w = name_words[r]
            if word_whole[w]:
                whole = True
                break
            w0 = word_tok_start[w]
            w1 = word_tok_start[w + 1]
            toks = _grown_to(toks, n + w1 - w0)
            for s in range(w0, w1):
                toks[n] = word_toks[s]
                n += 1
        if whole:
            status[k] = WHOLE
            continue
        n, left, right = _parse(toks, n, flags, joins)
        if left >= 0:
            status[k] = PENDING
            miss_left[n_miss] = left
            miss_right[n_miss] = right
            n_miss += 1
            continue
        tids = _grown_to(tids, n_tids + n)
        tid_start[p] = n_tids
        for i in range(n):
            if not flags[toks[i]] & NO_SYMBOLS:
                tids[n_tids] = toks[i]
                n_tids += 1
        tid_end[p] = n_tids
        key_bytes, n_key_bytes = _join_key(
            toks, n, skel, skel_start, key_bytes, n_key_bytes, key_start, key_end, p
        )
    return (
        status, miss_left[:n_miss], miss_right[:n_miss], tids, n_tids, key_bytes, n_key_bytes,
    )  # fmt: skip


@numba.njit(cache=True, nogil=True)
def _join_key(toks, n, skel, skel_start, out, n_out, key_start, key_end, p):  # pragma: no cover
    """The skeletons of toks[:n] joined as parsing._join_keys joins them (a symbol shared
    across a join once; n + q read n + g, then doubled symbols collapsed) → out[n_out:]."""
    length = 0
    for i in range(n):
        length += skel_start[toks[i] + 1] - skel_start[toks[i]]
    out = _grown_to(out, n_out + length)
    start = n_out
    for i in range(n):
        s0 = skel_start[toks[i]]
        s1 = skel_start[toks[i] + 1]
        if s0 == s1:
            continue
        if n_out > start and out[n_out - 1] == skel[s0]:
            s0 += 1
        for s in range(s0, s1):
            out[n_out] = skel[s]
            n_out += 1
    has_nq = False
    for q in range(start, n_out - 1):
        if out[q] == _N and out[q + 1] == _Q:
            has_nq = True
            break
    if has_nq:
        for q in range(start, n_out - 1):
            if out[q] == _N and out[q + 1] == _Q:
                out[q + 1] = _G
        m = start
        for q in range(start, n_out):
            if m == start or out[q] != out[m - 1]:
                out[m] = out[q]
                m += 1
        n_out = m
    key_start[p] = start
    key_end[p] = n_out
    return out, n_out


@numba.njit(cache=True, nogil=True)
def gather(ids, stored, start, end):  # pragma: no cover - numba
    """stored[start[i]:end[i]] for each i in ids, concatenated → (bytes, offsets)."""
    offsets = np.empty(ids.shape[0] + 1, dtype=np.int64)
    offsets[0] = 0
    for k in range(ids.shape[0]):
        offsets[k + 1] = offsets[k] + end[ids[k]] - start[ids[k]]
    out = np.empty(offsets[-1], dtype=np.uint8)
    for k in range(ids.shape[0]):
        out[offsets[k] : offsets[k + 1]] = stored[start[ids[k]] : end[ids[k]]]
    return out, offsets
