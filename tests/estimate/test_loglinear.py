"""Log-linear models: Rcapture's Kosovo figures, closed forms, selection, trouble."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy import optimize, stats
from scipy.special import gammaln

from reckon.errors import ConvergenceWarning, DataWarning, EstimationError
from reckon.estimate.histories import CaptureHistories
from reckon.estimate.loglinear import LogLinear
from reckon.estimate.loglinear_fit import Profile, all_cells, cell_counts


def two_lists(only_a: int, only_b: int, both: int) -> CaptureHistories:
    return CaptureHistories(
        ("A", "B"), np.array([[1, 0], [0, 1], [1, 1]]), np.array([only_a, only_b, both])
    )


def test_kosovo_all_two_way_reproduces_rcapture(kosovo):
    # Reference (Rcapture 1.4-4): 14,402.5, SE 1,050.9, profile-likelihood CI 12,523-16,668.
    result = LogLinear(model="all-2way").fit(kosovo)
    assert round(result.estimate, 1) == 14402.5
    assert round(result.diagnostics["se"], 1) == 1050.9
    assert round(result.lower) == 12523
    assert round(result.upper) == 16668
    assert result.diagnostics["df"] == 15 - 11
    assert result.diagnostics["converged"] is True
    assert result.method == "loglinear"
    assert result.settings["model"] == "all-2way"


def test_zero_cells_are_part_of_the_table(uk_slavery):
    cells = all_cells(5)
    y = cell_counts(uk_slavery, cells)
    assert y.shape == (31,)
    assert (y == 0).sum() == 31 - uk_slavery.n_patterns
    assert y.sum() == uk_slavery.n_observed


def test_independence_two_lists_is_lincoln_petersen():
    result = LogLinear().fit(two_lists(60, 30, 20))
    assert result.estimate == pytest.approx(80 * 50 / 20)


def _closed_form_loglik(total, only_a, only_b, both):
    """Multinomial profile log-likelihood of N for two independent lists, by hand."""
    n1, n2, n = only_a + both, only_b + both, only_a + only_b + both
    n0 = total - n
    cells = [(both, n1, n2), (only_a, n1, total - n2), (only_b, total - n1, n2)]
    cells.append((n0, total - n1, total - n2))
    value = (
        gammaln(total + 1) - gammaln(n0 + 1) - sum(gammaln(c + 1) for c in (only_a, only_b, both))
    )
    for count, row, col in cells:
        if count > 0:
            value += count * math.log(row * col / total**2)
    return value


def test_profile_likelihood_matches_closed_form():
    h = two_lists(60, 30, 20)
    cells = all_cells(2)
    profile = Profile(cell_counts(h, cells), cells, ())
    for total in (115.0, 150.5, 200.0, 400.0):
        assert profile.loglik(total) == pytest.approx(_closed_form_loglik(total, 60, 30, 20))
    peak = optimize.minimize_scalar(
        lambda t: -_closed_form_loglik(t, 60, 30, 20), bounds=(110, 1000), method="bounded"
    )
    cut = stats.chi2.ppf(0.95, 1) / 2

    def gap(t):
        return -peak.fun - _closed_form_loglik(t, 60, 30, 20) - cut

    expected = (optimize.brentq(gap, 110, peak.x), optimize.brentq(gap, peak.x, 2000))
    result = LogLinear().fit(h)
    assert result.interval == pytest.approx(expected, rel=1e-5)


def test_interval_at_other_levels_nests(kosovo):
    result = LogLinear(model="all-2way").fit(kosovo)
    low80, high80 = result.interval(0.8)
    assert result.lower < low80 < result.estimate < high80 < result.upper


def test_uk_select_best_aic_matches_sparsemse(uk_slavery):
    # SparseMSE 2.0.1 stepwise fit: 11,313. The best-AIC model here is that model.
    result = LogLinear(model="select", criterion="aic", average=False).fit(uk_slavery)
    assert round(result.estimate) == 11313
    assert result.diagnostics["search"] == "exhaustive"
    assert result.diagnostics["averaged"] is False
    assert 9000 < result.lower < 11313 < result.upper < 14000


def test_select_averages_with_akaike_weights(kosovo):
    result = LogLinear(model="select").fit(kosovo)
    models = result.diagnostics["models"]
    weights = np.array([m["weight"] for m in result.diagnostics["models"]])
    assert weights[0] == max(weights)
    assert sum(m["weight"] for m in models) <= 1 + 1e-9
    assert models[0]["delta"] == 0
    for m in models[:5]:
        assert m["weight"] == pytest.approx(
            math.exp(-m["delta"] / 2) / sum(math.exp(-x["delta"] / 2) for x in models), rel=0.05
        )
    assert result.diagnostics["n_models"] == 2**6
    assert result.lower < result.estimate < result.upper
    best = LogLinear(model="select", average=False).fit(kosovo)
    assert best.estimate != result.estimate


def test_averaging_over_one_model_is_its_profile_interval(kosovo):
    # Only the independence model is available with two lists.
    h = kosovo.merge("EXH", "ABA").merge("OSCE", "HRW")
    selected = LogLinear(model="select").fit(h)
    independence = LogLinear().fit(h)
    assert selected.estimate == pytest.approx(independence.estimate)
    assert selected.interval == pytest.approx(independence.interval)


def test_bic_prefers_smaller_models(uk_slavery):
    aic = LogLinear(model="select", criterion="aic", average=False).fit(uk_slavery)
    bic = LogLinear(model="select", criterion="bic", average=False).fit(uk_slavery)
    assert bic.diagnostics["model"] != aic.diagnostics["model"]


def test_explicit_interactions(kosovo):
    result = LogLinear(model=[("EXH", "ABA"), ("OSCE", "EXH")]).fit(kosovo)
    assert result.diagnostics["model"] == "EXH:ABA + EXH:OSCE"
    with pytest.raises(EstimationError, match="two different lists"):
        LogLinear(model=[("EXH", "NOPE")]).fit(kosovo)


def test_two_list_interaction_is_not_identifiable():
    with pytest.raises(EstimationError, match="cannot be identified"):
        LogLinear(model="all-2way").fit(two_lists(60, 30, 20))


def test_interaction_with_no_overlap_is_dropped_with_a_warning(uk_slavery):
    with pytest.warns(DataWarning, match="LA, GP|LA:GP"):
        result = LogLinear(model="all-2way").fit(uk_slavery)
    assert result.diagnostics["dropped_terms"] == ["LA:GP"]


def test_runaway_fit_warns_and_gives_open_interval():
    # Saturated 3-list model with no one on exactly A and B: n0 = n100 n010 n001 n111 / 0.
    h = CaptureHistories(
        ("A", "B", "C"),
        np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 1], [0, 1, 1], [1, 1, 1]]),
        np.array([50, 40, 30, 10, 8, 5]),
    )
    with pytest.warns(ConvergenceWarning, match="runs away"):
        result = LogLinear(model="all-2way").fit(h)
    assert result.diagnostics["converged"] is False
    assert result.upper == math.inf
    # Selection leaves the runaway models out.
    selected = LogLinear(model="select").fit(h)
    assert selected.diagnostics["failed_models"] >= 1
    assert math.isfinite(selected.upper)


def test_bad_settings(kosovo):
    with pytest.raises(EstimationError, match="criterion"):
        LogLinear(criterion="dic").fit(kosovo)
    with pytest.raises(EstimationError, match="model must be"):
        LogLinear(model="saturated").fit(kosovo)


def _simulate(rng, total, probabilities):
    caught = rng.random((total, len(probabilities))) < probabilities
    caught = caught[caught.any(axis=1)]
    patterns, counts = np.unique(caught.astype(np.uint8), axis=0, return_counts=True)
    return CaptureHistories(tuple("ABC"[: len(probabilities)]), patterns, counts)


def _coverage(replications: int, seed: int) -> float:
    rng = np.random.default_rng(seed)
    total = 500
    hits = 0
    for _ in range(replications):
        h = _simulate(rng, total, np.array([0.3, 0.25, 0.35]))
        result = LogLinear().fit(h)
        hits += result.lower <= total <= result.upper
    return hits / replications


def test_independence_coverage_short():
    # 60 replications: coverage of a 95% interval lies in [0.85, 1] with probability > 0.99.
    assert 0.85 <= _coverage(60, seed=11) <= 1.0


@pytest.mark.slow
def test_independence_coverage_200():
    assert 0.90 <= _coverage(300, seed=12) <= 0.99


def test_cells_limit():
    with pytest.raises(EstimationError, match="at most"):
        all_cells(16)


def test_model_list_every_pair_once(kosovo):
    result = LogLinear(model=list(itertools.combinations(kosovo.lists, 2))).fit(kosovo)
    assert round(result.estimate, 1) == 14402.5


def test_stepwise_search_when_there_are_many_terms(kosovo, monkeypatch):
    import reckon.estimate.loglinear as loglinear

    exhaustive = LogLinear(model="select", average=False).fit(kosovo)
    monkeypatch.setattr(loglinear, "EXHAUSTIVE_MAX_TERMS", 3)
    stepwise = LogLinear(model="select", average=False).fit(kosovo)
    assert stepwise.diagnostics["search"] == "stepwise"
    assert stepwise.diagnostics["n_models"] < 2**6
    # On Kosovo the greedy path reaches the best model of the full search.
    assert stepwise.diagnostics["model"] == exhaustive.diagnostics["model"]
    assert stepwise.estimate == pytest.approx(exhaustive.estimate)


@pytest.mark.parametrize("model", ["independence", "all-2way"])
def test_profile_bounds_are_true_crossings(uk_slavery, model):
    # Sparse five-list table (a warm-started refit once failed here and gave lower == upper).
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)  # LA:GP has no overlap
        result = LogLinear(model=model).fit(uk_slavery)
    assert result.lower < result.estimate < result.upper
    cells = all_cells(5)
    y = cell_counts(uk_slavery, cells)
    pairs = (
        ()
        if model == "independence"
        else tuple(p for p in itertools.combinations(range(5), 2) if p != (0, 4))
    )
    cut = stats.chi2.ppf(0.95, 1) / 2
    peak = Profile(y, cells, pairs).maximise(result.estimate)[1]
    for bound in result.interval:
        fresh = Profile(y, cells, pairs)  # cold start at each bound
        assert peak - fresh.loglik(bound) == pytest.approx(cut, abs=1e-3)
