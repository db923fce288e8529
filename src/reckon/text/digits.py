"""Persian and Arabic-Indic digits.

>>> to_ascii_digits("۱۳۶۷/۰۵/۰۸")
'1367/05/08'
>>> to_ascii_digits("١٣٦٧")
'1367'
>>> to_persian_digits("1367/5/8")
'۱۳۶۷/۵/۸'
"""

from __future__ import annotations

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"  # U+06F0..U+06F9
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"  # U+0660..U+0669
ASCII_DIGITS = "0123456789"

_TO_ASCII = str.maketrans(PERSIAN_DIGITS + ARABIC_INDIC_DIGITS, ASCII_DIGITS * 2)
_TO_PERSIAN = str.maketrans(ASCII_DIGITS + ARABIC_INDIC_DIGITS, PERSIAN_DIGITS * 2)


def to_ascii_digits(text: str) -> str:
    """Replace Persian (۰–۹) and Arabic-Indic (٠–٩) digits with ASCII digits; leave the rest."""
    return text.translate(_TO_ASCII)


def to_persian_digits(text: str) -> str:
    """Replace ASCII and Arabic-Indic digits with Persian digits (۰–۹); leave the rest."""
    return text.translate(_TO_PERSIAN)
