"""Bad input: a clear error naming file, row, column and reason, and nothing stored changes."""

from __future__ import annotations

import csv
import zipfile

import pytest

from reckon.errors import ConfigError, ImportFormatError, ValidationError
from reckon.ingest import import_file
from tests.ingest.conftest import HEADERS, ROWS, snapshot, write_delimited, write_xlsx


def _unchanged(project, path, match, error=ImportFormatError, **options):
    before = snapshot(project)
    with pytest.raises(error, match=match) as caught:
        import_file(project, path, "Bad list", **options)
    assert snapshot(project) == before
    return caught.value


def test_empty_file(project_with_one_list, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    error = _unchanged(project_with_one_list, path, "empty")
    assert error.file.endswith("empty.csv")


def test_header_only_imports_nothing(project_with_one_list, tmp_path):
    path = write_delimited(tmp_path / "header.csv", HEADERS, [])
    result = import_file(project_with_one_list, path, "Header only")
    assert result.rows_read == 0 and result.rows_imported == 0


def test_truncated_csv(project_with_one_list, tmp_path):
    path = write_delimited(tmp_path / "cut.csv", HEADERS, ROWS)
    path.write_bytes(path.read_bytes() + '"A-4,"محمد'.encode())  # quote never closed
    error = _unchanged(project_with_one_list, path, "truncated")
    assert error.row == 4


def test_truncated_jsonl(project_with_one_list, tmp_path):
    path = tmp_path / "cut.jsonl"
    path.write_text('{"name": "علی", "surname": "رضایی"}\n{"name": "حسن", "surn')
    error = _unchanged(project_with_one_list, path, "not valid JSON")
    assert error.row == 2


def test_truncated_xlsx(project_with_one_list, tmp_path):
    path = write_xlsx(tmp_path / "cut.xlsx", HEADERS, ROWS)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    _unchanged(project_with_one_list, path, "not a readable XLSX")


def test_wrong_encoding_given(project_with_one_list, examples_dir):
    error = _unchanged(
        project_with_one_list, examples_dir / "family_testimonies.csv", "cp1256", encoding="utf-8"
    )
    assert "not valid utf-8" in error.reason


def test_missing_name_column(project_with_one_list, tmp_path):
    path = write_delimited(tmp_path / "noname.csv", ["Prison", "City"], [["Evin", "Tehran"]])
    _unchanged(project_with_one_list, path, "no name column found")


def test_duplicate_headers(project_with_one_list, tmp_path):
    path = write_delimited(tmp_path / "dup.csv", ["name", "city", "name"], [["a", "b", "c"]])
    error = _unchanged(project_with_one_list, path, "duplicate column header 'name'")
    assert "columns 1 and 3" in error.reason


def test_xlsx_formula_without_value_rejects_the_row(project_with_one_list, tmp_path):
    rows = [list(r) for r in ROWS]
    rows[1][4] = '=CONCATENATE("1367","/5/8")'  # openpyxl stores no computed value
    path = write_xlsx(tmp_path / "formula.xlsx", HEADERS, rows)
    result = import_file(project_with_one_list, path, "Formulas")
    assert (result.rows_imported, result.rows_rejected) == (2, 1)
    problem = result.problems[0]
    assert (problem.row, problem.column) == (2, "تاریخ اعدام")
    assert "formula" in problem.reason


def test_impossible_dates_are_reported_and_good_rows_import(project_with_one_list, tmp_path):
    rows = [list(r) for r in ROWS]
    rows[0][4] = "1367/13/01"  # month 13
    rows[2][4] = "30 Esfand 1367"  # 1367 is not a leap year
    path = write_delimited(tmp_path / "dates.csv", HEADERS, rows)
    result = import_file(project_with_one_list, path, "Dates")
    assert (result.rows_imported, result.rows_rejected) == (1, 2)
    assert [(p.file, p.row, p.column) for p in result.problems] == [
        ("dates.csv", 1, "تاریخ اعدام"),
        ("dates.csv", 3, "تاریخ اعدام"),
    ]
    with open(result.report_path, encoding="utf-8-sig") as handle:
        report = list(csv.DictReader(handle))
    assert [r["row"] for r in report] == ["1", "3"]
    assert report[0]["value"] == "1367/13/01" and report[0]["reason"]


def test_strict_aborts_on_any_bad_row(project_with_one_list, tmp_path):
    rows = [list(r) for r in ROWS]
    rows[1][4] = "1367/13/01"
    path = write_delimited(tmp_path / "strict.csv", HEADERS, rows)
    error = _unchanged(
        project_with_one_list, path, "nothing imported", ValidationError, strict=True
    )
    assert error.problems[0].row == 2


def test_bad_mapping_file(project_with_one_list, tmp_path):
    path = write_delimited(tmp_path / "l.csv", HEADERS, ROWS)
    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns:\n  full_name: No Such Column\n")
    _unchanged(project_with_one_list, path, "no such column", mapping_file=mapping)
    mapping.write_text("columns:\n  favourite_colour: نام\n")
    _unchanged(project_with_one_list, path, "unknown field", ConfigError, mapping_file=mapping)


def test_not_a_zip_named_xlsx(project_with_one_list, tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("name\nAli\n")
    assert not zipfile.is_zipfile(path)
    _unchanged(project_with_one_list, path, "not a readable XLSX")


def test_row_with_too_many_fields(project_with_one_list, tmp_path):
    path = write_delimited(tmp_path / "wide.csv", HEADERS, [*ROWS[:1], [*ROWS[1], "extra"]])
    result = import_file(project_with_one_list, path, "Wide")
    assert (result.rows_imported, result.rows_rejected) == (1, 1)
    assert "fields" in result.problems[0].reason


@pytest.mark.slow
def test_fifty_megabyte_file(sqlite_project, tmp_path):
    path = tmp_path / "big.csv"
    row = "محمدرضا,کریمی,حسن,۱۳۶۷/۰۵/۰۸,اوین,Mohammad-Reza Karimi son of Hassan\n"
    header = "نام,نام خانوادگی,نام پدر,تاریخ اعدام,زندان,notes\n"
    count = 50_000_000 // len(row.encode()) + 1
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(header)
        for _ in range(count):
            handle.write(row)
    assert path.stat().st_size >= 50_000_000
    result = import_file(sqlite_project, path, "Big")
    assert result.rows_imported == count and result.rows_rejected == 0
