"""Persian and Arabic-Indic digits."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reckon.text import to_ascii_digits, to_persian_digits


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("۱۳۶۷/۰۵/۰۸", "1367/05/08"),
        ("١٣٦٧/٠٥/٠٨", "1367/05/08"),
        ("تاریخ ۸ مرداد", "تاریخ 8 مرداد"),
        ("1988", "1988"),
        ("", ""),
    ],
)
def test_to_ascii_digits(text, expected):
    assert to_ascii_digits(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"), [("1367/5/8", "۱۳۶۷/۵/۸"), ("٣", "۳"), ("abc", "abc")]
)
def test_to_persian_digits(text, expected):
    assert to_persian_digits(text) == expected


@given(st.text())
def test_digits_round_trip(text):
    ascii_form = to_ascii_digits(text)
    assert to_ascii_digits(to_persian_digits(ascii_form)) == ascii_form
    assert to_ascii_digits(ascii_form) == ascii_form


@given(st.integers(min_value=0, max_value=10**12))
def test_numbers_round_trip(n):
    assert to_ascii_digits(to_persian_digits(str(n))) == str(n)
    assert int(to_ascii_digits(to_persian_digits(str(n)))) == n
