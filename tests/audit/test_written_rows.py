"""Covers digested as rows are written: the same digests and row index as reading them back."""

from __future__ import annotations

import csv
import hashlib
import json
import random
import zlib
from datetime import date
from types import SimpleNamespace

import orjson
import pytest
from sqlalchemy import select

from reckon import audit
from reckon.audit import log
from reckon.audit.canonical import _ROW_ENCODER, RowCodec
from reckon.audit.log import (
    INLINE_ROWS,
    CoverDigest,
    RowSet,
    WrittenRows,
    digest_rowset,
    import_records,
    index_digest,
    pack_index,
)
from reckon.ingest import import_file
from reckon.model import AuditEntry, AuditRowIndex, ImportBatch, Record

AWKWARD = ['q"uote', "back\\slash", "tab\there", "new\nline", "\x01\x1f", "ی ك ‌ zwnj", "😀", ""]


def _write_list(path, rows: int) -> None:
    rnd = random.Random(3)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "surname", "gender", "date of execution", "age", "notes"])
        for i in range(rows):
            writer.writerow(
                [
                    f"R-{i}",
                    rnd.choice(["محمد", "Mohammad", "Seyed Ali", "حاج حسن"]),
                    rnd.choice(["کریمی", "Karimi", "Nouri"]) + rnd.choice(AWKWARD),
                    rnd.choice(["m", "زن", ""]),
                    rnd.choice(["۱۳۶۷/۰۵/۰۸", "1988", "03/04/1988", ""]),
                    rnd.choice(["30", "۴۵", ""]),
                    rnd.choice(AWKWARD),
                ]
            )


@pytest.mark.parametrize("rows", [INLINE_ROWS - 4, 700])
def test_import_cover_equals_reading_the_records_back(empty_project, tmp_path, monkeypatch, rows):
    monkeypatch.setattr(log, "SPOOL_BYTES", 100)  # make even a small index go through the spool
    path = tmp_path / "list.csv"
    _write_list(path, rows)
    result = import_file(empty_project, path, "List", actor="tester")
    assert result.rows_imported == rows
    with empty_project.session() as session:
        connection = session.connection()
        change = json.loads(session.scalars(select(AuditEntry.change)).one())
        cover = next(c for c in change["covers"] if c["table"] == "record")
        state = digest_rowset(
            connection, RowSet("record", {"batch_id": result.batch_id}, "row_number")
        )
        assert (cover["count"], cover["digest"]) == (state.count, state.digest)
        if rows <= INLINE_ROWS:
            assert cover["rows"] == [[i, s.hex()] for i, s in state.rows().items()]
        else:
            index = session.scalars(select(AuditRowIndex)).one()
            assert zlib.decompress(index.ids) == zlib.decompress(pack_index(state.ids))
            assert index.digests == state.short_digests
            assert cover["index"] == index_digest(index.ids, index.digests)
    assert audit.verify_project(empty_project).ok


def test_orjson_writes_what_the_canonical_encoder_writes():
    characters = [chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF]
    characters += [chr(0x1F600), chr(0x10FFFF)]
    rnd = random.Random(1)
    texts = characters + [
        "".join(rnd.choices(characters, k=rnd.randint(0, 40))) for _ in range(3000)
    ]
    for text in texts:
        payload = {"a": text, "b": -(2**63), "c": 2**63 - 1, "id": 7}
        assert orjson.dumps(payload, option=orjson.OPT_SORT_KEYS) == _ROW_ENCODER.encode(
            payload
        ).encode("utf-8")


def test_values_of_any_type_are_digested_as_the_codec_reads_them():
    table = Record.__table__
    codec = RowCodec(table, "sqlite")
    columns = ["row_number", "death_earliest", "age", "raw", "gender"]
    rows = [
        (1, "1988-07-30", 30, '{"a": "ب"}', None),  # the plain values an import writes
        (2, date(1988, 7, 30), 2**70, '{"a": 1}', "m"),  # a date object, an int past 64 bits
        (3, None, True, "[]", "f"),
    ]
    written = WrittenRows(RowSet("record", {"batch_id": 1}, "row_number"), columns)
    expected = CoverDigest()
    for row_id, values in zip([11, 12, 13], rows, strict=True):
        as_read = {**dict.fromkeys(codec.names), **dict(zip(columns, values, strict=True))}
        as_read["id"] = row_id
        expected.add(row_id, codec.digest([as_read[name] for name in codec.names]))
    written.add([11], rows[:1])
    written.add([12, 13], rows[1:])
    assert written.digest.count == 3 and written.digest.digest == expected.digest


def test_rows_must_come_in_order_with_their_ids():
    written = WrittenRows(RowSet("record", {"batch_id": 1}, "row_number"), ["row_number"])
    written.add([1, 2], [(5,), (6,)])
    with pytest.raises(ValueError, match="order"):
        written.add([3], [(6,)])
    with pytest.raises(ValueError, match="ids"):
        written.add([4, 5], [(9,)])
    with pytest.raises(ValueError, match="distinct columns"):
        WrittenRows(RowSet("record"), ["row_number", "row_number"])


def test_an_import_cover_must_be_the_batch_s_own():
    batch = SimpleNamespace(id=1, source_id=1, sha256="", rows_read=0, rows_imported=0)
    with pytest.raises(ValueError, match="batch 1"):
        audit.record_import(None, batch, actor="x", records=import_records(2, ["row_number"]))


def test_cover_digest_streams_what_digest_rowset_keeps():
    ids = [5, 6, 9, *range(20, 20 + 3 * INLINE_ROWS)]
    digests = [hashlib.sha256(str(i).encode()).digest() for i in ids]
    state = CoverDigest()
    state.add(ids[0], digests[0])
    state.extend(ids[1:50], digests[1:50])
    state.extend(ids[50:], digests[50:])
    outer = hashlib.sha256(b"".join(digests)).hexdigest()
    assert (state.count, state.digest) == (len(ids), outer)
    shorts = b"".join(d[:8] for d in digests)
    assert b"".join(state._short_chunks()) == shorts
    ids_blob = bytes(state._ids_blob + state._compress.flush())
    assert zlib.decompress(ids_blob) == zlib.decompress(pack_index(ids))
    state.close()


def test_a_large_cover_needs_integer_keys():
    state = CoverDigest()
    state.extend([f"k{i}" for i in range(INLINE_ROWS + 1)], [bytes(32)] * (INLINE_ROWS + 1))
    with pytest.raises(ValueError, match="integer"):
        state.cover(None, 1, 0)


def test_covers_of_a_few_rows_stay_inline(imported_project):
    with imported_project.session() as session:
        batch = session.scalars(select(ImportBatch)).one()
        change = json.loads(session.scalars(select(AuditEntry.change)).one())
    cover = next(c for c in change["covers"] if c["table"] == "record")
    assert cover["where"] == {"batch_id": batch.id} and len(cover["rows"]) == cover["count"]


def test_docstring_examples():
    import doctest

    assert doctest.testmod(log).failed == 0


def test_texts_made_elsewhere_give_the_same_digests():
    columns = ["row_number", "raw", "honorifics", "age"]
    rows = [
        (1, '{"a": "\\"id\\":0"}', None, 30),
        (2, '{"id": 1}', "seyed", None),
        (3, "", "x", 2**70),
    ]
    direct = WrittenRows(RowSet("record", {"batch_id": 1}, "row_number"), columns)
    direct.add([5, 6, 7], rows)
    split = WrittenRows(RowSet("record", {"batch_id": 1}, "row_number"), columns)
    split.add([5, 6, 7], rows, split.encoder(rows))  # as a worker process makes them
    assert split.digest.digest == direct.digest.digest
