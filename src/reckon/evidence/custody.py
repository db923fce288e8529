"""Chain of custody: every acquisition, view, download, export, transfer and verification.

Each custody event is a row (who, when, what, why) and an audit entry covering that row, written
in the caller's transaction.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reckon import audit
from reckon.model import CustodyEvent


class CustodyAction(enum.StrEnum):
    ACQUISITION = "acquisition"
    VIEW = "view"
    DOWNLOAD = "download"
    EXPORT = "export"
    TRANSFER = "transfer"
    VERIFICATION = "verification"
    LINK = "link"


@dataclass(frozen=True)
class CustodyRecord:
    """One custody event as shown to a user."""

    id: int
    evidence_id: int
    action: str
    actor: str
    occurred_at: datetime
    purpose: str | None
    details: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "evidence_id": self.evidence_id,
            "action": self.action,
            "actor": self.actor,
            "occurred_at": self.occurred_at.isoformat(),
            "purpose": self.purpose,
            "details": self.details,
        }


def record_custody(
    session: Session,
    evidence_id: int,
    action: CustodyAction,
    actor: str,
    *,
    purpose: str | None = None,
    details: dict[str, Any] | None = None,
    covers: list[audit.RowSet] | None = None,
    change: dict[str, Any] | None = None,
) -> CustodyEvent:
    """Add a custody event and its audit entry (with any further `covers`) to the transaction."""
    event = CustodyEvent(
        evidence_id=evidence_id,
        action=action.value,
        actor=actor,
        purpose=purpose,
        details=details or {},
    )
    session.add(event)
    session.flush()
    audit.append(
        session,
        actor=actor,
        action=f"evidence.{action.value}",
        object_type="evidence_item",
        object_id=evidence_id,
        change={"custody_event": event.id, **(change or {})},
        covers=[*(covers or []), audit.RowSet.row("custody_event", event.id)],
    )
    return event


def custody_history(session: Session, evidence_id: int) -> list[CustodyRecord]:
    """An item's custody events, oldest first."""
    events = session.scalars(
        select(CustodyEvent)
        .where(CustodyEvent.evidence_id == evidence_id)
        .order_by(CustodyEvent.id)
    )
    return [
        CustodyRecord(
            e.id, e.evidence_id, e.action, e.actor, e.occurred_at, e.purpose, dict(e.details or {})
        )
        for e in events
    ]
