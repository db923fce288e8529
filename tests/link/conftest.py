"""Fixtures for linkage tests: small synthetic scenarios (invented people) imported into projects."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import pytest

from reckon.ingest import import_file
from reckon.store import init_project
from reckon.synth import ScenarioConfig, default_habits, generate_scenario, write_scenario

# Lists without a gender column: the ingest test of gender words is not what is tested here.
_FIELDS_WITHOUT_GENDER = {
    h.code: tuple(f for f in h.fields if f != "gender") for h in default_habits(4)
}


def make_scenario(directory: Path, people: int, seed: int, lists: int = 4) -> Path:
    habits = tuple(
        dataclasses.replace(h, fields=_FIELDS_WITHOUT_GENDER.get(h.code, h.fields))
        for h in default_habits(lists)
    )
    scenario = generate_scenario(ScenarioConfig(people=people, seed=seed, habits=habits))
    write_scenario(scenario, directory)
    return directory


def import_lists(project, directory: Path, codes: list[str] | None = None) -> None:
    for path in sorted(directory.glob("*.csv")):
        if path.stem in {"truth", "population"}:
            continue
        if codes is not None and path.stem not in codes:
            continue
        result = import_file(project, path, path.stem)
        assert result.rows_rejected == 0, result.problems[:3]


def read_truth(directory: Path) -> dict[tuple[str, int], str]:
    """(file, row) -> true person id."""
    with (directory / "truth.csv").open(encoding="utf-8") as handle:
        return {(r["file"], int(r["row"])): r["person_id"] for r in csv.DictReader(handle)}


@pytest.fixture(scope="session")
def scenario_dir(tmp_path_factory) -> Path:
    """About 900 records over four lists, with truth.csv."""
    return make_scenario(tmp_path_factory.mktemp("synth"), people=900, seed=11)


@pytest.fixture(scope="module")
def linked_project(tmp_path_factory, scenario_dir):
    """A project with the scenario's four lists imported and linked once (default settings)."""
    from reckon.link import LinkConfig, link_project

    project = init_project(tmp_path_factory.mktemp("linked") / "project")
    import_lists(project, scenario_dir)
    link_project(project, LinkConfig(), actor="tester")
    yield project
    project.close()
