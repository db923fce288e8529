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
are interned as sequences of token ids (parsed once, word by word) and the similarity of a
*pair of tokens* is memoized in a hash table kept between calls; a full-name score is then a
few lookups and a best-first matching of a 2×2 matrix. Memoized values do not depend on what
was asked before (see :mod:`reckon.text._kernel`), so a score is the same in any batch, warm
or cold, and :func:`name_similarity` equals :func:`name_similarity_batch`.

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
import threading
from collections.abc import Sequence
from itertools import chain, compress

import numpy as np

from reckon.text.parsing import (
    _AFFIX_BIT,
    _COMPOUND_BIT,
    _PARSE_MEMO,
    _WORD_MEMO,
    COMPOUND_FIRST,
    COMPOUND_SECOND,
    _clean_word,
    _parse_tokens,
    _split,
)
from reckon.text.persian import _NEEDS_NFKC
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
_AS_CODE = str.maketrans({c: chr(i) for c, i in CODE.items()})  # symbol → code, one byte
#: Extra cost when two tokens start with different consonants (Ahmad/Mohammad, Hossein/Mohsen).
FIRST_CONSONANT_COST = 1.0
#: Extra cost when one token ends in an i-sound and the other does not (Mohammad/Mohammadi).
FINAL_I_COST = 0.5

# --- interning --------------------------------------------------------------------------------

#: Cache limits: interned tokens and names (all caches are emptied when one is reached), and
#: slots of the token-pair table (about 16 bytes each; emptied when half full at this size).
MAX_TOKENS = 1 << 20
MAX_NAMES = 1 << 20
MAX_PAIR_SLOTS = 1 << 22
#: Flags of an interned word (see _Interned._add_words; the values are _kernel's).
_WHOLE, _FIRST, _SECOND = 1, 2, 4
_CHUNK = 1 << 20  # pairs per kernel call (bounds the names interned by one call)
#: The table is bypassed for _BYPASS token pairs when fewer than _MIN_HITS of a _WINDOW of
#: lookups hit (see _kernel.scores).
_WINDOW = 1 << 16
_MIN_HITS = 0.3
_BYPASS = 1 << 20


def _grown(array: np.ndarray, need: int) -> np.ndarray:
    if need <= array.shape[0]:
        return array
    out = np.empty(max(need, 2 * array.shape[0]), dtype=array.dtype)
    out[: array.shape[0]] = array
    return out


class _Interned:
    """Tokens and names as ids into flat arrays for the kernel, and the token-pair table."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        self.token_ids: dict[str, int] = {}  # token → id, -1 when it has no symbols
        self.sym = np.empty(1 << 16, dtype=np.uint8)
        self.n_sym = 0
        self.tok_start = np.zeros(1 << 12, dtype=np.int64)  # token t: sym[start[t]:start[t+1]]
        self.tok_persian = np.empty(1 << 12, dtype=np.int64)
        self.tok_weight = np.empty(1 << 12, dtype=np.float64)
        self.n_tok = 0
        self.max_len = 1
        # whitespace-free pieces of names ("words"), interned by _kernel.split_words: word w
        # is the code points word_text[word_text_start[w]:word_text_start[w+1]]; its token
        # ids are word_tids[word_start[w]:word_start[w+1]], its flags word_flags[w]
        self.word_table = np.full(1 << 12, -1, dtype=np.int64)
        self.word_text = np.empty(1 << 16, dtype=np.uint32)
        self.word_text_start = np.zeros(1 << 12, dtype=np.int64)
        self.word_hash = np.empty(1 << 12, dtype=np.uint64)
        self.word_start = np.zeros(1 << 12, dtype=np.int64)
        self.word_tids = np.empty(1 << 12, dtype=np.int32)
        self.word_flags = np.empty(1 << 12, dtype=np.uint8)
        self.n_words = 0
        self.name_ids: dict[str | None, int] = {None: 0, "": 0}  # name 0: no tokens
        self.name_start = np.zeros(1 << 12, dtype=np.int64)  # name n: tids[start[n]:start[n+1]]
        self.name_tids = np.empty(1 << 14, dtype=np.int32)
        self.n_names = 1
        self.n_tids = 0
        self.table = np.full(2 << 16, -1, dtype=np.int64)  # token pairs (see _kernel._slot)
        self.count = 0

    def _add_tokens(self, tokens: list[str]) -> None:
        codes = []
        for token in tokens:
            symbols, persian = token_symbols(token)
            data = symbols.translate(_AS_CODE).encode("latin-1")
            if not data:
                self.token_ids[token] = -1
                continue
            self.token_ids[token] = self.n_tok + len(codes)
            codes.append((data, persian))
        if not codes:
            return
        n, m = self.n_tok, len(codes)
        joined = b"".join(c for c, _ in codes)
        self.sym = _grown(self.sym, self.n_sym + len(joined))
        self.sym[self.n_sym : self.n_sym + len(joined)] = np.frombuffer(joined, dtype=np.uint8)
        lengths = np.array([len(c) for c, _ in codes], dtype=np.int64)
        persian = np.array([p for _, p in codes], dtype=np.int64)
        self.tok_start = _grown(self.tok_start, n + m + 1)
        self.tok_start[n + 1 : n + m + 1] = self.n_sym + np.cumsum(lengths)
        self.tok_persian = _grown(self.tok_persian, n + m)
        self.tok_persian[n : n + m] = persian
        # weight of a token against its own script: what it costs unmatched
        weights = np.add.reduceat(
            _GAP[np.repeat(persian, lengths), np.frombuffer(joined, dtype=np.uint8)],
            np.concatenate(([0], np.cumsum(lengths)[:-1])),
        )
        self.tok_weight = _grown(self.tok_weight, n + m)
        self.tok_weight[n : n + m] = weights
        self.n_sym += len(joined)
        self.n_tok += m
        self.max_len = max(self.max_len, int(lengths.max()))

    def _add_words(self, words: list[str]) -> None:
        """Intern whitespace-free pieces of names, new, in the order of their ids (given by
        _kernel.split_words): their token ids and flags: ``_WHOLE`` for a piece with a comma, presentation forms, an affix, an
        honorific or a compound inside (names with it are parsed whole), ``_FIRST`` when it
        ends with a word that may start a compound given name, ``_SECOND`` when it starts
        with one that may end it."""
        get = _WORD_MEMO.get
        # a name has a comma or presentation forms (cleaned whole, see parsing._split) when
        # one of its pieces has: none of these characters is whitespace
        cleaned = [
            None
            if "," in word or "،" in word or (not word.isascii() and _NEEDS_NFKC.search(word))
            else get(word) or _clean_word(word)
            for word in words
        ]
        ids = self.token_ids
        new = [
            t
            for c in cleaned
            if c is not None and not c.bits & _AFFIX_BIT
            for t in c.tokens
            if t not in ids
        ]
        if new:
            self._add_tokens(list(dict.fromkeys(new)))
        flags: list[int] = []
        tids: list[int] = []
        counts: list[int] = []
        for c in cleaned:
            if c is None or c.bits & _AFFIX_BIT:
                flags.append(_WHOLE)
                counts.append(0)
                continue
            sk = c.skeletons
            if c.bits & _COMPOUND_BIT and any(
                sk[i] in COMPOUND_FIRST and sk[i + 1] in COMPOUND_SECOND for i in range(len(sk) - 1)
            ):
                flags.append(_WHOLE)
                counts.append(0)
                continue
            flags.append(
                (_FIRST if c.bits & _COMPOUND_BIT and sk[-1] in COMPOUND_FIRST else 0)
                | (_SECOND if sk and sk[0] in COMPOUND_SECOND else 0)
            )
            before = len(tids)
            tids += [i for t in c.tokens if (i := ids[t]) >= 0]
            counts.append(len(tids) - before)
        n, m = self.n_words, len(words)
        self.word_flags = _grown(self.word_flags, n + m)
        self.word_flags[n : n + m] = flags
        self.word_start = _grown(self.word_start, n + m + 1)
        self.word_start[n + 1 : n + m + 1] = self.word_start[n] + np.cumsum(counts)
        self.word_tids = _grown(self.word_tids, self.word_start[n + m])
        self.word_tids[self.word_start[n] : self.word_start[n + m]] = tids
        self.n_words += m

    def add_names(self, names: list[str]) -> None:
        """Intern new names (distinct, not yet interned): each name's token ids are its
        words' (see :meth:`_add_words`), put together by a compiled loop, unless a word or a
        compound across two words needs the whole-name parse.

        The names are split into words by a compiled loop too, on their code points, which
        makes no Python string of a word seen before (splitting them with str.split took as
        long as cleaning all the new words).
        """
        from reckon.text._kernel import compose_names, separators, split_words

        text = "\0".join(names)
        code_points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        if text.count("\0") == len(names) - 1:  # no name has one: the separators end them
            ends = separators(code_points, 0, len(names) - 1)
        else:
            ends = np.cumsum(np.array([len(n) + 1 for n in names], dtype=np.int64)) - 1
        (
            n_words, words, new_start, new_end, self.word_table, self.word_text,
            self.word_text_start, self.word_hash, n_interned,
        ) = split_words(
            code_points, ends, self.word_table, self.word_text, self.word_text_start,
            self.word_hash, self.n_words,
        )  # fmt: skip
        if n_interned > self.n_words:
            spans = zip(new_start.tolist(), new_end.tolist(), strict=True)
            self._add_words([text[start:end] for start, end in spans])
        counts, whole, tids = compose_names(
            n_words, words, self.word_start, self.word_tids, self.word_flags
        )
        plain = names
        whole_names: list[str] = []
        if whole.any():
            plain = list(compress(names, (~whole).tolist()))
            whole_names = list(compress(names, whole.tolist()))
            counts = counts[~whole]
        next_id = self.n_names
        self.name_ids.update(zip(plain, range(next_id, next_id + len(plain)), strict=True))
        if whole_names:
            parsed = [_tokens_of(name) for name in whole_names]
            token_ids = self.token_ids
            new_tokens = list(dict.fromkeys(t for ts in parsed for t in ts if t not in token_ids))
            if new_tokens:
                self._add_tokens(new_tokens)
            more = [[i for t in ts if (i := token_ids[t]) >= 0] for ts in parsed]
            next_id += len(plain)
            self.name_ids.update(zip(whole_names, range(next_id, next_id + len(more)), strict=True))
            counts = np.concatenate((counts, np.array([len(x) for x in more], dtype=np.int64)))
            tids = np.concatenate((tids, np.fromiter(chain.from_iterable(more), dtype=np.int32)))
        n, m = self.n_names, len(counts)
        self.name_start = _grown(self.name_start, n + m + 1)
        self.name_start[n + 1 : n + m + 1] = self.n_tids + np.cumsum(counts, dtype=np.int64)
        self.name_tids = _grown(self.name_tids, self.n_tids + len(tids))
        self.name_tids[self.n_tids : self.n_tids + len(tids)] = tids
        self.n_names += m
        self.n_tids += len(tids)

    def ids(self, names: Sequence[str | None]) -> np.ndarray:
        known = self.name_ids
        try:  # all names seen before: one pass
            out = list(map(known.__getitem__, names))
        except KeyError:  # the first new name stops it: dedupe, intern, then one pass
            self.add_names([n for n in dict.fromkeys(names) if n not in known])
            out = list(map(known.__getitem__, names))
        return np.array(out, dtype=np.int64)


def _tokens_of(name: str) -> tuple[str, ...]:
    parsed = _PARSE_MEMO.get(name)
    return (parsed or _parse_tokens(*_split(name))).tokens


_STORE = _Interned()


def clear_caches() -> None:
    """Forget interned names and tokens and the token-pair table (for benchmarks and tests)."""
    with _STORE.lock:
        _STORE.clear()


def name_similarity_batch(a: Sequence[str | None], b: Sequence[str | None]) -> np.ndarray:
    """Pairwise :func:`name_similarity` of ``a[i]`` and ``b[i]`` as a float64 array.

    Each distinct name is parsed once and each distinct pair of tokens aligned once (both are
    remembered between calls, up to :data:`MAX_NAMES` names, :data:`MAX_TOKENS` tokens and
    :data:`MAX_PAIR_SLOTS` table slots); then all pairs are scored in one compiled loop.
    Thread-safe (calls are serialized).
    """
    if len(a) != len(b):
        raise ValueError(f"a and b must have the same length ({len(a)} != {len(b)})")
    from reckon.text._kernel import scores

    params = np.array([WORST_TOKEN_WEIGHT, UNMATCHED_PENALTY, FIRST_CONSONANT_COST, FINAL_I_COST])
    out = np.empty(len(a), dtype=np.float64)
    st = _STORE
    gc_was_enabled = gc.isenabled()
    with st.lock:
        for lo in range(0, len(a), _CHUNK):
            if st.n_names > MAX_NAMES or st.n_tok > MAX_TOKENS or st.n_words > MAX_TOKENS:
                st.clear()
            gc.disable()  # many small objects, no cycles: the cycle collector only slows this
            try:
                whole = len(a) <= _CHUNK  # one chunk: no copy of the lists
                ia = st.ids(a if whole else a[lo : lo + _CHUNK])
                ib = st.ids(b if whole else b[lo : lo + _CHUNK])
            finally:
                if gc_was_enabled:
                    gc.enable()
            out[lo : lo + len(ia)], st.table, st.count = scores(
                ia, ib, st.name_start, st.name_tids, st.sym, st.tok_start, st.tok_persian,
                st.tok_weight, st.max_len, _SUB, _GAP, params, st.table, st.count,
                MAX_PAIR_SLOTS, _WINDOW, _MIN_HITS, _BYPASS,
            )  # fmt: skip
    return out


def name_similarity(a: str | None, b: str | None) -> float:
    """Similarity of two names in any scripts, 0 (nothing alike) to 1 (same sounds). Empty → 0.

    >>> name_similarity("Mohammad-Reza Rezaei", "محمد رضا رضائی")
    1.0
    """
    return float(name_similarity_batch([a], [b])[0])
