"""Domain types and tables (SQLAlchemy 2 typed mappings)."""

from reckon.model.base import (
    Base,
    DecidedBy,
    DecisionKind,
    InvolvementRole,
    PlaceKind,
    Role,
    Sensitivity,
)
from reckon.model.case import Event, Involvement, Place
from reckon.model.dates import DateInterval
from reckon.model.linkage import LinkDecision, Person, PersonRecord
from reckon.model.registry import ImportBatch, Record, Source
from reckon.model.user import User

__all__ = [
    "Base",
    "DateInterval",
    "DecidedBy",
    "DecisionKind",
    "Event",
    "ImportBatch",
    "Involvement",
    "InvolvementRole",
    "LinkDecision",
    "Person",
    "PersonRecord",
    "Place",
    "PlaceKind",
    "Record",
    "Role",
    "Sensitivity",
    "Source",
    "User",
]
