"""Reading the linkage: persons with their lists, and the record-to-person export."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from reckon.errors import NotFoundError, ReckonError
from reckon.model import ImportBatch, Person, PersonRecord, Record, Sensitivity, Source
from reckon.store.project import Project

EXPORT_COLUMNS = ("person_id", "source", "file", "row", "match_probability", "record_id")


def export_links(project: Project, out: Path | str) -> int:
    """Write one CSV row per record: person_id, source, file, row (1-based data row of the
    original file), match_probability (to its cluster; empty for a person of one record),
    record_id. Records not yet linked have an empty person_id. Returns the rows written."""
    out = Path(out)
    query = (
        select(
            PersonRecord.person_id,
            Source.name,
            ImportBatch.file_name,
            Record.row_number,
            PersonRecord.match_probability,
            Record.id,
        )
        .select_from(Record)
        .join(Source, Source.id == Record.source_id)
        .join(ImportBatch, ImportBatch.id == Record.batch_id)
        .outerjoin(PersonRecord, PersonRecord.record_id == Record.id)
        .order_by(Record.id)
    )
    try:
        handle = out.open("w", encoding="utf-8", newline="")
    except OSError as error:
        raise ReckonError(f"cannot write {out}: {error.strerror}") from None
    count = 0
    with handle, project.session() as session:
        linked = session.scalar(select(func.count()).select_from(PersonRecord))
        if not linked:
            raise NotFoundError("no linked persons yet: run `reckon link` first")
        writer = csv.writer(handle)
        writer.writerow(EXPORT_COLUMNS)
        for row in session.execute(query).yield_per(10_000):
            person, source, file, number, probability, record_id = row
            writer.writerow(
                [
                    "" if person is None else person,
                    source,
                    file,
                    number,
                    "" if probability is None else f"{probability:.6f}",
                    record_id,
                ]
            )
            count += 1
    return count


@dataclass(frozen=True)
class PersonSummary:
    """A person, how many records it has and on which lists."""

    id: int
    records: int
    sources: tuple[str, ...]
    name: str | None


@dataclass
class PersonsPage:
    persons: list[PersonSummary]
    total: int
    by_list_count: dict[int, int] = field(default_factory=dict)


def list_persons(
    project: Project,
    *,
    source: str | None = None,
    min_lists: int = 1,
    limit: int = 50,
    offset: int = 0,
) -> PersonsPage:
    """Active persons in id order with the lists (sources) they appear on.

    ``by_list_count`` counts every matching person (not only the page) by number of lists.
    The name shown is the first record's as written, skipping restricted records.
    """
    with project.session() as session:
        rows = session.execute(
            select(PersonRecord.person_id, Source.name)
            .join(Person, Person.id == PersonRecord.person_id)
            .join(Record, Record.id == PersonRecord.record_id)
            .join(Source, Source.id == Record.source_id)
            .where(Person.retired_at.is_(None))
        ).all()
        sources: dict[int, set[str]] = {}
        records: Counter[int] = Counter()
        for person_id, name in rows:
            sources.setdefault(person_id, set()).add(name)
            records[person_id] += 1
        chosen = sorted(
            p
            for p, names in sources.items()
            if len(names) >= min_lists and (source is None or source in names)
        )
        by_count = Counter(len(sources[p]) for p in chosen)
        page_ids = chosen[offset : offset + limit]
        names: dict[int, str] = {}
        if page_ids:
            for person_id, record in session.execute(
                select(PersonRecord.person_id, Record)
                .join(Record, Record.id == PersonRecord.record_id)
                .where(PersonRecord.person_id.in_(page_ids))
                .order_by(Record.id)
            ).all():
                if person_id in names or record.sensitivity == Sensitivity.RESTRICTED.value:
                    continue
                names[person_id] = record.display_name
        return PersonsPage(
            persons=[
                PersonSummary(p, records[p], tuple(sorted(sources[p])), names.get(p))
                for p in page_ids
            ],
            total=len(chosen),
            by_list_count=dict(sorted(by_count.items())),
        )
