"""Names shared by the tests of reckon.text: a pool of pairs, tricky names, generated people."""

from __future__ import annotations

POOL = [
    "Hamid Nouri",
    "حمید نوری",
    "NOURI, Hamid",
    "Hossein Rezaei",
    "حسین رضایی",
    "Hosein Reza'i",
    "Mohammad-Reza Ahmadi",
    "محمد رضا احمدی",
    "Mahmoud Ahmadi",
    "Seyed Ali Mousavi",
    "Ali Hassani",
    "Ali Hosseini",
    "Hamid Abbas Nouri",
    "عبد الحسین نوری زاده",
    "Abdolhossein Nourizadeh",
    "Fatemeh Karimi",
    "فاطمه کریمی",
    "Zahra",
    "",
    None,
    "۱۳۶۷",
]


def cold():
    from reckon.text import names, similarity

    similarity.clear_caches()
    names.clear_caches()


def random_pairs(n: int, seed: int) -> tuple[list[str], list[str]]:
    """Pairs of generated people: given × family names of the synthetic generator."""
    import random

    from reckon.synth.names import family_names, given_names

    rng = random.Random(seed)
    given, family = given_names(), family_names()

    def person() -> str:
        i, j = rng.randrange(len(given)), rng.randrange(len(family))
        if rng.random() < 0.5:
            return f"{given.persian[i]} {family.persian[j]}"
        return f"{rng.choice(given.latin[i])} {rng.choice(family.latin[j])}".replace("|", " ")

    people = [person() for _ in range(n // 4)]
    return [rng.choice(people) for _ in range(n)], [rng.choice(people) for _ in range(n)]


#: Names that test the word-by-word interning: commas, presentation forms (NFKC may add
#: spaces), non-breaking and repeated spaces, compounds written every way, affixes and
#: honorifics as words of their own.
TRICKY = [
    "NOURI, Hamid",
    "نوری، حمید",
    "Hamid ,Nouri",
    "Nouri,",
    "\ufea3\ufee4\ufef4\ufeaa \ufee7\ufeee\ufead\ufeef",  # حمید نوری in presentation forms
    "حمید \ufee7\ufeee\ufead\ufeef",
    "عبد \ufdf2 نوری",  # the ligature of الله
    "\ufdfa",  # a ligature that NFKC writes as four words
    "Hamid\u00a0Nouri",
    "  Hamid   Nouri ",
    "Mohammad Reza Ahmadi",
    "Mohammad-Reza Ahmadi",
    "MohammadReza Ahmadi",
    "Mohammadreza Ahmadi",
    "محمد رضا احمدی",
    "محمد\u200cرضا احمدی",
    "محمدرضا احمدی",
    "Ahmadi Mohammad Reza",
    "Mohammad Ali Reza",
    "Mohammad 1367 Reza",
    "Mohammad - Reza Nouri",
    "Ali Akbar Nouri",
    "Nouri Pour Hamid",
    "Pour Ostad Hamid",
    "Abdol Hossein Nouri Zadeh",
    "عبد الحسین نوری زاده",
    "Seyed Ali",
    "Seyed",
    "Haj Mohammad Reza",
    "Mohammad",
    "۱۳۶۷ Hamid",
    "x",
    "",
    "Hamid\x00Nouri",  # the separator of the compiled word splitting, inside a name
    "Hamid \ud800 Nouri",  # a lone surrogate
    "Hamid\u3000Nouri\u2029",  # the last whitespace code point; a paragraph separator
]


def people_written_every_way(n: int, seed: int) -> list[str]:
    """Generated people with compounds written every way (as in benchmarks/names.py)."""
    import random

    from reckon.synth.names import family_names, given_names, latin_compound, persian_compound

    rng = random.Random(seed)
    given, family = given_names(), family_names()

    def write(table, unit: int) -> str:
        if rng.random() < 0.5:
            style = rng.choice(("joined", "zwnj", "space"))
            return persian_compound(table.persian[unit], int(table.split[unit]), style)
        style = rng.choice(("hyphen", "space", "camel", "joined"))
        return latin_compound(rng.choice(table.latin[unit]), style)

    return [
        f"{write(given, rng.randrange(len(given)))} {write(family, rng.randrange(len(family)))}"
        for _ in range(n)
    ]
