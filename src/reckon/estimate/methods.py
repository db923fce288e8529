"""Estimators by name, for the CLI and the web API."""

from __future__ import annotations

import inspect
from typing import Any

from reckon.errors import EstimationError
from reckon.estimate.base import Estimator

METHODS = ("lcmcr", "loglinear", "chao", "chapman", "dga")


def estimator_class(method: str) -> type[Estimator]:
    """The estimator class for ``method`` (imported only when asked for)."""
    if method == "lcmcr":
        try:
            from reckon.estimate.lcmcr import LCMCR
        except ModuleNotFoundError as error:
            if error.name != "reckon.estimate.lcmcr":
                raise
            raise EstimationError("the lcmcr method is not available in this build") from None
        return LCMCR
    if method == "loglinear":
        from reckon.estimate.loglinear import LogLinear

        return LogLinear
    if method == "chao":
        from reckon.estimate.simple import Chao

        return Chao
    if method == "chapman":
        from reckon.estimate.simple import Chapman

        return Chapman
    if method == "dga":
        try:
            from reckon.estimate.dga import Dga
        except ModuleNotFoundError as error:
            if error.name != "reckon.estimate.dga":
                raise
            raise EstimationError("the dga method is not available in this build") from None
        return Dga
    raise EstimationError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")


def make_estimator(method: str, **options: Any) -> Estimator:
    """Build the estimator for ``method`` from the options it accepts; others are ignored.

    Options whose value is None are left at the estimator's default.
    """
    cls = estimator_class(method)
    accepted = inspect.signature(cls.__init__).parameters
    kwargs = {k: v for k, v in options.items() if k in accepted and v is not None}
    return cls(**kwargs)
