"""The true population of a scenario: invented people, each with the facts the lists report."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property

import numpy as np

from reckon.synth import dates
from reckon.synth.config import ScenarioConfig
from reckon.synth.names import (
    NameTable,
    canonical_latin,
    canonical_persian,
    family_names,
    given_names,
)
from reckon.synth.places import (
    AFFILIATION_INDEX,
    AFFILIATIONS,
    BURIAL_INDEX,
    CITIES,
    CITY_INDEX,
    PRISON_INDEX,
    TEHRAN_PRISONS,
)

# Surnames of families descended from the Prophet: their men are often "Seyyed".
SEYYED_SURNAMES = {"حسینی", "موسوی", "هاشمی", "طباطبایی", "حسینی‌نژاد", "رضوی", "میرزایی"}
TEHRAN_AREA = {"tehran", "karaj", "qom"}


@dataclass(frozen=True, eq=False)
class Population:
    """Everyone executed in the scenario, listed or not, as parallel arrays (one row a person).

    Names are indices into :func:`given_names` / :func:`family_names`; places into the tables
    of :mod:`reckon.synth.places`; days count from 1970-01-01.
    """

    given: np.ndarray
    family: np.ndarray
    father: np.ndarray
    seyyed: np.ndarray
    female: np.ndarray
    birth_day: np.ndarray
    death_day: np.ndarray
    city: np.ndarray
    prison: np.ndarray
    affiliation: np.ndarray
    burial: np.ndarray
    prominence: np.ndarray
    arrest_year: np.ndarray
    sibling_of: np.ndarray  # index of a brother or sister in the population, -1 if none

    @property
    def size(self) -> int:
        return len(self.given)

    def __len__(self) -> int:
        return self.size

    @cached_property
    def ids(self) -> np.ndarray:
        """Person ids, "P000001" …, in population order."""
        width = max(6, len(str(self.size)))
        return np.array([f"P{i:0{width}d}" for i in range(1, self.size + 1)], dtype=object)

    @cached_property
    def age(self) -> np.ndarray:
        """Completed years at death."""
        return dates.whole_years_between(self.birth_day, self.death_day)

    @cached_property
    def birth_year(self) -> np.ndarray:
        return dates.gregorian_years(self.birth_day)

    def persian_names(self) -> list[str]:
        """Reference Persian full names (title, given name, family name)."""
        return self._names(persian=True, title="سید ")

    def latin_names(self) -> list[str]:
        """Reference Latin full names (most attested spellings)."""
        return self._names(persian=False, title="Seyyed ")

    def _names(self, persian: bool, title: str) -> list[str]:
        given = reference_spellings(given_names(), surname=False, persian=persian)[self.given]
        family = reference_spellings(family_names(), surname=True, persian=persian)[self.family]
        titles = np.where(self.seyyed, title, "").astype(object)
        return [
            f"{t}{g} {f}"
            for t, g, f in zip(titles.tolist(), given.tolist(), family.tolist(), strict=True)
        ]

    def father_names(self, persian: bool) -> np.ndarray:
        return reference_spellings(given_names(), surname=False, persian=persian)[self.father]


@cache
def reference_spellings(table: NameTable, surname: bool, persian: bool) -> np.ndarray:
    if persian:
        out = [canonical_persian(table, u, surname) for u in range(len(table))]
    else:
        out = [canonical_latin(table, u) for u in range(len(table))]
    return np.array(out, dtype=object)


def generate_population(config: ScenarioConfig, rng: np.random.Generator) -> Population:
    """Invent ``config.people`` people (vectorised; a million takes about a second)."""
    n = config.people
    given, family = given_names(), family_names()
    assert given.female is not None
    female = rng.random(n) < config.female_share

    def draw(weights: np.ndarray, mask: np.ndarray, size: int) -> np.ndarray:
        w = np.where(mask, weights, 0.0)
        return rng.choice(len(w), size=size, p=w / w.sum()).astype(np.int32)

    first = np.empty(n, dtype=np.int32)
    first[female] = draw(given.weight, given.female, int(female.sum()))
    first[~female] = draw(given.weight, ~given.female, int((~female).sum()))
    father = draw(given.weight, ~given.female, n)
    surname = draw(family.weight, np.ones(len(family), dtype=bool), n)
    seyyed_family = np.isin(np.asarray(family.persian, dtype=object), list(SEYYED_SURNAMES))
    seyyed_rate = np.where(seyyed_family[surname], 0.5, config.seyyed_share)
    seyyed = ~female & (rng.random(n) < seyyed_rate)

    shares = np.array([a.share for a in AFFILIATIONS])
    affiliation = rng.choice(len(AFFILIATIONS), size=n, p=shares / shares.sum()).astype(np.int16)
    weights = np.array([c.weight for c in CITIES])
    city = rng.choice(len(CITIES), size=n, p=weights / weights.sum()).astype(np.int16)
    kurdish_city = np.array([c.kurdish for c in CITIES])
    kurdish = np.isin(affiliation, [i for i, a in enumerate(AFFILIATIONS) if a.group == "kurdish"])
    kw = np.where(kurdish_city, weights, 0.0)
    city[kurdish] = rng.choice(len(CITIES), size=int(kurdish.sum()), p=kw / kw.sum())

    prison = np.empty(n, dtype=np.int16)
    for c, spec in enumerate(CITIES):
        here = np.flatnonzero(city == c)
        codes = [PRISON_INDEX[p] for p, _ in spec.prisons]
        p = np.array([w for _, w in spec.prisons])
        prison[here] = rng.choice(codes, size=len(here), p=p / p.sum())
    transferred = (rng.random(n) < 0.05) & ~np.isin(city, [CITY_INDEX[c] for c in TEHRAN_AREA])
    tehran_codes = [PRISON_INDEX[p] for p, _ in TEHRAN_PRISONS]
    prison[transferred] = rng.choice(tehran_codes[:2], size=int(transferred.sum()))

    death_day = _execution_days(config, affiliation, rng)
    age_years = 16.0 + rng.gamma(3.0, 3.3, size=n)
    age_years = np.minimum(age_years, 75.0)
    birth_day = (death_day - np.round(age_years * 365.25)).astype(np.int32)
    death_year = dates.gregorian_years(death_day)
    arrest_year = (death_year - rng.choice(8, size=n, p=_ARREST_LAG)).astype(np.int16)

    burial = _burials(city, affiliation, rng)
    prominence = rng.standard_normal(n).astype(np.float32)

    sibling_of = np.full(n, -1, dtype=np.int32)
    m = min(round(config.sibling_share * n), n // 2) if n > 1 else 0
    if m:
        younger = rng.choice(n, size=m, replace=False)
        elder = (younger + rng.integers(1, n, size=m)) % n
        elder = elder[~np.isin(elder, younger)]
        younger = younger[: len(elder)]
        sibling_of[younger] = elder
        for column in (surname, father, city, prison, burial):
            column[younger] = column[elder]
        same_side = rng.random(len(younger)) < 0.7
        affiliation[younger[same_side]] = affiliation[elder[same_side]]
        seyyed[younger] = seyyed[elder] & ~female[younger]

    return Population(
        given=first,
        family=surname,
        father=father,
        seyyed=seyyed,
        female=female,
        birth_day=birth_day,
        death_day=death_day.astype(np.int32),
        city=city,
        prison=prison,
        affiliation=affiliation,
        burial=burial,
        prominence=prominence,
        arrest_year=arrest_year,
        sibling_of=sibling_of,
    )


_ARREST_LAG = np.array([0.02, 0.04, 0.06, 0.07, 0.08, 0.1, 0.23, 0.4])  # years before death


def _execution_days(
    config: ScenarioConfig, affiliation: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Days in the period; each affiliation has a wave (its members mostly executed in one part
    of the period), plus 15% spread over the whole period."""
    start, end = dates.to_day(config.start), dates.to_day(config.end)
    span = end - start + 1
    lo = np.array([a.wave[0] for a in AFFILIATIONS])[affiliation]
    hi = np.array([a.wave[1] for a in AFFILIATIONS])[affiliation]
    fraction = lo + (hi - lo) * rng.beta(2.0, 2.0, size=len(affiliation))
    anywhere = rng.random(len(affiliation)) < 0.15
    fraction[anywhere] = rng.random(int(anywhere.sum()))
    return np.minimum(start + np.floor(fraction * span).astype(np.int64), end)


def _burials(city: np.ndarray, affiliation: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    left = np.isin(affiliation, [i for i, a in enumerate(AFFILIATIONS) if a.group == "left"])
    tehran = np.isin(city, [CITY_INDEX[c] for c in TEHRAN_AREA])
    u = rng.random(len(city))
    burial = np.where(u < 0.4, BURIAL_INDEX["mass_grave"], BURIAL_INDEX["unknown"])
    burial = np.where(tehran & left & (u < 0.75), BURIAL_INDEX["khavaran"], burial)
    mojahedin = affiliation == AFFILIATION_INDEX["mojahedin"]
    burial = np.where(tehran & mojahedin & (u < 0.3), BURIAL_INDEX["behesht_zahra"], burial)
    return burial.astype(np.int8)
