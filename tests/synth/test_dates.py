"""Date helpers: Jalali years, ages, formats."""

from __future__ import annotations

from datetime import date

import jdatetime
import numpy as np
import pytest

from reckon.synth import dates


def test_jalali_years_match_jdatetime():
    rng = np.random.default_rng(0)
    days = rng.integers(dates.to_day(date(1920, 1, 1)), dates.to_day(date(1990, 1, 1)), 500)
    days = np.concatenate(
        [days, [dates.to_day(date(1988, 3, 20)), dates.to_day(date(1988, 3, 21))]]
    )
    expected = [jdatetime.date.fromgregorian(date=dates.from_day(d)).year for d in days]
    assert dates.jalali_years(days).tolist() == expected


def test_whole_years_between():
    born = np.array([dates.to_day(date(1960, 8, 1)), dates.to_day(date(1960, 7, 31))])
    died = np.full(2, dates.to_day(date(1988, 7, 31)))
    assert dates.whole_years_between(born, died).tolist() == [27, 28]


@pytest.mark.parametrize(
    "fmt,persian,expected",
    [
        ("iso", False, "1988-07-30"),
        ("dmy", False, "30.07.1988"),
        ("text", False, "30 July 1988"),
        ("month", False, "July 1988"),
        ("year_jan1", False, "1988-01-01"),
        ("jalali", False, "1367/5/8"),
        ("jalali_padded", False, "1367/05/08"),
        ("jalali_text", False, "8 Mordad 1367"),
        ("jalali_text", True, "8 مرداد 1367"),
        ("jalali_month", True, "مرداد 1367"),
        ("jalali_year", False, "1367"),
    ],
)
def test_formats(fmt, persian, expected):
    assert dates.format_day(dates.to_day(date(1988, 7, 30)), fmt, persian) == expected


def test_format_days_with_persian_digits():
    day = dates.to_day(date(1988, 7, 30))
    out = dates.format_days(
        np.array([day, day]),
        np.full(2, dates.FORMAT_INDEX["jalali"]),
        np.array([True, True]),
        np.array([True, False]),
    )
    assert out.tolist() == ["۱۳۶۷/۵/۸", "1367/5/8"]
