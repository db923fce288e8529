"""Generation: deterministic for a seed, and the ground truth agrees with the lists."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from reckon.errors import ConfigError
from reckon.synth import (
    ListHabits,
    ScenarioConfig,
    default_habits,
    generate_scenario,
    people_for_records,
)
from reckon.synth.names import given_names


def _snapshot(scenario):
    return [
        (s.code, {f: list(c) for f, c in s.columns.items()}, s.person.tolist())
        for s in scenario.lists
    ]


def test_same_seed_same_scenario():
    a = generate_scenario(ScenarioConfig(people=800, seed=42))
    b = generate_scenario(ScenarioConfig(people=800, seed=42))
    assert _snapshot(a) == _snapshot(b)
    assert np.array_equal(a.capture, b.capture)
    assert np.array_equal(a.population.given, b.population.given)
    assert a.to_dict() == b.to_dict()


def test_other_seed_other_scenario():
    a = generate_scenario(ScenarioConfig(people=800, seed=42))
    b = generate_scenario(ScenarioConfig(people=800, seed=43))
    assert _snapshot(a) != _snapshot(b)


def test_every_row_is_a_captured_person(scenario_3000):
    s = scenario_3000
    assert s.size == 3000
    for j, source in enumerate(s.lists):
        assert len(source) == len(source.person) == len(source.columns["id"])
        # each captured person appears once as a first copy, duplicates only of captured people
        first = np.sort(source.person[source.copy == 1])
        assert np.array_equal(first, np.flatnonzero(s.capture[:, j]))
        assert set(source.person[source.copy == 2].tolist()) <= set(first.tolist())
        assert len(set(source.columns["id"])) == len(source)
        assert source.columns["id"][0] == f"{source.code}-0001"
    counts = s.counts()
    assert sum(c["records"] for c in counts.values()) == s.records
    assert s.observed == int(s.capture.any(axis=1).sum()) < s.size


def test_duplicates_when_asked_and_not_otherwise():
    habits = (
        ListHabits(code="A", duplicate_rate=0.3, coverage=0.5),
        ListHabits(code="B", duplicate_rate=0.0, coverage=0.5),
    )
    s = generate_scenario(ScenarioConfig(people=2000, seed=1, habits=habits))
    a, b = s.lists
    share = (a.copy == 2).sum() / (a.copy == 1).sum()
    assert 0.25 < share < 0.35
    assert (b.copy == 2).sum() == 0
    # a duplicate is the same person written again, not always identically
    dup = a.person[a.copy == 2]
    assert len(set(dup.tolist())) == len(dup)


def test_gender_follows_the_given_name(scenario_3000):
    pop = scenario_3000.population
    assert np.array_equal(given_names().female[pop.given], pop.female)
    assert not given_names().female[pop.father].any()
    assert 0.04 < pop.female.mean() < 0.13


def test_ages_and_dates_are_consistent(scenario_3000):
    s = scenario_3000
    pop = s.population
    start, end = (np.datetime64(d).astype(np.int64) for d in (s.config.start, s.config.end))
    assert pop.death_day.min() >= start and pop.death_day.max() <= end
    assert pop.age.min() >= 15 and pop.age.max() <= 75
    assert np.all(np.abs(1988 - pop.birth_year - pop.age) <= 1)


def test_common_names_are_common(scenario_20000):
    persian = np.asarray(given_names().persian, dtype=object)[scenario_20000.population.given]
    values, counts = np.unique(persian, return_counts=True)
    top = set(values[np.argsort(-counts)[:8]].tolist())
    assert {"محمد", "علی", "حسین"} <= top
    assert len(values) > 300  # a long tail


def test_siblings_share_family_father_and_city(scenario_3000):
    pop = scenario_3000.population
    younger = np.flatnonzero(pop.sibling_of >= 0)
    elder = pop.sibling_of[younger]
    assert len(younger) > 30
    for column in (pop.family, pop.father, pop.city):
        assert np.array_equal(column[younger], column[elder])


def test_more_lists_than_templates():
    habits = default_habits(7)
    assert [h.code for h in habits] == ["AI", "MJ", "HR", "FM", "L5", "L6", "L7"]
    s = generate_scenario(ScenarioConfig(people=500, lists=7, seed=2))
    assert len(s.lists) == 7 and s.capture.shape == (500, 7)


@pytest.mark.parametrize(
    "change",
    [
        {"people": 0},
        {"lists": 0},
        {"start": ScenarioConfig().end, "end": ScenarioConfig().start},
        {"habits": (ListHabits(code="A"), ListHabits(code="A"))},
        {"habits": (ListHabits(code="A", coverage=1.5),)},
        {"habits": (ListHabits(code="A", date_formats={"roman": 1.0}),)},
        {"habits": (ListHabits(code="A", fields=("full_name",)),)},
        {"habits": (ListHabits(code="A", affiliation={"royalist": 1.0}),)},
        {"habits": (ListHabits(code="A", spelling_rules=("klingon",)),)},
        {"habits": (ListHabits(code="A", encoding="no-such-codec"),)},
    ],
)
def test_bad_config_is_a_config_error(change):
    with pytest.raises(ConfigError):
        ScenarioConfig(**change)


def test_people_for_records_hits_the_target():
    config = ScenarioConfig(seed=4)
    people = people_for_records(20_000, config)
    s = generate_scenario(dataclasses.replace(config, people=people))
    assert abs(s.records - 20_000) / 20_000 < 0.05
