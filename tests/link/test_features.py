"""Linkage features: name forms, common names, places, dates, and the similarity they feed."""

from __future__ import annotations

import random
from datetime import date

import pandas as pd
import pytest

from reckon.link.features import (
    add_blocking_columns,
    build_features,
    deletions,
    name_forms,
    place_forms,
)
from reckon.link.functions import NameSimilarity
from reckon.text import name_similarity, normalize_name


def forms(name: str):
    return name_forms(normalize_name(name).normalized)


@pytest.mark.parametrize(
    "a, b",
    [
        ("حمید نوری", "Hamid Noury"),
        ("NOURI, Hamid", "Hamid Nouri"),
        ("محمد رضا حسینی", "Mohammad-Reza Hosseini"),
    ],
)
def test_spellings_and_scripts_share_the_key(a, b):
    assert forms(a)[0] == forms(b)[0]


def test_reordered_names_share_the_sorted_key_only():
    given_first, family_first = forms("Hamid Nouri"), forms("Nouri Hamid")
    assert given_first[0] != family_first[0]
    assert given_first[2] == family_first[2]


def test_deletions_catch_one_typing_error():
    assert set(deletions("hmIdnUrI")) & set(deletions("hmdnUrI"))  # dropped letter
    assert set(deletions("hmIdnUrI")) & set(deletions("hmIdnrUI"))  # swapped letters
    assert deletions("lI") == ("lI",)


def test_places_drop_generic_words_and_parentheses():
    assert place_forms("Evin prison (Tehran)")[0] == place_forms("Evin")[0]
    assert place_forms("زندان اوین")[0] == place_forms("Evin")[0]
    assert place_forms("Tehran")[0] == place_forms("Teheran")[0] == place_forms("تهران")[0]
    assert place_forms(None) == (None, ())


NAMES = [
    "Mohammad Hosseini", "محمد حسینی", "Mahmoud Hosseini", "Hassan Rezaei", "Hossein Rezaei",
    "Ali Akbar Nouri", "NOURI, Aliakbar", "Fatemeh Ahmadi", "فاطمه احمدی", "Fateme Ahmady",
    "Gholam Hossein Karimi", "غلامحسین کریمی", "Ebrahim Mousavi", "Ibrahim Musavi",
    "Reza", "رضا رضایی", "Seyed Ali Hashemi", "علی هاشمی", "Abolfazl Ghaderi", "Abulfazl Qaderi",
]  # fmt: skip


def test_similarity_function_is_name_similarity_precomputed_or_not():
    import pickle

    normalized = [normalize_name(n).normalized for n in NAMES]
    rng = random.Random(4)
    pairs = [(rng.choice(normalized), rng.choice(normalized)) for _ in range(150)]
    precomputed = NameSimilarity()
    assert precomputed.precompute([a for a, _ in pairs[:100]], [b for _, b in pairs[:100]]) > 0
    shipped = pickle.loads(pickle.dumps(precomputed))
    for a, b in pairs:  # the first 100 are looked up, the rest computed on the spot
        expected = name_similarity(a, b)
        assert precomputed(a, b) == pytest.approx(expected, abs=1e-6)
        assert precomputed(b, a) == pytest.approx(expected, abs=1e-6)
        assert shipped(a, b) == pytest.approx(expected, abs=1e-6)
    assert precomputed(None, normalized[0]) is None
    assert precomputed(normalized[0], normalized[0]) == 1.0


def test_similarity_function_remembers_the_pairs_asked_last(monkeypatch):
    """SQL asks a pair once per comparison level: the repeats come from a small memo, which
    gives the same values, is bounded, and is not shipped to Spark's workers."""
    import pickle

    from reckon.link import functions

    monkeypatch.setattr(functions, "_RECENT_LIMIT", 8)
    normalized = [normalize_name(n).normalized for n in NAMES]
    pairs = list(zip(normalized, normalized[1:] + normalized[:1], strict=True))
    similarity = NameSimilarity()
    similarity.precompute([a for a, _ in pairs[::2]], [b for _, b in pairs[::2]])
    first = [similarity(a, b) for a, b in pairs]
    assert 0 < len(similarity._recent) <= 8
    assert [similarity(a, b) for a, b in pairs] == first  # asked again: the same values
    assert first == [pytest.approx(name_similarity(a, b), abs=1e-6) for a, b in pairs]
    assert pickle.loads(pickle.dumps(similarity))._recent == {}


def test_mohammad_and_mahmoud_are_told_apart():
    similarity = NameSimilarity()
    a, b = (normalize_name(n).normalized for n in ("Mohammad Hosseini", "محمود حسینی"))
    assert similarity(a, b) < 0.86
    a, b = (normalize_name(n).normalized for n in ("Mohammad Hosseini", "محمد حسینی"))
    assert similarity(a, b) >= 0.95


def _records(rows: list[dict]) -> pd.DataFrame:
    base = {
        "id": 0, "source_id": 1, "batch_id": 1, "row_number": 1, "name_script": "latin",
        "name_normalized": None, "father_normalized": None, "gender": None, "age": None,
        "birth_earliest": None, "birth_latest": None, "birth_calendar": None,
        "birth_precision": None, "death_earliest": None, "death_latest": None,
        "death_calendar": None, "death_precision": None, "place_of_detention": None,
        "place_of_death": None, "city": None,
    }  # fmt: skip
    return pd.DataFrame([{**base, **row} for row in rows])


def test_build_features_dates_ages_and_names():
    records = _records(
        [
            {"id": 1, "name_normalized": "hamid nouri", "death_earliest": date(1988, 7, 30),
             "death_latest": date(1988, 7, 30), "death_precision": "day",
             "death_calendar": "gregorian", "age": 25},
            {"id": 2, "name_normalized": "حمید نوری", "name_script": "persian",
             "death_earliest": date(1988, 1, 1), "death_latest": date(1988, 1, 1),
             "death_precision": "day", "death_calendar": "gregorian",
             "birth_earliest": date(1960, 1, 1), "birth_latest": date(1960, 12, 31),
             "birth_precision": "year", "age": 50},
            {"id": 3, "name_normalized": None, "city": "Teheran"},
        ]
    )  # fmt: skip
    features = build_features(records)
    first, second, third = features.to_dict("records")
    assert first["name_key"] == second["name_key"]
    assert first["name_norm_latin"] == "hamid nouri" and second["name_norm_fa"] == "حمید نوری"
    # age 25 at death in 1988: born 1962 or 1963
    assert (first["birth_year_lo"], first["birth_year_hi"]) == (1962, 1963)
    assert first["death_width"] == 0
    # "1988-01-01" as a day is read as the year 1988
    assert second["death_width"] == 365  # 1988 is a leap year
    # the birth date wins over a contradicting age, which is flagged
    assert (second["birth_year_lo"], second["birth_year_hi"]) == (1960, 1960)
    assert second["age_conflict"] and not first["age_conflict"]
    assert pd.isna(third["name_key"]) and third["city_key"] == place_forms("Tehran")[0]
    add_blocking_columns(features)
    assert features.loc[0, "b_key"] == features.loc[1, "b_key"]


def test_build_features_is_fast_on_many_records():
    import time

    rows = [
        {"id": i, "name_normalized": f"name{i % 5000} family{i % 777}",
         "death_earliest": date(1988, 8, 1 + i % 28), "death_latest": date(1988, 8, 1 + i % 28),
         "death_precision": "day", "death_calendar": "gregorian", "city": "Tehran"}
        for i in range(1, 50_001)
    ]  # fmt: skip
    records = _records(rows)
    started = time.perf_counter()
    features = add_blocking_columns(build_features(records))
    assert len(features) == 50_000
    assert time.perf_counter() - started < 20
