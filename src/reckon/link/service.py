"""The linkage service: records in, scored pairs and persons out — what `reckon link` calls.

One run: load the records, compute the features, train a model (or reuse a saved one), score
the candidate pairs, store them, cluster under the human decisions, and give the clusters stable
person ids — the last step in one transaction, logged in the audit chain.

Scored pairs are stored per run as Parquet under ``linkage/runs/<run id>/pairs.parquet`` (with
``run.json`` describing the run), not in the database: they are a derived, reproducible product
of the records and the model (so they need no transactions), there can be millions of them, and
every later use reads them whole and column-wise (re-clustering at another threshold, the review
queue, linkage-sensitivity histories), which Parquet does in a fraction of the time and space a
database table would take. The database keeps what is authoritative: persons, the
record-to-person assignments and the human decisions.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import itertools
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import duckdb
import numpy as np
import pandas as pd
from sqlalchemy import select

from reckon.errors import LinkageConfigError, NotFoundError
from reckon.link.blocking import similarity_pairs
from reckon.link.clustering import Clusters, cluster_records, linked_groups
from reckon.link.engines import make_engine
from reckon.link.features import (
    add_blocking_columns,
    build_features,
    load_records,
    model_input,
)
from reckon.link.frequencies import name_frequency_lookups
from reckon.link.model import LinkageModel, TrainingConfig, load_model, save_model, train
from reckon.link.persons import PersonChanges, assign_persons
from reckon.link.refine import MIN_PAIRS, levels_of_pairs, match_weights, refit
from reckon.model import DecidedBy, DecisionKind, LinkDecision
from reckon.store.project import Project, current_actor

RUNS_DIR = Path("linkage") / "runs"
PAIRS_FILE = "pairs.parquet"
RUN_FILE = "run.json"
DEFAULT_THRESHOLD = 0.3
#: Two records whose pair scored below this are not put in one person through other links
#: (:mod:`reckon.link.clustering`).
DEFAULT_VETO = 0.05
#: Pairs scored below this probability are not stored (nor reviewable, nor re-clusterable).
#: Every candidate pair is kept by default: the low ones are the vetoes.
DEFAULT_FLOOR = 0.0
#: The refit reads pairs at least this likely; the unlikelier weigh nothing in its E step.
REFIT_FLOOR = 1e-3
#: Pairs rewritten with the refitted weights at a time, and DuckDB's memory for the pairs.
REWRITE_ROWS = 1_000_000
PAIRS_MEMORY = "512MB"

Progress = Callable[[str], None]


@dataclass(frozen=True)
class LinkConfig:
    """How to link: engine, threshold, and whether to train a new model.

    ``model_version`` reuses a saved model (None trains a new one and saves it as the next
    version). ``veto``: records whose pair scored below it stay apart (None: plain single
    linkage). ``floor`` is the lowest match probability stored with the run.
    """

    engine: str = "duckdb"
    threshold: float = DEFAULT_THRESHOLD
    model_version: int | None = None
    veto: float | None = DEFAULT_VETO
    floor: float = DEFAULT_FLOOR
    training: TrainingConfig = field(default_factory=TrainingConfig)
    engine_options: dict[str, Any] = field(default_factory=dict)

    def validate(self) -> None:
        if not 0 < self.threshold < 1:
            raise LinkageConfigError(f"threshold must be between 0 and 1, not {self.threshold}")
        if not 0 <= self.floor <= self.threshold:
            raise LinkageConfigError("the stored-pairs floor must be between 0 and the threshold")
        _check_veto(self.veto, self.threshold)


def _check_veto(veto: float | None, threshold: float) -> None:
    if veto is not None and not 0 <= veto < threshold:
        raise LinkageConfigError(
            f"the veto must be at least 0 and below the threshold ({threshold}), not {veto}"
        )


@dataclass
class LinkResult:
    """What one run (or re-clustering) did."""

    run_id: str
    engine: str | None
    model_version: int | None
    threshold: float
    records: int
    pairs: int
    clusters: int
    changes: PersonChanges
    refused: int = 0
    vetoed: int = 0
    veto: float | None = None
    conflicts: list[tuple[int, int]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    pairs_path: Path | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "engine": self.engine,
            "model_version": self.model_version,
            "threshold": self.threshold,
            "records": self.records,
            "pairs": self.pairs,
            "clusters": self.clusters,
            "refused_by_decisions": self.refused,
            "veto": self.veto,
            "refused_by_veto": self.vetoed,
            "conflicting_decisions": [list(c) for c in self.conflicts],
            "seconds": self.seconds,
            "changes": self.changes.to_dict(limit=1000),
        }


# --------------------------------------------------------------------------- runs


def runs_dir(project: Project) -> Path:
    return project.root / RUNS_DIR


def _new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]


def latest_run(project: Project) -> dict[str, Any]:
    """The newest run's ``run.json`` (with its directory as ``"dir"``)."""
    folder = runs_dir(project)
    runs = sorted(
        (p for p in folder.iterdir() if (p / RUN_FILE).is_file()) if folder.is_dir() else ()
    )
    if not runs:
        raise NotFoundError("no linkage run yet: run `reckon link` first")
    info = json.loads((runs[-1] / RUN_FILE).read_text(encoding="utf-8"))
    info["dir"] = str(runs[-1])
    return info


def pairs_path(run: dict[str, Any]) -> Path:
    return Path(run["dir"]) / PAIRS_FILE


def parquet_source(path: Path) -> str:
    """A DuckDB table expression for a Parquet file or a Spark Parquet directory."""
    path = Path(path)
    target = (path / "*.parquet") if path.is_dir() else path
    return f"read_parquet('{target.as_posix()}')"


def read_pairs(path: Path, columns: tuple[str, ...] = ("unique_id_l", "unique_id_r",
               "match_probability")) -> dict[str, np.ndarray]:  # fmt: skip
    """Columns of a stored pairs file as numpy arrays."""
    with duckdb.connect() as connection:
        return connection.execute(
            f"SELECT {', '.join(columns)} FROM {parquet_source(path)}"
        ).fetchnumpy()


# --------------------------------------------------------------------------- decisions


def human_constraints(project: Project) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(must-link pairs, cannot-link pairs) from the standing human decisions, oldest first."""
    with project.session() as session:
        rows = session.execute(
            select(LinkDecision.record_a_id, LinkDecision.record_b_id, LinkDecision.decision)
            .where(
                LinkDecision.decided_by == DecidedBy.HUMAN.value,
                LinkDecision.superseded_by.is_(None),
                LinkDecision.record_b_id.is_not(None),
            )
            .order_by(LinkDecision.decided_at, LinkDecision.id)
        ).all()
    must = [(a, b) for a, b, d in rows if d == DecisionKind.SAME.value]
    cannot = [(a, b) for a, b, d in rows if d == DecisionKind.DIFFERENT.value]
    return must, cannot


# --------------------------------------------------------------------------- audit


def cluster_stored_pairs(
    project: Project, path: Path, record_ids: np.ndarray, *, threshold: float, veto: float | None
) -> tuple[Clusters, int]:
    """Cluster ``record_ids`` from a stored pairs file under the project's human decisions;
    returns the clusters and the number of stored pairs.

    Reads the links (pairs at or above ``threshold``) and, of the pairs below ``veto``, only
    those inside one group of linked records — the only vetoes that can matter — so memory
    follows the links, not the millions of unlikely candidate pairs."""
    source = parquet_source(path)
    must, cannot = human_constraints(project)
    columns = "p.unique_id_l, p.unique_id_r, p.match_probability"
    with duckdb.connect() as connection:
        connection.execute(f"SET memory_limit = '{PAIRS_MEMORY}'")
        stored = int(connection.execute(f"SELECT count(*) FROM {source}").fetchone()[0])
        links = connection.execute(
            f"SELECT {columns} FROM {source} p WHERE p.match_probability >= ?", [threshold]
        ).fetchnumpy()
        parts = [links]
        if veto is not None:
            must_l, must_r = (
                np.asarray([pair[i] for pair in must], dtype=np.int64) for i in (0, 1)
            )
            group = linked_groups(record_ids, np.concatenate([links["unique_id_l"], must_l]),
                                  np.concatenate([links["unique_id_r"], must_r]))  # fmt: skip
            grouped = pd.DataFrame({"id": np.asarray(record_ids), "g": group})
            size = grouped.groupby("g")["g"].transform("size")
            connection.register("grouped", grouped[size.to_numpy() > 1])
            parts.append(
                connection.execute(
                    f"SELECT {columns} FROM {source} p "
                    "JOIN grouped a ON a.id = p.unique_id_l JOIN grouped b ON b.id = p.unique_id_r "
                    "WHERE p.match_probability < ? AND a.g = b.g",
                    [veto],
                ).fetchnumpy()
            )
    pairs = {key: np.concatenate([part[key] for part in parts]) for key in links}
    clusters = cluster_records(
        record_ids,
        (pairs["unique_id_l"], pairs["unique_id_r"], pairs["match_probability"]),
        threshold=threshold,
        must_link=must,
        cannot_link=cannot,
        veto=veto,
    )
    return clusters, stored


def audit(session, *, actor: str, action: str, object_type: str, object_id: str,
          change: dict) -> None:  # fmt: skip
    """The one call site of the audit log for linkage (runs, human decisions).

    Appends to ``reckon.audit`` when that module provides ``append``; a no-op otherwise.
    """
    try:
        from reckon.audit import append  # type: ignore[attr-defined]
    except ImportError:
        return
    append(
        session,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        change=change,
    )


# --------------------------------------------------------------------------- linking


def link_project(
    project: Project,
    config: LinkConfig | None = None,
    *,
    actor: str | None = None,
    progress: Progress | None = None,
) -> LinkResult:
    """Link every record of the project (see the module docs); returns what the run did.

    Raises LinkageConfigError when the records cannot be linked as configured (too few, nothing
    to learn from, a bad option) and NotFoundError for a model version that does not exist.
    """
    config = config or LinkConfig()
    config.validate()
    actor = actor or current_actor()
    say = progress or (lambda _message: None)
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(step: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[step] = round(now - clock, 2)
        clock = now

    say("loading records")
    records = load_records(project)
    if len(records) < 2:
        raise LinkageConfigError(
            f"the project has {len(records)} record(s); import lists before linking"
        )
    lap("load")
    say(f"computing features of {len(records):,} records")
    features = build_features(records, progress=lambda step: say(f"features: {step}"))
    del records
    features = model_input(add_blocking_columns(features))  # only what the model reads
    release_memory()
    lap("features")

    model: LinkageModel
    if config.model_version is not None:
        model = load_model(project.root, config.model_version)
    run_id = _new_run_id()
    run_dir = runs_dir(project) / run_id
    from reckon.link.functions import NameSimilarity

    similarity = NameSimilarity()
    engine = make_engine(config.engine, **{"temp_dir": run_dir / "tmp", **config.engine_options})
    try:
        trained_now = config.model_version is None
        if trained_now:
            model = train(engine, features, similarity, config.training, progress=say)
            engine.drop_tables()
            release_memory()
            lap("training")
        say(f"scoring candidate pairs ({engine.name})")
        record_ids = features["unique_id"].to_numpy()
        scoring = _scoring_input(engine, features, similarity)
        del features  # the engine holds its own copy now; the frame's memory goes back
        release_memory()
        count = _predict(engine, scoring, model, similarity, config.floor, run_dir / PAIRS_FILE)
        lap("prediction")
    finally:
        engine.close()
        _remove_tree(run_dir / "tmp")
    if trained_now:
        say(f"refitting the model on {count:,} scored pairs")
        model = _refit_on_pairs(model, run_dir / PAIRS_FILE, records=len(record_ids))
        model = save_model(project.root, model)
        lap("refit")

    say(f"clustering {len(record_ids):,} records from {count:,} scored pairs")
    clusters, _ = cluster_stored_pairs(
        project, run_dir / PAIRS_FILE, record_ids, threshold=config.threshold, veto=config.veto
    )
    lap("clustering")
    say("saving persons")
    result = _save(
        project,
        clusters,
        run_id=run_id,
        run_dir=run_dir,
        engine=engine.name,
        model=model,
        threshold=config.threshold,
        veto=config.veto,
        pairs=count,
        actor=actor,
        seconds=seconds,
        extra={"floor": config.floor},
    )
    lap("persons")
    result.seconds = seconds
    _write_run(run_dir, result, model, config.floor)
    return result


@dataclass
class _ScoringInput:
    """What scoring needs from the feature frame, so that the frame can go before it starts."""

    table: Any
    term_frequencies: dict[str, Any]


def _scoring_input(engine, features: pd.DataFrame, similarity) -> _ScoringInput:
    similarity.precompute(*similarity_pairs(features))
    lookups = {
        column: engine.lookup_table(lookup)
        for column, lookup in name_frequency_lookups(features).items()
    }
    return _ScoringInput(engine.input_table(model_input(features)), lookups)


def _predict(
    engine, scoring: _ScoringInput, model: LinkageModel, similarity, floor: float, path: Path
) -> int:
    from splink import Linker

    engine.register_functions(similarity)
    linker = Linker(scoring.table, model.for_dialect(engine.dialect), engine.db_api())
    for column, lookup in scoring.term_frequencies.items():
        linker.table_management.register_term_frequency_lookup(lookup, column, overwrite=True)
    try:
        predictions = linker.inference.predict(threshold_match_probability=floor)
    except Exception as error:  # noqa: BLE001 - Splink and the engines raise many types
        raise LinkageConfigError(f"scoring pairs failed: {type(error).__name__}: {error}") from None
    columns = ["unique_id_l", "unique_id_r", "match_weight", "match_probability"]
    columns += [f"bf_{c['output_column_name']}" for c in model.settings["comparisons"]]
    columns += [
        f"bf_tf_adj_{c['output_column_name']}"
        for c in model.settings["comparisons"]
        if any(level.get("tf_adjustment_column") for level in c["comparison_levels"])
    ]
    return engine.write_pairs(predictions, path, columns)


def _refit_on_pairs(model: LinkageModel, path: Path, records: int) -> LinkageModel:
    """Refit m and the prior on the scored pairs (:mod:`reckon.link.refine`), rewrite the pairs
    with the refitted weights and probabilities, and return the refitted model.

    The fit reads the pairs at or above ``REFIT_FLOOR`` (the rest weigh nothing in its E step:
    the same estimates, a fraction of the memory); the rewrite streams every pair through in
    parts of ``REWRITE_ROWS``, so memory does not grow with the number of candidate pairs."""
    source = parquet_source(path)
    with duckdb.connect() as connection:
        connection.execute(f"SET memory_limit = '{PAIRS_MEMORY}'")
        sample = connection.execute(
            f"SELECT * FROM {source} WHERE match_probability >= {REFIT_FLOOR!r}"
        ).df()
        if len(sample) < MIN_PAIRS:
            return model
        fitted = refit(model.settings, sample, records)
        fitted_pairs = len(sample)
        del sample
        temporary = path.with_name(path.name + ".refit")
        _remove_tree(temporary)
        temporary.mkdir()
        order = " ORDER BY unique_id_l, unique_id_r" if path.is_dir() else ""  # Spark's parts
        reader = connection.execute(f"SELECT * FROM {source}{order}")
        with duckdb.connect() as writer:
            for part in itertools.count():
                chunk = reader.fetch_df_chunk(REWRITE_ROWS // 2048)  # in vectors of 2,048
                if chunk.empty:
                    break
                levels = levels_of_pairs(model.settings, chunk)  # as the model scored them
                chunk.update(match_weights(fitted.settings, chunk, levels))
                writer.register("chunk", chunk)
                target = (temporary / f"part-{part:05d}.parquet").as_posix()
                writer.execute(f"COPY chunk TO '{target}' (FORMAT parquet, COMPRESSION zstd)")
                writer.unregister("chunk")
    if path.is_dir():
        _remove_tree(path)
    else:
        path.unlink()
    temporary.replace(path)  # the pairs are now a folder of parts, like Spark's
    training = {**model.training, "prior": fitted.prior,
                "refit": {"pairs": fitted_pairs, "iterations": fitted.iterations,
                          "expected_matches": round(fitted.expected_matches, 1)}}  # fmt: skip
    return LinkageModel(settings=fitted.settings, created_at=model.created_at, training=training)


def _save(
    project: Project,
    clusters: Clusters,
    *,
    run_id: str,
    run_dir: Path,
    engine: str | None,
    model: LinkageModel | None,
    threshold: float,
    veto: float | None,
    pairs: int,
    actor: str,
    seconds: dict[str, float],
    extra: dict[str, Any],
) -> LinkResult:
    with project.transaction() as session:
        changes = assign_persons(
            session, clusters.record_ids, clusters.labels, clusters.probability, run_id
        )
        audit(
            session,
            actor=actor,
            action="link.run",
            object_type="linkage_run",
            object_id=run_id,
            change={
                "engine": engine,
                "model_version": model.version if model else None,
                "threshold": threshold,
                "veto": veto,
                "refused_by_veto": len(clusters.vetoed),
                "records": len(clusters.record_ids),
                "pairs": pairs,
                "persons": changes.persons,
                "created": len(changes.created),
                "retired": changes.retired[:1000],
                "merges": changes.merges[:1000],
                "splits": changes.splits[:1000],
                **extra,
            },
        )
    return LinkResult(
        run_id=run_id,
        engine=engine,
        model_version=model.version if model else None,
        threshold=threshold,
        records=len(clusters.record_ids),
        pairs=pairs,
        clusters=clusters.count,
        changes=changes,
        refused=len(clusters.refused),
        vetoed=len(clusters.vetoed),
        veto=veto,
        conflicts=clusters.conflicts,
        seconds=seconds,
        pairs_path=run_dir / PAIRS_FILE,
    )


def _write_run(run_dir: Path, result: LinkResult, model: LinkageModel | None,
               floor: float, source_run: str | None = None) -> None:  # fmt: skip
    run_dir.mkdir(parents=True, exist_ok=True)
    info = result.to_dict()
    info.update(
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        floor=floor,
        model_path=str(model.path) if model and model.path else None,
        pairs_file=PAIRS_FILE if source_run is None else None,
        source_run=source_run,
    )
    (run_dir / RUN_FILE).write_text(json.dumps(info, indent=2, default=str) + "\n", "utf-8")


def release_memory() -> None:
    """Hand freed memory back to the system. glibc keeps what a large pandas frame freed, so
    without this the next step's peak stacks on the last one's garbage."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def recluster(
    project: Project,
    *,
    threshold: float | None = None,
    veto: float | Literal["run"] | None = "run",
    actor: str | None = None,
    progress: Progress | None = None,
) -> LinkResult:
    """Cluster again from the latest run's stored pairs (new decisions, another threshold).

    ``veto`` defaults to the latest run's; None turns it off.

    No scoring: fast. The result is recorded as a run of its own that points at the pairs it
    used; records imported since that run stay alone until the next `reckon link`.
    """
    actor = actor or current_actor()
    say = progress or (lambda _message: None)
    run = latest_run(project)
    threshold = run["threshold"] if threshold is None else threshold
    if not 0 < threshold < 1:
        raise LinkageConfigError(f"threshold must be between 0 and 1, not {threshold}")
    if veto == "run":
        veto = run.get("veto")  # runs before vetoes existed have none: single linkage
    _check_veto(veto, threshold)
    source = Path(run["dir"])
    path = pairs_path(run) if run.get("pairs_file") else _source_pairs(project, run)
    started = time.perf_counter()
    say("clustering from stored pairs")
    with project.session() as session:
        from reckon.model import Record

        record_ids = np.asarray(session.scalars(select(Record.id).order_by(Record.id)).all())
    clusters, stored = cluster_stored_pairs(
        project, path, record_ids, threshold=threshold, veto=veto
    )
    run_id = _new_run_id()
    run_dir = runs_dir(project) / run_id
    model_version = run.get("model_version")
    say("saving persons")
    result = _save(
        project,
        clusters,
        run_id=run_id,
        run_dir=run_dir,
        engine=None,
        model=None,
        threshold=threshold,
        veto=veto,
        pairs=stored,
        actor=actor,
        seconds={},
        extra={"reclustered_from": source.name},
    )
    result.model_version = model_version
    result.seconds = {"clustering": round(time.perf_counter() - started, 2)}
    result.pairs_path = path
    _write_run(run_dir, result, None, run.get("floor", DEFAULT_FLOOR), source_run=source.name)
    return result


def _source_pairs(project: Project, run: dict[str, Any]) -> Path:
    """The pairs file a re-clustering run used (following ``source_run`` links)."""
    seen = set()
    while not run.get("pairs_file"):
        name = run.get("source_run")
        if not name or name in seen:
            raise NotFoundError("the latest run has no stored pairs: run `reckon link`")
        seen.add(name)
        folder = runs_dir(project) / name
        run = json.loads((folder / RUN_FILE).read_text(encoding="utf-8"))
        run["dir"] = str(folder)
    return pairs_path(run)


def scored_pairs_path(project: Project) -> Path:
    """The stored pairs behind the current persons."""
    run = latest_run(project)
    return pairs_path(run) if run.get("pairs_file") else _source_pairs(project, run)
