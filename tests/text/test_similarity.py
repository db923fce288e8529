"""Graded name similarity."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reckon.text import DEFAULT_SIMILARITY_THRESHOLD, name_similarity, name_similarity_batch

from .conftest import POOL, TRICKY, cold, people_written_every_way, random_pairs

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


@settings(max_examples=60)
@given(st.lists(st.tuples(st.sampled_from(POOL), st.sampled_from(POOL)), max_size=40))
def test_batch_equals_scalar_onrandom_pairs(pairs):
    a = [x for x, _ in pairs]
    b = [y for _, y in pairs]
    cold()
    batch = name_similarity_batch(a, b)
    cold()
    assert list(batch) == [name_similarity(x, y) for x, y in pairs]


def test_scores_do_not_depend_on_the_caches(monkeypatch):
    from reckon.text import _store, similarity

    a, b = random_pairs(20_000, seed=3)
    cold()
    reference = name_similarity_batch(a, b)
    # warm caches, another order
    assert np.array_equal(name_similarity_batch(a[::-1], b[::-1])[::-1], reference)
    # each pair alone
    for i in range(0, len(a), 997):
        assert name_similarity(a[i], b[i]) == reference[i]
    # the pair table emptied again and again, or bypassed half the time
    monkeypatch.setattr(similarity, "MAX_PAIR_SLOTS", 1 << 8)
    cold()
    assert np.array_equal(name_similarity_batch(a, b), reference)
    monkeypatch.setattr(similarity, "_WINDOW", 64)
    monkeypatch.setattr(similarity, "_MIN_HITS", 0.99)
    monkeypatch.setattr(similarity, "_BYPASS", 50)
    assert np.array_equal(name_similarity_batch(a, b), reference)
    # names and tokens forgotten between chunks
    monkeypatch.setattr(similarity, "_CHUNK", 1000)
    monkeypatch.setattr(_store, "MAX_NAMES", 100)
    assert np.array_equal(name_similarity_batch(a, b), reference)


def test_similarity_is_symmetric():
    # a token pair is aligned in one orientation, whichever name comes first
    a, b = random_pairs(20_000, seed=9)
    cold()
    one = name_similarity_batch(a, b)
    cold()
    other = name_similarity_batch(b, a)
    # scores are rounded to 6 decimals: sums equal up to float error may round one unit apart
    assert np.abs(one - other).max() <= 1e-6 + 1e-9


def test_batch_is_the_same_cold_half_warm_and_warm():
    """A batch with None, empty and repeated names, commas and presentation forms scores the
    same whether its names are all new, half of them interned before, or all interned, and
    the same as pair by pair."""
    from reckon.text import _store

    people = people_written_every_way(300, seed=7)
    names = [*TRICKY, None, *POOL, *people]
    rng = np.random.default_rng(8)
    a = [names[i] for i in rng.integers(0, len(names), 3000)]
    b = [names[i] for i in rng.integers(0, len(names), 3000)]
    a[:3], b[:3] = [None, "", "Hamid"], ["Hamid", None, ""]
    cold()
    reference = name_similarity_batch(a, b)
    assert list(reference[:3]) == [0.0, 0.0, 0.0]
    cold()
    name_similarity_batch(a[1::2], b[::2])  # the first name known, later ones new
    assert np.array_equal(name_similarity_batch(a, b), reference)
    assert np.array_equal(name_similarity_batch(a, b), reference)  # all known
    assert _store.STORE.n_names <= len(names)  # each distinct name interned once
    cold()
    assert [name_similarity(x, y) for x, y in zip(a[:500], b[:500], strict=True)] == list(
        reference[:500]
    )
