"""Latin-script normalization for matching.

==============================================  ===========================================
input                                           becomes
==============================================  ===========================================
upper case                                      lower case
letters with diacritics (á ā ḥ ṣ ẓ ū ö ç …)     the base letter (a a h s z u o c)
ß æ œ ø ł đ ı þ                                 ss ae oe o l d i th
apostrophes, ayn and hamza marks ’ ‘ ' ` ´ ʿ ʾ  removed (Reza'i → rezai, Ja`far → jafar)
hyphens and en/em dashes inside names           removed, joining the parts (Mohammad-Reza →
                                                mohammadreza)
other punctuation except the comma              a space
runs of whitespace                              one space
==============================================  ===========================================

Letters of other scripts pass through unchanged.

>>> normalize_latin("  Ḥusayn  Ja‘far-Zādeh ")
'husayn jafarzadeh'
>>> normalize_latin("NOURI, Hamid")
'nouri, hamid'
"""

from __future__ import annotations

import re
import unicodedata

APOSTROPHES = "'’‘`´ʿʾʻʼʹ′ʽ‛"
HYPHENS = "-‐‑‒–—―"
SPECIAL_LETTERS: dict[str, str] = {
    "ß": "ss",
    "ẞ": "ss",
    "æ": "ae",
    "Æ": "ae",
    "œ": "oe",
    "Œ": "oe",
    "ø": "o",
    "Ø": "o",
    "ł": "l",
    "Ł": "l",
    "đ": "d",
    "Đ": "d",
    "ð": "d",
    "Ð": "d",
    "ı": "i",
    "þ": "th",
    "Þ": "th",
    "ħ": "h",
    "Ħ": "h",
    "ŧ": "t",
    "ƶ": "z",
    "ǥ": "g",
}
_PUNCT_TO_SPACE = '.;:!?/\\|()[]{}<>"_*&+=~^#@$%§°·•…\t\n\r\u00a0\u2007\u202f'


def _build_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    ranges = [(0x00C0, 0x024F), (0x1E00, 0x1EFF), (0x0250, 0x02AF)]
    for lo, hi in ranges:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            base = "".join(
                c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
            )
            if base and base != ch and base.isascii():
                table[cp] = base.lower()
    for k, v in SPECIAL_LETTERS.items():
        table[ord(k)] = v
    for ch in APOSTROPHES + HYPHENS:
        table[ord(ch)] = None
    for cp in range(0x0300, 0x0370):  # combining diacritical marks
        table[cp] = None
    for ch in "\u200b\u200c\u200d\u200e\u200f\ufeff\u00ad":
        table[ord(ch)] = None
    for ch in _PUNCT_TO_SPACE:
        table[ord(ch)] = " "
    return table


_TABLE = _build_table()
_SPACES = re.compile(r" {2,}")
_SPACE_COMMA = re.compile(r" ?, ?")
#: Commas and whitespace of any kind at either end (stripping one may expose the other).
_EDGE_COMMAS = re.compile(r"^[\s,]+|[\s,]+$")


def normalize_latin(text: str) -> str:
    """Fold case and diacritics, drop apostrophes and hyphens, tidy spaces. Idempotent."""
    text = text.translate(_TABLE).lower()
    if not text.isascii():
        # lower() may create new combining marks (e.g. "İ"); fold once more.
        text = text.translate(_TABLE)
    text = _SPACES.sub(" ", text).strip()
    if "," in text:
        text = _EDGE_COMMAS.sub("", _SPACE_COMMA.sub(", ", text))
    return text
