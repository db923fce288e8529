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

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from reckon.text.keys import join_skeletons, rotations, token_skeleton
from reckon.text.latin import normalize_latin
from reckon.text.persian import normalize_persian

#: Honorifics and titles, as normalized tokens (Persian after letter unification, آ → ا).
HONORIFICS: frozenset[str] = frozenset(
    {
        # Latin
        *"seyed seyyed seyyid seyid sayed sayyed sayyid sayid syed seied seiyed seyd sied".split(),
        *"seyedeh seyyedeh sayedeh sayyedeh seyede seyyede sayyida sayyidah".split(),
        *"haj hajj haji hajji hadj hadji hajiyeh hajieh hajie hajiye".split(),
        *"mirza sheikh sheykh shaikh shaykh sheik shiekh mulla molla mullah mollah".split(),
        *"ayatollah ayatolla ayatullah ayatolah hojatoleslam hojjatoleslam hojatolislam".split(),
        *"hojjatolislam dr doctor prof professor mr mrs ms miss mme shahid".split(),
        *"mohandes eng engineer khanom khanum khanoum sardar sartip sarhang ostad".split(),
        # Persian
        *"سید سیده حاج حاجی حاجیه میرزا شیخ ملا ایتالله ایتاالله حجتالاسلام دکتر مهندس".split(),
        *"استاد شهید شهیده خانم اقای سردار سرتیپ سرهنگ".split(),
    }
)

#: Tokens joined to the following token.
PREFIXES: frozenset[str] = frozenset(
    {
        *"abd abdol abdul abdel abdal abdoll abdul abol abul abu abou aboul abo omm umm".split(),
        *"عبد ابو ام".split(),
    }
)
#: Particles joined to both neighbours.
PARTICLES: frozenset[str] = frozenset(
    {*"ol al ul el od ed ud ad os es us as ot et ut at or er ur ar oz ez uz az on en".split(), "ال"}
)
#: Tokens joined to the preceding token.
SUFFIXES: frozenset[str] = frozenset(
    {
        *"zadeh zade zada zadah zaadeh zadegan pour poor pur nejad nezhad nejhad nijad nezhad".split(),
        *"ollah olah ullah allah ulla olla ellah llah lah eddin oddin uddin addin aldin oldin".split(),
        *"زاده زادگان پور نژاد الله اله الدین الدوله الملک السلطنه الاسلام الزمان السادات".split(),
    }
)
#: Compound given names (first part, second part), as token skeletons.
COMPOUND_FIRST: frozenset[str] = frozenset({"mhmd", "lI", "mIr", "qlm", "hsIn", "hsn"})
COMPOUND_SECOND: frozenset[str] = frozenset(
    {
        *"rz lI hsIn hsn mhdI jUd bqr tqI sdq kzm kbr sqr krIm mIn rhIm brhIm smIl".split(),
        *"hdI jfr qsm rsUl nqI SrIf hmd mhmd mhmUd sIn kbr".split(),
    }
)

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


@dataclass(frozen=True, slots=True)
class _Parsed:
    tokens: tuple[str, ...]
    skeletons: tuple[str, ...]
    honorifics: tuple[str, ...]


def _clean(name: str) -> str:
    if not name.isascii():
        name = normalize_persian(name)
    s = normalize_latin(name)
    if "," in s:
        head, _, tail = s.partition(",")
        tail = tail.replace(",", " ").strip()
        head = head.strip()
        s = f"{tail} {head}".strip() if tail and head else (tail or head)
    return s


def _join_affixes(tokens: list[str]) -> list[str]:
    out: list[str] = []
    glue_next = False
    for tok in tokens:
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


@lru_cache(maxsize=1 << 17)
def _parse(name: str) -> _Parsed:
    s = _clean(name)
    tokens = [t for t in s.split() if not _NON_WORD.match(t)]
    if len(tokens) > 1:
        tokens = _join_affixes(tokens)
        kept = [t for t in tokens if t not in HONORIFICS]
        if kept and len(kept) < len(tokens):
            honorifics = tuple(t for t in tokens if t in HONORIFICS)
            tokens = kept
        else:
            honorifics = ()
    else:
        honorifics = ()
    skeletons = [token_skeleton(t) for t in tokens]
    if len(tokens) > 1:
        i = 0
        while i < len(tokens) - 1:
            if skeletons[i] in COMPOUND_FIRST and skeletons[i + 1] in COMPOUND_SECOND:
                tokens[i : i + 2] = [tokens[i] + tokens[i + 1]]
                skeletons[i : i + 2] = [join_skeletons(skeletons[i : i + 2])]
            i += 1
    return _Parsed(tuple(tokens), tuple(skeletons), honorifics)


@lru_cache(maxsize=1 << 17)
def name_key(name: str | None) -> str:
    """The cross-script phonetic key of a full name ("" for an empty name).

    >>> name_key("Hamid Nouri"), name_key("حمید نوری"), name_key("NOURI, Hamid")
    ('hmIdnUrI', 'hmIdnUrI', 'hmIdnUrI')
    """
    if not name:
        return ""
    return join_skeletons(_parse(name).skeletons)


def name_keys(name: str | None) -> list[str]:
    """Every key the name can have: each rotation of its tokens (given-first, surname-first).

    The first element is :func:`name_key`. Spacing inside compounds never changes a key.

    >>> name_keys("Hamid Nouri")
    ['hmIdnUrI', 'nUrIhmId']
    """
    if not name:
        return [""]
    return rotations(_parse(name).skeletons)


def name_keys_batch(names: Sequence[str | None]) -> list[str]:
    """:func:`name_key` of each name (repeated names are computed once)."""
    return [name_key(n) for n in names]


def normalize_name(name: str | None) -> NormalizedName:
    """Parse a name in any script; never raises on a ``str``. See the module docs for the rules."""
    if name is None:
        name = ""
    if not isinstance(name, str):
        raise TypeError(f"name must be str or None, not {type(name).__name__}")
    parsed = _parse(name) if name else _Parsed((), (), ())
    if not parsed.tokens:
        return NormalizedName(name, "empty", "", (), parsed.honorifics, "", ("",))
    return NormalizedName(
        original=name,
        script=detect_script(name),
        normalized=" ".join(parsed.tokens),
        tokens=parsed.tokens,
        honorifics=parsed.honorifics,
        key=name_key(name),
        keys=tuple(name_keys(name)),
    )
