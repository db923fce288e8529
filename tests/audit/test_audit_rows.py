"""Rows the log covers, and stored files: each alteration, deletion or insertion is named."""

from __future__ import annotations

import csv

import pytest
from sqlalchemy import func, select, text

from reckon import audit
from reckon.audit.log import INLINE_ROWS
from reckon.cli.app import main
from reckon.evidence import FileStore
from reckon.ingest import import_file
from reckon.model import AuditRowIndex, ImportBatch, Record


def _findings(result) -> list[tuple[str, str, str | None, str | None]]:
    return [(f.kind, f.target, f.table, f.row_id) for f in result.findings]


def _record_ids(project) -> list[int]:
    with project.session() as session:
        return list(session.scalars(select(Record.id).order_by(Record.id)))


def test_an_import_is_one_entry_covering_every_record(imported_project):
    entries = audit.list_entries(imported_project)
    assert [(e.seq, e.action, e.object_type) for e in entries] == [(1, "import", "import_batch")]
    covers = entries[0].change_data["covers"]
    assert [(c["table"], c["count"]) for c in covers] == [
        ("source", 1),
        ("import_batch", 1),
        ("record", 8),
    ]
    result = audit.verify_project(imported_project)
    assert result.ok, result.summary()
    assert result.rows == 10


def test_record_edited_with_plain_sql_is_named(imported_project, tamper):
    victim = _record_ids(imported_project)[2]
    tamper(imported_project, "UPDATE record SET full_name = 'Someone Else' WHERE id = :i", i=victim)
    result = audit.verify_project(imported_project)
    assert _findings(result) == [("altered", "row", "record", str(victim))]
    assert result.findings[0].seq == 1
    assert "Someone Else" not in result.summary()


def test_record_deleted_and_inserted_are_named(imported_project, tamper):
    ids = _record_ids(imported_project)
    tamper(imported_project, "DELETE FROM record WHERE id = :i", i=ids[4])
    tamper(
        imported_project,
        "INSERT INTO record (id, source_id, batch_id, row_number, raw, name_keys, warnings, "
        "sensitivity, created_at) SELECT 1000, source_id, batch_id, 99, raw, name_keys, "
        "warnings, sensitivity, created_at FROM record WHERE id = :i",
        i=ids[0],
    )
    result = audit.verify_project(imported_project)
    assert sorted(_findings(result)) == [
        ("deleted", "row", "record", str(ids[4])),
        ("inserted", "row", "record", "1000"),
    ]


def test_batch_and_source_rows_are_covered(imported_project, tamper):
    tamper(imported_project, "UPDATE import_batch SET rows_imported = 7")
    tamper(imported_project, "UPDATE source SET description = 'rewritten'")
    result = audit.verify_project(imported_project)
    assert sorted(_findings(result)) == [
        ("altered", "row", "import_batch", "1"),
        ("altered", "row", "source", "1"),
    ]


def test_rows_inserted_with_no_entry_at_all(imported_project, tamper):
    tamper(
        imported_project,
        "INSERT INTO import_batch (id, source_id, file_name, sha256, size_bytes, file_format, "
        "imported_at, imported_by, rows_read, rows_imported, rows_rejected, mapping, headers) "
        "SELECT 50, source_id, 'fake.csv', 'f' || substr(sha256, 2), size_bytes, file_format, imported_at, "
        "'mallory', 1, 1, 0, mapping, headers FROM import_batch WHERE id = 1",
    )
    tamper(
        imported_project,
        "INSERT INTO record (id, source_id, batch_id, row_number, raw, name_keys, warnings, "
        "sensitivity, created_at) SELECT 2000, source_id, 50, 1, raw, name_keys, warnings, "
        "sensitivity, created_at FROM record WHERE row_number = 1",
    )
    result = audit.verify_project(imported_project)
    assert sorted(_findings(result)) == [
        ("deleted", "file", None, None),  # the fake batch's file is not in the store either
        ("inserted", "row", "import_batch", "50"),
        ("inserted", "row", "record", "2000"),
    ]
    assert any("no audit entry" in str(f) for f in result.findings)


def test_swapped_row_numbers_are_caught(imported_project, tamper):
    ids = _record_ids(imported_project)
    tamper(imported_project, "UPDATE record SET row_number = -1 WHERE id = :i", i=ids[0])
    tamper(imported_project, "UPDATE record SET row_number = 1 WHERE id = :i", i=ids[1])
    tamper(imported_project, "UPDATE record SET row_number = 2 WHERE id = :i", i=ids[0])
    result = audit.verify_project(imported_project)
    assert sorted(_findings(result)) == [
        ("altered", "row", "record", str(ids[0])),
        ("altered", "row", "record", str(ids[1])),
    ]


@pytest.fixture
def large_import(empty_project, tmp_path):
    """An import larger than an inline row index: its index lives in audit_row_index."""
    path = tmp_path / "large.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "full name", "date of execution", "prison"])
        for i in range(INLINE_ROWS * 3):
            writer.writerow([f"L-{i}", f"Person{i} Testname{i % 17}", "1367/05/08", "Evin"])
    import_file(empty_project, path, "Large list", actor="alice")
    return empty_project


def test_large_import_names_the_altered_row(large_import, tamper):
    with large_import.session() as session:
        assert session.scalar(select(func.count()).select_from(AuditRowIndex)) == 1
    ids = _record_ids(large_import)
    tamper(large_import, "UPDATE record SET city = 'Elsewhere' WHERE id = :i", i=ids[100])
    tamper(large_import, "DELETE FROM record WHERE id = :i", i=ids[7])
    result = audit.verify_project(large_import)
    assert sorted(_findings(result)) == [
        ("altered", "row", "record", str(ids[100])),
        ("deleted", "row", "record", str(ids[7])),
    ]


def test_tampered_row_index_is_reported(large_import, tamper):
    ids = _record_ids(large_import)
    tamper(large_import, "UPDATE record SET city = 'Elsewhere' WHERE id = :i", i=ids[3])
    tamper(large_import, "UPDATE audit_row_index SET digests = ids")
    result = audit.verify_project(large_import)
    assert [(f.kind, f.target, f.table) for f in result.findings] == [
        ("altered", "row_index", "record")
    ]


def test_a_later_audited_change_supersedes_the_import_cover(imported_project):
    record_id = _record_ids(imported_project)[0]
    with imported_project.transaction() as session:
        session.execute(
            text("UPDATE record SET notes = 'corrected' WHERE id = :i"), {"i": record_id}
        )
        audit.append(
            session,
            actor="alice",
            action="record.correct",
            object_type="record",
            object_id=record_id,
            change={"field": "notes"},
            covers=[audit.RowSet.row("record", record_id)],
        )
    assert audit.verify_project(imported_project).ok


def test_flipped_byte_in_a_stored_file_is_named(imported_project):
    with imported_project.session() as session:
        sha = session.scalar(select(ImportBatch.sha256))
    path = FileStore(imported_project.files_dir).path_for(sha)
    path.chmod(0o644)
    data = bytearray(path.read_bytes())
    data[10] ^= 0x01
    path.write_bytes(bytes(data))
    result = audit.verify_project(imported_project)
    assert [(f.kind, f.target, f.sha256) for f in result.findings] == [("altered", "file", sha)]
    assert "import batch 1" in str(result.findings[0])


def test_deleted_stored_file_is_named(imported_project):
    with imported_project.session() as session:
        sha = session.scalar(select(ImportBatch.sha256))
    FileStore(imported_project.files_dir).path_for(sha).unlink()
    result = audit.verify_project(imported_project)
    assert [(f.kind, f.target, f.sha256) for f in result.findings] == [("deleted", "file", sha)]


def _run(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    out = capsys.readouterr()
    return exit_info.value.code, out.out, out.err


def test_verify_command_exit_status(imported_project, tamper, capsys):
    root = str(imported_project.root)
    code, out, _ = _run(["-p", root, "verify"], capsys)
    assert code == 0 and "INTACT" in out
    tamper(imported_project, "UPDATE record SET age = 99 WHERE id = (SELECT MIN(id) FROM record)")
    code, out, _ = _run(["-p", root, "verify", "--json"], capsys)
    assert code == 1
    assert '"kind": "altered"' in out and '"table": "record"' in out


def test_many_single_row_covers_are_checked_in_chunks(empty_project, tamper):
    from reckon.model import Place

    with empty_project.transaction() as session:
        for n in range(1100):
            place = Place(name_latin=f"Place {n}", kind="city")
            session.add(place)
            session.flush()
            audit.append(
                session, actor="alice", action="place.add", object_type="place",
                object_id=place.id, covers=[audit.RowSet.row("place", place.id)],
            )  # fmt: skip
    assert audit.verify_project(empty_project).ok
    tamper(empty_project, "UPDATE place SET notes = 'moved' WHERE id = 777")
    tamper(empty_project, "DELETE FROM place WHERE id = 1001")
    tamper(
        empty_project,
        "INSERT INTO place (id, kind, created_at) VALUES (5000, 'city', '2020-01-01')",
    )
    result = audit.verify_project(empty_project)
    assert sorted(_findings(result)) == [
        ("altered", "row", "place", "777"),
        ("deleted", "row", "place", "1001"),
        ("inserted", "row", "place", "5000"),
    ]
