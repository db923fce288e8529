"""Bayesian model averaging over decomposable graphs against Madigan & York / dga figures."""

from __future__ import annotations

import numpy as np
import pytest

from reckon.errors import ConvergenceWarning, EstimationError
from reckon.estimate.dga import Dga, decomposable_graphs
from reckon.estimate.histories import CaptureHistories
from reckon.estimate.stratify import fit_strata


def test_number_of_decomposable_graphs():
    # Labelled chordal graphs on 2..5 nodes (OEIS A058862).
    assert [len(decomposable_graphs(j)) for j in (2, 3, 4, 5)] == [2, 8, 61, 822]


def test_four_cycle_is_not_decomposable():
    edges = {g.edges for g in decomposable_graphs(4)}
    assert ((0, 1), (0, 2), (1, 3), (2, 3)) not in edges
    assert ((0, 1), (0, 2), (1, 2), (1, 3), (2, 3)) in edges  # a chord added


def test_separators_of_a_path():
    path = next(g for g in decomposable_graphs(3) if g.edges == ((0, 1), (1, 2)))
    assert sorted(path.cliques) == [0b011, 0b110]
    assert path.separators == (0b010,)


def test_spina_bifida_reproduces_dga_reference(spina):
    # Reference (dga 2.0.2, Nmissing up to 300, delta = 1, prior 1/N): Bayes estimate 731,
    # top-model probability 0.37, posterior modes 729 (top model) and 728 (averaged).
    # The grid is cut where the posterior still has mass, hence the warning.
    with pytest.warns(ConvergenceWarning, match="max_missing"):
        result = Dga(delta=1, max_missing=300, seed=1).fit(spina)
    d = result.diagnostics
    assert round(d["bayes_estimate"]) == 731
    assert round(d["top_model_probability"], 2) == 0.37
    assert d["top_model"] == "L1:L2"
    assert d["top_model_mode"] == 729
    assert d["posterior_mode"] == 728
    assert result.method == "dga"


def test_defaults(spina):
    result = Dga(seed=1).fit(spina)
    assert result.settings["delta"] == 2**-3
    assert result.settings["max_missing"] == 6260
    assert 650 < result.lower < result.estimate < result.upper < 850
    assert result.estimate == result.diagnostics["posterior_median"]
    assert result.draws.size == 10000
    assert abs(np.median(result.draws) - result.estimate) <= 2


def test_default_grid_widens_until_the_posterior_dies():
    # Little overlap: N is far above 10 n = 3,090, so the grid must widen.
    h = CaptureHistories(
        ("A", "B", "C"),
        np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [1, 0, 1], [0, 1, 1]]),
        np.array([100, 100, 100, 3, 3, 3]),
    )
    result = Dga(seed=1).fit(h)
    assert result.settings["max_missing"] > 10 * h.n_observed
    assert result.upper > 10 * h.n_observed
    assert result.upper < h.n_observed + result.settings["max_missing"] * 0.9


def test_point_choices(spina):
    bayes = Dga(point="bayes", seed=1).fit(spina)
    mean = Dga(point="mean", seed=1).fit(spina)
    assert bayes.estimate == bayes.diagnostics["bayes_estimate"]
    assert mean.estimate == mean.diagnostics["posterior_mean"]
    assert bayes.estimate < mean.estimate  # E[1/N]/E[1/N^2] <= E[N]
    with pytest.raises(EstimationError, match="point"):
        Dga(point="max").fit(spina)


def test_same_seed_same_draws(spina):
    a = Dga(seed=3).fit(spina)
    b = Dga(seed=3).fit(spina)
    np.testing.assert_array_equal(a.draws, b.draws)


def test_model_probabilities_sum_to_one(kosovo):
    result = Dga(seed=1).fit(kosovo)
    assert result.diagnostics["n_models"] == 61
    weights = [m["weight"] for m in result.diagnostics["models"]]
    assert weights == sorted(weights, reverse=True)
    assert sum(weights) <= 1 + 1e-9
    assert result.lower < result.estimate < result.upper


def test_list_limits(kosovo):
    with pytest.raises(EstimationError, match="at least 3"):
        Dga().fit(kosovo.subset(["EXH", "ABA"]))
    many = kosovo
    for name in ("X1", "X2"):
        many = type(kosovo)(
            (*many.lists, name),
            np.column_stack([many.patterns, many.patterns[:, 0]]),
            many.counts,
        )
    with pytest.raises(EstimationError, match="at most 5"):
        Dga().fit(many)


def test_stratified_dga_sums_draws(spina):
    result = fit_strata(Dga(seed=2), {"a": spina, "b": spina})
    total = result.total
    assert total.draws.size == 10000
    assert total.estimate == pytest.approx(2 * result.strata["a"].estimate, rel=0.02)
