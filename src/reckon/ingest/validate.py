"""Turning one input row into record columns: names and dates normalized, bad values reported.

Pure functions: no database, no I/O. A row with any problem is rejected as a whole and each
problem is reported with file, row, column, value and reason; the rest of the file imports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from reckon.errors import DateParseError, RowProblem
from reckon.ingest.mapping import ColumnMapping
from reckon.text import name_key, normalize_name, parse_date, to_ascii_digits

_GENDERS = {
    "m": "m", "male": "m", "man": "m", "boy": "m", "مرد": "m", "مذکر": "m", "آقا": "m",
    "پسر": "m", "ذکر": "m", "م": "m", "mard": "m",
    "f": "f", "female": "f", "woman": "f", "girl": "f", "زن": "f", "مونث": "f", "مؤنث": "f",
    "خانم": "f", "دختر": "f", "انثی": "f", "ز": "f", "zan": "f",
    "x": "x", "other": "x", "diverse": "x", "سایر": "x", "دیگر": "x",
}  # fmt: skip
_UNKNOWN = {"", "?", "-", "--", "n/a", "na", "unknown", "نامعلوم", "نامشخص", "؟"}
_TEXT_FIELDS = (
    "source_record_id",
    "place_of_detention",
    "place_of_death",
    "city",
    "affiliation",
    "fate",
    "notes",
)
# Lists repeat names and dates endlessly: normalize each distinct string once.
_normalize_name = lru_cache(maxsize=1 << 16)(normalize_name)
_name_key = lru_cache(maxsize=1 << 16)(name_key)
_parse_date = lru_cache(maxsize=1 << 14)(parse_date)
_AGE = re.compile(r"^\s*(\d{1,3})\s*(?:years?|y|ساله|سال)?\s*$", re.IGNORECASE)


@dataclass
class RowResult:
    """The record columns of one row, or the problems that reject it."""

    row_number: int
    columns: dict
    problems: list[RowProblem]
    warnings: list[str]


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return None if value.casefold() in _UNKNOWN else value


def normalize_row(
    file: str,
    row_number: int,
    raw: dict[str, str | None],
    mapping: ColumnMapping,
    cell_notes: list[str] | None = None,
) -> RowResult:
    """Validate and normalize one row (`raw` maps header -> text as written).

    `cell_notes` are the reader's remarks on cells ("formula:HEADER" for a formula with no
    stored value, "formula-value:HEADER" for one whose stored value was used).
    """
    problems: list[RowProblem] = []
    warnings: list[str] = []
    values = {f: _clean(raw.get(h)) for f, h in mapping.columns.items()}
    columns: dict = {f: values.get(f) for f in _TEXT_FIELDS}

    def problem(field_name: str | None, reason: str) -> None:
        header = mapping.columns.get(field_name) if field_name else None
        value = raw.get(header) if header else None
        problems.append(RowProblem(file, row_number, header, value, reason))

    for note in cell_notes or ():
        kind, _, header = note.partition(":")
        if kind == "formula":
            problems.append(
                RowProblem(
                    file,
                    row_number,
                    header,
                    raw.get(header),
                    "spreadsheet formula with no stored value; open and save the file in a "
                    "spreadsheet program, or paste the values",
                )
            )
        elif kind == "formula-value":
            warnings.append(f"{header}: value computed by a spreadsheet formula")

    full, given, family = (
        values.get("full_name"),
        values.get("given_name"),
        values.get("family_name"),
    )
    if not (full or given or family):
        problems.append(RowProblem(file, row_number, None, None, "no name in any name column"))
    composed = full or " ".join(p for p in (given, family) if p)
    name = _normalize_name(composed)
    father = _normalize_name(values.get("father_name"))
    columns.update(
        full_name=full,
        given_name=given,
        family_name=family,
        father_name=values.get("father_name"),
        name_script=name.script,
        name_normalized=name.normalized or None,
        name_key=name.key or None,
        name_keys=list(name.keys),
        honorifics=" ".join(name.honorifics) or None,
        father_normalized=father.normalized or None,
        father_key=father.key or None,
        search_text=_search_text(name),
    )

    gender_text = values.get("gender")
    gender = None
    if gender_text:
        gender = _GENDERS.get(gender_text.casefold().strip(". "))
        if gender is None:
            problem("gender", "unknown gender; use male/female/other or مرد/زن")
    columns.update(gender=gender, gender_text=gender_text)

    age = None
    if values.get("age"):
        match = _AGE.match(to_ascii_digits(values["age"]))
        if not match or int(match.group(1)) > 120:
            problem("age", "age must be a whole number of years between 0 and 120")
        else:
            age = int(match.group(1))
    columns["age"] = age

    for field_name, prefix in (("birth_date", "birth"), ("death_date", "death")):
        text = values.get(field_name)
        parsed = None
        if text:
            try:
                parsed = _parse_date(
                    text,
                    calendar=mapping.calendar,
                    century_jalali=mapping.century_jalali,
                    century_gregorian=mapping.century_gregorian,
                    dayfirst=mapping.dayfirst,
                )
            except DateParseError as error:
                problem(field_name, error.reason)
        if parsed is not None:
            columns.update(
                {
                    f"{prefix}_earliest": parsed.earliest,
                    f"{prefix}_latest": parsed.latest,
                    f"{prefix}_calendar": parsed.calendar,
                    f"{prefix}_precision": parsed.precision,
                    f"{prefix}_text": text,
                }
            )
            warnings.extend(f"{field_name}: {w}" for w in parsed.warnings)
        else:
            columns.update(
                {
                    f"{prefix}_earliest": None,
                    f"{prefix}_latest": None,
                    f"{prefix}_calendar": None,
                    f"{prefix}_precision": None,
                    f"{prefix}_text": text,
                }
            )

    birth, death = columns["birth_earliest"], columns["death_latest"]
    if birth and death and columns["death_latest"] < birth:
        problem("death_date", "death date is before the birth date")
    elif birth and death and age is not None:
        low = (columns["death_earliest"] - columns["birth_latest"]).days // 365
        high = (columns["death_latest"] - columns["birth_earliest"]).days // 365 + 1
        if not (low - 1 <= age <= high + 1):
            warnings.append(f"age: {age} does not fit the birth and death dates ({low}-{high})")
    columns["warnings"] = warnings
    return RowResult(row_number, columns, problems, warnings)


def _search_text(name) -> str | None:
    """Everything a search may hit: normalized forms, whole-name keys and per-token keys."""
    if not name.normalized:
        return None
    parts = [name.original.casefold(), name.normalized, *name.keys]
    parts += [_name_key(token) for token in name.tokens]
    return " | ".join(dict.fromkeys(p for p in parts if p))
