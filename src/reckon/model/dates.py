"""A partial date as stored: an interval of Gregorian days plus how the source wrote it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class DateInterval:
    """Earliest and latest possible Gregorian day of a date, with its original text."""

    earliest: date | None
    latest: date | None
    calendar: str | None
    precision: str | None
    text: str | None

    def __bool__(self) -> bool:
        return self.earliest is not None

    def __str__(self) -> str:
        if self.earliest is None:
            return self.text or ""
        if self.latest is None or self.earliest == self.latest:
            span = self.earliest.isoformat()
        else:
            span = f"{self.earliest.isoformat()}..{self.latest.isoformat()}"
        return f"{span} (as written: {self.text}; {self.calendar}, {self.precision})"
