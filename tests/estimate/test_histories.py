"""Capture histories: reading, validating, merging, dropping."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from reckon.errors import EstimationError, ImportFormatError, ValidationError
from reckon.estimate.histories import CaptureHistories, pool_histories
from reckon.estimate.histories_csv import read_stratified_csv


def write(tmp_path, text, name="h.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_kosovo_reads(kosovo):
    assert kosovo.lists == ("EXH", "ABA", "OSCE", "HRW")
    assert kosovo.n_observed == 4400
    assert kosovo.n_lists == 4
    assert kosovo.patterns.shape == (15, 4)
    assert kosovo.patterns.dtype == np.uint8
    assert kosovo.counts.dtype == np.int64
    assert kosovo.list_sizes() == {"EXH": 1910, "ABA": 1528, "OSCE": 1786, "HRW": 685}


def test_arrays_are_read_only(kosovo):
    with pytest.raises(ValueError):
        kosovo.counts[0] = 1


def test_overlap_table(kosovo):
    table = kosovo.overlap_table()
    assert list(table.columns) == list(kosovo.lists)
    assert table.loc["EXH", "EXH"] == 1910
    # EXH and HRW: patterns 1??1 = 106 + 42 + 18 + 27
    assert table.loc["EXH", "HRW"] == table.loc["HRW", "EXH"] == 193


def test_rows_in_any_order_give_same_digest(tmp_path):
    a = write(tmp_path, "A,B,count\n1,0,5\n0,1,3\n1,1,2\n", "a.csv")
    b = write(tmp_path, "A,B,count\n1,1,2\n1,0,5\n0,1,3\n", "b.csv")
    ha, hb = CaptureHistories.from_csv(a), CaptureHistories.from_csv(b)
    assert ha == hb
    assert ha.digest() == hb.digest()
    assert len(ha.digest()) == 64


def test_duplicates_merge_and_zero_counts_drop(tmp_path):
    path = write(tmp_path, "A,B,count\n1,0,5\n1,0,2\n0,1,0\n1,1,1\n0,0,0\n")
    h = CaptureHistories.from_csv(path)
    assert h.pattern_counts() == {(1, 0): 7, (1, 1): 1}
    assert h.list_sizes() == {"A": 8, "B": 1}


def test_digest_changes_with_counts(kosovo):
    frame = kosovo.to_frame()
    frame.loc[0, "count"] += 1
    assert CaptureHistories.from_frame(frame).digest() != kosovo.digest()


def test_every_bad_cell_is_reported_with_file_row_column(tmp_path):
    path = write(tmp_path, "A,B,count\n1,0,5\n2,0,3\n1,x,-1\n0,0,4\n1,1\n")
    with pytest.raises(ValidationError) as caught:
        CaptureHistories.from_csv(path)
    problems = caught.value.problems
    found = {(p.row, p.column) for p in problems}
    assert found == {(2, "A"), (3, "B"), (3, "count"), (4, None), (5, None)}
    assert all(p.file == str(path) for p in problems)
    message = str(caught.value)
    assert str(path) in message
    assert "row 2, column 'A'" in message
    assert "row 3, column 'count'" in message


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("A,B\n1,0\n", "'count'"),
        ("count\n3\n", "no list columns"),
        ("A,A,count\n1,0,3\n", "repeat"),
    ],
)
def test_unusable_files(tmp_path, text, reason):
    path = write(tmp_path, text)
    with pytest.raises(ImportFormatError) as caught:
        CaptureHistories.from_csv(path)
    assert reason in str(caught.value)
    assert caught.value.file == str(path)


def test_missing_file(tmp_path):
    with pytest.raises(ImportFormatError, match="not found"):
        CaptureHistories.from_csv(tmp_path / "nope.csv")


def test_semicolons_and_decimal_counts(tmp_path):
    path = write(tmp_path, "A;B;count\n1;0;5.0\n0;1;3\n")
    assert CaptureHistories.from_csv(path).n_observed == 8


def test_count_column_anywhere_and_any_case(tmp_path):
    path = write(tmp_path, "Count,A,B\n5,1,0\n3,0,1\n")
    h = CaptureHistories.from_csv(path)
    assert h.lists == ("A", "B")
    assert h.n_observed == 8


def test_from_frame_matches_from_csv(kosovo):
    assert CaptureHistories.from_frame(kosovo.to_frame()) == kosovo


def test_from_frame_reports_problems():
    frame = pd.DataFrame({"A": [1, 3], "B": [0, 1], "count": [2, 2]})
    with pytest.raises(ValidationError, match="row 2, column 'A'"):
        CaptureHistories.from_frame(frame)


def test_constructor_rejects_unobservable_people():
    with pytest.raises(EstimationError, match="no list"):
        CaptureHistories(("A", "B"), np.array([[0, 0], [1, 0]]), np.array([3, 1]))


@pytest.mark.parametrize(
    ("lists", "patterns", "counts", "match"),
    [
        (("A", "A"), [[1, 0]], [1], "distinct"),
        (("A", "B"), [[1, 2]], [1], "0 and 1"),
        (("A", "B"), [[1, 0]], [-1], "negative"),
        (("A", "B"), [[1, 0]], [1.5], "whole"),
        (("A", "B"), [[1, 0, 1]], [1], "shape"),
        ((), np.zeros((0, 0)), [], "at least one list"),
    ],
)
def test_constructor_validation(lists, patterns, counts, match):
    with pytest.raises(EstimationError, match=match):
        CaptureHistories(lists, np.asarray(patterns), np.asarray(counts))


def test_from_memberships():
    h = CaptureHistories.from_memberships([{"B"}, {"A", "B"}, ("A",), {"B"}])
    assert h.lists == ("A", "B")
    assert h.pattern_counts() == {(0, 1): 2, (1, 0): 1, (1, 1): 1}


def test_from_memberships_with_list_order_and_empty_list():
    h = CaptureHistories.from_memberships([{"B"}, {"A"}], lists=["C", "B", "A"])
    assert h.lists == ("C", "B", "A")
    assert h.list_sizes() == {"C": 0, "B": 1, "A": 1}


@pytest.mark.parametrize(
    ("people", "lists", "match"),
    [([set()], None, "no list"), ([{"Z"}], ["A"], "not among"), ([], None, "no memberships")],
)
def test_from_memberships_errors(people, lists, match):
    with pytest.raises(EstimationError, match=match):
        CaptureHistories.from_memberships(people, lists=lists)


def test_merge_is_on_either(kosovo):
    merged = kosovo.merge("ABA", "HRW")
    assert merged.lists == ("EXH", "ABA+HRW", "OSCE")
    assert merged.n_observed == kosovo.n_observed
    either = int(kosovo.counts[(kosovo.patterns[:, 1] == 1) | (kosovo.patterns[:, 3] == 1)].sum())
    assert merged.list_sizes()["ABA+HRW"] == either
    assert kosovo.merge("ABA", "HRW", into="NGO").lists == ("EXH", "NGO", "OSCE")


def test_merge_errors(kosovo):
    with pytest.raises(EstimationError, match="unknown"):
        kosovo.merge("EXH", "NOPE")
    with pytest.raises(EstimationError, match="at least two"):
        kosovo.merge("EXH")
    with pytest.raises(EstimationError, match="exists"):
        kosovo.merge("EXH", "ABA", into="HRW")


def test_drop_removes_people_only_on_dropped_lists(kosovo):
    dropped = kosovo.drop("HRW")
    assert dropped.lists == ("EXH", "ABA", "OSCE")
    assert dropped.n_observed == 4400 - 306  # 306 people are only on HRW
    with pytest.raises(EstimationError, match="every list"):
        kosovo.drop(*kosovo.lists)


def test_drop_empty():
    h = CaptureHistories.from_memberships([{"A"}, {"A", "C"}], lists=["A", "B", "C", "D"])
    kept, empty = h.drop_empty()
    assert empty == ["B", "D"]
    assert kept.lists == ("A", "C")
    assert kept.n_observed == 2
    assert h.drop_empty()[0].drop_empty() == (kept, [])


def test_subset_keeps_order(kosovo):
    sub = kosovo.subset(["OSCE", "EXH"])
    assert sub.lists == ("OSCE", "EXH")
    assert sub.list_sizes() == {"OSCE": 1786, "EXH": 1910}


def test_pool(kosovo):
    pooled = pool_histories([kosovo, kosovo.drop("HRW")])
    assert pooled.lists == kosovo.lists
    assert pooled.n_observed == 4400 + 4094


def test_pool_aligns_lists_by_name():
    a = CaptureHistories.from_memberships([{"A"}, {"A", "B"}], lists=["A", "B"])
    b = CaptureHistories.from_memberships([{"B"}, {"C"}, {"C"}], lists=["C", "B"])
    pooled = pool_histories([a, b])
    assert pooled.lists == ("A", "B", "C")
    assert pooled.pattern_counts() == {(0, 0, 1): 2, (0, 1, 0): 1, (1, 0, 0): 1, (1, 1, 0): 1}


def test_dict_round_trip(kosovo):
    assert CaptureHistories.from_dict(kosovo.to_dict()) == kosovo


def test_read_stratified_csv(tmp_path):
    path = write(tmp_path, "city,A,B,count\nTehran,1,0,5\nTabriz,1,1,2\nTehran,0,1,3\n")
    strata = read_stratified_csv(path, "city")
    assert list(strata) == ["Tabriz", "Tehran"]
    assert strata["Tehran"].n_observed == 8
    assert strata["Tabriz"].lists == ("A", "B")


def test_read_stratified_csv_row_numbers_are_file_rows(tmp_path):
    path = write(tmp_path, "city,A,B,count\nTehran,1,0,5\nTabriz,1,1,2\nTehran,0,7,3\n,1,0,1\n")
    with pytest.raises(ValidationError) as caught:
        read_stratified_csv(path, "city")
    assert {(p.row, p.column) for p in caught.value.problems} == {(4, "city")}
    good_stratum = write(tmp_path, "city,A,B,count\nTehran,1,0,5\nTabriz,1,1,2\nTehran,0,7,3\n")
    with pytest.raises(ValidationError) as caught:
        read_stratified_csv(good_stratum, "city")
    assert {(p.row, p.column) for p in caught.value.problems} == {(3, "B")}


def test_read_stratified_csv_missing_column(tmp_path):
    path = write(tmp_path, "A,B,count\n1,0,5\n")
    with pytest.raises(ImportFormatError, match="stratum column 'city'"):
        read_stratified_csv(path, "city")
