"""Synthetic scenarios with ground truth: invented victims, partial lists, known totals.

A :class:`ScenarioConfig` (size, seed, period, each list's habits) goes into
:func:`generate_scenario`, which returns a :class:`Scenario` in memory: the true population and
the lists, each row tied to the person it is about. :func:`write_scenario` writes the lists as CSV
and/or XLSX with ``truth.csv``, ``population.csv`` and ``scenario.json``. Every person is invented
from name units (see ``data/README.md``); no real victim's data is used.

Example
-------
>>> from reckon.synth import ScenarioConfig, generate_scenario
>>> scenario = generate_scenario(ScenarioConfig(people=500, lists=3, seed=2))
>>> [s.code for s in scenario.lists]
['AI', 'MJ', 'HR']
"""

from reckon.synth.config import ListHabits, ScenarioConfig, default_habits
from reckon.synth.population import Population
from reckon.synth.render import SourceList
from reckon.synth.scenario import (
    Scenario,
    expected_records_per_person,
    generate_scenario,
    people_for_records,
)
from reckon.synth.write import write_scenario

__all__ = [
    "ListHabits",
    "Population",
    "Scenario",
    "ScenarioConfig",
    "SourceList",
    "default_habits",
    "expected_records_per_person",
    "generate_scenario",
    "people_for_records",
    "write_scenario",
]
