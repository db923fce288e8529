"""The default engine: DuckDB, embedded, in this process."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
from duckdb.sqltypes import DOUBLE, VARCHAR

from reckon.link.functions import NameSimilarity


class DuckDBEngine:
    """Splink on an in-memory DuckDB database (spilling to ``temp_dir`` beyond ``memory_limit``)."""

    name = "duckdb"
    dialect = "duckdb"

    def __init__(
        self,
        *,
        threads: int | None = None,
        memory_limit: str | None = "768MB",
        temp_dir: Path | str | None = None,
    ) -> None:
        self.connection = duckdb.connect(":memory:")
        self._tables = 0
        self.connection.execute(f"SET threads = {int(threads or os.cpu_count() or 1)}")
        if memory_limit:
            self.connection.execute(f"SET memory_limit = '{memory_limit}'")
        if temp_dir:
            Path(temp_dir).mkdir(parents=True, exist_ok=True)
            self.connection.execute(f"SET temp_directory = '{Path(temp_dir).as_posix()}'")
        self.connection.execute("SET preserve_insertion_order = false")

    def db_api(self) -> Any:
        from splink import DuckDBAPI

        return DuckDBAPI(connection=self.connection)

    def register_functions(self, similarity: NameSimilarity) -> None:
        with contextlib.suppress(duckdb.InvalidInputException):
            self.connection.remove_function("reckon_name_similarity")
        self.connection.create_function(
            "reckon_name_similarity",
            similarity,
            [VARCHAR, VARCHAR],
            DOUBLE,
            type="native",
            side_effects=False,
        )

    def input_table(self, features: pd.DataFrame) -> Any:
        """A DuckDB table holding a copy of ``features`` (its name): DuckDB stores it compactly
        and may spill it, and the caller can free the frame."""
        self._tables += 1
        name = f"reckon_input_{self._tables}"
        self.connection.register("reckon_frame", features)
        try:
            self.connection.execute(f"CREATE TABLE {name} AS SELECT * FROM reckon_frame")
        finally:
            self.connection.unregister("reckon_frame")
        return name

    def lookup_table(self, frame: pd.DataFrame) -> Any:
        return frame

    def drop_tables(self) -> None:
        """Drop every table and view (training's), so scoring starts with empty buffers."""
        rows = self.connection.execute(
            "SELECT table_name, table_type FROM information_schema.tables "
            "WHERE table_schema = 'main'"
        ).fetchall()
        for name, kind in rows:
            what = "VIEW" if kind == "VIEW" else "TABLE"
            self.connection.execute(f'DROP {what} IF EXISTS "{name}"')

    def write_pairs(self, predictions: Any, path: Path, columns: list[str]) -> int:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        select = ", ".join(columns)
        table = predictions.physical_name
        self.connection.execute(
            f"COPY (SELECT {select} FROM {table} ORDER BY unique_id_l, unique_id_r) "
            f"TO '{path.as_posix()}' (FORMAT parquet, COMPRESSION zstd)"
        )
        return int(
            self.connection.execute(f"SELECT count(*) FROM '{path.as_posix()}'").fetchall()[0][0]
        )

    def close(self) -> None:
        self.connection.close()
