"""Which input column holds which record field: automatic for common headers, or a YAML file.

Headers match whatever their case, spacing, punctuation, Arabic/Persian letter forms or
zero-width non-joiners. A mapping file looks like::

    columns:
      full_name: "Name (as written)"
      death_date: "تاریخ اعدام"
    dates:
      calendar: jalali        # default calendar when a date does not say (jalali | gregorian)
      dayfirst: true          # read 03/04/1988 as 3 April
      century_jalali: 1300    # two-digit years: 67 -> 1367
      century_gregorian: 1900

Columns not mapped to a field are kept in the record's raw row, never dropped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from reckon.errors import ConfigError, ImportFormatError

# Record fields an input column can fill.
FIELDS = (
    "source_record_id",
    "full_name",
    "given_name",
    "family_name",
    "father_name",
    "gender",
    "birth_date",
    "death_date",
    "age",
    "place_of_detention",
    "place_of_death",
    "city",
    "affiliation",
    "fate",
    "notes",
)
NAME_FIELDS = ("full_name", "given_name", "family_name")

# Header spellings recognised without a mapping file (compared after `header_key`).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "source_record_id": (
        "id",
        "record id",
        "no",
        "number",
        "ref",
        "reference",
        "شناسه",
        "ردیف",
        "شماره",
    ),
    "full_name": (
        "full name",
        "name and surname",
        "complete name",
        "victim",
        "victim name",
        "نام و نام خانوادگی",
        "نام کامل",
        "نام‌ونام‌خانوادگی",
        "اسم",
    ),
    "given_name": ("name", "first name", "given name", "forename", "firstname", "نام", "نام کوچک"),
    "family_name": (
        "surname",
        "last name",
        "family name",
        "lastname",
        "family",
        "نام خانوادگی",
        "فامیل",
        "شهرت",
    ),
    "father_name": ("father", "father's name", "fathers name", "father name", "نام پدر", "پدر"),
    "gender": ("gender", "sex", "جنسیت", "جنس"),
    "birth_date": (
        "date of birth",
        "birth date",
        "birthdate",
        "dob",
        "born",
        "birth year",
        "year of birth",
        "تاریخ تولد",
        "سال تولد",
        "تولد",
    ),
    "death_date": (
        "date of execution",
        "execution date",
        "date of death",
        "death date",
        "date executed",
        "executed",
        "date killed",
        "تاریخ اعدام",
        "تاریخ فوت",
        "تاریخ مرگ",
        "تاریخ شهادت",
        "تاریخ جان باختن",
        "زمان اعدام",
        "تاریخ",
    ),
    "age": ("age", "age at death", "سن"),
    "place_of_detention": ("prison", "place of detention", "detention", "زندان", "محل بازداشت"),
    "place_of_death": (
        "place of death",
        "place of execution",
        "place of burial",
        "burial place",
        "burial",
        "grave",
        "محل اعدام",
        "محل دفن",
        "محل فوت",
        "محل شهادت",
        "آرامگاه",
    ),
    "city": ("city", "town", "hometown", "province", "شهر", "استان", "زادگاه"),
    "affiliation": (
        "affiliation",
        "organization",
        "organisation",
        "party",
        "political affiliation",
        "group",
        "وابستگی",
        "وابستگی سازمانی",
        "وابستگی سیاسی",
        "گرایش سیاسی",
        "گرایش",
        "سازمان",
        "هواداری",
    ),
    "fate": ("fate", "status", "سرنوشت", "وضعیت"),
    "notes": ("notes", "note", "comments", "remarks", "description", "توضیحات", "یادداشت"),
}

_ARABIC_TO_PERSIAN = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "أ": "ا", "إ": "ا"})
_SEPARATORS = re.compile(r"[\s\u200c\u200d\u00a0_\-.,;:/()\[\]'’`\"«»#]+")


def header_key(header: str) -> str:
    """A header reduced to what identifies it: case, spacing and punctuation dropped.

    >>> header_key("Date of Execution ") == header_key("date_of_execution")
    True
    >>> header_key("نام‌ خانوادگي") == header_key("نام خانوادگی")
    True
    """
    text = unicodedata.normalize("NFKC", header).casefold().translate(_ARABIC_TO_PERSIAN)
    return _SEPARATORS.sub("", text)


_AUTO = {header_key(s): f for f, spellings in SYNONYMS.items() for s in spellings}


@dataclass
class ColumnMapping:
    """Field -> header, plus the date-reading options of one import."""

    columns: dict[str, str]
    calendar: str | None = None
    dayfirst: bool | None = None
    century_jalali: int = 1300
    century_gregorian: int = 1900
    origin: str = "automatic"
    unmapped: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "columns": dict(self.columns),
            "dates": {
                "calendar": self.calendar,
                "dayfirst": self.dayfirst,
                "century_jalali": self.century_jalali,
                "century_gregorian": self.century_gregorian,
            },
            "origin": self.origin,
            "unmapped": list(self.unmapped),
        }


def automatic_mapping(headers: list[str]) -> dict[str, str]:
    """Map each recognised header to its field; the first header for a field wins."""
    columns: dict[str, str] = {}
    for header in headers:
        found = _AUTO.get(header_key(header))
        if found and found not in columns:
            columns[found] = header
    return columns


def load_mapping_file(path: Path) -> dict:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: mapping file not found") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: not valid YAML ({error})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping with a 'columns' section")
    return data


def resolve_mapping(
    headers: list[str], file: str, mapping_file: Path | None = None
) -> ColumnMapping:
    """Decide the mapping for a file: the YAML file's columns over the automatic ones."""
    columns = automatic_mapping(headers)
    dates: dict = {}
    origin = "automatic"
    if mapping_file is not None:
        data = load_mapping_file(mapping_file)
        origin = str(mapping_file)
        explicit = data.get("columns") or {}
        if not isinstance(explicit, dict):
            raise ConfigError(f"{mapping_file}: 'columns' must map field names to headers")
        by_key = {header_key(h): h for h in headers}
        for field_name, header in explicit.items():
            if field_name not in FIELDS:
                raise ConfigError(
                    f"{mapping_file}: unknown field {field_name!r}; fields are {', '.join(FIELDS)}"
                )
            if header is None:
                columns.pop(field_name, None)
                continue
            actual = by_key.get(header_key(str(header)))
            if actual is None:
                raise ImportFormatError(
                    file,
                    f"mapping names column {header!r} for {field_name}, but the file has no such "
                    f"column; its columns are: {', '.join(headers)}",
                )
            columns = {f: h for f, h in columns.items() if h != actual}
            columns[field_name] = actual
        dates = data.get("dates") or {}
    if not any(f in columns for f in NAME_FIELDS):
        raise ImportFormatError(
            file,
            "no name column found (full name, name or surname, in English or Persian); "
            f"its columns are: {', '.join(headers)}. Map one with --mapping FILE.yaml",
        )
    calendar = dates.get("calendar")
    if calendar not in (None, "jalali", "gregorian"):
        raise ConfigError(f"{mapping_file}: dates.calendar must be jalali or gregorian")
    mapped = set(columns.values())
    return ColumnMapping(
        columns=columns,
        calendar=calendar,
        dayfirst=dates.get("dayfirst"),
        century_jalali=int(dates.get("century_jalali", 1300)),
        century_gregorian=int(dates.get("century_gregorian", 1900)),
        origin=origin,
        unmapped=[h for h in headers if h not in mapped],
    )
