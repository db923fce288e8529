"""Partial dates: Jalali and Gregorian forms, impossible dates, ambiguity."""

import datetime

import jdatetime
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reckon.errors import DateParseError
from reckon.text import PartialDate, parse_date
from reckon.text.calendars import jalali_month_length

D = datetime.date

# text, earliest, latest, calendar, precision
TABLE = [
    ("1367/5/8", D(1988, 7, 30), D(1988, 7, 30), "jalali", "day"),
    ("۱۳۶۷/۰۵/۰۸", D(1988, 7, 30), D(1988, 7, 30), "jalali", "day"),
    ("١٣٦٧/٠٥/٠٨", D(1988, 7, 30), D(1988, 7, 30), "jalali", "day"),
    ("1367-05-08", D(1988, 7, 30), D(1988, 7, 30), "jalali", "day"),
    ("13670508", D(1988, 7, 30), D(1988, 7, 30), "jalali", "day"),
    ("8 Mordad 1367", D(1988, 7, 30), D(1988, 7, 30), "jalali", "day"),
    ("8 Amordad 1367", D(1988, 7, 30), D(1988, 7, 30), "jalali", "day"),
    ("۸ مرداد ۱۳۶۷", D(1988, 7, 30), D(1988, 7, 30), "jalali", "day"),
    ("۸ مرداد ۶۷", D(1988, 7, 30), D(1988, 7, 30), "jalali", "day"),
    ("8 Mordad 67", D(1988, 7, 30), D(1988, 7, 30), "jalali", "day"),
    ("67/5/8", D(1988, 7, 30), D(1988, 7, 30), "jalali", "day"),
    ("مرداد ۱۳۶۷", D(1988, 7, 23), D(1988, 8, 22), "jalali", "month"),
    ("Mordad 1367", D(1988, 7, 23), D(1988, 8, 22), "jalali", "month"),
    ("1367/5", D(1988, 7, 23), D(1988, 8, 22), "jalali", "month"),
    ("Farvardin 1367", D(1988, 3, 21), D(1988, 4, 20), "jalali", "month"),
    ("Ordibehesht 1367", D(1988, 4, 21), D(1988, 5, 21), "jalali", "month"),
    ("Khordad 1367", D(1988, 5, 22), D(1988, 6, 21), "jalali", "month"),
    ("Tir 1367", D(1988, 6, 22), D(1988, 7, 22), "jalali", "month"),
    ("Shahrivar 1367", D(1988, 8, 23), D(1988, 9, 22), "jalali", "month"),
    ("Mehr 1367", D(1988, 9, 23), D(1988, 10, 22), "jalali", "month"),
    ("Aban 1367", D(1988, 10, 23), D(1988, 11, 21), "jalali", "month"),
    ("Azar 1367", D(1988, 11, 22), D(1988, 12, 21), "jalali", "month"),
    ("Dey 1367", D(1988, 12, 22), D(1989, 1, 20), "jalali", "month"),
    ("Bahman 1367", D(1989, 1, 21), D(1989, 2, 19), "jalali", "month"),
    ("Esfand 1367", D(1989, 2, 20), D(1989, 3, 20), "jalali", "month"),
    ("شهریور ۱۳۶۷", D(1988, 8, 23), D(1988, 9, 22), "jalali", "month"),
    ("آبان ۱۳۶۷", D(1988, 10, 23), D(1988, 11, 21), "jalali", "month"),
    ("1367", D(1988, 3, 21), D(1989, 3, 20), "jalali", "year"),
    ("۱۳۶۷ ه.ش", D(1988, 3, 21), D(1989, 3, 20), "jalali", "year"),
    ("تابستان ۶۷", D(1988, 6, 22), D(1988, 9, 22), "jalali", "season"),
    ("تابستان ۱۳۶۷", D(1988, 6, 22), D(1988, 9, 22), "jalali", "season"),
    ("پاییز ۱۳۶۷", D(1988, 9, 23), D(1988, 12, 21), "jalali", "season"),
    ("1988-07-30", D(1988, 7, 30), D(1988, 7, 30), "gregorian", "day"),
    ("1988-07-30T00:00:00", D(1988, 7, 30), D(1988, 7, 30), "gregorian", "day"),
    ("1988-07-30 00:00", D(1988, 7, 30), D(1988, 7, 30), "gregorian", "day"),
    ("30.07.1988", D(1988, 7, 30), D(1988, 7, 30), "gregorian", "day"),
    ("30/07/1988", D(1988, 7, 30), D(1988, 7, 30), "gregorian", "day"),
    ("07/30/1988", D(1988, 7, 30), D(1988, 7, 30), "gregorian", "day"),
    ("30.07.88", D(1988, 7, 30), D(1988, 7, 30), "gregorian", "day"),
    ("30 July 1988", D(1988, 7, 30), D(1988, 7, 30), "gregorian", "day"),
    ("July 30, 1988", D(1988, 7, 30), D(1988, 7, 30), "gregorian", "day"),
    ("30th Jul 1988", D(1988, 7, 30), D(1988, 7, 30), "gregorian", "day"),
    ("July 1988", D(1988, 7, 1), D(1988, 7, 31), "gregorian", "month"),
    ("07/1988", D(1988, 7, 1), D(1988, 7, 31), "gregorian", "month"),
    ("1988-07", D(1988, 7, 1), D(1988, 7, 31), "gregorian", "month"),
    ("ژوئیه ۱۹۸۸", D(1988, 7, 1), D(1988, 7, 31), "gregorian", "month"),
    ("1988", D(1988, 1, 1), D(1988, 12, 31), "gregorian", "year"),
    ("summer 1988", D(1988, 6, 1), D(1988, 9, 22), "gregorian", "season"),
    ("Summer 1367", D(1988, 6, 22), D(1988, 9, 22), "jalali", "season"),
    ("1988-01-01", D(1988, 1, 1), D(1988, 1, 1), "gregorian", "day"),  # no special case
    ("1367-1368", D(1988, 3, 21), D(1990, 3, 20), "jalali", "range"),
    ("1988 to 1989", D(1988, 1, 1), D(1989, 12, 31), "gregorian", "range"),
    ("مرداد ۱۳۶۷ تا شهریور ۱۳۶۷", D(1988, 7, 23), D(1988, 9, 22), "jalali", "range"),
    ("1370/12/30", D(1992, 3, 20), D(1992, 3, 20), "jalali", "day"),  # Esfand 30 in a leap year
    ("1403/12/30", D(2025, 3, 20), D(2025, 3, 20), "jalali", "day"),
    ("29 February 1988", D(1988, 2, 29), D(1988, 2, 29), "gregorian", "day"),
]


@pytest.mark.parametrize(("text", "earliest", "latest", "calendar", "precision"), TABLE)
def test_date_table(text, earliest, latest, calendar, precision):
    d = parse_date(text)
    assert isinstance(d, PartialDate)
    assert (d.earliest, d.latest, d.calendar, d.precision) == (
        earliest,
        latest,
        calendar,
        precision,
    )
    assert d.original == text
    assert not d.ambiguous


@pytest.mark.parametrize("text", [None, "", "   ", "\t"])
def test_blank_is_none(text):
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1367/13/1", "month 13"),
        ("1367/0/1", "month 0"),
        ("1367/12/30", "Esfand 1367 has 29 days"),
        ("1367/7/31", "Mehr has 30 days"),
        ("1367/1/32", "day 32"),
        ("1988-02-30", "February 1988 has 29 days"),
        ("1989-02-29", "1989 is not a leap year"),
        ("31.04.1988", "April 1988 has 30 days"),
        ("32 Mordad 1367", "day 32"),
        ("Mordad", "no year"),
        ("hello", "unknown word"),
        ("12/5/8", "which number is the year"),
        ("1368-1367", "ends before it starts"),
        ("tomorrow 1988", "unknown word"),
    ],
)
def test_impossible_or_unreadable_dates_raise_with_reason(text, reason):
    with pytest.raises(DateParseError) as err:
        parse_date(text)
    assert reason in err.value.reason
    assert err.value.value == text
    assert isinstance(err.value, ValueError)


def test_ambiguous_day_month_spans_both_readings():
    d = parse_date("03/04/1988")
    assert d.ambiguous
    assert (d.earliest, d.latest) == (D(1988, 3, 4), D(1988, 4, 3))
    assert any("day/month order" in w for w in d.warnings)
    assert parse_date("03/04/1988", dayfirst=True).earliest == D(1988, 4, 3)
    assert parse_date("03/04/1988", dayfirst=False).earliest == D(1988, 3, 4)
    assert not parse_date("03/04/1988", dayfirst=True).ambiguous
    assert not parse_date("04/04/1988").ambiguous  # both readings are the same day
    # only one reading exists: 31/04 is impossible, so 04/31 it must be... also impossible → error
    with pytest.raises(DateParseError):
        parse_date("31/04/1988", dayfirst=True)


def test_two_digit_years_follow_the_century_arguments():
    assert (
        parse_date("67/5/8", century_jalali=1400).earliest
        == jdatetime.date(1467, 5, 8).togregorian()
    )
    assert parse_date("30.07.88", century_gregorian=2000).earliest == D(2088, 7, 30)
    d = parse_date("67/5/8")
    assert any("two-digit year" in w for w in d.warnings)


def test_calendar_argument():
    assert parse_date("1367/5/8", calendar="jalali").calendar == "jalali"
    assert parse_date("1367/5/8", calendar="gregorian").earliest == D(1367, 5, 8)
    assert parse_date("1988", calendar="gregorian").calendar == "gregorian"
    with pytest.raises(DateParseError):
        parse_date("1988", calendar="hijri")


def test_partial_date_helpers():
    d = parse_date("Mordad 1367")
    assert d.days == 31
    assert D(1988, 7, 30) in d
    assert D(1988, 8, 23) not in d


def test_every_jalali_day_1300_to_1420_matches_jdatetime():
    checked = 0
    for year in range(1300, 1421):
        for month in range(1, 13):
            length = jalali_month_length(year, month)
            assert length == jdatetime.j_days_in_month[month - 1] + (
                1 if month == 12 and jdatetime.date(year, 1, 1).isleap() else 0
            )
            for day in range(1, length + 1):
                expected = jdatetime.date(year, month, day).togregorian()
                d = parse_date(f"{year}/{month}/{day}")
                assert d.earliest == d.latest == expected, (year, month, day)
                checked += 1
    first, end = jdatetime.date(1300, 1, 1).togregorian(), jdatetime.date(1421, 1, 1).togregorian()
    assert checked == (end - first).days  # every day of 121 Jalali years


@given(st.text(max_size=30))
def test_only_date_parse_errors(text):
    try:
        d = parse_date(text)
    except DateParseError:
        return
    assert d is None or d.earliest <= d.latest
