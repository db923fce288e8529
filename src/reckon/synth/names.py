"""Name units (given and family names) and how a list spells them, in Persian and Latin script.

A unit has one Persian spelling, a frequency, and attested Latin spellings with counts; compound
units know where they split (محمد|رضا, علی|زاده). A list's spelling habits become a
:class:`SpellingTable`: for every unit, its Latin spellings with the list's rules applied, written
in each compound style, and its Persian spelling in each spacing style, so that rendering a million
names is array indexing.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from reckon.synth.config import LATIN_COMPOUNDS, PERSIAN_COMPOUNDS

ZWNJ = "\u200c"
NON_JOINING = set("اآأإدذرزژوؤۀة")  # letters that never join the next one


@dataclass(frozen=True, eq=False)
class NameTable:
    """Name units of one kind, most frequent first."""

    persian: tuple[str, ...]
    split: np.ndarray  # int: character index of the compound boundary, 0 if none
    weight: np.ndarray  # float: relative frequency
    latin: tuple[tuple[str, ...], ...]  # lowercase spellings, "|" at the compound boundary
    latin_count: tuple[tuple[int, ...], ...]
    female: np.ndarray | None = None  # bool, given names only

    def __len__(self) -> int:
        return len(self.persian)


def _read(name: str, gendered: bool) -> NameTable:
    text = resources.files("reckon.synth").joinpath("data", name).read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    latin, counts = [], []
    for row in rows:
        pairs = [item.rsplit(":", 1) for item in row["latin"].split(";")]
        latin.append(tuple(p[0] for p in pairs))
        counts.append(tuple(int(p[1]) for p in pairs))
    return NameTable(
        persian=tuple(r["persian"] for r in rows),
        split=np.array([int(r["split"]) for r in rows], dtype=np.int16),
        weight=np.array([float(r["count"]) for r in rows]),
        latin=tuple(latin),
        latin_count=tuple(counts),
        female=np.array([r["gender"] == "F" for r in rows]) if gendered else None,
    )


@cache
def given_names() -> NameTable:
    """The given-name units (with gender)."""
    return _read("given_names.csv", gendered=True)


#: Suffixes that make Persian family names from a given name or another family name
#: (Hassanzadeh, Alipour, Rezaeinejad, Karimnia, Rahimifar): Persian, Latin spellings with
#: relative counts, and how productive the suffix is.
SURNAME_SUFFIXES: tuple[tuple[str, tuple[tuple[str, int], ...], float], ...] = (
    ("زاده", (("zadeh", 10), ("zade", 2)), 3.0),
    ("پور", (("pour", 10), ("pur", 2)), 3.0),
    ("نژاد", (("nejad", 8), ("nezhad", 2)), 1.5),
    ("نیا", (("nia", 1),), 1.5),
    ("فر", (("far", 1),), 1.0),
)
#: Share of people whose family name is made here rather than drawn from the attested units.
#: The attested units (Wikidata, attested at least twice) are the common names; alone they make
#: namesakes about three times too common: the chance that two people share a family name
#: (sum of squared shares) is 1.5e-3 over them, against 5.9e-4 among the 13,529 distinct
#: Iranian full names in Wikidata (``../shared/data/names``). With this share it is about 5e-4.
COMPOSED_SURNAME_SHARE = 0.45
_COMPOSED_BASES = 1500  # most frequent single-word units used as bases, per table


@cache
def family_names() -> NameTable:
    """The family-name units: the attested ones, then those composed from them
    (see :data:`COMPOSED_SURNAME_SHARE`)."""
    attested = _read("family_names.csv", gendered=False)
    return _with_composed(attested, given_names())


def _with_composed(attested: NameTable, given: NameTable) -> NameTable:
    """``attested`` plus the surnames :data:`SURNAME_SUFFIXES` make from single-word male given
    names and family names, weighted by the square root of the base's frequency."""
    known = set(attested.persian)
    bases: list[tuple[str, tuple[str, ...], tuple[int, ...], float]] = []
    assert given.female is not None
    # family names ending in ی take a suffix (Abbasipour, Rezaeinejad); those with an affix of
    # their own already (Pourhassan, Haghighatjou) do not
    plain_family = np.array(
        [p.endswith("ی") and not p.startswith(("پور", "میر")) and len(p) <= 7
         for p in attested.persian]
    )  # fmt: skip
    for table, keep in ((given, ~given.female), (attested, plain_family)):
        order = np.argsort(-table.weight, kind="stable")
        chosen = [u for u in order if keep[u] and table.split[u] == 0][:_COMPOSED_BASES]
        bases += [(table.persian[u], table.latin[u][:3], table.latin_count[u][:3],
                   float(table.weight[u])) for u in chosen]  # fmt: skip
    persian, split, weight, latin, latin_count = [], [], [], [], []
    for base, spellings, counts, base_weight in bases:
        for suffix, suffix_spellings, productivity in SURNAME_SUFFIXES:
            name = base + suffix
            if name in known or "|" in "".join(spellings):
                continue
            known.add(name)
            pairs = sorted(
                ((f"{b}|{s}", bc * sc) for b, bc in zip(spellings, counts, strict=True)
                 for s, sc in suffix_spellings),
                key=lambda pair: -pair[1],
            )  # fmt: skip
            persian.append(name)
            split.append(len(base))
            weight.append(np.sqrt(base_weight) * productivity)
            latin.append(tuple(p for p, _ in pairs))
            latin_count.append(tuple(int(c) for _, c in pairs))
    made = np.array(weight)
    made *= (
        attested.weight.sum() * COMPOSED_SURNAME_SHARE / (1 - COMPOSED_SURNAME_SHARE) / made.sum()
    )
    return NameTable(
        persian=attested.persian + tuple(persian),
        split=np.concatenate([attested.split, np.array(split, dtype=np.int16)]),
        weight=np.concatenate([attested.weight, made]),
        latin=attested.latin + tuple(latin),
        latin_count=attested.latin_count + tuple(latin_count),
    )


# ---------------------------------------------------------------- Latin spelling rules
def _rule_gh_q(text: str, persian: str) -> str:
    return text.replace("gh", "q") if "ق" in persian else text


_RULES = {
    "gh_q": _rule_gh_q,
    "q_gh": lambda t, p: re.sub(r"(?<!g)q", "gh", t),
    "ou_u": lambda t, p: t.replace("ou", "u").replace("oo", "u"),
    "u_ou": lambda t, p: re.sub(r"(?<=.[^aeiou])u(?![aeiou])", "ou", t),
    "aei_apostrophe": lambda t, p: re.sub(r"a(?:ei|ee|ie|i)$", "a'i", re.sub(r"ae(?=il)", "a'", t)),
    "ss_s": lambda t, p: t.replace("ss", "s"),
    "eh_e": lambda t, p: re.sub(r"(?<=.)eh$", "e", t),
    "ey_ei": lambda t, p: t.replace("ey", "ei"),
    "ei_ey": lambda t, p: re.sub(r"ei(?=[^aeiou])", "ey", t),
    "single_consonant": lambda t, p: re.sub(r"([bdmnrt])\1", r"\1", t),
    "initial_e_i": lambda t, p: re.sub(r"^e(?=[sb][a-z])", "i", t),
    "v_w": lambda t, p: re.sub(r"(?<=[aeiou])v(?=[aeiou])", "w", t),
    "french_dj": lambda t, p: re.sub(r"^j", "dj", t),
}


def apply_rules(spelling: str, persian: str, rules: tuple[str, ...]) -> str:
    """Apply a list's Latin spelling rules to each part of a lowercase spelling."""
    parts = spelling.split("|")
    for rule in rules:
        parts = [_RULES[rule](part, persian) for part in parts]
    return "|".join(parts)


def latin_compound(spelling: str, style: str) -> str:
    """Capitalise a lowercase spelling and write its compound boundary in ``style``."""
    parts = [_capitalise(p) for p in spelling.split("|")]
    if len(parts) == 1:
        return parts[0]
    if style == "hyphen":
        return "-".join(parts)
    if style == "space":
        return " ".join(parts)
    if style == "camel":
        return "".join(parts)
    return parts[0] + "".join(p.lower() for p in parts[1:])  # joined


def _capitalise(part: str) -> str:
    """Capital initial, also after a hyphen or space inside an attested spelling
    (ghaem-maghami → Ghaem-Maghami), but not for short particles (al-e-habib → Al-e-Habib)."""
    return re.sub(r"(^|[- ])([a-z])(?=[a-z']{2})|^([a-z])", lambda m: m[0].upper(), part)


def persian_compound(persian: str, split: int, style: str) -> str:
    """Write a Persian unit with its compound boundary joined, with a ZWNJ, or with a space."""
    if not split:
        return persian
    head, tail = persian[:split], persian[split:]
    if style == "space":
        return f"{head} {tail}"
    if style == "zwnj":  # also after a non-joining letter, where it is invisible but typed
        return f"{head}{ZWNJ}{tail}"
    return head + tail


def canonical_persian(table: NameTable, unit: int, surname: bool) -> str:
    """The reference Persian spelling: given names joined, surname suffixes after a ZWNJ
    (where the letter before would otherwise join)."""
    persian, split = table.persian[unit], int(table.split[unit])
    joins = split > 0 and persian[split - 1] not in NON_JOINING
    return persian_compound(persian, split, "zwnj" if surname and joins else "joined")


def canonical_latin(table: NameTable, unit: int) -> str:
    """The reference Latin spelling: the most attested one, hyphen at a given-name compound."""
    spelling = table.latin[unit][0]
    return latin_compound(spelling, "hyphen" if table.female is not None else "joined")


@dataclass(frozen=True, eq=False)
class SpellingTable:
    """One list's spellings of every unit of one table.

    ``latin[s, u, v]`` is the spelling of unit ``u``'s ``v``-th attested variant in Latin compound
    style ``s``; ``persian[s, u]`` the Persian spelling in spacing style ``s``. ``preferred[u]`` is
    the variant the list uses for unit ``u``; ``cumulative[u]`` the cumulative attestation
    weights of its variants, for the rows that stray from it.
    """

    latin: np.ndarray  # object, (styles, units, variants)
    persian: np.ndarray  # object, (styles, units)
    preferred: np.ndarray  # int
    cumulative: np.ndarray  # float, (units, variants), padded with 1.0


def spelling_table(
    table: NameTable, rules: tuple[str, ...], varied: bool, rng: np.random.Generator
) -> SpellingTable:
    """Build a list's spelling table. ``varied`` lists pick their own spelling of each name
    (weighted by the square root of attestation); others use the most attested one. The list's
    rules apply to 85% of units (chosen at random), so that some names escape them."""
    units = len(table)
    applies = rng.random(units) < 0.85
    choice = rng.random(units)
    plain = _latin_forms(table, ())
    latin = np.where(applies[None, :, None], _latin_forms(table, rules), plain) if rules else plain
    cumulative, flat = _cumulative_weights(table)
    preferred = np.zeros(units, dtype=np.int64)
    if varied:
        counts = np.array([len(v) for v in table.latin])
        preferred = np.minimum((choice[:, None] >= flat).sum(axis=1), counts - 1)
    return SpellingTable(latin, _persian_forms(table), preferred, cumulative)


@cache
def _latin_forms(table: NameTable, rules: tuple[str, ...]) -> np.ndarray:
    """(styles, units, variants) spellings with ``rules`` applied; short rows padded."""
    width = max(len(v) for v in table.latin)
    out = np.empty((len(LATIN_COMPOUNDS), len(table), width), dtype=object)
    for u, variants in enumerate(table.latin):
        for v, spelling in enumerate(variants):
            if rules:
                spelling = apply_rules(spelling, table.persian[u], rules)
            for s, style in enumerate(LATIN_COMPOUNDS):
                out[s, u, v] = latin_compound(spelling, style)
        out[:, u, len(variants) :] = out[:, u, len(variants) - 1 : len(variants)]
    out.flags.writeable = False
    return out


@cache
def _cumulative_weights(table: NameTable) -> tuple[np.ndarray, np.ndarray]:
    """Cumulative attestation weights of each unit's variants (padded with 1.0), as counts and
    as square roots of counts."""
    width = max(len(v) for v in table.latin)
    cumulative = np.ones((len(table), width))
    flat = np.ones((len(table), width))
    for u, counts in enumerate(table.latin_count):
        c = np.asarray(counts, dtype=float)
        cumulative[u, : len(c)] = np.cumsum(c) / c.sum()
        flat[u, : len(c)] = np.cumsum(np.sqrt(c)) / np.sqrt(c).sum()
    return cumulative, flat


@cache
def _persian_forms(table: NameTable) -> np.ndarray:
    out = np.empty((len(PERSIAN_COMPOUNDS), len(table)), dtype=object)
    for s, style in enumerate(PERSIAN_COMPOUNDS):
        for u in range(len(table)):
            out[s, u] = persian_compound(table.persian[u], int(table.split[u]), style)
    out.flags.writeable = False
    return out


def pick_variants(
    spelling: SpellingTable, units: np.ndarray, consistency: float, rng: np.random.Generator
) -> np.ndarray:
    """The variant each row uses: the list's own, or (for ``1 - consistency`` of rows) one drawn
    from the attested spellings by frequency."""
    variant = spelling.preferred[units]
    stray = rng.random(len(units)) >= consistency
    if stray.any():
        draws = rng.random(int(stray.sum()))
        cum = spelling.cumulative[units[stray]]
        variant[stray] = np.minimum((draws[:, None] >= cum).sum(axis=1), cum.shape[1] - 1)
    return variant


# ---------------------------------------------------------------- typing errors
_LATIN_NEIGHBOURS = {
    "a": "seqz", "b": "vn", "c": "xv", "d": "sf", "e": "wri", "f": "dg", "g": "fh", "h": "gj",
    "i": "uoe", "j": "hk", "k": "jl", "l": "k", "m": "n", "n": "bm", "o": "ipu", "p": "o",
    "q": "wa", "r": "et", "s": "ad", "t": "ry", "u": "yio", "v": "cb", "w": "qe", "x": "zc",
    "y": "tu", "z": "xs",
}  # fmt: skip
_PERSIAN_CONFUSABLE = [
    "بپتث", "جچحخ", "دذ", "رزژ", "سش", "صض", "طظ", "عغ", "فق", "کگ", "یئ", "هة",
]  # fmt: skip
_PERSIAN_NEIGHBOURS = {ch: group.replace(ch, "") for group in _PERSIAN_CONFUSABLE for ch in group}


def add_typo(text: str, draw: np.ndarray) -> str:
    """One typing error in ``text``, chosen by three uniform numbers in ``draw``: a neighbouring
    or look-alike letter, a dropped letter, two letters swapped, or a doubled letter."""
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(letters) < 3:
        return text
    i = letters[int(draw[1] * len(letters))]
    ch = text[i]
    kind = int(draw[0] * 4)
    if kind == 0:
        pool = _PERSIAN_NEIGHBOURS.get(ch) or _LATIN_NEIGHBOURS.get(ch.lower(), "")
        if not pool:
            kind = 1
        else:
            new = pool[int(draw[2] * len(pool))]
            return text[:i] + (new.upper() if ch.isupper() else new) + text[i + 1 :]
    if kind == 1 and i > 0:
        return text[:i] + text[i + 1 :]
    if kind == 2 and i + 1 < len(text) and text[i + 1].isalpha():
        return text[:i] + text[i + 1] + ch + text[i + 2 :]
    return text[: i + 1] + ch.lower() + text[i + 1 :]  # doubled


ARABIC_LETTERS = str.maketrans({"ی": "ي", "ک": "ك"})
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
