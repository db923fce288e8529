"""Stratified estimates and their totals."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from reckon.errors import DataWarning, EstimationError
from reckon.estimate.base import Estimator
from reckon.estimate.histories import CaptureHistories
from reckon.estimate.pooling import MIN_STRATUM, POOLED_STRATUM, plan_pool, pool_name
from reckon.estimate.result import EstimateResult
from reckon.estimate.simple import Chao, Chapman
from reckon.estimate.stratify import combine, fit_strata


class FakeBayes(Estimator):
    """Draws N ~ n + Poisson(n) so that strata's posteriors are known; records its seeds."""

    method = "fake"
    bayesian = True
    seeds_seen: list

    def __init__(self, samples: int = 4000, seed: int | None = None) -> None:
        self.samples = samples
        self.seed = seed

    def fit(self, histories: CaptureHistories) -> EstimateResult:
        FakeBayes.seeds_seen.append(self.seed)
        rng = np.random.default_rng(self.seed)
        n = histories.n_observed
        draws = n + rng.poisson(n, size=self.samples).astype(float)
        low, high = np.quantile(draws, [0.025, 0.975])
        return self._result(histories, float(np.median(draws)), low, high, draws=draws)


def strata() -> dict[str, CaptureHistories]:
    def table(a, b, both):
        return CaptureHistories.from_memberships(
            [{"A"}] * a + [{"B"}] * b + [{"A", "B"}] * both, lists=["A", "B", "C"]
        )

    return {
        "Tehran": table(300, 200, 100),
        "Tabriz": table(60, 40, 25),
        "Mashhad": table(90, 50, 30),
    }


def test_bayesian_total_is_posterior_of_the_sum():
    FakeBayes.seeds_seen = []
    result = fit_strata(FakeBayes(seed=5), strata())
    assert list(result.strata) == ["Tehran", "Tabriz", "Mashhad"]
    total = result.total
    assert total.stratum == "total"
    assert total.n_observed == 600 + 125 + 170
    draws = [r.draws for r in result.strata.values()]
    np.testing.assert_allclose(total.draws, draws[0] + draws[1] + draws[2])
    assert total.estimate == pytest.approx(np.median(total.draws))
    # Posterior of the sum: variance adds, so the interval is narrower than the sum of intervals.
    summed_width = sum(r.upper - r.lower for r in result.strata.values())
    assert total.upper - total.lower < 0.7 * summed_width
    expected_sd = math.sqrt(895)
    assert np.std(total.draws) == pytest.approx(expected_sd, rel=0.05)
    assert "posterior of the sum" in total.diagnostics["combination"]
    # Each stratum got its own seed, derived from the estimator's.
    assert len(set(FakeBayes.seeds_seen)) == 3
    assert 5 not in FakeBayes.seeds_seen


def test_same_seed_same_total():
    FakeBayes.seeds_seen = []
    a = fit_strata(FakeBayes(seed=5), strata()).total
    b = fit_strata(FakeBayes(seed=5), strata()).total
    np.testing.assert_array_equal(a.draws, b.draws)


def test_unequal_draw_counts_are_thinned_to_the_smallest():
    FakeBayes.seeds_seen = []
    h = strata()
    results = {
        "x": FakeBayes(samples=1000, seed=1).fit(h["Tehran"]),
        "y": FakeBayes(samples=3000, seed=2).fit(h["Tabriz"]),
    }
    total = combine(results, seed=0)
    assert total.draws.size == 1000
    assert np.median(total.draws) == pytest.approx(1200 + 250, rel=0.02)


def test_frequentist_total_adds_variances():
    h = {k: v.drop("C") for k, v in strata().items()}
    result = fit_strata(Chapman(), h)
    ses = [r.diagnostics["se"] for r in result.strata.values()]
    total = result.total
    assert total.estimate == pytest.approx(sum(r.estimate for r in result.strata.values()))
    assert total.diagnostics["se"] == pytest.approx(math.sqrt(sum(s**2 for s in ses)))
    assert total.lower > total.n_observed
    assert total.lower < total.estimate < total.upper
    assert total.interval(0.8)[0] > total.lower


def test_empty_lists_dropped_per_stratum():
    result = fit_strata(Chapman(), strata())
    assert result.dropped_lists == {"Tehran": ["C"], "Tabriz": ["C"], "Mashhad": ["C"]}


def no_overlap(a: int, b: int) -> CaptureHistories:
    """A stratum where no one is on both lists: nothing can be estimated from it alone."""
    return CaptureHistories.from_memberships([{"A"}] * a + [{"B"}] * b, lists=["A", "B", "C"])


def overlapping(a: int, b: int, both: int) -> CaptureHistories:
    return CaptureHistories.from_memberships(
        [{"A"}] * a + [{"B"}] * b + [{"A", "B"}] * both, lists=["A", "B", "C"]
    )


def test_without_pooling_a_failing_stratum_is_named():
    h = strata()
    h["Qom"] = no_overlap(3, 2)
    with pytest.raises(EstimationError, match=r"stratum 'Qom'.*--min-stratum"):
        fit_strata(Chao(), h, min_stratum=0)


@pytest.mark.parametrize(
    ("sizes", "expected"),
    [
        ({"a": 600, "b": 20, "c": 40}, ["b", "c"]),  # exactly the small strata
        ({"a": 600, "b": 120, "c": 20}, ["b", "c"]),  # too small together: next smallest joins
        ({"a": 600, "b": 120, "c": 20, "d": 10}, ["b", "c", "d"]),
        ({"a": 600, "b": 120}, []),  # nothing small
        ({"a": 30}, []),  # one stratum: nothing to pool with
        ({"a": 10, "b": 20}, ["a", "b"]),  # everything pooled, still below the floor
    ],
)
def test_plan_pool(sizes, expected):
    assert list(plan_pool(sizes, 50)) == expected
    assert plan_pool(sizes, 0) == {}


def test_pool_name_avoids_existing_strata():
    assert pool_name(["Tehran"]) == POOLED_STRATUM
    assert pool_name([POOLED_STRATUM]) == f"{POOLED_STRATUM} 2"


def test_small_strata_are_pooled_and_no_one_is_lost():
    FakeBayes.seeds_seen = []
    h = {**strata(), "Qom": overlapping(10, 5, 5), "Yazd": overlapping(20, 10, 10)}
    result = fit_strata(FakeBayes(seed=5), h)
    assert list(result.strata) == ["Tehran", "Tabriz", "Mashhad", POOLED_STRATUM]
    assert result.pooled == {POOLED_STRATUM: ["Qom", "Yazd"]}
    assert set(result.pooled_reasons) == {"Qom", "Yazd"}
    assert result.strata[POOLED_STRATUM].n_observed == 20 + 40
    assert result.total.n_observed == sum(part.n_observed for part in h.values())
    assert result.total.n_observed == sum(r.n_observed for r in result.strata.values())
    assert len(set(FakeBayes.seeds_seen)) == 4  # the pool has its own seed too
    data = result.to_dict()
    assert data["pooled"] == {POOLED_STRATUM: ["Qom", "Yazd"]}
    assert data["min_stratum"] == MIN_STRATUM
    assert "Qom, Yazd (fewer than 50 documented)" in result.summary("text")


def test_total_is_the_combination_of_the_fitted_strata():
    h = {k: v.drop("C") for k, v in strata().items()}
    h["Qom"] = overlapping(10, 5, 5).drop("C")
    h["Yazd"] = overlapping(20, 10, 10).drop("C")
    result = fit_strata(Chapman(), h)
    again = combine(result.strata)
    assert result.total.estimate == pytest.approx(again.estimate)
    assert result.total.diagnostics["se"] == pytest.approx(again.diagnostics["se"])
    assert result.total.estimate == pytest.approx(sum(r.estimate for r in result.strata.values()))
    assert result.total.n_observed == 895 + 20 + 40


def test_stratum_too_small_to_fit_no_longer_aborts():
    h = strata()
    h["Qom"] = no_overlap(3, 2)  # Chao alone would fail: f2 = 0
    result = fit_strata(Chao(), h)
    # 5 people are too few to pool alone, so the smallest stratum joins them.
    assert result.pooled == {POOLED_STRATUM: ["Tabriz", "Qom"]}
    assert result.total.n_observed == 895 + 5


def test_large_stratum_that_cannot_be_estimated_joins_the_pool():
    h = strata()
    h["Isfahan"] = no_overlap(150, 100)
    with pytest.warns(DataWarning) as caught:
        result = fit_strata(Chao(), h)
    messages = [str(w.message) for w in caught]
    assert any("'Isfahan' could not be estimated alone" in m for m in messages)
    assert any("'Tabriz' is pooled" in m for m in messages)  # a pool of one would fail again
    assert result.pooled == {POOLED_STRATUM: ["Tabriz", "Isfahan"]}
    assert result.pooled_reasons["Isfahan"].startswith("could not be estimated alone")
    assert result.total.n_observed == 895 + 250
    assert "Isfahan" in result.summary("text")


def test_failed_pool_takes_in_the_next_smallest_stratum():
    h = strata()
    h["Qom"] = no_overlap(30, 20)
    h["Yazd"] = no_overlap(20, 10)
    with pytest.warns(DataWarning, match="'Tabriz' is pooled"):
        result = fit_strata(Chao(), h)
    assert result.pooled == {POOLED_STRATUM: ["Tabriz", "Qom", "Yazd"]}
    assert result.total.n_observed == 895 + 80


def test_pool_that_cannot_be_estimated_names_it():
    h = {"Qom": no_overlap(30, 20), "Yazd": no_overlap(40, 10)}
    with pytest.warns(DataWarning), pytest.raises(EstimationError) as error:
        fit_strata(Chao(), h)
    assert f"stratum {POOLED_STRATUM!r} (all 2 strata pooled)" in str(error.value)
    assert "estimate without strata" in str(error.value)


def test_only_stratum_failing_is_named():
    with pytest.raises(EstimationError, match=r"stratum 'Qom'.*only stratum"):
        fit_strata(Chao(), {"Qom": no_overlap(3, 2)})


def test_mixed_results_refused():
    h = strata()
    FakeBayes.seeds_seen = []
    mixed = {
        "a": FakeBayes(seed=1).fit(h["Tehran"]),
        "b": Chapman().fit(h["Tabriz"].drop("C")),
    }
    with pytest.raises(EstimationError, match="Bayesian and frequentist"):
        combine(mixed)


def test_no_strata():
    with pytest.raises(EstimationError):
        fit_strata(Chao(), {})


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_summary_and_frame(fmt):
    result = fit_strata(Chapman(), strata())
    frame = result.to_frame()
    assert list(frame["stratum"]) == ["Tehran", "Tabriz", "Mashhad", "total"]
    text = result.summary(fmt)
    assert "Tabriz" in text and "total" in text
    data = result.to_dict()
    assert set(data["strata"]) == {"Tehran", "Tabriz", "Mashhad"}
    assert data["stratum"] == "total"


def test_warnings_name_their_stratum():
    from reckon.errors import ConvergenceWarning

    class Warns(FakeBayes):
        def fit(self, histories):
            warnings.warn("chains disagree", ConvergenceWarning, stacklevel=2)
            return super().fit(histories)

    FakeBayes.seeds_seen = []
    with pytest.warns(ConvergenceWarning, match="chains disagree") as caught:
        fit_strata(Warns(seed=1), strata())
    assert sorted(str(w.message) for w in caught) == [
        f"stratum {name!r}: chains disagree" for name in ("Mashhad", "Tabriz", "Tehran")
    ]
