"""Evidence: stored files, what they are linked to, their chain of custody, and the keys.

An `EvidenceItem` is one file's content (by SHA-256 of the plaintext, so the same file is never
kept twice), with where it came from and who acquired it. Restricted items are stored encrypted;
their name, description and capture metadata are then sealed too (`sealed`). `CustodyEvent` rows
record every acquisition, view, download, export, transfer and verification.

Keys: data keys (`DataKey`) encrypt files and fields with AES-256-GCM; they are stored only
wrapped by a key-encryption key derived from a passphrase or a key file
(`KeyEncryptionKey` holds how to derive it, never the key).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from reckon.model.base import Base, Sensitivity, utcnow


class EvidenceItem(Base):
    """One evidence file: content address, what it is, where it came from, who acquired it."""

    __tablename__ = "evidence_item"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)  # of the plaintext
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(200))
    original_name: Mapped[str | None] = mapped_column(String(500))  # None when sealed
    description: Mapped[str | None] = mapped_column(Text)  # None when sealed
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"), index=True)
    sensitivity: Mapped[str] = mapped_column(String(16), default=Sensitivity.INTERNAL.value)
    acquired_by: Mapped[str] = mapped_column(String(200))
    acquired_at: Mapped[datetime] = mapped_column(default=utcnow)
    capture_metadata: Mapped[dict | None] = mapped_column(nullable=True)  # EXIF; None when sealed
    encrypted: Mapped[bool] = mapped_column(Boolean, default=False)
    stored_sha256: Mapped[str] = mapped_column(String(64))  # of the bytes on disk
    data_key_id: Mapped[int | None] = mapped_column(ForeignKey("data_key.id"))
    sealed: Mapped[str | None] = mapped_column(Text)  # encrypted name/description/metadata


class EvidenceLink(Base):
    """Evidence item ↔ the record, person or event it documents."""

    __tablename__ = "evidence_link"
    __table_args__ = (
        UniqueConstraint("evidence_id", "target_type", "target_id"),
        Index("ix_evidence_link_target", "target_type", "target_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence_item.id"), index=True)
    target_type: Mapped[str] = mapped_column(String(16))  # record | person | event
    target_id: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CustodyEvent(Base):
    """Who did what with an evidence item, when and why."""

    __tablename__ = "custody_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence_item.id"), index=True)
    action: Mapped[str] = mapped_column(String(32))  # CustodyAction
    actor: Mapped[str] = mapped_column(String(200))
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    purpose: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict] = mapped_column(default=dict)


class KeyEncryptionKey(Base):
    """How to derive one key-encryption key (KDF, salt, cost) — never the key itself."""

    __tablename__ = "key_encryption_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # passphrase | key_file
    params: Mapped[dict] = mapped_column()
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(nullable=True)


class DataKey(Base):
    """An AES-256 data key, stored wrapped (AES-GCM) by a key-encryption key."""

    __tablename__ = "data_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kek_id: Mapped[int] = mapped_column(ForeignKey("key_encryption_key.id"))
    wrapped: Mapped[bytes] = mapped_column(LargeBinary)  # nonce (12) + ciphertext + tag
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(nullable=True)
