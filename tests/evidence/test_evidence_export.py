"""Case export: a BagIt bag that validates, withholds restricted material, and fails if tampered."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import bagit
import pytest

from reckon import audit
from reckon.errors import ConfigError, PermissionDenied
from reckon.evidence import add_evidence, export_case, verify_case_bag
from reckon.ingest import import_file
from reckon.model import Event, Involvement, Person, PersonRecord, Role

BAGIT_SCRIPT = Path(sys.executable).with_name("bagit.py")
RESTRICTED_NAME = "Witness-Zeynab-Kazemi-interview.txt"
RESTRICTED_TEXT = b"I saw them at Evin on 8 Mordad. -- Zeynab Kazemi"


@pytest.fixture
def case_project(keyed_project, keyring, admin, make_file, examples_dir):
    """An event with one victim (person 1, records 1 and 2) and evidence of every kind."""
    project = keyed_project
    import_file(project, examples_dir / "ngo_list.csv", "NGO", actor="admin")
    with project.transaction() as session:
        person = Person()
        event = Event(kind="execution", title="Executions at Evin, summer 1367")
        session.add_all([person, event])
        session.flush()
        session.add_all(
            [
                PersonRecord(record_id=1, person_id=person.id),
                PersonRecord(record_id=2, person_id=person.id),
                Involvement(person_id=person.id, event_id=event.id, role="victim", record_id=1),
            ]
        )
    add_evidence(
        project, admin, make_file("burial-register.pdf", b"%PDF-1.4 register"), source="Archive",
        links=["event:1"],
    )  # fmt: skip
    add_evidence(
        project, admin, make_file("letter.txt", b"letter from prison"), source="Family",
        links=["record:2"],
    )  # fmt: skip
    add_evidence(
        project, admin, make_file(RESTRICTED_NAME, RESTRICTED_TEXT), source="Testimonies",
        description="Zeynab Kazemi, eyewitness", links=["person:1"], sensitivity="restricted",
        keyring=keyring,
    )  # fmt: skip
    add_evidence(project, admin, make_file("unrelated.txt", b"other case"), source="Archive")
    return project


def _bag_bytes(bag: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(bag.rglob("*")) if p.is_file())


def test_case_bag_validates_and_withholds_restricted(case_project, as_role, tmp_path):
    bag = tmp_path / "case-evin"
    result = export_case(case_project, as_role(Role.ANALYST), bag, event_id=1, purpose="UN")
    assert (result.files, result.withheld) == (2, 1)
    bagit.Bag(str(bag)).validate()
    completed = subprocess.run(
        [sys.executable, str(BAGIT_SCRIPT), "--validate", str(bag)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    check = verify_case_bag(bag)
    assert check.ok, check.problems
    assert check.files == 2
    files = sorted(p.name for p in (bag / "data" / "files").iterdir())
    assert len(files) == 2 and all(len(name.split(".")[0]) == 64 for name in files)
    case = json.loads((bag / "data" / "case.json").read_text())
    assert case["restricted_withheld"] == 1 and case["event"]["id"] == 1
    content = _bag_bytes(bag)
    for secret in (b"Zeynab", b"Kazemi", RESTRICTED_TEXT):
        assert secret not in content
    metadata = json.loads(next((bag / "data" / "metadata").glob("*.json")).read_text())
    assert [c["action"] for c in metadata["custody"]] == ["acquisition", "export"]
    checkpoint = json.loads((bag / "data" / "audit" / "checkpoints.json").read_text())
    assert checkpoint["checkpoints"][-1]["seq"] == result.checkpoint_seq
    export_entry = audit.list_entries(case_project, action="export.case")[0]
    assert export_entry.change_data["withheld"] == 1
    assert not export_entry.change_data["include_restricted"]
    assert audit.verify_project(case_project).ok


def test_tampered_bag_fails(case_project, as_role, tmp_path):
    bag = tmp_path / "case"
    export_case(case_project, as_role(Role.ANALYST), bag, person_id=1)
    target = next((bag / "data" / "files").iterdir())
    data = bytearray(target.read_bytes())
    data[0] ^= 1
    target.write_bytes(bytes(data))
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(bag)).validate()
    assert not verify_case_bag(bag).ok


def test_bag_rebuilt_by_a_forger_still_fails(case_project, as_role, tmp_path):
    """Replace a file and its metadata, then regenerate every manifest: the chain disagrees."""
    bag = tmp_path / "case"
    export_case(case_project, as_role(Role.ANALYST), bag, person_id=1)
    metadata_path = next((bag / "data" / "metadata").glob("*.json"))
    metadata = json.loads(metadata_path.read_text())
    stored = bag / "data" / metadata["stored_file"]
    stored.write_bytes(b"a different letter")
    import hashlib

    metadata["sha256"] = hashlib.sha256(b"a different letter").hexdigest()
    metadata_path.write_text(json.dumps(metadata))
    forged = bagit.Bag(str(bag))
    forged.save(manifests=True)
    forged.validate()  # BagIt alone is satisfied…
    check = verify_case_bag(bag)  # …the audit chain is not
    assert not check.ok
    assert any("no audited acquisition" in p for p in check.problems)


def test_include_restricted_needs_an_investigator(case_project, keyring, as_role, tmp_path):
    with pytest.raises(PermissionDenied, match="investigator"):
        export_case(
            case_project, as_role(Role.ANALYST), tmp_path / "b", event_id=1,
            include_restricted=True, keyring=keyring,
        )  # fmt: skip
    assert not (tmp_path / "b").exists()
    bag = tmp_path / "full"
    result = export_case(
        case_project, as_role(Role.INVESTIGATOR), bag, event_id=1, include_restricted=True,
        keyring=lambda: keyring, purpose="prosecutor request 17",
    )  # fmt: skip
    assert (result.files, result.withheld) == (3, 0)
    assert verify_case_bag(bag).ok
    assert RESTRICTED_TEXT in _bag_bytes(bag)
    entry = audit.list_entries(case_project, action="export.case")[0]
    assert entry.actor == "investigator" and entry.change_data["include_restricted"] is True
    exports = audit.list_entries(case_project, action="evidence.export")
    assert len(exports) == 3


def test_export_needs_exactly_one_scope_and_a_new_directory(case_project, admin, tmp_path):
    with pytest.raises(ConfigError, match="one of them"):
        export_case(case_project, admin, tmp_path / "x")
    existing = tmp_path / "exists"
    existing.mkdir()
    from reckon.errors import EvidenceError

    with pytest.raises(EvidenceError, match="exists"):
        export_case(case_project, admin, existing, event_id=1)
    with pytest.raises(PermissionDenied):
        from reckon.access import Actor

        export_case(case_project, Actor("d", Role.DOCUMENTER), tmp_path / "y", event_id=1)
    assert not any(p.name.startswith(".") for p in tmp_path.iterdir())


def test_untrusted_signer_is_reported(case_project, as_role, tmp_path, monkeypatch):
    bag = tmp_path / "case"
    export_case(case_project, as_role(Role.ANALYST), bag, event_id=1)
    signer = audit.public_key_hex(audit.load_signing_key(create=False))
    monkeypatch.setenv("RECKON_HOME", str(tmp_path / "court-laptop"))
    check = verify_case_bag(bag)
    assert any("not a trusted key" in p for p in check.problems)
    assert verify_case_bag(bag, trust_keys=[signer]).ok
    assert os.path.exists(bag / "data" / "README.txt")
