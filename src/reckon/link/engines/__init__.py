"""Linkage engines: where Splink runs (DuckDB embedded by default, Spark at scale).

An engine gives Splink its database API, registers the Python functions the comparison SQL
calls, turns the feature frame into an input table and writes the scored pairs to Parquet.
Only :mod:`reckon.link.engines.spark` imports pyspark.
"""

from __future__ import annotations

from reckon.errors import LinkageConfigError
from reckon.link.engines.base import Engine

ENGINES = ("duckdb", "spark")


def make_engine(name: str, **options) -> Engine:
    """The engine called ``name`` ("duckdb" or "spark"), set up with ``options``."""
    if name == "duckdb":
        from reckon.link.engines.duckdb import DuckDBEngine

        return DuckDBEngine(**options)
    if name == "spark":
        from reckon.link.engines.spark import SparkEngine

        return SparkEngine(**options)
    raise LinkageConfigError(f"unknown linkage engine {name!r}: use one of {', '.join(ENGINES)}")


__all__ = ["ENGINES", "Engine", "make_engine"]
