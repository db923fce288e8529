"""LCMCR: the published Kosovo reference, the result object, settings, warnings and seeds.

Reference (tests/data/mse/README.md): the R package LCMCR 0.4.14 on kosovo_aggregate, K = 10,
a = b = 0.25, 500 warm-up + 10,000 burn-in + 1,000 draws thinned by 100, pooled over 5 seeds:
median 10,468, 95% interval 9,124–14,118; between seeds the median moves by about ±100 and the
upper bound by ±700. Tolerance: ±150 on the pooled median and on the lower bound.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

from reckon.errors import ConvergenceWarning, DataWarning, EstimationError
from reckon.estimate import CaptureHistories, make_estimator
from reckon.estimate.lcmcr import LCMCR

QUICK = dict(K=5, burnin=300, samples=100, thinning=2, warmup=100)
# Runs this short do not mix; the tests using them are about something else.
short_run = pytest.mark.filterwarnings("ignore::reckon.errors.ConvergenceWarning")


KOSOVO = Path(__file__).resolve().parent.parent / "data" / "mse" / "kosovo_aggregate.csv"


@pytest.fixture(scope="module")
def kosovo_result():
    """The reference run: 5 chains of 500 + 10,000 + 1,000 x 100 sweeps (about 4 s on 2 cores)."""
    model = LCMCR(
        K=10, a=0.25, b=0.25, burnin=10_000, samples=1_000, thinning=100, chains=5, seed=2016
    )
    return model.fit(CaptureHistories.from_csv(KOSOVO))


def test_kosovo_matches_the_r_reference(kosovo_result):
    r = kosovo_result
    assert r.estimate == pytest.approx(10_468, abs=150)
    assert r.lower == pytest.approx(9_124, abs=150)
    # the upper bound moves by ±700 between seeds in the reference; a loose check only
    assert 12_500 < r.upper < 16_000
    assert r.draws.size == 5_000
    assert r.diagnostics["chains"].shape == (5, 1_000)
    assert r.diagnostics["rhat"] < 1.05
    assert r.diagnostics["converged"] is True
    assert r.diagnostics["ess"] > 500


def test_result_fields(kosovo_result):
    r = kosovo_result
    assert r.method == "lcmcr"
    assert r.n_observed == 4_400
    assert r.lists == ("EXH", "ABA", "OSCE", "HRW")
    assert r.median == r.estimate
    assert r.lower < r.estimate < r.upper
    assert len(r.diagnostics["chain_medians"]) == 5
    assert len(r.input_digest) == 64
    assert r.settings["seed"] == 2016 and r.settings["K"] == 10
    assert r.versions["numba"]
    lower90, upper90 = r.interval(0.9)
    assert r.lower < lower90 < upper90 < r.upper
    data = json.loads(json.dumps(r.to_dict()))
    assert data["method"] == "lcmcr" and data["diagnostics"]["rhat"] < 1.05
    assert "chains" not in data["diagnostics"]


@short_run
def test_same_seed_same_result_whatever_the_threads(spina):
    a = LCMCR(seed=42, chains=3, n_jobs=1, **QUICK).fit(spina)
    b = LCMCR(seed=42, chains=3, n_jobs=3, **QUICK).fit(spina)
    c = LCMCR(seed=43, chains=3, **QUICK).fit(spina)
    np.testing.assert_array_equal(a.draws, b.draws)
    np.testing.assert_array_equal(a.diagnostics["chains"], b.diagnostics["chains"])
    assert not np.array_equal(a.draws, c.draws)


@short_run
def test_without_a_seed_the_drawn_seed_is_recorded_and_reproduces(spina):
    first = LCMCR(**QUICK).fit(spina)
    seed = first.settings["seed"]
    assert isinstance(seed, int)
    again = LCMCR(seed=seed, **QUICK).fit(spina)
    np.testing.assert_array_equal(first.draws, again.draws)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"K": 1}, "K must be"),
        ({"K": 2.5}, "K must be"),
        ({"K": True}, "K must be"),
        ({"a": 0}, "a must be a positive"),
        ({"b": -1.0}, "b must be a positive"),
        ({"a": float("nan")}, "a must be a positive"),
        ({"burnin": -1}, "burnin must be"),
        ({"samples": 3}, "samples must be"),
        ({"thinning": 0}, "thinning must be"),
        ({"chains": 0}, "chains must be"),
        ({"n_jobs": 0}, "n_jobs must be"),
        ({"seed": -5}, "seed must be"),
        ({"level": 1.5}, "level must be"),
    ],
)
def test_invalid_settings(settings, message):
    with pytest.raises(EstimationError, match=message):
        LCMCR(**settings)


def test_every_bad_setting_is_reported_at_once():
    with pytest.raises(EstimationError) as info:
        LCMCR(K=0, a=-1, thinning=0)
    text = str(info.value)
    assert "K must be" in text and "a must be" in text and "thinning must be" in text


@short_run
def test_settings_changed_after_construction_are_checked(spina):
    model = LCMCR(**QUICK)
    model.K = 1
    with pytest.raises(EstimationError, match="K must be"):
        model.fit(spina)


@short_run
def test_empty_lists_are_dropped_with_a_warning(spina):
    patterns = np.hstack([spina.patterns, np.zeros((spina.n_patterns, 1), dtype=np.uint8)])
    with_empty = CaptureHistories((*spina.lists, "EMPTY"), patterns, spina.counts)
    with pytest.warns(DataWarning, match="Dropped empty list"):
        result = LCMCR(seed=1, **QUICK).fit(with_empty)
    assert result.lists == spina.lists
    plain = LCMCR(seed=1, **QUICK).fit(spina)
    np.testing.assert_array_equal(result.draws, plain.draws)


@short_run
def test_two_lists_warn_that_the_model_is_not_identified():
    h = CaptureHistories.from_memberships([{"A"}] * 30 + [{"B"}] * 20 + [{"A", "B"}] * 10)
    with pytest.warns(DataWarning, match="at least three"):
        LCMCR(seed=1, **QUICK).fit(h)


@short_run
def test_one_list_cannot_be_fitted():
    h = CaptureHistories.from_memberships([{"A"}] * 30)
    with pytest.raises(EstimationError, match="at least 2 lists"):
        LCMCR(seed=1, **QUICK).fit(h)


@short_run
def test_not_histories():
    with pytest.raises(EstimationError, match="expected CaptureHistories"):
        LCMCR(**QUICK).fit(np.zeros((3, 3)))


def test_short_chains_on_the_multimodal_uk_table_are_flagged(uk_slavery):
    """UK 2013 has two modes (about 12,500 and 21,000); short chains stick in one or the other."""
    model = LCMCR(K=10, burnin=10_000, samples=1_000, thinning=10, chains=4, seed=7)
    with pytest.warns(ConvergenceWarning, match="may not have converged"):
        result = model.fit(uk_slavery)
    assert result.diagnostics["converged"] is False
    assert result.diagnostics["rhat"] > 1.05


def test_a_well_mixed_run_does_not_warn(spina):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = LCMCR(K=10, burnin=2_000, samples=500, thinning=50, chains=2, seed=3)
        result = model.fit(spina)
    assert result.diagnostics["converged"] is True
    # dga reference for this table: Bayes estimate 731; LCMCR K=10 median about 733 (686–832)
    assert result.estimate == pytest.approx(733, abs=20)
    assert result.lower == pytest.approx(686, abs=20)


def test_make_estimator_builds_lcmcr_and_ignores_other_options(spina):
    model = make_estimator("lcmcr", K=4, seed=5, model="all-2way", chains=None, samples=50)
    assert isinstance(model, LCMCR)
    assert (model.K, model.seed, model.chains, model.samples) == (4, 5, 1, 50)
    assert "K=4" in repr(model)
