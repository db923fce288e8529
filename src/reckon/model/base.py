"""Declarative base, naming conventions and the small column types every table shares."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, MetaData
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names make Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every Reckon table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict: JSON, list: JSON, datetime: DateTime(timezone=True)}  # noqa: RUF012


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class Sensitivity(enum.StrEnum):
    """Who may see a source, field or file."""

    PUBLIC = "public"
    INTERNAL = "internal"
    RESTRICTED = "restricted"


class PlaceKind(enum.StrEnum):
    PRISON = "prison"
    CITY = "city"
    CEMETERY = "cemetery"
    MASS_GRAVE = "mass_grave"
    OTHER = "other"


class InvolvementRole(enum.StrEnum):
    VICTIM = "victim"
    WITNESS = "witness"
    ALLEGED_PERPETRATOR = "alleged_perpetrator"
    FAMILY_MEMBER = "family_member"
    OTHER = "other"


class Role(enum.StrEnum):
    """What a user may do; each role includes the rights of those before it."""

    VIEWER = "viewer"
    DOCUMENTER = "documenter"
    ANALYST = "analyst"
    INVESTIGATOR = "investigator"
    ADMIN = "admin"


class DecisionKind(enum.StrEnum):
    SAME = "same"  # must-link
    DIFFERENT = "different"  # cannot-link
    UNSURE = "unsure"


class DecidedBy(enum.StrEnum):
    MODEL = "model"
    HUMAN = "human"
