"""Partial dates in the Jalali (Solar Hijri) and Gregorian calendars.

:func:`parse_date` reads the forms people write and returns a :class:`PartialDate`: the earliest
and latest Gregorian day the text can mean, plus calendar, precision and the original text.
Conversions are exact (jdatetime); impossible dates raise :class:`~reckon.errors.DateParseError`
with the reason.

==========================  ===============================  =========  ==========
text                        interval (Gregorian)             calendar   precision
==========================  ===============================  =========  ==========
1367/5/8, ۱۳۶۷/۰۵/۰۸        1988-07-30                       jalali     day
8 Mordad 1367, ۸ مرداد ۶۷   1988-07-30                       jalali     day
مرداد ۱۳۶۷, Mordad 1367     1988-07-23 … 1988-08-22          jalali     month
67/5/8                      1988-07-30 (two-digit year,      jalali     day
                            ``century_jalali`` + 67)
1367                        1988-03-21 … 1989-03-20          jalali     year
تابستان ۶۷                  1988-06-21 … 1988-09-22          jalali     season
1988-07-30, 30.07.1988      1988-07-30                       gregorian  day
July 1988, 7/1988           1988-07-01 … 1988-07-31          gregorian  month
summer 1988                 1988-06-01 … 1988-09-22          gregorian  season
1988                        1988-01-01 … 1988-12-31          gregorian  year
1367-1368, 1988 to 1989     first day … last day             either     range
03/04/1988                  1988-03-04 … 1988-04-03,         gregorian  day
                            ``ambiguous=True``
==========================  ===============================  =========  ==========

Calendar, when neither ``calendar=`` nor a month name, season word or marker (SH, ه.ش, شمسی,
AD, میلادی) decides it: a four-digit year in 1300–1420 is Jalali, any other Gregorian. A two-digit
year is Jalali when written year-first (67/5/8) or in Persian script or digits, else Gregorian.
Jalali seasons are exact (spring = Farvardin–Khordad, …). Gregorian seasons take the widest of
the meteorological and astronomical readings (summer = 1 June … 22 September; winter Y =
1 December Y-1 … 20 March Y, with a warning). Day/month order in D/M/Y numbers that could be
either (03/04/1988) is not guessed: ``ambiguous=True``, a warning, and an interval spanning both
readings, unless ``dayfirst`` decides it. "YYYY-01-01" is read as the day it says.

>>> d = parse_date("8 Mordad 1367")
>>> d.earliest, d.calendar, d.precision
(datetime.date(1988, 7, 30), 'jalali', 'day')
>>> parse_date("30.07.1988").earliest
datetime.date(1988, 7, 30)
"""

from __future__ import annotations

import contextlib
import datetime
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from reckon.errors import DateParseError
from reckon.text.calendars import (
    day_of,
    month_interval,
    season_interval,
    year_interval,
)
from reckon.text.persian import normalize_persian

#: Jalali month names as written (normalized: lower case, no diacritics, Persian letters unified).
JALALI_MONTHS: dict[str, int] = {}
for _num, _names in enumerate(
    (
        "farvardin farvardeen farwardin farvadin فروردین",
        "ordibehesht ordibehesht ordibehisht ordibehest urdibihisht ordibehesht اردیبهشت",
        "khordad khordaad khurdad khordâd خرداد",
        "tir teer تیر",
        "mordad amordad mordaad amordaad murdad amurdad مرداد امرداد",
        "shahrivar shahrivar shahriwar shahrewar shahrivar شهریور",
        "mehr mihr mehrmah مهر",
        "aban aabaan abaan aaban ابان",
        "azar aazar azar adhar اذر",
        "dey dei day دی",
        "bahman bahaman بهمن",
        "esfand isfand esfand espand esfahand اسفند",
    ),
    start=1,
):
    for _n in _names.split():
        JALALI_MONTHS[_n] = _num
del JALALI_MONTHS["day"]  # English "day" is not Dey

GREGORIAN_MONTHS: dict[str, int] = {}
for _num, _names in enumerate(
    (
        "january jan ژانویه",
        "february feb فوریه",
        "march mar مارس",
        "april apr اوریل",
        "may مه می",
        "june jun ژوین ژوءن",
        "july jul ژوییه جولای",
        "august aug اوت اگوست",
        "september sep sept سپتامبر",
        "october oct اکتبر",
        "november nov نوامبر",
        "december dec دسامبر",
    ),
    start=1,
):
    for _n in _names.split():
        GREGORIAN_MONTHS[_n] = _num

#: Season words → season number (1 spring … 4 winter) and the calendar they imply (None: either).
SEASONS: dict[str, tuple[int, str | None]] = {
    **{w: (1, None) for w in ("spring",)},
    **{w: (2, None) for w in ("summer",)},
    **{w: (3, None) for w in ("autumn", "fall")},
    **{w: (4, None) for w in ("winter",)},
    **{w: (1, "jalali") for w in ("bahar", "بهار")},
    **{w: (2, "jalali") for w in ("tabestan", "تابستان")},
    **{
        w: (3, "jalali")
        for w in ("paeez", "paiz", "paeiz", "payiz", "paeez", "پاییز", "پاپیز", "خزان")
    },
    **{w: (4, "jalali") for w in ("zemestan", "زمستان")},
}
JALALI_MARKERS = frozenset(
    {"sh", "hs", "ap", "ش", "هش", "هجری", "شمسی", "خورشیدی", "jalali", "solar", "hijri", "shamsi"}
)
GREGORIAN_MARKERS = frozenset({"ad", "ce", "میلادی", "gregorian"})
QUALIFIERS = frozenset(
    {
        "circa",
        "ca",
        "c",
        "about",
        "approx",
        "approximately",
        "early",
        "late",
        "mid",
        "around",
        "حدود",
        "حدودا",
        "اوایل",
        "اواسط",
        "اواخر",
        "سال",
        "ماه",
        "فصل",
    }
)
FILLERS = frozenset({"of", "the", "th", "st", "nd", "rd", "ام", "م", "in", "on", "year", "در"})

_RANGE_SEP = re.compile(r"\s+(?:-|–|—|to|until|till|تا|الی)\s+|(?<=\d{4})\s*[-–—/]\s*(?=\d{4}$)")
_TIME_SUFFIX = re.compile(r"[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?$")
_NUMERIC = re.compile(r"^(\d{1,4})\s*([-/.])\s*(\d{1,4})(?:\s*\2\s*(\d{1,4}))?$")
_COMPACT = re.compile(r"^(1[34]\d\d|1[89]\d\d|20\d\d)(\d\d)(\d\d)$")
_WORDS = re.compile(r"\d+|[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class PartialDate:
    """An interval of Gregorian days that a written date can mean.

    ``earliest``/``latest`` are inclusive. ``calendar`` is the calendar the text was written in,
    ``precision`` one of ``day``, ``month``, ``season``, ``year``, ``range``.
    """

    earliest: datetime.date
    latest: datetime.date
    calendar: str
    precision: str
    original: str
    ambiguous: bool = False
    warnings: tuple[str, ...] = ()

    @property
    def days(self) -> int:
        """Number of days in the interval (1 for an exact day)."""
        return (self.latest - self.earliest).days + 1

    def __contains__(self, day: datetime.date) -> bool:
        return self.earliest <= day <= self.latest


# --- reading -------------------------------------------------------------------------------


def _clean(text: str) -> str:
    s = normalize_persian(text)  # also makes digits ASCII
    s = unicodedata.normalize("NFKD", s.lower())
    s = "".join(c for c in s if not unicodedata.combining(c) or "\u0600" <= c <= "\u06ff")
    s = (
        s.replace("ه.ش", " هش ")
        .replace("هـ.ش", " هش ")
        .replace("s.h.", " sh ")
        .replace("a.d.", " ad ")
    )
    s = s.replace(",", " ").replace("،", " ")
    return re.sub(r"\s+", " ", s).strip(" .")


def _is_persian(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in text)


def _century_year(
    y: int, digits: int, cal: str, century_jalali: int, century_gregorian: int
) -> int:
    if digits > 2:
        return y
    return (century_jalali if cal == "jalali" else century_gregorian) + y


def _calendar_for_year(y: int, digits: int, hint: str | None) -> str:
    if hint:
        return hint
    if digits <= 2:
        return "gregorian"
    return "jalali" if 1300 <= y <= 1420 else "gregorian"


@lru_cache(maxsize=1 << 14)
def parse_date(
    text: str | None,
    *,
    calendar: str | None = None,
    century_jalali: int = 1300,
    century_gregorian: int = 1900,
    dayfirst: bool | None = None,
) -> PartialDate | None:
    """Read a written date into a :class:`PartialDate` (see the module table for the forms).

    Parameters
    ----------
    text:
        The date as written, any script and digits. ``None`` or blank gives ``None``.
    calendar:
        ``"jalali"`` or ``"gregorian"`` when the source says so; otherwise decided from the text.
    century_jalali, century_gregorian:
        Added to two-digit years (67 → 1367 or 1967).
    dayfirst:
        For D/M/Y numbers that could be either order: ``True`` day first, ``False`` month first,
        ``None`` report ``ambiguous=True`` with an interval spanning both readings.

    Raises
    ------
    DateParseError
        The text is not a date, or names a day that does not exist.

    Example
    -------
    >>> parse_date("۱۳۶۷/۰۵/۰۸").earliest
    datetime.date(1988, 7, 30)
    >>> parse_date("03/04/1988").ambiguous
    True
    """
    if text is None or not text.strip():
        return None
    if calendar not in (None, "jalali", "gregorian"):
        raise DateParseError(text, f"unknown calendar {calendar!r} (use 'jalali' or 'gregorian')")
    s = _clean(text)
    s = _TIME_SUFFIX.sub("", s).strip()
    opts = (calendar, century_jalali, century_gregorian, dayfirst)
    parts = _RANGE_SEP.split(s)
    if len(parts) == 2 and parts[0] and parts[1]:
        left = _parse_single(text, parts[0], *opts)
        right = _parse_single(text, parts[1], *opts)
        if right.latest < left.earliest:
            raise DateParseError(text, "the range ends before it starts")
        warnings = left.warnings + right.warnings
        if left.calendar != right.calendar:
            warnings += ("the two ends of the range are in different calendars",)
        return PartialDate(
            left.earliest, right.latest, left.calendar, "range", text,
            left.ambiguous or right.ambiguous, warnings,
        )  # fmt: skip
    return _parse_single(text, s, *opts)


def _parse_single(
    value: str,
    s: str,
    calendar: str | None,
    century_jalali: int,
    century_gregorian: int,
    dayfirst: bool | None,
) -> PartialDate:
    warnings: list[str] = []
    persian = _is_persian(value) or any("\u06f0" <= c <= "\u06f9" for c in value)

    m = _COMPACT.match(s)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        cal = _calendar_for_year(y, 4, calendar)
        day = day_of(value, cal, y, mo, d)
        return PartialDate(day, day, cal, "day", value)

    m = _NUMERIC.match(s)
    if m:
        return _parse_numeric(
            value, m, calendar, century_jalali, century_gregorian, dayfirst, persian
        )

    return _parse_words(value, s, calendar, century_jalali, century_gregorian, persian, warnings)


def _parse_numeric(
    value: str,
    m: re.Match[str],
    calendar: str | None,
    century_jalali: int,
    century_gregorian: int,
    dayfirst: bool | None,
    persian: bool,
) -> PartialDate:
    a, b, c = m.group(1), m.group(3), m.group(4)
    warnings: list[str] = []
    if c is None:  # year and month, either order
        if len(a) >= 3 and len(b) <= 2:
            ys, ms = a, b
        elif len(b) >= 3 and len(a) <= 2:
            ys, ms = b, a
        else:
            raise DateParseError(
                value, "cannot tell the year from the month; write the year with four digits"
            )
        y = int(ys)
        cal = _calendar_for_year(y, len(ys), calendar)
        lo, hi = month_interval(value, cal, y, int(ms))
        return PartialDate(lo, hi, cal, "month", value)

    nums = [a, b, c]
    if len(a) >= 3 or (len(a) == 2 and int(a) > 31 and len(c) <= 2):
        year_first = True
    elif len(c) >= 3 or (len(c) == 2 and int(c) > 31):
        year_first = False
    else:
        raise DateParseError(
            value, "cannot tell which number is the year; write the year with four digits"
        )
    if len(b) > 2 or (year_first and len(c) > 2) or (not year_first and len(a) > 2):
        raise DateParseError(value, "day and month must have one or two digits")

    ys = a if year_first else c
    if calendar:
        cal = calendar
    elif len(ys) <= 2:
        cal = "jalali" if (year_first or persian) else "gregorian"
        warnings.append(
            f"two-digit year {ys} read as {'Jalali' if cal == 'jalali' else 'Gregorian'}"
        )
    else:
        cal = _calendar_for_year(int(ys), len(ys), None)
    y = _century_year(int(ys), len(ys), cal, century_jalali, century_gregorian)

    if year_first:
        day = day_of(value, cal, y, int(b), int(c))
        return PartialDate(day, day, cal, "day", value, False, tuple(warnings))

    first, second = int(nums[0]), int(nums[1])
    if dayfirst is True or first > 12:
        day = day_of(value, cal, y, second, first)
        return PartialDate(day, day, cal, "day", value, False, tuple(warnings))
    if dayfirst is False or second > 12 or first == second:
        day = day_of(value, cal, y, first, second)
        return PartialDate(day, day, cal, "day", value, False, tuple(warnings))
    # both readings possible
    readings = []
    for mo, d in ((second, first), (first, second)):
        with contextlib.suppress(DateParseError):
            readings.append(day_of(value, cal, y, mo, d))
    if not readings:
        raise DateParseError(value, "neither day/month order gives a real date")
    if len(readings) == 1:
        return PartialDate(readings[0], readings[0], cal, "day", value, False, tuple(warnings))
    warnings.append(
        f"day/month order unknown: {first}/{second} may be day {first} of month {second} or "
        f"day {second} of month {first}; pass dayfirst= to decide"
    )
    return PartialDate(min(readings), max(readings), cal, "day", value, True, tuple(warnings))


def _parse_words(
    value: str,
    s: str,
    calendar: str | None,
    century_jalali: int,
    century_gregorian: int,
    persian: bool,
    warnings: list[str],
) -> PartialDate:
    tokens = _WORDS.findall(s)
    if not tokens:
        raise DateParseError(value, "no date found")
    numbers: list[str] = []
    month: int | None = None
    month_cal: str | None = None
    season: int | None = None
    hint: str | None = None
    for tok in tokens:
        if tok.isdigit():
            numbers.append(tok)
        elif tok in JALALI_MONTHS or tok in GREGORIAN_MONTHS:
            if month is not None:
                raise DateParseError(value, "more than one month name")
            if tok in JALALI_MONTHS:
                month, month_cal = JALALI_MONTHS[tok], "jalali"
            else:
                month, month_cal = GREGORIAN_MONTHS[tok], "gregorian"
        elif tok in SEASONS:
            if season is not None:
                raise DateParseError(value, "more than one season")
            season, hint = SEASONS[tok][0], SEASONS[tok][1] or hint
        elif tok in JALALI_MARKERS:
            hint = "jalali"
        elif tok in GREGORIAN_MARKERS:
            hint = "gregorian"
        elif tok in QUALIFIERS:
            warnings.append(f"qualifier {tok!r} ignored; the interval covers the whole period")
        elif tok in FILLERS:
            continue
        else:
            raise DateParseError(value, f"unknown word {tok!r}")
    if month is not None and season is not None:
        raise DateParseError(value, "both a month and a season")
    hint = month_cal or hint
    if calendar and hint and calendar != hint:
        warnings.append(f"the text reads as {hint} although calendar={calendar!r} was given")
    cal_hint = hint or calendar
    if not numbers:
        raise DateParseError(value, "no year")
    if len(numbers) > 2 or (len(numbers) == 2 and month is None):
        raise DateParseError(value, "too many numbers")

    if len(numbers) == 1:
        ys, ds = numbers[0], None
    else:
        # one is the day, the other the year: the longer, or the one above 31, or the last
        x, z = numbers
        if len(x) >= 3 and len(z) <= 2:
            ys, ds = x, z
        elif len(z) >= 3 or int(z) > 31:
            ys, ds = z, x
        elif int(x) > 31:
            ys, ds = x, z
        else:
            ys, ds = z, x
    if len(ys) <= 2:
        cal = cal_hint or ("jalali" if persian else "gregorian")
        if not cal_hint:
            warnings.append(
                f"two-digit year {ys} read as {'Jalali' if cal == 'jalali' else 'Gregorian'}"
            )
    else:
        cal = _calendar_for_year(int(ys), len(ys), cal_hint)
    y = _century_year(int(ys), len(ys), cal, century_jalali, century_gregorian)
    if cal == "jalali" and len(ys) > 2 and not 1000 <= y <= 1700:
        warnings.append(f"year {y} is unusual for the Jalali calendar")
    if cal == "gregorian" and len(ys) > 2 and not 1600 <= y <= 2200:
        warnings.append(f"year {y} is unusual for the Gregorian calendar")

    if month is not None:
        if ds is not None:
            day = day_of(value, cal, y, month, int(ds))
            return PartialDate(day, day, cal, "day", value, False, tuple(warnings))
        lo, hi = month_interval(value, cal, y, month)
        return PartialDate(lo, hi, cal, "month", value, False, tuple(warnings))
    if season is not None:
        lo, hi = season_interval(value, cal, y, season, warnings)
        return PartialDate(lo, hi, cal, "season", value, False, tuple(warnings))
    lo, hi = year_interval(value, cal, y)
    return PartialDate(lo, hi, cal, "year", value, False, tuple(warnings))
