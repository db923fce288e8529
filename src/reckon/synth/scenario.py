"""A synthetic scenario: a true population, the lists that partly record it, and the truth."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from reckon.synth.capture import capture_matrix, capture_probabilities
from reckon.synth.config import ListHabits, ScenarioConfig
from reckon.synth.population import Population, generate_population
from reckon.synth.render import SourceList, render_list

Progress = Callable[[str, int, int], None]  # (step, done, total)


@dataclass(frozen=True, eq=False)
class Scenario:
    """A generated scenario. ``capture[i, j]`` says whether person ``i`` is on list ``j``."""

    config: ScenarioConfig
    population: Population
    capture: np.ndarray
    lists: tuple[SourceList, ...]

    @property
    def size(self) -> int:
        """The true number of people (N)."""
        return self.population.size

    @property
    def observed(self) -> int:
        """People on at least one list."""
        return int(self.capture.any(axis=1).sum())

    @property
    def records(self) -> int:
        return sum(len(s) for s in self.lists)

    def counts(self) -> dict[str, dict[str, int]]:
        """Per list: rows, distinct people, duplicate rows, rows in Persian script."""
        return {
            s.code: {
                "records": len(s),
                "people": int(self.capture[:, j].sum()),
                "duplicates": int((s.copy > 1).sum()),
                "persian_rows": int(s.persian.sum()),
            }
            for j, s in enumerate(self.lists)
        }

    def to_dict(self) -> dict[str, Any]:
        """What ``scenario.json`` holds (without the file names)."""
        k = self.capture.shape[1]
        code = self.capture.astype(np.int64) @ (1 << np.arange(k - 1, -1, -1))
        keys, freq = np.unique(code, return_counts=True)
        histories = {
            format(key, f"0{k}b"): count
            for key, count in zip(keys.tolist(), freq.tolist(), strict=True)
        }
        return {
            "generator": "reckon.synth",
            "seed": self.config.seed,
            "N": self.size,
            "observed": self.observed,
            "unobserved": self.size - self.observed,
            "records": self.records,
            "lists": [s.code for s in self.lists],
            "counts": self.counts(),
            "capture_histories": histories,
            "config": self.config.to_dict(),
        }

    def summary(self) -> str:
        """A few lines of text: N, observed, and each list's size."""
        lines = [
            f"Synthetic scenario (seed {self.config.seed}): N = {self.size:,} people, "
            f"{self.observed:,} on at least one list, {self.records:,} records."
        ]
        for code, c in self.counts().items():
            lines.append(
                f"  {code}: {c['records']:,} records, {c['people']:,} people, "
                f"{c['duplicates']:,} duplicates, {c['persian_rows']:,} in Persian script"
            )
        return "\n".join(lines)


def effective_habits(config: ScenarioConfig) -> tuple[ListHabits, ...]:
    """The habits as generated: with legacy encodings on, each list gets its legacy encoding,
    and a Windows-1256 list is typed with Arabic ي/ك and ASCII digits (it has no others)."""
    out = []
    for h in config.list_habits:
        if config.legacy_encodings and h.legacy_encoding:
            h = dataclasses.replace(h, encoding=h.legacy_encoding)
            if h.encoding.replace("-", "").lower() in {"cp1256", "windows1256"}:
                h = dataclasses.replace(h, arabic_letters=1.0, persian_digits=0.0)
        out.append(h)
    return tuple(out)


def generate_scenario(
    config: ScenarioConfig | None = None, progress: Progress | None = None
) -> Scenario:
    """Generate a scenario in memory: the population with its ground truth and every list.

    Deterministic: the same config (seed included) gives the same scenario.

    Example
    -------
    >>> s = generate_scenario(ScenarioConfig(people=300, seed=7))
    >>> s.size, len(s.lists)
    (300, 4)
    """
    config = config or ScenarioConfig()
    habits = effective_habits(config)
    seeds = np.random.SeedSequence(config.seed).spawn(2 + len(habits))
    steps = 2 + len(habits)
    if progress:
        progress("population", 0, steps)
    population = generate_population(config, np.random.default_rng(seeds[0]))
    if progress:
        progress("capture", 1, steps)
    capture = capture_matrix(population, habits, np.random.default_rng(seeds[1]))
    lists = []
    for j, h in enumerate(habits):
        if progress:
            progress(f"list {h.code}", 2 + j, steps)
        captured = np.flatnonzero(capture[:, j])
        lists.append(render_list(population, h, captured, np.random.default_rng(seeds[2 + j])))
    if progress:
        progress("done", steps, steps)
    return Scenario(config=config, population=population, capture=capture, lists=tuple(lists))


def expected_records_per_person(config: ScenarioConfig, pilot: int = 20_000) -> float:
    """Expected rows per person (capture probabilities plus duplicates), from a pilot
    population of the same config."""
    small = dataclasses.replace(config, people=pilot)
    population = generate_population(small, np.random.default_rng(config.seed))
    return float(
        sum(
            capture_probabilities(population, h).mean() * (1.0 + h.duplicate_rate)
            for h in config.list_habits
        )
    )


def people_for_records(records: int, config: ScenarioConfig | None = None) -> int:
    """How many people a scenario needs for about ``records`` rows over all its lists."""
    config = config or ScenarioConfig()
    return max(1, round(records / expected_records_per_person(config)))
