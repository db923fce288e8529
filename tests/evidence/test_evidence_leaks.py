"""Restricted values never appear in output, error messages, logs, the audit log or exports
without permission."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import inspect, select, text

from reckon.access import Actor, add_user
from reckon.cli.app import main
from reckon.evidence import KeySource, add_evidence, init_keys, seal_fields, unlock
from reckon.ingest import import_file
from reckon.model import Event, Person, PersonRecord, Role
from reckon.store import init_project

PASSPHRASE = "correct horse battery staple"
SECRETS = ["Zeynab", "Kazemi", "0912-555-0199", "Safehouse-Lane", "I-SAW-THE-TRUCKS"]
RESTRICTED_FILE = "Zeynab-Kazemi-testimony.txt"


def _run(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    out = capsys.readouterr()
    return exit_info.value.code or 0, out.out + out.err


def _assert_clean(text_: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in text_, f"{secret!r} leaked into {where}"


@pytest.fixture
def leaky_project(tmp_path, examples_dir, monkeypatch):
    monkeypatch.setenv("RECKON_PASSPHRASE", PASSPHRASE)
    project = init_project(tmp_path / "p")
    admin = Actor("admin", Role.ADMIN)
    for role in [Role.ADMIN, Role.VIEWER, Role.DOCUMENTER, Role.ANALYST]:
        add_user(project, admin, role.value, role)
    init_keys(project, admin, KeySource(passphrase=PASSPHRASE))
    keyring = unlock(project, KeySource(passphrase=PASSPHRASE))
    witnesses = tmp_path / "witnesses.csv"
    witnesses.write_text(
        "id,full name,date of execution,Informant,Informant phone,Informant address\n"
        "W-1,Hassan Testperson,1367/05/08,Zeynab Kazemi,0912-555-0199,Safehouse-Lane 4\n",
        encoding="utf-8",
    )
    import_file(project, witnesses, "Witnesses", actor="admin")
    seal_fields(
        project, admin, keyring, source="Witnesses",
        columns=["Informant", "Informant phone", "Informant address"],
    )  # fmt: skip
    import_file(project, examples_dir / "ngo_list.csv", "NGO", actor="admin")
    with project.transaction() as session:
        session.add_all([Person(), Event(kind="execution")])
        session.flush()
        session.add(PersonRecord(record_id=1, person_id=1))
    path = tmp_path / RESTRICTED_FILE
    path.write_bytes(b"Testimony: I-SAW-THE-TRUCKS at dawn.")
    add_evidence(
        project, admin, path, source="Testimonies", description="Zeynab Kazemi, phone 0912-555-0199",
        sensitivity="restricted", keyring=keyring, links=["event:1", "person:1"],
    )  # fmt: skip
    project.close()
    return tmp_path


def test_no_restricted_value_in_any_output(leaky_project, capsys, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    root = str(leaky_project / "p")
    runs = []
    for role in ("viewer", "documenter", "analyst"):
        monkeypatch.setenv("RECKON_USER", role)
        for argv in (
            ["evidence", "list"],
            ["evidence", "show", "1"],
            ["evidence", "show", "1", "--unseal"],
            ["evidence", "show", "2", "--unseal"],
            ["evidence", "get", "2", "-o", str(leaky_project / f"{role}-2.out")],
            ["evidence", "get", "1", "-o", str(leaky_project / f"{role}.out")],
            ["evidence", "add", str(leaky_project / "missing-Zeynab.txt"), "-s", "T",
             "--sensitivity", "restricted"],
            ["keys", "reveal-fields", "2"],
            ["records", "--source", "Witnesses"],
            ["records", "--search", "Testperson"],
            ["renormalize", "--dry-run"],
            ["renormalize"],
            ["show", "1"],
            ["audit", "log", "--limit", "1000"],
            ["verify"],
            ["export", "case", "--event", "1", "-o", str(leaky_project / f"bag-{role}")],
            ["export", "case", "--person", "1", "--include-restricted",
             "-o", str(leaky_project / f"bag-r-{role}")],
        ):  # fmt: skip
            code, output = _run(["-p", root, *argv], capsys)
            runs.append((role, argv[:2], code))
            _assert_clean(output, f"`reckon {' '.join(argv[:2])}` as {role}")
    # Some of those must have been refused, not silently emptied.
    refused = {(role, tuple(argv)) for role, argv, code in runs if code == 1}
    assert ("analyst", ("evidence", "get")) in refused
    assert ("analyst", ("keys", "reveal-fields")) in refused
    assert ("analyst", ("export", "case")) in refused  # the --include-restricted one
    _assert_clean(caplog.text, "log records")
    # The analyst's bag exists and holds nothing restricted.
    bag = leaky_project / "bag-analyst"
    assert (bag / "bagit.txt").exists()
    for path in bag.rglob("*"):
        if path.is_file():
            _assert_clean(path.read_bytes().decode("utf-8", "replace"), str(path))


def test_no_restricted_value_in_the_database_or_store(leaky_project):
    from reckon.store import open_project

    project = open_project(leaky_project / "p")
    with project.engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                _assert_clean(repr(tuple(row)), f"table {table}")
        connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    project.close()
    # Every file of the project: database, settings and the file store (the witness list's
    # original file was moved to the encrypted store by seal_fields).
    for path in (leaky_project / "p").rglob("*"):
        if path.is_file():
            _assert_clean(path.read_bytes().decode("utf-8", "replace"), str(path))


def test_investigator_with_the_key_does_see_them(leaky_project, capsys, monkeypatch):
    root = str(leaky_project / "p")
    monkeypatch.setenv("RECKON_USER", "admin")
    code, output = _run(["-p", root, "evidence", "show", "2", "--unseal"], capsys)
    assert code == 0 and "Zeynab Kazemi" in output
    code, output = _run(["-p", root, "keys", "reveal-fields", "1"], capsys)
    assert code == 0 and "0912-555-0199" in output
    from reckon.store import open_project

    project = open_project(root)
    with project.session() as session:
        from reckon.model import AuditEntry

        actions = session.scalars(select(AuditEntry.action)).all()
    project.close()
    assert "record.reveal" in actions and "evidence.view" in actions
