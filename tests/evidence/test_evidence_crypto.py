"""Encryption at rest: keys, wrong keys, streaming AES-GCM, rotation, sealed record fields."""

from __future__ import annotations

import io
import os

import pytest
from sqlalchemy import select

from reckon import audit
from reckon.errors import AuthenticationError, ConfigError, IntegrityError, PermissionDenied
from reckon.evidence import (
    FileStore,
    KeySource,
    add_evidence,
    crypto,
    generate_key_file,
    get_evidence,
    init_keys,
    key_status,
    reveal_fields,
    rotate_keys,
    seal_fields,
    show_evidence,
    unlock,
)
from reckon.ingest import import_file
from reckon.model import EvidenceItem, Record, Role

PASSPHRASE = "correct horse battery staple"


def test_wrong_passphrase_is_a_clear_error(keyed_project):
    with pytest.raises(AuthenticationError, match="wrong passphrase or key file"):
        unlock(keyed_project, KeySource(passphrase="wrong horse battery staple"))
    with pytest.raises(AuthenticationError, match="unlocked with a passphrase"):
        unlock(keyed_project, KeySource(key_file=keyed_project.root / "nope.key"))
    with pytest.raises(AuthenticationError, match="RECKON_PASSPHRASE"):
        unlock(keyed_project, None)


def test_keys_not_set_up(empty_project):
    from reckon.errors import EvidenceError

    with pytest.raises(EvidenceError, match="reckon keys init"):
        unlock(empty_project, KeySource(passphrase=PASSPHRASE))
    assert not key_status(empty_project).initialised


def test_init_twice_is_refused_and_audited(keyed_project, admin):
    with pytest.raises(ConfigError, match="already set up"):
        init_keys(keyed_project, admin, KeySource(passphrase="another passphrase!"))
    assert [e.action for e in audit.list_entries(keyed_project)] == ["keys.init"]
    assert audit.verify_project(keyed_project).ok


def test_key_file(empty_project, admin, tmp_path):
    key_file = generate_key_file(tmp_path / "project.key")
    assert key_file.stat().st_mode & 0o777 == 0o600 and key_file.stat().st_size == 32
    with pytest.raises(ConfigError, match="exists"):
        generate_key_file(key_file)
    init_keys(empty_project, admin, KeySource(key_file=key_file))
    assert unlock(empty_project, KeySource(key_file=key_file)).active_key_id == 1
    other = generate_key_file(tmp_path / "other.key")
    with pytest.raises(AuthenticationError, match="wrong passphrase or key file"):
        unlock(empty_project, KeySource(key_file=other))
    short = tmp_path / "short.key"
    short.write_bytes(b"too short")
    with pytest.raises(AuthenticationError, match="too short"):
        unlock(empty_project, KeySource(key_file=short))


@pytest.mark.parametrize("size", [0, 1, 1023, 1024, 1025, 3 * 1024, 3 * 1024 + 5])
def test_streaming_encryption_round_trip(monkeypatch, size):
    monkeypatch.setattr(crypto, "SEGMENT", 1024)
    keyring = crypto.Keyring({7: os.urandom(32)}, 7)
    plain = os.urandom(size)
    reader = keyring.encrypting_reader(io.BytesIO(plain))
    ciphertext = b"".join(iter(lambda: reader.read(1 << 20), b""))
    assert reader.plaintext_size == size
    if size >= 64:
        assert plain[:64] not in ciphertext
    assert b"".join(keyring.decrypt_segments(io.BytesIO(ciphertext))) == plain


@pytest.mark.parametrize("damage", ["flip", "truncate-segment", "drop-tail", "swap"])
def test_any_change_to_ciphertext_fails_authentication(monkeypatch, damage):
    monkeypatch.setattr(crypto, "SEGMENT", 1024)
    keyring = crypto.Keyring({1: os.urandom(32)}, 1)
    reader = keyring.encrypting_reader(io.BytesIO(os.urandom(3000)))
    data = bytearray(b"".join(iter(lambda: reader.read(), b"")))
    header, segment = crypto.HEADER.size, 1024 + crypto.TAG
    if damage == "flip":
        data[header + 1500] ^= 1
    elif damage == "truncate-segment":
        del data[header + 2 * segment :]  # stop cleanly after two whole segments
    elif damage == "drop-tail":
        del data[-1]
    else:
        first = data[header : header + segment]
        data[header : header + segment] = data[header + segment : header + 2 * segment]
        data[header + segment : header + 2 * segment] = first
    with pytest.raises(IntegrityError, match="fails authentication"):
        b"".join(keyring.decrypt_segments(io.BytesIO(bytes(data))))


def test_restricted_file_is_encrypted_at_rest(keyed_project, keyring, admin, make_file, tmp_path):
    secret = b"Testimony of witness W-17: " + os.urandom(200_000) + b" END-OF-TESTIMONY"
    path = make_file("W-17 testimony.txt", secret)
    result = add_evidence(
        keyed_project,
        admin,
        path,
        source="Testimonies",
        description="Interview with W-17",
        sensitivity="restricted",
        keyring=keyring,
    )
    import hashlib

    assert result.encrypted and result.sha256 == hashlib.sha256(secret).hexdigest()
    # The plaintext is nowhere in the store; the content address is the plaintext's hash.
    assert result.sha256 not in FileStore(keyed_project.files_dir)
    for stored in keyed_project.files_dir.rglob("*"):
        if stored.is_file():
            assert b"witness W-17" not in stored.read_bytes()
    with keyed_project.session() as session:
        item = session.get(EvidenceItem, result.evidence_id)
        assert item.original_name is None and item.description is None
        assert "W-17" not in item.sealed
    # An investigator with the key gets the file and its sealed metadata back.
    out = get_evidence(keyed_project, admin, result.evidence_id, tmp_path, keyring=keyring)
    assert out.name == "W-17 testimony.txt" and out.read_bytes() == secret
    detail = show_evidence(keyed_project, admin, result.evidence_id, keyring=keyring)
    assert detail.summary.description == "Interview with W-17"
    # The same file again is recognised by its plaintext hash and not stored twice.
    again = add_evidence(
        keyed_project, admin, path, source="Testimonies", sensitivity="restricted", keyring=keyring
    )
    assert again.duplicate and again.evidence_id == result.evidence_id
    encrypted = (keyed_project.files_dir / "encrypted").rglob("*")
    assert len([p for p in encrypted if p.is_file()]) == 1  # the second ciphertext was dropped
    verified = audit.verify_project(keyed_project, decrypt=crypto_check(keyed_project, keyring))
    assert verified.ok, verified.summary()


def crypto_check(project, keyring):
    from reckon.evidence import plaintext_check

    return plaintext_check(project, keyring)


def test_tampered_ciphertext_is_caught_by_verify(keyed_project, keyring, admin, make_file):
    result = add_evidence(
        keyed_project,
        admin,
        make_file("w.txt", b"secret words" * 1000),
        source="T",
        sensitivity="restricted",
        keyring=keyring,
    )
    with keyed_project.session() as session:
        stored_sha = session.scalar(
            select(EvidenceItem.stored_sha256).where(EvidenceItem.id == result.evidence_id)
        )
    blob = FileStore(keyed_project.files_dir / "encrypted").path_for(stored_sha)
    blob.chmod(0o644)
    data = bytearray(blob.read_bytes())
    data[100] ^= 0x80
    blob.write_bytes(bytes(data))
    findings = audit.verify_project(
        keyed_project, decrypt=crypto_check(keyed_project, keyring)
    ).findings
    assert [(f.kind, f.target) for f in findings] == [("altered", "file"), ("altered", "file")]
    assert findings[0].sha256 == stored_sha and findings[1].sha256 == result.sha256


def test_rotate_rewraps_data_keys(keyed_project, keyring, admin, make_file, tmp_path):
    first = add_evidence(
        keyed_project, admin, make_file("a.txt", b"alpha"), source="T", sensitivity="restricted",
        keyring=keyring,
    )  # fmt: skip
    new = KeySource(passphrase="a brand new passphrase")
    with pytest.raises(AuthenticationError):
        rotate_keys(keyed_project, admin, KeySource(passphrase="wrong one!!"), new)
    rotate_keys(keyed_project, admin, KeySource(passphrase=PASSPHRASE), new, new_data_key=True)
    with pytest.raises(AuthenticationError, match="wrong passphrase"):
        unlock(keyed_project, KeySource(passphrase=PASSPHRASE))
    rotated = unlock(keyed_project, new)
    assert rotated.active_key_id == 2
    second = add_evidence(
        keyed_project, admin, make_file("b.txt", b"beta"), source="T", sensitivity="restricted",
        keyring=rotated,
    )  # fmt: skip
    for added, plain in ((first, b"alpha"), (second, b"beta")):
        out = get_evidence(
            keyed_project, admin, added.evidence_id, tmp_path / f"{plain.decode()}.out",
            keyring=rotated,
        )  # fmt: skip
        assert out.read_bytes() == plain
    assert [e.action for e in audit.list_entries(keyed_project, action="keys.rotate")]
    assert audit.verify_project(keyed_project).ok
    # Rotating to a key file works the same way.
    key_file = generate_key_file(tmp_path / "k.key")
    rotate_keys(keyed_project, admin, new, KeySource(key_file=key_file))
    assert unlock(keyed_project, KeySource(key_file=key_file)).active_key_id == 2


def test_only_admins_manage_keys(empty_project, as_role):
    with pytest.raises(PermissionDenied, match="admin"):
        init_keys(empty_project, as_role(Role.INVESTIGATOR), KeySource(passphrase=PASSPHRASE))


@pytest.fixture
def witness_list(tmp_path):
    path = tmp_path / "testimonies.csv"
    path.write_text(
        "id,full name,date of execution,Informant,Informant phone,notes\n"
        "T-1,Hassan Testperson,1367/05/08,Witness Alpha-Secret,+98-912-000-1111,met in 1990\n"
        "T-2,Reza Sampleman,1367/05/09,Witness Beta-Secret,+98-912-000-2222,\n",
        encoding="utf-8",
    )
    return path


def test_sealed_fields_are_encrypted_and_revealed_with_audit(
    keyed_project, keyring, admin, as_role, witness_list
):
    import_file(keyed_project, witness_list, "Testimonies", actor="admin")
    result = seal_fields(
        keyed_project,
        as_role(Role.DOCUMENTER),
        keyring,
        source="Testimonies",
        columns=["Informant", "Informant phone", "notes"],
    )
    assert (result.records, result.files_encrypted) == (2, 1)
    with keyed_project.session() as session:
        original = session.scalar(select(EvidenceItem).where(EvidenceItem.encrypted.is_(True)))
        assert original.sensitivity == "restricted" and original.original_name is None
    assert original.sha256 not in FileStore(keyed_project.files_dir)
    with keyed_project.session() as session:
        records = session.scalars(select(Record).order_by(Record.id)).all()
        for record in records:
            assert record.raw["Informant"] is None and record.raw["Informant phone"] is None
            assert record.notes is None and record.sealed.startswith("rk1.")
            assert "Secret" not in (record.search_text or "")
        record_id = records[0].id
    assert audit.verify_project(keyed_project).ok
    if keyed_project.is_sqlite:
        database = (keyed_project.root / "reckon.db").read_bytes()
        assert b"Alpha-Secret" not in database and b"912-000-1111" not in database
    with pytest.raises(PermissionDenied, match="investigator"):
        reveal_fields(keyed_project, as_role(Role.ANALYST), keyring, record_id)
    values = reveal_fields(
        keyed_project, as_role(Role.INVESTIGATOR), keyring, record_id, purpose="case 4"
    )
    assert values == {
        "raw": {
            "Informant": "Witness Alpha-Secret",
            "Informant phone": "+98-912-000-1111",
            "notes": "met in 1990",
        },
        "notes": "met in 1990",
    }
    reveal = audit.list_entries(keyed_project, action="record.reveal")[0]
    assert reveal.actor == "investigator" and "Secret" not in reveal.change


def test_matching_columns_cannot_be_sealed_alone(keyed_project, keyring, admin, witness_list):
    import_file(keyed_project, witness_list, "Testimonies", actor="admin")
    with pytest.raises(ConfigError, match="used for matching"):
        seal_fields(keyed_project, admin, keyring, source="Testimonies", columns=["full name"])


def test_restricted_content_added_again_as_internal_stays_encrypted(
    keyed_project, keyring, admin, make_file
):
    secret = b"the name of the informant"
    first = add_evidence(
        keyed_project, admin, make_file("w.txt", secret), source="T", sensitivity="restricted",
        keyring=keyring,
    )  # fmt: skip
    again = add_evidence(keyed_project, admin, make_file("copy.txt", secret), source="U")
    assert again.duplicate and again.evidence_id == first.evidence_id and again.encrypted
    for stored in keyed_project.files_dir.rglob("*"):
        if stored.is_file():
            assert secret not in stored.read_bytes()
    detail = show_evidence(keyed_project, admin, first.evidence_id, keyring=keyring)
    assert not detail.withheld and [c.action for c in detail.custody][:2] == [
        "acquisition",
        "acquisition",
    ]
    assert all("original_name" not in c.details for c in detail.custody)
    assert audit.verify_project(keyed_project).ok
