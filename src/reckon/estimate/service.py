"""The estimate service: histories in (a file or a linked project), a result out.

This is what ``reckon estimate`` calls. It applies list merges and drops, drops empty lists
(saying so), builds the estimator by name, and fits it — stratified when the histories come by
stratum. Histories of a project (which sources each linked person is on, optionally by a record
field, or re-clustered at another match threshold) come from :mod:`reckon.link.histories`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reckon.errors import EstimationError
from reckon.estimate.base import Estimator
from reckon.estimate.histories import CaptureHistories
from reckon.estimate.histories_csv import read_stratified_csv
from reckon.estimate.methods import make_estimator
from reckon.estimate.pooling import MIN_STRATUM
from reckon.estimate.result import EstimateResult
from reckon.estimate.sensitivity import SensitivityResult, linkage_sensitivity
from reckon.estimate.stratify import StratifiedResult, fit_strata

Histories = CaptureHistories | Mapping[str, CaptureHistories]


@dataclass
class EstimateRun:
    """What one run produced: the result, the histories it used, and messages for the user."""

    result: EstimateResult | StratifiedResult
    histories: Histories
    estimator: Estimator
    messages: list[str] = field(default_factory=list)


def load_histories(path: str | Path, by: str | None = None) -> Histories:
    """Read a histories CSV; with ``by``, one table per value of that column."""
    if by:
        return read_stratified_csv(path, by)
    return CaptureHistories.from_csv(path)


def histories_from_project(
    project: str | Path | None,
    *,
    database_url: str | None = None,
    by: str | None = None,
    threshold: float | None = None,
) -> Histories:
    """Capture histories from a project's linked persons (lists = sources)."""
    # Imported here: the estimators stay usable without the database and linkage stack.
    from reckon.link.histories import histories_from_project as from_linked_persons

    return from_linked_persons(project, database_url=database_url, by=by, threshold=threshold)


def parse_merge(spec: str) -> list[str]:
    """``"A+B"`` -> ``["A", "B"]``."""
    names = [part.strip() for part in spec.split("+")]
    if len(names) < 2 or any(not n for n in names):
        raise EstimationError(f"--merge {spec!r}: give two or more list names joined by '+'")
    return names


def prepare(
    histories: CaptureHistories, merge: Sequence[str] = (), drop: Sequence[str] = ()
) -> tuple[CaptureHistories, list[str]]:
    """Apply merges (``"A+B"``), then drops, then drop empty lists; return messages too."""
    messages: list[str] = []
    for spec in merge:
        names = parse_merge(spec)
        histories = histories.merge(*names)
        messages.append(f"Merged lists {', '.join(names)} into {'+'.join(names)}.")
    if drop:
        histories = histories.drop(*drop)
        messages.append(f"Dropped list(s) {', '.join(drop)}.")
    histories, empty = histories.drop_empty()
    if empty:
        messages.append(f"Dropped empty list(s) {', '.join(empty)}: no one is on them.")
    return histories, messages


def _prepare_all(
    histories: Histories, merge: Sequence[str], drop: Sequence[str]
) -> tuple[Histories, list[str]]:
    if isinstance(histories, CaptureHistories):
        return prepare(histories, merge, drop)
    if not histories:
        raise EstimationError("no strata: the stratum column is empty")
    prepared: dict[str, CaptureHistories] = {}
    general: list[str] = []
    by_stratum: list[str] = []
    for name, part in histories.items():
        try:
            prepared[name], notes = prepare(part, merge, drop)
        except EstimationError as error:
            if _nobody_left(part, drop):  # e.g. a small place only one dropped list covers
                by_stratum.append(f"Stratum {name}: no one is left after the drops; skipped.")
                continue
            raise EstimationError(f"stratum {name!r}: {error}") from error
        general = [n for n in notes if not n.startswith("Dropped empty")]
        by_stratum += [f"Stratum {name}: {n}" for n in notes if n.startswith("Dropped empty")]
    if not prepared:
        raise EstimationError("no one is left in any stratum after the drops")
    return prepared, general + by_stratum


def _nobody_left(histories: CaptureHistories, drop: Sequence[str]) -> bool:
    """Whether no one remains once ``drop`` is applied (such a stratum adds no one)."""
    try:
        remaining = histories.drop(*drop) if drop else histories
    except EstimationError:
        return False
    return remaining.n_observed == 0


def run_estimate(
    histories: Histories,
    method: str = "lcmcr",
    *,
    merge: Sequence[str] = (),
    drop: Sequence[str] = (),
    min_stratum: int = MIN_STRATUM,
    **options: Any,
) -> EstimateRun:
    """Prepare the histories and fit ``method`` (per stratum when given a mapping).

    ``min_stratum`` applies to strata only: smaller strata are pooled (see
    :func:`reckon.estimate.stratify.fit_strata`; 0 disables pooling). ``options`` are estimator
    settings (``K``, ``seed``, ``model``...); those a method does not take are ignored, None
    means the default.
    """
    estimator = make_estimator(method, **options)
    prepared, messages = _prepare_all(histories, merge, drop)
    if isinstance(prepared, CaptureHistories):
        result: EstimateResult | StratifiedResult = estimator.fit(prepared)
    else:
        result = fit_strata(estimator, prepared, drop_empty=False, min_stratum=min_stratum)
    return EstimateRun(result=result, histories=prepared, estimator=estimator, messages=messages)


def run_sensitivity(
    histories_by_threshold: Mapping[float, CaptureHistories],
    method: str = "lcmcr",
    *,
    merge: Sequence[str] = (),
    drop: Sequence[str] = (),
    **options: Any,
) -> SensitivityResult:
    """Fit ``method`` at each linkage threshold (after the same merges and drops)."""
    estimator = make_estimator(method, **options)
    prepared = {t: prepare(h, merge, drop)[0] for t, h in histories_by_threshold.items()}
    return linkage_sensitivity(estimator, prepared)
