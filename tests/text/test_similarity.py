"""Graded name similarity."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reckon.text import DEFAULT_SIMILARITY_THRESHOLD, name_similarity, name_similarity_batch

THR = DEFAULT_SIMILARITY_THRESHOLD

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
]

DIFFERENT = [
    ("Hosseini", "Hassani"),
    ("Ali Hosseini", "Ali Hassani"),
    ("محمود نوری", "Mohammad Nouri"),
    ("Mahmoud Nouri", "Mohammad Nouri"),
    ("Hamid Nouri", "Majid Nouri"),
    ("Hossein Azar", "Mohsen Azar"),
    ("Mohammad Karimi", "Mohammadi Karimi"),
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
