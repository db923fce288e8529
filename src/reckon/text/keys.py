"""Cross-script phonetic keys for Persian names.

A *token skeleton* is computed from a Persian-script word or from any common Latin spelling of
it; spellings of the same name share a skeleton. The key of a full name is the concatenation of
its token skeletons (so spacing and ZWNJ inside compounds do not matter), with doubled symbols
collapsed. Symbols: lower-case consonants, ``U`` for و / u / ou / oo / v / w, ``I`` for ی / i / ee
/ y, and ``x C S Z q`` for خ چ ش ژ ق/غ.

Rule table (Persian letter — Latin spellings — symbol):

==========================  ==================================  ======
Persian                     Latin                               symbol
==========================  ==================================  ======
ا آ ع ء (and short vowels)  a e o, apostrophes ' ’ ʿ ʾ          (dropped)
و                           u ou oo v w (o at the end of a word) U
ی                           i ee y (ei ey ai ay ie → I)         I
ب پ ت ط                     b p t                               b p t
ث س ص                       s                                   s
ذ ز ض ظ                     z                                   z
ح ه                         h                                   h
خ                           kh                                  x
ق غ                         q gh                                q
ش چ ژ                       sh ch zh                            S C Z
ج                           j dj                                j
ک گ                         k c ck, g                           k, g
==========================  ==================================  ======

Word-level rules (both scripts unless said):

* a word-initial vowel carrier is dropped with a following ی/i/y: ایرج/Iraj, ایوب/Ayoub,
  عیسی/Eisa, اسماعیل/Esmail, علی/Ali; word-initial ou/u/v stays ``U`` (اویسی/Oveisi);
* a word-final h (ه or ح, Latin h) is dropped: فاطمه/Fatemeh/Fateme, زاده/zadeh/zade, الله/ollah;
* final ی read as "a" (alef maksura) is dropped in مرتضی مصطفی مجتبی عیسی موسی یحیی کبری صغری
  هدی (Morteza, Musa, …);
* ابو/abu/abou/abo before a consonant is ``ab`` (ابوالفضل/Abolfazl/Abulfazl); Latin
  abd-ol/abdul/abdel/abdal is ``abdl`` (عبدال…); Latin -ullah/-ollah/-allah is ``lah`` (الله);
* Latin word-final o is ``U`` (خسرو/Khosro);
* doubled symbols collapse (Mohammad, Davood → dUd, Rezaei → rzI).

>>> [latin_skeleton(t) for t in ("nouri", "noury", "nuri", "noori")]
['nUrI', 'nUrI', 'nUrI', 'nUrI']
>>> persian_skeleton("نوری"), persian_skeleton("حسینی"), latin_skeleton("hassani")
('nUrI', 'hsInI', 'hsnI')

Full-name keys (:func:`reckon.text.name_key`) are built from these in :mod:`reckon.text.names`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

# --- Latin -----------------------------------------------------------------------------------

_LATIN_NON_ALPHA = re.compile(r"[^a-z]+")
_LATIN_ABU = re.compile(r"^ab(?:ou|oo|u|o)(?=[^aeiouy])")
_LATIN_ABD = re.compile(r"abd[aeiou]+l")
_LATIN_ALLAH = re.compile(r"(?<=.)[aeiou]+ll?ah?$")
_LATIN_INITIAL = re.compile(r"^(?:[aeo]+[iy]?|i)")
_LATIN_LONG = re.compile(r"ee|oo|o$|tch|dj|kh|gh|sh|ch|zh|ck")
_LATIN_LONG_MAP = {
    "ee": "i",
    "oo": "u",
    "o": "u",
    "tch": "C",
    "dj": "j",
    "kh": "x",
    "gh": "q",
    "sh": "S",
    "ch": "C",
    "zh": "Z",
    "ck": "k",
}
_LATIN_CHARS = str.maketrans(
    {
        "a": None,
        "e": None,
        "o": None,
        "i": "I",
        "y": "I",
        "u": "U",
        "v": "U",
        "w": "U",
        "c": "k",
    }
)

# --- Persian ---------------------------------------------------------------------------------

_PERSIAN_CHARS = str.maketrans(
    {
        "ا": None,
        "ع": None,
        "ء": None,
        "ب": "b",
        "پ": "p",
        "ت": "t",
        "ط": "t",
        "ث": "s",
        "س": "s",
        "ص": "s",
        "ج": "j",
        "چ": "C",
        "ح": "h",
        "ه": "h",
        "خ": "x",
        "د": "d",
        "ذ": "z",
        "ز": "z",
        "ض": "z",
        "ظ": "z",
        "ر": "r",
        "ژ": "Z",
        "ش": "S",
        "غ": "q",
        "ق": "q",
        "ف": "f",
        "ک": "k",
        "گ": "g",
        "ل": "l",
        "م": "m",
        "ن": "n",
        "و": "U",
        "ی": "I",
    }
)
_PERSIAN_NON_LETTER = re.compile(r"[^ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیء]+")
_PERSIAN_INITIAL = re.compile(r"^[اع]+ی")
_PERSIAN_ABU = re.compile(r"^ابو(?=[^وی])")
#: Words whose final ی is read "a" (alef maksura).
MAKSURA_WORDS = frozenset({"عیسی", "موسی", "یحیی", "کبری", "صغری", "هدی", "مولی", "عظمی", "لیلی"})
MAKSURA_ENDINGS = ("مرتضی", "مصطفی", "مجتبی")

_DOUBLE = re.compile(r"(.)\1+")
_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")


def _finish(s: str) -> str:
    s = _DOUBLE.sub(r"\1", s)
    if s.endswith("h") and len(s) > 1:
        s = s[:-1]
    return s


@lru_cache(maxsize=1 << 18)
def latin_skeleton(token: str) -> str:
    """Skeleton of one normalized Latin word. ``latin_skeleton("hosseini") == "hsInI"``."""
    t = _LATIN_NON_ALPHA.sub("", token)
    if not t:
        return ""
    if "x" in t:
        t = t.replace("x", "ks")
    t = _LATIN_ABU.sub("ab", t)
    t = _LATIN_ABD.sub("abdl", t)
    t = _LATIN_ALLAH.sub("lah", t)
    if len(t) > 1:
        t = _LATIN_INITIAL.sub("", t)
    t = _LATIN_LONG.sub(lambda m: _LATIN_LONG_MAP[m.group(0)], t)
    return _finish(t.translate(_LATIN_CHARS))


@lru_cache(maxsize=1 << 18)
def persian_skeleton(token: str) -> str:
    """Skeleton of one normalized Persian word. ``persian_skeleton("حسینی") == "hsInI"``."""
    t = _PERSIAN_NON_LETTER.sub("", token)
    if not t:
        return ""
    if t in MAKSURA_WORDS or t.endswith(MAKSURA_ENDINGS):
        t = t[:-1]
    t = _PERSIAN_ABU.sub("اب", t)
    t = _PERSIAN_INITIAL.sub("", t)
    return _finish(t.translate(_PERSIAN_CHARS))


def token_skeleton(token: str) -> str:
    """Skeleton of one normalized word in either script (mixed words: Persian part first)."""
    if _ARABIC_LETTER.search(token):
        if token.isascii():  # pragma: no cover - cannot happen
            return latin_skeleton(token)
        latin_part = _LATIN_NON_ALPHA.sub("", token)
        return _finish(persian_skeleton(token) + (latin_skeleton(latin_part) if latin_part else ""))
    return latin_skeleton(token)


def join_skeletons(skeletons: Iterable[str]) -> str:
    """Concatenate token skeletons and collapse doubled symbols at the joins."""
    return _DOUBLE.sub(r"\1", "".join(skeletons))


def rotations(skeletons: Sequence[str]) -> list[str]:
    """Keys for every rotation of the tokens (given-first and surname-first orders), first = as given."""
    out: list[str] = []
    seen: set[str] = set()
    n = len(skeletons)
    for i in range(n):
        key = join_skeletons(list(skeletons[i:]) + list(skeletons[:i]))
        if key and key not in seen:
            seen.add(key)
            out.append(key)
    return out or [""]

