"""The result every estimator returns: an estimate of N with its interval and provenance.

A result records how it was made (method, settings incl. seed, a digest of the input and the
package versions), so a reader can reproduce it. It renders as text, Markdown or HTML and as a
JSON-able dict.
"""

from __future__ import annotations

import html
import math
import platform
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

import numpy as np

from reckon.errors import EstimationError

_VERSIONED = ("reckon", "numpy", "scipy", "statsmodels", "pandas", "numba", "matplotlib")


def collect_versions(packages: tuple[str, ...] = _VERSIONED) -> dict[str, str]:
    """Versions of Python and the packages an estimate depends on (without importing them)."""
    versions = {"python": platform.python_version()}
    for name in packages:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


class Interval(tuple):
    """``(lower, upper)`` at the result's level; call it with a level for another interval.

    >>> r = EstimateResult("x", 10, 12.0, 11.0, 14.0)
    >>> lower, upper = r.interval
    >>> (lower, upper)
    (11.0, 14.0)
    """

    _compute: Callable[[float], tuple[float, float]]

    def __new__(
        cls, lower: float, upper: float, compute: Callable[[float], tuple[float, float]]
    ) -> Interval:
        self = super().__new__(cls, (lower, upper))
        self._compute = compute
        return self

    @property
    def lower(self) -> float:
        return self[0]

    @property
    def upper(self) -> float:
        return self[1]

    def __call__(self, level: float = 0.95) -> tuple[float, float]:
        return self._compute(level)


def _jsonable(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return _jsonable(value.tolist())
    if isinstance(value, np.generic):
        return _jsonable(value.item())
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


def _is_bulky(value: Any) -> bool:
    """Arrays of draws (2-D, or more than 100 numbers) are left out of JSON unless asked for."""
    return isinstance(value, np.ndarray) and (value.ndim >= 2 or value.size > 100)


@dataclass(frozen=True, eq=False)
class EstimateResult:
    """An estimate of the total N (documented plus undocumented) with its uncertainty.

    Parameters
    ----------
    method:
        Estimator name (``"lcmcr"``, ``"loglinear"``, ``"chao"``, ``"chapman"``, ``"dga"``).
    n_observed:
        Documented people n.
    estimate, lower, upper, level:
        Point estimate of N and the interval at ``level``.
    lists:
        The lists the estimate used.
    draws:
        Posterior draws of N (Bayesian methods), else None.
    diagnostics:
        Method-specific checks: ``rhat``, ``ess``, ``chain_medians``, ``chains`` (2-D per-chain
        draws), ``aic``, ``converged``, ``models``...
    settings:
        The estimator settings, including the seed.
    input_digest, versions:
        SHA-256 of the capture histories; package versions.
    stratum:
        The stratum this result belongs to, if any.
    interval_function:
        Optional ``level -> (lower, upper)`` for methods without draws (e.g. profile likelihood).
    """

    method: str
    n_observed: int
    estimate: float
    lower: float
    upper: float
    level: float = 0.95
    lists: tuple[str, ...] = ()
    draws: np.ndarray | None = None
    diagnostics: dict = field(default_factory=dict)
    settings: dict = field(default_factory=dict)
    input_digest: str = ""
    versions: dict = field(default_factory=dict)
    stratum: str | None = None
    interval_function: Callable[[float], tuple[float, float]] | None = field(
        default=None, repr=False
    )

    def __post_init__(self) -> None:
        if not 0 < self.level < 1:
            raise EstimationError(f"level must be between 0 and 1, got {self.level}")
        object.__setattr__(self, "lists", tuple(self.lists))
        object.__setattr__(self, "n_observed", int(self.n_observed))
        for name in ("estimate", "lower", "upper"):
            object.__setattr__(self, name, float(getattr(self, name)))
        if self.draws is not None:
            draws = np.asarray(self.draws).reshape(-1)
            draws.setflags(write=False)
            object.__setattr__(self, "draws", draws)

    # ----------------------------------------------------------------- statistics
    @property
    def median(self) -> float:
        """Posterior median of N when there are draws, else the point estimate."""
        if self.draws is not None and self.draws.size:
            return float(np.median(self.draws))
        return self.estimate

    @property
    def n_unobserved(self) -> float:
        """Estimated people on no list: estimate - n_observed."""
        return self.estimate - self.n_observed

    @property
    def interval(self) -> Interval:
        """``(lower, upper)``; ``result.interval(0.9)`` gives the interval at another level."""
        return Interval(self.lower, self.upper, self._interval_at)

    def _interval_at(self, level: float) -> tuple[float, float]:
        if not 0 < level < 1:
            raise EstimationError(f"level must be between 0 and 1, got {level}")
        if self.draws is not None and self.draws.size:
            tail = (1 - level) / 2
            low, high = np.quantile(self.draws, [tail, 1 - tail])
            return float(low), float(high)
        if math.isclose(level, self.level):
            return self.lower, self.upper
        if self.interval_function is not None:
            low, high = self.interval_function(level)
            return float(low), float(high)
        raise EstimationError(
            f"the {self.method} result has no interval at level {level}; refit with level={level}"
        )

    # ----------------------------------------------------------------- output
    def to_dict(self, include_draws: bool = False) -> dict[str, Any]:
        """JSON-able dict: method, n_observed, estimate, lower, upper, level, median, lists,...

        Draws (and bulky diagnostics such as per-chain draws) only with ``include_draws``.
        """
        diagnostics = {
            k: v for k, v in self.diagnostics.items() if include_draws or not _is_bulky(v)
        }
        out: dict[str, Any] = {
            "method": self.method,
            "n_observed": self.n_observed,
            "estimate": self.estimate,
            "lower": self.lower,
            "upper": self.upper,
            "level": self.level,
            "median": self.median,
            "n_unobserved": self.n_unobserved,
            "lists": list(self.lists),
            "stratum": self.stratum,
            "n_draws": 0 if self.draws is None else int(self.draws.size),
            "diagnostics": diagnostics,
            "settings": dict(self.settings),
            "input_digest": self.input_digest,
            "versions": dict(self.versions),
        }
        if include_draws and self.draws is not None:
            out["draws"] = self.draws
        return _jsonable(out)

    def _rows(self) -> list[tuple[str, str]]:
        pct = f"{self.level:.0%}"
        rows = [
            ("method", self.method),
            ("lists", ", ".join(self.lists) or "-"),
            ("documented (n)", f"{self.n_observed:,}"),
            ("estimate of N", _fmt(self.estimate)),
            (f"{pct} interval", f"{_fmt(self.lower)} – {_fmt(self.upper)}"),
        ]
        if self.stratum is not None:
            rows.insert(0, ("stratum", self.stratum))
        if self.draws is not None and self.draws.size:
            rows.append(("posterior draws", f"{self.draws.size:,}"))
        for key, value in self.diagnostics.items():
            if _is_bulky(value) or (isinstance(value, (list, dict, tuple)) and len(value) > 8):
                continue
            rows.append((key, _fmt_value(value)))
        if self.settings:
            rows.append(
                ("settings", ", ".join(f"{k}={_fmt_value(v)}" for k, v in self.settings.items()))
            )
        if self.input_digest:
            rows.append(("input sha256", self.input_digest[:16] + "…"))
        return rows

    def summary(self, fmt: str = "text") -> str:
        """The result as ``"text"``, ``"markdown"`` or ``"html"``."""
        rows = self._rows()
        if fmt == "text":
            width = max(len(k) for k, _ in rows)
            return "\n".join(f"{k.ljust(width)}  {v}" for k, v in rows)
        if fmt == "markdown":
            lines = ["| | |", "|---|---|"]
            lines += ["| " + k + " | " + v.replace("|", "\\|") + " |" for k, v in rows]
            return "\n".join(lines)
        if fmt == "html":
            body = "".join(
                f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows
            )
            return f'<table class="estimate-result">{body}</table>'
        raise EstimationError(f"unknown summary format {fmt!r}; use text, markdown or html")

    def __str__(self) -> str:
        return self.summary("text")


def _fmt(value: float) -> str:
    if not math.isfinite(value):
        return str(value)
    if abs(value - round(value)) < 1e-9:
        return f"{round(value):,}"
    return f"{value:,.1f}"


def _fmt_value(value: Any) -> str:
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if not math.isfinite(value):
            return str(value)
        return f"{value:.4g}" if abs(value) < 1000 else f"{value:,.1f}"
    if isinstance(value, np.ndarray):
        return ", ".join(_fmt_value(v) for v in value.tolist())
    if isinstance(value, (list, tuple)):
        return ", ".join(_fmt_value(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={_fmt_value(v)}" for k, v in value.items())
    return str(value)
