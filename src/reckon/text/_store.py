"""Names interned for the batch functions: :func:`reckon.text.name_keys_batch` and
:func:`reckon.text.name_similarity_batch`.

Lists repeat a few thousand given names and surnames endlessly while most full names are
new. So each distinct *name* is hashed once, by its UTF-8 bytes, in compiled code; a new name
is split into words there too, and only a new *word* is cleaned by Python
(:func:`~reckon.text.parsing._clean_word`, memoized) into tokens, each token interned with its
skeleton (for keys), its phonetic symbols (for the similarity) and its flags (affix,
honorific, parts of a compound given name). A name is then composed from its words' tokens by
the parse's rules, compiled (:func:`reckon.text._compose.compose`), giving its key and its
tokens. Names with a comma or presentation forms, which the parse reads whole, are parsed by
Python. The result is what :func:`reckon.text.name_key` and the whole-name parse give; tests
compare them.

Everything is forgotten together (:meth:`NameStore.clear`) when a bound is reached: the
similarity's table of token pairs is keyed by token ids.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Sequence
from itertools import pairwise

import numpy as np

from reckon.text.keys import _skeleton_memo, token_skeleton
from reckon.text.parsing import (
    _PARSE_MEMO,
    _WORD_MEMO,
    BIDIRECTIONAL,
    COMPOUND_FIRST,
    COMPOUND_SECOND,
    HONORIFICS,
    PARTICLES,
    PREFIXES,
    SUFFIXES,
    _clean_word,
    _parse_tokens,
    _split,
)
from reckon.text.persian import _NEEDS_NFKC
from reckon.text.phonetic import CODE, token_symbols

#: Bounds: names, words and tokens interned (all are forgotten when one is passed).
MAX_NAMES = 1 << 20
MAX_WORDS = 1 << 20
MAX_TOKENS = 1 << 20

_AS_CODE = str.maketrans({c: chr(i) for c, i in CODE.items()})  # symbol → code, one byte

#: Token flags, read by the compiled parse (:mod:`reckon.text._compose`).
IS_PREFIX = 1
IS_PARTICLE = 2
IS_SUFFIX = 4
IS_BIDIRECTIONAL = 8
IS_HONORIFIC = 16
IS_COMPOUND_FIRST = 32
IS_COMPOUND_SECOND = 64
NO_SYMBOLS = 128  # a token without phonetic symbols, which the similarity leaves out


def _grown(array: np.ndarray, need: int, fill=None) -> np.ndarray:
    if need <= array.shape[0]:
        return array
    out = np.empty(max(need, 2 * array.shape[0]), dtype=array.dtype)
    out[: array.shape[0]] = array
    if fill is not None:
        out[array.shape[0] :] = fill
    return out


def _appended(
    data: np.ndarray, starts: np.ndarray, n: int, parts: list[bytes]
) -> tuple[np.ndarray, np.ndarray]:
    """Byte strings ``parts`` appended as items n, n+1, … of ``data`` (item i is
    data[starts[i]:starts[i + 1]]) → the arrays, maybe grown."""
    joined = b"".join(parts)
    begin = int(starts[n])
    data = _grown(data, begin + len(joined))
    data[begin : begin + len(joined)] = np.frombuffer(joined, dtype=np.uint8)
    starts = _grown(starts, n + len(parts) + 1)
    starts[n + 1 : n + len(parts) + 1] = begin + np.cumsum(
        np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
    )
    return data, starts


def _token_flags(token: str, skeleton: str, symbols: str) -> int:
    return (
        (IS_PREFIX if token in PREFIXES else 0)
        | (IS_PARTICLE if token in PARTICLES else 0)
        | (IS_SUFFIX if token in SUFFIXES else 0)
        | (IS_BIDIRECTIONAL if token in BIDIRECTIONAL else 0)
        | (IS_HONORIFIC if token in HONORIFICS else 0)
        | (IS_COMPOUND_FIRST if skeleton in COMPOUND_FIRST else 0)
        | (IS_COMPOUND_SECOND if skeleton in COMPOUND_SECOND else 0)
        | (NO_SYMBOLS if not symbols else 0)
    )


def _utf8(names: Sequence[str]) -> tuple[bytes, np.ndarray, np.ndarray]:
    """The names' UTF-8 bytes, and where each starts and ends in them."""
    from reckon.text._compose import separators

    data = "\0".join(names).encode("utf-8", "surrogatepass")
    ends, count = separators(np.frombuffer(data, dtype=np.uint8), 0, len(names) - 1)
    if count != len(names) - 1:  # a name has a NUL of its own: end the names by their lengths
        lengths = [len(n.encode("utf-8", "surrogatepass")) for n in names]
        ends = np.cumsum(np.array(lengths, dtype=np.int64) + 1) - 1
    starts = np.empty(len(names), dtype=np.int64)
    starts[0] = 0
    starts[1:] = ends[:-1] + 1
    return data, starts, ends


class NameStore:
    """Names, words and tokens as ids into flat arrays (see the module docs)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.generation = -1
        self.clear()

    def clear(self) -> None:
        self.generation += 1  # what was keyed by these ids elsewhere is stale
        # tokens: strings, flags, skeletons (for keys) and phonetic symbols (similarity)
        self.token_ids: dict[str, int] = {}
        self.tokens: list[str] = []
        self.flags = np.empty(1 << 12, dtype=np.uint8)
        self.skel = np.empty(1 << 14, dtype=np.uint8)
        self.skel_start = np.zeros(1 << 12, dtype=np.int64)
        self.sym = np.empty(1 << 14, dtype=np.uint8)
        self.sym_start = np.zeros(1 << 12, dtype=np.int64)
        self.persian = np.empty(1 << 12, dtype=np.int64)
        self.max_symbols = 1
        # joined pairs of tokens (affixes, compound given names) → the joined token
        self.joins = np.full(2 << 10, -1, dtype=np.int64)
        self.n_joins = 0
        # words: their bytes (a hash table of ids), tokens, and whether the name is parsed whole
        self.word_table = np.full(1 << 12, -1, dtype=np.int64)
        self.word_bytes = np.empty(1 << 16, dtype=np.uint8)
        self.word_byte_start = np.zeros(1 << 12, dtype=np.int64)
        self.word_hash = np.empty(1 << 12, dtype=np.uint64)
        self.n_words = 0
        self.word_toks = np.empty(1 << 12, dtype=np.int64)
        self.word_tok_start = np.zeros(1 << 12, dtype=np.int64)
        self.word_whole = np.empty(1 << 12, dtype=np.bool_)
        # names: their bytes, tokens with symbols (similarity) and key, as spans of flat arrays
        self.name_ids: dict[str | None, int] = {}  # name as given → id
        self.name_table = np.full(1 << 12, -1, dtype=np.int64)
        self.name_bytes = np.empty(1 << 16, dtype=np.uint8)
        self.name_byte_start = np.zeros(1 << 12, dtype=np.int64)
        self.name_hash = np.empty(1 << 12, dtype=np.uint64)
        self.n_names = 0
        self.tids = np.empty(1 << 14, dtype=np.int64)
        self.n_tids = 0
        self.tid_start = np.zeros(1 << 12, dtype=np.int64)
        self.tid_end = np.zeros(1 << 12, dtype=np.int64)
        self.key_bytes = np.empty(1 << 16, dtype=np.uint8)
        self.n_key_bytes = 0
        self.key_start = np.zeros(1 << 12, dtype=np.int64)
        self.key_end = np.zeros(1 << 12, dtype=np.int64)
        self.keys: list[str] = []  # name id → its key

    @property
    def full(self) -> bool:
        return self.n_names > MAX_NAMES or self.n_words > MAX_WORDS or len(self.tokens) > MAX_TOKENS

    # --- tokens ---------------------------------------------------------------------------

    def _add_tokens(self, new: list[str]) -> None:
        """Intern tokens not interned yet (distinct)."""
        n, m = len(self.tokens), len(new)
        get = _skeleton_memo.get
        skeletons = [get(t) or token_skeleton(t) for t in new]
        symbols = [token_symbols(t) for t in new]
        self.tokens += new
        self.token_ids.update(zip(new, range(n, n + m), strict=True))
        self.flags = _grown(self.flags, n + m)
        self.flags[n : n + m] = [
            _token_flags(t, k, s) for t, k, (s, _) in zip(new, skeletons, symbols, strict=True)
        ]
        self.persian = _grown(self.persian, n + m)
        self.persian[n : n + m] = [p for _, p in symbols]
        self.skel, self.skel_start = _appended(
            self.skel, self.skel_start, n, [k.encode("ascii") for k in skeletons]
        )
        self.sym, self.sym_start = _appended(
            self.sym,
            self.sym_start,
            n,
            [s.translate(_AS_CODE).encode("latin-1") for s, _ in symbols],
        )
        if m:
            longest = int(np.diff(self.sym_start[n : n + m + 1]).max())
            self.max_symbols = max(self.max_symbols, longest)

    def _token_ids(self, tokens: Sequence[str]) -> list[int]:
        ids = self.token_ids
        new = list(dict.fromkeys(t for t in tokens if t not in ids))
        if new:
            self._add_tokens(new)
        return [ids[t] for t in tokens]

    # --- words ----------------------------------------------------------------------------

    def _add_words(self, words: list[str], first: int) -> None:
        """Token ids of new words (ids first, first + 1, …), and whether each needs the
        whole-name parse: a comma reorders the name, presentation forms may add spaces."""
        get = _WORD_MEMO.get
        whole = [
            "," in w or "،" in w or (not w.isascii() and _NEEDS_NFKC.search(w) is not None)
            for w in words
        ]
        cleaned = [
            () if wh else (get(w) or _clean_word(w)).tokens
            for w, wh in zip(words, whole, strict=True)
        ]
        ids = self._token_ids([t for tokens in cleaned for t in tokens])
        n, m = first, len(words)
        self.word_whole = _grown(self.word_whole, n + m)
        self.word_whole[n : n + m] = whole
        self.word_tok_start = _grown(self.word_tok_start, n + m + 1)
        begin = self.word_tok_start[n]
        self.word_tok_start[n + 1 : n + m + 1] = begin + np.cumsum(
            np.fromiter(map(len, cleaned), dtype=np.int64, count=m)
        )
        self.word_toks = _grown(self.word_toks, begin + len(ids))
        self.word_toks[begin : begin + len(ids)] = ids

    # --- names ----------------------------------------------------------------------------

    def ids(self, names: Sequence[str | None]) -> np.ndarray:
        """Ids of the names (None and "" are the empty name), new ones interned.

        Names seen before are found in a dictionary (by the strings' cached hashes); a batch
        with new names is interned whole by its bytes.
        """
        if not len(names):
            return np.empty(0, dtype=np.int64)
        if not isinstance(names, list | tuple):  # read by position below
            names = list(names)
        known = self.name_ids
        n = len(names)
        if n <= 16 or all(names[i] in known for i in range(0, n, n // 8)):
            try:  # all names seen before, as a sample says: one pass
                return np.array(list(map(known.__getitem__, names)), dtype=np.int64)
            except (KeyError, TypeError):  # the first new name stops it
                pass
        from reckon.text._compose import intern_strings

        try:
            data, starts, ends = _utf8(names)
        except TypeError:
            data, starts, ends = _utf8([_as_text(n) for n in names])
        buffer = np.frombuffer(data, dtype=np.uint8)
        before = self.n_names
        (
            ids, self.name_table, self.name_bytes, self.name_byte_start, self.name_hash,
            self.n_names, first,
        ) = intern_strings(
            buffer, starts, ends, self.name_table, self.name_bytes, self.name_byte_start,
            self.name_hash, self.n_names,
        )  # fmt: skip
        if self.n_names > before:
            gc_was_enabled = gc.isenabled()
            gc.disable()  # many small objects, no cycles: the cycle collector only slows this
            try:
                self._add_names(before)
                new = map(names.__getitem__, first.tolist())
                known.update(zip(new, range(before, self.n_names), strict=True))
            finally:
                if gc_was_enabled:
                    gc.enable()
        return ids

    def _add_names(self, before: int) -> None:
        """Compose the names with ids before.. (their bytes are in the store)."""
        from reckon.text._compose import (
            PENDING,
            SPACE,
            WHOLE,
            add_joins,
            compose,
            intern_strings,
            word_spans,
        )

        n = self.n_names
        new = np.arange(before, n, dtype=np.int64)
        stored = self.name_bytes
        counts, w_start, w_end = word_spans(
            stored, self.name_byte_start[before:n], self.name_byte_start[before + 1 : n + 1], SPACE
        )
        words_before = self.n_words
        (
            words, self.word_table, self.word_bytes, self.word_byte_start, self.word_hash,
            self.n_words, _,
        ) = intern_strings(
            stored, w_start, w_end, self.word_table, self.word_bytes, self.word_byte_start,
            self.word_hash, self.n_words,
        )  # fmt: skip
        if self.n_words > words_before:
            text = self.word_bytes[
                self.word_byte_start[words_before] : self.word_byte_start[self.n_words]
            ].tobytes()
            bounds = (
                self.word_byte_start[words_before : self.n_words + 1]
                - self.word_byte_start[words_before]
            ).tolist()
            self._add_words(
                [text[s:e].decode("utf-8", "surrogatepass") for s, e in pairwise(bounds)],
                words_before,
            )
        # new name p's words are words[word_start[p - before]:word_start[p - before + 1]]
        word_start = np.zeros(n - before + 1, dtype=np.int64)
        word_start[1:] = np.cumsum(counts)
        for array in ("tid_start", "tid_end", "key_start", "key_end"):
            setattr(self, array, _grown(getattr(self, array), n))
        todo = new
        while len(todo):
            (
                status, miss_left, miss_right, self.tids, self.n_tids, self.key_bytes,
                self.n_key_bytes,
            ) = compose(
                todo, before, words, word_start, self.word_toks, self.word_tok_start,
                self.word_whole, self.flags, self.skel, self.skel_start, self.joins, self.tids,
                self.n_tids, self.tid_start, self.tid_end, self.key_bytes, self.n_key_bytes,
                self.key_start, self.key_end,
            )  # fmt: skip
            whole = todo[status == WHOLE]
            if len(whole):
                self._parse_whole(whole)
            todo = todo[status == PENDING]
            if len(todo):
                pairs = list(
                    dict.fromkeys(zip(miss_left.tolist(), miss_right.tolist(), strict=True))
                )
                joined = self._token_ids([self.tokens[x] + self.tokens[y] for x, y in pairs])
                left, right = (np.array(side, dtype=np.int64) for side in zip(*pairs, strict=True))
                self.joins, self.n_joins = add_joins(
                    self.joins, self.n_joins, left, right, np.array(joined, dtype=np.int64)
                )

    def _parse_whole(self, ids: np.ndarray) -> None:
        """Names parsed whole by Python (see :meth:`_add_words`)."""
        for p in ids.tolist():
            raw = self.name_bytes[self.name_byte_start[p] : self.name_byte_start[p + 1]]
            name = raw.tobytes().decode("utf-8", "surrogatepass")
            parsed = _PARSE_MEMO.get(name) or _parse_tokens(*_split(name))
            tids = [t for t in self._token_ids(parsed.tokens) if not self.flags[t] & NO_SYMBOLS]
            key = parsed.key.encode("ascii")
            self.tids = _grown(self.tids, self.n_tids + len(tids))
            self.tids[self.n_tids : self.n_tids + len(tids)] = tids
            self.tid_start[p], self.n_tids = self.n_tids, self.n_tids + len(tids)
            self.tid_end[p] = self.n_tids
            self.key_bytes = _grown(self.key_bytes, self.n_key_bytes + len(key))
            self.key_bytes[self.n_key_bytes : self.n_key_bytes + len(key)] = np.frombuffer(
                key, np.uint8
            )
            self.key_start[p], self.n_key_bytes = self.n_key_bytes, self.n_key_bytes + len(key)
            self.key_end[p] = self.n_key_bytes

    def key_list(self, ids: np.ndarray) -> list[str]:
        """The keys of names given by id (as strings, made for names new since the last call:
        the similarity, which does not need them, does not pay for them)."""
        from reckon.text._compose import gather

        if len(self.keys) < self.n_names:
            new = np.arange(len(self.keys), self.n_names, dtype=np.int64)
            data, offsets = gather(new, self.key_bytes, self.key_start, self.key_end)
            text = data.tobytes().decode("ascii")
            self.keys += [text[s:e] for s, e in pairwise(offsets.tolist())]
        return list(map(self.keys.__getitem__, ids.tolist()))


def _as_text(name: object) -> str:
    if name is None:
        return ""
    if isinstance(name, str):
        return name
    raise TypeError(f"a name must be str or None, not {type(name).__name__}")


#: The store shared by the batch functions (calls are serialized by its lock).
STORE = NameStore()
