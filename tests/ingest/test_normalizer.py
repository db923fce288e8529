"""The import's fast path (RecordNormalizer) stores what normalize_row says a row becomes."""

from __future__ import annotations

import json
import pickle
import random

import pytest

from reckon.errors import RowProblem
from reckon.ingest import normalizer as normalizer_module
from reckon.ingest.mapping import ColumnMapping
from reckon.ingest.normalizer import COLUMNS, RecordNormalizer
from reckon.ingest.validate import normalize_row
from reckon.model import Record

CONSTANTS = {"source_id": 3, "batch_id": 7, "sensitivity": "internal"}
EVERY_FIELD = {
    "source_record_id": "id",
    "full_name": "full name",
    "given_name": "name",
    "family_name": "surname",
    "father_name": "father",
    "gender": "gender",
    "birth_date": "born",
    "death_date": "executed",
    "age": "age",
    "place_of_detention": "prison",
    "place_of_death": "buried",
    "city": "city",
    "affiliation": "affiliation",
    "fate": "fate",
    "notes": "notes",
}
HEADERS = [*EVERY_FIELD.values(), "unmapped"]
CELLS = {
    "id": ["A-1", " 7 ", "", "?", 'q"uote'],
    "full name": ["", "", "", "NOURI, Seyed Hamid", "حاج محمد رضا  عبد الله‌زاده", "?"],
    "name": ["محمد", "Mohammad", "Ali Akbar", "", "نامعلوم", " Reza ", "Back\\slash", "x" * 250],
    "surname": ["کریمی", "Karimi", "Nouri", "", "-", "O'Neil", "tab\there", "line\nbreak"],
    "father": ["حسن", "Hassan", "", "?", "Gholam Hossein"],
    "gender": ["m", "Male", "زن", "F.", "", "robot", "?", "مرد"],
    "born": ["", "1340", "1950-01-01", "03/04/1950", "1367/13/01", "1990-01-01", "۱۳۳۰"],
    "executed": ["۱۳۶۷/۰۵/۰۸", "مرداد ۱۳۶۷", "1367", "1988-07-28", "31 Feb 1988", "", "tomorrow"],
    "age": ["30", "۳۵", "45 ساله", "200", "abc", "", " 25 years ", "0"],
    "prison": ["اوین", "Evin", "", "?", 'quote " place'],
    "buried": ["", "Khavaran", "خاوران"],
    "city": ["", "Tehran", "تهران", "n/a"],
    "affiliation": ["", "MEK", "Tudeh"],
    "fate": ["", "executed", "اعدام"],
    "notes": ["", "note", "—"],
    "unmapped": ["", "kept", "ستون"],
}


def _rows(count: int, seed: int = 5) -> list[tuple[int, list[str | None], list[str] | None]]:
    rnd = random.Random(seed)
    items = []
    for number in range(1, count + 1):
        values = [rnd.choice(CELLS[h]) or None for h in HEADERS]
        roll = rnd.random()
        if roll < 0.03:
            values = [*values, "overflow"]  # more fields than headers: rejected
        elif roll < 0.06:
            values = [*values, None]  # an empty extra field: ignored
        elif roll < 0.09:
            values = values[:5]  # a short row: the rest is empty
        notes = None
        if rnd.random() < 0.03:
            notes = [rnd.choice(["formula:age", "formula-value:city", "formula:nowhere"])]
        items.append((number, values, notes))
    return items


def _stored(column: str, value):
    """A column of normalize_row's dict in the form the import stores it."""
    if value is None:
        return None
    if column in ("raw", "name_keys", "warnings"):
        return json.dumps(value, ensure_ascii=False)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _reference(items, headers, mapping):
    """What normalize_row (one row, as a dict) says the import must store and report."""
    problems: list[RowProblem] = []
    rows = []
    width = len(headers)
    for number, values, notes in items:
        raw = {h: (values[i] if i < len(values) else None) for i, h in enumerate(headers)}
        if len(values) > width and any(values[width:]):
            reason = f"row has {len(values)} fields but the header has {width}"
            problems.append(RowProblem("list.csv", number, None, None, reason))
            continue
        result = normalize_row("list.csv", number, raw, mapping, notes)
        if result.problems:
            problems.extend(result.problems)
            continue
        columns = {
            **result.columns,
            **CONSTANTS,
            "row_number": number,
            "raw": raw,
            "created_at": "NOW",
        }
        rows.append({c: _stored(c, columns.get(c)) for c in COLUMNS})
    return rows, problems


@pytest.mark.parametrize(
    "fields",
    [
        EVERY_FIELD,
        {f: h for f, h in EVERY_FIELD.items() if f in ("given_name", "family_name", "age")},
        {"full_name": "full name", "death_date": "executed", "gender": "gender"},
    ],
    ids=["every-field", "names-and-age", "full-name-date-gender"],
)
@pytest.mark.parametrize("dayfirst", [None, True])
def test_same_records_and_problems_as_normalize_row(fields, dayfirst):
    mapping = ColumnMapping(dict(fields), calendar=None, dayfirst=dayfirst)
    items = _rows(3000)
    expected_rows, expected_problems = _reference(items, HEADERS, mapping)
    assert len(expected_rows) > 300 and len(expected_problems) > 300  # both paths exercised
    normalizer = RecordNormalizer("list.csv", HEADERS, mapping, CONSTANTS)
    chunks = [normalizer.normalize(items[i : i + 700], "NOW") for i in range(0, 3000, 700)]
    assert [p for c in chunks for p in c.problems] == expected_problems
    assert sum(c.read for c in chunks) == 3000
    assert sum(c.rejected for c in chunks) == 3000 - len(expected_rows)
    got = [dict(zip(normalizer.columns, row, strict=True)) for c in chunks for row in c.rows]
    # Columns left out of the tuples are the ones this mapping can never fill.
    for row in expected_rows:
        for column in set(COLUMNS) - set(normalizer.columns):
            assert row[column] is None, column
    assert got == [{c: row[c] for c in normalizer.columns} for row in expected_rows]
    assert any(row["warnings"] != "[]" for row in got) or "birth_date" not in fields


def test_forgetting_the_caches_changes_nothing(monkeypatch):
    mapping = ColumnMapping(dict(EVERY_FIELD))
    items = _rows(1500, seed=9)
    remembered = RecordNormalizer("list.csv", HEADERS, mapping, CONSTANTS)
    expected = [remembered.normalize(items[i : i + 100], "NOW") for i in range(0, 1500, 100)]
    monkeypatch.setattr(normalizer_module, "CACHE_LIMIT", 3)
    forgetful = RecordNormalizer("list.csv", HEADERS, mapping, CONSTANTS)
    assert [forgetful.normalize(items[i : i + 100], "NOW") for i in range(0, 1500, 100)] == expected


def test_columns_are_the_record_table_in_name_order():
    assert list(COLUMNS) == sorted(COLUMNS)
    assert set(COLUMNS) == {c.name for c in Record.__table__.columns} - {"id", "sealed"}


def test_a_normalizer_travels_to_workers_without_its_caches():
    mapping = ColumnMapping({"given_name": "name", "family_name": "surname"})
    normalizer = RecordNormalizer("list.csv", ["name", "surname"], mapping, CONSTANTS)
    chunk = normalizer.normalize([(1, ["Hamid", "Nouri"], None)], "NOW")
    copy = pickle.loads(pickle.dumps(normalizer))
    assert copy._names == {} and normalizer._names
    assert copy.normalize([(1, ["Hamid", "Nouri"], None)], "NOW") == chunk


def test_docstring_examples():
    import doctest

    assert doctest.testmod(normalizer_module).failed == 0


def test_workers_only_when_asked_for_and_the_file_is_large(monkeypatch):
    from reckon.ingest.pipeline import PARALLEL_MIN_BYTES, default_workers

    monkeypatch.delenv("RECKON_IMPORT_WORKERS", raising=False)
    assert default_workers(10 * PARALLEL_MIN_BYTES) == 0
    monkeypatch.setenv("RECKON_IMPORT_WORKERS", "1")
    assert default_workers(10 * PARALLEL_MIN_BYTES) == 1
    assert default_workers(PARALLEL_MIN_BYTES - 1) == 0
