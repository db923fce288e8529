"""Canonical serialization: the exact bytes that are hashed, the same on every run.

Canonical JSON is UTF-8 JSON with sorted keys, no insignificant whitespace and no NaN.

A database row is serialized as a JSON object of its non-NULL columns, in column-name order
(so adding a nullable column to a table leaves the digests of existing rows unchanged), with the
values as the database driver returns them, unconverted — what is hashed is what is stored:
JSON columns as their stored text, SQLite dates and times as their stored text, PostgreSQL
times converted to UTC ISO 8601, bytes as hex. Row digests are therefore stable for one database;
moving a project to another backend re-baselines them.
"""

from __future__ import annotations

import enum
import hashlib
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Table, Text, cast, type_coerce
from sqlalchemy.types import NullType


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is None:  # SQLite returns naive datetimes; Reckon writes UTC
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, bytes | bytearray | memoryview):
        return "hex:" + bytes(value).hex()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot serialize {type(value).__name__} canonically")


_ENCODER = json.JSONEncoder(
    sort_keys=True,
    separators=(",", ":"),
    ensure_ascii=False,
    allow_nan=False,
    default=_default,
)


def canonical_json(value: Any) -> str:
    """`value` as canonical JSON text.

    Example:
        >>> canonical_json({"b": 1, "a": [True, None, "ی"]})
        '{"a":[true,null,"ی"],"b":1}'
    """
    return _ENCODER.encode(value)


def sha256_hex(text: str) -> str:
    """SHA-256 of the UTF-8 encoding of `text`, as 64 hex digits."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_ROW_ENCODER = json.JSONEncoder(
    separators=(",", ":"), ensure_ascii=False, allow_nan=False, default=_default
)


class RowCodec:
    """Reads a table's rows as stored and digests them canonically."""

    def __init__(self, table: Table, dialect_name: str) -> None:
        self.table = table
        self.names = sorted(column.name for column in table.columns)
        expressions = []
        for name in self.names:
            column = table.c[name]
            if dialect_name == "postgresql" and isinstance(column.type, JSON):
                expressions.append(cast(column, Text))  # the stored text, not re-parsed
            else:
                expressions.append(type_coerce(column, NullType()))  # no result conversion
        self.columns = expressions
        pk = [c.name for c in table.primary_key.columns]
        self.key_index = self.names.index(pk[0]) if len(pk) == 1 else None

    def digest(self, row: Any) -> bytes:
        """SHA-256 (32 bytes) of a row read with `self.columns`."""
        payload = {name: value for name, value in zip(self.names, row) if value is not None}  # noqa: B905
        return hashlib.sha256(_ROW_ENCODER.encode(payload).encode("utf-8")).digest()
