"""Fixtures for the estimators: the published tables in tests/data/mse."""

from __future__ import annotations

from pathlib import Path

import pytest

from reckon.estimate.histories import CaptureHistories

MSE_DATA = Path(__file__).resolve().parent.parent / "data" / "mse"


@pytest.fixture
def mse_data() -> Path:
    """The folder of published capture–recapture tables."""
    return MSE_DATA


@pytest.fixture
def kosovo() -> CaptureHistories:
    """Kosovo 1999, four lists, 4,400 documented killings (Ball et al. 2002)."""
    return CaptureHistories.from_csv(MSE_DATA / "kosovo_aggregate.csv")


@pytest.fixture
def spina() -> CaptureHistories:
    """Spina bifida, three registries, 626 cases (Madigan & York 1997)."""
    return CaptureHistories.from_csv(MSE_DATA / "dga_MY_3list_spina.csv")


@pytest.fixture
def uk_slavery() -> CaptureHistories:
    """UK modern slavery 2013, five lists, 2,744 cases (Silverman 2014)."""
    return CaptureHistories.from_csv(MSE_DATA / "sparsemse_UKdat_5.csv")
