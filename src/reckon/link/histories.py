"""Capture histories from linked persons: which lists (sources) each person appears on.

This is what multiple systems estimation needs (:mod:`reckon.estimate`). By default the current
persons are used; with ``threshold`` the records are clustered again from the stored scored
pairs at that match probability (human decisions still bind), for the linkage-sensitivity table.
With ``by``, one table per stratum: a person's stratum is the most common value of the field among
its records (ties: the first in sort order), compared by cross-script key so that Tehran,
Teheran and تهران are one stratum; records without a value leave the person in ``"unknown"``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import select

from reckon.errors import EstimationError, LinkageConfigError, NotFoundError
from reckon.estimate.histories import CaptureHistories
from reckon.link.features import place_forms
from reckon.link.service import cluster_stored_pairs, latest_run, scored_pairs_path
from reckon.model import Person, PersonRecord, Record, Source
from reckon.store.project import Project, open_project

#: Fields a stratum can come from (``death_month`` is the month of the earliest death date).
STRATA = ("city", "place_of_detention", "place_of_death", "death_month", "gender", "affiliation")
UNKNOWN = "unknown"


def _records(project: Project, by: str | None) -> pd.DataFrame:
    columns = [Record.id, Source.name]
    if by == "death_month":
        columns.append(Record.death_earliest)
    elif by:
        columns.append(getattr(Record, by))
    with project.session() as session:
        rows = session.execute(select(*columns).join(Source, Source.id == Record.source_id)).all()
    names = ["record_id", "source"] + (["value"] if by else [])
    return pd.DataFrame(rows, columns=names)


def _clusters(project: Project, record_ids: np.ndarray, threshold: float | None) -> pd.Series:
    """Person (or cluster) per record id."""
    if threshold is None:
        with project.session() as session:
            rows = session.execute(
                select(PersonRecord.record_id, PersonRecord.person_id)
                .join(Person, Person.id == PersonRecord.person_id)
                .where(Person.retired_at.is_(None))
            ).all()
        if not rows:
            raise NotFoundError("no linked persons yet: run `reckon link` first")
        assigned = pd.Series(dict(rows))
        # records imported after the last run are persons of their own
        missing = np.setdiff1d(record_ids, assigned.index.to_numpy())
        extra = pd.Series(-missing, index=missing)
        return pd.concat([assigned, extra])
    if not 0 < threshold < 1:
        raise LinkageConfigError(f"threshold must be between 0 and 1, not {threshold}")
    veto = latest_run(project).get("veto")  # the run in force's (runs before vetoes: none)
    if veto is not None and veto >= threshold:
        veto = None  # a threshold this low is plain single linkage
    clusters, _ = cluster_stored_pairs(
        project, scored_pairs_path(project), record_ids, threshold=threshold, veto=veto
    )
    return pd.Series(clusters.labels, index=clusters.record_ids)


def _stratum_values(frame: pd.DataFrame, by: str) -> pd.Series:
    """(key, label) per record: comparable key and a readable label."""
    values = frame["value"]
    if by == "death_month":
        dates = pd.to_datetime(values, errors="coerce")
        label = dates.dt.strftime("%Y-%m")
        return label.where(dates.notna(), None)
    if by in {"gender"}:
        return values.where(values.notna() & (values != ""), None)
    keys = {}
    for text in pd.unique(values.dropna()):
        key, _ = place_forms(str(text))
        keys[text] = key
    return values.map(keys)


def capture_histories(
    project: Project,
    *,
    by: str | None = None,
    threshold: float | None = None,
) -> CaptureHistories | dict[str, CaptureHistories]:
    """Which sources each person appears on, as :class:`CaptureHistories` (lists = sources).

    Parameters
    ----------
    by:
        A record field to stratify by (one of :data:`STRATA`); returns ``{stratum: histories}``,
        every stratum over every source, in sorted order of the strata.
    threshold:
        Re-cluster from the latest stored scored pairs at this match probability instead of
        using the current persons.

    Raises
    ------
    NotFoundError
        Nothing is linked yet.
    EstimationError
        ``by`` is not a stratum field, or the project has no records.
    """
    if by is not None and by not in STRATA:
        raise EstimationError(f"cannot stratify by {by!r}; use one of {', '.join(STRATA)}")
    frame = _records(project, by)
    if frame.empty:
        raise EstimationError("the project has no records: import lists and run `reckon link`")
    lists = tuple(sorted(frame["source"].unique()))
    frame["person"] = frame["record_id"].map(_clusters(project, frame["record_id"].to_numpy(),
                                                      threshold))  # fmt: skip
    if by is None:
        memberships = frame.groupby("person")["source"].agg(frozenset)
        return CaptureHistories.from_memberships(memberships.tolist(), lists=lists)

    frame["key"] = _stratum_values(frame, by)
    labels = (
        frame.dropna(subset=["key"])
        .groupby("key")["value"]
        .agg(lambda s: s.astype(str).value_counts().index[0])
    )
    if by in {"death_month", "gender"}:
        labels = pd.Series(labels.index, index=labels.index)
    counts = (
        frame.dropna(subset=["key"])
        .groupby(["person", "key"])
        .size()
        .rename("n")
        .reset_index()
        .sort_values(["person", "n", "key"], ascending=[True, False, True])
    )
    stratum = counts.drop_duplicates("person").set_index("person")["key"].map(labels)
    people = frame.groupby("person")["source"].agg(frozenset).to_frame("sources")
    people["stratum"] = stratum.reindex(people.index).fillna(UNKNOWN)
    return {
        str(name): CaptureHistories.from_memberships(group["sources"].tolist(), lists=lists)
        for name, group in sorted(people.groupby("stratum"), key=lambda item: str(item[0]))
    }


def histories_from_project(
    project: Project | str | Path | None,
    *,
    database_url: str | None = None,
    by: str | None = None,
    threshold: float | None = None,
) -> CaptureHistories | dict[str, CaptureHistories]:
    """:func:`capture_histories` for a project given by path (the estimation CLI's hook)."""
    if isinstance(project, Project):
        return capture_histories(project, by=by, threshold=threshold)
    opened = open_project(project, database_url)
    try:
        return capture_histories(opened, by=by, threshold=threshold)
    finally:
        opened.close()
