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

import gc
from collections.abc import Sequence

import numpy as np

from reckon.text.names import _parse
from reckon.text.phonetic import ALPHABET, CODE, CONSONANTS, token_symbols

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

# --- encoding ----------------------------------------------------------------------------------


_ENCODED_MEMO: dict[str, tuple[tuple[bytes, bool], ...]] = {}
_TOKEN_MEMO: dict[str, tuple[bytes, bool]] = {}


def _token_codes(token: str) -> tuple[bytes, bool]:
    symbols, persian = token_symbols(token)
    out = (bytes(CODE[c] for c in symbols), persian)
    if len(_TOKEN_MEMO) >= 1 << 20:
        _TOKEN_MEMO.clear()
    _TOKEN_MEMO[token] = out
    return out


def _encoded(name: str) -> tuple[tuple[bytes, bool], ...]:
    """Per token: (symbol codes, is_persian); empty tokens dropped (memoized)."""
    enc = _ENCODED_MEMO.get(name)
    if enc is not None:
        return enc
    get = _TOKEN_MEMO.get
    enc = tuple(c for t in _parse(name).tokens if (c := get(t) or _token_codes(t))[0])
    if len(_ENCODED_MEMO) >= 1 << 20:
        _ENCODED_MEMO.clear()
    _ENCODED_MEMO[name] = enc
    return enc


def clear_caches() -> None:
    """Forget memoized encodings (for benchmarks and tests)."""
    _ENCODED_MEMO.clear()
    _TOKEN_MEMO.clear()


def _pack(names: Sequence[str | None]):
    chunks: list[bytes] = []
    tok_start = [0]
    tok_persian: list[int] = []
    name_tok = [0]
    pos = 0
    for name in names:
        for codes, persian in _encoded(name) if name else ():
            chunks.append(codes)
            pos += len(codes)
            tok_start.append(pos)
            tok_persian.append(persian)
        name_tok.append(len(tok_persian))
    sym = np.frombuffer(b"".join(chunks), dtype=np.uint8) if chunks else np.zeros(1, np.uint8)
    return (
        sym,
        np.asarray(tok_start, dtype=np.int64),
        np.asarray(tok_persian, dtype=np.int64) if tok_persian else np.zeros(1, np.int64),
        np.asarray(name_tok, dtype=np.int64),
    )


def name_similarity_batch(a: Sequence[str | None], b: Sequence[str | None]) -> np.ndarray:
    """Pairwise :func:`name_similarity` of ``a[i]`` and ``b[i]`` as a float64 array.

    Each distinct name is parsed once, then all pairs are scored in one compiled loop.
    """
    if len(a) != len(b):
        raise ValueError(f"a and b must have the same length ({len(a)} != {len(b)})")
    gc_was_enabled = gc.isenabled()
    gc.disable()  # many small objects, no cycles: the cycle collector only slows this down
    try:
        unique = dict.fromkeys(a)
        unique.update(dict.fromkeys(b))
        position = {name: i for i, name in enumerate(unique)}
        ia = np.array(list(map(position.__getitem__, a)), dtype=np.int64)
        ib = np.array(list(map(position.__getitem__, b)), dtype=np.int64)
        sym, tok_start, tok_persian, name_tok = _pack(list(unique))
    finally:
        if gc_was_enabled:
            gc.enable()
    from reckon.text._kernel import _scores

    params = np.array([WORST_TOKEN_WEIGHT, UNMATCHED_PENALTY, FIRST_CONSONANT_COST, FINAL_I_COST])
    return _scores(sym, tok_start, tok_persian, name_tok, ia, ib, _SUB, _GAP, params)


def name_similarity(a: str | None, b: str | None) -> float:
    """Similarity of two names in any scripts, 0 (nothing alike) to 1 (same sounds). Empty → 0.

    >>> name_similarity("Mohammad-Reza Rezaei", "محمد رضا رضائی")
    1.0
    """
    return float(name_similarity_batch([a], [b])[0])
