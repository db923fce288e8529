"""Latin-script normalization for matching.

==============================================  ===========================================
input                                           becomes
==============================================  ===========================================
upper case                                      lower case
letters of the transliterations of Persian      the digraphs and letters the keys read
and of Turkish/Azeri spelling (š č ž ḵ ġ ḏ ṯ    (sh ch zh kh gh z s …; table below)
ş ç ğ ə …), also written with combining marks
other letters with diacritics (á ā ḥ ṣ ẓ ö …)    the base letter (a a h s z o)
ß æ œ ø ł đ ı þ                                 ss ae oe o l d i th
apostrophes, ayn and hamza marks ’ ‘ ' ` ´ ʿ ʾ  removed (Reza'i → rezai, Ja`far → jafar)
hyphens and en/em dashes inside names           removed, joining the parts (Mohammad-Reza →
                                                mohammadreza)
other punctuation except the comma              a space
runs of whitespace                              one space
==============================================  ===========================================

Transliteration letters (:data:`TRANSLITERATION_LETTERS`), read as what they write in
Persian, before the other diacritics are folded (folding would make š an s, ḵ a k, ḏ a d):

==========  ==========  =====  ==============================================================
letter      Persian     reads  schemes that write it
==========  ==========  =====  ==============================================================
š           ش           sh     ISO 233-3, DMG, Encyclopaedia Iranica, UN 2012, ISO 233 (Arabic)
ş ș         ش           sh     Turkish, Azeri; Romanian ș (typed for ş). UN 1967 writes ص as ş
                               (ش is sh there): a geographic-names system, rare in lists of
                               people, so ş is read as Turkish and Azeri write it
č           چ           ch     ISO 233-3, DMG, Encyclopaedia Iranica, UN 2012
ç           چ           ch     Turkish, Azeri (the French ç, an s, writes no Persian name)
ž           ژ           zh     ISO 233-3, DMG, Encyclopaedia Iranica, UN 2012
ġ           غ           gh     ISO 233-3, DMG, ISO 233 (Arabic)
ḡ           غ           gh     Encyclopaedia Iranica
ğ           غ           gh     Azeri (Ağa = آقا); Turkish ğ is mostly an old غ too (Tuğrul =
                               طغرل). Some German Arabists type ğ for ج (ǧ), which no
                               Persian scheme does
ƣ           غ           gh     Tajik Latin alphabet (1928-1940)
ǧ           ج           j      DMG, ISO 233 (Arabic)
ḵ           خ           kh     Encyclopaedia Iranica, ISO 233-3
ḫ           خ           kh     DMG
ẖ           خ           kh     ISO 233 (Arabic)
x̱           خ           kh     a marked x, which cannot be the Latin x (ks)
ḏ           ذ           z      Encyclopaedia Iranica, ISO 233 (Arabic); Persian ذ sounds z
ḍ           ض           z      Encyclopaedia of Islam, ISO 233 and ALA-LC (Arabic); Persian ض
                               sounds z
ḑ           ض           z      UN (Arabic)
ṯ           ث           s      Encyclopaedia Iranica, ISO 233 (Arabic); Persian ث sounds s
t͟h d͟h       ث ذ         s z    Encyclopaedia of Islam (1960), Bahá'í (tied digraphs)
ḳ           ق           q      Encyclopaedia of Islam (1960)
ə           (a vowel)   e      Azeri (Cəfər = جعفر, Fatimə = فاطمه)
==========  ==========  =====  ==============================================================

The rest fold to their base letter, which is already what the keys read: ṣ s̱ s̄ (ص ث), ṭ ţ
(ط), ḥ ḩ (ح), ẓ ż ẕ z̤ z̄ z̧ (ظ ض ذ), ā â ī ū ē ō (long vowels, ALA-LC, ISO 233-3, DMG,
Iranica), ʿ ʾ (ayn, hamza) are removed. ALA-LC and BGN/PCGN write kh sh zh ch gh already.

A word that shows Azeri or Turkish spelling (ə, ı, İ or ğ) also reads c as ج and x as خ, as
those alphabets do (Hacı = حاجی, Cəfər = جعفر, Xəlil = خلیل); a word with a caron (š ž č)
reads x as خ, as UN 2012 (Iran's official romanization of place names) and ISO 233-3 write it
(Xorramšahr = خرمشهر). Elsewhere c and x keep their English readings: a Latin x in lists of
Iranian names is mostly the x of Roxana, Alexander or Félix (ks), and a word of those schemes
without a caron (Xosrow) cannot be told from an English one.

Letters of other scripts pass through unchanged.

>>> normalize_latin("  Ḥusayn  Ja‘far-Zādeh ")
'husayn jafarzadeh'
>>> normalize_latin("NOURI, Hamid")
'nouri, hamid'
>>> normalize_latin("Šīrāzī"), normalize_latin("Ḵomeynī"), normalize_latin("Hacı Cəfər")
('shirazi', 'khomeyni', 'haji jefer')
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
#: Letters of the transliterations of Persian and of Turkish/Azeri spelling, read as the
#: digraphs and letters the keys understand (see the module docs for the schemes).
TRANSLITERATION_LETTERS: dict[str, str] = {
    **dict.fromkeys("šŠşŞșȘ", "sh"),
    **dict.fromkeys("čČçÇ", "ch"),
    **dict.fromkeys("žŽ", "zh"),
    **dict.fromkeys("ġĠḡḠğĞƣƢ", "gh"),
    **dict.fromkeys("ǧǦ", "j"),
    **dict.fromkeys("ḵḴḫḪẖ", "kh"),
    **dict.fromkeys("ḏḎḍḌḑḐ", "z"),
    **dict.fromkeys("ṯṮ", "s"),
    **dict.fromkeys("ḳḲ", "q"),
    **dict.fromkeys("əƏ", "e"),
}
#: A letter and combining marks that no precomposed letter writes, by their lower case:
#: x̱ (خ), and H̱, the capital of ẖ (خ), which Unicode has only decomposed.
MARKED_LETTERS: dict[str, str] = {
    "x\u0331": "kh",
    "x\u0332": "kh",
    "h\u0331": "kh",
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
    for k, v in {**SPECIAL_LETTERS, **TRANSLITERATION_LETTERS}.items():
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

#: Combining diacritical marks (the table removes them).
_COMBINING = re.compile("[\u0300-\u036f]")
#: An ASCII letter and the combining marks after it.
_MARKED = re.compile("[A-Za-z][\u0300-\u036f]+")
#: Digraphs tied by a double macron below (t͟h, d͟h) or with both letters underlined (t̲h̲):
#: one letter, ث or ذ, in the Encyclopaedia of Islam (1960) and the Bahá'í romanization.
_TIED = re.compile("([tTdD])(?:\u035f([hH])|([\u0331\u0332])([hH])\\3)")
_TIED_READS = {"t": "s", "d": "z"}
#: Letters that only Azeri or Turkish spelling writes: a word with one reads c as ج and x as
#: خ, as those alphabets do.
_TURKIC_LETTERS = "əƏıİğĞ"
#: Letters with a caron: a word with one is in a scheme that writes خ as x (UN 2012, ISO 233-3;
#: Czech and Slovak, the other users of carons, write no x of their own).
_CARON_LETTERS = "šŠžŽčČ"
#: A whitespace-free word with one of them.
_SCHEME_WORD = re.compile(f"\\S*[{_TURKIC_LETTERS}{_CARON_LETTERS}]\\S*")
_TURKIC = re.compile(f"[{_TURKIC_LETTERS}]")
_X_AS_KH = str.maketrans({"x": "kh", "X": "kh"})
_TURKIC_CX = str.maketrans({"c": "j", "C": "j", "x": "kh", "X": "kh"})


def _marked(match: re.Match[str]) -> str:
    text = match.group()
    return MARKED_LETTERS.get(text.lower()) or unicodedata.normalize("NFC", text)


def _scheme_word(match: re.Match[str]) -> str:
    word = match.group()
    return word.translate(_TURKIC_CX if _TURKIC.search(word) else _X_AS_KH)


def read_transliteration(text: str) -> str:
    r"""What the character table cannot do alone, for text that is not ASCII: a letter written
    with combining marks composed (s and a combining caron: š) or read (x̱ = kh), a tied
    digraph read as the one letter it writes (t͟h = s), c and x read as Azeri and Turkish
    write them (ج, خ) in a word that shows that spelling, and x read as خ in a word with a
    caron. The table of :func:`normalize_latin` then reads the letters.

    >>> read_transliteration("S\u030cira\u0304zi\u0304 x\u0331osrow Hacı Xorramšahr")
    'Širāzī khosrow Hajı khorramšahr'
    """
    if _COMBINING.search(text) is not None:
        if "\u035f" in text or "\u0331" in text or "\u0332" in text:
            text = _TIED.sub(lambda m: _TIED_READS[m.group(1).lower()], text)
        text = _MARKED.sub(_marked, text)
    if _SCHEME_WORD.search(text) is not None:
        text = _SCHEME_WORD.sub(_scheme_word, text)
    return text


def normalize_latin(text: str) -> str:
    """Fold case and diacritics, drop apostrophes and hyphens, tidy spaces. Idempotent."""
    if not text.isascii():
        text = read_transliteration(text)
    text = text.translate(_TABLE).lower()
    if not text.isascii():
        # lower() may create new combining marks (e.g. "İ"); fold once more.
        text = text.translate(_TABLE)
    text = _SPACES.sub(" ", text).strip()
    if "," in text:
        text = _EDGE_COMMAS.sub("", _SPACE_COMMA.sub(", ", text))
    return text
