"""Exact day arithmetic in the Jalali (via jdatetime) and Gregorian calendars, with reasons.

Every function raises :class:`~reckon.errors.DateParseError` naming why a day does not exist
(month 13, Esfand 30 outside a leap year, day 32, …).

>>> jalali_month_length(1367, 12), jalali_month_length(1370, 12)
(29, 30)
>>> jalali_day("1367/5/8", 1367, 5, 8)
datetime.date(1988, 7, 30)
"""

from __future__ import annotations

import calendar as _calendar
import datetime

import jdatetime

from reckon.errors import DateParseError

JALALI_MONTH_NAMES = (
    "Farvardin",
    "Ordibehesht",
    "Khordad",
    "Tir",
    "Mordad",
    "Shahrivar",
    "Mehr",
    "Aban",
    "Azar",
    "Dey",
    "Bahman",
    "Esfand",
)


def jalali_is_leap(year: int) -> bool:
    """Whether a Jalali year has 30 days in Esfand (as jdatetime computes it)."""
    return jdatetime.date(year, 1, 1).isleap()


def jalali_month_length(year: int, month: int) -> int:
    """Days in a Jalali month."""
    if month <= 6:
        return 31
    if month <= 11:
        return 30
    return 30 if jalali_is_leap(year) else 29


def _check_month(value: str, month: int) -> None:
    if not 1 <= month <= 12:
        raise DateParseError(value, f"month {month} does not exist (months are 1–12)")


def jalali_day(value: str, y: int, m: int, d: int) -> datetime.date:
    _check_month(value, m)
    if y < 1:
        raise DateParseError(value, f"year {y} is out of range")
    length = jalali_month_length(y, m)
    if not 1 <= d <= length:
        name = JALALI_MONTH_NAMES[m - 1]
        if m == 12 and d == 30:
            reason = f"Esfand {y} has 29 days ({y} is not a leap year)"
        elif d > 31 or d < 1:
            reason = f"day {d} does not exist"
        else:
            reason = f"{name} has {length} days, not {d}"
        raise DateParseError(value, reason)
    return jdatetime.date(y, m, d).togregorian()


def gregorian_day(value: str, y: int, m: int, d: int) -> datetime.date:
    _check_month(value, m)
    if not 1 <= y <= 9999:
        raise DateParseError(value, f"year {y} is out of range")
    length = _calendar.monthrange(y, m)[1]
    if not 1 <= d <= length:
        if d > 31 or d < 1:
            reason = f"day {d} does not exist"
        elif m == 2 and d == 29:
            reason = f"February {y} has 28 days ({y} is not a leap year)"
        else:
            reason = f"{_calendar.month_name[m]} {y} has {length} days, not {d}"
        raise DateParseError(value, reason)
    return datetime.date(y, m, d)


def day_of(value: str, cal: str, y: int, m: int, d: int) -> datetime.date:
    return jalali_day(value, y, m, d) if cal == "jalali" else gregorian_day(value, y, m, d)


def month_interval(value: str, cal: str, y: int, m: int) -> tuple[datetime.date, datetime.date]:
    _check_month(value, m)
    if cal == "jalali":
        return jalali_day(value, y, m, 1), jalali_day(value, y, m, jalali_month_length(y, m))
    return gregorian_day(value, y, m, 1), gregorian_day(value, y, m, _calendar.monthrange(y, m)[1])


def year_interval(value: str, cal: str, y: int) -> tuple[datetime.date, datetime.date]:
    return month_interval(value, cal, y, 1)[0], month_interval(value, cal, y, 12)[1]


def season_interval(
    value: str, cal: str, y: int, season: int, warnings: list[str]
) -> tuple[datetime.date, datetime.date]:
    if cal == "jalali":
        first = 3 * season - 2
        return month_interval(value, cal, y, first)[0], month_interval(value, cal, y, first + 2)[1]
    if season == 4:
        warnings.append(f"winter {y} read as 1 December {y - 1} to 20 March {y}")
        return gregorian_day(value, y - 1, 12, 1), gregorian_day(value, y, 3, 20)
    start = {1: (3, 1), 2: (6, 1), 3: (9, 1)}[season]
    end = {1: (6, 20), 2: (9, 22), 3: (12, 21)}[season]
    return gregorian_day(value, y, *start), gregorian_day(value, y, *end)
