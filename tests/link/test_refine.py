"""The refit of m and the prior on scored pairs, and the name frequencies behind TF adjustments."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from reckon.link.frequencies import PRIOR_WEIGHT, component_frequency, name_frequency_lookups
from reckon.link.refine import MIN_M, PRIOR_RANGE, levels_of_pairs, match_weights, refit


def _settings(prior: float = 1e-3) -> dict:
    """Two comparisons: name (exact / close / else) and date (same / else, with a null level)."""
    return {
        "probability_two_random_records_match": prior,
        "comparisons": [
            {
                "output_column_name": "name",
                "comparison_levels": [
                    {"sql_condition": "a", "m_probability": 0.5, "u_probability": 0.01},
                    {"sql_condition": "b", "m_probability": 0.3, "u_probability": 0.05},
                    {"sql_condition": "ELSE", "m_probability": 0.2, "u_probability": 0.94},
                ],
            },
            {
                "output_column_name": "date",
                "comparison_levels": [
                    {"sql_condition": "null", "is_null_level": True},
                    {"sql_condition": "same", "m_probability": 0.6, "u_probability": 0.02},
                    {"sql_condition": "ELSE", "m_probability": 0.4, "u_probability": 0.98},
                ],
            },
        ],
    }


def _bf(settings: dict, comparison: int, level: int) -> float:
    lv = settings["comparisons"][comparison]["comparison_levels"][level]
    return lv["m_probability"] / lv["u_probability"]


def _pairs(settings: dict, levels: list[tuple[int, int | None]]) -> pd.DataFrame:
    """Pairs at (name level index, date level index or None for null), as Splink scores them."""
    rows = []
    for name_level, date_level in levels:
        bf_name = _bf(settings, 0, name_level)
        bf_date = 1.0 if date_level is None else _bf(settings, 1, date_level)
        rows.append({"bf_name": bf_name, "bf_date": bf_date, "bf_tf_adj_name": 1.0})
    return pd.DataFrame(rows)


def test_levels_are_read_back_from_the_bayes_factors_in_splinks_numbering():
    settings = _settings()
    pairs = _pairs(settings, [(0, 1), (1, None), (2, 2)])
    levels = levels_of_pairs(settings, pairs)
    # Splink numbers non-null levels from k-1 (strongest) down to 0; null is -1
    assert levels["name"].tolist() == [2, 1, 0]
    assert levels["date"].tolist() == [1, -1, 0]


def test_match_weights_reproduce_the_scoring_they_replace():
    settings = _settings(prior=1e-3)
    pairs = _pairs(settings, [(0, 1), (1, None), (2, 2)])
    pairs["bf_tf_adj_name"] = [0.5, 1.0, 1.0]
    out = match_weights(settings, pairs, levels_of_pairs(settings, pairs))
    expected = math.log2(1e-3 / (1 - 1e-3)) + math.log2(50) + math.log2(30) - 1
    assert out["match_weight"][0] == pytest.approx(expected)
    assert out["match_probability"][0] == pytest.approx(1 / (1 + 2**-expected))
    assert out["bf_date"][1] == 1.0


def test_refit_recovers_m_from_a_mixture_and_keeps_u():
    """Pairs drawn from known m and u: the refit moves m towards the truth from a poor start."""
    rng = np.random.default_rng(3)
    true_m = {"name": [0.8, 0.15, 0.05], "date": [0.9, 0.1]}
    u = {"name": [1e-4, 1e-3, 0.9989], "date": [0.02, 0.98]}
    matches, non_matches = 3000, 3000
    name_levels = np.concatenate(
        [rng.choice(3, matches, p=true_m["name"]), rng.choice(3, non_matches, p=[0.3, 0.3, 0.4])]
    )
    date_levels = np.concatenate(
        [rng.choice(2, matches, p=true_m["date"]), rng.choice(2, non_matches, p=[0.05, 0.95])]
    )
    start = _settings(prior=1e-4)
    for level, value in zip(start["comparisons"][0]["comparison_levels"], u["name"], strict=True):
        level["u_probability"] = value
    pairs = pd.DataFrame(
        {
            "bf_name": [_bf(start, 0, i) for i in name_levels],
            "bf_date": [_bf(start, 1, i + 1) for i in date_levels],
            "bf_tf_adj_name": 1.0,
        }
    )
    # records chosen so that ~3000 matches among all pairs is a prior near 1e-4
    fitted = refit(start, pairs, records=7746)
    levels = fitted.settings["comparisons"][0]["comparison_levels"]
    assert levels[0]["m_probability"] > 0.7  # started at 0.5; truth 0.8
    assert [lv["u_probability"] for lv in levels] == u["name"]
    assert sum(lv["m_probability"] for lv in levels) == pytest.approx(1.0)
    assert 1000 < fitted.expected_matches < 6000
    assert fitted.prior == pytest.approx(
        fitted.expected_matches / (7746 * 7745 / 2), rel=0.05
    )  # prior follows the expected matches
    assert all(lv["m_probability"] >= MIN_M * 0.99 for lv in levels)


def test_a_model_that_cannot_tell_matches_apart_does_not_refit_its_prior_to_nothing():
    settings = _settings(prior=1e-4)  # best pair: 2250 to 1 against prior odds of 1 to 10,000
    pairs = _pairs(settings, [(0, 1)] * 100 + [(2, 2)] * 100)
    fitted = refit(settings, pairs, records=10_000)
    assert fitted.prior == pytest.approx(1e-4 / PRIOR_RANGE)


def test_component_frequency_is_given_share_times_family_share():
    f = pd.DataFrame(
        {
            "name_key": ["a b", "a c", "d b", "e", None],
            "given_key": ["a", "a", "d", "e", None],
            "family_key": ["b", "c", "b", None, None],
        }
    )
    out = component_frequency(f)
    assert out[0] == pytest.approx((2 / 4) * (2 / 4))
    assert np.isnan(out[3]) and np.isnan(out[4])  # one word, no name


def test_a_rare_full_name_is_not_counted_as_common_because_of_its_own_records():
    """The pair itself made the observed count; the parts' frequencies hardly depend on it."""
    given = ["ali"] * 50 + ["reza"] * 50
    family = [f"f{i}" for i in range(100)]
    f = pd.DataFrame({"given_key": given, "family_key": family, "source_id": 1})
    f.loc[100] = ["behruz", "soltanian", 1]
    f.loc[101] = ["behruz", "soltanian", 2]  # one person on two lists
    f["name_key"] = f["given_key"] + f["family_key"]
    f["name_norm"] = f["name_key"]
    tf = name_frequency_lookups(f)["name_norm"].set_index("name_norm")["tf_name_norm"]
    parts, observed = (2 / 102) ** 2, 2 / len(f)
    # no other person carries it: the parts' estimate, shrunk a little towards zero
    assert tf["behruzsoltanian"] == pytest.approx(PRIOR_WEIGHT / (PRIOR_WEIGHT / parts + 102))
    assert parts * 0.9 < tf["behruzsoltanian"] < parts
    assert tf["behruzsoltanian"] < observed / 10


def test_copies_of_one_person_on_several_lists_do_not_make_a_name_common():
    """Five records of one name on five lists are (most likely) one person written five
    times; five in one list are five people."""

    def frame(sources: list[int]) -> pd.DataFrame:
        f = pd.DataFrame({"given_key": [f"g{i}" for i in range(95)],
                          "family_key": [f"f{i}" for i in range(95)], "source_id": 1})  # fmt: skip
        rare = pd.DataFrame({"given_key": "bahman", "family_key": "sorkhi", "source_id": sources})
        f = pd.concat([f, rare], ignore_index=True)
        f["name_key"] = f["given_key"] + f["family_key"]
        f["name_norm"] = f["name_key"]
        return name_frequency_lookups(f)["name_key"].set_index("name_key")["tf_name_key"]

    across = frame([1, 2, 3, 4, 5])["bahmansorkhi"]
    within = frame([1, 1, 1, 1, 1])["bahmansorkhi"]
    assert within > 2 * across
    assert across == pytest.approx(PRIOR_WEIGHT / (PRIOR_WEIGHT / 0.05**2 + 100))


def test_names_that_go_together_are_as_common_as_the_records_show():
    """Mohammad Mohammadi: the parts' product understates it; the count of other people's
    records (here ten people in one list) pulls it up."""
    f = pd.DataFrame(
        {
            "given_key": ["m"] * 10 + ["x"] * 90,
            "family_key": ["mm"] * 10 + list(map(str, range(90))),
            "source_id": 1,
        }
    )
    f["name_key"] = f["given_key"] + f["family_key"]
    f["name_norm"] = f["name_key"]
    tf = name_frequency_lookups(f)["name_key"].set_index("name_key")["tf_name_key"]
    parts = 0.1 * 0.1
    assert tf["mmm"] == pytest.approx((PRIOR_WEIGHT + 9) / (PRIOR_WEIGHT / parts + 100))
    assert 2 * parts < tf["mmm"] < 0.1


def test_levels_with_the_same_weight_stay_tied_through_the_refit():
    """A level training never saw borrows the weight of the one above: the pairs file cannot
    tell them apart, so the refit must keep them together (not give one all the mass)."""
    settings = _settings(prior=1e-3)
    levels = settings["comparisons"][0]["comparison_levels"]
    levels[1]["m_probability"], levels[1]["u_probability"] = 0.05, 0.001  # bf 50, like level 0
    pairs = _pairs(settings, [(0, 1)] * 50 + [(2, 2)] * 50)
    fitted = refit(settings, pairs, records=2_000)
    new = fitted.settings["comparisons"][0]["comparison_levels"]
    bf = [lv["m_probability"] / lv["u_probability"] for lv in new[:2]]
    assert bf[0] == pytest.approx(bf[1])
    out = match_weights(fitted.settings, pairs, fitted.gammas)
    assert out["bf_name"][0] == pytest.approx(bf[0])
