"""A fingerprint of the name rules: a short digest that changes whenever they change.

Records keep the normalized names and keys computed when they were imported. The rules of this
package keep improving (a new spelling recognised, a compound joined), and a record imported
before such a change keeps its old keys, so a search by the new rules can miss it. Hashing the
rules' source code would say "changed" for every edit of a comment and nothing for a changed
Unicode table; hashing what the rules *do* says exactly what matters: the digest is made of
:func:`normalize_name`'s matching form, honorifics and keys (and the keys of each word, which a
search compares) for a fixed list of a few hundred probe names of every kind the rules treat
differently: Persian and Latin script, compounds written joined, apart or hyphenated,
honorifics, "SURNAME, Given", scholarly, Turkish, Azeri and European spellings. An import
stores it (:attr:`reckon.model.ImportBatch.rules_fingerprint`); `reckon renormalize` refreshes
the records of imports whose fingerprint is not the current one.

A rule change that alters none of the probes goes unnoticed: add a probe for each new rule
(the test in tests/text/test_fingerprint.py shows one way to check it moves the digest).

>>> rules_fingerprint() == rules_fingerprint() and len(rules_fingerprint())
16
"""

from __future__ import annotations

import hashlib
import json
from functools import cache

from reckon.text.names import name_key, name_keys, normalize_name

__all__ = ["PROBE_NAMES", "rules_fingerprint"]

FINGERPRINT_LENGTH = 16  # hex digits (64 bits): to tell rule versions apart, not for security


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_PERSIAN_GIVEN = _words(
    "محمد علی حسن حسین رضا مهدی فاطمه زهرا مریم زینب اکبر جواد داود کاوس طاوس عیسی موسی "
    "یحیی مرتضی مصطفی مجتبی ابراهیم ایرج ایوب خدیجه هادی ناصر نصرالله عبدالله ابوالفضل "
    "امیرحسین غلامحسین محمدرضا علی‌اکبر شهناز شهنواز محمود یوسف کیومرث نیوشا فرهاد بهروز "
    "منیژه سهیلا رقیه طاهره پروانه کوروش خسرو وحید روشن کبری صغری هدی ژیلا پژمان ذبیح ضیاء"
)
_PERSIAN_FAMILY = _words(
    "نوری کریمی موسوی حسینی حسنی رضایی صادقی شیرازی خمینی بروجردی آقامحمدی قشقاییان "
    "شنبه‌زاده نقره‌کار کوره‌چیان شاه‌زاده پورمحمدی زمانی‌پور عبداللهزاده خوانساری اخوان زارع "
    "شجاع بهنیا مجاهدی روحانی طاهری براتچی ساعتچی علم‌الهدی ضیاءالدین دلخواسته خواجه پرورش "
    "عیسی‌زاده شاه‌مرادی کامرون پوری پری ثابتی صالحی ظهیری غفاری قاسمی چراغی گلستانی"
)
_LATIN_GIVEN = _words(
    "Mohammad Muhammad Mohamad Mohammed Ali Hassan Hasan Hossein Hussein Hosein Reza Mahdi "
    "Mehdi Fatemeh Fateme Fatima Zahra Zahraa Maryam Zeynab Zainab Akbar Javad Djavad Davoud "
    "Davood Kavous Isa Eisa Mousa Musa Morteza Mortaza Mostafa Ebrahim Ibrahim Iraj Ayoub Khadija "
    "Khadijeh Hadi Nasser Nasr Nasrollah Abdollah Abdullah Abolfazl Abulfazl Aboulfazl Shahnaz "
    "Mahmoud Mahmud Yusuf Yousef Kioumars Kyumars Kiumars Niusha Farhad Behrouz Manijeh Soheila "
    "Roghayeh Tahereh Parvaneh Kourosh Cyrus Khosro Khosrow Pejman Pezhman Pejhman Vahid Roshan "
    "Somaye Somayeh Hamid Hamideh Mobin Mobina Kian Kyan Ayyar Zabih Jafar Dschafar Djamshid"
)
_LATIN_FAMILY = _words(
    "Nouri Nuri Noori Noury Karimi Kerimi Mousavi Moussavi Musavi Hosseini Husseini Hassani "
    "Rezaei Rezaie Rezai Sadeghi Sadeqi Shirazi Khomeini Broujerdi Boroujerdi Aghamohammadi "
    "Ghashghaean Ghashghayan Shanbezadeh Shanbehzadeh Noghrekar Kourechian Shahzadeh "
    "Pourmohammadi Zamanipour Khansari Akhavan Zare Zarea Shoja Behnia Mujahidi Mojahedi Rouhani "
    "Rohani Taheri Baratchi Saatchi Alamolhoda Ziaeddin Delkhasteh Khajeh Parvaresh Isazadeh "
    "Shahmouradi Cameron Pouri Pari Mirzaei Jalali Djalali Rahimi Rahimy Ghaffari Qasemi Kazemi"
)
_HONORIFICS = _words(
    "Seyed Seyyed Sayed Seyedeh Haj Haji Hajieh Mirza Sheikh Mulla Ayatollah Hojatoleslam Dr "
    "Shahid Mohandes Khanom Sardar سید سیده حاج حاجیه میرزا شیخ آیت‌الله دکتر شهید مهندس"
)
# Whole names the rules treat specially: compounds written apart, hyphenated or with a ZWNJ,
# reordered names, particles, transliterations, Turkish/Azeri and European spellings, and
# strings with no letters at all.
_SPECIAL = (
    "محمد رضا کریمی",
    "محمد‌رضا کریمی",
    "Mohammad Reza Karimi",
    "Mohammad-Reza Karimi",
    "Mohammadreza Karimi",
    "MohammadReza KARIMI",
    "عبد الله نوری",
    "Abd ol-Karim Nouri",
    "Abdol Karim Nouri",
    "Abdul Karim",
    "Abdel Rahman",
    "Abu Talib",
    "Abol Ghasem",
    "Omm ol-Banin",
    "ام البنین",
    "Ali Akbar Hashemi",
    "علی اکبر هاشمی",
    "Gholam Hossein Saedi",
    "غلام حسین ساعدی",
    "Amir Hossein",
    "امیر حسین",
    "Zia-ol-din",
    "Zia ol Din Tabatabaei",
    "ضیاء الدین طباطبایی",
    "Nasr-ollah",
    "Nasr Allah",
    "Hosseinzadeh",
    "Hossein Zadeh",
    "Hossein-zade",
    "حسین زاده",
    "حسین‌زاده",
    "Zamani Pour",
    "زمانی پور",
    "Mohammad Nejad",
    "محمدی نژاد",
    "Agha Mohammadi",
    "آقا محمدی",
    "Mohammadjavad Zarif",
    "Mohammad-Javad",
    "محمدجواد",
    "NOURI, Hamid",
    "NOURI, Seyed Hamid",
    "Karimi, Mohammad-Reza",
    "KARIMI, Ali Akbar",
    "نوری، حمید",
    "کریمی، محمدرضا",
    "حمید نوری",
    "Hamid Noury",
    "Hamid Nuri",
    "Haj Seyed Mohammad",
    "حاج سید محمد",
    "Seyed",
    "سید",
    "Šīrāzī",
    "Şirazi",
    "Ḵomeynī",
    "Ḏabīḥ",
    "Muḥammad Ṭāhir",
    "Muhammad Tahir",
    "Hacı Əli",
    "Cəfər",
    "Xorramšahr",
    "İsmayıl Ağa",
    "Xalil",
    "Chomeini",
    "Mohammed Chatami",
    "Guilani",
    "Noeri",
    "Hoessein",
    "Rezaej",
    "Hosseinij",
    "Tschelebi",
    "Dschalal",
    "Philippe Farhad",
    "Dhabih",
    "Dhiya",
    "Fadhel",
    "Broujerdi",
    "Kourosh Cameron",
    "Youssef Moussa",
    "Moussa Sadr",
    "Ali Al-Hashemi",
    "Ali el-Hashemi",
    "Mohammad ibn Ali",
    "O'Neil",
    "Jean-Pierre Dupont",
    "Anna-Lena Müller",
    "Zoë Brontë",
    "حمید Nouri",
    "ي ك ة",
    "علي كريمي",
    "فاطمة",
    "۱۳۶۷",
    "1367",
    "?",
    "-",
    "",
)


def _probes() -> tuple[str, ...]:
    names: list[str] = []
    for words in (_PERSIAN_GIVEN, _PERSIAN_FAMILY, _LATIN_GIVEN, _LATIN_FAMILY, _HONORIFICS):
        names += words
    # Two-word names pairing each given name with a family name of its script, and the same
    # reordered "FAMILY, Given" with the family name in capitals (as lists often write it).
    scripts = ((_PERSIAN_GIVEN, _PERSIAN_FAMILY, "،"), (_LATIN_GIVEN, _LATIN_FAMILY, ","))
    for given, family, comma in scripts:
        for i, first in enumerate(given):
            last = family[i % len(family)]
            names.append(f"{first} {last}")
            if i % 3 == 0:
                names.append(f"{last.upper()}{comma} {first}")
    for i, title in enumerate(_HONORIFICS):
        persian = not title.isascii()
        given = (_PERSIAN_GIVEN if persian else _LATIN_GIVEN)[i]
        family = (_PERSIAN_FAMILY if persian else _LATIN_FAMILY)[i]
        names.append(f"{title} {given} {family}")
    names += _SPECIAL
    return tuple(dict.fromkeys(names))


#: The names whose normalized forms and keys make the fingerprint, in order.
PROBE_NAMES: tuple[str, ...] = _probes()


@cache
def rules_fingerprint() -> str:
    """A short hex digest of what the name rules make of :data:`PROBE_NAMES`.

    Equal digests mean the rules give the same normalized names, honorifics and keys for every
    probe; a rule change that alters any of them changes the digest. Computed once per process
    (the rules cannot change while it runs; tests that patch them call
    ``rules_fingerprint.cache_clear()``).

    Returns:
        :data:`FINGERPRINT_LENGTH` lowercase hex digits of a SHA-256.

    Example:
        >>> len(rules_fingerprint()) == FINGERPRINT_LENGTH
        True
    """
    digest = hashlib.sha256()
    for probe in PROBE_NAMES:
        name = normalize_name(probe)
        facts = [
            probe,
            name.script,
            name.normalized,
            list(name.honorifics),
            name.key,
            list(name.keys),
            name_keys(probe),
            [name_key(token) for token in name.tokens],  # what a search compares word by word
        ]
        digest.update(json.dumps(facts, ensure_ascii=False).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()[:FINGERPRINT_LENGTH]
