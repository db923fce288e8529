"""The audit log: a hash chain of entries, its head, signed checkpoints and row indexes.

Every write appends one `AuditEntry`; each entry holds the hash of the one before it, so the log
is a hash chain. `AuditHead` is the single row that points at the newest entry: writers lock it,
so two writers can never fork the chain. `AuditCheckpoint` rows are Ed25519 signatures over the
chain at given sequence numbers. `AuditRowIndex` keeps, for an entry that covers many rows (an
import), a short digest of each row so that `reckon verify` can name the row that changed.

The values hashed are stored exactly as hashed (times as ISO 8601 text, the change as canonical
JSON text), so verification never depends on how a database round-trips a type.
"""

from __future__ import annotations

from sqlalchemy import Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from reckon.model.base import Base


class AuditEntry(Base):
    """One write: who did what to which object, a digest of the change, the previous hash."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_object", "object_type", "object_id"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    recorded_at: Mapped[str] = mapped_column(String(40))  # ISO 8601, UTC, exactly as hashed
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[str] = mapped_column(String(200))
    change: Mapped[str] = mapped_column(Text)  # canonical JSON, exactly as hashed
    change_digest: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The newest entry of the chain (one row, id 1), locked by every writer; and the log's id."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    log_id: Mapped[str] = mapped_column(String(36))  # random; binds chain and checkpoints to it
    seq: Mapped[int] = mapped_column(Integer)
    entry_hash: Mapped[str] = mapped_column(String(64))


class AuditCheckpoint(Base):
    """An Ed25519 signature over (log id, seq, entry hash, time): the chain up to `seq`."""

    __tablename__ = "audit_checkpoint"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, index=True)
    entry_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(16))  # "interval" (every N entries) or "manual"
    public_key: Mapped[str] = mapped_column(String(64))  # raw Ed25519 public key, hex
    signature: Mapped[str] = mapped_column(String(128))  # hex


class AuditRowIndex(Base):
    """Row ids and 8-byte row digests of one large cover of one entry (to name changed rows)."""

    __tablename__ = "audit_row_index"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    cover: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    ids: Mapped[bytes] = mapped_column(LargeBinary)  # zlib of delta-encoded int64 ids
    digests: Mapped[bytes] = mapped_column(LargeBinary)  # 8 bytes per row, in the same order
