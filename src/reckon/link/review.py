"""Human review: the uncertain pairs, most useful first, and the decisions that bind every run.

The queue holds the stored pairs of the latest run whose match weight lies within ``band`` bits
of the threshold's (by default 4 bits: odds 16 times higher or lower), that no standing human
decision covers. Most useful first: the closest to the threshold (where the model is least
sure and a decision changes the clusters), pairs from two different lists before pairs from one
list (they change the capture histories the estimates rest on), then by record id.

A decision is a :class:`~reckon.model.LinkDecision` by a human: who, when, why. A new decision on
the same pair supersedes the old one (kept, with ``superseded_by``). A decision that contradicts
the standing ones — "same" for records that other decisions keep apart, even through third
records, or "different" for records other decisions join — is refused with the ids involved.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
from sqlalchemy import or_, select

from reckon.errors import LinkageConfigError, NotFoundError
from reckon.link.clustering import cluster_records
from reckon.link.model import load_model
from reckon.link.service import (
    audit,
    human_constraints,
    latest_run,
    parquet_source,
    scored_pairs_path,
)
from reckon.model import DecidedBy, DecisionKind, LinkDecision, Record
from reckon.store.project import Project, current_actor

DEFAULT_BAND = 4.0


@dataclass(frozen=True)
class FieldWeight:
    """One comparison of a pair: the level it fell in and its match weight (log2 Bayes factor)."""

    comparison: str
    level: str
    weight: float


@dataclass(frozen=True)
class ReviewPair:
    """A pair to review: both records side by side and what each comparison said."""

    record_a: dict[str, Any]
    record_b: dict[str, Any]
    match_probability: float
    match_weight: float
    fields: list[FieldWeight] = field(default_factory=list)

    @property
    def ids(self) -> tuple[int, int]:
        return int(self.record_a["id"]), int(self.record_b["id"])


#: (label, record attribute) shown side by side.
DISPLAY_FIELDS = (
    ("source", None),
    ("file, row", None),
    ("name as written", "display_name"),
    ("father", "father_name"),
    ("gender", "gender"),
    ("birth", "birth_text"),
    ("age", "age"),
    ("death", "death_text"),
    ("prison", "place_of_detention"),
    ("city", "city"),
    ("place of death", "place_of_death"),
)


def record_view(record: Record) -> dict[str, Any]:
    """The fields a reviewer sees, as the source wrote them."""
    view: dict[str, Any] = {
        "id": record.id,
        "source": record.source.name,
        "file, row": f"{record.batch.file_name}, row {record.row_number}",
    }
    for label, attribute in DISPLAY_FIELDS:
        if attribute:
            value = getattr(record, attribute)
            view[label] = "" if value is None else str(value)
    return view


def _decided_pairs(project: Project) -> set[tuple[int, int]]:
    with project.session() as session:
        rows = session.execute(
            select(LinkDecision.record_a_id, LinkDecision.record_b_id).where(
                LinkDecision.decided_by == DecidedBy.HUMAN.value,
                LinkDecision.superseded_by.is_(None),
                LinkDecision.record_b_id.is_not(None),
            )
        ).all()
    return {(min(a, b), max(a, b)) for a, b in rows}


def _logit2(p: float) -> float:
    return math.log2(p / (1 - p))


def review_queue(
    project: Project,
    *,
    limit: int = 20,
    band: float = DEFAULT_BAND,
    threshold: float | None = None,
) -> list[ReviewPair]:
    """The first ``limit`` pairs to review (see the module docs)."""
    run = latest_run(project)
    threshold = run["threshold"] if threshold is None else threshold
    centre = _logit2(threshold)
    decided = _decided_pairs(project)
    source = parquet_source(scored_pairs_path(project))
    with duckdb.connect() as connection:
        columns = [c[0] for c in connection.execute(f"SELECT * FROM {source} LIMIT 0").description]
        rows = connection.execute(
            f"SELECT * FROM {source} WHERE abs(match_weight - ?) <= ? "
            "ORDER BY abs(match_weight - ?), unique_id_l, unique_id_r",
            [centre, band, centre],
        ).fetchall()
    candidates = [dict(zip(columns, row, strict=True)) for row in rows]
    candidates = [
        c for c in candidates if (int(c["unique_id_l"]), int(c["unique_id_r"])) not in decided
    ]
    if not candidates:
        return []
    wanted = {int(c["unique_id_l"]) for c in candidates} | {
        int(c["unique_id_r"]) for c in candidates
    }
    with project.session() as session:
        records = {
            r.id: r
            for r in session.scalars(select(Record).where(Record.id.in_(list(wanted)))).all()
        }
        for c in candidates:
            a, b = records.get(int(c["unique_id_l"])), records.get(int(c["unique_id_r"]))
            c["cross"] = a is not None and b is not None and a.source_id != b.source_id
        candidates.sort(
            key=lambda c: (
                round(abs(c["match_weight"] - centre), 6),
                not c["cross"],
                int(c["unique_id_l"]),
                int(c["unique_id_r"]),
            )
        )
        model = _model_or_none(project, run)
        out = []
        for c in candidates[:limit]:
            a, b = records.get(int(c["unique_id_l"])), records.get(int(c["unique_id_r"]))
            if a is None or b is None:
                continue
            out.append(
                ReviewPair(
                    record_a=record_view(a),
                    record_b=record_view(b),
                    match_probability=float(c["match_probability"]),
                    match_weight=float(c["match_weight"]),
                    fields=_field_weights(c, model),
                )
            )
    return out


def _model_or_none(project: Project, run: dict[str, Any]):
    try:
        return load_model(project.root, run.get("model_version"))
    except (NotFoundError, LinkageConfigError):
        return None


def _field_weights(row: dict[str, Any], model) -> list[FieldWeight]:
    levels = model.level_weights() if model is not None else {}
    out = []
    for name in [k[3:] for k in row if k.startswith("bf_") and not k.startswith("bf_tf_adj_")]:
        bf = row.get(f"bf_{name}")
        if bf is None or not bf > 0:
            continue
        base = math.log2(bf)
        adjust = row.get(f"bf_tf_adj_{name}")
        weight = base + (math.log2(adjust) if adjust and adjust > 0 else 0.0)
        label = ""
        options = [(lab, w) for lab, w in levels.get(name, []) if w is not None]
        if options:
            label = min(options, key=lambda item: abs(item[1] - base))[0]
        out.append(FieldWeight(name, label, round(weight, 2)))
    return out


def record_decision(
    project: Project,
    record_a: int,
    record_b: int,
    decision: str | DecisionKind,
    *,
    reason: str | None = None,
    actor: str | None = None,
    match_probability: float | None = None,
) -> LinkDecision:
    """Record a human decision on two records (see the module docs) and return it.

    Raises NotFoundError for an unknown record and LinkageConfigError for a decision that
    contradicts the standing ones (the message names the records involved).
    """
    try:
        kind = DecisionKind(decision)
    except ValueError:
        raise LinkageConfigError(
            f"decision must be same, different or unsure, not {decision!r}"
        ) from None
    a, b = sorted((int(record_a), int(record_b)))
    if a == b:
        raise LinkageConfigError(f"a decision needs two different records (got {a} twice)")
    actor = actor or current_actor()
    with project.transaction() as session:
        found = set(session.scalars(select(Record.id).where(Record.id.in_([a, b]))).all())
        missing = sorted({a, b} - found)
        if missing:
            raise NotFoundError(f"no record {missing[0]}")
        previous = session.scalars(
            select(LinkDecision).where(
                LinkDecision.decided_by == DecidedBy.HUMAN.value,
                LinkDecision.superseded_by.is_(None),
                or_(
                    (LinkDecision.record_a_id == a) & (LinkDecision.record_b_id == b),
                    (LinkDecision.record_a_id == b) & (LinkDecision.record_b_id == a),
                ),
            )
        ).all()
        if kind is not DecisionKind.UNSURE:
            _check_consistent(project, a, b, kind, {p.id for p in previous})
        new = LinkDecision(
            record_a_id=a,
            record_b_id=b,
            decision=kind.value,
            decided_by=DecidedBy.HUMAN.value,
            actor=actor,
            reason=reason or None,
            match_probability=match_probability,
        )
        session.add(new)
        session.flush()
        for old in previous:
            old.superseded_by = new.id
        audit(
            session,
            actor=actor,
            action="link.decide",
            object_type="link_decision",
            object_id=str(new.id),
            change={
                "record_a_id": a,
                "record_b_id": b,
                "decision": kind.value,
                "reason": reason,
                "supersedes": [p.id for p in previous],
            },
        )
    return new


def _check_consistent(
    project: Project, a: int, b: int, kind: DecisionKind, replaced: set[int]
) -> None:
    """Refuse a decision the standing human decisions contradict (directly or transitively)."""
    with project.session() as session:
        rows = session.execute(
            select(
                LinkDecision.id,
                LinkDecision.record_a_id,
                LinkDecision.record_b_id,
                LinkDecision.decision,
            ).where(
                LinkDecision.decided_by == DecidedBy.HUMAN.value,
                LinkDecision.superseded_by.is_(None),
                LinkDecision.record_b_id.is_not(None),
            )
        ).all()
    rows = [r for r in rows if r.id not in replaced]
    must = [(r.record_a_id, r.record_b_id) for r in rows if r.decision == DecisionKind.SAME.value]
    cannot = [
        (r.record_a_id, r.record_b_id) for r in rows if r.decision == DecisionKind.DIFFERENT.value
    ]
    if kind is DecisionKind.SAME:
        must = [*must, (a, b)]
    else:
        cannot = [*cannot, (a, b)]
    ids = sorted({a, b} | {x for pair in must + cannot for x in pair})
    clusters = cluster_records(np.asarray(ids), None, threshold=1.0, must_link=must,
                               cannot_link=cannot)  # fmt: skip
    together = clusters.as_dict()
    if kind is DecisionKind.SAME and clusters.conflicts:
        x, y = clusters.conflicts[-1]
        raise LinkageConfigError(
            f"records {a} and {b} cannot be the same person: standing decisions keep records "
            f"{x} and {y} apart and would be broken (change one of those decisions first)"
        )
    if kind is DecisionKind.DIFFERENT and together[a] == together[b]:
        raise LinkageConfigError(
            f"records {a} and {b} cannot be different people: standing 'same' decisions join "
            "them (change one of those decisions first)"
        )


def list_decisions(project: Project, *, include_superseded: bool = False) -> list[LinkDecision]:
    """Human decisions, newest first."""
    with project.session() as session:
        query = select(LinkDecision).where(LinkDecision.decided_by == DecidedBy.HUMAN.value)
        if not include_superseded:
            query = query.where(LinkDecision.superseded_by.is_(None))
        return list(session.scalars(query.order_by(LinkDecision.id.desc())).all())


__all__ = [
    "DEFAULT_BAND",
    "FieldWeight",
    "ReviewPair",
    "human_constraints",
    "list_decisions",
    "record_decision",
    "review_queue",
]
