"""Who is on which list: heterogeneous capture probabilities, dependent lists."""

from __future__ import annotations

import numpy as np

from reckon.synth.config import ListHabits
from reckon.synth.places import AFFILIATIONS, CITY_INDEX
from reckon.synth.population import TEHRAN_AREA, Population


def affiliation_bias(habits: ListHabits) -> np.ndarray:
    """Log-odds shift of each affiliation on this list (its code's entry, else its group's)."""
    return np.array(
        [habits.affiliation.get(a.code, habits.affiliation.get(a.group, 0.0)) for a in AFFILIATIONS]
    )


def capture_probabilities(population: Population, habits: ListHabits) -> np.ndarray:
    """Probability that each person is on the list.

    ``logit p = logit(coverage) + prominence·z + tehran·[from Tehran] + affiliation[a]``: lists
    that share a bias (HR and FM both favour the left and Tehran) are positively dependent.
    """
    base = np.log(habits.coverage / (1.0 - habits.coverage))
    tehran = np.isin(population.city, [CITY_INDEX[c] for c in TEHRAN_AREA])
    logit = (
        base
        + habits.prominence * population.prominence.astype(np.float64)
        + habits.tehran * tehran
        + affiliation_bias(habits)[population.affiliation]
    )
    return 1.0 / (1.0 + np.exp(-logit))


def capture_matrix(
    population: Population, habits: tuple[ListHabits, ...], rng: np.random.Generator
) -> np.ndarray:
    """A (people × lists) boolean matrix: is person i on list j? Given a person's traits, lists
    capture independently; the dependence between lists comes from the shared traits."""
    out = np.empty((population.size, len(habits)), dtype=bool)
    for j, h in enumerate(habits):
        out[:, j] = rng.random(population.size) < capture_probabilities(population, h)
    return out
