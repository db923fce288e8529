"""Bulk inserts and the settings of a bulk load."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from reckon.model import Source
from reckon.store.bulk import BULK_CACHE_KIB, BulkInserter, bulk_load


def test_bulk_load_enlarges_sqlite_s_cache_and_restores_it(sqlite_project):
    with sqlite_project.engine.begin() as connection:
        before = connection.execute(text("PRAGMA cache_size")).scalar()
        with bulk_load(connection):
            assert connection.execute(text("PRAGMA cache_size")).scalar() == -BULK_CACHE_KIB
        assert connection.execute(text("PRAGMA cache_size")).scalar() == before
        with pytest.raises(RuntimeError), bulk_load(connection):
            raise RuntimeError("an import that fails")
        assert connection.execute(text("PRAGMA cache_size")).scalar() == before


def test_insert_rows_takes_tuples_of_the_named_columns(empty_project):
    with empty_project.transaction() as session:
        columns = ["name", "sensitivity", "created_at"]
        inserter = BulkInserter(session.connection(), Source.__table__, columns)
        now = "2024-01-01 00:00:00+00:00"  # tuples hold stored forms: no conversion, no defaults
        inserter.insert_rows([("Alpha", "internal", now), ("Beta", "public", now)])
        inserter.insert_rows([])
    with empty_project.session() as session:
        rows = session.execute(select(Source.name, Source.sensitivity).order_by(Source.id)).all()
    assert [tuple(r) for r in rows] == [("Alpha", "internal"), ("Beta", "public")]
