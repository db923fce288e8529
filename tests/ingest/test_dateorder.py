"""Day/month order read from a column of numeric dates."""

from __future__ import annotations

import pytest

from reckon.ingest.dateorder import MIN_EVIDENCE, DayOrder, order_evidence


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("16.08.1988", "day"),
        ("16/8/88", "day"),
        ("۱۶/۰۸/۱۹۸۸", "day"),
        ("08/16/1988", "month"),
        ("8-16-1988", "month"),
        ("05.08.1988", None),  # either order
        ("12.12.1988", None),
        ("1988-08-16", None),  # year first: never ambiguous, says nothing
        ("1367/5/8", None),
        ("32.08.1988", None),  # no such day: not evidence
        ("8 August 1988", None),
        ("", None),
        (None, None),
    ],
)
def test_order_evidence(text, expected):
    assert order_evidence(text) == expected


def test_a_column_that_keeps_one_order_decides_it():
    column = ["16.08.1988", "05.08.1988", "28.07.1988", "03.09.1988", "30.08.1988"]
    order = DayOrder().update(column)
    assert (order.day, order.month, order.dayfirst) == (3, 0, True)
    assert "3 other dates" in order.note() and "day first" in order.note()
    assert DayOrder().update(["08/16/1988", "08/28/1988", "09/30/1988"]).dayfirst is False


def test_a_column_that_mixes_orders_or_has_too_little_evidence_decides_nothing():
    assert DayOrder().update(["16.08.1988", "28.08.1988", "08/16/1988"]).dayfirst is None
    assert DayOrder().update(["16.08.1988"] * (MIN_EVIDENCE - 1)).dayfirst is None
    assert DayOrder().update(["05.08.1988"] * 100).dayfirst is None


def test_one_stray_value_among_many_does_not_undo_the_column():
    column = ["16.08.1988"] * 99 + ["08/16/1988"]
    assert DayOrder().update(column).dayfirst is True


def _import(project, tmp_path, dates, name="dates.csv"):
    from reckon.ingest import import_file

    path = tmp_path / name
    rows = "".join(f"Person {i},{d}\n" for i, d in enumerate(dates))
    path.write_text("name,date of execution\n" + rows, encoding="utf-8")
    import_file(project, path, name, actor="tester")
    from sqlalchemy import select

    from reckon.model import Record

    with project.session() as session:
        records = session.scalars(select(Record).order_by(Record.row_number)).all()
        return [(r.death_earliest, r.death_latest, list(r.warnings)) for r in records]


def test_import_reads_ambiguous_dates_the_way_the_column_writes_them(empty_project, tmp_path):
    from datetime import date

    records = _import(
        empty_project, tmp_path, ["16.08.1988", "28.07.1988", "05.08.1988", "30.08.1988"]
    )
    earliest, latest, warnings = records[2]
    assert earliest == latest == date(1988, 8, 5)  # not 8 May
    assert any("order taken from the column" in w and "3 other dates" in w for w in warnings)
    assert records[0][:2] == (date(1988, 8, 16), date(1988, 8, 16))
    assert not any("order" in w for w in records[0][2])


def test_a_column_that_mixes_orders_leaves_ambiguous_dates_ambiguous(empty_project, tmp_path):
    from datetime import date

    records = _import(empty_project, tmp_path, ["16.08.1988", "08/28/1988", "05.08.1988"])
    earliest, latest, warnings = records[2]
    assert (earliest, latest) == (date(1988, 5, 8), date(1988, 8, 5))  # both readings
    assert any("order unknown" in w for w in warnings)
