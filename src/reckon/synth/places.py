"""Places, affiliations and vocabulary of the synthetic scenarios, in Persian and Latin spellings.

Every entry lists its spellings most common first; a list picks one per value (its habit), and
sometimes another. Cities carry a weight (share of the invented victims from there) and the prisons
their people were most likely held in. The prisons and cemeteries are the historical ones; the
people placed in them are invented.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """One value (a city, a prison, an affiliation) with its spellings in each script."""

    code: str
    persian: tuple[str, ...]
    latin: tuple[str, ...]


@dataclass(frozen=True)
class City(Term):
    weight: float = 0.01
    prisons: tuple[tuple[str, float], ...] = ()
    kurdish: bool = False


def _prison(code: str, persian: tuple[str, ...], latin: tuple[str, ...]) -> Term:
    return Term(code, persian, latin)


PRISONS: tuple[Term, ...] = (
    _prison("evin", ("اوین", "زندان اوین"), ("Evin", "Evin Prison", "Evin prison (Tehran)")),
    _prison(
        "gohardasht",
        ("گوهردشت", "زندان گوهردشت", "رجایی‌شهر"),
        ("Gohardasht", "Gohar Dasht", "Rajaei Shahr", "Gohardasht (Karaj)"),
    ),
    _prison("qezelhesar", ("قزلحصار", "قزل‌حصار"), ("Qezel Hesar", "Ghezel Hesar", "Ghezelhesar")),
    _prison("tabriz", ("زندان تبریز",), ("Tabriz Prison", "Tabriz")),
    _prison("vakilabad", ("وکیل‌آباد", "زندان وکیل‌آباد مشهد"), ("Vakilabad", "Vakil Abad")),
    _prison("dastgerd", ("دستگرد", "زندان دستگرد اصفهان"), ("Dastgerd", "Dastgerd (Isfahan)")),
    _prison("adelabad", ("عادل‌آباد", "زندان عادل‌آباد شیراز"), ("Adelabad", "Adel Abad")),
    _prison("lakan", ("لاکان", "زندان لاکان رشت"), ("Lakan", "Lakan (Rasht)")),
    _prison("karun", ("کارون", "زندان کارون اهواز"), ("Karun", "Karoun (Ahvaz)")),
    _prison("dizelabad", ("دیزل‌آباد", "زندان دیزل‌آباد"), ("Dizelabad", "Dizel Abad")),
    _prison("dezful", ("زندان دزفول",), ("Dezful Prison", "Dezful")),
    _prison("hamadan", ("زندان همدان",), ("Hamadan Prison", "Hamedan prison")),
    _prison("orumiyeh", ("زندان ارومیه",), ("Orumiyeh Prison", "Urmia prison")),
    _prison("sanandaj", ("زندان سنندج",), ("Sanandaj Prison", "Sanandaj")),
    _prison("khorramabad", ("زندان خرم‌آباد",), ("Khorramabad Prison", "Khorramabad")),
    _prison("babol", ("زندان بابل",), ("Babol Prison",)),
    _prison("sari", ("زندان ساری",), ("Sari Prison",)),
    _prison("qazvin", ("زندان قزوین",), ("Qazvin Prison", "Ghazvin prison")),
    _prison("zanjan", ("زندان زنجان",), ("Zanjan Prison",)),
    _prison("ardabil", ("زندان اردبیل",), ("Ardabil Prison", "Ardebil prison")),
    _prison("kerman", ("زندان کرمان",), ("Kerman Prison",)),
    _prison("semnan", ("زندان سمنان",), ("Semnan Prison",)),
    _prison("arak", ("زندان اراک",), ("Arak Prison",)),
)

TEHRAN_PRISONS = (("evin", 0.45), ("gohardasht", 0.43), ("qezelhesar", 0.12))


def _city(
    code: str,
    persian: tuple[str, ...],
    latin: tuple[str, ...],
    weight: float,
    prisons: tuple[tuple[str, float], ...],
    kurdish: bool = False,
) -> City:
    return City(code, persian, latin, weight=weight, prisons=prisons, kurdish=kurdish)


CITIES: tuple[City, ...] = (
    _city("tehran", ("تهران",), ("Tehran", "Teheran"), 0.40, TEHRAN_PRISONS),
    _city("karaj", ("کرج",), ("Karaj",), 0.02, (("gohardasht", 0.9), ("evin", 0.1))),
    _city("tabriz", ("تبریز",), ("Tabriz",), 0.05, (("tabriz", 1.0),)),
    _city("mashhad", ("مشهد",), ("Mashhad", "Mashad"), 0.05, (("vakilabad", 1.0),)),
    _city("isfahan", ("اصفهان",), ("Isfahan", "Esfahan"), 0.05, (("dastgerd", 1.0),)),
    _city("shiraz", ("شیراز",), ("Shiraz",), 0.04, (("adelabad", 1.0),)),
    _city("rasht", ("رشت",), ("Rasht",), 0.04, (("lakan", 1.0),)),
    _city("lahijan", ("لاهیجان",), ("Lahijan",), 0.01, (("lakan", 1.0),)),
    _city("ahvaz", ("اهواز",), ("Ahvaz", "Ahwaz"), 0.03, (("karun", 1.0),)),
    _city("abadan", ("آبادان",), ("Abadan",), 0.01, (("karun", 1.0),)),
    _city(
        "masjedsoleyman",
        ("مسجدسلیمان", "مسجد سلیمان"),
        ("Masjed Soleyman", "Masjed-e Soleyman", "Masjid Sulaiman"),
        0.01,
        (("karun", 1.0),),
    ),
    _city("dezful", ("دزفول",), ("Dezful", "Dezfoul"), 0.03, (("dezful", 1.0),)),
    _city(
        "kermanshah",
        ("کرمانشاه", "باختران"),
        ("Kermanshah", "Bakhtaran"),
        0.03,
        (("dizelabad", 1.0),),
        kurdish=True,
    ),
    _city("hamadan", ("همدان",), ("Hamadan", "Hamedan"), 0.02, (("hamadan", 1.0),)),
    _city(
        "orumiyeh",
        ("ارومیه",),
        ("Orumiyeh", "Urmia", "Oroumieh"),
        0.02,
        (("orumiyeh", 1.0),),
        kurdish=True,
    ),
    _city("sanandaj", ("سنندج",), ("Sanandaj",), 0.02, (("sanandaj", 1.0),), kurdish=True),
    _city("mahabad", ("مهاباد",), ("Mahabad",), 0.01, (("orumiyeh", 1.0),), kurdish=True),
    _city("saqqez", ("سقز",), ("Saqqez", "Saghez"), 0.01, (("sanandaj", 1.0),), kurdish=True),
    _city("khorramabad", ("خرم‌آباد", "خرم آباد"), ("Khorramabad",), 0.02, (("khorramabad", 1.0),)),
    _city("babol", ("بابل",), ("Babol",), 0.015, (("babol", 1.0),)),
    _city("sari", ("ساری",), ("Sari",), 0.015, (("sari", 1.0),)),
    _city("qazvin", ("قزوین",), ("Qazvin", "Ghazvin"), 0.015, (("qazvin", 1.0),)),
    _city("zanjan", ("زنجان",), ("Zanjan",), 0.01, (("zanjan", 1.0),)),
    _city("ardabil", ("اردبیل",), ("Ardabil", "Ardebil"), 0.01, (("ardabil", 1.0),)),
    _city("kerman", ("کرمان",), ("Kerman",), 0.01, (("kerman", 1.0),)),
    _city("semnan", ("سمنان",), ("Semnan",), 0.01, (("semnan", 1.0),)),
    _city("arak", ("اراک",), ("Arak",), 0.01, (("arak", 1.0),)),
    _city("qom", ("قم",), ("Qom", "Ghom"), 0.01, (("evin", 0.5), ("qezelhesar", 0.5))),
    _city("gorgan", ("گرگان",), ("Gorgan",), 0.01, (("sari", 0.6), ("evin", 0.4))),
    _city("yazd", ("یزد",), ("Yazd",), 0.005, (("evin", 1.0),)),
)


@dataclass(frozen=True)
class Affiliation(Term):
    share: float = 0.0
    group: str = ""  # "left", "kurdish" or the code itself
    wave: tuple[float, float] = (0.0, 1.0)  # when in the period its members were mostly executed


AFFILIATIONS: tuple[Affiliation, ...] = (
    Affiliation(
        "mojahedin",
        ("مجاهدین", "سازمان مجاهدین خلق", "هوادار مجاهدین"),
        ("Mojahedin", "PMOI", "MEK", "Mojahedin-e Khalq"),
        share=0.62,
        group="mojahedin",
        wave=(0.05, 0.6),
    ),
    Affiliation(
        "fadaian_majority",
        ("فداییان اکثریت", "فدائیان خلق (اکثریت)"),
        ("Fadaian (Majority)", "Fedaian Majority"),
        share=0.06,
        group="left",
        wave=(0.4, 1.0),
    ),
    Affiliation(
        "fadaian_minority",
        ("فداییان اقلیت", "فدائیان خلق (اقلیت)"),
        ("Fadaian (Minority)", "Fedaian Minority"),
        share=0.05,
        group="left",
        wave=(0.4, 1.0),
    ),
    Affiliation(
        "tudeh",
        ("حزب توده", "توده"),
        ("Tudeh Party", "Tudeh"),
        share=0.08,
        group="left",
        wave=(0.45, 1.0),
    ),
    Affiliation(
        "peykar", ("پیکار",), ("Peykar", "Paykar"), share=0.04, group="left", wave=(0.4, 1.0)
    ),
    Affiliation(
        "rah_e_kargar",
        ("راه کارگر",),
        ("Rah-e Kargar", "Rahe Kargar"),
        share=0.03,
        group="left",
        wave=(0.4, 1.0),
    ),
    Affiliation(
        "komala", ("کومله",), ("Komala", "Komaleh"), share=0.03, group="kurdish", wave=(0.2, 1.0)
    ),
    Affiliation(
        "kdpi",
        ("حزب دموکرات کردستان", "دموکرات"),
        ("KDPI", "Kurdish Democratic Party"),
        share=0.03,
        group="kurdish",
        wave=(0.2, 1.0),
    ),
    Affiliation(
        "other_left", ("چپ", "گروه‌های چپ"), ("Leftist", "Other left"), share=0.02, group="left"
    ),
    Affiliation("unknown", ("نامعلوم",), ("Unknown",), share=0.04, group="unknown"),
)

BURIALS: tuple[Term, ...] = (
    Term("unknown", ("نامعلوم", "نامشخص"), ("Unknown", "unknown")),
    Term("khavaran", ("خاوران", "گورستان خاوران"), ("Khavaran", "Khavaran cemetery")),
    Term("behesht_zahra", ("بهشت زهرا",), ("Behesht-e Zahra", "Behesht Zahra")),
    Term("mass_grave", ("گور جمعی", "گور دسته جمعی"), ("Mass grave", "mass grave")),
)

GENDERS: tuple[Term, ...] = (
    Term("M", ("مرد",), ("M", "Male", "male")),
    Term("F", ("زن",), ("F", "Female", "female")),
)

TITLE = Term("seyyed", ("سید",), ("Seyyed", "Seyed", "Sayyid", "Sayed"))

# Column headers the importer recognises, per language.
HEADERS: dict[str, dict[str, str]] = {
    "en": {
        "id": "id",
        "full_name": "Full name",
        "given": "Given name",
        "family": "Family name",
        "father": "Father's name",
        "gender": "Gender",
        "birth_year": "Birth year",
        "birth_date": "Date of birth",
        "age": "Age",
        "execution_date": "Date of execution",
        "prison": "Prison",
        "city": "City",
        "burial": "Place of burial",
        "affiliation": "Affiliation",
        "notes": "Notes",
    },
    "fa": {
        "id": "id",
        "full_name": "نام و نام خانوادگی",
        "given": "نام",
        "family": "نام خانوادگی",
        "father": "نام پدر",
        "gender": "جنسیت",
        "birth_year": "سال تولد",
        "birth_date": "تاریخ تولد",
        "age": "سن",
        "execution_date": "تاریخ اعدام",
        "prison": "زندان",
        "city": "شهر",
        "burial": "محل دفن",
        "affiliation": "وابستگی",
        "notes": "توضیحات",
    },
}
FIELDS: tuple[str, ...] = tuple(HEADERS["en"])

GREGORIAN_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
JALALI_MONTHS_LATIN = (
    "Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar", "Mehr", "Aban", "Azar",
    "Dey", "Bahman", "Esfand",
)  # fmt: skip
JALALI_MONTHS_PERSIAN = (
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن",
    "اسفند",
)  # fmt: skip

PRISON_INDEX = {p.code: i for i, p in enumerate(PRISONS)}
CITY_INDEX = {c.code: i for i, c in enumerate(CITIES)}
AFFILIATION_INDEX = {a.code: i for i, a in enumerate(AFFILIATIONS)}
BURIAL_INDEX = {b.code: i for i, b in enumerate(BURIALS)}
