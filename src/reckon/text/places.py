"""Place names — cities and prisons — to one key, whatever the script, spelling or era.

Lists name the same place many ways: مشهد, Mashhad, Mashad; Kermanshah or Bakhtaran (its name
from 1986 to 1995); Gohardasht or Rajaei Shahr (one prison, renamed); "زندان سنندج" or
"Sanandaj Prison". Spelling alone cannot join a renamed place, so a small gazetteer
(``data/places.csv``: Iranian cities and the prisons of the 1980s, every name and spelling a
list is known to use, in both scripts) gives known places a stable id. Unknown places keep the
cross-script key of their words, so that an unlisted village still matches its own spellings.

Rules, in order:

* parenthesised parts are dropped ("Gohardasht (Karaj)"), and words that say what kind of place
  it is (prison, زندان, central, مرکزی …) when anything else is left;
* "Abad"/آباد written apart joins the word before it (Adel Abad = Adelabad = عادل‌آباد);
* the whole name, else its longest run of words that the gazetteer knows (a prison before a
  city of the same length: "زندان عادل‌آباد شیراز" is Adelabad), gives the gazetteer id;
* otherwise the words' keys (:func:`reckon.text.name_key`) concatenated.

    >>> place_key("Mashad") == place_key("مشهد") == "mashhad"
    True
    >>> place_key("Bakhtaran") == place_key("کرمانشاه")
    True
    >>> place_key("Rajaei Shahr") == place_key("Gohardasht (Karaj)") == "gohardasht"
    True
    >>> place_key("زندان سنندج") == place_key("Sanandaj Prison") == "sanandaj"
    True
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from reckon.text.names import name_key, normalize_name

#: Words that say what kind of place it is rather than which (dropped from place keys).
GENERIC_PLACE_WORDS = (
    "prison", "prisons", "jail", "gaol", "zendan", "zindan", "central", "markazi", "زندان",
    "مرکزی", "بازداشتگاه", "detention", "centre", "center", "city", "shahrestan", "شهرستان",
)  # fmt: skip
_ABAD = frozenset({"abad", "آباد", "اباد"})
_PARENTHESES = re.compile(r"[(\[（].*?[)\]）]")


@dataclass(frozen=True)
class Place:
    """A gazetteer entry: ``id``, ``kind`` ("city" or "prison"), the ``city`` of a prison and
    every known name."""

    id: str
    kind: str
    city: str | None
    names: tuple[str, ...]


@cache
def gazetteer() -> dict[str, Place]:
    """The known places by id (``data/places.csv``)."""
    text = resources.files("reckon.text").joinpath("data", "places.csv").read_text("utf-8")
    return {
        row["id"]: Place(
            row["id"], row["kind"], row["city"] or None, tuple(row["names"].split(";"))
        )
        for row in csv.DictReader(text.splitlines())
    }


@cache
def _generic_keys() -> frozenset[str]:
    return frozenset(name_key(word) for word in GENERIC_PLACE_WORDS)


def place_words(text: str | None) -> tuple[str, ...]:
    """The keys of a place's words (parentheses and generic words dropped, Abad joined)."""
    if not text:
        return ()
    cleaned = _PARENTHESES.sub(" ", text)
    tokens = list(normalize_name(cleaned).tokens or normalize_name(text).tokens)
    joined: list[str] = []
    for token in tokens:
        if joined and token.casefold() in _ABAD:
            joined[-1] += token
        else:
            joined.append(token)
    keys = [k for k in (name_key(t) for t in joined) if k]
    specific = [k for k in keys if k not in _generic_keys()]
    return tuple(specific or keys)


@cache
def _index() -> dict[str, Place]:
    """Key of every known name -> place (a prison wins over a city with the same key)."""
    out: dict[str, Place] = {}
    for place in sorted(gazetteer().values(), key=lambda p: p.kind == "prison"):
        for name in place.names:
            key = "".join(place_words(name))
            if key:
                out[key] = place
    return out


def find_place(text: str | None) -> Place | None:
    """The gazetteer entry ``text`` names, if any (see the module docs)."""
    words = place_words(text)
    index = _index()
    for size in range(len(words), 0, -1):
        found = [
            index[key]
            for start in range(len(words) - size + 1)
            if (key := "".join(words[start : start + size])) in index
        ]
        if found:
            return next((p for p in found if p.kind == "prison"), found[0])
    return None


@lru_cache(maxsize=1 << 16)
def place_key(text: str | None) -> str | None:
    """The gazetteer id of a known place, else its words' keys concatenated; None if empty."""
    place = find_place(text)
    if place is not None:
        return place.id
    return "".join(place_words(text)) or None
