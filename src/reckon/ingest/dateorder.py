"""Which number comes first — day or month — in a column of numeric dates, read from the column.

A list keeps one convention: a European typist writes 16.08.1988, an American 08/16/1988. A date
such as 05.08.1988 reads either way, and on its own it is reported as ambiguous (an interval
spanning both readings). But when the same column also holds 16.08.1988 and 28.08.1988 and never
a month above 12 in first place, the column says how to read it. Import collects that evidence
from the values themselves and reads the ambiguous ones accordingly, with a warning saying so;
a column that mixes both orders decides nothing.

    >>> order_evidence("16.08.1988"), order_evidence("08/16/1988"), order_evidence("05.08.1988")
    ('day', 'month', None)
    >>> DayOrder(day=40, month=0).dayfirst, DayOrder(day=40, month=9).dayfirst
    (True, None)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from reckon.text import to_ascii_digits

# day-month-year or month-day-year with a 2- or 4-digit year last (year-first dates are ISO or
# Jalali and never ambiguous)
_NUMERIC = re.compile(r"^\s*(\d{1,2})\s*[./\-]\s*(\d{1,2})\s*[./\-]\s*(\d{2}|\d{4})\s*$")

#: Evidence needed before a column decides: at least this many unambiguous values, and the
#: other order at most ``MAX_CONTRARY`` of them (a typo, not a second convention).
MIN_EVIDENCE = 3
MAX_CONTRARY = 0.02


def order_evidence(text: str | None) -> str | None:
    """``"day"`` if ``text`` is a numeric date that can only be day first (16.08.1988),
    ``"month"`` if only month first (08/16/1988), else ``None``."""
    if not text:
        return None
    match = _NUMERIC.match(to_ascii_digits(text))
    if not match:
        return None
    first, second = int(match.group(1)), int(match.group(2))
    if 12 < first <= 31 and 1 <= second <= 12:
        return "day"
    if 12 < second <= 31 and 1 <= first <= 12:
        return "month"
    return None


@dataclass
class DayOrder:
    """Counts of day-first and month-first values seen in one column."""

    day: int = 0
    month: int = 0

    def add(self, text: str | None) -> None:
        order = order_evidence(text)
        if order == "day":
            self.day += 1
        elif order == "month":
            self.month += 1

    def update(self, texts: Iterable[str | None]) -> DayOrder:
        for text in texts:
            self.add(text)
        return self

    @property
    def dayfirst(self) -> bool | None:
        """True (day first) or False (month first) when the evidence is clear, else None."""
        total = self.day + self.month
        if total < MIN_EVIDENCE:
            return None
        if self.month <= MAX_CONTRARY * total:
            return True
        if self.day <= MAX_CONTRARY * total:
            return False
        return None

    def note(self) -> str:
        """Why the column's order was chosen (the warning on each date it decided)."""
        if self.dayfirst is None:
            return "day/month order unknown"
        count, word = (self.day, "day") if self.dayfirst else (self.month, "month")
        return (
            f"day/month order taken from the column: {count} other dates in it put the {word} first"
        )
