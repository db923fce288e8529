"""Candidate pairs outside Splink: for precomputing name similarities and measuring blocking.

The blocking rules of :mod:`reckon.link.comparisons` are equi-joins on the ``b_*`` columns of
:func:`reckon.link.features.add_blocking_columns` (and one join on the exploded one-deletion
keys). The same joins run here on a narrow table in DuckDB, to list the distinct name pairs the
model will ask :func:`reckon.text.name_similarity` about (computed in bulk before scoring) and to
measure how many pairs blocking keeps and how many true pairs it finds.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from reckon.link.features import ARRAY_BLOCKING_COLUMNS, SCALAR_BLOCKING_COLUMNS

_NARROW = ("unique_id", "name_norm", "name_key", "given_key", "family_key", "father_norm",
           "father_key")  # fmt: skip


def _connection(memory_limit: str = "512MB") -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute(f"SET memory_limit = '{memory_limit}'")
    spill = Path(tempfile.gettempdir()) / "reckon-duckdb"
    spill.mkdir(parents=True, exist_ok=True)
    connection.execute(f"SET temp_directory = '{spill.as_posix()}'")
    connection.execute("SET preserve_insertion_order = false")
    return connection


def _pairs_sql(scalar: Sequence[str], arrays: Sequence[str], rules: Sequence[str]) -> str:
    parts = [
        f"SELECT l.unique_id AS a, r.unique_id AS b FROM f l JOIN f r "
        f"ON l.{c} = r.{c} AND l.unique_id < r.unique_id"
        for c in scalar
    ]
    parts += [
        f"SELECT l.unique_id AS a, r.unique_id AS b FROM x_{c} l JOIN x_{c} r "
        f"ON l.k = r.k AND l.unique_id < r.unique_id"
        for c in arrays
    ]
    parts += [
        f"SELECT l.unique_id AS a, r.unique_id AS b FROM f l JOIN f r "
        f"ON ({rule}) AND l.unique_id < r.unique_id"
        for rule in rules
    ]
    return " UNION ".join(parts)


def _register(connection, features: pd.DataFrame, columns: Sequence[str],
              arrays: Sequence[str]) -> None:  # fmt: skip
    connection.register("f_in", features[list(columns)])
    connection.execute("CREATE OR REPLACE TABLE f AS SELECT * FROM f_in")
    connection.unregister("f_in")
    for c in arrays:
        connection.register("x_in", features[["unique_id", c]])
        connection.execute(
            f"CREATE OR REPLACE TABLE x_{c} AS SELECT unique_id, unnest({c}) AS k FROM x_in"
        )
        connection.unregister("x_in")


def similarity_pairs(
    features: pd.DataFrame, *, rules: Sequence[str] = (), blocking: bool = True
) -> tuple[list[str], list[str]]:
    """Distinct (name, name) pairs — full names and fathers' names — of the candidate pairs.

    ``blocking``: the pairs of the prediction blocking rules; ``rules``: more SQL join
    conditions on ``l``/``r`` (the training blocks). Only pairs the comparisons would ask about
    are listed: different names that share a key or a word, or whose keys are close.
    """
    from reckon.link.comparisons import _close

    scalar = [c for c in SCALAR_BLOCKING_COLUMNS if blocking and c in features]
    arrays = [c for c in ARRAY_BLOCKING_COLUMNS if blocking and c in features]
    needed = {c for rule in rules for c in features.columns if f".{c}" in rule}
    columns = list(dict.fromkeys([*_NARROW, *scalar, *sorted(needed)]))
    connection = _connection()
    try:
        _register(connection, features, columns, arrays)
        sql = _pairs_sql(scalar, arrays, rules)
        if not sql:
            return [], []
        connection.execute(f"CREATE TABLE p AS {sql}")
        left: list[str] = []
        right: list[str] = []
        sides = ", ".join(f"l.{c} AS {c}_l, r.{c} AS {c}_r" for c in _NARROW if c != "unique_id")
        for prefix in ("name", "father"):
            guard = _close(prefix)
            rows = connection.execute(
                f"SELECT DISTINCT least({prefix}_norm_l, {prefix}_norm_r), "
                f"greatest({prefix}_norm_l, {prefix}_norm_r) FROM ("
                f"SELECT {sides} FROM p JOIN f l ON l.unique_id = p.a "
                f"JOIN f r ON r.unique_id = p.b) "
                f"WHERE {prefix}_norm_l <> {prefix}_norm_r AND {guard}"
            ).fetchall()
            left += [a for a, _ in rows]
            right += [b for _, b in rows]
        return left, right
    finally:
        connection.close()


def blocking_summary(features: pd.DataFrame, truth: pd.Series) -> dict[str, float]:
    """Candidate pairs of the blocking rules and the share of true pairs among them.

    ``truth``: the true person of each record, indexed like ``features`` (synthetic data).
    Returns records, candidate pairs, pairs per record, true pairs, recall.
    """
    scalar = [c for c in SCALAR_BLOCKING_COLUMNS if c in features]
    arrays = [c for c in ARRAY_BLOCKING_COLUMNS if c in features]
    frame = features[["unique_id", *scalar, *arrays]].copy()
    frame["person"] = np.asarray(truth)
    connection = _connection()
    try:
        _register(connection, frame, ["unique_id", "person", *scalar], arrays)
        connection.execute(f"CREATE TABLE p AS {_pairs_sql(scalar, arrays, ())}")
        candidates = connection.execute("SELECT count(*) FROM p").fetchall()[0][0]
        true_pairs, found = connection.execute(
            "SELECT count(*), count(p.a) FROM f l JOIN f r ON l.person = r.person "
            "AND l.unique_id < r.unique_id LEFT JOIN p ON p.a = l.unique_id AND p.b = r.unique_id"
        ).fetchall()[0]
    finally:
        connection.close()
    n = len(features)
    return {
        "records": n,
        "candidate_pairs": int(candidates),
        "pairs_per_record": candidates / n if n else 0.0,
        "true_pairs": int(true_pairs),
        "recall": found / true_pairs if true_pairs else 1.0,
    }
