"""`reckon verify`, second pass: the rows the log covers.

The latest cover of every row set is recomputed; a mismatch is resolved, with the entry's row
index, to the rows that were altered, deleted or inserted. Single-row covers are checked in
chunks of primary keys. Rows of a covered table that no entry covers were inserted behind the
log's back.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, select

from reckon.audit.canonical import RowCodec
from reckon.audit.findings import Finding, FindingCollector, LoggedCover, VerifyResult
from reckon.audit.log import RowSet, digest_rowset, index_digest, unpack_index
from reckon.model import AuditRowIndex, Base


def _stored_index(connection: Connection, cover: LoggedCover) -> dict[int | str, bytes] | None:
    if "rows" in cover.data:
        return {row_id: bytes.fromhex(short) for row_id, short in cover.data["rows"]}
    table = AuditRowIndex.__table__
    row = connection.execute(
        select(table.c.ids, table.c.digests).where(
            table.c.seq == cover.seq, table.c.cover == cover.number
        )
    ).one_or_none()
    if row is None or index_digest(row.ids, row.digests) != cover.data.get("index"):
        return None
    return unpack_index(row.ids, row.digests)


def check_rows(
    connection: Connection, covers: list[LoggedCover], found: FindingCollector, result: VerifyResult
) -> None:
    latest: dict[str, LoggedCover] = {}
    for cover in covers:
        latest[cover.rowset.key] = cover
    # Rows named by small covers: a later one supersedes a large cover for that row.
    named_at: dict[tuple[str, Any], int] = {}
    for cover in covers:
        for row_id, _ in cover.data.get("rows", ()):
            key = (cover.rowset.table, row_id)
            named_at[key] = max(named_at.get(key, 0), cover.seq)

    def superseded(table: str, row_id: Any, seq: int) -> bool:
        return named_at.get((table, row_id), 0) > seq

    point_covers: dict[str, dict[Any, LoggedCover]] = defaultdict(dict)
    set_covers: list[LoggedCover] = []
    for cover in latest.values():
        key = _point_key(cover.rowset)
        if key is None:
            set_covers.append(cover)
        else:
            point_covers[cover.rowset.table][key] = cover
    for table_name, covers_by_key in point_covers.items():
        _check_points(connection, table_name, covers_by_key, superseded, found, result)
    for cover in set_covers:
        rowset = cover.rowset
        if rowset.table not in Base.metadata.tables:
            found.add(
                Finding(
                    "deleted",
                    "row",
                    f"table {rowset.table} covered by entry {cover.seq} no longer exists",
                    cover.seq,
                    rowset.table,
                )
            )
            continue
        state = digest_rowset(connection, rowset)
        result.rows += state.count
        if state.count == cover.data["count"] and state.digest == cover.data["digest"]:
            continue
        expected = _stored_index(connection, cover)
        what = f"{rowset.table} rows {json.dumps(dict(rowset.where))}"
        if expected is None:
            found.add(
                Finding(
                    "altered",
                    "row_index",
                    f"{what} differ from entry {cover.seq} ({cover.data['count']} rows logged, "
                    f"{state.count} now) and the entry's row index is missing or altered",
                    cover.seq,
                    rowset.table,
                )
            )
            continue
        current = state.rows()
        before = found.counts.copy()
        skipped = False
        for row_id, short in expected.items():
            if superseded(rowset.table, row_id, cover.seq):
                skipped = True
            elif row_id not in current:
                found.add(
                    Finding(
                        "deleted",
                        "row",
                        f"{rowset.table} {row_id} (logged by entry {cover.seq}) was deleted",
                        cover.seq,
                        rowset.table,
                        str(row_id),
                    )
                )
            elif current[row_id] != short:
                found.add(
                    Finding(
                        "altered",
                        "row",
                        f"{rowset.table} {row_id} differs from its state logged by entry "
                        f"{cover.seq}",
                        cover.seq,
                        rowset.table,
                        str(row_id),
                    )
                )
        for row_id in current.keys() - expected.keys():
            if superseded(rowset.table, row_id, cover.seq):
                skipped = True
            else:
                found.add(
                    Finding(
                        "inserted",
                        "row",
                        f"{rowset.table} {row_id} was inserted into {what} after entry {cover.seq}",
                        cover.seq,
                        rowset.table,
                        str(row_id),
                    )
                )
        if found.counts == before and not skipped:
            # Same rows with the same digests, yet a different combined digest: the order.
            logged_order = [i for i in expected if i in current]
            kind = (
                "reordered"
                if logged_order != [i for i in state.ids if i in expected]
                else "altered"
            )
            found.add(
                Finding(
                    kind,
                    "row",
                    f"{what} are not as logged by entry {cover.seq} "
                    f"({'order changed' if kind == 'reordered' else 'combined digest differs'})",
                    cover.seq,
                    rowset.table,
                )
            )
    _check_uncovered(connection, list(latest.values()), named_at, found)


def _point_key(rowset: RowSet) -> Any | None:
    """The primary-key value when a row set is one row by primary key, else None."""
    table = Base.metadata.tables.get(rowset.table)
    if table is None or len(rowset.where) != 1:
        return None
    pk = list(table.primary_key.columns)
    if len(pk) != 1 or pk[0].name not in rowset.where:
        return None
    if rowset.order_by not in (None, pk[0].name):
        return None
    return rowset.where[pk[0].name]


POINT_CHUNK = 500


def _check_points(
    connection: Connection,
    table_name: str,
    covers_by_key: dict[Any, LoggedCover],
    superseded: Callable[[str, Any, int], bool],
    found: FindingCollector,
    result: VerifyResult,
) -> None:
    """Check single-row covers of one table in chunks of primary keys (one query per chunk)."""
    table = Base.metadata.tables[table_name]
    codec = RowCodec(table, connection.dialect.name)
    pk = next(iter(table.primary_key.columns))
    keys = list(covers_by_key)
    for start in range(0, len(keys), POINT_CHUNK):
        chunk = keys[start : start + POINT_CHUNK]
        rows = connection.execute(
            select(*codec.columns).select_from(table).where(pk.in_(chunk))
        ).all()
        current = {row[codec.key_index]: codec.digest(row) for row in rows}
        result.rows += len(current)
        for key in chunk:
            cover = covers_by_key[key]
            if superseded(table_name, key, cover.seq):
                continue
            digest = current.get(key)
            now = hashlib.sha256(digest).hexdigest() if digest is not None else None
            logged = cover.data["digest"] if cover.data["count"] else None
            if now == logged:
                continue
            if logged is None:
                kind, detail = (
                    "inserted",
                    f"{table_name} {key} exists although entry {cover.seq} logged it absent",
                )
            elif now is None:
                kind, detail = (
                    "deleted",
                    f"{table_name} {key} (logged by entry {cover.seq}) was deleted",
                )
            else:
                kind, detail = (
                    "altered",
                    f"{table_name} {key} differs from its state logged by entry {cover.seq}",
                )
            found.add(Finding(kind, "row", detail, cover.seq, table_name, str(key)))


def _check_uncovered(
    connection: Connection,
    covers: list[LoggedCover],
    named_at: dict[tuple[str, Any], int],
    found: FindingCollector,
) -> None:
    """Rows of covered tables that no entry covers were inserted without the log."""
    by_table: dict[str, list[LoggedCover]] = defaultdict(list)
    for cover in covers:
        if cover.rowset.table in Base.metadata.tables:
            by_table[cover.rowset.table].append(cover)
    for name, table_covers in by_table.items():
        table = Base.metadata.tables[name]
        pk = next(iter(table.primary_key.columns))
        if any(not c.rowset.where for c in table_covers):
            continue  # a whole-table cover already accounts for every row
        # where-column sets → the value tuples that are covered
        covered: dict[tuple[str, ...], set[tuple[Any, ...]]] = defaultdict(set)
        for cover in table_covers:
            columns = tuple(sorted(cover.rowset.where))
            covered[columns].add(tuple(cover.rowset.where[c] for c in columns))
        columns_needed = sorted({c for cols in covered for c in cols} | {pk.name})
        query = select(*(table.c[c] for c in columns_needed)).execution_options(yield_per=20000)
        for row in connection.execute(query):
            values = dict(zip(columns_needed, row, strict=True))
            row_id = values[pk.name]
            if (name, row_id) in named_at:
                continue
            if any(tuple(values[c] for c in cols) in covered[cols] for cols in covered):
                continue
            found.add(
                Finding(
                    "inserted",
                    "row",
                    f"{name} {row_id} has no audit entry: it was inserted behind the log's back",
                    None,
                    name,
                    str(row_id),
                )
            )
