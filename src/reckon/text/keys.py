"""Cross-script phonetic keys for Persian names.

A *token skeleton* is computed from a Persian-script word or from any common Latin spelling of
it; spellings of the same name share a skeleton. The key of a full name
(:func:`reckon.text.name_key`) is the concatenation of its token skeletons, so spacing, hyphens
and ZWNJ inside compounds do not matter.

Persian script does not write short vowels, and و is read v, u or o (وحید Vahid, نوری Nouri,
روشن Roshan, پرورش Parvaresh); Latin spellings write vowels but disagree about them
(Hossein/Hussein, Mahmud/Mahmoud, Khosro/Khosrow). A key must be *equal* for every spelling, so
the skeleton keeps what the spellings agree on: consonants; ی/i (which separates Hosseini from
Hassani); a و after the first syllable, which Latin spellings write u, ou, oo, ow or v (which
separates محمود Mahmoud from محمد Mohammad, شهنواز from شهناز); a vowel at the start of a word
(امیر Amir / میر Mir); the sound at the end of a word (Hamid/Hamideh, Mobin/Mobina, Khosro).
It drops the rest: short vowels, ا, and the vowel of the first syllable, which Latin spellings
write every way (نوری Nouri Nuri Noori, روحانی Rouhani Rohani, محمد Muhammad, جواد Javad). The
price, both ways: names that differ only in ا, a short vowel or a first-syllable و share a key
(ناصر/نصر, Nasser/Nasr, Hamed/Hamad), and a Latin o written for a later و (Kourosh = کوروش,
Cameron = کامرون) or a u or ou for a short vowel after the first syllable (Yusuf = یوسف,
Shahmouradi = شاه‌مرادی) gives another key; :func:`reckon.text.name_keys` adds those readings
(:mod:`reckon.text.readings`), and :func:`reckon.text.name_similarity` grades all of them.

Rule table (tuned on the dev split of benchmarks/data/name_pairs.csv and on the dev-unit sample
benchmarks/data/name_pairs_extended_dev.csv):

==============================  =========================================  ======
Persian                         Latin                                      symbol
==============================  =========================================  ======
ا آ ع ء, short vowels           a e o, apostrophes ' ’ ʿ ʾ                 (none)
ا آ ع as first letter           a e i o u as first letter                  E
و in the first syllable (after  the vowels of the first syllable (u ou oo  (none)
the first letter and any ا ع;   ow too, i y kept as I), and a v w after
not after an initial و, which   them (Javad, Kaveh, Mousavi's ou); the
is v: وثوقی Vosoughi)           first syllable starts at one consonant
                                (Broujerdi = Bo-roujerdi = بروجردی)
و elsewhere (not first letter)  u ou oo ow, v w (not first letter)         U
و as first letter               v w as first letter                        v
ی                               i y ee (ei ey ai ay ie → one)              I
ب پ ت ط                         b p t                                      b p t
ث س ص                           s, c before e/i/y                          s
ذ ز ض ظ                         z                                          z
ج ژ                             j zh jh dj (Pejman = Pezhman = Pejhman)    j
ح ه                             h                                          h
خ                               kh                                         x
ق غ                             q gh                                       q
ش چ                             sh, ch tch                                 S, C
ک گ                             k c ck, g                                  k, g
ا at the end of a word          a, aa at the end of a word (Zahraa)        A
ه at the end of a word          e at the end after a consonant or y        h
                                (Fateme, Somaye = سمیه)
و at the end of a word          o at the end of a word of two syllables    U
                                or more (Khosro = Khosrow = خسرو)
==============================  =========================================  ======

Word rules:

* a first ای / عی, and a first Latin i or vowel + i/y (also doubled: Ayyar), is one initial
  vowel E (ایرج/Iraj, ایوب/Ayoub, عیسی/Eisa, Ibrahim = Ebrahim, ایار/Ayyar);
* the Latin first syllable ends at an i/y that another vowel follows, which starts the next
  syllable (نیوشا Niusha, کیومرث Kioumars: the u is the و after the first syllable), and a y
  after a first consonant is that i, as no Persian word starts with two consonants (Kyumars =
  Kiumars, Kyan = Kian);
* Latin "ae" before a vowel is ایی with its ی a glide (قشقاییان = Ghashghaean = Ghashghayan);
* u before a doubled consonant is a short vowel (Hussein, Muhammad, Abdullah), and so is the u
  of the article in Abdul-, Abdur-, Abul-, also written ou (ابوال is read Abol: ابوالفضل =
  Abolfazl = Abulfazl = Aboulfazl);
* پور and a Latin word starting pour/poor/pur keep their first-syllable و, which every spelling
  writes (پوری Pouri ≠ پری Pari, پورمحمدی = Pourmohammadi);
* داود کاوس طاوس are read as written داوود کاووس طاووس (the و is both v and u: Davoud);
* ی at the end of مرتضی مصطفی مجتبی عیسی موسی یحیی کبری صغری هدی مولی عظمی کسری, and of a
  compound ending in الهدی (علم‌الهدی/Alamolhoda), is read "a", also before a compound suffix
  (عیسی‌زاده = Isazadeh);
* خوا at the start of a word, and in خواه / خواست, is read "kha" (خوانساری/Khansari,
  خواجه/Khajeh, دلخواسته/Delkhasteh; اخوان Akhavan keeps its v);
* a silent ه before a compound suffix (زاده زادگان پور نژاد گر کار چی سادات گل) is dropped
  when it follows a consonant letter (شنبه‌زاده/Shanbezadeh, نقره‌کار/Noghrekar,
  کوره‌چیان/Kourechian, آمنه‌سادات/Amenesadat, تیره‌گل/Tiregol; after ا و ی it is a consonant:
  شاه‌زاده/Shahzadeh), and so is the h of Latin "eh" before one (Shanbehzadeh); not before
  فر نیا, where به ده are words with a sounded ه (بهنیا Behnia);
* a final ع is dropped before the final-vowel rule (شجاع/Shoja); after a consonant it is also
  read as ه, the e Latin writes for it (زارع = Zare, another reading);
* the ل of الدین is not pronounced: ضیاءالدین = Ziaeddin = Zia-ol-din;
* دج and تچ are one sound, as Latin "dj" and "tch" are (محمدجواد = Mohammadjavad =
  Mohammad-Javad, براتچی = Baratchi);
* q after n is read g, in both scripts (فرهنگی = Farhangi = Farhanghi, سینگ = Singh,
  علی‌نقی = Alinaghi);
* repeated symbols collapse, also across the tokens of a name (Mohammad → mhmd, Davood → dUd,
  شاه حسینی = Shahhosseini);
* the parts of a compound given name (محمد رضا, Mohammad Javad; see
  :data:`reckon.text.names.COMPOUND_FIRST_WORDS`) are keyed as one word, as when written joined.

Conventions a single key cannot follow (a final a or ie for ه, a French ch, ph or mute e, sh
or zh as two sounds, th for ث and dh for ذ, an o for a later و, a u for a later short vowel in
a few names and in the second part of a joined compound, an e for a silent ه before -far/-nia,
an assimilated ال, an e for a final ع, a silent ه before ای, دج as two sounds, the kunya ابو
written اب, European j for ی, a g for ق, an Arabic article Persian does not write, a compound's
part written apart) give *other readings* (:mod:`reckon.text.readings`), which
:func:`reckon.text.name_keys` adds after the rotations of a name. An i for a short vowel (a
kasra) is a reading only in a name written in a scholarly romanization
(:func:`~reckon.text.readings.latin_scholarly_readings`): elsewhere an i is ی (Hamid,
Parviz), and reading it as a short vowel would bring Hamid and Hamad together.

>>> [latin_skeleton(t) for t in ("nouri", "noury", "nuri", "noori")]
['nrI', 'nrI', 'nrI', 'nrI']
>>> persian_skeleton("نوری"), persian_skeleton("حسینی"), latin_skeleton("hassani")
('nrI', 'hsInI', 'hsnI')
>>> persian_skeleton("محمود"), latin_skeleton("mahmoud"), latin_skeleton("mohammad")
('mhmUd', 'mhmUd', 'mhmd')
>>> persian_skeleton("امیر"), latin_skeleton("amir"), latin_skeleton("mir")
('EmIr', 'EmIr', 'mIr')
>>> persian_skeleton("فاطمه"), latin_skeleton("fateme"), latin_skeleton("fatemeh")
('ftmh', 'ftmh', 'ftmh')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import groupby

#: Compound given names: a first part followed by a second part is one given name
#: (محمد رضا = محمدرضا = Mohammad-Reza). Compared by skeleton, so every spelling counts
#: (see :mod:`reckon.text.parsing`).
COMPOUND_FIRST_WORDS = [
    "mohammad",
    "ali",
    "amir",
    "gholam",
    "hossein",
    "hassan",
    "abbas",
    "ahmad",
    "ghorban",
    "yousef",
]
COMPOUND_SECOND_WORDS = [
    "reza",
    "ali",
    "hossein",
    "hassan",
    "mehdi",
    "javad",
    "bagher",
    "taghi",
    "sadegh",
    "kazem",
    "akbar",
    "asghar",
    "karim",
    "amin",
    "rahim",
    "ebrahim",
    "esmail",
    "hadi",
    "jafar",
    "ghasem",
    "rasoul",
    "naghi",
    "sharif",
    "ahmad",
    "mohammad",
    "mahmoud",
    "hossein",
    "sina",
    "saleh",
    "hamid",
    "majid",
    "yousef",
    "taher",
    "ashraf",
    "abbas",
]
#: Compound suffixes before which a silent final ه / "eh" is dropped.
COMPOUND_SUFFIXES_PERSIAN = ("زاده", "زادگان", "پور", "نژاد", "گر", "کار", "چی", "سادات", "گل")
COMPOUND_SUFFIXES_LATIN = (
    *("zade", "zada", "pour", "poor", "pur", "nejad", "nezhad", "nejhad", "gar", "kar", "chi"),
    *("sadat", "gol"),
)

# --- Latin -----------------------------------------------------------------------------------

_LATIN_NON_ALPHA = re.compile(r"[^a-z]+")
_LATIN_SILENT_EH = re.compile(r"eh(?=(?:" + "|".join(COMPOUND_SUFFIXES_LATIN) + "))")
_LATIN_SOFT_C = re.compile(r"c(?=[eiy])")
_LATIN_OLDIN = re.compile(r"(?<=[a-z])[aeiou]?ldin")
#: "ae" writes ایی (Rezaei, Ghashghaei); before a vowel its ی is a glide (Ghashghaean =
#: Ghashghayan = قشقاییان).
_LATIN_AE_GLIDE = re.compile(r"(?<=a)e(?=[ao])")
#: Letter groups read as one symbol, in the order they are replaced: a group that can end where
#: another starts comes first (ck before kh: "ckh" is ck + h; oo before ou: "oou" is oo + u),
#: as a scan from the left would read them.
_LATIN_DIGRAPH_MAP = {
    "tsch": "C",  # German
    "dsch": "j",  # German
    "tch": "C",
    "dj": "j",
    "kh": "X",
    "gh": "q",
    "sh": "S",
    "ch": "C",
    "zh": "j",
    "jh": "j",
    "ck": "k",
    "ee": "i",
    "ou": "U",
    "oo": "U",
    "ow": "U",
    "x": "ks",
}
_LATIN_DIGRAPH_ORDER = (
    *("tsch", "dsch", "tch", "dj", "ck", "kh", "gh", "sh", "ch", "zh", "jh", "ee", "oo", "ou"),
    *("ow", "x"),
)
# A lowercase result is written as an upper-case stand-in until every group is replaced, so
# that no result joins a following letter into another group (dzh is d + zh, not dj + h).
_STAND_IN = {"j": "J", "q": "Q", "k": "K", "i": "Y", "ks": "Z"}
_LATIN_DIGRAPH_CHAIN = tuple(
    (group, _STAND_IN.get(_LATIN_DIGRAPH_MAP[group], _LATIN_DIGRAPH_MAP[group]))
    for group in _LATIN_DIGRAPH_ORDER
)
_FROM_STAND_IN = str.maketrans({v: k for k, v in _STAND_IN.items()})
_LATIN_INITIAL = re.compile(r"^(?:[aeou]+[iy]|i)(?=[^aeiouy])|^(?:[aeou]+y+)")
_LATIN_SHORT_U = re.compile(r"(?<![aeo])u(?=([b-df-hj-np-tv-z])\1)")
_LATIN_CHARS = str.maketrans(
    {
        "a": None,
        "e": None,
        "o": None,
        "u": "U",
        "i": "I",
        "y": "I",
        "v": "U",
        "w": "U",
        "c": "k",
        "X": "x",
    }
)

# --- Persian ---------------------------------------------------------------------------------

PERSIAN_CONSONANTS = {
    "ب": "b",
    "پ": "p",
    "ت": "t",
    "ط": "t",
    "ث": "s",
    "س": "s",
    "ص": "s",
    "ج": "j",
    "ژ": "j",
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
    "ش": "S",
    "غ": "q",
    "ق": "q",
    "ف": "f",
    "ک": "k",
    "گ": "g",
    "ل": "l",
    "م": "m",
    "ن": "n",
}
# In a key, ی is a consonant-like I, و (after the first syllable) is U, ا and ayn/hamza vanish.
_PERSIAN_KEY_CHARS = {**PERSIAN_CONSONANTS, "ی": "I", "ا": None, "و": "U", "ع": None, "ء": None}
_PERSIAN_CHARS = str.maketrans(_PERSIAN_KEY_CHARS)
_PERSIAN_NON_LETTER = re.compile(r"[^ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیء]+")
#: ه after a consonant letter, before a compound suffix, is a silent final vowel (شنبه‌زاده);
#: after ا و ی it is a consonant (شاه‌زاده Shahzadeh).
_PERSIAN_SILENT_HE = re.compile("(?<=[^اوی])ه(?=(?:" + "|".join(COMPOUND_SUFFIXES_PERSIAN) + "))")
_PERSIAN_INITIAL = re.compile("^[اع]+ی")
#: و in the first syllable: after the first letter and any ا ع.
_PERSIAN_FIRST_VAV = re.compile("^(.[اع]*)و")
#: Words whose و is read twice, v then u, as if written وو.
VAV_DOUBLE_DUTY = {"داود": "داوود", "کاوس": "کاووس", "طاوس": "طاووس"}
#: Words whose final ی is read "a" (alef maksura).
MAKSURA_WORDS = frozenset({"عیسی", "موسی", "یحیی", "کبری", "صغری", "هدی", "مولی", "عظمی", "کسری"})
MAKSURA_ENDINGS = ("مرتضی", "مصطفی", "مجتبی", "الهدی")

_DOUBLE = re.compile(r"(.)\1+")


def without_runs(symbols: str) -> str:
    """Each run of a repeated symbol as one (symbols hold no line break).

    >>> without_runs("mhmmd")
    'mhmd'
    """
    if _DOUBLE.search(symbols) is None:
        return symbols
    return "".join(symbol for symbol, _ in groupby(symbols))


def _collapse(skeleton: str) -> str:
    """Doubled symbols collapsed, q after n read as g (Farhanghi = Farhangi = فرهنگی,
    Alinaghi = علینقی)."""
    skeleton = without_runs(skeleton)
    if "nq" in skeleton:
        skeleton = without_runs(skeleton.replace("nq", "ng"))
    return skeleton


_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")


#: The first syllable of a Latin word: onset (consonants, or a first y before a vowel), nucleus
#: (vowels, y after one, or a y after the onset: Kyumars = Kiumars, as no Persian word starts
#: with two consonants), and a v/w after it.
_LATIN_FIRST_SYLLABLE = re.compile(
    r"^((?:[^aeiouyU]|^y(?=[aeiouU]))?)((?:[aeiouU]|y(?![aeiouU])|(?<=[^aeiouyU])y)+)([vw]+)?"
)
#: An i/y of the first syllable's nucleus followed by another vowel (a hiatus: Ni-usha).
_LATIN_HIATUS = re.compile("[iy](?=[aeouU])")
_LATIN_EXEMPT = ("pour", "poor", "pur")
_LATIN_VOWEL = re.compile("[aeiouyU]")
#: The u of the article in Abdul-, Abdur-, Abul- (عبدال, ابوال: short), also French ou (Aboul-,
#: Abdoul-).
_LATIN_ARTICLE_U = re.compile(r"^(abd)o?u(?=[a-z])|^(ab)o?u(?=l)")


def _latin_first_syllable(t: str) -> str:
    """The vowels of the first syllable dropped but i/y, and a v/w after a nucleus without i/y.

    The nucleus ends at an i/y that another vowel follows: that vowel starts the next syllable
    (Niusha = نیوشا, Kioumars = کیومرث: the u is the و after the first syllable).
    """
    m = _LATIN_FIRST_SYLLABLE.match(t)
    if m is None:
        return t
    onset, nucleus, v = m.groups()
    if len(nucleus) > 1:
        cut = _LATIN_HIATUS.search(nucleus)
        if cut is not None:
            end = cut.start() + 1
            kept = "".join(ch for ch in nucleus[:end] if ch in "iy")
            return onset + kept + t[len(onset) + end :]
    kept = "".join(ch for ch in nucleus if ch in "iy")
    if v and kept:
        kept += v
    return onset + kept + t[m.end() :]


def latin_skeleton(token: str) -> str:
    """Skeleton of one normalized (lower-case ASCII) Latin word. ``latin_skeleton("hosseini") == "hsInI"``."""
    if token.isascii() and token.isalpha() and token.islower():  # letters a-z only
        return _latin_skeleton(token)
    t = _LATIN_NON_ALPHA.sub("", token)
    return _latin_skeleton(t) if t else ""


def _latin_skeleton(t: str) -> str:
    """:func:`latin_skeleton` of letters a-z and "|" (a boundary no digraph crosses)."""
    if "eh" in t:
        t = _LATIN_SILENT_EH.sub("e", t)
    if "c" in t:
        t = _LATIN_SOFT_C.sub("s", t)
    if "ldin" in t:
        t = _LATIN_OLDIN.sub("din", t)
    if "ae" in t:
        t = _LATIN_AE_GLIDE.sub("y", t)
    if "u" in t:
        t = _LATIN_SHORT_U.sub("o", t)
        if t[0] == "a":
            t = _LATIN_ARTICLE_U.sub(lambda m: (m.group(1) or m.group(2)) + "o", t)
    exempt = t.startswith(_LATIN_EXEMPT)
    initial = "v" if t[0] in "vw" else ""
    if initial:
        t = t[1:]
    elif t[0] in "aeiou":
        initial = "E"
        if len(t) > 2:
            t = _LATIN_INITIAL.sub("", t)
    for group, symbol in _LATIN_DIGRAPH_CHAIN:
        if group in t:
            t = t.replace(group, symbol)
    t = t.translate(_FROM_STAND_IN)
    if "|" in t:
        t = t.replace("|", "")
    final = ""
    if len(t) > 1:
        last, before = t[-1], t[-2]
        if last == "e" and before not in "aeiouAEIOUY":  # after a consonant or y
            final, t = "h", t[:-1]
        elif last == "a" and before not in "ou":
            final, t = "A", t[:-1]
        elif last == "o" and _LATIN_VOWEL.search(t, 0, len(t) - 1):
            final, t = "U", t[:-1]
    if not exempt:
        t = _latin_first_syllable(t)
    return _collapse(initial + t.translate(_LATIN_CHARS) + final)


def _maksura_before_suffix(t: str) -> str:
    """عیسی‌زاده = Isazadeh: a maksura word keeps its "a" before a compound suffix."""
    for suffix in COMPOUND_SUFFIXES_PERSIAN:
        if t.endswith(suffix):
            stem = t[: -len(suffix)]
            if stem in MAKSURA_WORDS or stem.endswith(MAKSURA_ENDINGS):
                return stem[:-1] + "ا" + suffix
    return t


_letters_memo: dict[str, str] = {}


def persian_letters(token: str) -> str:
    """:func:`_persian_letters`, memoized: the key and the similarity's symbols both read a
    word's letters."""
    letters = _letters_memo.get(token)
    if letters is None:
        if len(_letters_memo) >= 1 << 16:
            _letters_memo.clear()
        letters = _letters_memo[token] = _persian_letters(token)
    return letters


def _persian_letters(token: str) -> str:
    """The letters of a Persian word with the spellings that read otherwise rewritten.

    Alef maksura endings read as alef (also before a compound suffix), خوا as خا where the و
    is silent (at the start of a word, in خواه and خواست), الدین as ادین.
    Shared by the key and the phonetic similarity so both read a word the same way.
    """
    t = _PERSIAN_NON_LETTER.sub("", token)
    if not t:
        return ""
    if t in MAKSURA_WORDS or t.endswith(MAKSURA_ENDINGS):
        t = t[:-1] + "ا"
    elif t.endswith(COMPOUND_SUFFIXES_PERSIAN) and "ی" in t:
        t = _maksura_before_suffix(t)
    if "خوا" in t:
        if t.startswith("خوا"):
            t = "خا" + t[3:]
        if "خواه" in t or "خواست" in t:
            t = t.replace("خواه", "خاه").replace("خواست", "خاست")
    if "الدین" in t:
        t = t.replace("الدین", "ادین")
    return t


def persian_skeleton(token: str) -> str:
    """Skeleton of one normalized Persian word. ``persian_skeleton("حسینی") == "hsInI"``."""
    return _persian_skeleton(persian_letters(token))


def _persian_skeleton(t: str, dj_one_sound: bool = True) -> str:
    """:func:`persian_skeleton` of letters from :func:`persian_letters`; with
    ``dj_one_sound=False`` دج is read د + ج (سنندج Sanandaj), a reading."""
    if not t:
        return ""
    if dj_one_sound and "دج" in t:  # as Latin "dj" (محمدجواد = Mohammadjavad, Modjtaba's dj)
        t = t.replace("دج", "ج")
    if "تچ" in t:  # as Latin "tch" (ساعتچی = Saatchi = Saatchi)
        t = t.replace("تچ", "چ")
    if "ه" in t:
        t = _PERSIAN_SILENT_HE.sub("", t)
    t = t.rstrip("عء") or t
    if t in VAV_DOUBLE_DUTY:
        t = VAV_DOUBLE_DUTY[t]
    elif t.startswith("ابوال"):
        t = "اب" + t[3:]
    initial = "v" if t[0] == "و" else ""
    if initial:
        t = t[1:]
    elif t[0] in "اع":
        initial = "E"
        if len(t) > 2:
            t = _PERSIAN_INITIAL.sub("", t)
            if t and t[0] == "و":
                t = t[1:]
    # After an initial و (a consonant, v) the first syllable is v and an unwritten vowel, so the
    # next و is a later syllable's (وثوقی = Vosoughi), as a Latin v's next vowel is the first.
    if initial != "v" and "و" in t[1:4] and not t.startswith("پور"):
        t = _PERSIAN_FIRST_VAV.sub(r"\1", t)
    final = ""
    if len(t) > 1 and t[-1] == "ا":
        final, t = "A", t[:-1]
    return _collapse(initial + t.translate(_PERSIAN_CHARS) + final)


_skeleton_memo: dict[str, str] = {}


def token_skeleton(token: str) -> str:
    """Skeleton of one normalized word in either script (mixed words: Persian part first)."""
    if token.isascii():
        sk = latin_skeleton(token)
    elif _ARABIC_LETTER.search(token):
        latin_part = _LATIN_NON_ALPHA.sub("", token)
        sk = persian_skeleton(token)  # collapsed already: joined with nothing, it stays
        if latin_part:
            sk = join_skeletons((sk, latin_skeleton(latin_part)))
    else:
        sk = latin_skeleton(token)
    if len(_skeleton_memo) >= 1 << 20:
        _skeleton_memo.clear()
    _skeleton_memo[token] = sk
    return sk


def join_skeletons(skeletons: Iterable[str]) -> str:
    """Concatenate token skeletons; the word rules that span symbols apply at the joins too
    (doubled symbols collapse, q after n is g: Zarrin Ghalam = زرینقلم)."""
    return _collapse("".join(skeletons))


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
