"""Dates as the lists write them: Gregorian and Jalali, full, month-only or year-only.

Days are integers (days since 1970-01-01) so that whole columns are numpy arrays; each distinct
(day, format, script, digits) is formatted once and the strings are shared.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import jdatetime
import numpy as np

from reckon.synth.config import DATE_FORMATS
from reckon.synth.names import PERSIAN_DIGITS
from reckon.synth.places import GREGORIAN_MONTHS, JALALI_MONTHS_LATIN, JALALI_MONTHS_PERSIAN

EPOCH = date(1970, 1, 1)
FORMAT_INDEX = {name: i for i, name in enumerate(DATE_FORMATS)}


def to_day(value: date) -> int:
    """Days since 1970-01-01."""
    return (value - EPOCH).days


def from_day(day: int) -> date:
    return EPOCH + timedelta(days=int(day))


@cache
def jalali(day: int) -> tuple[int, int, int]:
    """(year, month, day) in the Jalali (Solar Hijri) calendar."""
    j = jdatetime.date.fromgregorian(date=from_day(day))
    return j.year, j.month, j.day


def format_day(day: int, fmt: str, persian: bool = False) -> str:
    """Write one day in format ``fmt`` (see ``config.DATE_FORMATS``); ``persian`` writes Jalali
    month names in Persian script."""
    g = from_day(day)
    if fmt == "iso":
        return g.isoformat()
    if fmt == "dmy":
        return f"{g.day:02d}.{g.month:02d}.{g.year}"
    if fmt == "dmy_slash":
        return f"{g.day:02d}/{g.month:02d}/{g.year}"
    if fmt == "text":
        return f"{g.day} {GREGORIAN_MONTHS[g.month - 1]} {g.year}"
    if fmt == "month":
        return f"{GREGORIAN_MONTHS[g.month - 1]} {g.year}"
    if fmt == "year":
        return str(g.year)
    if fmt == "year_jan1":
        return f"{g.year}-01-01"
    y, m, d = jalali(day)
    months = JALALI_MONTHS_PERSIAN if persian else JALALI_MONTHS_LATIN
    if fmt == "jalali":
        return f"{y}/{m}/{d}"
    if fmt == "jalali_padded":
        return f"{y}/{m:02d}/{d:02d}"
    if fmt == "jalali_text":
        return f"{d} {months[m - 1]} {y}"
    if fmt == "jalali_month":
        return f"{months[m - 1]} {y}"
    if fmt == "jalali_year":
        return str(y)
    raise ValueError(f"unknown date format {fmt!r}")


def precision(fmt: str) -> str:
    """What a format keeps of a date: "day", "month" or "year"."""
    if fmt in {"month", "jalali_month"}:
        return "month"
    if fmt in {"year", "year_jan1", "jalali_year"}:
        return "year"
    return "day"


def format_days(
    days: np.ndarray, formats: np.ndarray, persian: np.ndarray, digits: np.ndarray
) -> np.ndarray:
    """Format a column of days; each row has a format index, a script flag (Persian month
    names) and a digits flag (Persian digits). Returns an object array of strings."""
    if len(days) == 0:
        return np.empty(0, dtype=object)
    base = int(days.min())
    key = ((days.astype(np.int64) - base) * len(DATE_FORMATS) + formats) * 4
    key += persian.astype(np.int64) * 2 + digits.astype(np.int64)
    unique, inverse = np.unique(key, return_inverse=True)
    texts = np.empty(len(unique), dtype=object)
    for i, k in enumerate(unique.tolist()):
        rest, flags = divmod(k, 4)
        offset, fmt = divmod(rest, len(DATE_FORMATS))
        text = format_day(base + offset, DATE_FORMATS[fmt], persian=bool(flags & 2))
        texts[i] = text.translate(PERSIAN_DIGITS) if flags & 1 else text
    return texts[inverse]


def gregorian_years(days: np.ndarray) -> np.ndarray:
    """The Gregorian year of each day."""
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def jalali_years(days: np.ndarray) -> np.ndarray:
    """The Jalali year of each day: Gregorian year − 621 from Nowruz (20 or 21 March) on,
    − 622 before it."""
    years = gregorian_years(days)
    if len(days) == 0:
        return years
    span = np.arange(int(years.min()), int(years.max()) + 1)
    nowruz = np.array([to_day(jdatetime.date(int(y) - 621, 1, 1).togregorian()) for y in span])
    before = days < nowruz[years - span[0]]
    return years - 621 - before


def ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gregorian (year, month, day) arrays of a column of days."""
    d = days.astype("datetime64[D]")
    years = d.astype("datetime64[Y]")
    months = d.astype("datetime64[M]")
    return (
        years.astype(np.int64) + 1970,
        (months - years).astype(np.int64) + 1,
        (d - months).astype(np.int64) + 1,
    )


def whole_years_between(first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Completed years from ``first`` to ``last`` (an age at death from birth and death days)."""
    y1, m1, d1 = ymd(first)
    y2, m2, d2 = ymd(last)
    return y2 - y1 - ((m2 < m1) | ((m2 == m1) & (d2 < d1)))
