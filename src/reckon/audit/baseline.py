"""Adopt rows written before the audit log existed (a project created before schema 0002).

Such rows have no entry covering them, so `reckon verify` reports them as inserted behind the
log's back. `baseline` appends one audited entry per import batch (covering its source, batch and
records, as an import does) and one per user, stating: this is the state found when the log was
started. Rows that are already covered are left alone, so running it twice does nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from reckon.audit.log import RowSet, append
from reckon.model import AuditEntry, ImportBatch, Role, User
from reckon.store.project import Project

if TYPE_CHECKING:
    from reckon.access import Actor


@dataclass(frozen=True)
class BaselineResult:
    batches: int
    users: int


def _logged(session, object_type: str) -> set[str]:
    return set(
        session.scalars(select(AuditEntry.object_id).where(AuditEntry.object_type == object_type))
    )


def baseline(project: Project, actor: Actor) -> BaselineResult:
    """Cover every import batch and user that no audit entry covers yet (admins only)."""
    from reckon.access import require_role  # reckon.access itself uses reckon.audit

    require_role(actor, Role.ADMIN, "baseline the audit log")
    batches = users = 0
    with project.transaction() as session:
        logged = _logged(session, "import_batch")
        for batch in session.scalars(select(ImportBatch).order_by(ImportBatch.id)):
            if str(batch.id) in logged:
                continue
            append(
                session,
                actor=actor.username,
                action="audit.baseline",
                object_type="import_batch",
                object_id=batch.id,
                change={
                    "found": "imported before the audit log existed",
                    "rows": batch.rows_imported,
                },
                covers=[
                    RowSet.row("source", batch.source_id),
                    RowSet.row("import_batch", batch.id),
                    RowSet("record", {"batch_id": batch.id}, "row_number"),
                ],
            )
            batches += 1
        logged = _logged(session, "app_user")
        for user in session.scalars(select(User).order_by(User.id)):
            if str(user.id) in logged:
                continue
            append(
                session,
                actor=actor.username,
                action="audit.baseline",
                object_type="app_user",
                object_id=user.id,
                change={"found": "user added before the audit log existed"},
                covers=[RowSet.row("app_user", user.id)],
            )
            users += 1
    return BaselineResult(batches, users)
