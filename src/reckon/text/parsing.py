"""Cleaning and parsing names into tokens, skeletons and keys, memoized per word.

The machinery behind :mod:`reckon.text.names` (whose docstring has the rules). Lists repeat a
few thousand given names and surnames endlessly while most full names are new, so the work is
done once per *word*: a whitespace-free piece of a name is cleaned into tokens, which get their
skeletons (:func:`~reckon.text.keys.token_skeleton`) and other readings
(:func:`~reckon.text.readings.latin_readings`, :func:`~reckon.text.readings.persian_readings`), and a
name is composed from its words. Every step of the cleaning but the "SURNAME, Given"
reordering acts within a word, so this gives exactly what cleaning the whole name would; names
with a comma, or with presentation forms (whose NFKC may add spaces), are cleaned whole.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import partial
from typing import NamedTuple

from reckon.text.keys import (
    COMPOUND_FIRST_WORDS,
    COMPOUND_SECOND_WORDS,
    _collapse,
    _letters_memo,
    _skeleton_memo,
    token_skeleton,
)
from reckon.text.latin import _build_table as _latin_table
from reckon.text.latin import read_transliteration
from reckon.text.persian import _NEEDS_NFKC, read_hamza_seat
from reckon.text.persian import _build_table as _persian_table
from reckon.text.readings import (
    latin_readings,
    latin_scholarly_readings,
    persian_readings,
    scholarly_style,
)


def _words(text: str) -> list[str]:
    return text.split()


#: Honorifics and titles, as normalized tokens (Persian after letter unification, آ → ا).
HONORIFICS: frozenset[str] = frozenset(
    {
        # Latin
        *_words("seyed seyyed seyyid seyid sayed sayyed sayyid sayid syed seied seiyed seyd sied"),
        *_words("seyedeh seyyedeh sayedeh sayyedeh seyede seyyede sayyida sayyidah"),
        *_words("haj hajj haji hajji hadj hadji hajiyeh hajieh hajie hajiye"),
        *_words("mirza sheikh sheykh shaikh shaykh sheik shiekh mulla molla mullah mollah"),
        *_words("ayatollah ayatolla ayatullah ayatolah hojatoleslam hojjatoleslam hojatolislam"),
        *_words("hojjatolislam dr doctor prof professor mr mrs ms miss mme shahid"),
        *_words("mohandes eng engineer khanom khanum khanoum sardar sartip sarhang ostad"),
        # Persian
        *_words("سید سیده حاج حاجی حاجیه میرزا شیخ ملا ایتالله ایتاالله حجتالاسلام دکتر مهندس"),
        *_words("استاد شهید شهیده خانم اقای سردار سرتیپ سرهنگ"),
    }
)

#: Tokens joined to the following token.
PREFIXES: frozenset[str] = frozenset(
    {
        *_words("abd abdol abdul abdel abdal abdoll abdul abol abul abu abou aboul abo omm umm"),
        *_words("mir عبد ابو ام میر"),
    }
)
#: Particles joined to both neighbours.
PARTICLES: frozenset[str] = frozenset(
    {*_words("ol al ul el od ed ud ad os es us as ot et ut at or er ur ar oz ez uz az on en"), "ال"}
)
#: Tokens joined to the preceding token.
SUFFIXES: frozenset[str] = frozenset(
    {
        *_words(
            "zadeh zade zada zadah zaadeh zadegan pour poor pur nejad nezhad nejhad nijad nezhad"
        ),
        *_words(
            "ollah olah ullah allah ulla olla ellah llah lah eddin oddin uddin addin aldin oldin edin"
        ),
        *_words("olsadat alsadat ossadat assadat osadat olhoda alhoda"),
        *_words(
            "زاده زادگان پور نژاد الله اله الدین الدوله الملک السلطنه الاسلام الزمان السادات الهدی"
        ),
    }
)
#: Tokens joined to the following token, or to the preceding one when last (Pour Ostad,
#: Nouri Pour).
BIDIRECTIONAL: frozenset[str] = frozenset(_words("pour poor pur پور"))

COMPOUND_FIRST: frozenset[str] = frozenset(token_skeleton(w) for w in COMPOUND_FIRST_WORDS)
COMPOUND_SECOND: frozenset[str] = frozenset(token_skeleton(w) for w in COMPOUND_SECOND_WORDS)

_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefe]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")


_ARABIC_BIT = 1
_OTHER_BIT = 2
_SCRIPTS = ("empty", "persian", "latin", "mixed")  # indexed by script bits


#: Text of Arabic-script characters, joiners and direction marks, ASCII digits and punctuation:
#: its letters are all Arabic-script letters.
_ARABIC_SCRIPT_ONLY = re.compile(
    r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefe"
    r"\u200c-\u200f\x00-\x40\x5b-\x60\x7b-\x7f]*"
)


def _script_bits(text: str) -> int:
    """1 if the text has an Arabic-script letter, + 2 if it has any other letter."""
    if text.isascii():
        return _OTHER_BIT if _LATIN_LETTER.search(text) else 0
    if _ARABIC_SCRIPT_ONLY.fullmatch(text):  # the common Persian word, without a loop
        return _ARABIC_BIT if any(map(str.isalpha, text)) else 0
    bits = 0
    for ch in text:
        if ch.isalpha():
            bits |= _ARABIC_BIT if _ARABIC.match(ch) else _OTHER_BIT
            if bits == 3:
                break
    return bits


class _Word(NamedTuple):
    """A whitespace-free piece of a name, cleaned (see :func:`_clean_word`)."""

    tokens: tuple[str, ...]
    skeletons: tuple[str, ...]
    bits: int  # script bits (1 Arabic-script letters, 2 other letters) and _NEEDS_PARSE


_new_word = partial(tuple.__new__, _Word)  # _Word(...) without the Python-level __new__


class _Parsed(NamedTuple):
    tokens: tuple[str, ...]
    skeletons: tuple[str, ...]
    honorifics: tuple[str, ...]
    key: str


_EMPTY = _Parsed((), (), (), "")
_NAME_TABLE = {**_persian_table(), **_latin_table()}
_ASCII_TABLE = {k: v for k, v in _NAME_TABLE.items() if k < 128}
_ASCII_NEEDS_TABLE = re.compile(r"[^a-z ,]")


_AFFIXES = PREFIXES | PARTICLES | SUFFIXES | BIDIRECTIONAL
_MEMO_LIMIT = 1 << 20
#: whitespace-free piece of a name → (its cleaned tokens, their skeletons, bits)
_WORD_MEMO: dict[str, _Word] = {}
#: name → its parse
_PARSE_MEMO: dict[str, _Parsed] = {}


def _clean(name: str) -> str:
    """Letters unified and folded, punctuation made spaces, "SURNAME, Given" reordered."""
    if name.isascii():
        s = name.lower()
        if _ASCII_NEEDS_TABLE.search(s):
            s = s.translate(_ASCII_TABLE)
    else:
        if _NEEDS_NFKC.search(name):
            name = unicodedata.normalize("NFKC", name)
        name = read_transliteration(name)
        if "ئ" in name:
            name = read_hamza_seat(name)
        s = name.translate(_NAME_TABLE).lower()
    if "," in s:
        head, _, tail = s.partition(",")
        tail = tail.replace(",", " ").strip()
        head = head.strip()
        s = f"{tail} {head}" if tail and head else (tail or head)
    return s


_AFFIX_BIT = 4  # a token is an affix or an honorific
_COMPOUND_BIT = 8  # a token may start a compound given name
_NEEDS_PARSE = _AFFIX_BIT | _COMPOUND_BIT


def _clean_word(word: str) -> _Word:
    """:func:`_clean` of one whitespace-free piece of a name (no comma, already NFKC where
    needed) split into tokens, with their skeletons, and bits: the piece's
    script (1 Arabic-script letters, 2 other letters) and ``_NEEDS_PARSE`` (memoized).

    Every step of :func:`_clean` but the comma reordering acts within a piece (the ئ rule looks
    one character ahead, and whitespace counts as a word end), so a name's tokens are its
    pieces' tokens in order.
    """
    if word.isascii():
        s = word.lower()
        if s.isalpha():  # letters a-z only, the common case: nothing to clean
            bits = _OTHER_BIT
        else:
            if _ASCII_NEEDS_TABLE.search(s):
                s = s.translate(_ASCII_TABLE)
            bits = _OTHER_BIT if _LATIN_LETTER.search(word) else 0
    else:
        s = read_transliteration(word)
        if "ئ" in s:
            s = read_hamza_seat(s)
        s = s.translate(_NAME_TABLE).lower()
        bits = _script_bits(word)
    tokens = tuple(s.split())
    get = _skeleton_memo.get
    if len(tokens) == 1:  # the common case, without a generator
        skeletons = (get(tokens[0]) or token_skeleton(tokens[0]),)
    else:
        skeletons = tuple(get(t) or token_skeleton(t) for t in tokens)
    if not _AFFIXES.isdisjoint(tokens) or not HONORIFICS.isdisjoint(tokens):
        bits |= _AFFIX_BIT
    if not COMPOUND_FIRST.isdisjoint(skeletons):
        bits |= _COMPOUND_BIT
    out = _new_word((tokens, skeletons, bits))
    if len(_WORD_MEMO) >= _MEMO_LIMIT:
        _WORD_MEMO.clear()
    _WORD_MEMO[word] = out
    return out


def _split(name: str) -> tuple[list[str], list[str], int]:
    """The cleaned tokens of a name (``_clean(name).split()``), their skeletons, and bits (see
    :func:`_clean_word`)."""
    text = name
    nfkc = not name.isascii() and _NEEDS_NFKC.search(name) is not None
    if nfkc:
        text = unicodedata.normalize("NFKC", name)
    if "," in text or "،" in text:
        tokens = _clean(name).split()
        get = _skeleton_memo.get
        return (
            tokens,
            [get(t) or token_skeleton(t) for t in tokens],
            _script_bits(name) | _AFFIX_BIT,
        )
    tokens: list[str] = []
    skeletons: list[str] = []
    bits = 0
    get_word = _WORD_MEMO.get
    for word in text.split():
        cleaned = get_word(word) or _clean_word(word)
        tokens += cleaned[0]
        skeletons += cleaned[1]
        bits |= cleaned[2]
    if nfkc:  # the script is that of the name as written
        bits = _script_bits(name) | (bits & _NEEDS_PARSE)
    return tokens, skeletons, bits


def _join_affixes(tokens: list[str]) -> list[str]:
    out: list[str] = []
    glue_next = False
    last = len(tokens) - 1
    for i, tok in enumerate(tokens):
        if tok in BIDIRECTIONAL and i < last and not glue_next:
            out.append(tok)  # "Pour Ostad": a prefix of the next token
            glue_next = True
            continue
        if glue_next and out:
            out[-1] += tok
            glue_next = tok in PREFIXES or tok in PARTICLES
            continue
        if out and (tok in SUFFIXES or tok in PARTICLES):
            out[-1] += tok
            glue_next = tok in PARTICLES
            continue
        out.append(tok)
        glue_next = tok in PREFIXES
    return out


def _join2(a: str, b: str) -> str:
    """:func:`_join_keys` of two skeletons."""
    key = a + b[1:] if a and b and a[-1] == b[0] else a + b
    return _collapse(key) if "nq" in key else key


def _join_keys(skeletons: Sequence[str]) -> str:
    """:func:`~reckon.text.keys.join_skeletons` for skeletons, which hold no doubled symbol
    and no "nq": only the joins can make either."""
    key = ""
    for sk in skeletons:
        if key and sk and key[-1] == sk[0]:
            sk = sk[1:]
        key += sk
    return _collapse(key) if "nq" in key else key


def _rotations(skeletons: Sequence[str]) -> list[str]:
    """:func:`~reckon.text.keys.rotations`, without regular expressions."""
    n = len(skeletons)
    if n == 2:
        a, b = skeletons
        if not a or not b:
            return [a or b or ""]
        first = _join2(a, b)
        second = _join2(b, a)
        return [first] if first == second else [first, second]
    if n == 1:
        return [skeletons[0] or ""]
    out: list[str] = []
    for i in range(n):
        key = _join_keys(skeletons[i:] + skeletons[:i])
        if key and key not in out:
            out.append(key)
    return out or [""]


#: Most alternative keys (other readings of a word, see :func:`name_keys`) of one name.
MAX_ALTERNATIVE_KEYS = 8


class _Readings(NamedTuple):
    """A word's other skeletons in any name; in a name in the scholarly style, also those of
    :func:`~reckon.text.readings.latin_scholarly_readings` (first); and whether the word shows it."""

    general: tuple[str, ...]
    in_scholarly_name: tuple[str, ...]
    shows_scholarly: bool


_NO_READINGS = _Readings((), (), False)
#: normalized token → its other skeletons (:func:`~reckon.text.readings.latin_readings`)
_READINGS_MEMO: dict[str, _Readings] = {}


def _readings(token: str) -> _Readings:
    if token.isascii():
        general = tuple(latin_readings(token))
        scholarly = tuple(r for r in latin_scholarly_readings(token) if r not in general)
        out = _Readings(general, scholarly + general, scholarly_style(token))
        if out == _NO_READINGS:
            out = _NO_READINGS
    elif _ARABIC.search(token):
        general = tuple(persian_readings(token))
        out = _Readings(general, general, False) if general else _NO_READINGS
    else:
        out = _NO_READINGS
    if len(_READINGS_MEMO) >= _MEMO_LIMIT:
        _READINGS_MEMO.clear()
    _READINGS_MEMO[token] = out
    return out


def _readings_of(tokens: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    """Each token's other skeletons, with the scholarly ones if any token shows that style."""
    get = _READINGS_MEMO.get
    entries = [get(t) or _readings(t) for t in tokens]
    for entry in entries:
        if entry[2]:
            return tuple(e[1] for e in entries)
    return tuple(e[0] for e in entries)


def _all_keys(parsed: _Parsed) -> list[str]:
    """Rotations of the name's skeletons, then the name with one word read another way."""
    return _keys(parsed.skeletons, _readings_of(parsed.tokens))


def _keys(skeletons: Sequence[str], readings: Sequence[tuple[str, ...]]) -> list[str]:
    keys = _rotations(skeletons)
    if len(skeletons) == 2:  # the common case, without slicing
        first, second = readings
        if not first and not second:
            return keys
        a, b = skeletons
        alternatives = [_join2(r, b) for r in first]
        alternatives += [_join2(a, r) for r in second]
    else:
        alternatives = [
            _join_keys((*skeletons[:i], reading, *skeletons[i + 1 :]))
            for i, token_readings in enumerate(readings)
            for reading in token_readings
        ]
    limit = len(keys) + MAX_ALTERNATIVE_KEYS
    for key in alternatives:
        if key and key not in keys:
            keys.append(key)
            if len(keys) >= limit:
                break
    return keys


def _parse_tokens(tokens: list[str], skeletons: list[str], bits: int) -> _Parsed:
    """Affixes joined, honorifics set apart, compounds joined; skeletons and key."""
    if not bits & _NEEDS_PARSE or len(tokens) < 2:
        return _Parsed(tuple(tokens), tuple(skeletons), (), _join_keys(skeletons))
    honorifics: tuple[str, ...] = ()
    rejoined = False
    if not _AFFIXES.isdisjoint(tokens):
        tokens = _join_affixes(tokens)
        rejoined = True
    if not HONORIFICS.isdisjoint(tokens):
        kept = [t for t in tokens if t not in HONORIFICS]
        if kept:
            honorifics = tuple(t for t in tokens if t in HONORIFICS)
            tokens = kept
            rejoined = True
    if rejoined:
        get = _skeleton_memo.get
        skeletons = [get(t) or token_skeleton(t) for t in tokens]
    n = len(tokens)
    i = 0
    while i < n - 1:
        if skeletons[i] in COMPOUND_FIRST and skeletons[i + 1] in COMPOUND_SECOND:
            joined = tokens[i] + tokens[i + 1]  # keyed whole, as when written joined
            tokens[i : i + 2] = [joined]
            skeletons[i : i + 2] = [_skeleton_memo.get(joined) or token_skeleton(joined)]
            n -= 1
        i += 1
    return _Parsed(tuple(tokens), tuple(skeletons), honorifics, _join_keys(skeletons))


def _parse(name: str) -> _Parsed:
    """Tokens, their skeletons, the honorifics and the key of a name (memoized)."""
    parsed = _PARSE_MEMO.get(name)
    if parsed is None:
        parsed = _parse_tokens(*_split(name))
        if len(_PARSE_MEMO) >= _MEMO_LIMIT:
            _PARSE_MEMO.clear()
        _PARSE_MEMO[name] = parsed
    return parsed


def clear_caches() -> None:
    """Forget memoized words, parses and readings."""
    _WORD_MEMO.clear()
    _PARSE_MEMO.clear()
    _READINGS_MEMO.clear()
    _skeleton_memo.clear()
    _letters_memo.clear()
