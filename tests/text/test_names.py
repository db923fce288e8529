"""Name parsing, honorifics and cross-script keys."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reckon.text import (
    NormalizedName,
    detect_script,
    name_key,
    name_keys,
    name_keys_batch,
    normalize_name,
)

ZWNJ = "\u200c"


@pytest.mark.parametrize(
    ("name", "script", "normalized", "honorifics"),
    [
        ("NOURI, Hamid", "latin", "hamid nouri", ()),
        ("Seyed Hamid Nouri", "latin", "hamid nouri", ("seyed",)),
        ("NOURI, Seyyed Hamid", "latin", "hamid nouri", ("seyyed",)),
        ("Haj Mirza Ali Akbar Nouri", "latin", "aliakbar nouri", ("haj", "mirza")),
        ("Dr. Hamid Nouri", "latin", "hamid nouri", ("dr",)),
        ("سید حمید نوری", "persian", "حمید نوری", ("سید",)),
        ("حاج آقای حمید نوری", "persian", "حمید نوری", ("حاج", "اقای")),
        ("نوری، حمید", "persian", "حمید نوری", ()),
        ("Mohammad-Reza Ahmadi", "latin", "mohammadreza ahmadi", ()),
        ("Mohammad Reza Ahmadi", "latin", "mohammadreza ahmadi", ()),
        ("محمد رضا احمدی", "persian", "محمدرضا احمدی", ()),
        (f"محمد{ZWNJ}رضا احمدی", "persian", "محمدرضا احمدی", ()),
        ("Abd ol Hossein Nouri Zadeh", "latin", "abdolhossein nourizadeh", ()),
        ("عبد الحسین نوری زاده", "persian", "عبدالحسین نوریزاده", ()),
        (f"عبدالحسین نوری{ZWNJ}زاده", "persian", "عبدالحسین نوریزاده", ()),
        ("Rouh Ollah Nouri", "latin", "rouhollah nouri", ()),
        ("Pejman Pour Ostad", "latin", "pejman pourostad", ()),
        ("Hamid Nouri Pour", "latin", "hamid nouripour", ()),
        ("Hamid Noury", "latin", "hamid noury", ()),
        ("Seyed", "latin", "seyed", ()),  # nothing else left: kept
        ("حمید Nouri", "mixed", "حمید nouri", ()),
        ("", "empty", "", ()),
        ("  ", "empty", "", ()),
        ("۱۲۳", "empty", "", ()),
    ],
)
def test_normalize_name_table(name, script, normalized, honorifics):
    n = normalize_name(name)
    assert n.original == name
    assert n.script == script
    assert n.normalized == normalized
    assert n.honorifics == honorifics
    assert n.key == name_key(name)
    assert n.keys == tuple(name_keys(name))
    assert n.tokens == tuple(normalized.split())


def test_none_is_empty():
    n = normalize_name(None)
    assert isinstance(n, NormalizedName)
    assert (n.original, n.script, n.key) == ("", "empty", "")


def test_not_a_string_is_a_type_error():
    with pytest.raises(TypeError):
        normalize_name(1367)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("حمید", "persian"),
        ("Hamid", "latin"),
        ("Hamid حمید", "mixed"),
        ("1367", "empty"),
        ("", "empty"),
        ("Ἀλέξανδρος", "latin"),
    ],
)
def test_detect_script(text, expected):
    assert detect_script(text) == expected


# Spellings of one name that must share a key: the examples and variation counted in
# real lists (see ../shared/data/names/README.md).
SAME_KEY = [
    ("حمید نوری", "Hamid Noury", "NOURI, Hamid", "Hamid Nuri", "Hamid Nouri", "Hamid Noori"),
    ("Hossein", "Hosein", "Hosseyn", "حسین", "حسين"),
    ("Qasem", "Ghasem", "Ghassem", "قاسم"),
    ("Mahmud", "Mahmoud", "Mahmood", "محمود"),
    ("Reza'i", "Rezaei", "Rezaee", "Rezai", "Rezaie", "رضایی", "رضائی", "رضايي"),
    ("محمد رضا", "محمدرضا", f"محمد{ZWNJ}رضا", "Mohammad Reza", "Mohammad-Reza", "Mohammadreza"),
    ("نوری زاده", f"نوری{ZWNJ}زاده", "نوریزاده", "Nouri Zadeh", "Nourizadeh", "Nouri-zade"),
    ("داوود", "داود", "Davood", "Davoud", "Davud", "Dawud"),
    ("عبدالله", "عبد الله", "Abdollah", "Abdullah", "Abd-ol-lah"),
    ("Fatemeh", "Fateme", "فاطمه", "فاطمة"),
    ("Mostafa", "مصطفی", "مصطفى"),
    ("Morteza", "مرتضی"),
    ("Esmail", "Esmaeil", "اسماعیل"),
    ("Ebrahim", "Ibrahim", "ابراهیم"),
    ("Iraj", "ایرج"),
    ("Ayoub", "Ayub", "ایوب"),
    ("Abolfazl", "Abolfazal", "Abulfazl", "ابوالفضل", "ابو الفضل"),
    ("Khosrow", "Khosro", "خسرو"),
    ("Pejman", "Pezhman", "پژمان"),
    ("Jafar", "Ja'far", "Ja`far", "جعفر"),
    ("Masoud", "Masood", "Mas'ud", "مسعود"),
    ("Saeed", "Saeid", "Said", "سعید"),
    ("Yousef", "Yusef", "یوسف"),
    ("Khansari", "خوانساری"),
    ("Seyed Ali Mousavi", "Ali Mousavi", "سید علی موسوی", "Ali Musavi"),
]


@pytest.mark.parametrize("spellings", SAME_KEY, ids=lambda s: s[0])
def test_spellings_share_a_key(spellings):
    keys = {name_key(s) for s in spellings}
    assert len(keys) == 1, {s: name_key(s) for s in spellings}


DIFFERENT_KEY = [
    ("Hosseini", "Hassani"),
    ("حسینی", "حسنی"),
    ("Hossein", "Hassan"),
    ("Hamid", "Hamed"),
    ("Hamid", "Hamideh"),
    ("Farzan", "Farzaneh"),
    ("Mobin", "Mobina"),
    ("Mohammad", "Mohammadi"),
    ("Ali", "Vali"),
    ("Hamid Nouri", "Majid Nouri"),
    ("Reza", "Reza'i"),
]


@pytest.mark.parametrize(("a", "b"), DIFFERENT_KEY)
def test_different_names_different_keys(a, b):
    assert name_key(a) != name_key(b)


def test_name_keys_rotations():
    keys = name_keys("Hamid Nouri")
    assert keys[0] == name_key("Hamid Nouri")
    assert name_key("Nouri Hamid") in keys
    assert set(name_keys("Nouri Hamid")) == set(keys)
    three = name_keys("Hamid Abbas Nouri")
    assert len(three) == 3
    assert name_key("Nouri Hamid Abbas") in three


def test_name_keys_of_empty():
    assert name_keys("") == [""]
    assert name_keys(None) == [""]


def test_batch_matches_scalar():
    names = ["Hamid Nouri", "حمید نوری", "", None, "Hamid Nouri", "x"]
    assert name_keys_batch(names) == [name_key(n) for n in names]


@settings(max_examples=300)
@given(st.text())
def test_never_raises_on_any_text(text):
    n = normalize_name(text)
    assert n.original == text
    assert n.script in {"persian", "latin", "mixed", "empty"}
    assert n.key == name_key(text)
    assert n.keys[0] == n.key


NAME_ALPHABET = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ '-,.")
    + list("ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيكةۀأإآؤئ")
    + ["\u200c", "seyed ", "zadeh", " pour ", "abd ", " ol ", "سید ", "زاده"]
)


@settings(max_examples=300)
@given(st.lists(NAME_ALPHABET, max_size=25).map("".join))
def test_normalization_is_idempotent(text):
    n = normalize_name(text)
    again = normalize_name(n.normalized)
    assert again.normalized == n.normalized
    assert again.key == n.key


@settings(max_examples=300)
@given(st.lists(st.lists(NAME_ALPHABET, max_size=12).map("".join), max_size=8))
def test_batch_path_equals_single_path(names):
    from reckon.text import names as module

    module.clear_caches()
    batch = name_keys_batch(names)
    module.clear_caches()
    assert batch == [name_key(n) for n in names]
