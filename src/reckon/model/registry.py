"""Sources, import batches and records: what the lists say, row by row, never altered."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reckon.model.base import Base, Sensitivity, utcnow
from reckon.model.dates import DateInterval


class Source(Base):
    """One list or collection of testimony, as its collector made it."""

    __tablename__ = "source"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    collector: Mapped[str | None] = mapped_column(String(200))
    collected_on: Mapped[str | None] = mapped_column(String(100))
    method: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(50))
    consent_notes: Mapped[str | None] = mapped_column(Text)
    licence_notes: Mapped[str | None] = mapped_column(Text)
    sensitivity: Mapped[str] = mapped_column(String(16), default=Sensitivity.INTERNAL.value)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    batches: Mapped[list[ImportBatch]] = relationship(back_populates="source")


class ImportBatch(Base):
    """One import of one file into one source."""

    __tablename__ = "import_batch"
    __table_args__ = (UniqueConstraint("source_id", "sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    file_format: Mapped[str] = mapped_column(String(16))
    encoding: Mapped[str | None] = mapped_column(String(32))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(200))
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_imported: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    mapping: Mapped[dict] = mapped_column(JSON, default=dict)
    headers: Mapped[list] = mapped_column(JSON, default=list)
    # reckon.text.rules_fingerprint() of the rules that made its records' name keys: set by the
    # import, refreshed by `reckon renormalize`; None for batches imported before it existed.
    rules_fingerprint: Mapped[str | None] = mapped_column(String(64))

    source: Mapped[Source] = relationship(back_populates="batches")


class Record(Base):
    """One row of one source file: the raw values verbatim plus normalized fields.

    Normalization adds columns; it never overwrites what the source wrote (`raw` and the
    `*_text` / as-written name columns).
    """

    __tablename__ = "record"
    __table_args__ = (UniqueConstraint("batch_id", "row_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"), index=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"), index=True)
    row_number: Mapped[int] = mapped_column(Integer)  # 1-based data row of the original file
    source_record_id: Mapped[str | None] = mapped_column(String(200))
    raw: Mapped[dict] = mapped_column(JSON)

    # Names as written.
    full_name: Mapped[str | None] = mapped_column(Text)
    given_name: Mapped[str | None] = mapped_column(Text)
    family_name: Mapped[str | None] = mapped_column(Text)
    father_name: Mapped[str | None] = mapped_column(Text)
    # Names as normalized for matching (reckon.text).
    name_script: Mapped[str | None] = mapped_column(String(16))
    name_normalized: Mapped[str | None] = mapped_column(Text)
    name_key: Mapped[str | None] = mapped_column(String(200), index=True)
    name_keys: Mapped[list] = mapped_column(JSON, default=list)
    honorifics: Mapped[str | None] = mapped_column(String(200))
    father_normalized: Mapped[str | None] = mapped_column(Text)
    father_key: Mapped[str | None] = mapped_column(String(200))
    search_text: Mapped[str | None] = mapped_column(Text)

    gender: Mapped[str | None] = mapped_column(String(1))  # "m", "f" or "x"
    gender_text: Mapped[str | None] = mapped_column(String(50))
    age: Mapped[int | None] = mapped_column(Integer)

    birth_earliest: Mapped[date | None] = mapped_column(Date)
    birth_latest: Mapped[date | None] = mapped_column(Date)
    birth_calendar: Mapped[str | None] = mapped_column(String(16))
    birth_precision: Mapped[str | None] = mapped_column(String(16))
    birth_text: Mapped[str | None] = mapped_column(String(200))

    death_earliest: Mapped[date | None] = mapped_column(Date, index=True)
    death_latest: Mapped[date | None] = mapped_column(Date)
    death_calendar: Mapped[str | None] = mapped_column(String(16))
    death_precision: Mapped[str | None] = mapped_column(String(16))
    death_text: Mapped[str | None] = mapped_column(String(200))

    place_of_detention: Mapped[str | None] = mapped_column(Text)
    place_of_death: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str | None] = mapped_column(Text)
    affiliation: Mapped[str | None] = mapped_column(Text)
    fate: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    warnings: Mapped[list] = mapped_column(JSON, default=list)
    sensitivity: Mapped[str] = mapped_column(String(16), default=Sensitivity.INTERNAL.value)
    # Restricted fields, encrypted (AES-256-GCM) by reckon.evidence.fields; their clear
    # values are removed from `raw` / the columns above.
    sealed: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    source: Mapped[Source] = relationship()
    batch: Mapped[ImportBatch] = relationship()

    @property
    def birth_date(self) -> DateInterval:
        return DateInterval(
            self.birth_earliest,
            self.birth_latest,
            self.birth_calendar,
            self.birth_precision,
            self.birth_text,
        )

    @property
    def death_date(self) -> DateInterval:
        return DateInterval(
            self.death_earliest,
            self.death_latest,
            self.death_calendar,
            self.death_precision,
            self.death_text,
        )

    @property
    def display_name(self) -> str:
        """The name as the source wrote it: the full name, else given + family."""
        if self.full_name:
            return self.full_name
        return " ".join(p for p in (self.given_name, self.family_name) if p)
