"""Stable person ids: who keeps an id, who is new, who is retired, what merged and split."""

from __future__ import annotations

import pandas as pd

from reckon.link.persons import match_clusters


def run(labels: dict[int, int], old: dict[int, int], next_id: int = 100):
    return match_clusters(pd.Series(labels), pd.Series(old, dtype="int64"), next_id)


def test_first_run_creates_persons_in_order_of_their_first_record():
    person_of, changes = run({3: 1, 1: 1, 2: 2}, {})
    assert person_of == {1: 100, 2: 101}
    assert changes.created == [100, 101] and not changes.retired


def test_unchanged_clusters_keep_their_ids_and_new_records_join():
    person_of, changes = run({1: 1, 2: 1, 3: 3, 4: 3}, {1: 7, 2: 7, 3: 8})
    assert person_of == {1: 7, 3: 8}
    assert changes.kept == 2 and not changes.created and not changes.merges


def test_merge_keeps_the_larger_person_and_retires_the_other():
    person_of, changes = run({1: 1, 2: 1, 3: 1}, {1: 7, 2: 7, 3: 8})
    assert person_of == {1: 7}
    assert changes.retired == [8]
    assert changes.merges == [{"person_id": 7, "from": [7, 8]}]


def test_split_keeps_the_id_on_the_larger_part():
    person_of, changes = run({1: 1, 2: 1, 3: 3}, {1: 7, 2: 7, 3: 7})
    assert person_of == {1: 7, 3: 100}
    assert changes.splits == [{"person_id": 7, "into": [7, 100]}]
    assert not changes.retired


def test_ties_are_broken_by_the_smaller_person_id():
    person_of, changes = run({1: 1, 2: 1}, {1: 9, 2: 8})
    assert person_of == {1: 8}
    assert changes.retired == [9]
    # a split into equal halves: the cluster with the smaller first record keeps the id
    person_of, _ = run({1: 1, 2: 2}, {1: 5, 2: 5})
    assert person_of == {1: 5, 2: 100}


def test_a_person_whose_records_are_gone_is_retired():
    _, changes = run({1: 1}, {1: 7, 2: 8})
    assert changes.retired == [8]


def test_merges_splits_and_retirements_agree_with_a_plain_count_on_random_clusterings():
    import numpy as np

    rng = np.random.default_rng(5)
    for _ in range(30):
        n = int(rng.integers(1, 60))
        labels = {r: int(rng.integers(0, 12)) for r in range(n)}
        old = {r: int(rng.integers(50, 62)) for r in range(n) if rng.random() < 0.8}
        person_of, changes = run(labels, old)

        successors: dict[int, set[int]] = {}
        sources: dict[int, set[int]] = {}
        for record, old_id in old.items():
            new_id = person_of[labels[record]]
            successors.setdefault(old_id, set()).add(new_id)
            sources.setdefault(new_id, set()).add(old_id)
        kept = set(person_of.values())
        assert changes.splits == [
            {"person_id": o, "into": sorted(s)} for o, s in sorted(successors.items()) if len(s) > 1
        ]
        assert changes.merges == [
            {"person_id": p, "from": sorted(s)} for p, s in sorted(sources.items()) if len(s) > 1
        ]
        assert changes.retired == sorted(set(old.values()) - kept)
        assert changes.records_moved == sum(person_of[labels[r]] != o for r, o in old.items())
