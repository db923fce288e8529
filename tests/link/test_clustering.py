"""Clustering under human decisions: must-link always holds, cannot-link is never broken."""

from __future__ import annotations

import numpy as np
import pytest

from reckon.link.clustering import cluster_records


def chain(threshold=0.9, **decisions):
    # A=1, B=2, C=3: A-B and B-C score high, A-C high too
    return cluster_records(
        [1, 2, 3],
        pairs=([1, 2, 1], [2, 3, 3], [0.99, 0.98, 0.97]),
        threshold=threshold,
        **decisions,
    )


def test_high_scores_make_one_cluster():
    assert chain().groups() == [[1, 2, 3]]


def test_cannot_link_is_not_broken_transitively():
    clusters = chain(cannot_link=[(1, 3)])
    labels = clusters.as_dict()
    assert labels[1] != labels[3]
    assert clusters.refused  # the merge through B was refused


def test_cannot_link_order_of_ids_does_not_matter():
    assert chain(cannot_link=[(3, 1)]).as_dict()[1] != chain(cannot_link=[(3, 1)]).as_dict()[3]


def test_must_link_holds_without_any_score():
    clusters = cluster_records([1, 2, 3, 4], pairs=None, threshold=0.9, must_link=[(1, 4)])
    assert clusters.groups() == [[1, 4], [2], [3]]
    assert clusters.probability[0] == 1.0


def test_must_link_beats_low_scores_and_cannot_link_beats_high_scores():
    clusters = cluster_records(
        [1, 2, 3, 4],
        pairs=([1, 2, 3], [2, 3, 4], [0.2, 0.999, 0.999]),
        threshold=0.9,
        must_link=[(1, 2)],
        cannot_link=[(2, 4)],
    )
    labels = clusters.as_dict()
    assert labels[1] == labels[2]
    assert labels[2] != labels[4]


def test_contradicting_must_link_is_reported_not_applied():
    clusters = cluster_records(
        [1, 2, 3], pairs=None, threshold=0.9, must_link=[(1, 2), (2, 3)], cannot_link=[(1, 3)]
    )
    labels = clusters.as_dict()
    assert labels[1] != labels[3]
    assert clusters.conflicts == [(2, 3)]


def test_pairs_below_threshold_are_ignored():
    assert chain(threshold=0.985).groups() == [[1, 2], [3]]


def test_result_does_not_depend_on_input_order():
    rng = np.random.default_rng(0)
    ids = np.arange(1, 201)
    left = rng.integers(1, 201, 600)
    right = rng.integers(1, 201, 600)
    prob = rng.choice([0.91, 0.95, 0.99], 600)  # many ties
    cannot = [(int(a), int(b)) for a, b in zip(left[:30], right[:30], strict=True) if a != b]
    first = cluster_records(ids, (left, right, prob), threshold=0.9, cannot_link=cannot)
    order = rng.permutation(600)
    second = cluster_records(
        ids[::-1], (right[order], left[order], prob[order]), threshold=0.9, cannot_link=cannot
    )
    assert first.groups() == second.groups()
    for a, b in cannot:
        assert first.as_dict()[a] != first.as_dict()[b]


def test_labels_are_smallest_record_id_and_probability_is_best_link():
    clusters = cluster_records([7, 5, 9], pairs=([5, 9], [7, 7], [0.95, 0.92]), threshold=0.9)
    assert clusters.labels.tolist() == [5, 5, 5]
    assert clusters.probability.tolist() == pytest.approx([0.95, 0.95, 0.92])


def test_duplicate_record_ids_are_rejected():
    with pytest.raises(ValueError):
        cluster_records([1, 1], None, threshold=0.5)


# --- the model's vetoes ---------------------------------------------------------------------


def vetoed_chain(**options):
    # A-B and B-C likely, A-C scored very unlikely (another father, a conflicting date)
    return cluster_records(
        [1, 2, 3],
        pairs=([1, 2, 1], [2, 3, 3], [0.99, 0.98, 0.01]),
        threshold=0.5,
        **options,
    )


def test_without_a_veto_single_linkage_joins_records_the_model_scored_apart():
    assert vetoed_chain().groups() == [[1, 2, 3]]


def test_a_pair_scored_below_the_veto_is_not_joined_through_a_third_record():
    clusters = vetoed_chain(veto=0.05)
    assert clusters.groups() == [[1, 2], [3]]  # the likelier link came first
    assert clusters.vetoed == [(2, 3)]
    assert clusters.refused == []  # no human decision was involved


def test_a_pair_scored_above_the_veto_does_not_keep_records_apart():
    assert vetoed_chain(veto=0.005).groups() == [[1, 2, 3]]


def test_a_human_same_overrides_the_models_veto():
    clusters = vetoed_chain(veto=0.05, must_link=[(1, 3)])
    assert clusters.groups() == [[1, 2, 3]]
    assert clusters.vetoed == []


def test_a_veto_between_records_never_linked_changes_nothing():
    clusters = cluster_records(
        [1, 2, 3, 4], pairs=([1, 3, 1], [2, 4, 4], [0.99, 0.99, 0.001]), threshold=0.5, veto=0.05
    )
    assert clusters.groups() == [[1, 2], [3, 4]]
    assert clusters.vetoed == []


@pytest.mark.parametrize("seed", range(5))
def test_no_cluster_holds_a_vetoed_pair_unless_a_human_joined_it(seed):
    rng = np.random.default_rng(seed)
    n = 60
    pairs = np.unique(np.sort(rng.integers(0, n, (400, 2)), axis=1), axis=0)
    left, right = pairs[pairs[:, 0] != pairs[:, 1]].T
    probability = rng.choice([0.001, 0.02, 0.6, 0.9, 0.99], size=len(left))
    must = [(int(a), int(b)) for a, b in rng.integers(0, n, (3, 2)) if a != b]
    clusters = cluster_records(
        np.arange(n), (left, right, probability), threshold=0.5, veto=0.05, must_link=must
    )
    labels = clusters.as_dict()
    joined_by_human = cluster_records(np.arange(n), threshold=0.5, must_link=must).as_dict()
    for a, b, p in zip(left.tolist(), right.tolist(), probability.tolist(), strict=True):
        if p < 0.05 and labels[a] == labels[b]:
            assert joined_by_human[a] == joined_by_human[b], (a, b)
    # and it links: every likely pair not vetoed ends up in one cluster or was refused
    assert clusters.count < n
