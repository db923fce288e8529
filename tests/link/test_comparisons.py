"""Comparison levels on crafted pairs of records, evaluated by DuckDB as Splink would."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest
from duckdb.sqltypes import DOUBLE, VARCHAR

from reckon.link.comparisons import blocking_rules, comparisons
from reckon.link.features import build_features
from reckon.link.functions import NameSimilarity
from reckon.text import normalize_name

BASE = {
    "source_id": 1, "batch_id": 1, "row_number": 1, "name_script": "latin",
    "name_normalized": None, "father_normalized": None, "gender": None, "age": None,
    "birth_earliest": None, "birth_latest": None, "birth_calendar": None,
    "birth_precision": None, "death_earliest": None, "death_latest": None,
    "death_calendar": None, "death_precision": None, "place_of_detention": None,
    "place_of_death": None, "city": None,
}  # fmt: skip


def record(name=None, father=None, death=None, death_to=None, birth=None, **other) -> dict:
    row = dict(BASE)
    if name:
        parsed = normalize_name(name)
        row.update(name_normalized=parsed.normalized, name_script=parsed.script)
    if father:
        row["father_normalized"] = normalize_name(father).normalized
    if death:
        row.update(
            death_earliest=death, death_latest=death_to or death, death_calendar="gregorian",
            death_precision="day" if not death_to else "month",
        )  # fmt: skip
    if birth:
        row.update(
            birth_earliest=date(birth, 1, 1), birth_latest=date(birth, 12, 31),
            birth_calendar="gregorian", birth_precision="year",
        )  # fmt: skip
    row.update(other)
    return row


def levels(a: dict, b: dict) -> dict[str, str]:
    """comparison -> label of the level the pair falls in."""
    features = build_features(pd.DataFrame([{**a, "id": 1}, {**b, "id": 2}]))
    left = features.iloc[[0]].add_suffix("_l").reset_index(drop=True)
    right = features.iloc[[1]].add_suffix("_r").reset_index(drop=True)
    pair = pd.concat([left, right], axis=1)
    connection = duckdb.connect()
    connection.create_function(
        "reckon_name_similarity", NameSimilarity(), [VARCHAR, VARCHAR], DOUBLE
    )
    connection.register("pair", pair)
    out = {}
    for comparison in comparisons("duckdb"):
        cases = " ".join(
            f"WHEN {lv['sql_condition']} THEN '{lv['label_for_charts']}'"
            for lv in comparison["comparison_levels"]
            if lv["sql_condition"] != "ELSE"
        )
        else_label = comparison["comparison_levels"][-1]["label_for_charts"]
        out[comparison["output_column_name"]] = connection.execute(
            f"SELECT CASE {cases} ELSE '{else_label}' END FROM pair"
        ).fetchall()[0][0]
    return out


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ("Hamid Nouri", "Hamid Nouri", "exact"),
        ("حمید نوری", "Hamid Noury", "same key, same name"),
        ("NOURI, Hamid", "Hamid Nouri", "exact"),
        ("ناصر حسینی", "نصر حسینی", "same key, another name"),  # the key cannot tell them apart
        ("Mohammad Hosseini", "محمود حسینی", "somewhat similar"),  # the key can (و kept)
        ("Hamid Nouri", "Nouri Hamid", "same words, reordered"),
        ("Hamid Nouri", "Babak Ahmadi", "different"),
        (None, "Babak Ahmadi", "null"),
    ],
)
def test_name_levels(a, b, expected):
    assert levels(record(a), record(b))["name"] == expected


def test_typo_is_similar_not_different():
    assert levels(record("Abolfazl Ghaderi"), record("Abolfazl Ghaderii"))["name"] in {
        "same key, same name", "same name, other key", "similar",
    }  # fmt: skip


def test_father_levels():
    assert levels(record("A B", father="Ali"), record("A B", father="علی"))["father"] in {
        "exact", "same name",
    }  # fmt: skip
    assert levels(record("A B", father="Ali"), record("A B", father="Reza"))["father"] == (
        "different"
    )
    assert levels(record("A B", father="Ali"), record("A B"))["father"] == "null"


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ((date(1988, 7, 30), None), (date(1988, 7, 30), None), "same day"),
        ((date(1988, 7, 30), None), (date(1988, 8, 1), None), "within 3 days"),
        ((date(1988, 7, 30), None), (date(1988, 7, 1), date(1988, 7, 31)), "same month"),
        ((date(1988, 7, 30), None), (date(1988, 1, 1), None), "overlapping (year)"),
        ((date(1988, 7, 30), None), (date(1988, 8, 30), None), "within 45 days"),
        ((date(1988, 7, 30), None), (date(1988, 12, 30), None), "conflicting"),
    ],
)
def test_death_date_levels(a, b, expected):
    got = levels(record("x y", death=a[0], death_to=a[1]), record("x y", death=b[0], death_to=b[1]))
    assert got["death"] == expected


def test_birth_gender_places_and_source():
    got = levels(
        record("x y", birth=1960, gender="m", city="Tehran", place_of_detention="Evin prison"),
        record("x y", birth=1961, gender="f", city="تهران", place_of_detention="زندان اوین",
               source_id=2),
    )  # fmt: skip
    assert got["birth"] == "one year apart"
    assert got["gender"] == "different"
    assert got["city"] == "same"
    assert got["prison"] == "same"
    assert got["source"] == "two lists"
    got = levels(record("x y", birth=1960), record("x y", birth=1970))
    assert (
        got["birth"] == "conflicting" and got["gender"] == "null" and got["source"] == "same list"
    )


def test_comparisons_exist_for_both_dialects():
    duck, spark = comparisons("duckdb"), comparisons("spark")
    assert [c["output_column_name"] for c in duck] == [c["output_column_name"] for c in spark]
    assert all(rule["blocking_rule"].startswith("l.b_") for rule in blocking_rules())
    with pytest.raises(ValueError):
        comparisons("oracle")
