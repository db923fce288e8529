"""Reading the registry: sources, records and search across scripts.

Services that only read; each takes a Project and returns plain objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select

from reckon import audit
from reckon.access import CLEARANCE, Actor, require_clearance, require_role
from reckon.errors import NotFoundError
from reckon.model import ImportBatch, Record, Role, Sensitivity, Source
from reckon.store.project import Project
from reckon.text import name_key, normalize_name


@dataclass(frozen=True)
class SourceSummary:
    id: int
    name: str
    sensitivity: str
    files: int
    records: int
    last_import: datetime | None


def list_sources(project: Project) -> list[SourceSummary]:
    """Every source with how many files and records it holds."""
    with project.session() as session:
        records = (
            select(Record.source_id, func.count().label("n")).group_by(Record.source_id).subquery()
        )
        batches = (
            select(
                ImportBatch.source_id,
                func.count().label("files"),
                func.max(ImportBatch.imported_at).label("last"),
            )
            .group_by(ImportBatch.source_id)
            .subquery()
        )
        rows = session.execute(
            select(Source, records.c.n, batches.c.files, batches.c.last)
            .outerjoin(records, records.c.source_id == Source.id)
            .outerjoin(batches, batches.c.source_id == Source.id)
            .order_by(Source.id)
        ).all()
        return [
            SourceSummary(s.id, s.name, s.sensitivity, files or 0, n or 0, last)
            for s, n, files, last in rows
        ]


def _search_clause(text: str):
    """Match every token of `text` by its normalized form or its cross-script key."""
    name = normalize_name(text)
    clauses = []
    for token in name.tokens or (text.strip(),):
        key = name_key(token)
        options = [Record.search_text.contains(token)]
        if key:
            options.append(Record.search_text.contains(key))
        clauses.append(or_(*options))
    return and_(*clauses)


def _visible_levels(actor: Actor) -> list[str]:
    return [level.value for level, role in CLEARANCE.items() if actor.has_role(role)]


def find_records(
    project: Project,
    actor: Actor,
    *,
    source: str | None = None,
    search: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Record], int]:
    """Records the actor may see, optionally of one source and matching a name; and the total.

    Restricted records are left out for roles without clearance (searching them would leak
    that a restricted name exists).
    """
    require_role(actor, Role.VIEWER, "list records")
    query = select(Record).join(Source).where(Record.sensitivity.in_(_visible_levels(actor)))
    if source:
        query = query.where(Source.name == source)
    if search and search.strip():
        query = query.where(_search_clause(search))
    with project.session() as session:
        if source and session.scalar(select(Source.id).where(Source.name == source)) is None:
            raise NotFoundError(f"no source named {source!r}; `reckon sources` lists them")
        total = session.scalar(select(func.count()).select_from(query.subquery()))
        rows = session.scalars(query.order_by(Record.id).limit(limit).offset(offset)).all()
        for record in rows:
            _ = record.source.name, record.batch.file_name  # load before the session closes
        return list(rows), total or 0


def get_record(project: Project, actor: Actor, record_id: int) -> Record:
    """One record with its source and batch loaded; reading a restricted one is audited."""
    with project.transaction() as session:
        record = session.get(Record, record_id)
        if record is None:
            raise NotFoundError(f"no record with id {record_id}")
        require_clearance(actor, record.sensitivity, f"record {record_id}")
        _ = record.source.name, record.batch.file_name
        if record.sensitivity == Sensitivity.RESTRICTED.value:
            audit.append(
                session,
                actor=actor.username,
                action="record.read",
                object_type="record",
                object_id=record_id,
                change={"sensitivity": record.sensitivity},
            )
        return record
