"""Linkage sensitivity over a dict threshold -> capture histories."""

from __future__ import annotations

import json

import pytest

from reckon.errors import EstimationError
from reckon.estimate.histories import CaptureHistories
from reckon.estimate.loglinear import LogLinear
from reckon.estimate.sensitivity import format_sensitivity, linkage_sensitivity


def table(a, b, both):
    return CaptureHistories.from_memberships(
        [{"A"}] * a + [{"B"}] * b + [{"A", "B"}] * both, lists=["A", "B", "Z"]
    )


# A stricter threshold links fewer records: fewer people on both lists, more people overall.
BY_THRESHOLD = {0.9: table(70, 40, 10), 0.5: table(60, 30, 20), 0.7: table(65, 35, 15)}


def test_one_result_per_threshold_in_order():
    result = linkage_sensitivity(LogLinear(), BY_THRESHOLD)
    assert list(result.results) == [0.5, 0.7, 0.9]
    estimates = [r.estimate for r in result.results.values()]
    assert estimates == pytest.approx([80 * 50 / 20, 80 * 50 / 15, 80 * 50 / 10])
    assert result.linkage_range == pytest.approx(400 - 200)
    assert result.dropped_lists == {0.5: ["Z"], 0.7: ["Z"], 0.9: ["Z"]}
    frame = result.to_frame()
    assert list(frame.columns) == [
        "threshold",
        "n_observed",
        "n_lists",
        "estimate",
        "lower",
        "upper",
        "width",
    ]
    assert list(frame["n_observed"]) == [110, 115, 120]


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_format(fmt):
    text = format_sensitivity(linkage_sensitivity(LogLinear(), BY_THRESHOLD), fmt)
    assert "0.7" in text
    assert "moves by 200" in text
    assert "95% interval" in text


def test_to_dict_is_json():
    data = json.loads(json.dumps(linkage_sensitivity(LogLinear(), BY_THRESHOLD).to_dict()))
    assert [row["threshold"] for row in data["thresholds"]] == [0.5, 0.7, 0.9]
    assert data["method"] == "loglinear"


def test_errors():
    with pytest.raises(EstimationError, match="no linkage thresholds"):
        linkage_sensitivity(LogLinear(), {})
    with pytest.raises(EstimationError, match=r"\[0, 1\]"):
        linkage_sensitivity(LogLinear(), {1.5: table(1, 1, 1)})
    with pytest.raises(EstimationError, match=r"threshold 0\.5"):
        linkage_sensitivity(LogLinear(model="all-2way"), {0.5: table(60, 30, 20)})
