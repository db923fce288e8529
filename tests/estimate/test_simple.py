"""Chao's lower bound and Chapman's estimator against their formulas and published figures."""

from __future__ import annotations

import math

import pytest

from reckon.errors import EstimationError
from reckon.estimate.histories import CaptureHistories
from reckon.estimate.simple import Chao, Chapman, f_counts


def two_lists(only_a: int, only_b: int, both: int) -> CaptureHistories:
    return CaptureHistories.from_memberships(
        [{"A"}] * only_a + [{"B"}] * only_b + [{"A", "B"}] * both
    )


def test_chao_kosovo_reference(kosovo):
    # Reference (../shared/data/mse/README.md): Chao lower bound 10,270.
    result = Chao().fit(kosovo)
    assert round(result.estimate) == 10270
    assert result.diagnostics["f1"] == 306 + 936 + 845 + 1131
    assert result.diagnostics["f2"] == 123 + 31 + 217 + 106 + 228 + 177
    assert result.estimate == pytest.approx(4400 + 3218**2 / (2 * 882))
    assert result.method == "chao"
    assert result.n_observed == 4400
    assert result.input_digest == kosovo.digest()


def test_chao_interval_by_hand(kosovo):
    result = Chao().fit(kosovo)
    f1, f2 = 3218, 882
    r = f1 / f2
    variance = f2 * (r**4 / 4 + r**3 + r**2 / 2)
    f0 = f1**2 / (2 * f2)
    c = math.exp(1.959963984540054 * math.sqrt(math.log(1 + variance / f0**2)))
    assert result.lower == pytest.approx(4400 + f0 / c)
    assert result.upper == pytest.approx(4400 + f0 * c)
    assert result.lower > result.n_observed
    narrower = result.interval(0.8)
    assert result.lower < narrower[0] < narrower[1] < result.upper


def test_chao_bias_corrected_and_f2_zero():
    h = CaptureHistories.from_memberships([{"A"}] * 5 + [{"B"}] * 4 + [{"A", "B", "C"}] * 2)
    with pytest.raises(EstimationError, match="f2 = 0"):
        Chao().fit(h)
    result = Chao(bias_corrected=True).fit(h)
    assert result.estimate == pytest.approx(11 + 9 * 8 / 2)


def test_f_counts(kosovo):
    assert f_counts(kosovo).tolist() == [0, 3218, 882, 273, 27]


def test_chapman_by_hand():
    # n1 = 80, n2 = 50, m = 20
    result = Chapman().fit(two_lists(60, 30, 20))
    n1, n2, m = 80, 50, 20
    estimate = (n1 + 1) * (n2 + 1) / (m + 1) - 1
    variance = (n1 + 1) * (n2 + 1) * (n1 - m) * (n2 - m) / ((m + 1) ** 2 * (m + 2))
    assert result.estimate == pytest.approx(estimate)  # 195.714...
    assert result.estimate == pytest.approx(195.7142857)
    assert result.diagnostics["se"] == pytest.approx(math.sqrt(variance))
    z = 1.959963984540054
    assert result.lower == pytest.approx(estimate - z * math.sqrt(variance))
    assert result.upper == pytest.approx(estimate + z * math.sqrt(variance))
    assert result.diagnostics["m"] == 20


def test_chapman_lognormal_interval_stays_above_documented():
    result = Chapman(interval="lognormal").fit(two_lists(60, 30, 20))
    assert 110 < result.lower < result.estimate < result.upper


def test_chapman_wald_lower_end_not_below_documented():
    result = Chapman().fit(two_lists(40, 40, 1))
    assert result.lower == 81
    assert "unstable" in result.diagnostics["warning"]


def test_chapman_needs_two_lists(kosovo):
    with pytest.raises(EstimationError, match="exactly two lists"):
        Chapman().fit(kosovo)
    picked = Chapman(lists=("EXH", "OSCE")).fit(kosovo)
    assert picked.lists == ("EXH", "OSCE")
    assert picked.diagnostics["m"] == 478
    merged = Chapman().fit(kosovo.merge("EXH", "ABA").merge("OSCE", "HRW"))
    assert merged.lists == ("EXH+ABA", "OSCE+HRW")


def test_empty_list_is_refused():
    h = CaptureHistories.from_memberships([{"A"}], lists=["A", "B"])
    with pytest.raises(EstimationError, match="drop_empty"):
        Chapman().fit(h)


def test_get_params_and_repr():
    assert Chao().get_params() == {"bias_corrected": False, "level": 0.95}
    assert "Chapman(" in repr(Chapman())
