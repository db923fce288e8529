"""Refit the m probabilities and the prior on the scored candidate pairs.

Splink's training estimates each comparison's m probabilities by expectation maximisation inside
one blocking rule at a time, and a comparison cannot be estimated on the rule that blocks on it.
The name is the hard case: estimated on pairs with the same family name and day of death, where
relatives and namesakes abound, it learnt that half of all matches write different names, and
every agreeing level lost about a bit of evidence. The scored pairs of a run are the better
sample: every blocking rule at once, with term-frequency adjustments. Here EM runs over them
with the *global* prior — a pair not scored counts as a non-match, as blocking intends — and u
fixed at what random pairs gave (those do not depend on who matches):

* E step: each pair's match probability from the current m, the fixed u and TF adjustments, and
  the prior;
* M step: each level's m is the probability-weighted share of pairs at that level (null levels
  carry no evidence); the prior is the expected number of matches over all pairs.

Levels that scored pairs hardly ever reach (names that share nothing: blocking keeps those out)
keep a floor of ``MIN_M`` so that one disagreeing field cannot outweigh everything else.

The functions are pure: a pairs table in (the ``bf_*`` and ``bf_tf_adj_*`` columns Splink
writes), new settings and weights out. Each pair's level is read back from its Bayes factor
(Splink keeps the level itself only alongside every input column, too much to store).
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

#: Least m probability of a level after refitting (about -10 bits for a disagreement).
MIN_M = 1e-3
#: Fewer scored pairs than this and the trained model is kept as it is: a handful of pairs
#: (a project of a few dozen records) is too few to re-estimate every level from.
MIN_PAIRS = 500
#: The refitted prior stays within this factor of the trained one. Where the comparisons cannot
#: tell matches apart, EM on the prior alone drifts towards "no matches at all" (or all);
#: the bound keeps a weak model from talking itself out of every link.
PRIOR_RANGE = 4.0


@dataclass
class Refit:
    """The refitted settings and what the refit did."""

    settings: dict[str, Any]
    gammas: dict[str, np.ndarray]
    iterations: int
    prior: float
    expected_matches: float


def _levels(comparison: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """(gamma value, level) of the non-null levels: Splink numbers them from k-1 down to 0."""
    levels = [level for level in comparison["comparison_levels"] if not level.get("is_null_level")]
    return [(len(levels) - 1 - i, level) for i, level in enumerate(levels)]


def _refittable(comparison: dict[str, Any]) -> bool:
    """Every level has m and u (a level training never saw may lack them: left as scored)."""
    return all(
        level.get("m_probability") and level.get("u_probability")
        for _, level in _levels(comparison)
    )


def levels_of_pairs(settings: dict[str, Any], pairs: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per comparison: each pair's level as Splink numbers it (-1 null, k-1 strongest .. 0),
    read from its ``bf_<comparison>`` under ``settings`` (the settings that scored it).
    Comparisons not :func:`_refittable` are left out."""
    out = {}
    for comparison in settings["comparisons"]:
        if not _refittable(comparison):
            continue
        name = comparison["output_column_name"]
        values = np.array([-1] + [value for value, _ in _levels(comparison)])
        weights = np.array(
            [0.0]
            + [
                math.log2(lv["m_probability"] / lv["u_probability"])
                for _, lv in _levels(comparison)
            ]
        )
        observed = np.log2(pairs[f"bf_{name}"].to_numpy(dtype="float64"))
        nearest = np.abs(observed[:, None] - weights[None, :]).argmin(axis=1)
        out[name] = values[nearest]
    return out


def _log2_bayes_factors(
    settings: dict[str, Any], gammas: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Per comparison: each pair's log2(m/u) at its level (0 at the null level)."""
    out = {}
    for comparison in settings["comparisons"]:
        name = comparison["output_column_name"]
        if name not in gammas:
            continue
        gamma = gammas[name]
        levels = _levels(comparison)
        table = np.zeros(len(levels) + 1)  # index gamma + 1; -1 (null) -> 0
        for value, level in levels:
            table[value + 1] = math.log2(level["m_probability"] / level["u_probability"])
        out[name] = table[gamma + 1]
    return out


def _fixed_log2(pairs: pd.DataFrame, gammas: dict[str, np.ndarray]) -> np.ndarray:
    """log2 of the Bayes factors the refit does not change: TF adjustments (they depend on u
    only) and comparisons left out of the refit."""
    total = np.zeros(len(pairs))
    for column in pairs.columns:
        if column.startswith("bf_") and column[3:] not in gammas:
            total += np.log2(pairs[column].to_numpy(dtype="float64"))
    return total


def match_weights(
    settings: dict[str, Any], pairs: pd.DataFrame, gammas: dict[str, np.ndarray]
) -> pd.DataFrame:
    """``match_weight``, ``match_probability`` and ``bf_<comparison>`` of each pair at levels
    ``gammas`` under ``settings`` (the TF adjustments of ``pairs`` kept: they depend on u only).
    """
    prior = settings["probability_two_random_records_match"]
    parts = _log2_bayes_factors(settings, gammas)
    weight = math.log2(prior / (1 - prior)) + _fixed_log2(pairs, gammas) + sum(parts.values())
    out = pd.DataFrame({"match_weight": weight, "match_probability": 1 / (1 + np.exp2(-weight))})
    for name, part in parts.items():
        out[f"bf_{name}"] = np.exp2(part)
    return out


def _tied_levels(comparison: dict[str, Any]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Groups of levels with the same Bayes factor (a level training never saw borrows the
    weight of the one above it), as (gamma values, m shares): the pairs file cannot tell them
    apart, so the refit moves each group's mass as one and keeps the shares within it."""
    groups: dict[float, list[tuple[int, float]]] = {}
    for value, level in _levels(comparison):
        weight = round(math.log2(level["m_probability"] / level["u_probability"]), 9)
        groups.setdefault(weight, []).append((value, level["m_probability"]))
    out = []
    for members in groups.values():
        if len(members) > 1:
            values = np.array([v for v, _ in members])
            shares = np.array([m for _, m in members])
            out.append((values, shares / shares.sum()))
    return out


def refit(
    settings: dict[str, Any],
    pairs: pd.DataFrame,
    records: int,
    *,
    max_iterations: int = 50,
    tolerance: float = 1e-4,
) -> Refit:
    """EM over the scored ``pairs`` of ``records`` records (see the module docs)."""
    settings = copy.deepcopy(settings)
    total_pairs = records * (records - 1) / 2
    gammas = levels_of_pairs(settings, pairs)
    fixed = _fixed_log2(pairs, gammas)
    ties = {c["output_column_name"]: _tied_levels(c) for c in settings["comparisons"]
            if c["output_column_name"] in gammas}  # fmt: skip
    prior = trained_prior = settings["probability_two_random_records_match"]
    low, high = trained_prior / PRIOR_RANGE, min(0.5, trained_prior * PRIOR_RANGE)
    iterations = 0
    expected = prior * total_pairs
    for iterations in range(1, max_iterations + 1):  # noqa: B007 - reported
        weight = math.log2(prior / (1 - prior)) + fixed
        weight = weight + sum(_log2_bayes_factors(settings, gammas).values())
        probability = 1 / (1 + np.exp2(-weight))
        change = 0.0
        for comparison in settings["comparisons"]:
            if comparison["output_column_name"] not in gammas:
                continue
            gamma = gammas[comparison["output_column_name"]]
            levels = _levels(comparison)
            mass = np.bincount(gamma[gamma >= 0], weights=probability[gamma >= 0],
                               minlength=len(levels))  # fmt: skip
            if mass.sum() <= 0:
                continue
            for values, shares in ties[comparison["output_column_name"]]:
                mass[values] = mass[values].sum() * shares
            share = np.maximum(mass / mass.sum(), MIN_M)
            share /= share.sum()
            for value, level in levels:
                change = max(change, abs(level["m_probability"] - share[value]))
                level["m_probability"] = float(share[value])
        expected = float(probability.sum())
        new_prior = min(high, max(expected / total_pairs, low))
        change = max(change, abs(math.log(new_prior / prior)))
        prior = new_prior
        settings["probability_two_random_records_match"] = prior
        if change < tolerance:
            break
    return Refit(settings, gammas, iterations, prior, expected)
