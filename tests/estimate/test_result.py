"""EstimateResult: statistics, intervals, rendering, JSON."""

from __future__ import annotations

import json

import numpy as np
import pytest

from reckon.errors import EstimationError
from reckon.estimate.result import EstimateResult, collect_versions


def bayes_result(**extra):
    draws = np.arange(1, 1001, dtype=float)
    chains = draws.reshape(2, 500)
    return EstimateResult(
        "lcmcr",
        100,
        float(np.median(draws)),
        *np.quantile(draws, [0.025, 0.975]),
        lists=("A", "B", "C"),
        draws=draws,
        diagnostics={"rhat": 1.01, "ess": 812.0, "chains": chains, "chain_medians": [250.5, 750.5]},
        settings={"K": 10, "seed": 3},
        input_digest="ab" * 32,
        versions=collect_versions(),
        **extra,
    )


def test_interval_is_a_pair_and_a_method():
    r = bayes_result()
    lower, upper = r.interval
    assert (lower, upper) == (r.lower, r.upper)
    assert r.interval(0.5) == pytest.approx((250.75, 750.25))
    assert r.interval.lower == r.lower


def test_median_from_draws():
    r = bayes_result()
    assert r.median == 500.5
    r2 = EstimateResult("chao", 10, 12.5, 11, 15)
    assert r2.median == 12.5
    assert r2.n_unobserved == 2.5


def test_interval_without_draws_or_function():
    r = EstimateResult("chao", 10, 12.5, 11, 15)
    assert r.interval(0.95) == (11.0, 15.0)
    with pytest.raises(EstimationError, match="refit"):
        r.interval(0.8)
    with pytest.raises(EstimationError):
        r.interval(1.5)


def test_interval_function_used_for_other_levels():
    r = EstimateResult("x", 10, 12.5, 11, 15, interval_function=lambda level: (10.0, 10 + level))
    assert r.interval(0.5) == (10.0, 10.5)


def test_bad_level():
    with pytest.raises(EstimationError):
        EstimateResult("x", 1, 1, 1, 1, level=95)


def test_to_dict_is_json_and_leaves_out_draws():
    r = bayes_result()
    data = json.loads(json.dumps(r.to_dict()))
    for key in ("method", "n_observed", "estimate", "lower", "upper", "level", "median", "lists"):
        assert key in data
    assert data["method"] == "lcmcr"
    assert data["n_draws"] == 1000
    assert "draws" not in data
    assert "chains" not in data["diagnostics"]
    assert data["diagnostics"]["chain_medians"] == [250.5, 750.5]
    assert data["settings"] == {"K": 10, "seed": 3}
    assert "numpy" in data["versions"]
    full = json.loads(json.dumps(r.to_dict(include_draws=True)))
    assert len(full["draws"]) == 1000
    assert np.asarray(full["diagnostics"]["chains"]).shape == (2, 500)


def test_infinite_bounds_become_null():
    r = EstimateResult("loglinear", 10, 12.0, 11.0, float("inf"))
    assert json.loads(json.dumps(r.to_dict()))["upper"] is None


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_summary_formats(fmt):
    text = bayes_result(stratum="Tehran").summary(fmt)
    assert "lcmcr" in text
    assert "Tehran" in text
    assert "rhat" in text


def test_summary_html_escapes():
    r = EstimateResult("x", 1, 2, 1, 3, lists=("<b>",))
    assert "&lt;b&gt;" in r.summary("html")


def test_unknown_summary_format():
    with pytest.raises(EstimationError):
        bayes_result().summary("pdf")


def test_draws_are_read_only():
    r = bayes_result()
    with pytest.raises(ValueError):
        r.draws[0] = 0
