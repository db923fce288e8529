"""Graded name similarity."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reckon.text import DEFAULT_SIMILARITY_THRESHOLD, name_similarity, name_similarity_batch

THR = DEFAULT_SIMILARITY_THRESHOLD


@pytest.fixture(autouse=True, scope="module")
def _compiled_kernel():
    """Load the compiled kernel before any timed (hypothesis) test."""
    name_similarity("Hamid", "Hamid Nouri")


SAME = [
    ("حمید نوری", "Hamid Noury"),
    ("NOURI, Hamid", "Hamid Nuri"),
    ("Nouri Hamid", "Hamid Nouri"),
    ("Hossein Rezaei", "Hosein Reza'i"),
    ("Qasem Mahmudi", "Ghasem Mahmoudi"),
    ("محمد رضا احمدی", "Mohammadreza Ahmadi"),
    ("داوود نوری‌زاده", "Davoud Nouri Zadeh"),
    ("Seyed Ali Mousavi", "علی موسوی"),
    ("Hamid Nouri", "Hamid Abbas Nouri"),  # father's name in one list only
    ("Mohammad Hosseini", "Mohamad Hoseini"),  # typos
    ("Roshan Akhavan", "روشن اخوان"),
    ("Ḵosrow Šīrāzī", "خسرو شیرازی"),  # Encyclopaedia Iranica, ISO 233-3
    ("Ḡolām-Ḥosayn Čamrān", "Gholamhossein Chamran"),
    ("Cəfər Ağayev", "جعفر آقایف"),  # Azeri
]

DIFFERENT = [
    ("Hosseini", "Hassani"),
    ("Ali Hosseini", "Ali Hassani"),
    ("محمود نوری", "Mohammad Nouri"),
    ("Mahmoud Nouri", "Mohammad Nouri"),
    ("Hamid Nouri", "Majid Nouri"),
    ("Hossein Azar", "Mohsen Azar"),
    ("Mohammad Karimi", "Mohammadi Karimi"),
    ("Ḵāmeneʾī", "Kamenei"),  # ḵ is خ, not ک
    ("Hamid Nouri", "Reza Ahmadi"),
    ("حسین نوری", "حسن نوری"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_same_names_score_above_threshold(a, b):
    assert name_similarity(a, b) >= THR


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_names_score_below_threshold(a, b):
    assert name_similarity(a, b) < THR


def test_identical_and_empty():
    assert name_similarity("Hamid Nouri", "Hamid Nouri") == 1.0
    assert name_similarity("", "Hamid") == 0.0
    assert name_similarity(None, None) == 0.0
    assert name_similarity("۱۲۳", "Hamid") == 0.0


def test_ordering_makes_sense():
    exact = name_similarity("Hamid Nouri", "حمید نوری")
    typo = name_similarity("Hamid Nouri", "Hamid Nouro")
    other = name_similarity("Hamid Nouri", "Hamid Rezaei")
    unrelated = name_similarity("Hamid Nouri", "Bahareh Kazemi")
    assert exact > typo > other > unrelated


def test_batch_matches_scalar_and_checks_lengths():
    a = ["Hamid Nouri", "حسینی", None, "Mahmoud", "Ali"]
    b = ["NOURI, Hamid", "Hassani", "x", "Mohammad", "Ali"]
    got = name_similarity_batch(a, b)
    assert isinstance(got, np.ndarray) and got.dtype == np.float64 and got.shape == (5,)
    assert list(got) == [name_similarity(x, y) for x, y in zip(a, b, strict=True)]
    with pytest.raises(ValueError):
        name_similarity_batch(["a"], ["a", "b"])
    assert name_similarity_batch([], []).shape == (0,)


NAMES = st.sampled_from(
    [
        "Hamid",
        "Nouri",
        "حمید",
        "نوری",
        "Hossein",
        "حسین",
        "Rezaei",
        "Seyed",
        "Mohammad Reza",
        "abd ol",
        "zadeh",
        "",
        "۱۳۶۷",
        "x",
        "Ḥusayn",
        "NOURI,",
    ]
)


@settings(max_examples=200)
@given(st.lists(NAMES, max_size=4).map(" ".join), st.lists(NAMES, max_size=4).map(" ".join))
def test_bounded_and_symmetric(a, b):
    s = name_similarity(a, b)
    assert 0.0 <= s <= 1.0
    assert s == pytest.approx(name_similarity(b, a), abs=1e-9)


@settings(max_examples=100)
@given(st.text(max_size=40), st.text(max_size=40))
def test_never_raises(a, b):
    assert 0.0 <= name_similarity(a, b) <= 1.0


# --- memoization: a score never depends on what was computed before --------------------------

POOL = [
    "Hamid Nouri",
    "حمید نوری",
    "NOURI, Hamid",
    "Hossein Rezaei",
    "حسین رضایی",
    "Hosein Reza'i",
    "Mohammad-Reza Ahmadi",
    "محمد رضا احمدی",
    "Mahmoud Ahmadi",
    "Seyed Ali Mousavi",
    "Ali Hassani",
    "Ali Hosseini",
    "Hamid Abbas Nouri",
    "عبد الحسین نوری زاده",
    "Abdolhossein Nourizadeh",
    "Fatemeh Karimi",
    "فاطمه کریمی",
    "Zahra",
    "",
    None,
    "۱۳۶۷",
]


def _cold():
    from reckon.text import names, similarity

    similarity.clear_caches()
    names.clear_caches()


@settings(max_examples=60)
@given(st.lists(st.tuples(st.sampled_from(POOL), st.sampled_from(POOL)), max_size=40))
def test_batch_equals_scalar_on_random_pairs(pairs):
    a = [x for x, _ in pairs]
    b = [y for _, y in pairs]
    _cold()
    batch = name_similarity_batch(a, b)
    _cold()
    assert list(batch) == [name_similarity(x, y) for x, y in pairs]


def _random_pairs(n: int, seed: int) -> tuple[list[str], list[str]]:
    """Pairs of generated people: given × family names of the synthetic generator."""
    import random

    from reckon.synth.names import family_names, given_names

    rng = random.Random(seed)
    given, family = given_names(), family_names()

    def person() -> str:
        i, j = rng.randrange(len(given)), rng.randrange(len(family))
        if rng.random() < 0.5:
            return f"{given.persian[i]} {family.persian[j]}"
        return f"{rng.choice(given.latin[i])} {rng.choice(family.latin[j])}".replace("|", " ")

    people = [person() for _ in range(n // 4)]
    return [rng.choice(people) for _ in range(n)], [rng.choice(people) for _ in range(n)]


def test_scores_do_not_depend_on_the_caches(monkeypatch):
    from reckon.text import similarity

    a, b = _random_pairs(20_000, seed=3)
    _cold()
    reference = name_similarity_batch(a, b)
    # warm caches, another order
    assert np.array_equal(name_similarity_batch(a[::-1], b[::-1])[::-1], reference)
    # each pair alone
    for i in range(0, len(a), 997):
        assert name_similarity(a[i], b[i]) == reference[i]
    # the pair table emptied again and again, or bypassed half the time
    monkeypatch.setattr(similarity, "MAX_PAIR_SLOTS", 1 << 8)
    _cold()
    assert np.array_equal(name_similarity_batch(a, b), reference)
    monkeypatch.setattr(similarity, "_WINDOW", 64)
    monkeypatch.setattr(similarity, "_MIN_HITS", 0.99)
    monkeypatch.setattr(similarity, "_BYPASS", 50)
    assert np.array_equal(name_similarity_batch(a, b), reference)
    # names and tokens forgotten between chunks
    monkeypatch.setattr(similarity, "_CHUNK", 1000)
    monkeypatch.setattr(similarity, "MAX_NAMES", 100)
    assert np.array_equal(name_similarity_batch(a, b), reference)


#: Names that test the word-by-word interning: commas, presentation forms (NFKC may add
#: spaces), non-breaking and repeated spaces, compounds written every way, affixes and
#: honorifics as words of their own.
TRICKY = [
    "NOURI, Hamid",
    "نوری، حمید",
    "Hamid ,Nouri",
    "Nouri,",
    "\ufea3\ufee4\ufef4\ufeaa \ufee7\ufeee\ufead\ufeef",  # حمید نوری in presentation forms
    "حمید \ufee7\ufeee\ufead\ufeef",
    "عبد \ufdf2 نوری",  # the ligature of الله
    "\ufdfa",  # a ligature that NFKC writes as four words
    "Hamid\u00a0Nouri",
    "  Hamid   Nouri ",
    "Mohammad Reza Ahmadi",
    "Mohammad-Reza Ahmadi",
    "MohammadReza Ahmadi",
    "Mohammadreza Ahmadi",
    "محمد رضا احمدی",
    "محمد\u200cرضا احمدی",
    "محمدرضا احمدی",
    "Ahmadi Mohammad Reza",
    "Mohammad Ali Reza",
    "Mohammad 1367 Reza",
    "Mohammad - Reza Nouri",
    "Ali Akbar Nouri",
    "Nouri Pour Hamid",
    "Pour Ostad Hamid",
    "Abdol Hossein Nouri Zadeh",
    "عبد الحسین نوری زاده",
    "Seyed Ali",
    "Seyed",
    "Haj Mohammad Reza",
    "Mohammad",
    "۱۳۶۷ Hamid",
    "x",
    "",
    "Hamid\x00Nouri",  # the separator of the compiled word splitting, inside a name
    "Hamid \ud800 Nouri",  # a lone surrogate
    "Hamid\u3000Nouri\u2029",  # the last whitespace code point; a paragraph separator
]


def _people_written_every_way(n: int, seed: int) -> list[str]:
    """Generated people with compounds written every way (as in benchmarks/names.py)."""
    import random

    from reckon.synth.names import family_names, given_names, latin_compound, persian_compound

    rng = random.Random(seed)
    given, family = given_names(), family_names()

    def write(table, unit: int) -> str:
        if rng.random() < 0.5:
            style = rng.choice(("joined", "zwnj", "space"))
            return persian_compound(table.persian[unit], int(table.split[unit]), style)
        style = rng.choice(("hyphen", "space", "camel", "joined"))
        return latin_compound(rng.choice(table.latin[unit]), style)

    return [
        f"{write(given, rng.randrange(len(given)))} {write(family, rng.randrange(len(family)))}"
        for _ in range(n)
    ]


def test_interned_names_have_their_parsed_tokens():
    """Names interned word by word hold the tokens of the whole-name parse (those with
    symbols), for generated people and for names whose words join (compounds, affixes)."""
    from reckon.text import parsing, similarity
    from reckon.text.phonetic import token_symbols

    a, b = _random_pairs(4000, seed=5)
    names = [*a, *b, *POOL[:-3], *TRICKY, *_people_written_every_way(4000, seed=6)]
    _cold()
    name_similarity_batch(names, names[::-1])
    store = similarity._STORE
    by_id = {i: t for t, i in store.token_ids.items() if i >= 0}
    for name in names:
        n = store.name_ids[name]
        got = [by_id[t] for t in store.name_tids[store.name_start[n] : store.name_start[n + 1]]]
        tokens = parsing._parse_tokens(*parsing._split(name)).tokens
        assert got == [t for t in tokens if token_symbols(t)[0]], name


def test_similarity_is_symmetric():
    # a token pair is aligned in one orientation, whichever name comes first
    a, b = _random_pairs(20_000, seed=9)
    _cold()
    one = name_similarity_batch(a, b)
    _cold()
    other = name_similarity_batch(b, a)
    # scores are rounded to 6 decimals: sums equal up to float error may round one unit apart
    assert np.abs(one - other).max() <= 1e-6 + 1e-9


def test_batch_is_the_same_cold_half_warm_and_warm():
    """A batch with None, empty and repeated names, commas and presentation forms scores the
    same whether its names are all new, half of them interned before, or all interned, and
    the same as pair by pair."""
    from reckon.text import similarity

    people = _people_written_every_way(300, seed=7)
    names = [*TRICKY, None, *POOL, *people]
    rng = np.random.default_rng(8)
    a = [names[i] for i in rng.integers(0, len(names), 3000)]
    b = [names[i] for i in rng.integers(0, len(names), 3000)]
    a[:3], b[:3] = [None, "", "Hamid"], ["Hamid", None, ""]
    _cold()
    reference = name_similarity_batch(a, b)
    assert list(reference[:3]) == [0.0, 0.0, 0.0]
    _cold()
    name_similarity_batch(a[1::2], b[::2])  # the first name known, later ones new
    assert np.array_equal(name_similarity_batch(a, b), reference)
    assert np.array_equal(name_similarity_batch(a, b), reference)  # all known
    assert similarity._STORE.n_names < len(names) + 1  # each distinct name interned once
    _cold()
    assert [name_similarity(x, y) for x, y in zip(a[:500], b[:500], strict=True)] == list(
        reference[:500]
    )


def test_compiled_word_splitting_knows_every_whitespace():
    from reckon.text._kernel import _SPACE

    spaces = [c for c in range(0x110000) if chr(c).isspace()]
    assert max(spaces) < len(_SPACE)
    assert np.flatnonzero(_SPACE).tolist() == spaces


WORDS = st.text(alphabet=st.sampled_from("ab حم\t\n\x00\xa0\u2000\u3000\u200c,-"), max_size=12)


@settings(max_examples=200)
@given(st.lists(WORDS, max_size=8), st.lists(WORDS, max_size=8))
def test_compiled_word_splitting_is_str_split(first, second):
    """split_words finds the words str.split finds, and the same id for the same word, in
    one call or over two (names joined by NUL, or by their lengths when one has a NUL)."""
    from reckon.text._kernel import split_words

    table = np.full(4, -1, dtype=np.int64)
    chars = np.empty(1, dtype=np.uint32)
    char_start = np.zeros(1, dtype=np.int64)
    hashes = np.empty(1, dtype=np.uint64)
    n_words = 0
    seen: dict[str, int] = {}
    for names in (first, second):
        text = "\0".join(names)
        code_points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        ends = np.cumsum(np.array([len(n) + 1 for n in names], dtype=np.int64)) - 1
        counts, ids, new_start, new_end, table, chars, char_start, hashes, n_new = split_words(
            code_points, ends, table, chars, char_start, hashes, n_words
        )
        assert counts.tolist() == [len(n.split()) for n in names]
        new = [text[s:e] for s, e in zip(new_start.tolist(), new_end.tolist(), strict=True)]
        assert not set(new) & set(seen) and len(set(new)) == len(new)
        seen.update(zip(new, range(n_words, n_new), strict=True))
        assert ids.tolist() == [seen[w] for n in names for w in n.split()]
        n_words = n_new
