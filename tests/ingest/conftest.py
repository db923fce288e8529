"""Builders of input files with real Persian text, in every format and encoding we read."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from reckon.ingest import import_file
from reckon.model import ImportBatch, Record, Source

HEADERS = ["شناسه", "نام", "نام خانوادگی", "نام پدر", "تاریخ اعدام", "زندان", "یادداشت اضافی"]
ROWS = [
    ["A-1", "محمدرضا", "کریمی", "حسن", "۱۳۶۷/۰۵/۰۸", "اوین", "ستون بدون نگاشت"],
    ["A-2", "فاطمه", "صادقی", "محمود", "مرداد ۱۳۶۷", "اوین", ""],
    ["A-3", "عبدالله", "موسوی", "کریم", "1988-07-28", "وکیل‌آباد", "note"],
]


def write_delimited(path: Path, headers, rows, *, encoding="utf-8", delimiter=",") -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, headers, rows) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def write_json(path: Path, headers, rows, *, lines=False) -> Path:
    objects = [dict(zip(headers, row, strict=True)) for row in rows]
    if lines:
        path.write_text("\n".join(json.dumps(o, ensure_ascii=False) for o in objects) + "\n")
    else:
        path.write_text(json.dumps(objects, ensure_ascii=False, indent=1))
    return path


def snapshot(project) -> dict:
    """Everything an import could change, as counts and a digest of every record."""
    with project.session() as session:
        records = session.scalars(select(Record).order_by(Record.id)).all()
        digest = hashlib.sha256()
        for record in records:
            digest.update(json.dumps([record.id, record.raw, record.name_key]).encode())
        return {
            "sources": len(session.scalars(select(Source)).all()),
            "batches": len(session.scalars(select(ImportBatch)).all()),
            "records": len(records),
            "digest": digest.hexdigest(),
            "files": sorted(p.name for p in project.files_dir.rglob("*") if p.is_file()),
        }


@pytest.fixture
def project_with_one_list(empty_project, tmp_path):
    """A project (each backend) that already holds one imported list."""
    path = write_delimited(tmp_path / "first.csv", HEADERS, ROWS)
    import_file(empty_project, path, "First list", actor="tester")
    return empty_project
