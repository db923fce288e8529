"""Graded similarity (0..1) between two names in any scripts.

Each name is parsed (:func:`reckon.text.normalize_name`: honorifics removed, compounds joined,
"SURNAME, Given" reordered) and each token turned into a phonetic symbol sequence
(:mod:`reckon.text.phonetic`). Two tokens are compared by a weighted edit distance whose costs
know the scripts: a Latin short vowel is free against Persian script (which does not write it)
and cheap against another Latin spelling; Persian و matches u/ou/oo/v at no cost and o almost
none, but a/e badly; ی matches i/y/ee; ا matches a; similar consonants (q/g/k, x/h, b/p, t/d, s/sh)
cost half. ``token similarity = 1 - cost / weight`` of the heavier token.

A name's tokens are matched to the other's best-first (so order does not matter); the score
blends the worst matched token (one wrong token means another person: Mohammad/Mahmoud Nouri)
with their weighted mean, and an unmatched token (a missing middle or father's name) lowers it
by a fraction of its weight. When the token counts differ the whole names are also compared
end to end (a compound written apart). The kernel is compiled with numba.

Speed comes from repetition: lists repeat a few thousand given names and surnames, so names
are interned as sequences of token ids (parsed once, word by word, by the name store of
:mod:`reckon.text._store`, which :func:`reckon.text.name_keys_batch` shares) and the
similarity of a *pair of tokens* is memoized in a hash table kept between calls; a full-name
score is then a few lookups and a best-first matching of a 2×2 matrix. Memoized values do not
depend on what was asked before (see :mod:`reckon.text._kernel`), so a score is the same in any
batch, warm or cold, and :func:`name_similarity` equals :func:`name_similarity_batch`.

>>> name_similarity("حمید نوری", "Hamid Noury")
1.0
>>> name_similarity("NOURI, Hamid", "Hamid Nuri") >= DEFAULT_SIMILARITY_THRESHOLD
True
>>> name_similarity("Hosseini", "Hassani") < DEFAULT_SIMILARITY_THRESHOLD
True
>>> name_similarity("محمود نوری", "Mohammad Nouri") < DEFAULT_SIMILARITY_THRESHOLD
True
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from reckon.text._store import STORE, NameStore
from reckon.text.phonetic import ALPHABET, CODE, CONSONANTS

#: Scores at or above this mean "probably the same name" (tuned on the dev split of
#: benchmarks/data/name_pairs.csv; see benchmarks/RESULTS.md).
DEFAULT_SIMILARITY_THRESHOLD = 0.86
#: Weight of the worst matched token in the score (the rest is the weighted mean).
WORST_TOKEN_WEIGHT = 0.8
#: Fraction of an unmatched token's weight that counts against the score.
UNMATCHED_PENALTY = 0.15

# --- cost tables --------------------------------------------------------------------------------

_K = len(ALPHABET)
_SIMILAR_CONSONANTS = ["qgk", "xh", "bp", "td", "sS", "SC", "zj", "sz", "mn", "vf"]
_VOWEL_COSTS = {
    # Latin vowels among themselves
    ("a", "e"): 0.3,
    ("a", "o"): 0.3,
    ("e", "o"): 0.3,
    ("o", "u"): 0.2,
    ("a", "u"): 0.5,
    ("e", "u"): 0.5,
    ("I", "e"): 0.4,
    ("I", "a"): 0.9,
    ("I", "o"): 0.9,
    ("I", "u"): 0.9,
    # Persian ا / و / ی against Latin vowels
    ("Â", "a"): 0.0,
    ("Â", "e"): 0.5,
    ("Â", "o"): 0.5,
    ("Â", "u"): 1.0,
    ("Â", "U"): 1.0,
    ("Â", "I"): 1.0,
    ("W", "u"): 0.0,
    ("W", "U"): 0.0,
    ("U", "u"): 0.05,
    ("U", "o"): 0.2,
    ("U", "a"): 0.6,
    ("U", "e"): 0.6,
    ("U", "I"): 0.7,
    ("U", "v"): 0.3,
    ("U", "Â"): 1.0,
    ("w", "u"): 0.0,
    ("w", "U"): 0.0,
    ("w", "o"): 0.0,
    ("w", "a"): 0.3,
    ("w", "e"): 0.3,
    ("w", "W"): 0.0,
    ("U", "Y"): 0.8,
    ("'", "U"): 0.3,
    ("W", "o"): 0.1,
    ("W", "v"): 0.0,
    ("W", "a"): 1.0,
    ("W", "e"): 1.0,
    ("W", "I"): 1.0,
    ("Y", "I"): 0.0,
    ("Y", "e"): 0.5,
    ("Y", "a"): 1.0,
    ("Y", "o"): 1.0,
    ("Y", "u"): 1.0,
    ("Y", "U"): 1.0,
    ("Y", "v"): 0.9,
    # Persian among themselves
    ("Â", "W"): 0.8,
    ("Â", "Y"): 0.8,
    ("W", "Y"): 0.8,
    ("'", "Â"): 0.2,
    # the vowel carrier (initial ا, ع, ء) takes any vowel
    ("'", "a"): 0.05,
    ("'", "e"): 0.05,
    ("'", "o"): 0.05,
    ("'", "u"): 0.1,
    ("'", "I"): 0.2,
    ("'", "Y"): 0.3,
    ("'", "W"): 0.3,
    # final a / ا
    ("A", "a"): 0.1,
    ("A", "Â"): 0.1,
    ("A", "e"): 0.4,
    ("A", "h"): 0.6,
    ("v", "u"): 0.3,
}
#: Cost of leaving a symbol unmatched when the other token is Latin / Persian.
_GAP_VS_LATIN = {
    "a": 0.3,
    "e": 0.3,
    "o": 0.3,
    "u": 0.4,
    "U": 0.5,
    "I": 1.0,
    "A": 0.8,
    "Â": 1.0,
    "W": 1.0,
    "w": 0.2,
    "Y": 1.0,
    "'": 0.05,
}
_GAP_VS_PERSIAN = {
    "a": 0.0,
    "e": 0.0,
    "o": 0.0,
    "u": 0.7,
    "U": 1.0,
    "I": 1.0,
    "A": 0.8,
    "Â": 1.0,
    "W": 1.0,
    "w": 0.2,
    "Y": 1.0,
    "'": 0.1,
}


def _build_tables() -> tuple[np.ndarray, np.ndarray]:
    sub = np.ones((_K, _K), dtype=np.float64)
    np.fill_diagonal(sub, 0.0)
    for group in _SIMILAR_CONSONANTS:
        for x in group:
            for y in group:
                if x != y:
                    sub[CODE[x], CODE[y]] = min(sub[CODE[x], CODE[y]], 0.5)
    for (x, y), c in _VOWEL_COSTS.items():
        sub[CODE[x], CODE[y]] = sub[CODE[y], CODE[x]] = c
    gap = np.ones((2, _K), dtype=np.float64)  # gap[other_is_persian, symbol]
    for table, row in ((_GAP_VS_LATIN, 0), (_GAP_VS_PERSIAN, 1)):
        for x, c in table.items():
            gap[row, CODE[x]] = c
    for x in CONSONANTS:
        gap[:, CODE[x]] = 1.0
    return sub, gap


_SUB, _GAP = _build_tables()
#: Extra cost when two tokens start with different consonants (Ahmad/Mohammad, Hossein/Mohsen).
FIRST_CONSONANT_COST = 1.0
#: Extra cost when one token ends in an i-sound and the other does not (Mohammad/Mohammadi).
FINAL_I_COST = 0.5

# --- the token-pair table ---------------------------------------------------------------------

#: Slots of the token-pair table (about 16 bytes each; emptied when half full at this size).
MAX_PAIR_SLOTS = 1 << 22
_CHUNK = 1 << 20  # pairs per kernel call (bounds the names interned by one call)
#: The table is bypassed for _BYPASS token pairs when fewer than _MIN_HITS of a _WINDOW of
#: lookups hit (see _kernel.scores).
_WINDOW = 1 << 16
_MIN_HITS = 0.3
_BYPASS = 1 << 20


class _TokenPairs:
    """The memo of token-pair similarities (keyed by token ids of the name store, so it is
    emptied with it) and each token's weight against its own script."""

    def __init__(self) -> None:
        self.generation = -1
        self.table = np.full(2 << 16, -1, dtype=np.int64)
        self.count = 0
        self.weight = np.empty(0, dtype=np.float64)

    def sync(self, store: NameStore) -> None:
        """Forget the table if the store forgot its tokens; weigh the store's new tokens."""
        if self.generation != store.generation:
            self.generation = store.generation
            self.table = np.full(2 << 16, -1, dtype=np.int64)
            self.count = 0
            self.weight = np.empty(0, dtype=np.float64)
        n, m = len(self.weight), len(store.tokens)
        if m > n:
            self.weight = np.concatenate((self.weight, _token_weights(store, n, m)))


def _token_weights(store: NameStore, lo: int, hi: int) -> np.ndarray:
    """What tokens lo..hi-1 cost unmatched: their symbols' gap costs against their own script
    (0 for a token without symbols, which names leave out)."""
    starts = store.sym_start[lo : hi + 1]
    lengths = np.diff(starts)
    out = np.zeros(hi - lo, dtype=np.float64)
    some = np.flatnonzero(lengths)
    if len(some):
        codes = store.sym[starts[0] : starts[-1]]
        persian = np.repeat(store.persian[lo:hi], lengths)
        out[some] = np.add.reduceat(_GAP[persian, codes], (starts[some] - starts[0]))
    return out


_PAIRS = _TokenPairs()


def clear_caches() -> None:
    """Forget interned names and tokens and the token-pair table (for benchmarks and tests)."""
    with STORE.lock:
        STORE.clear()


def name_similarity_batch(a: Sequence[str | None], b: Sequence[str | None]) -> np.ndarray:
    """Pairwise :func:`name_similarity` of ``a[i]`` and ``b[i]`` as a float64 array.

    Each distinct name is parsed once and each distinct pair of tokens aligned once (both are
    remembered between calls, up to :data:`reckon.text._store.MAX_NAMES` names and
    :data:`~reckon.text._store.MAX_TOKENS` tokens, and
    :data:`MAX_PAIR_SLOTS` table slots); then all pairs are scored in one compiled loop.
    Thread-safe (calls are serialized).
    """
    if len(a) != len(b):
        raise ValueError(f"a and b must have the same length ({len(a)} != {len(b)})")
    from reckon.text._kernel import scores

    params = np.array([WORST_TOKEN_WEIGHT, UNMATCHED_PENALTY, FIRST_CONSONANT_COST, FINAL_I_COST])
    out = np.empty(len(a), dtype=np.float64)
    st = STORE
    with st.lock:
        for lo in range(0, len(a), _CHUNK):
            if st.full:
                st.clear()
            if len(a) == 1:  # one pair (name_similarity): one lookup of both names
                both = st.ids([a[0], b[0]])
                ia, ib = both[:1], both[1:]
            else:
                whole = len(a) <= _CHUNK  # one chunk: no copy of the lists
                ia = st.ids(a if whole else a[lo : lo + _CHUNK])
                ib = st.ids(b if whole else b[lo : lo + _CHUNK])
            pairs = _PAIRS
            pairs.sync(st)
            out[lo : lo + len(ia)], pairs.table, pairs.count = scores(
                ia, ib, st.tid_start, st.tid_end, st.tids, st.sym, st.sym_start, st.persian,
                pairs.weight, st.max_symbols, _SUB, _GAP, params, pairs.table, pairs.count,
                MAX_PAIR_SLOTS, _WINDOW, _MIN_HITS, _BYPASS,
            )  # fmt: skip
    return out


def name_similarity(a: str | None, b: str | None) -> float:
    """Similarity of two names in any scripts, 0 (nothing alike) to 1 (same sounds). Empty → 0.

    >>> name_similarity("Mohammad-Reza Rezaei", "محمد رضا رضائی")
    1.0
    """
    return float(name_similarity_batch([a], [b])[0])
