"""Fixtures for the audit log: an installation home per test, projects with an import."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from reckon.ingest import import_file


@pytest.fixture(autouse=True)
def reckon_home(tmp_path, monkeypatch):
    """This installation's home (signing key, trusted keys), fresh for each test."""
    home = tmp_path / "reckon-home"
    monkeypatch.setenv("RECKON_HOME", str(home))
    return home


@pytest.fixture
def imported_project(empty_project, examples_dir):
    """A project (each backend) with the NGO sample list imported: audit entry 1."""
    import_file(empty_project, examples_dir / "ngo_list.csv", "NGO", actor="alice")
    return empty_project


@pytest.fixture
def tamper():
    """Change the database behind Reckon's back, as an attacker with SQL access would."""

    def run(project, sql: str, **params) -> None:
        with project.engine.begin() as connection:
            connection.execute(text(sql), params)

    return run
