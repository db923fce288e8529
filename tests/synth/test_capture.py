"""Capture: heterogeneous people, lists dependent in the configured direction."""

from __future__ import annotations

import numpy as np

from reckon.synth import ListHabits, ScenarioConfig, generate_scenario
from reckon.synth.places import AFFILIATION_INDEX, AFFILIATIONS


def overlap_ratio(capture: np.ndarray, a: int, b: int) -> float:
    """Observed overlap of two lists over the overlap expected if they were independent."""
    n = len(capture)
    expected = capture[:, a].sum() * capture[:, b].sum() / n
    return float((capture[:, a] & capture[:, b]).sum() / expected)


def test_default_lists_are_dependent_as_designed(scenario_20000):
    s = scenario_20000
    index = {source.code: j for j, source in enumerate(s.lists)}
    c = s.capture
    # HR and FM both favour the left and Tehran: more overlap than independence
    assert overlap_ratio(c, index["HR"], index["FM"]) > 1.2
    # MJ captures Mojahedin, FM the left: less overlap than independence
    assert overlap_ratio(c, index["MJ"], index["FM"]) < 0.7
    assert overlap_ratio(c, index["MJ"], index["HR"]) < 0.9
    # so Lincoln-Petersen on HR and FM underestimates N, on MJ and FM overestimates it
    hr, fm, mj = (c[:, index[k]] for k in ("HR", "FM", "MJ"))
    assert hr.sum() * fm.sum() / (hr & fm).sum() < 0.9 * s.size
    assert mj.sum() * fm.sum() / (mj & fm).sum() > 1.2 * s.size
    # and some people are on no list at all
    assert 0.15 * s.size < s.size - s.observed < 0.5 * s.size


def test_capture_varies_by_person(scenario_20000):
    s = scenario_20000
    pop = s.population
    ai = s.capture[:, [x.code for x in s.lists].index("AI")]
    mj = s.capture[:, [x.code for x in s.lists].index("MJ")]
    # the NGO list favours prominent people
    assert pop.prominence[ai].mean() > pop.prominence[~ai].mean() + 0.5
    # the organisation's list favours its members
    mojahedin = pop.affiliation == AFFILIATION_INDEX["mojahedin"]
    assert mj[mojahedin].mean() > 5 * mj[~mojahedin].mean()


def test_lists_without_shared_traits_are_independent():
    habits = (ListHabits(code="A", coverage=0.3), ListHabits(code="B", coverage=0.3))
    s = generate_scenario(ScenarioConfig(people=20_000, seed=8, habits=habits))
    assert 0.93 < overlap_ratio(s.capture, 0, 1) < 1.07


def test_a_shared_bias_makes_lists_dependent():
    left = {a.code: 2.0 for a in AFFILIATIONS if a.group == "left"}
    habits = (
        ListHabits(code="A", coverage=0.1, affiliation=left),
        ListHabits(code="B", coverage=0.1, affiliation=left),
        ListHabits(code="C", coverage=0.1, affiliation={k: -2.0 for k in left}),
    )
    s = generate_scenario(ScenarioConfig(people=20_000, seed=9, habits=habits))
    assert overlap_ratio(s.capture, 0, 1) > 1.5
    assert overlap_ratio(s.capture, 0, 2) < 0.8
