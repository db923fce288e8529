"""Rebuild the name tables in this folder from the shared name data (developers only).

Run from the repository root::

    .venv/bin/python src/reckon/synth/data/build_names.py ../shared/data/names

It reads ``wikidata_ir_name_units.csv`` (Wikidata, CC0; extracted by the MIT-licensed package
arabic-name-romanizer 0.2.0) and ``iranian_first_names_gender.csv`` (package
persian-gender-detection 1.4.0, MIT) and writes ``given_names.csv`` and ``family_names.csv``:
Iranian name units attested at least twice, with their Persian spelling, gender (given names),
frequency, the attested Latin spellings that are plausible transliterations, and where a compound
splits (محمد|رضا, علی|زاده). Nothing here is about a real person: these are name *units*.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).parent
MIN_COUNT = 2
TITLES = {"سيد", "مير", "شيخ", "حاج", "حاجي", "ملا", "سادات", "خانم", "بيگم"}
GIVEN_SUFFIXES = {"الله": r"[aeiou]?l+ah?", "الدين": r"[aeiou]?d+[ie]e?n"}
ABD_VARIANTS = {"abdol", "abdul", "abd", "abdal", "abdel", "abdor", "abdos", "abdo"}
SUFFIX_DEFAULT = {"الله": "ollah", "الدين": "eddin"}
FAMILY_SUFFIXES = {
    "زادگان": r"zadegan",
    "زاده": r"zadeh?|zada",
    "پور": r"pou?r|poor|pur",
    "نژاد": r"ne[jz]h?ad|nejat",
    "نيا": r"niy?a",
    "فر": r"far",
}
# Surnames of heads of state and of officials named in the 1988 killings: an invented victim
# called this would mislead, so they are left out.
EXCLUDED_SURNAMES = {
    "خميني", "خامنهاي", "پهلوي", "رفسنجاني", "هاشميرفسنجاني", "رئيسي", "رييسي", "نيري",
    "اشراقي", "پورمحمدي",
}  # fmt: skip
LATIN_OK = re.compile(r"[A-Za-z][A-Za-z' -]*")
# Initial آ is folded to ا in the source keys; restore it for these common stems.
ALEF_MADDA_STEMS = ("اقا", "اباد", "اخوند", "اشتيان", "ازاد", "اذر", "اهنگر", "اصف", "املي")


def fold(text: str) -> str:
    """Fold to the source tables' key form: Arabic yeh/kaf, آ→ا, no ZWNJ or spaces."""
    for a, b in (("ی", "ي"), ("ک", "ك"), ("آ", "ا"), ("\u200c", ""), (" ", "")):
        text = text.replace(a, b)
    return text.strip()


def unfold(key: str) -> str:
    return key.replace("ي", "ی").replace("ك", "ک")


PERSIAN_CLASS = {
    "ب": "b", "پ": "p", "ت": "t", "ط": "t", "ث": "s", "س": "s", "ص": "s", "ج": "J", "ژ": "J",
    "چ": "C", "ح": "h", "ه": "h", "خ": "X", "د": "d", "ذ": "z", "ز": "z", "ض": "z", "ظ": "z",
    "ر": "r", "ش": "S", "غ": "Q", "ق": "Q", "گ": "Q", "ف": "f", "ك": "k", "ل": "l", "م": "m",
    "ن": "n",
}  # fmt: skip
LATIN_DIGRAPHS = (("kh", "X"), ("gh", "Q"), ("sh", "S"), ("ch", "C"), ("zh", "J"))
LATIN_CLASS = {"g": "Q", "q": "Q", "j": "J", "x": "X", "c": "k", "w": "", "v": "", "y": ""}


def skeletons_persian(key: str) -> set[str]:
    """Consonant skeletons of a folded Persian key (no vowels, و/ی, final ه or doubling),
    with and without the Arabic article assimilated (عبدالله → Abdollah, نظام‌الدین → Nezameddin).
    """
    forms = {key, re.sub(r"(?<=.)ال(?=[تثدذرزسشصضطظلن])", "", key)}
    out = set()
    for form in forms:
        text = "".join(PERSIAN_CLASS.get(ch, "") for ch in form.removesuffix("ه"))
        text = re.sub(r"(.)\1+", r"\1", text)
        out |= {text, text.replace("sh", "S").replace("kh", "X").replace("zh", "J")}
    return out


def skeletons_latin(latin: str) -> set[str]:
    """The same skeletons of a Latin spelling (with and without a final h after a vowel)."""
    text = re.sub(r"[-' |]", "", latin.lower())
    return {_skeleton_latin(text), _skeleton_latin(re.sub(r"(?<=[aeiou])h$", "", text))}


def _skeleton_latin(text: str) -> str:
    text = re.sub(r"^dj", "J", text)  # French style: Djavad
    for a, b in LATIN_DIGRAPHS:
        text = text.replace(a, b)
    text = re.sub(r"[aeiou]", "", text)
    out = "".join(LATIN_CLASS.get(ch, ch) for ch in text)
    return re.sub(r"(.)\1+", r"\1", out)


def plain(latin: str) -> str:
    return re.sub(r"[-' ]", "", latin.lower())


def distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def plausible_variants(persian: str, spellings: Counter[str]) -> list[tuple[str, int]]:
    """Keep the attested Latin spellings that transliterate the unit, merged by spelling."""
    merged: Counter[str] = Counter()
    shown: dict[str, Counter[str]] = defaultdict(Counter)
    skeletons = skeletons_persian(persian)
    for latin, count in spellings.items():
        if not LATIN_OK.fullmatch(latin) or not skeletons_latin(latin) & skeletons:
            continue
        key = plain(latin)
        merged[key] += count
        shown[key][latin] += count
    if not merged:
        return []
    top, top_count = merged.most_common(1)[0]
    if top_count < MIN_COUNT:
        return []
    limit = max(1, int(0.3 * len(top)))
    kept = []
    for key, count in merged.most_common():
        if key != top and (count < max(MIN_COUNT, 0.01 * top_count) or distance(key, top) > limit):
            continue
        if "j" in key and not ({"ج", "ژ"} & set(persian)):
            continue  # Polish-style j for y (Hosejn)
        kept.append((shown[key].most_common(1)[0][0], count))
    return kept


def split_latin(latin: str, first_variants: set[str], second_pattern: str) -> str | None:
    """Mark the compound boundary of a Latin spelling with '|', or None when it has none."""
    low = latin.lower()
    parts = re.split(r"[- ]", low)
    camel = re.fullmatch(r"([A-Z][a-z']+)([A-Z][a-z']+)", latin)
    if camel:
        parts = [camel[1].lower(), camel[2].lower()]
    candidates = [parts] if len(parts) == 2 else []
    candidates += [[low[:n], low[n:]] for n in range(len(low) - 2, 1, -1)]
    for head, tail in candidates:
        if (not first_variants or head in first_variants) and re.fullmatch(second_pattern, tail):
            return f"{head}|{tail}"
    return None


def load_units(folder: Path) -> dict[str, dict[str, Counter[str]]]:
    units: dict[str, dict[str, Counter[str]]] = {"given": defaultdict(Counter), "surname": {}}
    units["surname"] = defaultdict(Counter)
    with (folder / "wikidata_ir_name_units.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            key = row["persian_key_arabic_letters"]
            if row["country"] == "IR" and row["role"] in units and key.count(" ") <= 1:
                units[row["role"]][key.replace(" ", "")][row["latin"]] += int(row["count"])
    return units


def load_gender(folder: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Map folded key → gender (M/F) and folded key → spelling with آ where attested."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    exact: dict[str, str] = {}
    madda: dict[str, str] = {}
    with (folder / "iranian_first_names_gender.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            name, gender = row["Names"].strip(), row["Gender"].strip()
            if gender not in {"M", "F"} or not name:
                continue
            key = fold(name)
            votes[key][gender] += 1
            if " " not in name:
                exact[key] = gender
            if "آ" in name:
                madda[key] = name.replace(" ", "").replace("ي", "ی").replace("ك", "ک")
    genders = {k: exact.get(k) or v.most_common(1)[0][0] for k, v in votes.items()}
    return genders, madda


def main(folder: Path) -> None:
    units = load_units(folder)
    genders, madda = load_gender(folder)
    given_counts = {k: sum(v.values()) for k, v in units["given"].items()}
    family_counts = {k: sum(v.values()) for k, v in units["surname"].items()}
    given_latin = {
        k: [plain(latin) for latin, _ in plausible_variants(k, units["given"][k])]
        for k, n in given_counts.items()
        if n >= MIN_COUNT
        and k in genders
        and k not in TITLES
        and not k.startswith("سيد")
        and family_counts.get(k, 0) < n  # a surname more often than a given name (صالحی)
    }
    given_latin = {k: v for k, v in given_latin.items() if v}

    def persian_form(key: str) -> str:
        if key in madda:
            return madda[key]
        for stem in ALEF_MADDA_STEMS:
            if key.startswith(stem):
                return "آ" + unfold(key[1:])
        for n in range(len(key) - 1, 2, -1):
            if key[:n] in given_latin and madda.get(key[:n], "").startswith("آ"):
                return "آ" + unfold(key[1:])
        return unfold(key)

    def given_split(key: str) -> tuple[int, str, str]:
        """Where a compound given name splits, a pattern for its second part's Latin, and a
        default Latin spelling of that part."""
        best: tuple[int, str, str, int] = (0, "", "", 0)
        for n in range(2, len(key) - 1):
            head, tail = key[:n], key[n:]
            if head not in given_latin or given_counts[head] < 5:
                continue
            if tail in GIVEN_SUFFIXES:
                return n, GIVEN_SUFFIXES[tail], SUFFIX_DEFAULT[tail]
            if tail in given_latin and given_counts[tail] >= 5 and len(tail) >= 3:
                score = min(given_counts[head], given_counts[tail])
                if score > best[3]:
                    pattern = "|".join(re.escape(v) for v in given_latin[tail])
                    best = (n, pattern, given_latin[tail][0], score)
        return best[:3]

    rows = []
    for key in sorted(given_latin, key=lambda k: (-given_counts[k], k)):
        variants = [(v.lower(), n) for v, n in plausible_variants(key, units["given"][key])]
        split, pattern, default = given_split(key)
        if key.startswith("عبد") and len(key) > 4:
            # عبدالحسین / عبد الحسین: Abdolhossein, Abdol-Hossein, Abdul Hossein
            marked = [(split_latin(v, ABD_VARIANTS, r"[a-z']{3,}"), v, n) for v, n in variants]
            split, variants = 3, [(m or v, n) for m, v, n in marked]
            if key in {"عبدالله", "عبداله"}:  # Abdollah: no Latin boundary
                variants = [(v.replace("|", ""), n) for v, n in variants]
        elif split:
            first = set(given_latin[key[:split]])
            marked = [(split_latin(v, first, pattern), n) for v, n in variants]
            variants = [(v, n) for v, n in marked if v]
            if not variants:
                variants = [(f"{given_latin[key[:split]][0]}|{default}", given_counts[key])]
        rows.append(
            {
                "persian": persian_form(key),
                "gender": genders[key],
                "count": given_counts[key],
                "split": split,
                "latin": ";".join(f"{v}:{n}" for v, n in variants),
            }
        )
    write(HERE / "given_names.csv", rows, ["persian", "gender", "count", "split", "latin"])

    rows = []
    family = units["surname"]
    for key in sorted(family, key=lambda k: (-family_counts[k], k)):
        if (
            family_counts[key] < MIN_COUNT
            or key in EXCLUDED_SURNAMES
            or not re.fullmatch(r"[\u0621-\u06d3]+", key)
        ):
            continue
        variants = plausible_variants(key, family[key])
        if not variants:
            continue
        split, latin = 0, [(v.lower(), n) for v, n in variants]
        for suffix, pattern in FAMILY_SUFFIXES.items():
            if key.endswith(suffix) and len(key) - len(suffix) >= 2:
                marked = [(split_latin(v, set(), pattern), n) for v, n in variants]
                if all(v for v, _ in marked):
                    split, latin = len(key) - len(suffix), marked
                break
        rows.append(
            {
                "persian": persian_form(key),
                "count": family_counts[key],
                "split": split,
                "latin": ";".join(f"{v}:{n}" for v, n in latin),
            }
        )
    write(HERE / "family_names.csv", rows, ["persian", "count", "split", "latin"])


def write(path: Path, rows: list[dict[str, object]], fields: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    print(f"{path.name}: {len(rows)} rows")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/names"))
