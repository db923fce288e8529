"""The ingest matrix: every format and encoding, with real Persian text, on each backend."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from reckon.ingest import import_file
from reckon.model import ImportBatch, Record
from tests.ingest.conftest import HEADERS, ROWS, write_delimited, write_json, write_xlsx

CASES = {
    "csv-utf8": lambda p: write_delimited(p / "l.csv", HEADERS, ROWS),
    "csv-utf8-bom": lambda p: write_delimited(p / "l.csv", HEADERS, ROWS, encoding="utf-8-sig"),
    "csv-utf16": lambda p: write_delimited(p / "l.csv", HEADERS, ROWS, encoding="utf-16"),
    "tsv-utf8": lambda p: write_delimited(p / "l.tsv", HEADERS, ROWS, delimiter="\t"),
    "xlsx": lambda p: write_xlsx(p / "l.xlsx", HEADERS, ROWS),
    "json": lambda p: write_json(p / "l.json", HEADERS, ROWS),
    "jsonl": lambda p: write_json(p / "l.jsonl", HEADERS, ROWS, lines=True),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_format_keeps_persian_text_and_normalizes(case, empty_project, tmp_path):
    path = CASES[case](tmp_path)
    result = import_file(empty_project, path, "List", actor="tester")
    assert (result.rows_read, result.rows_imported, result.rows_rejected) == (3, 3, 0)
    with empty_project.session() as session:
        records = session.scalars(select(Record).order_by(Record.row_number)).all()
        first = records[0]
        assert first.given_name == "محمدرضا" and first.family_name == "کریمی"
        assert first.raw["یادداشت اضافی"] == "ستون بدون نگاشت"  # unmapped, kept verbatim
        assert first.source_record_id == "A-1"
        assert (first.death_earliest, first.death_latest) == (date(1988, 7, 30), date(1988, 7, 30))
        assert first.death_calendar == "jalali" and first.death_text == "۱۳۶۷/۰۵/۰۸"
        assert first.name_key  # cross-script key computed
        month = records[1]
        assert (month.death_earliest, month.death_latest) == (date(1988, 7, 23), date(1988, 8, 22))
        assert month.death_precision == "month"
        assert [r.row_number for r in records] == [1, 2, 3]
        batch = session.scalars(select(ImportBatch)).one()
        assert batch.sha256 == result.sha256 and batch.imported_by == "tester"
        assert batch.rows_imported == 3
    stored = empty_project.files_dir / result.sha256[:2] / result.sha256[2:]
    assert stored.read_bytes() == path.read_bytes()


def test_windows_1256_is_detected(sqlite_project, examples_dir):
    result = import_file(sqlite_project, examples_dir / "family_testimonies.csv", "Families")
    assert result.encoding == "cp1256"
    with sqlite_project.session() as session:
        record = session.scalars(select(Record).where(Record.row_number == 1)).one()
        assert record.family_name == "کريمي"  # Arabic yeh kept exactly as written
        assert record.raw["نام"] == "محمدرضا".replace("ی", "ي")


def test_sample_lists_import(sqlite_project, examples_dir):
    counts = {}
    for name in ("ngo_list.csv", "family_testimonies.csv", "press_reports.tsv"):
        result = import_file(sqlite_project, examples_dir / name, name)
        counts[name] = (result.rows_imported, result.rows_rejected)
    assert counts == {
        "ngo_list.csv": (8, 0),
        "family_testimonies.csv": (7, 0),
        "press_reports.tsv": (6, 0),
    }


def test_reimport_same_file_is_a_noop(project_with_one_list, tmp_path):
    from tests.ingest.conftest import snapshot

    before = snapshot(project_with_one_list)
    path = write_delimited(tmp_path / "first.csv", HEADERS, ROWS)
    result = import_file(project_with_one_list, path, "First list")
    assert result.already_imported
    assert snapshot(project_with_one_list) == before


def test_same_file_into_another_source_imports(project_with_one_list, tmp_path):
    path = write_delimited(tmp_path / "first.csv", HEADERS, ROWS)
    result = import_file(project_with_one_list, path, "Second list")
    assert not result.already_imported and result.rows_imported == 3


def test_mapping_file_overrides_automatic(sqlite_project, tmp_path):
    path = write_delimited(
        tmp_path / "odd.csv", ["Victim", "Killed on", "Where"], [["Ali Rezaei", "7/5/1367", "Evin"]]
    )
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        "columns:\n  full_name: Victim\n  death_date: Killed on\n  place_of_detention: Where\n"
        "dates:\n  calendar: jalali\n  dayfirst: true\n"
    )
    result = import_file(sqlite_project, path, "Odd", mapping_file=mapping)
    assert result.rows_imported == 1
    with sqlite_project.session() as session:
        record = session.scalars(select(Record)).one()
        assert record.place_of_detention == "Evin"
        assert record.death_earliest == date(1988, 7, 29)  # 7 Mordad 1367


def test_worker_processes_give_the_same_records(tmp_path):
    from reckon import audit
    from reckon.store import init_project

    rows = [
        [f"A-{i}", "محمدرضا", f"کریمی{i % 700}", "حسن", "۱۳۶۷/۰۵/۰۸", "اوین", ""]
        for i in range(5000)
    ]
    rows[17][4] = "1367/13/01"  # one bad row, reported in order
    rows[4000][4] = "03/04/1988"  # an ambiguous date: a warning
    path = write_delimited(tmp_path / "many.csv", HEADERS, rows)
    stored = []
    for workers in (0, 1):
        project = init_project(tmp_path / f"p{workers}")
        result = import_file(project, path, "List", workers=workers)
        assert (result.rows_imported, result.rows_rejected) == (4999, 1)
        assert result.problems[0].row == 18
        assert audit.verify_project(project).ok
        columns = [c for c in Record.__table__.columns if c.name != "created_at"]
        with project.session() as session:
            stored.append(session.execute(select(*columns).order_by(Record.id)).all())
        project.close()
    assert stored[0] == stored[1]
    assert any(row.warnings for row in stored[0])


def test_blank_lines_are_skipped_and_empty_cells_are_null(sqlite_project, tmp_path):
    path = tmp_path / "blanks.csv"
    path.write_text("name,surname,notes\n , ,\t\nHamid,Nouri,\n,,\nAli,,x\n", encoding="utf-8")
    result = import_file(sqlite_project, path, "Blanks")
    assert (result.rows_read, result.rows_imported) == (2, 2)
    with sqlite_project.session() as session:
        records = session.scalars(select(Record).order_by(Record.row_number)).all()
    assert [r.row_number for r in records] == [2, 4]
    assert records[0].raw == {"name": "Hamid", "surname": "Nouri", "notes": None}
    assert records[1].family_name is None and records[1].raw["surname"] is None


def test_the_cycle_collector_is_paused_only_during_an_import(sqlite_project, tmp_path):
    import gc

    from reckon.ingest.pipeline import cycle_collection_paused

    with cycle_collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with cycle_collection_paused():
            pass
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()
    import_file(sqlite_project, write_delimited(tmp_path / "l.csv", HEADERS, ROWS), "List")
    assert gc.isenabled()
