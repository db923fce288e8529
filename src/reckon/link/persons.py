"""Persons with stable ids: clusters of records become Person entities across runs.

A person keeps its id while its records stay together. Each new cluster inherits the id of the
current person holding most of its records; an old person can be inherited by one cluster only
(the one holding most of *its* records). Ties are broken deterministically: the larger overlap
first, then the smaller person id, then the cluster whose smallest record id is smaller.
Clusters that inherit nothing get new ids, in order of their smallest record id.

A person whose id no cluster inherits is retired, never deleted: ``retired_at``,
``retired_reason`` ("merged into 12", "split into 15, 16") and ``successor_ids`` (the persons
now holding its records) say what became of it. Every merge (a cluster gathering records of
several old persons) and split (an old person's records now in several clusters) is reported
with the ids involved.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain

import numpy as np
import pandas as pd
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from reckon.model import Person, PersonRecord
from reckon.model.base import utcnow

_CHUNK = 20_000


@dataclass
class PersonChanges:
    """What one assignment did to the persons."""

    persons: int = 0
    created: list[int] = field(default_factory=list)
    kept: int = 0
    retired: list[int] = field(default_factory=list)
    merges: list[dict] = field(default_factory=list)  # {"person_id", "from": [old ids]}
    splits: list[dict] = field(default_factory=list)  # {"person_id", "into": [new ids]}
    records_moved: int = 0

    def to_dict(self, limit: int | None = None) -> dict:
        cut = (lambda items: items[:limit]) if limit else (lambda items: items)
        return {
            "persons": self.persons,
            "created": len(self.created),
            "kept": self.kept,
            "retired": cut(self.retired),
            "retired_count": len(self.retired),
            "merges": cut(self.merges),
            "merge_count": len(self.merges),
            "splits": cut(self.splits),
            "split_count": len(self.splits),
            "records_moved": self.records_moved,
        }


def current_assignments(session: Session) -> pd.DataFrame:
    """(record_id, person_id) of every record assigned to an active person."""
    rows = session.execute(
        select(PersonRecord.record_id, PersonRecord.person_id)
        .join(Person, Person.id == PersonRecord.person_id)
        .where(Person.retired_at.is_(None))
    ).all()
    # values read in one pass: pandas and numpy probe each Row object's attributes
    data = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=2 * len(rows))
    data = data.reshape(-1, 2)
    return pd.DataFrame(data, columns=["record_id", "person_id"])


def match_clusters(
    labels: pd.Series, old: pd.Series, next_id: int
) -> tuple[dict[int, int], PersonChanges]:
    """Person id for each cluster label, from the old assignment (see the module docs).

    ``labels``: cluster label per record id (index); ``old``: old person id per record id
    (records never assigned are absent). Returns (label -> person id, changes) — the changes
    list merges, splits, created and retired ids but touches no database.
    """
    frame = pd.DataFrame({"label": labels})
    frame["old"] = old.reindex(frame.index)
    known = frame.dropna(subset=["old"]).astype({"old": "int64"})
    overlap = known.groupby(["label", "old"], sort=False).size().rename("n").reset_index()
    first_record = frame.reset_index().groupby("label")["index"].min()
    overlap["first"] = overlap["label"].map(first_record)
    overlap = overlap.sort_values(["n", "old", "first"], ascending=[False, True, True])

    person_of: dict[int, int] = {}
    taken: set[int] = set()
    for label, old_id in zip(overlap["label"].to_numpy(), overlap["old"].to_numpy(), strict=True):
        label, old_id = int(label), int(old_id)
        if label in person_of or old_id in taken:
            continue
        person_of[label] = old_id
        taken.add(old_id)
    changes = PersonChanges()
    changes.kept = len(person_of)
    for label in first_record.sort_values(kind="stable").index.to_numpy():
        label = int(label)
        if label not in person_of:
            person_of[label] = next_id
            changes.created.append(next_id)
            next_id += 1
    changes.persons = len(person_of)

    if len(known):
        known = known.assign(new=known["label"].map(person_of))
        old_ids, new_ids = _distinct_pairs(known["old"].to_numpy(), known["new"].to_numpy())
        for old_id, successors in _groups(old_ids, new_ids):
            if len(successors) > 1:
                changes.splits.append({"person_id": old_id, "into": successors})
            if old_id not in taken:
                changes.retired.append(old_id)
        for new_id, olds in _groups(*_distinct_pairs(new_ids, old_ids)):
            if len(olds) > 1:
                changes.merges.append({"person_id": new_id, "from": olds})
        changes.records_moved = int((known["new"] != known["old"]).sum())
    # persons whose records all vanished (none in the new clusters)
    gone = set(old.unique().tolist()) - set(known["old"].unique().tolist()) if len(old) else set()
    changes.retired.extend(sorted(int(x) for x in gone))
    changes.retired.sort()
    return person_of, changes


def _distinct_pairs(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (key, value) pairs, sorted by key, then value."""
    pairs = np.unique(np.column_stack([keys, values]).astype(np.int64), axis=0)
    return pairs[:, 0], pairs[:, 1]


def _groups(keys: np.ndarray, values: np.ndarray) -> Iterator[tuple[int, list[int]]]:
    """(key, its values) of pairs sorted by key: one slice per key, no per-group objects
    (a pandas groupby-apply over every person took most of a relink's time)."""
    distinct, starts = np.unique(keys, return_index=True)
    ends = np.append(starts[1:], len(keys)) if len(keys) else starts
    values_list = values.tolist()
    for key, start, end in zip(distinct.tolist(), starts.tolist(), ends.tolist(), strict=True):
        yield key, values_list[start:end]


def assign_persons(
    session: Session,
    record_ids: np.ndarray,
    labels: np.ndarray,
    probability: np.ndarray,
    run_id: str,
    now: datetime | None = None,
) -> PersonChanges:
    """Write the persons of a clustering (``labels[i]`` is the cluster of ``record_ids[i]``).

    Keeps ids stable (see the module docs), creates and retires persons, and replaces the
    record -> person assignments, all in ``session`` (the caller's transaction).
    """
    now = now or utcnow()
    old_frame = current_assignments(session)
    old = pd.Series(old_frame["person_id"].to_numpy(), index=old_frame["record_id"].to_numpy())
    next_id = int(session.scalar(select(func.coalesce(func.max(Person.id), 0))) or 0) + 1
    labels_series = pd.Series(np.asarray(labels, dtype=np.int64), index=record_ids)
    person_of, changes = match_clusters(labels_series, old, next_id)

    if changes.created:
        for start in range(0, len(changes.created), _CHUNK):
            session.execute(
                insert(Person.__table__),  # Core: the ORM's bulk path costs ~5 µs a row
                [{"id": i, "created_at": now} for i in changes.created[start : start + _CHUNK]],
            )
        if session.bind is not None and session.bind.dialect.name == "postgresql":
            session.execute(
                select(
                    func.setval(func.pg_get_serial_sequence("person", "id"), max(changes.created))
                )
            )
    if len(old) and changes.retired:
        new_person = labels_series.map(person_of)
        moved = pd.DataFrame({"old": old, "new": new_person.reindex(old.index)}).dropna()
        by_old = dict(_groups(*_distinct_pairs(moved["old"].to_numpy(), moved["new"].to_numpy())))
        for old_id in changes.retired:
            succ = by_old.get(old_id, [])
            reason = (
                f"merged into {succ[0]}"
                if len(succ) == 1
                else f"split into {', '.join(map(str, succ))}"
                if succ
                else "its records are no longer linked"
            )
            session.execute(
                update(Person)
                .where(Person.id == old_id)
                .values(retired_at=now, retired_reason=reason, successor_ids=succ or None)
            )

    session.execute(delete(PersonRecord))
    person_ids = labels_series.map(person_of).to_numpy(dtype=np.int64)
    probs = np.asarray(probability, dtype=float)
    rows = [
        {
            "record_id": int(r),
            "person_id": int(p),
            "match_probability": None if np.isnan(q) else float(q),
            "assigned_at": now,
            "run_id": run_id,
        }
        for r, p, q in zip(record_ids.tolist(), person_ids.tolist(), probs.tolist(), strict=True)
    ]
    for start in range(0, len(rows), _CHUNK):
        session.execute(insert(PersonRecord.__table__), rows[start : start + _CHUNK])
    return changes
