"""The case graph: places, events and who was involved in them, in what role."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reckon.model.base import Base, PlaceKind, utcnow


class Place(Base):
    """A prison, city, cemetery or mass grave, named in Persian and Latin script."""

    __tablename__ = "place"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name_persian: Mapped[str | None] = mapped_column(Text)
    name_latin: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16), default=PlaceKind.OTHER.value)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Event(Base):
    """Something that happened at a place over a (possibly uncertain) interval of days."""

    __tablename__ = "event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(50))  # execution, arrest, trial, burial, ...
    title: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    date_earliest: Mapped[date | None] = mapped_column(Date)
    date_latest: Mapped[date | None] = mapped_column(Date)
    date_calendar: Mapped[str | None] = mapped_column(String(16))
    date_precision: Mapped[str | None] = mapped_column(String(16))
    date_text: Mapped[str | None] = mapped_column(String(200))
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    place: Mapped[Place | None] = relationship()


class Involvement(Base):
    """A person's part in an event: victim, witness, alleged perpetrator, family member, other."""

    __tablename__ = "involvement"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    role: Mapped[str] = mapped_column(String(32))  # InvolvementRole
    record_id: Mapped[int | None] = mapped_column(ForeignKey("record.id"))  # the claim's source
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
