"""Multiple systems estimation: how many victims no list recorded.

Pure functions and estimators on capture histories (no database). Each estimator follows one
pattern: ``Estimator(settings).fit(histories) -> EstimateResult``.
"""

from __future__ import annotations

from typing import Any

from reckon.estimate.histories import CaptureHistories, read_stratified_csv
from reckon.estimate.result import EstimateResult, collect_versions

__all__ = [
    "LCMCR",
    "CaptureHistories",
    "Chao",
    "Chapman",
    "Dga",
    "EstimateResult",
    "LogLinear",
    "StratifiedResult",
    "collect_versions",
    "fit_strata",
    "make_estimator",
    "read_stratified_csv",
    "sensitivity_table",
    "write_report",
]

_LAZY = {
    "LCMCR": "reckon.estimate.lcmcr",
    "Chao": "reckon.estimate.simple",
    "Chapman": "reckon.estimate.simple",
    "LogLinear": "reckon.estimate.loglinear",
    "Dga": "reckon.estimate.dga",
    "StratifiedResult": "reckon.estimate.stratify",
    "fit_strata": "reckon.estimate.stratify",
    "make_estimator": "reckon.estimate.methods",
    "sensitivity_table": "reckon.estimate.sensitivity",
    "write_report": "reckon.estimate.report",
}


def __getattr__(name: str) -> Any:
    # Estimators load lazily: statsmodels, numba and matplotlib are slow to import.
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'reckon.estimate' has no attribute {name!r}")
