"""Blocking on synthetic lists: nearly every true pair is a candidate, and candidates stay few."""

from __future__ import annotations

import pandas as pd
import pytest

from reckon.link.blocking import blocking_summary, similarity_pairs
from reckon.link.features import add_blocking_columns, build_features, load_records

from .conftest import import_lists, make_scenario, read_truth


@pytest.fixture(scope="module")
def synth_features(tmp_path_factory):
    from reckon.store import init_project

    directory = make_scenario(tmp_path_factory.mktemp("blocking"), people=4000, seed=5)
    project = init_project(tmp_path_factory.mktemp("blocking-project") / "p")
    import_lists(project, directory)
    records = load_records(project)
    with project.session() as session:
        from sqlalchemy import select

        from reckon.model import ImportBatch

        files = dict(session.execute(select(ImportBatch.id, ImportBatch.file_name)).all())
    truth = read_truth(directory)
    people = [
        truth[(files[b], r)]
        for b, r in zip(records["batch_id"], records["row_number"], strict=True)
    ]
    features = add_blocking_columns(build_features(records))
    project.close()
    return features, pd.Series(people)


def test_blocking_keeps_99_percent_of_true_pairs_with_few_candidates(synth_features):
    features, people = synth_features
    summary = blocking_summary(features, people)
    assert summary["true_pairs"] > 500
    assert summary["recall"] >= 0.99, summary
    assert summary["pairs_per_record"] < 50, summary


def test_similarity_pairs_lists_distinct_different_names(synth_features):
    features, _ = synth_features
    left, right = similarity_pairs(features)
    assert left and len(left) == len(right)
    assert all(a != b for a, b in zip(left, right, strict=True))
    assert len(set(zip(left, right, strict=True))) == len(left)
