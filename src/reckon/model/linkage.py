"""Persons and link decisions: which records are the same human being, and who said so."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from reckon.model.base import Base, utcnow


class Person(Base):
    """An entity: a cluster of records believed to describe one person.

    The id is stable: a person keeps it while its records stay together. A person whose records
    are split or merged into another is retired (`retired_at`), never deleted.
    """

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(nullable=True)
    retired_reason: Mapped[str | None] = mapped_column(Text)
    successor_ids: Mapped[list | None] = mapped_column(nullable=True)


class PersonRecord(Base):
    """The current assignment of one record to one person, from the latest linkage run."""

    __tablename__ = "person_record"

    record_id: Mapped[int] = mapped_column(ForeignKey("record.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    match_probability: Mapped[float | None] = mapped_column(Float)
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)
    run_id: Mapped[str | None] = mapped_column(String(64))


class LinkDecision(Base):
    """A decision that two records are (or are not) the same person, or a record belongs to one.

    Human decisions bind every later linkage run: `same` always holds, `different` is never broken,
    not even transitively.
    """

    __tablename__ = "link_decision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_a_id: Mapped[int] = mapped_column(ForeignKey("record.id"), index=True)
    record_b_id: Mapped[int | None] = mapped_column(ForeignKey("record.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    decision: Mapped[str] = mapped_column(String(16))  # DecisionKind
    decided_by: Mapped[str] = mapped_column(String(16))  # DecidedBy
    actor: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str | None] = mapped_column(Text)
    match_probability: Mapped[float | None] = mapped_column(Float)
    superseded_by: Mapped[int | None] = mapped_column(ForeignKey("link_decision.id"))
