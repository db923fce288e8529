"""Signed checkpoints of the audit chain, with the installation's Ed25519 key.

A checkpoint is a signature over (log id, sequence number, entry hash, time). Anyone holding an
exported checkpoint and the public key can later prove that the chain up to that entry is the one
that existed then: rewriting the log, even re-hashing it consistently, cannot produce the same
hash, and a new signature needs the private key.

The private key belongs to the installation, not to the project: it lives in the Reckon home
directory (``$RECKON_HOME``, default ``~/.config/reckon``), readable by its owner only, so a
copy of the project (database and files) cannot forge checkpoints. Verification trusts this
installation's key, keys listed in ``$RECKON_HOME/trusted-keys`` (``reckon keys trust``), and
keys given explicitly (an exported checkpoint file names its key).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import Connection, insert, select

from reckon.audit.canonical import canonical_json, sha256_hex
from reckon.audit.log import now_text
from reckon.errors import ConfigError, IntegrityError, NotFoundError
from reckon.model import AuditCheckpoint, AuditHead
from reckon.store.project import Project

HOME_ENV = "RECKON_HOME"
SIGNING_KEY_FILE = "checkpoint-signing-key.pem"
TRUSTED_KEYS_FILE = "trusted-keys"
EXPORT_FORMAT = "reckon-audit-checkpoints/1"
MESSAGE_TYPE = "reckon-audit-checkpoint/1"


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement: the chain of log `log_id` had hash `entry_hash` at entry `seq`."""

    seq: int
    entry_hash: str
    created_at: str
    kind: str
    public_key: str
    signature: str

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def installation_dir() -> Path:
    """The Reckon home directory of this installation (keys, trusted keys)."""
    configured = os.environ.get(HOME_ENV)
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "reckon"


def fingerprint(public_key_hex: str) -> str:
    """A short, comparable name of a public key: ``SHA256:`` and 32 hex digits."""
    return "SHA256:" + sha256_hex(public_key_hex.lower())[:32]


def public_key_hex(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def signing_key_path() -> Path:
    return installation_dir() / SIGNING_KEY_FILE


def load_signing_key(*, create: bool = True) -> Ed25519PrivateKey:
    """This installation's checkpoint signing key; created (mode 0600) on first use."""
    path = signing_key_path()
    if not path.exists():
        if not create:
            raise NotFoundError(
                f"this installation has no checkpoint signing key ({path}); "
                "run `reckon keys init-signing` or make a checkpoint to create one"
            )
        _create_signing_key(path)
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError) as error:
        raise ConfigError(f"cannot read the checkpoint signing key {path}: {error}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ConfigError(f"{path} is not an Ed25519 private key")
    return key


def _create_signing_key(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd, tmp = tempfile.mkstemp(prefix=".signing-", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):  # another process won the race: use its key
            os.link(tmp, path)
    finally:
        os.unlink(tmp)


def trusted_keys(extra: Iterable[str] = ()) -> set[str]:
    """Public keys (hex) whose checkpoints verification accepts."""
    keys = {k.strip().lower() for k in extra if k.strip()}
    if signing_key_path().exists():
        keys.add(public_key_hex(load_signing_key(create=False)))
    trusted_file = installation_dir() / TRUSTED_KEYS_FILE
    if trusted_file.exists():
        for line in trusted_file.read_text(encoding="utf-8").splitlines():
            value = line.split("#", 1)[0].strip().lower()
            if value:
                keys.add(value)
    return keys


def trust_key(public_key: str) -> str:
    """Add a public key (64 hex digits) to this installation's trusted keys; its fingerprint."""
    value = public_key.strip().lower()
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(value))
    except ValueError:
        raise ConfigError("not an Ed25519 public key: expected 64 hex digits") from None
    path = installation_dir() / TRUSTED_KEYS_FILE
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if value not in trusted_keys():
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"{value}  # {fingerprint(value)}\n")
    return fingerprint(value)


def checkpoint_message(log_id: str, seq: int, entry_hash: str, created_at: str) -> bytes:
    """The exact bytes a checkpoint signature covers."""
    return canonical_json(
        {
            "type": MESSAGE_TYPE,
            "log_id": log_id,
            "seq": seq,
            "entry_hash": entry_hash,
            "created_at": created_at,
        }
    ).encode("utf-8")


def signature_valid(checkpoint: Checkpoint, log_id: str) -> bool:
    """Whether `checkpoint`'s signature is valid for its public key and this log."""
    try:
        public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(checkpoint.public_key))
        public.verify(
            bytes.fromhex(checkpoint.signature),
            checkpoint_message(
                log_id, checkpoint.seq, checkpoint.entry_hash, checkpoint.created_at
            ),
        )
    except (InvalidSignature, ValueError):
        return False
    return True


def sign_checkpoint(
    connection: Connection, log_id: str, seq: int, entry_hash: str, *, kind: str
) -> Checkpoint:
    """Sign the chain at `seq` and store the checkpoint (in the caller's transaction)."""
    key = load_signing_key()
    created_at = now_text()
    signature = key.sign(checkpoint_message(log_id, seq, entry_hash, created_at)).hex()
    checkpoint = Checkpoint(seq, entry_hash, created_at, kind, public_key_hex(key), signature)
    values = checkpoint.to_dict()
    connection.execute(insert(AuditCheckpoint.__table__).values(**values))
    return checkpoint


def _row_to_checkpoint(row: Any) -> Checkpoint:
    return Checkpoint(
        row.seq, row.entry_hash, row.created_at, row.kind, row.public_key, row.signature
    )


def log_id(project: Project) -> str:
    with project.session() as session:
        value = session.scalar(select(AuditHead.log_id).where(AuditHead.id == 1))
    if value is None:
        raise IntegrityError("the audit log has no head row: the database was tampered with")
    return value


def list_checkpoints(project: Project) -> list[Checkpoint]:
    """Every checkpoint stored in the project, by sequence number."""
    table = AuditCheckpoint.__table__
    with project.session() as session:
        rows = session.execute(select(table).order_by(table.c.seq, table.c.id)).all()
    return [_row_to_checkpoint(row) for row in rows]


def create_checkpoint(project: Project) -> Checkpoint:
    """Sign the chain at its current head now (no-op if the head is already signed)."""
    head = AuditHead.__table__
    table = AuditCheckpoint.__table__
    with project.transaction() as session:
        connection = session.connection()
        row = connection.execute(
            select(head.c.seq, head.c.entry_hash, head.c.log_id)
            .where(head.c.id == 1)
            .with_for_update()
        ).one_or_none()
        if row is None:
            raise IntegrityError("the audit log has no head row: the database was tampered with")
        if row.seq == 0:
            raise NotFoundError("the audit log is empty: nothing to sign yet")
        existing = connection.execute(
            select(table).where(table.c.seq == row.seq, table.c.entry_hash == row.entry_hash)
        ).first()
        if existing is not None:
            return _row_to_checkpoint(existing)
        return sign_checkpoint(connection, row.log_id, row.seq, row.entry_hash, kind="manual")


def export_checkpoints(project: Project, path: Path | str) -> int:
    """Write every checkpoint, the log id and the public keys to a JSON file; how many."""
    checkpoints = list_checkpoints(project)
    keys = sorted({c.public_key for c in checkpoints})
    document = {
        "format": EXPORT_FORMAT,
        "log_id": log_id(project),
        "exported_at": now_text(),
        "public_keys": {key: fingerprint(key) for key in keys},
        "checkpoints": [c.to_dict() for c in checkpoints],
    }
    target = Path(path)
    tmp = target.with_name(f".{target.name}.partial")
    tmp.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, target)
    return len(checkpoints)


def read_checkpoint_file(path: Path | str) -> tuple[str, list[Checkpoint]]:
    """The log id and checkpoints of an exported checkpoint file."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ConfigError(f"cannot read checkpoint file {path}: {error}") from None
    if not isinstance(document, Mapping) or document.get("format") != EXPORT_FORMAT:
        raise ConfigError(f"{path} is not a Reckon checkpoint export ({EXPORT_FORMAT})")
    try:
        checkpoints = [Checkpoint(**item) for item in document["checkpoints"]]
        return str(document["log_id"]), checkpoints
    except (KeyError, TypeError) as error:
        raise ConfigError(f"{path}: malformed checkpoint export ({error})") from None
