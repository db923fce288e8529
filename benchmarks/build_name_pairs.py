"""Build the labelled name-pair set benchmarks/data/name_pairs.csv (deterministic, seeded).

Sources (see benchmarks/data/README.md): Wikidata-derived Persian name units and full names with
Latin labels (CC0, via the MIT-licensed package arabic-name-romanizer 0.2.0) in
../shared/data/names/. Only rows for Iran (country IR) are used.

How it works, in short:

1. Unit spellings: each Persian name unit's attested Latin spellings, minus misalignments (a
   spelling that is attested at least three times as often for another unit, e.g. محمدرضا →
   "Mohammad"), for well-attested units one-off spellings, spellings that add or drop the
   suffix -ی (راهدان → "Rahdani": another name, as Mohammad/Mohammadi) and spellings in Polish or
   Czech orthography ("sz", "cz": "Maraszijan").
2. Full names: a Wikidata (Persian, Latin) pair is kept only when every Persian token aligns with
   an attested spelling of it (so aliases that are other names — a pen name, an added name — are
   dropped). Aligned pairs give given-name and surname *segments* with their Latin spellings.
3. Generated people: a given-name segment and a surname segment from different real people, so
   no row is a real person. Segments are assigned to the dev or test split by a hash of their
   Persian form; a person uses segments of one split only, so test names are unseen in tuning.
4. Pairs of every type (persian-latin, latin-latin, persian-persian), positives (spelling
   variants, surname-first, honorifics, father's name added, Persian orthography) and negatives
   (random people, siblings sharing a surname, and hard negatives: a unit swapped for a
   different but close one, e.g. حسینی/حسنی, Hosseini/Hassani).

Run: ``.venv/bin/python benchmarks/build_name_pairs.py [--source DIR] [--out FILE]``; with
``--extended``, the extended held-out sample (name_pairs_extended.csv: test units only, ten times
the test split's pairs, another seed, none of the main file's pairs); with ``--extended dev``,
the same of the dev units (name_pairs_extended_dev.csv), a larger sample to tune rules on.
The rules of reckon.text are not used here, so the labels do not depend on them.
"""

from __future__ import annotations

import argparse
import collections
import csv
import random
import re
import zlib
from pathlib import Path

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

SEED = 20240603
HERE = Path(__file__).resolve().parent
DEFAULT_SOURCE = HERE.parent.parent / "shared" / "data" / "names"
DEFAULT_OUT = HERE / "data" / "name_pairs.csv"

HONORIFIC_UNITS = {"سيد": "Seyed", "حاج": "Haj", "ميرزا": "Mirza", "شيخ": "Sheikh"}
HONORIFIC_LATIN = {
    "سيد": ["Seyed", "Seyyed", "Sayed", "Sayyid"],
    "حاج": ["Haj", "Hajj", "Haji"],
    "ميرزا": ["Mirza"],
    "شيخ": ["Sheikh", "Sheykh"],
}
# Per split: (pair_type, kind, label, count)
PLAN = [
    ("persian-latin", "transliteration", 1, 450),
    ("persian-latin", "surname_first", 1, 100),
    ("persian-latin", "honorific", 1, 60),
    ("persian-latin", "father_name_added", 1, 60),
    ("latin-latin", "spelling_variant", 1, 300),
    ("latin-latin", "surname_first", 1, 60),
    ("persian-persian", "orthography", 1, 250),
    ("persian-latin", "random", 0, 350),
    ("latin-latin", "random", 0, 200),
    ("persian-persian", "random", 0, 150),
    ("persian-latin", "sibling", 0, 100),
    ("latin-latin", "sibling", 0, 60),
    ("persian-persian", "sibling", 0, 60),
    ("persian-latin", "hard", 0, 300),
    ("latin-latin", "hard", 0, 200),
    ("persian-persian", "hard", 0, 200),
]


HOMOPHONES = str.maketrans("غصثذضظطحع", "قسسزززتها")


def fold_sound(p: str) -> str:
    """Fold letters that sound alike in Persian (ق/غ, س/ص/ث, ز/ذ/ض/ظ, ت/ط, ه/ح, ا/ع)."""
    return fold(p).translate(HOMOPHONES)


def fold(p: str) -> str:
    """Orthographic folding used only to compare Persian units (not reckon's rules)."""
    for a, b in (("ئ", "ي"), ("ى", "ي"), ("أ", "ا"), ("إ", "ا"), ("ؤ", "و"), ("ة", "ه"), (" ", "")):
        p = p.replace(a, b)
    return p.replace("\u200c", "")


def split_of(persian_segment: str) -> str:
    return "dev" if zlib.crc32(fold(persian_segment).encode()) % 2 == 0 else "test"


def load_units(source: Path) -> dict[str, collections.Counter[str]]:
    raw: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    display: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    with open(source / "wikidata_ir_name_units.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["country"] != "IR":
                continue
            latin = row["latin"].strip()
            raw[row["persian_key_arabic_letters"]][latin.lower()] += int(row["count"])
            display[latin.lower()][latin] += int(row["count"])
    by_latin: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for p, spellings in raw.items():
        for s, n in spellings.items():
            by_latin[s][p] += n
    units: dict[str, collections.Counter[str]] = {}
    for p, spellings in raw.items():
        total = sum(spellings.values())
        kept: collections.Counter[str] = collections.Counter()
        for s, n in spellings.items():
            best_other = max((m for q, m in by_latin[s].items() if q != p), default=0)
            if best_other >= 3 * n:
                continue  # misaligned: the spelling belongs to another unit
            if total >= 5 and n == 1:
                continue  # one-off spelling of a well-attested unit
            letters = sum(ch.isalpha() for ch in s)
            if not 1.0 <= letters / max(len(p.replace(" ", "")), 1) <= 2.3:
                continue  # far too short or long to spell this unit (a part or another name)
            if not same_ending(p, s):
                continue  # the -i suffix added or dropped: another name (Rahdan/Rahdani)
            if FOREIGN_ORTHOGRAPHY.search(s):
                continue  # Polish or Czech letters for Persian sounds (Hosejni, Maraszijan)
            kept[display[s].most_common(1)[0][0]] += n
        if kept:
            units[p] = kept
    return units


#: Latin spellings of an i-sound at the end of a word.
LATIN_FINAL_I = ("i", "y", "ee", "ie", "ei", "ey")
#: Persian letters that are not consonants at the end of a word (vowel letters, ه, ع, hamza).
PERSIAN_NOT_CONSONANT = set("اآأإوؤیيىئهةعء")
#: Digraphs of Polish and Czech spelling, which no English, French or German romanization of
#: Persian uses (sz = ش, cz = چ).
FOREIGN_ORTHOGRAPHY = re.compile(r"sz|cz")


def same_ending(persian: str, latin: str) -> bool:
    """Whether a Latin spelling agrees with the Persian unit on ending in the suffix -i.

    The suffix ی (-i) makes another name: راهدان Rahdan / راهدانی Rahdani, as محمد Mohammad /
    محمدی Mohammadi. A spelling ending in an i-sound of a unit ending in a consonant letter, or
    a spelling ending in a consonant of a unit ending in ی, adds or drops it: it spells another
    name. Anything less clear-cut is kept (مرضیه Marzie, موسی Mousa, شفیع Shafi, جوزی Jouze).
    """
    p_words, l_words = fold(persian).split(), latin.lower().replace("-", " ").split()
    if not p_words or not l_words:
        return True
    p_last, l_last = p_words[-1], l_words[-1]
    if l_last.endswith(LATIN_FINAL_I) and p_last[-1] not in PERSIAN_NOT_CONSONANT:
        return False
    return not (p_last[-1] in "يیى" and l_last[-1] not in "aeiouy")


_SPELL_CACHE: dict[int, dict[str, set[str]]] = {}


def _lower_spellings(units: dict[str, collections.Counter[str]]) -> dict[str, set[str]]:
    if id(units) not in _SPELL_CACHE:
        _SPELL_CACHE[id(units)] = {p: {s.lower() for s in c} for p, c in units.items()}
    return _SPELL_CACHE[id(units)]


def align(persian: str, latin: str, units: dict[str, collections.Counter[str]]):
    """Align Persian tokens with Latin tokens via attested unit spellings; None if impossible."""
    ptoks = persian.split()
    ltoks = latin.replace("\u2010", "-").split()
    spell = _lower_spellings(units)
    memo: dict[tuple[int, int], list | None] = {}

    def go(i: int, j: int):
        if (i, j) in memo:
            return memo[(i, j)]
        if i == len(ptoks) and j == len(ltoks):
            return []
        result = None
        for pi in (1, 2):
            if i + pi > len(ptoks) or result is not None:
                break
            pseg = "".join(ptoks[i : i + pi]) if pi == 2 else ptoks[i]
            candidates = spell.get(pseg, set()) | (spell.get(" ".join(ptoks[i : i + pi]), set()))
            if not candidates:
                continue
            for lj in (1, 2, 3):
                if j + lj > len(ltoks):
                    break
                lseg = ltoks[j : j + lj]
                forms = {" ".join(lseg).lower(), "".join(lseg).lower(), "-".join(lseg).lower()}
                if forms & candidates:
                    rest = go(i + pi, j + lj)
                    if rest is not None:
                        result = [(" ".join(ptoks[i : i + pi]), " ".join(lseg)), *rest]
                        break
        memo[(i, j)] = result
        return result

    return go(0, 0)


def load_people(source: Path, units):
    """Given-name and surname segments from aligned Wikidata full names."""
    given: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    surname: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    kept = dropped = 0
    with open(source / "wikidata_ir_full_names.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["country"] != "IR":
                continue
            segments = align(row["persian_key_arabic_letters"], row["latin"], units)
            if not segments:
                dropped += 1
                continue
            while segments and segments[0][0] in HONORIFIC_UNITS:
                segments = segments[1:]
            if len(segments) < 2:
                dropped += 1
                continue
            kept += 1
            gp, gl = segments[0]
            sp = " ".join(p for p, _ in segments[1:])
            sl = " ".join(lat for _, lat in segments[1:])
            given[gp][gl] += 1
            surname[sp][sl] += 1
    return given, surname, kept, dropped


def _close_length(x: str, y: str) -> bool:
    """Two spellings of one name have similar lengths (else one is likely another name)."""
    lx, ly = sum(c.isalpha() for c in x), sum(c.isalpha() for c in y)
    return abs(lx - ly) <= max(2, 0.3 * max(lx, ly))


def to_persian_letters(s: str) -> str:
    return s.replace("ي", "ی").replace("ك", "ک")


class Builder:
    def __init__(self, given, surname, units, rng: random.Random) -> None:
        self.rng = rng
        self.units = units
        # merge segment spellings with unit spellings for single-token segments
        self.spellings: dict[str, collections.Counter[str]] = {}
        for table in (given, surname):
            for p, c in table.items():
                merged = collections.Counter(c)
                if " " not in p and p in units:
                    for s, n in units[p].items():
                        merged[s] += n
                self.spellings[p] = merged
        self.given = {sp: sorted(p for p in given if split_of(p) == sp) for sp in ("dev", "test")}
        self.surname = {
            sp: sorted(p for p in surname if split_of(p) == sp) for sp in ("dev", "test")
        }
        self.given_weight = {p: sum(c.values()) for p, c in given.items()}
        self.neighbours = {
            sp: {**self._neighbours(self.given[sp]), **self._neighbours(self.surname[sp])}
            for sp in ("dev", "test")
        }

    def _neighbours(self, segments: list[str]) -> dict[str, list[str]]:
        """Different names that are close in Persian spelling (the hard negatives)."""
        folded = [fold_sound(s) for s in segments]
        latin = [
            {s.lower().replace("-", "").replace(" ", "") for s in self.spellings[p]}
            for p in segments
        ]
        out: dict[str, list[str]] = collections.defaultdict(list)
        dist = process.cdist(
            folded, folded, scorer=Levenshtein.distance, score_cutoff=1, dtype=np.uint8, workers=-1
        )
        for i, j in zip(*np.nonzero(dist == 1), strict=True):
            if len(folded[i]) < 3 or latin[i] & latin[j]:
                continue  # too short, or a shared spelling: the same name written two ways
            out[segments[i]].append(segments[j])
        return out

    # -- rendering ---------------------------------------------------------------------------
    def latin(self, p: str, avoid: str | None = None) -> str:
        c = self.spellings[p]
        options = [s for s in c if avoid is None or s.lower() != avoid.lower()] or list(c)
        weights = [c[s] for s in options]
        return self.rng.choices(options, weights)[0]

    def persian(self, p: str) -> str:
        return to_persian_letters(p) if self.rng.random() < 0.7 else p

    def person(self, split: str) -> tuple[str, str]:
        gs = self.given[split]
        g = self.rng.choices(gs, [self.given_weight[x] for x in gs])[0]
        return g, self.rng.choice(self.surname[split])

    def other(self, split: str, person: tuple[str, str]) -> tuple[str, str]:
        while True:
            q = self.person(split)
            if fold(q[0]) != fold(person[0]) and fold(q[1]) != fold(person[1]):
                return q

    # -- pair kinds ----------------------------------------------------------------------------
    def make(self, split: str, pair_type: str, kind: str) -> tuple[str, str] | None:
        rng = self.rng
        g, s = self.person(split)
        if kind == "transliteration":
            return self.persian(f"{g} {s}"), f"{self.latin(g)} {self.latin(s)}"
        if kind == "surname_first" and pair_type == "persian-latin":
            return self.persian(f"{g} {s}"), f"{self.latin(s).upper()}, {self.latin(g)}"
        if kind == "surname_first":
            gl, sl = self.latin(g), self.latin(s)
            return f"{gl} {sl}", rng.choice([f"{sl} {gl}", f"{sl.upper()}, {gl}"])
        if kind == "honorific":
            h = rng.choice(sorted(HONORIFIC_UNITS))
            if rng.random() < 0.5:
                return self.persian(f"{h} {g} {s}"), f"{self.latin(g)} {self.latin(s)}"
            return self.persian(
                f"{g} {s}"
            ), f"{rng.choice(HONORIFIC_LATIN[h])} {self.latin(g)} {self.latin(s)}"
        if kind == "father_name_added":
            f, _ = self.other(split, (g, s))
            if rng.random() < 0.5:
                return self.persian(f"{g} {f} {s}"), f"{self.latin(g)} {self.latin(s)}"
            return self.persian(f"{g} {s}"), f"{self.latin(g)} {self.latin(f)} {self.latin(s)}"
        if kind == "spelling_variant":
            if len(self.spellings[g]) < 2 and len(self.spellings[s]) < 2:
                return None
            g1, s1 = self.latin(g), self.latin(s)
            g2 = (
                self.latin(g, avoid=g1) if len(self.spellings[g]) > 1 and rng.random() < 0.6 else g1
            )
            s2 = self.latin(s, avoid=s1) if len(self.spellings[s]) > 1 else s1
            if (g1, s1) == (g2, s2) or not (_close_length(g1, g2) and _close_length(s1, s2)):
                return None
            return f"{g1} {s1}", f"{g2} {s2}"
        if kind == "orthography":
            return self.persian_variant(g, s)
        # negatives
        if kind == "random":
            q = self.other(split, (g, s))
        elif kind == "sibling":
            q = (self.other(split, (g, s))[0], s)
        elif kind == "hard":
            options = [(x, 0) for x in self.neighbours[split].get(g, [])]
            options += [(x, 1) for x in self.neighbours[split].get(s, [])]
            if not options:
                return None
            x, which = rng.choice(options)
            q = (x, s) if which == 0 else (g, x)
        else:  # pragma: no cover
            raise ValueError(kind)
        a, b = f"{g} {s}", f"{q[0]} {q[1]}"
        if pair_type == "persian-latin":
            return self.persian(a), f"{self.latin(q[0])} {self.latin(q[1])}"
        if pair_type == "latin-latin":
            return f"{self.latin(g)} {self.latin(s)}", f"{self.latin(q[0])} {self.latin(q[1])}"
        return self.persian(a), self.persian(b)

    def persian_variant(self, g: str, s: str) -> tuple[str, str] | None:
        """The same name written two ways in Persian script (variation seen in real lists)."""
        rng = self.rng
        a = f"{g} {s}"
        b = a
        changes = 0
        # compound spacing: ZWNJ / space / joined, where a known part ends a word
        for part in ("زاده", "پور", "نژاد", "رضا", "علي", "الله", "حسين", "اكبر"):
            idx = b.find(part)
            end = idx + len(part)
            if idx < 2 or (end < len(b) and b[end] != " "):
                continue
            if b[idx - 1] != " ":  # joined → ZWNJ or space
                b = b[:idx] + rng.choice([" ", "\u200c"]) + b[idx:]
            elif b[idx - 2] != " ":  # spaced → joined or ZWNJ
                b = b[: idx - 1] + rng.choice(["", "\u200c"]) + b[idx:]
            else:
                continue
            changes += 1
            break
        for old, new in (
            ("داوود", "داود"),
            ("داود", "داوود"),
            ("ائي", "ايي"),
            ("ايي", "ائي"),
            ("ه ", "ة "),
        ):
            if old in b and rng.random() < 0.7:
                b = b.replace(old, new, 1)
                changes += 1
                break
        if rng.random() < 0.3:
            h = rng.choice(["سيد", "حاج"])
            b = f"{h} {b}"
            changes += 1
        # letters: one side Arabic forms (ي ك), the other Persian (ی ک)
        b = to_persian_letters(b)
        if changes == 0 and a == b:
            return None
        return (a, b) if rng.random() < 0.5 else (b, a)


#: The extended held-out sample: test units only, ten times the test split's pairs, another
#: seed, none of the pairs of name_pairs.csv (a larger sample of the same population, for a
#: tighter estimate; never used to tune a rule).
EXTENDED_SEED = 20261207
EXTENDED_FACTOR = 10
DEFAULT_EXTENDED_OUT = HERE / "data" / "name_pairs_extended.csv"
DEFAULT_EXTENDED_DEV_OUT = HERE / "data" / "name_pairs_extended_dev.csv"


def _extended_split(units_of: str) -> str:
    return "extended" if units_of == "test" else "extended-dev"


def build(
    source: Path, out: Path, extended: bool = False, units_of: str = "test"
) -> dict[str, int]:
    rng = random.Random((EXTENDED_SEED + (units_of == "dev")) if extended else SEED)
    units = load_units(source)
    given, surname, kept, dropped = load_people(source, units)
    builder = Builder(given, surname, units, rng)
    rows = []
    taken: set[tuple[str, str]] = set()
    if extended:  # the pairs of the main file, in either order
        with open(DEFAULT_OUT, encoding="utf-8") as f:
            for r in csv.DictReader(f):
                taken |= {(r["name_a"], r["name_b"]), (r["name_b"], r["name_a"])}
    for split in (units_of,) if extended else ("dev", "test"):
        for pair_type, kind, label, count in PLAN:
            count *= EXTENDED_FACTOR if extended else 1
            made = 0
            seen: set[tuple[str, str]] = set(taken)
            attempts = 0
            while made < count and attempts < count * 50:
                attempts += 1
                pair = builder.make(split, pair_type, kind)
                if pair is None or pair in seen or pair[0] == pair[1]:
                    continue
                seen.add(pair)
                made += 1
                rows.append(
                    {
                        "pair_id": f"{_extended_split(split) if extended else split}-{len(rows) + 1:05d}",
                        "split": _extended_split(split) if extended else split,
                        "pair_type": pair_type,
                        "kind": kind,
                        "label": label,
                        "name_a": pair[0],
                        "name_b": pair[1],
                    }
                )
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return {"aligned_full_names": kept, "dropped_full_names": dropped, "pairs": len(rows)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument(
        "--extended",
        nargs="?",
        const="test",
        choices=["test", "dev"],
        help="build an extended sample instead: of the test units (held out, the default) or "
        "of the dev units (for tuning)",
    )
    args = ap.parse_args()
    default_out = {None: DEFAULT_OUT, "test": DEFAULT_EXTENDED_OUT, "dev": DEFAULT_EXTENDED_DEV_OUT}
    out = args.out or default_out[args.extended]
    stats = build(
        args.source, out, extended=args.extended is not None, units_of=args.extended or "test"
    )
    print(", ".join(f"{k}: {v}" for k, v in stats.items()), f"→ {out}")


if __name__ == "__main__":
    main()
