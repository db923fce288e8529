"""The hash chain: appends link up; deleted, reordered, altered or rewritten entries are named."""

from __future__ import annotations

import hashlib
import threading

import pytest
from sqlalchemy import select, text

from reckon import audit
from reckon.audit import log as audit_log
from reckon.audit.canonical import canonical_json
from reckon.audit.log import body_digest, chain_hash, genesis_hash
from reckon.model import AuditEntry, AuditHead


def _append(project, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        with project.transaction() as session:
            audit.append(
                session,
                actor="alice",
                action="test.write",
                object_type="thing",
                object_id=i,
                change={"value": i, "text": "یک"},
            )


def _kinds(result) -> list[tuple[str, str, int | None]]:
    return [(f.kind, f.target, f.seq) for f in result.findings]


def test_entries_form_a_chain_from_the_genesis_hash(empty_project):
    _append(empty_project, 5)
    with empty_project.session() as session:
        head = session.get(AuditHead, 1)
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    previous = genesis_hash(head.log_id)
    for entry in entries:
        assert entry.prev_hash == previous
        assert entry.change_digest == hashlib.sha256(entry.change.encode()).hexdigest()
        body = body_digest(
            entry.recorded_at,
            entry.actor,
            entry.action,
            entry.object_type,
            entry.object_id,
            entry.change_digest,
        )
        assert entry.entry_hash == chain_hash(entry.seq, entry.prev_hash, body)
        previous = entry.entry_hash
    assert (head.seq, head.entry_hash) == (5, previous)
    assert audit.verify_project(empty_project).ok


def test_change_is_stored_as_canonical_json(empty_project):
    with empty_project.transaction() as session:
        audit.append(
            session, actor="a", action="x", object_type="t", object_id=1, change={"b": 1, "a": "ی"}
        )
    with empty_project.session() as session:
        entry = session.get(AuditEntry, 1)
    assert entry.change == '{"a":"ی","b":1}' == canonical_json({"b": 1, "a": "ی"})


def test_covers_is_a_reserved_change_key(empty_project):
    with pytest.raises(ValueError, match="reserved"), empty_project.transaction() as session:
        audit.append(
            session, actor="a", action="x", object_type="t", object_id=1, change={"covers": []}
        )


def test_a_rolled_back_transaction_leaves_no_entry(empty_project):
    with pytest.raises(RuntimeError), empty_project.transaction() as session:
        audit.append(session, actor="a", action="x", object_type="t", object_id=1)
        raise RuntimeError("the change failed")
    _append(empty_project, 1)
    with empty_project.session() as session:
        assert session.scalars(select(AuditEntry.seq)).all() == [1]
    assert audit.verify_project(empty_project).ok


def test_deleted_entry_is_named(empty_project, tamper):
    _append(empty_project, 6)
    tamper(empty_project, "DELETE FROM audit_entry WHERE seq = 3")
    result = audit.verify_project(empty_project)
    assert not result.ok
    assert _kinds(result) == [("deleted", "audit_entry", 3)]
    assert "entry 3 missing" in str(result.findings[0])


def test_deleted_last_entry_is_named(empty_project, tamper):
    _append(empty_project, 4)
    tamper(empty_project, "DELETE FROM audit_entry WHERE seq = 4")
    result = audit.verify_project(empty_project)
    assert _kinds(result) == [("deleted", "audit_entry", 4)]


def test_reordered_entries_are_named(empty_project, tamper):
    _append(empty_project, 6)
    # Swap entries 2 and 3 wholesale (their stored contents and hashes trade places).
    tamper(empty_project, "UPDATE audit_entry SET seq = -2 WHERE seq = 2")
    tamper(empty_project, "UPDATE audit_entry SET seq = 2 WHERE seq = 3")
    tamper(empty_project, "UPDATE audit_entry SET seq = 3 WHERE seq = -2")
    result = audit.verify_project(empty_project)
    assert _kinds(result) == [("reordered", "audit_entry", 2), ("reordered", "audit_entry", 3)]
    assert "stored at seq 2 was written as seq 3" in str(result.findings[0])


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_entry SET actor = 'mallory' WHERE seq = 4",
        "UPDATE audit_entry SET recorded_at = '2020-01-01T00:00:00.000000+00:00' WHERE seq = 4",
        "UPDATE audit_entry SET object_id = '99' WHERE seq = 4",
        "UPDATE audit_entry SET change = replace(change, '3', '99') WHERE seq = 4",
    ],
    ids=["actor", "time", "object", "change"],
)
def test_altered_entry_is_named(empty_project, tamper, sql):
    _append(empty_project, 6)
    tamper(empty_project, sql)
    result = audit.verify_project(empty_project)
    assert _kinds(result) == [("altered", "audit_entry", 4)]


def test_altered_head_is_reported(empty_project, tamper):
    _append(empty_project, 3)
    tamper(empty_project, "UPDATE audit_head SET entry_hash = :h", h="0" * 64)
    assert _kinds(audit.verify_project(empty_project)) == [("altered", "audit_head", 3)]


def _rewrite_after(project, first: int) -> None:
    """Replace every entry after `first` with forged ones, re-hashed consistently."""
    with project.engine.begin() as connection:
        rows = connection.execute(
            text("SELECT seq, prev_hash, entry_hash FROM audit_entry ORDER BY seq")
        ).all()
        previous = rows[first - 1].entry_hash
        for seq, _, _ in rows[first:]:
            change = canonical_json({"value": "forged"})
            digest = hashlib.sha256(change.encode()).hexdigest()
            at = "2030-01-01T00:00:00.000000+00:00"
            body = body_digest(at, "mallory", "test.write", "thing", "0", digest)
            new_hash = chain_hash(seq, previous, body)
            connection.execute(
                text(
                    "UPDATE audit_entry SET recorded_at=:at, actor='mallory', object_id='0', "
                    "change=:c, change_digest=:d, prev_hash=:p, entry_hash=:h WHERE seq=:s"
                ),
                {"at": at, "c": change, "d": digest, "p": previous, "h": new_hash, "s": seq},
            )
            previous = new_hash
        connection.execute(text("UPDATE audit_head SET entry_hash = :h"), {"h": previous})


def test_rewritten_chain_is_caught_by_the_signed_checkpoint(empty_project):
    _append(empty_project, 5)
    checkpoint = audit.create_checkpoint(empty_project)
    assert checkpoint.seq == 5
    _append(empty_project, 2, start=5)
    assert audit.verify_project(empty_project).ok
    _rewrite_after(empty_project, 1)
    result = audit.verify_project(empty_project)
    # The chain itself is consistent again; only the signature over entry 5 betrays it.
    assert _kinds(result) == [("altered", "audit_entry", 5)]
    assert "rewritten since it was signed" in str(result.findings[0])


def test_interval_checkpoints_are_automatic_and_required(empty_project, tamper, monkeypatch):
    monkeypatch.setattr(audit_log, "CHECKPOINT_INTERVAL", 4)
    _append(empty_project, 9)
    checkpoints = audit.list_checkpoints(empty_project)
    assert [(c.seq, c.kind) for c in checkpoints] == [(4, "interval"), (8, "interval")]
    assert audit.verify_project(empty_project).ok
    # An attacker who rewrites the chain and deletes the checkpoints they cannot re-sign:
    _rewrite_after(empty_project, 1)
    tamper(empty_project, "DELETE FROM audit_checkpoint")
    result = audit.verify_project(empty_project)
    assert _kinds(result) == [("deleted", "checkpoint", 4), ("deleted", "checkpoint", 8)]


def test_forged_checkpoint_signature(empty_project, tamper):
    _append(empty_project, 3)
    audit.create_checkpoint(empty_project)
    tamper(empty_project, "UPDATE audit_checkpoint SET created_at = '2031-01-01T00:00:00+00:00'")
    assert _kinds(audit.verify_project(empty_project)) == [("forged", "checkpoint", 3)]


def test_checkpoint_by_an_untrusted_key(empty_project, tmp_path, monkeypatch):
    _append(empty_project, 3)
    audit.create_checkpoint(empty_project)
    signer = audit.public_key_hex(audit.load_signing_key(create=False))
    monkeypatch.setenv("RECKON_HOME", str(tmp_path / "another-installation"))
    result = audit.verify_project(empty_project)
    assert _kinds(result) == [("untrusted", "checkpoint", 3)]
    assert audit.verify_project(empty_project, trust_keys=[signer]).ok
    audit.trust_key(signer)
    assert audit.verify_project(empty_project).ok


def test_exported_checkpoints_catch_a_rewrite_even_without_stored_ones(
    empty_project, tmp_path, tamper
):
    _append(empty_project, 4)
    audit.create_checkpoint(empty_project)
    kept = tmp_path / "kept-elsewhere.json"
    assert audit.export_checkpoints(empty_project, kept) == 1
    assert audit.verify_project(empty_project, checkpoint_file=kept).ok
    _rewrite_after(empty_project, 1)
    tamper(empty_project, "DELETE FROM audit_checkpoint")
    assert audit.verify_project(empty_project).ok  # nothing in the database betrays it…
    result = audit.verify_project(empty_project, checkpoint_file=kept)  # …the kept file does
    assert _kinds(result) == [("altered", "audit_entry", 4)]


def test_checkpoint_file_of_another_log_is_refused(empty_project, tmp_path, tamper):
    _append(empty_project, 2)
    audit.create_checkpoint(empty_project)
    kept = tmp_path / "c.json"
    audit.export_checkpoints(empty_project, kept)
    tamper(empty_project, "UPDATE audit_head SET log_id = 'another'")
    from reckon.errors import ConfigError

    with pytest.raises(ConfigError, match="another log"):
        audit.verify_project(empty_project, checkpoint_file=kept)


def test_concurrent_writers_never_fork_the_chain(empty_project):
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(15):
                with empty_project.transaction() as session:
                    audit.append(session, actor=f"w{n}", action="w", object_type="t", object_id=i)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    with empty_project.session() as session:
        seqs = session.scalars(select(AuditEntry.seq).order_by(AuditEntry.seq)).all()
    assert seqs == list(range(1, 61))
    assert audit.verify_project(empty_project).ok


def test_list_entries_newest_first(empty_project):
    _append(empty_project, 3)
    entries = audit.list_entries(empty_project, limit=2)
    assert [e.seq for e in entries] == [3, 2]
    assert entries[0].change_data == {"text": "یک", "value": 2}
    assert [e.seq for e in audit.list_entries(empty_project, object_type="thing", object_id=0)] == [
        1
    ]
