"""Persian-script normalization for matching.

The rules, applied in this order (the original string is never modified; callers keep it):

====================================  ==========================================
input                                 becomes
====================================  ==========================================
presentation forms (ﻣ ﺤ ﷲ …)          their plain letters (Unicode NFKC)
ي ى ې ێ  (Arabic/Pashto yeh)           ی
ئ before ی or at the end of a word     ی  (رضائی → رضایی)
ئ elsewhere (a glottal stop)           removed (فائزی → فازی, طائب → طاب, مسئول → مسول)
ك ڪ ګ                                  ک  (ګ → گ)
ة  ۀ  ە                                 ه
أ إ ٱ آ ٲ ٳ                            ا
ؤ                                      و
ء  (standalone hamza)                  removed
diacritics ً ٌ ٍ َ ُ ِ ّ ْ ٰ ٔ ٕ …       removed
tatweel ـ                              removed
ZWNJ, ZWJ, LRM/RLM, BOM, bidi marks    removed (محمد‌رضا → محمدرضا)
۰–۹ ٠–٩                                0–9
، ؛ ؟ « »                              , ; ? and spaces
runs of whitespace                     one space
====================================  ==========================================

>>> normalize_persian("عليرضا  ي")
'علیرضا ی'
>>> normalize_persian("محمد‌رضا")
'محمدرضا'
>>> normalize_persian("فاطمة")
'فاطمه'
"""

from __future__ import annotations

import re
import unicodedata

from reckon.text.digits import ARABIC_INDIC_DIGITS, ASCII_DIGITS, PERSIAN_DIGITS

#: Letter unification (one code point to one string).
LETTER_MAP: dict[str, str] = {
    "ي": "ی",  # U+064A Arabic yeh
    "ى": "ی",  # U+0649 alef maksura
    "ې": "ی",  # U+06D0 Pashto yeh
    "ێ": "ی",  # U+06CE Kurdish yeh
    "ۍ": "ی",  # U+06CD
    "ك": "ک",  # U+0643 Arabic kaf
    "ڪ": "ک",  # U+06AA swash kaf
    "ګ": "گ",  # U+06AB Pashto gaf
    "ة": "ه",  # U+0629 teh marbuta
    "ۀ": "ه",  # U+06C0 heh with yeh above
    "ە": "ه",  # U+06D5 ae
    "ہ": "ه",  # U+06C1 heh goal
    "ھ": "ه",  # U+06BE heh doachashmee
    "أ": "ا",
    "إ": "ا",
    "ٱ": "ا",
    "آ": "ا",
    "ٲ": "ا",
    "ٳ": "ا",
    "ؤ": "و",
    "ء": "",
    "ټ": "ت",  # Pashto
    "ځ": "ز",
    "څ": "س",
    "ښ": "ش",
    "ږ": "ژ",
    "ډ": "د",
    "ړ": "ر",
    "ڼ": "ن",
    "ـ": "",  # tatweel
    "،": ",",
    "؛": ";",
    "؟": "?",
    "«": " ",
    "»": " ",
}

#: Invisible formatting characters (removed).
INVISIBLES = "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u00ad\u061c"

_DIACRITIC_RANGES = [
    (0x064B, 0x065F),
    (0x0670, 0x0670),
    (0x06D6, 0x06DC),
    (0x06DF, 0x06E8),
    (0x06EA, 0x06ED),
    (0x08D3, 0x08FF),
]


def _build_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {ord(k): (v or None) for k, v in LETTER_MAP.items()}
    for ch in INVISIBLES:
        table[ord(ch)] = None
    for lo, hi in _DIACRITIC_RANGES:
        for cp in range(lo, hi + 1):
            table[cp] = None
    for i, d in enumerate(ASCII_DIGITS):
        table[ord(PERSIAN_DIGITS[i])] = d
        table[ord(ARABIC_INDIC_DIGITS[i])] = d
    for ws in (
        "\u00a0\u2007\u202f\t\n\r\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u3000"
    ):
        table[ord(ws)] = " "
    return table


_TABLE = _build_table()
_HAMZA_YEH_AS_YEH = re.compile(r"ئ(?=[یيىې]|[^\w]|$)|ئ(?=[\d_])")
_INITIAL_HAMZA_SEAT = re.compile(r"(?<![^\W\d_])ئ")  # not after a letter: a word's first


def read_hamza_seat(text: str) -> str:
    """ئ as Persian reads it: a vowel carrier at the start of a word, like ا (ئیلانلو =
    ایلانلو = Eilanlu); ی before ی and at the end of a word (رضائی = رضایی); elsewhere a glide
    that is not written (مسئول = مسول).

    >>> read_hamza_seat("ئیلانلو رضائی مسئول")
    'ایلانلو رضایی مسول'
    """
    return _HAMZA_YEH_AS_YEH.sub("ی", _INITIAL_HAMZA_SEAT.sub("ا", text)).replace("ئ", "")


_SPACES = re.compile(r" {2,}")
_NEEDS_NFKC = re.compile(r"[\ufb50-\ufdff\ufe70-\ufefe]")


def normalize_persian(text: str) -> str:
    """Unify Arabic/Persian letters, drop diacritics, tatweel and ZWNJ, make digits ASCII.

    Latin letters and other characters pass through unchanged. Idempotent.
    """
    if _NEEDS_NFKC.search(text):
        text = unicodedata.normalize("NFKC", text)
    if "ئ" in text:
        text = read_hamza_seat(text)
    text = text.translate(_TABLE)
    return _SPACES.sub(" ", text).strip()
