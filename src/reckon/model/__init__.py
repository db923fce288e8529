"""Domain types and tables (SQLAlchemy 2 typed mappings)."""

from reckon.model.audit import AuditCheckpoint, AuditEntry, AuditHead, AuditRowIndex
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
from reckon.model.evidence import (
    CustodyEvent,
    DataKey,
    EvidenceItem,
    EvidenceLink,
    KeyEncryptionKey,
)
from reckon.model.linkage import LinkDecision, Person, PersonRecord
from reckon.model.registry import ImportBatch, Record, Source
from reckon.model.user import User

__all__ = [
    "AuditCheckpoint",
    "AuditEntry",
    "AuditHead",
    "AuditRowIndex",
    "Base",
    "CustodyEvent",
    "DataKey",
    "DateInterval",
    "DecidedBy",
    "DecisionKind",
    "Event",
    "EvidenceItem",
    "EvidenceLink",
    "ImportBatch",
    "Involvement",
    "InvolvementRole",
    "KeyEncryptionKey",
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
