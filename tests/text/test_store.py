"""The name store behind the batch functions: compiled interning and parsing give what the
whole-name parse gives."""

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reckon.text import _store, name_key, name_keys_batch
from reckon.text.parsing import _parse_tokens, _split
from reckon.text.phonetic import token_symbols

from .conftest import POOL, TRICKY, cold, people_written_every_way, random_pairs


@pytest.fixture(autouse=True, scope="module")
def _compiled_loops():
    """Load the compiled loops before any timed (hypothesis) test."""
    name_keys_batch(["Hamid Nouri", "Seyed Ali zadeh", "NOURI, Hamid"])


def _parsed_tokens(name: str | None) -> list[str]:
    """The whole-name parse's tokens that have symbols (those the similarity compares)."""
    tokens = _parse_tokens(*_split(name or "")).tokens
    return [t for t in tokens if token_symbols(t)[0]]


def _store_tokens(store: _store.NameStore, name_id: int) -> list[str]:
    tids = store.tids[store.tid_start[name_id] : store.tid_end[name_id]]
    return [store.tokens[t] for t in tids]


#: Names whose words join into new tokens, or whose parse changes with what comes after.
JOINS = [
    "Seyed Ali zadeh",
    "abd ol hossein karimi",
    "hojjat ol eslam ali",  # the particle joins both sides: an honorific, set apart
    "Mohammad Ali Reza Nouri",  # the first compound joins; Reza stays
    "Ali Reza Mohammad Hossein",
    "Pour Ostad",
    "Nouri Pour",
    "Nouri Pour Hamid",
    "Haj Seyed Mohammad Reza Nouri Pour",
    "Seyed Haj",  # only honorifics: kept as tokens
    "M.Reza Nouri",
    "Ali-Akbar Nouri",
    "عبد الله‌زاده",
    "ابو الفضل عبد الله زاده",
    "Abol Fazl Abdol Lah Zadeh",
    "zadeh",
    "ol",
    "ol ol ol",
    "Ali ol",
    "pour pour pour",
]


@pytest.mark.parametrize("name", [*JOINS, *TRICKY, *POOL])
def test_a_name_has_the_parsed_tokens_and_key(name):
    cold()
    store = _store.STORE
    (name_id,) = store.ids([name])
    assert _store_tokens(store, name_id) == _parsed_tokens(name)
    assert store.key_list(np.array([name_id])) == [name_key(name)]


def test_names_in_one_batch_have_their_parsed_tokens_and_keys():
    """Generated people written every way, names that join, tricky ones, all in one call: a
    name composed after others made the tokens it joins gets what it gets alone."""
    a, b = random_pairs(3000, seed=5)
    names = [*a, *b, *JOINS, *TRICKY, *POOL, *people_written_every_way(4000, seed=6)]
    cold()
    store = _store.STORE
    ids = store.ids(names)
    for name, name_id in zip(names, ids.tolist(), strict=True):
        assert _store_tokens(store, name_id) == _parsed_tokens(name), name
    assert store.key_list(ids) == [name_key(n) for n in names]


def test_keys_batch_survives_the_store_being_emptied(monkeypatch):
    names = [*people_written_every_way(2000, seed=4), *JOINS, *TRICKY]
    expected = [name_key(n) for n in names]
    monkeypatch.setattr(_store, "MAX_NAMES", 50)
    monkeypatch.setattr("reckon.text.names._BATCH", 64)
    cold()
    assert name_keys_batch(names) == expected
    assert name_keys_batch(names[::-1]) == expected[::-1]


def test_a_batch_that_repeats_its_names_is_keyed_as_each_name_alone():
    """Such a batch is keyed by distinct names (see names._keys_of): same keys, same order."""
    rng = random.Random(9)
    pool = [*people_written_every_way(300, seed=6), *TRICKY, None, ""]
    names = [pool[min(int(rng.paretovariate(1.2)), len(pool)) - 1] for _ in range(20_000)]
    names += [None, [1]]  # an unhashable value after the sample: the store's error, no other
    assert len(set(names[:-1])) < len(names) // 20
    cold()
    with pytest.raises(TypeError, match="must be str or None, not list"):
        name_keys_batch(names)
    cold()
    assert name_keys_batch(names[:-1]) == [name_key(n) for n in names[:-1]]


def test_names_that_are_not_text():
    cold()
    assert name_keys_batch([None, "", "Hamid Nouri", None]) == ["", "", name_key("Hamid Nouri"), ""]
    with pytest.raises(TypeError, match="must be str or None, not int"):
        name_keys_batch(["Hamid", 3])


def test_same_name_next_to_itself_and_hash_collisions_by_length():
    """Repeated names share an id; different names of the same length do not."""
    cold()
    names = ["ab", "ab", "ba", "ab", "", "", "ba", "abc"]
    ids = _store.STORE.ids(names).tolist()
    assert ids[0] == ids[1] == ids[3]
    assert ids[2] == ids[6] != ids[0]
    assert ids[4] == ids[5]
    assert len(set(ids)) == 4


def test_compiled_word_splitting_knows_every_whitespace():
    from reckon.text._compose import SPACE

    spaces = [c for c in range(0x110000) if chr(c).isspace()]
    assert max(spaces) < len(SPACE)
    assert np.flatnonzero(SPACE).tolist() == spaces


WORDS = st.text(alphabet=st.sampled_from("ab حم\t\n\x00\xa0\u2000\u3000\u200c,-😀"), max_size=12)


@settings(max_examples=200, deadline=None)  # the first example may load compiled code
@given(st.lists(WORDS, max_size=8), st.lists(WORDS, max_size=8))
def test_compiled_word_splitting_is_str_split(first, second):
    """The compiled splitting finds the words str.split finds, with one id per distinct word,
    in one call or over two (names joined by NUL, or by their lengths when one has a NUL)."""
    from reckon.text._compose import SPACE, intern_strings, word_spans

    table = np.full(4, -1, dtype=np.int64)
    stored = np.empty(1, dtype=np.uint8)
    stored_start = np.zeros(1, dtype=np.int64)
    hashes = np.empty(1, dtype=np.uint64)
    n_words = 0
    seen: dict[str, int] = {}
    for names in (first, second):
        if not names:
            continue
        data, starts, ends = _store._utf8(names)
        buffer = np.frombuffer(data, dtype=np.uint8)
        counts, w_start, w_end = word_spans(buffer, starts, ends, SPACE)
        assert counts.tolist() == [len(n.split()) for n in names]
        words = [
            data[s:e].decode("utf-8", "surrogatepass") for s, e in zip(w_start, w_end, strict=True)
        ]
        assert words == [w for n in names for w in n.split()]
        ids, table, stored, stored_start, hashes, n_new, first = intern_strings(
            buffer, w_start, w_end, table, stored, stored_start, hashes, n_words
        )
        for word in words:
            seen.setdefault(word, len(seen))
        assert ids.tolist() == [seen[w] for w in words]
        assert [ids[p] for p in first] == list(range(n_words, n_new))  # where each is new
        n_words = n_new
    assert n_words == len(seen)
