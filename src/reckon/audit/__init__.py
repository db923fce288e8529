"""The tamper-evident audit log: hash-chained entries, signed checkpoints, and the verifier.

Every service that writes calls :func:`append` inside its own transaction (see
:mod:`reckon.audit.log`); :func:`verify_project` proves the log, the rows it covers and the
stored files are intact, or names what changed.
"""

from reckon.audit.baseline import BaselineResult, baseline
from reckon.audit.checkpoints import (
    Checkpoint,
    create_checkpoint,
    export_checkpoints,
    fingerprint,
    installation_dir,
    list_checkpoints,
    load_signing_key,
    public_key_hex,
    read_checkpoint_file,
    trust_key,
    trusted_keys,
)
from reckon.audit.log import (
    CHECKPOINT_INTERVAL,
    DigestedRows,
    LoggedEntry,
    RowSet,
    append,
    record_import,
)
from reckon.audit.query import AuditRecord, entries_for, latest_covers, list_entries
from reckon.audit.verify import Finding, VerifyResult, verify_project

__all__ = [
    "CHECKPOINT_INTERVAL",
    "AuditRecord",
    "BaselineResult",
    "Checkpoint",
    "DigestedRows",
    "Finding",
    "LoggedEntry",
    "RowSet",
    "VerifyResult",
    "append",
    "baseline",
    "create_checkpoint",
    "entries_for",
    "export_checkpoints",
    "fingerprint",
    "installation_dir",
    "latest_covers",
    "list_checkpoints",
    "list_entries",
    "load_signing_key",
    "public_key_hex",
    "read_checkpoint_file",
    "record_import",
    "trust_key",
    "trusted_keys",
    "verify_project",
]
