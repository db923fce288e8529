"""Fast bulk inserts: many rows straight to the driver, values converted once per column.

SQLAlchemy's Core insert spends most of its time building parameters row by row. Here the SQL
text and the few conversions that matter (JSON, dates, timestamps) are prepared once per table;
each row becomes a plain tuple. SQLite gets `executemany`; PostgreSQL gets `COPY`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from operator import itemgetter

from sqlalchemy import JSON, Connection, Date, DateTime, Table


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


class BulkInserter:
    """Insert dict rows into one table on one connection, as fast as the driver allows.

    Columns missing from a row get their Python-side default (a scalar, or a callable evaluated
    once per chunk), as SQLAlchemy would give them.
    """

    def __init__(self, connection: Connection, table: Table) -> None:
        dialect = connection.dialect
        self.connection = connection
        self.columns = [c for c in table.columns if not (c.primary_key and c.autoincrement)]
        quote = dialect.identifier_preparer.quote
        names = ", ".join(quote(c.name) for c in self.columns)
        target = dialect.identifier_preparer.format_table(table)
        self.postgres = dialect.name == "postgresql"
        if self.postgres:
            self.sql = f"COPY {target} ({names}) FROM STDIN"
        else:
            self.sql = (
                f"INSERT INTO {target} ({names}) VALUES ({', '.join('?' for _ in self.columns)})"
            )
        self.conversions: list[tuple[int, Callable]] = []
        for index, column in enumerate(self.columns):
            if isinstance(column.type, JSON):
                self.conversions.append((index, _json))
            elif not self.postgres and isinstance(column.type, (Date, DateTime)):
                # The exact text SQLAlchemy's SQLite dialect writes, so reads give the same values.
                process = column.type.bind_processor(dialect)
                if process is not None:
                    self.conversions.append((index, process))
        self.getter = itemgetter(*(c.key for c in self.columns))
        self.defaults: dict[str, object] = {}
        self._callables: dict[str, Callable[[], object]] = {}
        for column in self.columns:
            default = column.default
            if default is None:
                continue
            if default.is_callable:
                self._callables[column.key] = lambda f=default.arg: f(None)
            elif default.is_scalar:
                self.defaults[column.key] = default.arg

    def insert(self, rows: Sequence[dict]) -> None:
        """Insert `rows` (dicts keyed by column key) in one driver call."""
        if not rows:
            return
        base = {c.key: None for c in self.columns}
        base.update(self.defaults)
        base.update({key: make() for key, make in self._callables.items()})
        getter, conversions = self.getter, self.conversions
        tuples = []
        for row in rows:
            values = list(getter({**base, **row}))
            for index, convert in conversions:
                if values[index] is not None:
                    values[index] = convert(values[index])
            tuples.append(values)
        driver = self.connection.connection.driver_connection
        if self.postgres:
            with driver.cursor() as cursor, cursor.copy(self.sql) as copy:
                for values in tuples:
                    copy.write_row(values)
        else:
            cursor = driver.cursor()
            try:
                cursor.executemany(self.sql, tuples)
            finally:
                cursor.close()


__all__ = ["BulkInserter"]
