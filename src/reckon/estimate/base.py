"""What every estimator shares: settings in, :class:`EstimateResult` out."""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from typing import Any, ClassVar

from reckon.errors import EstimationError
from reckon.estimate.histories import CaptureHistories
from reckon.estimate.result import EstimateResult, collect_versions


class Estimator(ABC):
    """Base of the estimators: ``Estimator(**settings).fit(histories) -> EstimateResult``.

    Settings are the constructor's keyword arguments, stored under the same names (as in
    scikit-learn), so :meth:`get_params` can report them.
    """

    method: ClassVar[str] = ""
    bayesian: ClassVar[bool] = False

    @abstractmethod
    def fit(self, histories: CaptureHistories) -> EstimateResult:
        """Estimate N from ``histories``."""

    def get_params(self) -> dict[str, Any]:
        """The constructor settings, by name."""
        names = [
            p
            for p in inspect.signature(type(self).__init__).parameters
            if p != "self" and hasattr(self, p)
        ]
        return {name: getattr(self, name) for name in names}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"

    def _result(
        self,
        histories: CaptureHistories,
        estimate: float,
        lower: float,
        upper: float,
        **fields: Any,
    ) -> EstimateResult:
        settings = {**self.get_params(), **fields.pop("settings", {})}
        return EstimateResult(
            method=self.method,
            n_observed=histories.n_observed,
            estimate=estimate,
            lower=lower,
            upper=upper,
            lists=histories.lists,
            settings=settings,
            input_digest=histories.digest(),
            versions=collect_versions(),
            **fields,
        )


def check_fittable(histories: CaptureHistories, min_lists: int = 2) -> None:
    """Raise :class:`EstimationError` unless the histories can support an estimate."""
    if not isinstance(histories, CaptureHistories):
        raise EstimationError(
            f"expected CaptureHistories, got {type(histories).__name__}; "
            "build one with CaptureHistories.from_csv or from_memberships"
        )
    if histories.n_observed == 0:
        raise EstimationError("no one is documented: every count is zero")
    empty = [name for name, size in histories.list_sizes().items() if size == 0]
    if empty:
        raise EstimationError(
            f"list(s) {empty} have no records; drop them first (CaptureHistories.drop_empty)"
        )
    if histories.n_lists < min_lists:
        raise EstimationError(
            f"this method needs at least {min_lists} lists, the histories have "
            f"{histories.n_lists} ({list(histories.lists)})"
        )
