"""The Spark engine runs the same model and gives the same clusters as DuckDB (local Spark)."""

from __future__ import annotations

import shutil

import pytest

from reckon.link import LinkConfig, link_project
from reckon.link.clustering import cluster_records
from reckon.link.service import read_pairs
from reckon.store import init_project

from .conftest import import_lists, make_scenario

pytestmark = pytest.mark.spark

pyspark = pytest.importorskip("pyspark")
if shutil.which("java") is None:  # pragma: no cover - depends on the machine
    pytest.skip("Java is not installed", allow_module_level=True)


def test_spark_and_duckdb_give_the_same_clusters(tmp_path):
    directory = make_scenario(tmp_path / "synth", people=150, seed=8, lists=3)
    project = init_project(tmp_path / "project")
    import_lists(project, directory)
    duck = link_project(project, LinkConfig(engine="duckdb"), actor="tester")
    spark = link_project(
        project,
        LinkConfig(
            engine="spark",
            model_version=duck.model_version,
            engine_options={"master": "local[1]", "shuffle_partitions": 2},
        ),
        actor="tester",
    )
    assert spark.engine == "spark"
    pairs_duck = read_pairs(duck.pairs_path)
    pairs_spark = read_pairs(spark.pairs_path)
    assert len(pairs_duck["unique_id_l"]) == len(pairs_spark["unique_id_l"]) > 0
    ids = sorted(set(pairs_duck["unique_id_l"]) | set(pairs_duck["unique_id_r"]))

    def groups(pairs):
        return cluster_records(
            ids,
            (pairs["unique_id_l"], pairs["unique_id_r"], pairs["match_probability"]),
            threshold=0.9,
        ).groups()

    assert groups(pairs_duck) == groups(pairs_spark)
    # the same persons: the second run changed nothing
    assert not spark.changes.merges and not spark.changes.splits
    assert spark.changes.kept == duck.changes.persons
    project.close()
