"""The small interface every linkage engine implements."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from reckon.link.functions import NameSimilarity


class Engine(Protocol):
    """Where Splink runs. ``dialect`` is the SQL dialect of the comparisons ("duckdb", "spark")."""

    name: str
    dialect: str

    def db_api(self) -> Any:
        """A Splink database API bound to this engine."""

    def register_functions(self, similarity: NameSimilarity) -> None:
        """Make ``reckon_name_similarity`` callable from SQL."""

    def input_table(self, features: pd.DataFrame) -> Any:
        """The feature frame in the form Splink takes for this engine."""

    def lookup_table(self, frame: pd.DataFrame) -> Any:
        """A small table (term frequencies) in the form Splink registers for this engine."""

    def drop_tables(self) -> None:
        """Free what earlier work (training) left in the engine."""

    def write_pairs(self, predictions: Any, path: Path, columns: list[str]) -> int:
        """Write ``columns`` of Splink's predictions to Parquet at ``path``; return the rows."""

    def close(self) -> None:
        """Release the engine's resources."""
