"""Splink on Apache Spark, for lists beyond one machine. The only module that imports pyspark.

By default a local Spark (``local[2]``) is started; give ``master`` for a cluster. Spark writes
the scored pairs as a Parquet directory (part files), which DuckDB reads like one file.
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from reckon.errors import LinkageConfigError
from reckon.link.functions import NameSimilarity


def _spark_type(series: pd.Series, column: str):
    from pyspark.sql import types as T

    if column in {"unique_id", "source_id"}:
        return T.LongType()
    if str(series.dtype) in {"Int64", "int64", "int32"}:
        return T.LongType()
    if series.dtype == bool:
        return T.BooleanType()
    if column in {"name_del", "prison_tokens", "b_deletions"}:
        return T.ArrayType(T.StringType())
    return T.StringType()


class SparkEngine:
    """Splink's SparkAPI on a local (or given) Spark session."""

    name = "spark"
    dialect = "spark"

    def __init__(
        self,
        *,
        master: str = "local[2]",
        shuffle_partitions: int = 8,
        driver_memory: str = "2g",
        temp_dir: Path | str | None = None,
        spark: Any = None,
    ) -> None:
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            raise LinkageConfigError(
                "the Spark engine needs pyspark: pip install 'reckon[spark]' (and Java 17)"
            ) from None
        # the Python workers must be this interpreter, which can import reckon
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
        if temp_dir is not None:
            Path(temp_dir).mkdir(parents=True, exist_ok=True)
        self._tmp = tempfile.TemporaryDirectory(prefix="reckon-spark-", dir=temp_dir)
        self._own_session = spark is None
        if spark is None:
            try:
                spark = (
                    SparkSession.builder.master(master)
                    .appName("reckon-link")
                    .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
                    .config("spark.default.parallelism", str(shuffle_partitions))
                    .config("spark.driver.memory", driver_memory)
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.session.timeZone", "UTC")
                    .config("spark.local.dir", self._tmp.name)
                    .getOrCreate()
                )
            except Exception as error:  # noqa: BLE001 - Java missing, port in use, ...
                raise LinkageConfigError(
                    f"cannot start Spark ({type(error).__name__}: {error}); is Java 17 installed?"
                ) from None
        self.spark = spark
        self.spark.sparkContext.setLogLevel("ERROR")
        self.spark.sparkContext.setCheckpointDir(str(Path(self._tmp.name) / "checkpoints"))

    def db_api(self) -> Any:
        from splink import SparkAPI

        return SparkAPI(
            spark_session=self.spark,
            break_lineage_method="parquet",
            register_udfs_automatically=False,
        )

    def register_functions(self, similarity: NameSimilarity) -> None:
        from pyspark.sql.types import DoubleType

        def reckon_name_similarity(name_l, name_r):
            return similarity(name_l, name_r)

        self.spark.udf.register("reckon_name_similarity", reckon_name_similarity, DoubleType())

    def input_table(self, features: pd.DataFrame) -> Any:
        from pyspark.sql import types as T

        fields = [
            T.StructField(column, _spark_type(features[column], column), True)
            for column in features.columns
        ]
        rows = [
            tuple(_plain(v) for v in row) for row in features.itertuples(index=False, name=None)
        ]
        return self.spark.createDataFrame(rows, T.StructType(fields))

    def lookup_table(self, frame: pd.DataFrame) -> Any:
        return self.input_table(frame)

    def drop_tables(self) -> None:
        self.spark.catalog.clearCache()

    def write_pairs(self, predictions: Any, path: Path, columns: list[str]) -> int:
        frame = predictions.as_spark_dataframe().select(*columns)
        frame.write.mode("overwrite").parquet(str(path))
        return int(self.spark.read.parquet(str(path)).count())

    def close(self) -> None:
        if self._own_session:
            self.spark.stop()
        self._tmp.cleanup()


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, list | str):
        return value.item()
    return value
