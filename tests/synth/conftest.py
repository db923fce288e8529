"""Fixtures: small generated scenarios (in memory and written to disk)."""

from __future__ import annotations

import json

import pytest

from reckon.synth import ScenarioConfig, generate_scenario, write_scenario


@pytest.fixture(scope="session")
def scenario_3000():
    """A default four-list scenario of 3,000 people, seed 3."""
    return generate_scenario(ScenarioConfig(people=3000, seed=3))


@pytest.fixture(scope="session")
def scenario_20000():
    """A default four-list scenario of 20,000 people (for statistics)."""
    return generate_scenario(ScenarioConfig(people=20_000, seed=11))


@pytest.fixture(scope="session")
def written_legacy(tmp_path_factory):
    """A 1,500-person scenario with legacy encodings, written as CSV and XLSX."""
    scenario = generate_scenario(ScenarioConfig(people=1500, seed=5, legacy_encodings=True))
    outdir = tmp_path_factory.mktemp("legacy")
    paths = write_scenario(scenario, outdir, formats=("csv", "xlsx"))
    manifest = json.loads((outdir / "scenario.json").read_text(encoding="utf-8"))
    return scenario, outdir, paths, manifest
