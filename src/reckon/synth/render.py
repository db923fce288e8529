"""Write one list's rows: the people it captured, in its own script, spellings and formats."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from reckon.synth import dates
from reckon.synth.config import DATE_FORMATS, LATIN_COMPOUNDS, PERSIAN_COMPOUNDS, ListHabits
from reckon.synth.names import (
    ARABIC_LETTERS,
    PERSIAN_DIGITS,
    add_typo,
    family_names,
    given_names,
    pick_variants,
    spelling_table,
)
from reckon.synth.places import (
    AFFILIATIONS,
    BURIALS,
    CITIES,
    GENDERS,
    HEADERS,
    PRISONS,
    TITLE,
    Term,
)
from reckon.synth.population import Population

NAME_FIELDS = ("given", "family", "father")


@dataclass(eq=False)
class SourceList:
    """One generated list: its habits, its columns, and for every row the truth behind it.

    ``columns[f][r]`` is the text of field ``f`` in data row ``r + 1``; ``person[r]`` the
    population index of the person that row is about. ``copy`` is 1 for a person's first row on
    the list and 2 for a duplicate; ``persian`` whether the row is in Persian script;
    ``date_format`` the index (in ``config.DATE_FORMATS``) of its execution-date format and
    ``date_shift`` how many days that date is off the truth; ``typo`` whether a name field has a
    typing error.
    """

    habits: ListHabits
    columns: dict[str, np.ndarray]
    person: np.ndarray
    copy: np.ndarray
    persian: np.ndarray
    date_format: np.ndarray
    date_shift: np.ndarray
    typo: np.ndarray
    encoding: str = "utf-8"
    meta: dict[str, object] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.person)

    @property
    def code(self) -> str:
        return self.habits.code

    @property
    def fields(self) -> tuple[str, ...]:
        return self.habits.fields

    @property
    def header(self) -> list[str]:
        labels = HEADERS[self.habits.header_language]
        header = [labels[f] for f in self.fields]
        if self.habits.arabic_letters >= 1.0:  # typed on an Arabic keyboard, like the rows
            header = [h.translate(ARABIC_LETTERS) for h in header]
        return header

    def rows(self) -> list[list[str]]:
        """Data rows in file order (without the header)."""
        return [list(row) for row in zip(*(self.columns[f] for f in self.fields), strict=True)]


def render_list(
    population: Population, habits: ListHabits, captured: np.ndarray, rng: np.random.Generator
) -> SourceList:
    """Rows for the people in ``captured`` (population indices), with duplicates, in list order."""
    duplicates = rng.random(len(captured)) < habits.duplicate_rate
    person = np.concatenate([captured, captured[duplicates]]).astype(np.int64)
    copy = np.concatenate(
        [np.ones(len(captured), np.int8), np.full(int(duplicates.sum()), 2, np.int8)]
    )
    n = len(person)
    if habits.script == "persian":
        persian = np.ones(n, dtype=bool)
    elif habits.script == "latin":
        persian = np.zeros(n, dtype=bool)
    else:
        persian = rng.random(n) < habits.persian_share
    digits = persian & (rng.random(n) < habits.persian_digits)

    columns: dict[str, np.ndarray] = {}
    names, typo = _names(population, habits, person, persian, rng)
    wanted = set(habits.fields)
    if "full_name" in wanted:
        columns["full_name"] = _full_names(names, persian, habits.surname_first)
    for f in NAME_FIELDS:
        if f in wanted:
            columns[f] = names[f]

    female = population.female[person]
    columns["gender"] = _terms(GENDERS, female.astype(np.int64), persian, rng, 0.9)

    shift = np.zeros(n, dtype=np.int64)
    wrong = rng.random(n) < habits.date_error_rate
    size = np.where(rng.random(n) < 0.7, rng.integers(1, 6, n), rng.integers(20, 41, n))
    shift[wrong] = (size * rng.choice([-1, 1], n))[wrong]
    execution = population.death_day[person].astype(np.int64) + shift
    date_format = _choose(habits.date_formats, DATE_FORMATS, n, rng)
    columns["execution_date"] = dates.format_days(execution, date_format, persian, digits)

    birth = population.birth_day[person].astype(np.int64)
    off = rng.random(n) < habits.age_error_rate
    birth[off] += rng.choice([-730, -365, 365, 730], int(off.sum()))
    jalali = habits.calendar == "jalali"
    years = dates.jalali_years(birth) if jalali else dates.gregorian_years(birth)
    death_years = dates.jalali_years(execution) if jalali else dates.gregorian_years(execution)
    columns["birth_year"] = _numbers(years, digits)
    birth_format = _choose(habits.birth_formats, DATE_FORMATS, n, rng)
    columns["birth_date"] = dates.format_days(birth, birth_format, persian, digits)
    columns["age"] = _numbers(death_years - years, digits)

    columns["prison"] = _terms(PRISONS, population.prison[person], persian, rng)
    columns["city"] = _terms(CITIES, population.city[person], persian, rng)
    columns["burial"] = _terms(BURIALS, population.burial[person], persian, rng)
    columns["affiliation"] = _terms(AFFILIATIONS, population.affiliation[person], persian, rng)
    if "notes" in wanted:
        columns["notes"] = _notes(population, person, persian, digits, rng)

    for f, rate in habits.missing.items():
        if f in columns and rate > 0:
            blank = rng.random(n) < rate
            columns[f] = np.where(blank, "", columns[f]).astype(object)

    arabic = persian & (rng.random(n) < habits.arabic_letters)
    if arabic.any():
        for f in wanted - {"id"}:
            col = columns[f]
            col[arabic] = [s.translate(ARABIC_LETTERS) for s in col[arabic]]

    order = _order(habits.order, columns, execution, persian, rng, wanted)
    columns = {f: columns[f][order] for f in habits.fields if f != "id"}
    width = max(4, len(str(n)))
    columns["id"] = np.array(
        [f"{habits.code}-{i:0{width}d}" for i in range(1, n + 1)], dtype=object
    )
    return SourceList(
        habits=habits,
        columns=columns,
        person=person[order],
        copy=copy[order],
        persian=persian[order],
        date_format=date_format[order],
        date_shift=shift[order],
        typo=typo[order],
        encoding=habits.encoding,
    )


def _choose(
    weights: Mapping[str, float], names: tuple[str, ...], n: int, rng: np.random.Generator
) -> np.ndarray:
    """For each of ``n`` rows, the index (in ``names``) of an option drawn by ``weights``."""
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    picked = rng.choice(len(keys), size=n, p=p / p.sum())
    return np.array([names.index(k) for k in keys], dtype=np.int64)[picked]


def _names(
    population: Population,
    habits: ListHabits,
    person: np.ndarray,
    persian: np.ndarray,
    rng: np.random.Generator,
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Given, family and father's names of each row in the row's script, with typos."""
    varied = habits.spelling == "varied"
    tables = {"given": given_names(), "family": family_names()}
    spellings = {
        kind: spelling_table(table, tuple(habits.spelling_rules), varied, rng)
        for kind, table in tables.items()
    }
    n = len(person)
    latin_style = _choose(habits.latin_compound, LATIN_COMPOUNDS, n, rng)
    persian_style = _choose(habits.persian_compound, PERSIAN_COMPOUNDS, n, rng)
    units = {
        "given": population.given[person],
        "family": population.family[person],
        "father": population.father[person],
    }
    out: dict[str, np.ndarray] = {}
    typo = np.zeros(n, dtype=bool)
    for f in NAME_FIELDS:
        sp = spellings["family" if f == "family" else "given"]
        u = units[f]
        variant = pick_variants(sp, u, habits.spelling_consistency, rng)
        text = np.where(persian, sp.persian[persian_style, u], sp.latin[latin_style, u, variant])
        text = text.astype(object)
        hit = np.flatnonzero(rng.random(n) < habits.typo_rate)
        if len(hit):
            before = text[hit]
            draws = rng.random((len(hit), 3))
            text[hit] = [add_typo(s, d) for s, d in zip(before, draws, strict=True)]
            typo[hit] |= text[hit] != before
        out[f] = text
    # the title Seyyed, in the list's own spelling, on some of the rows of people who carry it
    titled = np.flatnonzero(population.seyyed[person] & (rng.random(n) < habits.title))
    latin_title = TITLE.latin[int(rng.integers(len(TITLE.latin)))]
    given = out["given"]
    given[titled] = [
        f"{TITLE.persian[0] if p else latin_title} {g}"
        for p, g in zip(persian[titled], given[titled], strict=True)
    ]
    return out, typo


def _full_names(
    names: dict[str, np.ndarray], persian: np.ndarray, surname_first: bool
) -> np.ndarray:
    given, family = names["given"], names["family"]
    if not surname_first:
        return np.array([f"{g} {f}" for g, f in zip(given, family, strict=True)], dtype=object)
    return np.array(
        [
            f"{g} {f}" if p else f"{f.upper()}, {g}"
            for g, f, p in zip(given, family, persian, strict=True)
        ],
        dtype=object,
    )


def _terms(
    terms: tuple[Term, ...],
    index: np.ndarray,
    persian: np.ndarray,
    rng: np.random.Generator,
    keep: float = 0.85,
) -> np.ndarray:
    """Spell each row's term: the list's own spelling of it, or (``1 - keep`` of rows) another."""
    width = max(max(len(t.persian), len(t.latin)) for t in terms)
    table = np.empty((2, len(terms), width), dtype=object)
    counts = np.zeros((2, len(terms)), dtype=np.int64)
    for i, t in enumerate(terms):
        for s, spellings in enumerate((t.latin, t.persian)):
            counts[s, i] = len(spellings)
            table[s, i] = [spellings[min(v, len(spellings) - 1)] for v in range(width)]
    script = persian.astype(np.int64)
    preferred = (rng.random((2, len(terms))) ** 2 * counts).astype(np.int64)  # favour the first
    n = len(index)
    variant = preferred[script, index]
    other = rng.random(n) >= keep
    variant[other] = (rng.random(int(other.sum())) * counts[script[other], index[other]]).astype(
        np.int64
    )
    return table[script, index, variant]


def _numbers(values: np.ndarray, digits: np.ndarray) -> np.ndarray:
    text = values.astype(str).astype(object)
    if digits.any():
        text[digits] = [s.translate(PERSIAN_DIGITS) for s in text[digits]]
    return text


_NOTES_LATIN = (
    "Arrested in {year}",
    "Source: family",
    "Executed in {prison}",
    "Sentenced to {k} years",
    "Buried in {burial}",
)
_BURIED_IN = {
    "unknown": "",
    "khavaran": "Khavaran",
    "behesht_zahra": "Behesht-e Zahra",
    "mass_grave": "a mass grave",
}
_NOTES_PERSIAN = (
    "دستگیری {year}",
    "منبع: خانواده",
    "اعدام در {prison}",
    "محکوم به {k} سال زندان",
    "محل دفن: {burial}",
)


def _notes(
    population: Population,
    person: np.ndarray,
    persian: np.ndarray,
    digits: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    n = len(person)
    kind = rng.integers(0, len(_NOTES_LATIN), n)
    unknown_burial = population.burial[person] == BURIALS.index(BURIALS[0])
    kind[(kind == 4) & unknown_burial] = 1  # no "buried in unknown"
    sentence = rng.choice([3, 5, 8, 10, 15, 20], n)
    arrest = population.arrest_year[person].astype(np.int64)
    out = np.empty(n, dtype=object)
    for r in range(n):
        p = int(person[r])
        fa = bool(persian[r])
        template = (_NOTES_PERSIAN if fa else _NOTES_LATIN)[kind[r]]
        year = arrest[r] - 621 if fa else arrest[r]
        text = template.format(
            year=year,
            k=sentence[r],
            prison=PRISONS[population.prison[p]].persian[0]
            if fa
            else PRISONS[population.prison[p]].latin[0],
            burial=BURIALS[population.burial[p]].persian[0]
            if fa
            else _BURIED_IN[BURIALS[population.burial[p]].code],
        )
        out[r] = text.translate(PERSIAN_DIGITS) if digits[r] else text
    return out


def _order(
    order: str,
    columns: dict[str, np.ndarray],
    execution: np.ndarray,
    persian: np.ndarray,
    rng: np.random.Generator,
    wanted: set[str],
) -> np.ndarray:
    n = len(execution)
    shuffle = rng.permutation(n)
    if order == "date":
        return shuffle[np.argsort(execution[shuffle], kind="stable")]
    if order == "name":
        key = columns["family"] if "family" in wanted else columns["full_name"]
        return shuffle[np.argsort(key[shuffle].astype(str), kind="stable")]
    return shuffle
