"""Parse a personal name into its matching form, honorifics and cross-script keys.

Steps (the original string is kept untouched in :attr:`NormalizedName.original`):

1. Persian letters unified (:func:`~reckon.text.persian.normalize_persian`) and Latin folded
   (:func:`~reckon.text.latin.normalize_latin`).
2. ``"NOURI, Hamid"`` / ``«نوری، حمید»`` (surname, comma, given names) is reordered to
   ``"hamid nouri"``.
3. Compound parts are joined into one token: prefixes عبد/abd/abdol/abdul/abdel, ابو/abu/abol/abul,
   ام/omm; particles ال/ol/al/ul/el/od/ed/os…; suffixes زاده/zadeh/zade/zada, پور/pour/poor/pur,
   نژاد/nejad/nezhad, الله/ollah/allah/ullah, الدین/eddin/oddin/uddin; and compound given names
   (محمد رضا, Mohammad Reza, Ali Akbar, Gholam Hossein, Amir Hossein, …) — so spacing, hyphens and
   ZWNJ inside compounds do not matter.
4. Honorifics and titles (سید/Seyed, حاج/Haj, میرزا/Mirza, شیخ/Sheikh, دکتر/Dr, شهید/Shahid, …)
   move to :attr:`NormalizedName.honorifics` (unless nothing else is left).

>>> n = normalize_name("NOURI, Seyed Hamid")
>>> n.normalized, n.honorifics, n.script
('hamid nouri', ('seyed',), 'latin')
>>> normalize_name("محمد رضا  عبد الله‌زاده").normalized
'محمدرضا عبداللهزاده'
>>> name_key("حمید نوری") == name_key("Hamid Noury") == name_key("NOURI, Hamid") == name_key("Hamid Nuri")
True
"""

from __future__ import annotations

import gc
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from reckon.text.keys import _skeleton_memo, join_skeletons, rotations, token_skeleton
from reckon.text.latin import _build_table as _latin_table
from reckon.text.persian import _HAMZA_YEH_AS_YEH, _NEEDS_NFKC
from reckon.text.persian import _build_table as _persian_table


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
        *_words("عبد ابو ام"),
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
            "ollah olah ullah allah ulla olla ellah llah lah eddin oddin uddin addin aldin oldin"
        ),
        *_words("زاده زادگان پور نژاد الله اله الدین الدوله الملک السلطنه الاسلام الزمان السادات"),
    }
)
#: Tokens joined to the following token, or to the preceding one when last (Pour Ostad,
#: Nouri Pour).
BIDIRECTIONAL: frozenset[str] = frozenset(_words("pour poor pur پور"))

#: Compound given names: a first part followed by a second part is one given name
#: (محمد رضا = محمدرضا = Mohammad-Reza). Compared by skeleton, so every spelling counts.
COMPOUND_FIRST_WORDS = _words("mohammad ali amir gholam hossein hassan")
COMPOUND_SECOND_WORDS = _words(
    "reza ali hossein hassan mehdi javad bagher taghi sadegh kazem akbar asghar karim amin "
    "rahim ebrahim esmail hadi jafar ghasem rasoul naghi sharif ahmad mohammad mahmoud hossein "
    "sina saleh hamid majid yousef taher"
)
COMPOUND_FIRST: frozenset[str] = frozenset(token_skeleton(w) for w in COMPOUND_FIRST_WORDS)
COMPOUND_SECOND: frozenset[str] = frozenset(token_skeleton(w) for w in COMPOUND_SECOND_WORDS)

_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefe]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_NON_WORD = re.compile(r"^[\W_]+$")


def detect_script(text: str | None) -> str:
    """``"persian"``, ``"latin"``, ``"mixed"`` or ``"empty"`` (no letters at all).

    Arabic-script letters count as Persian; any other letters as Latin.

    >>> detect_script("حمید Nouri"), detect_script("۱۳۶۷"), detect_script("Hamid")
    ('mixed', 'empty', 'latin')
    """
    if not text:
        return "empty"
    if text.isascii():
        return "latin" if _LATIN_LETTER.search(text) else "empty"
    has_arabic = False
    has_other = False
    for ch in text:
        if ch.isalpha():
            if _ARABIC.match(ch):
                has_arabic = True
            else:
                has_other = True
            if has_arabic and has_other:
                return "mixed"
    if has_arabic:
        return "persian"
    return "latin" if has_other else "empty"


@dataclass(frozen=True, slots=True)
class NormalizedName:
    """A name as written plus its matching form, honorifics and keys (see module docs)."""

    original: str
    script: str
    normalized: str
    tokens: tuple[str, ...]
    honorifics: tuple[str, ...]
    key: str
    keys: tuple[str, ...]


class _Parsed(NamedTuple):
    tokens: tuple[str, ...]
    skeletons: tuple[str, ...]
    honorifics: tuple[str, ...]


_EMPTY = _Parsed((), (), ())
_NAME_TABLE = {**_persian_table(), **_latin_table()}
_ASCII_TABLE = {k: v for k, v in _NAME_TABLE.items() if k < 128}
_ASCII_NEEDS_TABLE = re.compile(r"[^a-z ,]")


def _char_class(codepoints: list[int]) -> str:
    ranges: list[list[int]] = []
    for cp in sorted(codepoints):
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return "".join(
        re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges
    )


_TABLE_CHARS = re.compile("[" + _char_class(list(_NAME_TABLE)) + "]")
_TABLE_STR = {chr(k): (v or "") for k, v in _NAME_TABLE.items()}


def _table_sub(match: re.Match[str]) -> str:
    return _TABLE_STR[match.group()]


_AFFIXES = PREFIXES | PARTICLES | SUFFIXES | BIDIRECTIONAL
_MEMO_LIMIT = 1 << 20
_PARSE_MEMO: dict[str, _Parsed] = {}
_KEY_MEMO: dict[str, str] = {}


def _clean(name: str) -> str:
    """Letters unified and folded, punctuation made spaces, "SURNAME, Given" reordered."""
    if name.isascii():
        s = name.lower()
        if _ASCII_NEEDS_TABLE.search(s):
            s = s.translate(_ASCII_TABLE)
    else:
        if _NEEDS_NFKC.search(name):
            name = unicodedata.normalize("NFKC", name)
        if "ئ" in name:
            name = _HAMZA_YEH_AS_YEH.sub("ی", name).replace("ئ", "")
        s = _TABLE_CHARS.sub(_table_sub, name).lower()
    if "," in s:
        head, _, tail = s.partition(",")
        tail = tail.replace(",", " ").strip()
        head = head.strip()
        s = f"{tail} {head}" if tail and head else (tail or head)
    return s


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


def _parse(name: str) -> _Parsed:
    """Tokens, their skeletons and the honorifics of a name (memoized)."""
    parsed = _PARSE_MEMO.get(name)
    if parsed is None:
        parsed = _parse_new(name)
    return parsed


def _parse_new(name: str) -> _Parsed:
    tokens = _clean(name).split()
    honorifics: tuple[str, ...] = ()
    n = len(tokens)
    if n > 1:
        if not _AFFIXES.isdisjoint(tokens):
            tokens = _join_affixes(tokens)
        if not HONORIFICS.isdisjoint(tokens):
            kept = [t for t in tokens if t not in HONORIFICS]
            if kept:
                honorifics = tuple(t for t in tokens if t in HONORIFICS)
                tokens = kept
        n = len(tokens)
    get = _skeleton_memo.get
    skeletons = [get(t) or token_skeleton(t) for t in tokens]
    if n > 1:
        i = 0
        while i < n - 1:
            if skeletons[i] in COMPOUND_FIRST and skeletons[i + 1] in COMPOUND_SECOND:
                tokens[i : i + 2] = [tokens[i] + tokens[i + 1]]
                skeletons[i : i + 2] = [join_skeletons(skeletons[i : i + 2])]
                n -= 1
            i += 1
    parsed = _Parsed(tuple(tokens), tuple(skeletons), honorifics)
    if len(_PARSE_MEMO) >= _MEMO_LIMIT:
        _PARSE_MEMO.clear()
    _PARSE_MEMO[name] = parsed
    return parsed


def _key_of(name: str) -> str:
    parsed = _PARSE_MEMO.get(name) or _parse_new(name)
    skeletons = parsed.skeletons
    if len(skeletons) == 2:
        a, b = skeletons
        key = a + b[1:] if a and b and a[-1] == b[0] else a + b
    else:
        key = ""
        for sk in skeletons:
            if key and sk and key[-1] == sk[0]:
                sk = sk[1:]
            key += sk
    if len(_KEY_MEMO) >= _MEMO_LIMIT:
        _KEY_MEMO.clear()
    _KEY_MEMO[name] = key
    return key


def clear_caches() -> None:
    """Forget memoized parses and keys (for benchmarks and tests)."""
    _PARSE_MEMO.clear()
    _KEY_MEMO.clear()
    _skeleton_memo.clear()


def name_key(name: str | None) -> str:
    """The cross-script phonetic key of a full name ("" for an empty name).

    >>> name_key("Hamid Nouri"), name_key("حمید نوری"), name_key("NOURI, Hamid")
    ('hmIdnrI', 'hmIdnrI', 'hmIdnrI')
    """
    if not name:
        return ""
    key = _KEY_MEMO.get(name)
    return key if key is not None else _key_of(name)


def name_keys(name: str | None) -> list[str]:
    """Every key the name can have: each rotation of its tokens (given-first, surname-first).

    The first element is :func:`name_key`. Spacing inside compounds never changes a key.

    >>> name_keys("Hamid Nouri")
    ['hmIdnrI', 'nrIhmId']
    """
    if not name:
        return [""]
    return rotations(_parse(name).skeletons)


def _key_from_tokens(tokens: list[str]) -> str:
    """The key of already-cleaned tokens (the hot path of :func:`name_keys_batch`)."""
    n = len(tokens)
    if n > 1:
        if not _AFFIXES.isdisjoint(tokens):
            tokens = _join_affixes(tokens)
        if not HONORIFICS.isdisjoint(tokens):
            kept = [t for t in tokens if t not in HONORIFICS]
            if kept:
                tokens = kept
    get = _skeleton_memo.get
    key = ""
    previous = ""
    for t in tokens:
        sk = get(t)
        if sk is None:
            sk = token_skeleton(t)
        # a compound given name (Mohammad Reza): its second part cannot start another compound
        previous = "" if previous in COMPOUND_FIRST and sk in COMPOUND_SECOND else sk
        if key and sk and key[-1] == sk[0]:
            sk = sk[1:]
        key += sk
    return key


_SEPARATOR = "\x00"
_SPECIAL = re.compile("[\x00,ئ\ufb50-\ufdff\ufe70-\ufefe]")


def name_keys_batch(names: Sequence[str | None]) -> list[str]:
    """:func:`name_key` of each name.

    Keys are memoized, so repeated names cost a dictionary lookup; new names are cleaned in
    one pass over their concatenation.
    """
    get = _KEY_MEMO.get
    out = list(map(get, names))
    todo = list(dict.fromkeys(n for n, k in zip(names, out, strict=True) if k is None and n))
    if not todo:
        return ["" if k is None else k for k in out] if None in out else out
    new: dict[str, str] = {}
    simple = []
    for n in todo:
        if _SPECIAL.search(n):  # commas, presentation forms, ئ: the careful path
            new[n] = _key_from_tokens(_clean(n).split())
        else:
            simple.append(n)
    cleaned = _TABLE_CHARS.sub(_table_sub, _SEPARATOR.join(simple)).lower() if simple else ""
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of short-lived lists: the cycle collector only slows this down
    try:
        for name, s in zip(simple, cleaned.split(_SEPARATOR) if simple else (), strict=True):
            new[name] = _key_from_tokens(s.split())
    finally:
        if gc_was_enabled:
            gc.enable()
    if len(_KEY_MEMO) + len(new) >= _MEMO_LIMIT:
        _KEY_MEMO.clear()
    _KEY_MEMO.update(new)
    new_get = new.get
    return [k if k is not None else new_get(n, "") for n, k in zip(names, out, strict=True)]


def normalize_name(name: str | None) -> NormalizedName:
    """Parse a name in any script; never raises on a ``str``. See the module docs for the rules."""
    if name is None:
        name = ""
    if not isinstance(name, str):
        raise TypeError(f"name must be str or None, not {type(name).__name__}")
    script = detect_script(name)
    parsed = _parse(name) if script != "empty" else _EMPTY
    if not parsed.tokens:
        return NormalizedName(name, "empty", "", (), (), "", ("",))
    return NormalizedName(
        original=name,
        script=script,
        normalized=" ".join(parsed.tokens),
        tokens=parsed.tokens,
        honorifics=parsed.honorifics,
        key=name_key(name),
        keys=tuple(name_keys(name)),
    )
