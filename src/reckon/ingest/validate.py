"""Turning one input row into record columns: names and dates normalized, bad values reported.

Pure functions: no database, no I/O. A row with any problem is rejected as a whole and each
problem is reported with file, row, column, value and reason; the rest of the file imports.

The rules for each field (`clean`, `composed_name`, `name_columns`, `father_columns`,
`read_gender`, `read_age`, `read_date`, `check_dates`, `search_text`) are shared by
`normalize_row`, which says what one row becomes as a dict, by
:mod:`reckon.ingest.normalizer`, which applies them to a whole file at import speed, and by
:mod:`reckon.ingest.renormalize`, which recomputes stored records' name columns after the rules
of :mod:`reckon.text` changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from reckon.errors import DateParseError, RowProblem
from reckon.ingest.mapping import ColumnMapping
from reckon.text import (
    NormalizedName,
    PartialDate,
    name_key,
    normalize_name,
    parse_date,
    to_ascii_digits,
)

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
_name_key = lru_cache(maxsize=1 << 16)(name_key)
#: Keys are cut to the length of their column (only their start matters for matching).
KEY_LENGTH = 200
_parse_date = lru_cache(maxsize=1 << 14)(parse_date)
_AGE = re.compile(r"^\s*(\d{1,3})\s*(?:years?|y|ساله|سال)?\s*$", re.IGNORECASE)


#: The record columns made from the name as written, in the order `name_columns` returns them.
NAME_COLUMNS = (
    "name_script",
    "name_normalized",
    "name_key",
    "name_keys",
    "honorifics",
    "search_text",
)
#: The record columns made from the father's name, in the order `father_columns` returns them.
FATHER_COLUMNS = ("father_normalized", "father_key")


@dataclass
class RowResult:
    """The record columns of one row, or the problems that reject it."""

    row_number: int
    columns: dict
    problems: list[RowProblem]
    warnings: list[str]


def clean(value: str | None) -> str | None:
    """A cell's text without surrounding blanks; None for a blank or "unknown" placeholder."""
    if value is None:
        return None
    value = value.strip()
    return None if value.casefold() in _UNKNOWN else value


def composed_name(full: str | None, given: str | None, family: str | None) -> str:
    """The name a record is matched by: the full name, else the given and family names."""
    return full or " ".join(p for p in (given, family) if p)


def name_columns(composed: str) -> tuple:
    """The :data:`NAME_COLUMNS` of a record whose composed name is `composed` (name_keys as a
    tuple of keys; the import stores it as a JSON list)."""
    name = normalize_name(composed)  # memoized per name by reckon.text
    return (
        name.script,
        name.normalized or None,
        name.key[:KEY_LENGTH] or None,  # a key is for matching: its first 200 do that
        name.keys,
        " ".join(name.honorifics)[:KEY_LENGTH] or None,
        search_text(name),
    )


def father_columns(father_name: str | None) -> tuple[str | None, str | None]:
    """The :data:`FATHER_COLUMNS` of a record whose father's name (cleaned) is `father_name`."""
    father = normalize_name(father_name)
    return father.normalized or None, father.key[:KEY_LENGTH] or None


def read_gender(text: str) -> tuple[str | None, str | None]:
    """("m" | "f" | "x", None) for a known spelling, else (None, the reason it is rejected)."""
    gender = _GENDERS.get(text.casefold().strip(". "))
    if gender is None:
        return None, "unknown gender; use male/female/other or مرد/زن"
    return gender, None


def read_age(text: str) -> tuple[int | None, str | None]:
    """(years, None), or (None, the reason it is rejected)."""
    match = _AGE.match(to_ascii_digits(text))
    if not match or int(match.group(1)) > 120:
        return None, "age must be a whole number of years between 0 and 120"
    return int(match.group(1)), None


def read_date(
    text: str, mapping: ColumnMapping, dayfirst: bool | None = None
) -> tuple[PartialDate | None, str | None]:
    """(the date interval, None), or (None, the reason it is rejected). ``dayfirst`` decides
    ambiguous numeric dates where the mapping does not."""
    try:
        parsed = _parse_date(
            text,
            calendar=mapping.calendar,
            century_jalali=mapping.century_jalali,
            century_gregorian=mapping.century_gregorian,
            dayfirst=mapping.dayfirst if mapping.dayfirst is not None else dayfirst,
        )
    except DateParseError as error:
        return None, error.reason
    return parsed, None


def check_dates(
    birth: PartialDate | None, death: PartialDate | None, age: int | None
) -> tuple[str | None, str | None]:
    """(problem, warning) from a row's birth date, death date and age taken together."""
    if birth is None or death is None:
        return None, None
    if death.latest < birth.earliest:
        return "death date is before the birth date", None
    if age is not None:
        low = (death.earliest - birth.latest).days // 365
        high = (death.latest - birth.earliest).days // 365 + 1
        if not (low - 1 <= age <= high + 1):
            return None, f"age: {age} does not fit the birth and death dates ({low}-{high})"
    return None, None


FORMULA_WITHOUT_VALUE = (
    "spreadsheet formula with no stored value; open and save the file in a "
    "spreadsheet program, or paste the values"
)


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
    values = {f: clean(raw.get(h)) for f, h in mapping.columns.items()}
    columns: dict = {f: values.get(f) for f in _TEXT_FIELDS}

    def problem(field_name: str | None, reason: str) -> None:
        header = mapping.columns.get(field_name) if field_name else None
        value = raw.get(header) if header else None
        problems.append(RowProblem(file, row_number, header, value, reason))

    for note in cell_notes or ():
        kind, _, header = note.partition(":")
        if kind == "formula":
            problems.append(
                RowProblem(file, row_number, header, raw.get(header), FORMULA_WITHOUT_VALUE)
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
    script, normalized, key, keys, honorifics, search = name_columns(
        composed_name(full, given, family)
    )
    father_normalized, father_key = father_columns(values.get("father_name"))
    columns.update(
        full_name=full,
        given_name=given,
        family_name=family,
        father_name=values.get("father_name"),
        name_script=script,
        name_normalized=normalized,
        name_key=key,
        name_keys=list(keys),
        honorifics=honorifics,
        father_normalized=father_normalized,
        father_key=father_key,
        search_text=search,
    )

    gender_text = values.get("gender")
    gender = None
    if gender_text:
        gender, reason = read_gender(gender_text)
        if reason:
            problem("gender", reason)
    columns.update(gender=gender, gender_text=gender_text)

    age = None
    if values.get("age"):
        age, reason = read_age(values["age"])
        if reason:
            problem("age", reason)
    columns["age"] = age

    dates = {}
    for field_name, prefix in (("birth_date", "birth"), ("death_date", "death")):
        text = values.get(field_name)
        parsed = None
        if text:
            parsed, reason = read_date(text, mapping)
            if reason:
                problem(field_name, reason)
        dates[prefix] = parsed
        columns.update(
            {
                f"{prefix}_earliest": parsed.earliest if parsed else None,
                f"{prefix}_latest": parsed.latest if parsed else None,
                f"{prefix}_calendar": parsed.calendar if parsed else None,
                f"{prefix}_precision": parsed.precision if parsed else None,
                f"{prefix}_text": text,
            }
        )
        if parsed is not None:
            warnings.extend(f"{field_name}: {w}" for w in parsed.warnings)

    reason, warning = check_dates(dates["birth"], dates["death"], age)
    if reason:
        problem("death_date", reason)
    if warning:
        warnings.append(warning)
    columns["warnings"] = warnings
    return RowResult(row_number, columns, problems, warnings)


def search_text(name: NormalizedName) -> str | None:
    """Everything a search may hit: normalized forms, whole-name keys and per-token keys."""
    if not name.normalized:
        return None
    parts = [name.original.casefold(), name.normalized, *name.keys, *map(_name_key, name.tokens)]
    return " | ".join(dict.fromkeys(filter(None, parts)))  # each once, in order
