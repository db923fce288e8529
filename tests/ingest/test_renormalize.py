"""`renormalize`: records imported under older name rules get what a fresh import gives them."""

from __future__ import annotations

import csv
import importlib
import json

import pytest
from sqlalchemy import select, text

from reckon import audit
from reckon.access import Actor
from reckon.errors import IntegrityError, PermissionDenied
from reckon.evidence import Argon2Params, KeySource, init_keys, seal_fields, unlock
from reckon.ingest import import_file, keys_outdated, renormalize
from reckon.link.review import record_decision
from reckon.model import ImportBatch, Person, PersonRecord, Role
from reckon.registry import find_records
from reckon.text import rules_fingerprint

DOCUMENTER = Actor("dora", Role.DOCUMENTER)
ADMIN = Actor("admin", Role.ADMIN)
DERIVED = (
    "name_script", "name_normalized", "name_key", "name_keys", "honorifics", "search_text",
    "father_normalized", "father_key",
)  # fmt: skip
HEADERS = ["id", "Full name", "Father's name", "Date of execution", "Prison", "Informant"]
INFORMANT = "Zeynab Witnessname"  # restricted: sealed, never to be seen again
ROWS = [
    ["R-1", "داود رحیمی", "حسن", "1367/05/08", "اوین", ""],  # name keys change
    ["R-2", "Davoud Rahimi", "Hassan", "1988-07-30", "Evin", ""],  # unchanged
    ["R-3", "حمید نوری", "داود", "1367/05/10", "اوین", ""],  # father's keys change
    ["R-4", "NOURI, Seyed Hamid", "", "1988-08", "Evin", INFORMANT],  # unchanged
    ["R-5", "سید داود کریمی", "", "1367", "گوهردشت", INFORMANT],  # changes; informant sealed
]
GIVEN = ["داود", "علی", "Davoud", "Hossein", "فاطمه", "Mohammad-Reza"]
FAMILY = ["کریمی", "Karimi", "نوری", "Sadeghi", "داودی"]
# Enough rows for the audit cover's row index to live in its own table (over 64 rows).
ROWS += [
    [f"F-{i}", f"{GIVEN[i % len(GIVEN)]} {FAMILY[i % len(FAMILY)]}", "", "1367", "Evin", ""]
    for i in range(80)
]
# The module (the package's attribute of that name is the function).
renormalize_module = importlib.import_module("reckon.ingest.renormalize")
CHANGED = sum("داود" in (row[1] + " " + row[2]).split() for row in ROWS)


def _write_list(path) -> object:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerows(ROWS)
    return path


@pytest.fixture
def victims_list(tmp_path):
    """A list of Persian and Latin names, some with داود (whose keys the older rules differ on)."""
    return _write_list(tmp_path / "victims.csv")


@pytest.fixture
def project_imported_by_older_rules(empty_project, victims_list, older_name_rules):
    """A project (each backend) whose one list was imported before the current name rules."""
    with older_name_rules():
        import_file(empty_project, victims_list, "Older list", actor="dora")
    return empty_project


def _derived(project, batch_id: int) -> dict[int, tuple]:
    """Row number -> the name columns of a batch's records, name_keys as its stored text."""
    columns = ", ".join(c if c != "name_keys" else "CAST(name_keys AS TEXT)" for c in DERIVED)
    with project.engine.connect() as connection:
        rows = connection.execute(
            text(f"SELECT row_number, {columns} FROM record WHERE batch_id = :b"), {"b": batch_id}
        ).all()
    return {row[0]: tuple(row[1:]) for row in rows}


def _snapshot(project) -> dict[str, list]:
    """Every row of the tables a renormalize could write, as stored."""
    tables = ("record", "import_batch", "audit_entry", "audit_row_index", "person",
              "person_record", "link_decision")  # fmt: skip
    with project.engine.connect() as connection:
        return {
            table: [
                tuple(map(str, row))
                for row in connection.execute(text(f"SELECT * FROM {table} ORDER BY 1")).all()
            ]
            for table in tables
        }


def _audit_text(project) -> str:
    with project.engine.connect() as connection:
        rows = connection.execute(text("SELECT actor, action, change FROM audit_entry")).all()
    return "\n".join(" ".join(row) for row in rows)


def test_records_get_what_a_fresh_import_gives(project_imported_by_older_rules, victims_list):
    project = project_imported_by_older_rules
    older = _derived(project, 1)
    result = renormalize(project, DOCUMENTER)
    assert (result.checked, result.changed, result.skipped) == (len(ROWS), CHANGED, 0)
    assert result.batches == 1 and result.fingerprint_after == rules_fingerprint()
    assert result.fingerprints_before != (rules_fingerprint(),)
    import_file(project, victims_list, "Fresh import", actor="dora")
    fresh = _derived(project, 2)
    assert _derived(project, 1) == fresh  # name_keys compared as stored text, too
    assert sum(older[n] != fresh[n] for n in fresh) == CHANGED


def test_search_finds_what_it_missed(project_imported_by_older_rules):
    project = project_imported_by_older_rules

    def found(name: str) -> set[str]:
        records, _ = find_records(project, DOCUMENTER, search=name, limit=500)
        return {r.source_record_id for r in records}

    assert "R-1" not in found("Davoud Rahimi")  # keyed by the older rules
    assert keys_outdated(project)
    renormalize(project, DOCUMENTER)
    assert {"R-1", "R-2"} <= found("Davoud Rahimi")
    assert "R-3" not in found("Davoud")  # a father's name is not searched
    assert not keys_outdated(project)


def test_dry_run_counts_and_writes_nothing(project_imported_by_older_rules):
    project = project_imported_by_older_rules
    before = _snapshot(project)
    seen = []
    result = renormalize(project, DOCUMENTER, dry_run=True, progress=lambda *a: seen.append(a))
    assert result.dry_run and (result.changed, result.batches) == (CHANGED, 1)
    assert "Dry run: nothing was written." in result.summary()
    assert _snapshot(project) == before
    assert seen[-1] == (len(ROWS), len(ROWS))
    assert keys_outdated(project)
    assert renormalize(project, DOCUMENTER).changed == CHANGED  # the real run: same count


def test_second_run_changes_nothing(project_imported_by_older_rules):
    project = project_imported_by_older_rules
    renormalize(project, DOCUMENTER)
    before = _snapshot(project)
    again = renormalize(project, DOCUMENTER)
    assert (again.checked, again.changed, again.batches) == (len(ROWS), 0, 0)
    assert again.fingerprints_before == (rules_fingerprint(),)
    assert _snapshot(project) == before  # not even an audit entry


def test_in_chunks_with_progress(project_imported_by_older_rules, monkeypatch):
    monkeypatch.setattr(renormalize_module, "CHUNK_ROWS", 7)
    seen = []
    result = renormalize(
        project_imported_by_older_rules, DOCUMENTER, progress=lambda *a: seen.append(a)
    )
    assert result.changed == CHANGED
    assert [done for done, _ in seen] == sorted({*range(7, len(ROWS), 7), len(ROWS)})
    assert {total for _, total in seen} == {len(ROWS)}
    assert audit.verify_project(project_imported_by_older_rules, files=False).ok


def test_audited_verify_passes_and_still_catches_tampering(project_imported_by_older_rules):
    project = project_imported_by_older_rules
    renormalize(project, DOCUMENTER)
    assert audit.verify_project(project, files=False).ok
    entries = audit.list_entries(project, action="record.renormalize")
    assert [(e.actor, e.object_type, e.object_id) for e in entries] == [
        ("dora", "import_batch", "1")
    ]
    change = entries[0].change_data
    assert change["records_changed"] == CHANGED
    assert change["rules_fingerprint"]["to"] == rules_fingerprint()
    assert [c["table"] for c in change["covers"]] == ["import_batch", "record"]
    with project.engine.begin() as connection:
        record_id = connection.execute(text("SELECT min(id) FROM record")).scalar()
        connection.execute(
            text("UPDATE record SET search_text = 'x' WHERE id = :i"), {"i": record_id}
        )
    findings = audit.verify_project(project, files=False).findings
    assert [(f.kind, f.table, f.row_id) for f in findings] == [
        ("altered", "record", str(record_id))
    ]


def test_rows_changed_behind_the_log_are_not_vouched_for(project_imported_by_older_rules):
    project = project_imported_by_older_rules
    with project.engine.begin() as connection:
        connection.execute(text("UPDATE record SET name_key = 'forged' WHERE row_number = 2"))
    before = _snapshot(project)
    with pytest.raises(IntegrityError, match="records of import batch 1 are not as logged"):
        renormalize(project, DOCUMENTER)
    assert _snapshot(project) == before  # all or nothing
    with project.engine.begin() as connection:
        connection.execute(text("UPDATE import_batch SET rules_fingerprint = 'forged'"))
    with pytest.raises(IntegrityError, match="row of import batch 1 is not as logged"):
        renormalize(project, DOCUMENTER, dry_run=True)


def test_needs_the_role_importing_needs(project_imported_by_older_rules):
    with pytest.raises(PermissionDenied, match="documenter"):
        renormalize(project_imported_by_older_rules, Actor("vic", Role.VIEWER))
    assert renormalize(project_imported_by_older_rules, ADMIN).changed == CHANGED


def test_persons_and_link_decisions_are_untouched(project_imported_by_older_rules):
    project = project_imported_by_older_rules
    with project.transaction() as session:
        person = Person()
        session.add(person)
        session.flush()
        session.add_all([PersonRecord(record_id=1, person_id=person.id, run_id="run-1")])
    record_decision(project, 1, 2, "same", reason="same father, same day", actor="dora")
    record_decision(project, 1, 3, "different", actor="dora")
    before = _snapshot(project)
    assert renormalize(project, DOCUMENTER).changed == CHANGED
    after = _snapshot(project)
    for table in ("person", "person_record", "link_decision"):
        assert after[table] == before[table]


# ------------------------------------------------------------------------- restricted data

PASSPHRASE = "correct horse battery staple"
FAST_ARGON2 = Argon2Params(time_cost=1, memory_cost=8192, parallelism=1)
SEALED_NAME = ROWS[0][1]  # record 1's full name, sealed in `project_with_sealed_fields`


@pytest.fixture
def project_with_sealed_fields(project_imported_by_older_rules):
    """The older project with its Informant column sealed (as `reckon keys restrict` does) and,
    in record 1, the full name sealed too."""
    project = project_imported_by_older_rules
    init_keys(project, ADMIN, KeySource(passphrase=PASSPHRASE), argon2=FAST_ARGON2)
    keyring = unlock(project, KeySource(passphrase=PASSPHRASE))
    seal_fields(project, ADMIN, keyring, source="Older list", columns=["Informant"])
    _seal_name(project, keyring, record_id=1)
    return project


def _seal_name(project, keyring, record_id: int) -> None:
    """Move a record's full name into its sealed envelope, audited.

    Reckon's own sealing refuses name columns (they feed matching); this stands for a record
    whose name was sealed some other way, which renormalize must leave alone: without the key it
    cannot tell the blank name cell from a sealed one.
    """
    with project.transaction() as session:
        connection = session.connection()
        batch_id, sealed, raw_text = connection.execute(
            text("SELECT batch_id, sealed, CAST(raw AS TEXT) FROM record WHERE id = :i"),
            {"i": record_id},
        ).one()
        raw = json.loads(raw_text)
        secret = keyring.unseal(sealed) if sealed else {}
        secret.setdefault("raw", {})["Full name"] = raw["Full name"]
        raw["Full name"] = None
        connection.execute(
            text("UPDATE record SET full_name = NULL, raw = :raw, sealed = :sealed WHERE id = :i"),
            {"raw": json.dumps(raw), "sealed": keyring.seal(secret), "i": record_id},
        )
        audit.append(
            session,
            actor="admin",
            action="record.seal",
            object_type="record",
            object_id=record_id,
            change={"columns": ["Full name"]},
            covers=[audit.RowSet("record", {"batch_id": batch_id}, "row_number")],
        )


def test_a_record_whose_name_may_be_sealed_is_skipped(project_with_sealed_fields):
    project = project_with_sealed_fields
    before = _derived(project, 1)
    result = renormalize(project, DOCUMENTER)
    assert (result.changed, result.skipped) == (CHANGED - 1, 1)
    after = _derived(project, 1)
    assert after[1] == before[1]  # left as it was
    assert after[5] != before[5]  # informant sealed, names in the clear: renormalized
    assert audit.verify_project(project, files=False).ok
    everything = _audit_text(project) + result.summary() + repr(result)
    for secret in (SEALED_NAME, INFORMANT, "Witnessname"):
        assert secret not in everything
    assert renormalize(project, DOCUMENTER).skipped == 1  # still skipped, nothing else to do


def test_sealed_record_with_its_names_in_the_clear_is_not_skipped(project_with_sealed_fields):
    project = project_with_sealed_fields
    with project.engine.connect() as connection:
        sealed = connection.execute(
            text("SELECT row_number FROM record WHERE sealed IS NOT NULL ORDER BY row_number")
        ).scalars()
        assert list(sealed) == [1, 4, 5]
    result = renormalize(project, DOCUMENTER)
    assert result.skipped == 1  # record 1 only: 4 is unchanged, 5 has its name in the clear


def test_the_batch_records_the_current_rules(project_imported_by_older_rules, victims_list):
    project = project_imported_by_older_rules
    with project.session() as session:
        older = session.scalar(select(ImportBatch.rules_fingerprint))
    assert older is not None and older != rules_fingerprint()
    renormalize(project, DOCUMENTER)
    with project.session() as session:
        assert session.scalar(select(ImportBatch.rules_fingerprint)) == rules_fingerprint()
