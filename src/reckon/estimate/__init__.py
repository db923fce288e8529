"""Multiple systems estimation: how many victims no list recorded.

Pure functions and estimators on capture histories (no database). Each estimator follows one
pattern: ``Estimator(**settings).fit(histories) -> EstimateResult``.

>>> from reckon.estimate import CaptureHistories, Chapman
>>> h = CaptureHistories.from_memberships([{"A"}] * 60 + [{"B"}] * 30 + [{"A", "B"}] * 20)
>>> round(Chapman().fit(h).estimate, 1)
195.7
"""

from __future__ import annotations

import importlib
from typing import Any

from reckon.estimate.base import Estimator
from reckon.estimate.histories import CaptureHistories, pool_histories
from reckon.estimate.histories_csv import read_stratified_csv
from reckon.estimate.result import EstimateResult, collect_versions

__all__ = [
    "LCMCR",
    "CaptureHistories",
    "Chao",
    "Chapman",
    "Dga",
    "EstimateResult",
    "Estimator",
    "LogLinear",
    "SensitivityResult",
    "StratifiedResult",
    "collect_versions",
    "fit_strata",
    "format_sensitivity",
    "linkage_sensitivity",
    "make_estimator",
    "pool_histories",
    "read_stratified_csv",
    "write_report",
]

# Estimators load lazily: statsmodels, numba and matplotlib are slow to import.
_LAZY = {
    "LCMCR": "reckon.estimate.lcmcr",
    "Chao": "reckon.estimate.simple",
    "Chapman": "reckon.estimate.simple",
    "LogLinear": "reckon.estimate.loglinear",
    "Dga": "reckon.estimate.dga",
    "StratifiedResult": "reckon.estimate.stratify",
    "fit_strata": "reckon.estimate.stratify",
    "make_estimator": "reckon.estimate.methods",
    "SensitivityResult": "reckon.estimate.sensitivity",
    "linkage_sensitivity": "reckon.estimate.sensitivity",
    "format_sensitivity": "reckon.estimate.sensitivity",
    "write_report": "reckon.estimate.report",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'reckon.estimate' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
