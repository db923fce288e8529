"""Phonetic symbol sequences used by the graded name similarity.

Unlike the key (:mod:`reckon.text.keys`), which must be *equal* across spellings and so drops
everything ambiguous, these sequences keep vowels, each script with its own symbols, so that a
cost table (:mod:`reckon.text.similarity`) can say how well a Persian و matches a Latin "ou"
(perfectly), "o" (almost) or "a" (badly), and that a Latin short vowel costs nothing against
Persian script (which does not write it) but something against another Latin spelling.

Symbols (one byte each): the key's consonants ``b p t s j C h x d z r S q f k g l m n v``;
Latin vowels ``a e o u U I`` (u = u/ow, U = ou/oo, I = i/y/ee); Persian ``Â`` (medial ا), ``W``
(و), ``w`` (a vowel that may follow consonantal و: داود = d Â v w d), ``Y`` (ی), ``'`` (a vowel
carrier: initial ا, ع, ء); ``A`` (a final a or ا).

>>> latin_symbols("mahmoud"), persian_symbols("محمود")
('mahmUd', 'mhmWd')
>>> latin_symbols("fateme"), persian_symbols("فاطمه")
('fatemh', 'fÂtmh')
"""

from __future__ import annotations

import re

from reckon.text.keys import (
    _PERSIAN_SILENT_HE,
    PERSIAN_CONSONANTS,
    persian_letters,
    without_runs,
)

CONSONANTS = "bptsjChxdzrSqfkglmnv"
LATIN_VOWELS = "aeouUI"
PERSIAN_VOWELS = "ÂWY'w"
FINALS = "A"
ALPHABET = CONSONANTS + LATIN_VOWELS + PERSIAN_VOWELS + FINALS
CODE = {ch: i for i, ch in enumerate(ALPHABET)}

_LATIN_NON_ALPHA = re.compile(r"[^a-z]+")
_LATIN_UNITS = re.compile(r"tch|dj|kh|gh|sh|ch|zh|ck|ph|ee|oo|ou|ow(?![aeiouy])|[a-z]")
_SOFT_C = re.compile(r"c(?=[eiy])")
_E_NEXT_TO_I = re.compile(r"e(?=I)|(?<=I)e(?!$)")
_LATIN_UNIT_MAP = {
    "tch": "C",
    "dj": "j",
    "kh": "x",
    "gh": "q",
    "sh": "S",
    "ch": "C",
    "zh": "j",
    "ck": "k",
    "ph": "f",
    "ee": "I",
    "oo": "U",
    "ou": "U",
    "ow": "u",
    "i": "I",
    "y": "I",
    "w": "v",
    "c": "k",
    "x": "ks",
}
_PERSIAN_MAP = {
    **PERSIAN_CONSONANTS,
    "ی": "Y",
    "و": "W",
    "ا": "Â",
    "ع": "'",
    "ء": "'",
    "\u0001": "vW",
    "\u0002": "vw",
}
#: Every unit _LATIN_UNITS finds in letters a-z → its symbols.
_LATIN_UNIT_SYMBOLS = {**{ch: ch for ch in "abcdefghijklmnopqrstuvwxyz"}, **_LATIN_UNIT_MAP}
#: The letters persian_letters leaves (and the two marks of وو and او below) → their symbols.
_PERSIAN_SYMBOLS = str.maketrans(
    {ch: _PERSIAN_MAP.get(ch, "") for ch in "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیء\u0001\u0002"}
)
_ARABIC_BLOCK = re.compile("[\u0600-\u06ff]")


def latin_symbols(token: str) -> str:
    """Symbol sequence of one normalized Latin word."""
    if token.isascii() and token.isalpha() and token.islower():  # letters a-z only
        t = token
    else:
        t = _LATIN_NON_ALPHA.sub("", token)
        if not t:
            return ""
    if "c" in t:
        t = _SOFT_C.sub("s", t)
    out = "".join(map(_LATIN_UNIT_SYMBOLS.__getitem__, _LATIN_UNITS.findall(t)))
    if len(out) > 1:
        if out[-1] == "e" and out[-2] in CONSONANTS:
            out = out[:-1] + "h"
        elif out[-1] == "a":
            out = out[:-1] + "A"
        elif out.endswith("eh") and len(out) > 2:
            out = out[:-2] + "h"
    if "e" in out:
        out = _E_NEXT_TO_I.sub("", out)
    return without_runs(out)


def persian_symbols(token: str) -> str:
    """Symbol sequence of one normalized Persian word."""
    t = persian_letters(token)
    if not t:
        return ""
    if "او" in t[1:] or "وو" in t:
        t = t[0] + t[1:].replace("اوو", "ا\u0001").replace("وو", "\u0001").replace("او", "ا\u0002")
    if "ه" in t:
        t = _PERSIAN_SILENT_HE.sub("", t)
    # the first and last letters have symbols of their own, the others map by a table
    first = _PERSIAN_MAP.get(t[0], "")
    # و after a medial ا is "v" plus perhaps a vowel (داود Davud); وو is "v" + "u" (داوود)
    if first == "Â":
        first = "'"
    elif first == "W":
        first = "v"
    if len(t) == 1:
        return without_runs(first)
    last = _PERSIAN_MAP.get(t[-1], "")
    if last == "Â":
        last = "A"
    return without_runs(first + t[1:-1].translate(_PERSIAN_SYMBOLS) + last)


def token_symbols(token: str) -> tuple[str, bool]:
    """(symbols, is_persian) of one normalized word."""
    if token.isascii():
        return latin_symbols(token), False
    if _ARABIC_BLOCK.search(token):
        return persian_symbols(token), True
    return latin_symbols(token), False
