"""Parse a personal name into its matching form, honorifics and cross-script keys.

Steps (the original string is kept untouched in :attr:`NormalizedName.original`):

1. Persian letters unified (:func:`~reckon.text.persian.normalize_persian`) and Latin folded
   (:func:`~reckon.text.latin.normalize_latin`), the letters of scholarly, Turkish and Azeri
   transliterations read as the digraphs they write (Šīrāzī = Şirazi = Shirazi, Ḵ = kh).
2. ``"NOURI, Hamid"`` / ``«نوری، حمید»`` (surname, comma, given names) is reordered to
   ``"hamid nouri"``.
3. Compound parts are joined into one token: prefixes عبد/abd/abdol/abdul/abdel, ابو/abu/abol/abul,
   ام/omm; particles ال/ol/al/ul/el/od/ed/os…; suffixes زاده/zadeh/zade/zada, پور/pour/poor/pur,
   نژاد/nejad/nezhad, الله/ollah/allah/ullah, الدین/eddin/oddin/uddin; and compound given names
   (محمد رضا, Mohammad Reza, Ali Akbar, Gholam Hossein, Amir Hossein, …) — so spacing, hyphens and
   ZWNJ inside compounds do not matter.
4. Honorifics and titles (سید/Seyed, حاج/Haj, میرزا/Mirza, شیخ/Sheikh, دکتر/Dr, شهید/Shahid, …)
   move to :attr:`NormalizedName.honorifics` (unless nothing else is left).
5. Keys (:mod:`reckon.text.keys`): :func:`name_key` joins the words' skeletons;
   :func:`name_keys` adds every rotation of the words and the name with one word read another
   way (Mujahidi = مجاهدی, Khadija = خدیجه).

Work is memoized per word (:mod:`reckon.text.parsing`) and per name, so a list's endless
repetitions of a few thousand words cost dictionary lookups.

>>> n = normalize_name("NOURI, Seyed Hamid")
>>> n.normalized, n.honorifics, n.script
('hamid nouri', ('seyed',), 'latin')
>>> normalize_name("محمد رضا  عبد الله‌زاده").normalized
'محمدرضا عبداللهزاده'
>>> name_key("حمید نوری") == name_key("Hamid Noury") == name_key("NOURI, Hamid") == name_key("Hamid Nuri")
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

from reckon.text import parsing
from reckon.text._store import STORE, NameStore
from reckon.text.parsing import (
    _AFFIX_BIT,
    _COMPOUND_BIT,
    _EMPTY,
    _NEEDS_PARSE,
    _PARSE_MEMO,
    _READINGS_MEMO,
    _SCRIPTS,
    _WORD_MEMO,
    BIDIRECTIONAL,
    COMPOUND_FIRST,
    COMPOUND_FIRST_WORDS,
    COMPOUND_SECOND,
    COMPOUND_SECOND_WORDS,
    HONORIFICS,
    MAX_ALTERNATIVE_KEYS,
    PARTICLES,
    PREFIXES,
    SUFFIXES,
    _all_keys,
    _clean_word,
    _join2,
    _join_keys,
    _keys,
    _parse,
    _parse_tokens,
    _Parsed,
    _readings,
    _readings_of,
    _script_bits,
    _split,
)
from reckon.text.persian import _NEEDS_NFKC

__all__ = [
    "BIDIRECTIONAL",
    "COMPOUND_FIRST",
    "COMPOUND_FIRST_WORDS",
    "COMPOUND_SECOND",
    "COMPOUND_SECOND_WORDS",
    "HONORIFICS",
    "MAX_ALTERNATIVE_KEYS",
    "PARTICLES",
    "PREFIXES",
    "SUFFIXES",
    "NormalizedName",
    "clear_caches",
    "detect_script",
    "name_key",
    "name_keys",
    "name_keys_batch",
    "normalize_name",
]

# Whole names are many and mostly distinct (a million-row list holds hundreds of thousands):
# a bounded memo keeps the repeats without growing with the file. Once full it keeps what it
# has rather than starting over: common names come early and stay.
_MEMO_LIMIT = 1 << 16
#: Names per call of the name store in :func:`name_keys_batch` (bounds what one call interns).
_BATCH = 1 << 20
#: Names sampled from a batch to tell whether it repeats its names.
_REPEAT_SAMPLE = 1024


def detect_script(text: str | None) -> str:
    """``"persian"``, ``"latin"``, ``"mixed"`` or ``"empty"`` (no letters at all).

    Arabic-script letters count as Persian; any other letters as Latin.

    >>> detect_script("حمید Nouri"), detect_script("۱۳۶۷"), detect_script("Hamid")
    ('mixed', 'empty', 'latin')
    """
    if not text:
        return "empty"
    return _SCRIPTS[_script_bits(text)]


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


#: name → its NormalizedName (frozen, so shared safely)
_NAME_MEMO: dict[str, NormalizedName] = {}


def clear_caches() -> None:
    """Forget memoized words, parses, keys and names (for benchmarks and tests)."""
    parsing.clear_caches()
    _NAME_MEMO.clear()
    with STORE.lock:
        STORE.clear()


def name_key(name: str | None) -> str:
    """The cross-script phonetic key of a full name ("" for an empty name).

    >>> name_key("Hamid Nouri"), name_key("حمید نوری"), name_key("NOURI, Hamid")
    ('hmIdnrI', 'hmIdnrI', 'hmIdnrI')
    """
    if not name:
        return ""
    parsed = _PARSE_MEMO.get(name)
    return (parsed or _parse(name)).key


def name_keys(name: str | None) -> list[str]:
    """Every key the name can have, :func:`name_key` first.

    First each rotation of its tokens (given-first, surname-first), then the name with one
    word read another way (:func:`~reckon.text.readings.latin_readings`: a final a or e for ه, a
    French ch or mute e, sh or zh as two sounds, an o for و, a joined compound's parts keyed
    as words; :func:`~reckon.text.readings.persian_readings`: ال assimilated, دج as two
    sounds, a silent ه before ای; and, only in a name written in a scholarly romanization,
    :func:`~reckon.text.readings.latin_scholarly_readings`: an i for a short vowel), at most
    :data:`MAX_ALTERNATIVE_KEYS` of these. Spacing inside compounds never changes a key.

    >>> name_keys("Hamid Nouri")
    ['hmIdnrI', 'nrIhmId']
    >>> name_keys("Muhammad Tahir")
    ['mhmdthIr', 'thIrmhmd', 'mhmdthr']
    >>> name_key("مجاهدی") in name_keys("Mujahidi")
    True
    """
    if not name:
        return [""]
    return _all_keys(_parse(name))


def name_keys_batch(names: Sequence[str | None]) -> list[str]:
    """:func:`name_key` of each name.

    Each distinct name is hashed once and each distinct word cleaned once, in compiled code
    where it can be (:mod:`reckon.text._store`, shared with the similarity); thread-safe
    (calls are serialized).

    >>> name_keys_batch(["Hamid Nouri", "حمید نوری", None])
    ['hmIdnrI', 'hmIdnrI', '']
    """
    out: list[str] = []
    store = STORE
    with store.lock:
        for lo in range(0, len(names), _BATCH):
            if store.full:
                store.clear()
            chunk = names if len(names) <= _BATCH else names[lo : lo + _BATCH]
            out += _keys_of(store, chunk)
    return out


def _keys_of(store: NameStore, names: Sequence[str | None]) -> list[str]:
    """Keys of a chunk; a chunk that repeats its names (as a sample says) keys each distinct
    name once and finds the rest in a dictionary, cheaper than hashing every name's bytes."""
    n = len(names)
    distinct = None
    if n > 4 * _REPEAT_SAMPLE:
        sample = [names[i] for i in range(0, n, n // _REPEAT_SAMPLE)]
        try:
            if len(set(sample)) < len(sample) // 2:
                distinct = list(dict.fromkeys(names))
        except TypeError:  # an unhashable value: the store's own error below names its type
            distinct = None
    if distinct is None:
        return store.key_list(store.ids(names))
    keys = dict(zip(distinct, store.key_list(store.ids(distinct)), strict=True))
    return list(map(keys.__getitem__, names))


def _fast_constructor():
    """A NormalizedName from its seven fields, without the frozen dataclass's ``__init__``
    (which sets each slot through ``object.__setattr__``, half the cost of a whole parse).
    Same object: a test compares it with the regular constructor."""
    setters = [getattr(NormalizedName, f.name).__set__ for f in fields(NormalizedName)]
    set_original, set_script, set_normalized, set_tokens, set_honorifics, set_key, set_keys = (
        setters
    )
    new = object.__new__

    def make(original, script, normalized, tokens, honorifics, key, keys) -> NormalizedName:
        out = new(NormalizedName)
        set_original(out, original)
        set_script(out, script)
        set_normalized(out, normalized)
        set_tokens(out, tokens)
        set_honorifics(out, honorifics)
        set_key(out, key)
        set_keys(out, keys)
        return out

    return make


_make_name = _fast_constructor()


def _normalize_new(name: str) -> NormalizedName:
    out = None
    if "," in name or "،" in name or (not name.isascii() and _NEEDS_NFKC.search(name)):
        tokens, skeletons, bits = _split(name)
        parsed = _parse_tokens(tokens, skeletons, bits) if bits & 3 else _EMPTY
        keys = _all_keys(parsed) if parsed.tokens else None
    else:  # words straight from the word memo (the common case)
        get = _WORD_MEMO.get
        words = [get(word) or _clean_word(word) for word in name.split()]
        if len(words) == 2:
            get_readings = _READINGS_MEMO.get
            first, second = words
            bits = first.bits | second.bits
            if (
                bits & 3
                and not bits & _AFFIX_BIT
                and len(first.tokens) == 1
                and len(second.tokens) == 1
                and not (
                    first.bits & _COMPOUND_BIT
                    and first.skeletons[0] in COMPOUND_FIRST
                    and second.skeletons[0] in COMPOUND_SECOND
                )
            ):  # two plain words: the commonest name of all, inlined
                a = first.skeletons[0]
                b = second.skeletons[0]
                if a and b:
                    key = _join2(a, b)
                    other = _join2(b, a)
                    keys = [key] if key == other else [key, other]
                else:
                    key = a or b
                    keys = [key]
                tokens = (first.tokens[0], second.tokens[0])
                ra = get_readings(tokens[0]) or _readings(tokens[0])
                rb = get_readings(tokens[1]) or _readings(tokens[1])
                ra, rb = (ra[1], rb[1]) if ra[2] or rb[2] else (ra[0], rb[0])
                if ra or rb:
                    keys = _keys((a, b), (ra, rb))
                out = _make_name(
                    name, _SCRIPTS[bits & 3], f"{tokens[0]} {tokens[1]}", tokens, (), key,
                    tuple(keys),
                )  # fmt: skip
        if out is None:
            if len(words) == 1:
                word = words[0]
                bits, all_tokens, all_skeletons = word.bits, word.tokens, word.skeletons
            else:
                bits = 0
                all_tokens = all_skeletons = ()
                for word in words:
                    bits |= word.bits
                    all_tokens += word.tokens
                    all_skeletons += word.skeletons
            if not bits & 3:
                parsed, keys = _EMPTY, None
            elif bits & _NEEDS_PARSE and len(all_tokens) > 1:
                parsed = _parse_tokens(list(all_tokens), list(all_skeletons), bits)
                keys = _all_keys(parsed)
            else:
                parsed = _Parsed(all_tokens, all_skeletons, (), _join_keys(all_skeletons))
                keys = _keys(all_skeletons, _readings_of(all_tokens)) if all_tokens else None
    if out is None:
        if keys is None:
            out = _make_name(name, "empty", "", (), (), "", ("",))
        else:
            out = _make_name(
                name, _SCRIPTS[bits & 3], " ".join(parsed.tokens), parsed.tokens,
                parsed.honorifics, parsed.key, tuple(keys),
            )  # fmt: skip
    if len(_NAME_MEMO) < _MEMO_LIMIT:
        _NAME_MEMO[name] = out
    return out


def normalize_name(name: str | None) -> NormalizedName:
    """Parse a name in any script; never raises on a ``str``. See the module docs for the rules.

    Memoized per name, and within a name per word, so a list's repeated words are cleaned and
    keyed once.
    """
    if type(name) is not str:
        if name is None:
            name = ""
        elif not isinstance(name, str):
            raise TypeError(f"name must be str or None, not {type(name).__name__}")
    out = _NAME_MEMO.get(name)
    return out if out is not None else _normalize_new(name)
