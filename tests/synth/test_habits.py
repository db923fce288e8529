"""Each list's habits show in its rows: script, spellings, compounds, dates, typos, gaps."""

from __future__ import annotations

import re
from datetime import date, timedelta

import jdatetime
import numpy as np
import pytest

from reckon.synth import ListHabits, ScenarioConfig, generate_scenario
from reckon.synth.config import DATE_FORMATS
from reckon.synth.names import (
    add_typo,
    apply_rules,
    family_names,
    given_names,
    latin_compound,
    persian_compound,
)
from reckon.synth.places import JALALI_MONTHS_LATIN, JALALI_MONTHS_PERSIAN, TITLE

PERSIAN_LETTER = re.compile(r"[\u0600-\u06ff]")
EPOCH = date(1970, 1, 1)
ASCII_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")


def _list(scenario, code):
    return next(s for s in scenario.lists if s.code == code)


def _true_dates(scenario, source):
    return [EPOCH + timedelta(days=int(d)) for d in scenario.population.death_day[source.person]]


def test_scripts(scenario_3000):
    hr, ai, fm = (_list(scenario_3000, c) for c in ("HR", "AI", "FM"))
    assert all(PERSIAN_LETTER.search(g) for g in hr.columns["given"] if g)
    assert all(PERSIAN_LETTER.search(f) for f in hr.columns["family"] if f)
    assert not any(PERSIAN_LETTER.search(n) for n in ai.columns["full_name"])
    assert all(n.isascii() for n in ai.columns["full_name"])
    script = np.array([bool(PERSIAN_LETTER.search(n)) for n in fm.columns["full_name"]])
    assert np.array_equal(script, fm.persian)
    assert 0.45 < fm.persian.mean() < 0.75


def test_jalali_dates_parse_to_the_true_date(scenario_3000):
    hr = _list(scenario_3000, "HR")
    truth = _true_dates(scenario_3000, hr)
    checked = 0
    for text, fmt, shift, true in zip(
        hr.columns["execution_date"], hr.date_format, hr.date_shift, truth, strict=True
    ):
        name = DATE_FORMATS[fmt]
        if not text or name not in {"jalali", "jalali_text"}:
            continue
        ascii_text = text.translate(ASCII_DIGITS).replace("ي", "ی")
        if name == "jalali":
            y, m, d = map(int, ascii_text.split("/"))
        else:
            d_text, month, y_text = ascii_text.split(" ")
            y, m, d = int(y_text), JALALI_MONTHS_PERSIAN.index(month) + 1, int(d_text)
        parsed = jdatetime.date(y, m, d).togregorian()
        assert parsed == true + timedelta(days=int(shift))
        checked += 1
    assert checked > 300
    assert any(re.search("[۰-۹]", t) for t in hr.columns["execution_date"])


def test_latin_jalali_month_names():
    habits = (
        ListHabits(code="J", coverage=0.5, date_formats={"jalali_text": 1.0}, date_error_rate=0),
    )
    s = generate_scenario(ScenarioConfig(people=300, seed=1, habits=habits))
    source = s.lists[0]
    for text, true in zip(source.columns["execution_date"], _true_dates(s, source), strict=True):
        d, month, y = text.split(" ")
        assert (
            jdatetime.date(int(y), JALALI_MONTHS_LATIN.index(month) + 1, int(d)).togregorian()
            == true
        )


def test_gregorian_dates_and_year_only(scenario_3000):
    mj = _list(scenario_3000, "MJ")
    truth = _true_dates(scenario_3000, mj)
    jan1 = 0
    for text, fmt, shift, true in zip(
        mj.columns["execution_date"], mj.date_format, mj.date_shift, truth, strict=True
    ):
        name = DATE_FORMATS[fmt]
        if name == "dmy":
            d, m, y = map(int, text.split("."))
            assert date(y, m, d) == true + timedelta(days=int(shift))
        elif name == "year_jan1":
            assert text == f"{(true + timedelta(days=int(shift))).year}-01-01"
            jan1 += 1
    assert 0.15 < jan1 / len(mj) < 0.25


def test_surname_first_and_father(scenario_3000):
    mj = _list(scenario_3000, "MJ")
    names = [n for n in mj.columns["full_name"] if n]
    assert all(re.fullmatch(r"[A-Z' -]+, .+", n) for n in names)
    assert sum(1 for f in mj.columns["father"] if f) > 0.6 * len(mj)


def test_attested_and_rule_based_spellings(scenario_20000):
    s = scenario_20000
    hossein = given_names().persian.index("حسین")
    seen = set()
    for source in s.lists:
        if "full_name" not in source.columns:
            continue
        rows = (s.population.given[source.person] == hossein) & ~source.persian & ~source.typo
        for name in source.columns["full_name"][rows]:
            given = name.split(", ", 1)[1] if ", " in name else name
            seen.add(next(w for w in given.split() if w not in TITLE.latin))
    assert {"Hossein", "Hosein"} <= seen and len(seen) >= 3
    assert apply_rules("ghasem", "قاسم", ("gh_q",)) == "qasem"
    assert apply_rules("rezaei", "رضایی", ("aei_apostrophe",)) == "reza'i"
    assert apply_rules("mahmoud", "محمود", ("ou_u",)) == "mahmud"
    assert apply_rules("ali|zadeh", "علیزاده", ("eh_e",)) == "ali|zade"


@pytest.mark.parametrize(
    "style,expected",
    [
        ("hyphen", "Mohammad-Reza"),
        ("joined", "Mohammadreza"),
        ("camel", "MohammadReza"),
        ("space", "Mohammad Reza"),
    ],
)
def test_latin_compounds(style, expected):
    assert latin_compound("mohammad|reza", style) == expected


@pytest.mark.parametrize(
    "style,expected", [("joined", "محمدرضا"), ("space", "محمد رضا"), ("zwnj", "محمد\u200cرضا")]
)
def test_persian_compounds(style, expected):
    assert persian_compound("محمدرضا", 4, style) == expected


def test_persian_compound_spacing_in_rows():
    habits = (
        ListHabits(
            code="S", coverage=0.6, script="persian", fields=("id", "given", "family"),
            persian_compound={"space": 1.0}, typo_rate=0, title=0,
        ),
    )  # fmt: skip
    s = generate_scenario(ScenarioConfig(people=3000, seed=2, habits=habits))
    source = s.lists[0]
    split = given_names().split[s.population.given[source.person]] > 0
    assert split.sum() > 50
    assert all(" " in g for g in source.columns["given"][split])
    assert not any(" " in g for g in source.columns["given"][~split])
    zadeh = [
        f for f in source.columns["family"] if f.endswith("زاده") and f != "زاده"
    ]  # surnames in -zadeh are written with a space too
    assert zadeh and all(f.endswith(" زاده") for f in zadeh)


def test_typos_missing_and_arabic_letters():
    habits = (
        ListHabits(
            code="T", coverage=0.6, script="persian", fields=("id", "given", "family", "father"),
            typo_rate=1.0, missing={"father": 1.0}, arabic_letters=1.0, title=0,
        ),
        ListHabits(code="C", coverage=0.6, typo_rate=0.0),
    )  # fmt: skip
    s = generate_scenario(ScenarioConfig(people=1000, seed=3, habits=habits))
    typo, clean = s.lists
    assert typo.typo.mean() > 0.9
    assert set(typo.columns["father"]) == {""}
    text = "".join(typo.columns["given"]) + "".join(typo.columns["family"])
    assert "ی" not in text and "ک" not in text and "ي" in text
    assert not clean.typo.any()


def test_add_typo_changes_one_letter():
    rng = np.random.default_rng(0)
    for word in ("Mohammad", "Hosseini", "محمدرضا", "کریمی"):
        for _ in range(50):
            changed = add_typo(word, rng.random(3))
            assert abs(len(changed) - len(word)) <= 1
            assert changed != word or len(set(word)) < len(word)  # swapping equal letters
    assert add_typo("Al", np.array([0.1, 0.5, 0.5])) == "Al"


def test_family_name_table_is_clean_and_namesakes_are_as_rare_as_among_real_iranians():
    table = family_names()
    assert 5000 < len(table) < 20000  # the attested units and those composed from them
    share = table.weight / table.weight.sum()
    # chance that two people share a family name: 5.9e-4 among Wikidata's Iranian full names
    assert 3e-4 < (share**2).sum() < 7e-4
    composed = table.persian[2600:]
    assert "حسن" + "زاده" in table.persian and len(set(table.persian)) == len(table)
    assert all(table.split[table.persian.index(p)] > 0 for p in composed[:50])
    assert all(PERSIAN_LETTER.search(p) and "ي" not in p for p in table.persian)
    spellings = [v for vs in table.latin for v in vs]
    assert all(re.fullmatch(r"[a-z][a-z' -]*(\|[a-z' -]+)?", v) for v in spellings)
    assert sum("|" in v for v in spellings) > 100  # compounds in -zadeh, -pour … know their split
